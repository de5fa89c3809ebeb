"""The marks of a period (R-AN-1): every subject's marks and average, one subject's marks with
the average's formula, the proposed period mark and what is still needed for a 5 or a 4.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tui_journal import clock
from tui_journal.db.models import (
    Lesson,
    Mark,
    PeriodMark,
    SchoolClass,
    Student,
    Subject,
    TimetableSlot,
    WorkType,
)
from tui_journal.domain import attendance as att
from tui_journal.domain import ru_words as words
from tui_journal.domain.grading import (
    Proposal,
    RoundingPolicy,
    format_average,
    marks_needed,
    propose_period_mark,
)
from tui_journal.domain.marks import WeightedMark, numeric_value, weighted_average
from tui_journal.domain.text import format_decimal
from tui_journal.services.actor import Actor
from tui_journal.services.checks import subject_in_school
from tui_journal.services.diary.base import (
    StudentRef,
    attendance_of,
    class_on,
    marks_of,
    names_of,
    require_diary,
    student_ref,
    work_types_of,
)
from tui_journal.services.diary.lessons import pupil_lessons
from tui_journal.services.errors import NotFound
from tui_journal.services.journal import (
    PeriodInfo,
    current_period,
    marks_allowed_for,
    periods_of_class,
    policy_of,
)

#: The forecast tries at most this many extra marks.
FORECAST_MAX = 10


@dataclass(frozen=True)
class SubjectLine:
    """One row of the pupil's marks of a period: a subject and where it stands."""

    subject_id: int
    subject: str
    marks: tuple[str, ...]
    average: float | None
    proposal: str
    period_mark: str
    missed: int  # lessons missed in the period

    @property
    def average_text(self) -> str:
        return format_average(self.average) if self.average is not None else "—"


@dataclass(frozen=True)
class MarksSummary:
    student: StudentRef
    period: PeriodInfo
    periods: tuple[PeriodInfo, ...]
    lines: tuple[SubjectLine, ...]


@dataclass(frozen=True)
class DatedMark:
    date: dt.date
    value: str
    work_type: str
    weight: float
    comment: str


@dataclass(frozen=True)
class Forecast:
    target: int
    needed: int | None  # extra marks of ``with_value`` needed; 0 = reached; None = out of reach
    with_value: int
    text: str  # the answer with its formula


@dataclass(frozen=True)
class SubjectView:
    student: StudentRef
    subject_id: int
    subject: str
    period: PeriodInfo
    periods: tuple[PeriodInfo, ...]
    marks: tuple[DatedMark, ...]
    average: float | None
    formula: str  # «(5×1 + 4×2) / (1 + 2) = 13 / 3 = 4,33»
    proposal: Proposal
    period_mark: str
    rule: str  # how the school turns an average into a mark
    forecasts: tuple[Forecast, ...]


# --- marks of a period ---------------------------------------------------------------------


def _period_of(student: Student, period_id: int | None, today: dt.date) -> tuple[PeriodInfo, list[PeriodInfo], SchoolClass]:
    cls = class_on(student.id, today)
    if cls is None:
        raise NotFound("Учащийся не числится ни в одном классе")
    periods = periods_of_class(cls)
    if not periods:
        raise NotFound("Для учебного года не заданы периоды (четверти)")
    chosen = next((p for p in periods if p.id == period_id), None)
    if period_id is not None and chosen is None:
        raise NotFound(f"Период не найден: {period_id}")
    return chosen or current_period(periods, today), periods, cls


def _weighted(marks: Iterable[Mark], wts: dict[int, WorkType]) -> list[WeightedMark]:
    result = []
    for m in marks:
        value = numeric_value(m.value)
        if value is not None:
            weight = float(wts[m.work_type_id].weight) if m.work_type_id in wts else 1.0
            result.append(WeightedMark(value, weight))
    return result


def _exempt(student_id: int, class_id: int, period_id: int) -> set[int]:
    return {
        pm.subject_id
        for pm in PeriodMark.select().where(
            (PeriodMark.student == student_id)
            & (PeriodMark.school_class == class_id)
            & (PeriodMark.period == period_id)
            & (PeriodMark.value == "осв")
        )
    }


