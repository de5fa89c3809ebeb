"""Early warnings: the pupils of a class who need attention (absences, twos, the period's
forecast), each with the rule that raised it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from tui_journal import clock
from tui_journal.db.models import Attendance, Mark, PeriodMark, Subject, WorkType
from tui_journal.domain import attendance as att
from tui_journal.domain import ru_words as words
from tui_journal.domain.grading import propose_period_mark
from tui_journal.domain.marks import WeightedMark, numeric_value
from tui_journal.services.actor import Actor
from tui_journal.services.classteacher.base import pupils_between, readable_class, short_name_of
from tui_journal.services.diary import class_pupil_lessons
from tui_journal.services.journal import current_period, marks_allowed_for, periods_of_class, policy_of

# --- early-warning rules: the thresholds are here, the texts say them -----------------------
ABSENCES_WINDOW_DAYS = 7
ABSENCES_LIMIT = 3
TWOS_WINDOW_DAYS = 14
TWOS_LIMIT = 2
NA_WARN_DAYS_BEFORE_END = 21

RULES: dict[str, str] = {
    "absences": f"{ABSENCES_LIMIT} и более пропусков без уважительной причины («н») за {ABSENCES_WINDOW_DAYS} дней",
    "twos": f"{TWOS_LIMIT} и более отметки «2» по одному предмету за {TWOS_WINDOW_DAYS} дней",
    "forecast_2": "прогноз итоговой отметки за период — «2»",
    "forecast_na": f"прогноз «н/а» за период: мало отметок, до конца периода не больше {NA_WARN_DAYS_BEFORE_END} дней",
}


@dataclass(frozen=True)
class EarlyWarning:
    student_id: int
    pupil: str
    rule: str  # a key of RULES
    rule_text: str  # the rule that raised it
    subject: str
    detail: str  # the facts: dates, marks, the average


# --- early warnings ------------------------------------------------------------------------------


def _lessons_word(n: int) -> str:
    return words.plural(n, words.LESSONS)


def early_warnings(actor: Actor, class_id: int, today: dt.date | None = None) -> list[EarlyWarning]:
    """Pupils who need attention, each with the rule that raised the warning (see :data:`RULES`)."""
    cls = readable_class(actor, class_id)
    today = today or clock.today()
    periods = periods_of_class(cls)
    period = current_period(periods, today) if periods else None
    since = min(today - dt.timedelta(days=TWOS_WINDOW_DAYS - 1), period.start if period else today)
    policy = policy_of(actor.school_id)
    wts = {w.id: w for w in WorkType.select().where(WorkType.school == actor.school_id)}
    subjects = {s.id: s.name for s in Subject.select().where(Subject.school == actor.school_id)}
    exempt: dict[int, set[int]] = defaultdict(set)
    if period is not None:
        for pm in PeriodMark.select().where(
            (PeriodMark.school_class == cls.id) & (PeriodMark.period == period.id) & (PeriodMark.value == "осв")
        ):
            exempt[pm.student_id].add(pm.subject_id)
    warnings: list[EarlyWarning] = []
    pupils = pupils_between(cls.id, today, today)
    lessons_of = class_pupil_lessons(cls.id, [p.id for p in pupils], since, today)
    all_ids = sorted({ls.id for items in lessons_of.values() for ls in items}) or [-1]
    pupil_ids = [p.id for p in pupils] or [-1]
    records_of: dict[int, list[Attendance]] = defaultdict(list)
    for a in Attendance.select().where(Attendance.lesson.in_(all_ids) & Attendance.student.in_(pupil_ids)):
        records_of[a.student_id].append(a)
    marks_of: dict[int, list[Mark]] = defaultdict(list)
    for m in (
        Mark.select()
        .where(Mark.lesson.in_(all_ids) & Mark.student.in_(pupil_ids))
        .order_by(Mark.position, Mark.id)
    ):
        marks_of[m.student_id].append(m)
    for pupil in pupils:
        name = short_name_of(pupil)
        lessons = lessons_of.get(pupil.id, [])
        by_id = {ls.id: ls for ls in lessons}
        records = [a for a in records_of.get(pupil.id, []) if a.lesson_id in by_id]
        marks = [m for m in marks_of.get(pupil.id, []) if m.lesson_id in by_id]
        # 1. unexcused absences in the last week
        window = today - dt.timedelta(days=ABSENCES_WINDOW_DAYS - 1)
        absent = sorted(
            by_id[a.lesson_id].date
            for a in records
            if att.effective_code(a.code, a.corrected_code) == att.ABSENT and by_id[a.lesson_id].date >= window
        )
        if len(absent) >= ABSENCES_LIMIT:
            warnings.append(
                EarlyWarning(
                    pupil.id, name, "absences", RULES["absences"], "",
                    f"{len(absent)} {_lessons_word(len(absent))} с «н» с {window:%d.%m} по {today:%d.%m}: "
                    + ", ".join(f"{d:%d.%m}" for d in absent),
                )
            )
        if not marks_allowed_for(cls):
            continue
        # 2. twos in one subject within two weeks
        window = today - dt.timedelta(days=TWOS_WINDOW_DAYS - 1)
        twos: dict[int, list[dt.date]] = defaultdict(list)
        for m in marks:
            ls = by_id[m.lesson_id]
            if m.value == "2" and ls.date >= window:
                twos[ls.subject_id].append(ls.date)
        for sid, dates in sorted(twos.items(), key=lambda x: subjects.get(x[0], "")):
            if len(dates) >= TWOS_LIMIT:
                warnings.append(
                    EarlyWarning(
                        pupil.id, name, "twos", RULES["twos"], subjects.get(sid, ""),
                        f"«2» — {', '.join(f'{d:%d.%m}' for d in sorted(dates))}",
                    )
                )
        # 3. the period's forecast
        if period is None:
            continue
        per_subject: dict[int, list[WeightedMark]] = defaultdict(list)
        held: set[int] = set()
        for ls in lessons:
            if ls.date >= period.start:
                held.add(ls.subject_id)
        for m in marks:
            ls = by_id[m.lesson_id]
            value = numeric_value(m.value)
            if ls.date >= period.start and value is not None:
                weight = float(wts[m.work_type_id].weight) if m.work_type_id in wts else 1.0
                per_subject[ls.subject_id].append(WeightedMark(value, weight))
        for sid in sorted(held, key=lambda s: subjects.get(s, "")):
            if sid in exempt[pupil.id]:
                continue
            proposal = propose_period_mark(per_subject.get(sid, []), policy)
            if proposal.value == "2":
                warnings.append(
                    EarlyWarning(pupil.id, name, "forecast_2", RULES["forecast_2"], subjects.get(sid, ""), proposal.reason)
                )
            elif proposal.value == "н/а" and (period.end - today).days <= NA_WARN_DAYS_BEFORE_END:
                warnings.append(
                    EarlyWarning(
                        pupil.id, name, "forecast_na", RULES["forecast_na"], subjects.get(sid, ""),
                        f"{proposal.reason}; период кончается {period.end:%d.%m}",
                    )
                )
    return warnings