def _period_marks(student_id: int, class_id: int, period_id: int) -> dict[int, str]:
    return {
        pm.subject_id: pm.value
        for pm in PeriodMark.select().where(
            (PeriodMark.student == student_id)
            & (PeriodMark.school_class == class_id)
            & (PeriodMark.period == period_id)
            & (PeriodMark.kind == "period")
        )
    }


def marks_summary(
    actor: Actor, student_id: int, period_id: int | None = None, *, today: dt.date | None = None
) -> MarksSummary:
    """Every subject of the pupil's period: the marks, the weighted average, the proposed and
    the set period mark, lessons missed."""
    student = require_diary(actor, student_id)
    today = today or clock.today()
    period, periods, cls = _period_of(student, period_id, today)
    lessons = pupil_lessons(student.id, period.start, period.end)
    ids = [ls.id for ls in lessons]
    marks = marks_of(student.id, ids)
    records = attendance_of(student.id, ids)
    wts = work_types_of(actor.school_id)
    policy = policy_of(actor.school_id)
    exempt = _exempt(student.id, cls.id, period.id)
    set_marks = _period_marks(student.id, cls.id, period.id)
    by_subject: dict[int, list[Lesson]] = defaultdict(list)
    for ls in lessons:
        by_subject[ls.subject_id].append(ls)
    subject_ids = set(by_subject) | set(set_marks) | _timetable_subjects(cls.id, period)
    names = names_of(Subject, subject_ids)
    lines = []
    for sid in subject_ids:
        subject_marks = [m for ls in by_subject.get(sid, []) for m in marks.get(ls.id, [])]
        weighted = _weighted(subject_marks, wts)
        proposal = propose_period_mark(weighted, policy, exempt=sid in exempt)
        missed = sum(
            1
            for ls in by_subject.get(sid, [])
            if ls.id in records
            and att.is_missed(att.effective_code(records[ls.id].code, records[ls.id].corrected_code))
        )
        lines.append(
            SubjectLine(
                subject_id=sid,
                subject=names.get(sid, ""),
                marks=tuple(m.value for m in subject_marks),
                average=weighted_average(weighted),
                proposal=proposal.short_label if marks_allowed_for(cls) else "",
                period_mark=set_marks.get(sid, ""),
                missed=missed,
            )
        )
    return MarksSummary(student_ref(student, today), period, tuple(periods), tuple(sorted(lines, key=lambda x: x.subject)))


def _timetable_subjects(class_id: int, period: PeriodInfo) -> set[int]:
    return {
        s.subject_id
        for s in TimetableSlot.select(TimetableSlot.subject).where(
            (TimetableSlot.school_class == class_id)
            & (TimetableSlot.valid_from <= period.end)
            & (TimetableSlot.valid_to.is_null() | (TimetableSlot.valid_to >= period.start))
        )
    }


def number_text(x: float) -> str:
    """A weight or a sum as people write it: «1», «1,5», «13»."""
    if abs(x - round(x)) < 1e-9:
        return str(round(x))
    return format_decimal(x, 2).rstrip("0").rstrip(",")


def average_formula(marks: Sequence[WeightedMark]) -> str:
    """«(5×1 + 4×2) / (1 + 2) = 13 / 3 = 4,33», or «нет отметок»."""
    if not marks:
        return "нет отметок"
    total = sum(m.value * m.weight for m in marks)
    weight = sum(m.weight for m in marks)
    if weight <= 0:
        return "все отметки с нулевым весом"
    products = " + ".join(f"{m.value}×{number_text(m.weight)}" for m in marks)
    weights = " + ".join(number_text(m.weight) for m in marks)
    return f"({products}) / ({weights}) = {number_text(total)} / {number_text(weight)} = {format_average(total / weight)}"


def rule_text(policy: RoundingPolicy) -> str:
    """The school's rule in words, shown beside the forecast."""
    if policy.mode == "half_up":
        rule = "округление до целого (0,5 — в большую сторону)"
    else:
        five, four, three = (format_decimal(v, 2) for v in policy.thresholds)
        rule = f"«5» от {five}, «4» от {four}, «3» от {three}, ниже — «2»"
    return f"Итоговая отметка: {rule}; нужно не меньше {policy.min_marks} отметок"


def _needed_of(current: Sequence[WeightedMark], target: int, value: int, policy: RoundingPolicy) -> int | None:
    """The least number of extra marks ``value`` (weight 1) that make the proposal reach ``target``."""
    if value == 5:
        return marks_needed(current, target, policy, max_extra=FORECAST_MAX)
    marks = list(current)
    for extra in range(FORECAST_MAX + 1):
        proposal = propose_period_mark(marks, policy)
        if proposal.value.isdigit() and int(proposal.value) >= target:
            return extra
        marks.append(WeightedMark(value, 1.0))
    return None


def _plural_marks(n: int, value: int) -> str:
    return words.plural(n, words.FIVES if value == 5 else words.FOURS)


def forecast(current: Sequence[WeightedMark], target: int, policy: RoundingPolicy) -> list[Forecast]:
    """What the pupil still needs for ``target``: extra fives (and, for a 4, extra fours), each
    with the average they would give, computed the school's way."""
    values = (5,) if target == 5 else (5, 4)
    result = []
    for value in values:
        needed = _needed_of(current, target, value, policy)
        if needed is None:
            text = f"На «{target}»: даже {FORECAST_MAX} {_plural_marks(FORECAST_MAX, value)} подряд не хватит"
        elif needed == 0:
            proposal = propose_period_mark(list(current), policy)
            text = f"На «{target}» уже хватает: {proposal.reason}"
            result.append(Forecast(target, 0, value, text))
            break
        else:
            future = [*current, *([WeightedMark(value, 1.0)] * needed)]
            proposal = propose_period_mark(future, policy)
            text = (
                f"На «{target}» нужно ещё {needed} {_plural_marks(needed, value)} (вес 1): "
                f"{average_formula(future)} → {proposal.value}"
            )
        result.append(Forecast(target, needed, value, text))
    return result


def subject_view(
    actor: Actor,
    student_id: int,
    subject_id: int,
    period_id: int | None = None,
    *,
    today: dt.date | None = None,
) -> SubjectView:
    """One subject of one period: all current marks with dates and work types, the weighted
    average with its formula, the proposed period mark, and what is still needed for a 5 and
    for a 4 (R-AN-1)."""
    student = require_diary(actor, student_id)
    today = today or clock.today()
    period, periods, cls = _period_of(student, period_id, today)
    subject = subject_in_school(actor, subject_id)
    lessons = pupil_lessons(student.id, period.start, period.end, subject_id)
    marks = marks_of(student.id, [ls.id for ls in lessons])
    wts = work_types_of(actor.school_id)
    dated = []
    ordered: list[Mark] = []
    for ls in lessons:
        for m in marks.get(ls.id, []):
            ordered.append(m)
            wt = wts.get(m.work_type_id) if m.work_type_id is not None else None
            dated.append(DatedMark(ls.date, m.value, wt.name if wt else "", float(wt.weight) if wt else 1.0, m.comment))
    weighted = _weighted(ordered, wts)
    policy = policy_of(actor.school_id)
    exempt = subject.id in _exempt(student.id, cls.id, period.id)
    proposal = propose_period_mark(weighted, policy, exempt=exempt)
    forecasts: list[Forecast] = []
    if marks_allowed_for(cls) and not exempt:
        for target in (5, 4):
            forecasts += forecast(weighted, target, policy)
    return SubjectView(
        student=student_ref(student, today),
        subject_id=subject.id,
        subject=subject.name,
        period=period,
        periods=tuple(periods),
        marks=tuple(dated),
        average=weighted_average(weighted),
        formula=average_formula(weighted),
        proposal=proposal,
        period_mark=_period_marks(student.id, cls.id, period.id).get(subject.id, ""),
        rule=rule_text(policy),
        forecasts=tuple(forecasts),
    )
