"""The deputy's control of the journals (R-DEP-1, R-DEP-2, R-AN-2), read-only.

Per teacher and per class: lessons held, lessons without a topic, without homework, rolls
not taken, entries made late, current marks per pupil per lesson, the thematic plan's hours
against the lessons held; and the objectivity check: a period mark far from the current
marks, or a period without a control work, is flagged with the rule that flagged it.

Only the school-wide roles (admin, director, deputy) read these; nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from peewee import Case, fn

from tui_journal import clock
from tui_journal.db.models import (
    AcademicYear,
    Attendance,
    Enrollment,
    Group,
    GroupMember,
    GuardianLink,
    Lesson,
    LoginEvent,
    Mark,
    Period,
    PeriodMark,
    PlanItem,
    SchoolClass,
    Student,
    Subject,
    User,
    UserRole,
    WorkType,
)
from tui_journal.domain import ru_words as words
from tui_journal.domain.grading import format_average, propose_period_mark
from tui_journal.domain.marks import WeightedMark, numeric_value, weighted_average
from tui_journal.domain.text import class_group, full_name, surname_initials
from tui_journal.services import access
from tui_journal.services import roles as R
from tui_journal.services.actor import Actor
from tui_journal.services.errors import InvalidInput, NotFound
from tui_journal.services.journal import (
    PeriodInfo,
    class_label,
    class_sort_key,
    current_period,
    homework_is_late,
    marks_allowed_for,
    periods_of_class,
    policy_of,
)
from tui_journal.services.roster import in_group, on_roll

#: A period mark at least this far from the weighted average is «far» (R-AN-2).
FAR_FROM_AVERAGE = 1.0
MAX_SPAN_DAYS = 400

OBJECTIVITY_RULES: dict[str, str] = {
    "far": f"итоговая отметка отличается от среднего балла на {format_average(FAR_FROM_AVERAGE)} и больше",
    "mismatch": "итоговая отметка не совпадает с предложенной по текущим отметкам",
    "no_marks": "итоговая отметка выставлена без текущих отметок",
    "no_control": "в периоде нет ни одной контрольной работы",
}


# --- values -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class JournalControl:
    """One journal (class or subgroup × subject) over a span of days."""

    class_id: int
    class_name: str
    subject_id: int
    subject: str
    group_id: int | None
    group_name: str
    teachers: str
    lessons: int  # held in the span (up to today)
    no_topic: tuple[dt.date, ...]
    no_homework: tuple[dt.date, ...]
    no_roll: tuple[dt.date, ...]
    late: int  # entries made late: marks, attendance, homework after 18:00, topics after the day
    pupils: int
    marks: int
    plan_hours: float  # the thematic plan's hours for the year
    held_on_plan: int  # lessons of the year so far with a topic from the plan
    held_year: int  # lessons of the year so far
    teacher_id: int | None = None  # set in the per-teacher overview

    @property
    def title(self) -> str:
        return f"{class_group(self.class_name, self.group_name)} {self.subject}"

    @property
    def fill(self) -> float | None:
        """Current marks per pupil per lesson (R-DEP-2)."""
        if not self.lessons or not self.pupils:
            return None
        return self.marks / (self.lessons * self.pupils)

    @property
    def fill_text(self) -> str:
        return format_average(self.fill) if self.fill is not None else "—"


@dataclass(frozen=True)
class TeacherLine:
    user_id: int
    name: str
    journals: int
    lessons: int
    no_topic: int
    no_homework: int
    no_roll: int
    late: int
    marks: int
    pupil_lessons: int

    @property
    def fill_text(self) -> str:
        return format_average(self.marks / self.pupil_lessons) if self.pupil_lessons else "—"


@dataclass(frozen=True)
class ObjectivityFlag:
    student_id: int | None  # None for a flag about the whole subject (no control work)
    pupil: str
    subject_id: int
    subject: str
    rule: str  # a key of OBJECTIVITY_RULES
    rule_text: str
    detail: str


@dataclass(frozen=True)
class ActivityLine:
    class_id: int
    class_name: str
    pupils: int
    pupils_with_account: int
    pupils_active: int  # logged in during the span
    parents: int
    parents_active: int


@dataclass(frozen=True)
class Named:
    id: int
    name: str


# --- access and helpers --------------------------------------------------------------------------


def _require(actor: Actor) -> None:
    access.require_any_role(actor, *R.SCHOOL_WIDE, what="контроль ведения журналов")


def _span(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise InvalidInput("Конец периода раньше начала")
    if (end - start).days > MAX_SPAN_DAYS:
        raise InvalidInput(f"Не больше {MAX_SPAN_DAYS} дней за один раз")


def _short(u: User | Student) -> str:
    return surname_initials(u.last_name, u.first_name, u.middle_name or None)


def teachers(actor: Actor) -> list[Named]:
    """Teachers and educators of the school, to choose whose journals to control."""
    _require(actor)
    rows = (
        User.select()
        .join(UserRole)
        .where((User.school == actor.school_id) & UserRole.role.in_([R.TEACHER, R.EDUCATOR]))
        .distinct()
        .order_by(User.last_name, User.first_name)
    )
    return [Named(u.id, full_name(u.last_name, u.first_name, u.middle_name or None)) for u in rows]


def classes(actor: Actor) -> list[Named]:
    """Every class of the school, in grade order."""
    _require(actor)
    rows = list(SchoolClass.select().where(SchoolClass.school == actor.school_id))
    rows.sort(key=class_sort_key)
    return [Named(c.id, class_label(c)) for c in rows]


def periods(actor: Actor, today: dt.date | None = None) -> list[PeriodInfo]:
    """The study periods (quarters…) of the school's year holding ``today`` (else the latest)."""
    _require(actor)
    today = today or clock.today()
    years = list(AcademicYear.select().where(AcademicYear.school == actor.school_id).order_by(AcademicYear.start))
    if not years:
        return []
    year = next((y for y in years if y.start <= today <= y.end), years[-1])
    rows = Period.select().where((Period.year == year.id) & (Period.kind != "holidays")).order_by(Period.start)
    return [PeriodInfo(p.id, p.name, p.start, p.end) for p in rows]


def _roster_sizes(
    keys: Iterable[tuple[int, int | None]], start: dt.date, end: dt.date
) -> dict[tuple[int, int | None], int]:
    """Pupils on the roll of each (class, subgroup) at some point of ``[start, end]``."""
    keys = set(keys)
    class_ids = list({k[0] for k in keys})
    group_ids = [k[1] for k in keys if k[1] is not None]
    pupils: dict[int, set[int]] = defaultdict(set)
    for e in Enrollment.select(Enrollment.school_class, Enrollment.student).where(
        Enrollment.school_class.in_(class_ids or [-1])
        & on_roll(start, end)
    ):
        pupils[e.school_class_id].add(e.student_id)
    members: dict[int, set[int]] = defaultdict(set)
    for gm in GroupMember.select(GroupMember.group, GroupMember.student).where(
        GroupMember.group.in_(group_ids or [-1])
        & in_group(start, end)
    ):
        members[gm.group_id].add(gm.student_id)
    return {
        (c, g): len(pupils[c] if g is None else pupils[c] & members[g])
        for c, g in keys
    }


JournalKey = tuple[int, int, int | None, int | None]  # class, subject, group, teacher (or None)


def _controls(
    lessons: Sequence[Lesson], start: dt.date, end: dt.date, today: dt.date, *, per_teacher: bool = False
) -> list[JournalControl]:
    """Group lessons into journals (per teacher too, for the overview) and count what the
    deputy checks. A fixed number of queries, whatever the number of journals."""
    by_journal: dict[JournalKey, list[Lesson]] = defaultdict(list)
    for ls in lessons:
        by_journal[(ls.school_class_id, ls.subject_id, ls.group_id, ls.teacher_id if per_teacher else None)].append(ls)
    if not by_journal:
        return []
    ids = [ls.id for ls in lessons]
    marks: dict[int, int] = defaultdict(int)
    late_marks: dict[int, int] = defaultdict(int)
    # counted in SQL: a period of a school holds tens of thousands of marks
    mark_counts: Any = (
        Mark.select(Mark.lesson, fn.COUNT(Mark.id), fn.SUM(Case(None, [(Mark.late == True, 1)], 0)))  # noqa: E712
        .where(Mark.lesson.in_(ids))
        .group_by(Mark.lesson)
        .tuples()
    )
    for lesson_id, count, late in mark_counts:
        marks[lesson_id] = int(count)
        late_marks[lesson_id] = int(late or 0)
    attendance: dict[int, int] = defaultdict(int)
    late_attendance: dict[int, int] = defaultdict(int)
    attendance_counts: Any = (
        Attendance.select(
            Attendance.lesson, fn.COUNT(Attendance.id), fn.SUM(Case(None, [(Attendance.late == True, 1)], 0))  # noqa: E712
        )
        .where(Attendance.lesson.in_(ids) & Attendance.code.is_null(False))
        .group_by(Attendance.lesson)
        .tuples()
    )
    for lesson_id, count, late in attendance_counts:
        attendance[lesson_id] = int(count)
        late_attendance[lesson_id] = int(late or 0)
    class_ids = list({k[0] for k in by_journal})
    classes_by_id = {c.id: c for c in SchoolClass.select().where(SchoolClass.id.in_(class_ids))}
    subjects = {s.id: s.name for s in Subject.select().where(Subject.id.in_(list({k[1] for k in by_journal})))}
    group_ids = [k[2] for k in by_journal if k[2] is not None]
    groups = {g.id: g.name for g in Group.select().where(Group.id.in_(group_ids or [-1]))}
    names = {u.id: _short(u) for u in User.select().where(User.id.in_(list({ls.teacher_id for ls in lessons})))}
    plan: dict[tuple[int, int, int | None], float] = defaultdict(float)
    plan_hours: Any = (
        PlanItem.select(PlanItem.school_class, PlanItem.subject, PlanItem.group, fn.SUM(PlanItem.hours))
        .where(PlanItem.school_class.in_(class_ids))
        .group_by(PlanItem.school_class, PlanItem.subject, PlanItem.group)
        .tuples()
    )
    for class_id, subject_id, group_id, hours in plan_hours:
        plan[(class_id, subject_id, group_id)] = float(hours or 0)
    year: dict[tuple[int, int, int | None], list[int]] = defaultdict(lambda: [0, 0])
    year_counts: Any = (
        Lesson.select(Lesson.school_class, Lesson.subject, Lesson.group, fn.COUNT(Lesson.id), fn.COUNT(Lesson.plan_item))
        .where(Lesson.school_class.in_(class_ids) & (Lesson.date <= today))
        .group_by(Lesson.school_class, Lesson.subject, Lesson.group)
        .tuples()
    )
    for class_id, subject_id, group_id, count, on_plan in year_counts:
        year[(class_id, subject_id, group_id)] = [int(count), int(on_plan)]
    sizes = _roster_sizes(((k[0], k[2]) for k in by_journal), start, min(end, today))
    result = []
    for (class_id, subject_id, group_id, teacher_id), items in by_journal.items():
        cls = classes_by_id[class_id]
        allowed = marks_allowed_for(cls)
        held = [ls for ls in items if ls.date <= today]
        late = 0
        for ls in held:
            late += late_marks[ls.id] + late_attendance[ls.id]
            if allowed and homework_is_late(ls.date, ls.homework_set_at):
                late += 1
            if ls.topic_set_at is not None and ls.topic_set_at.date() > ls.date:
                late += 1
        held_year, held_on_plan = year.get((class_id, subject_id, group_id), [0, 0])
        result.append(
            JournalControl(
                class_id=class_id,
                class_name=class_label(cls),
                subject_id=subject_id,
                subject=subjects.get(subject_id, ""),
                group_id=group_id,
                group_name=groups.get(group_id, "") if group_id else "",
                teachers=", ".join(sorted({names.get(ls.teacher_id, "") for ls in items})),
                lessons=len(held),
                no_topic=tuple(ls.date for ls in held if not ls.topic.strip()),
                no_homework=tuple(
                    ls.date
                    for ls in held
                    if allowed and not (ls.homework.strip() or ls.homework_pages.strip() or ls.homework_tasks.strip())
                ),
                no_roll=tuple(ls.date for ls in held if ls.roll_taken_at is None and not attendance[ls.id]),
                late=late,
                pupils=sizes.get((class_id, group_id), 0),
                marks=sum(marks[ls.id] for ls in held),
                plan_hours=plan.get((class_id, subject_id, group_id), 0.0),
                held_on_plan=held_on_plan,
                held_year=held_year,
                teacher_id=teacher_id,
            )
        )
    result.sort(key=lambda j: (class_sort_key(classes_by_id[j.class_id]), j.subject, j.group_name))
    return result


#: The columns the control needs (a school's period holds thousands of lessons).
_LESSON_FIELDS = (
    Lesson.id, Lesson.school_class, Lesson.subject, Lesson.group, Lesson.teacher, Lesson.date, Lesson.number,
    Lesson.topic, Lesson.homework, Lesson.homework_pages, Lesson.homework_tasks, Lesson.topic_set_at,
    Lesson.homework_set_at, Lesson.roll_taken_at,
)


def _lessons(where: Any, start: dt.date, end: dt.date) -> list[Lesson]:
    return list(
        Lesson.select(*_LESSON_FIELDS)
        .where(where & (Lesson.date >= start) & (Lesson.date <= end))
        .order_by(Lesson.date, Lesson.number)
    )


def teacher_control(
    actor: Actor, teacher_id: int, start: dt.date, end: dt.date, today: dt.date | None = None
) -> list[JournalControl]:
    """The journals of one teacher: the lessons he gave in ``[start, end]``."""
    _require(actor)
    _span(start, end)
    teacher = access.row_in_school(User, actor, teacher_id, f"Учитель не найден: {teacher_id}")
    return _controls(_lessons(Lesson.teacher == teacher.id, start, end), start, end, today or clock.today())


def class_control(
    actor: Actor, class_id: int, start: dt.date, end: dt.date, today: dt.date | None = None
) -> list[JournalControl]:
    """The journals of one class, per subject (and subgroup)."""
    _require(actor)
    _span(start, end)
    cls = access.class_in_school(actor, class_id)
    return _controls(_lessons(Lesson.school_class == cls.id, start, end), start, end, today or clock.today())


def teachers_overview(
    actor: Actor, start: dt.date, end: dt.date, today: dt.date | None = None
) -> list[TeacherLine]:
    """Every teacher's totals over ``[start, end]`` (R-DEP-2: teachers' activity)."""
    _require(actor)
    _span(start, end)
    today = today or clock.today()
    school_classes = SchoolClass.select(SchoolClass.id).where(SchoolClass.school == actor.school_id)
    lessons = _lessons(Lesson.school_class.in_(school_classes), start, end)
    by_teacher: dict[int | None, list[JournalControl]] = defaultdict(list)
    for journal in _controls(lessons, start, end, today, per_teacher=True):
        by_teacher[journal.teacher_id].append(journal)
    result = []
    for person in teachers(actor):
        journals = by_teacher.get(person.id, [])
        result.append(
            TeacherLine(
                user_id=person.id,
                name=person.name,
                journals=len(journals),
                lessons=sum(j.lessons for j in journals),
                no_topic=sum(len(j.no_topic) for j in journals),
                no_homework=sum(len(j.no_homework) for j in journals),
                no_roll=sum(len(j.no_roll) for j in journals),
                late=sum(j.late for j in journals),
                marks=sum(j.marks for j in journals),
                pupil_lessons=sum(j.lessons * j.pupils for j in journals),
            )
        )
    return result


# --- objectivity (R-AN-2) -----------------------------------------------------------------------


def _period(cls: SchoolClass, period_id: int | None, today: dt.date) -> PeriodInfo:
    periods = periods_of_class(cls)
    if not periods:
        raise NotFound("Для учебного года не заданы периоды (четверти)")
    if period_id is None:
        return current_period(periods, today)
    found = next((p for p in periods if p.id == period_id), None)
    if found is None:
        raise NotFound(f"Период не найден: {period_id}")
    return found


def objectivity(
    actor: Actor, class_id: int, period_id: int | None = None, today: dt.date | None = None
) -> tuple[PeriodInfo, list[ObjectivityFlag]]:
    """Period marks far from (or unlike) the current marks, and subjects without a control
    work in the period, each flag with its rule."""
    _require(actor)
    cls = access.class_in_school(actor, class_id)
    today = today or clock.today()
    period = _period(cls, period_id, today)
    if not marks_allowed_for(cls):
        return period, []
    policy = policy_of(actor.school_id)
    wts = {w.id: w for w in WorkType.select().where(WorkType.school == actor.school_id)}
    lessons = list(
        Lesson.select().where(
            (Lesson.school_class == cls.id) & (Lesson.date >= period.start) & (Lesson.date <= period.end)
        )
    )
    by_id = {ls.id: ls for ls in lessons}
    subject_rows = list(Subject.select().where(Subject.school == actor.school_id))
    subjects = {s.id: s.name for s in subject_rows}
    #: subjects that have no control works by their nature (Музыка, ИЗО, Физкультура …)
    no_control_works = {s.id for s in subject_rows if not s.has_control_works}
    weighted: dict[tuple[int, int], list[WeightedMark]] = defaultdict(list)
    control_subjects: set[int] = set()
    for ls in lessons:
        if ls.work_type_id in wts and wts[ls.work_type_id].is_control:
            control_subjects.add(ls.subject_id)
    plan_control = {
        p.id for p in PlanItem.select(PlanItem.id).where((PlanItem.school_class == cls.id) & (PlanItem.kind == "контрольная"))
    }
    for ls in lessons:
        if ls.plan_item_id in plan_control:
            control_subjects.add(ls.subject_id)
    for m in Mark.select().where(Mark.lesson.in_(list(by_id) or [-1])):
        ls = by_id[m.lesson_id]
        wt = wts.get(m.work_type_id) if m.work_type_id is not None else None
        if wt is not None and wt.is_control:
            control_subjects.add(ls.subject_id)
        value = numeric_value(m.value)
        if value is not None:
            weighted[(m.student_id, ls.subject_id)].append(WeightedMark(value, float(wt.weight) if wt else 1.0))
    pupils = {s.id: s for s in Student.select().join(Enrollment).where(Enrollment.school_class == cls.id)}
    flags: list[ObjectivityFlag] = []
    for pm in PeriodMark.select().where(
        (PeriodMark.school_class == cls.id) & (PeriodMark.period == period.id) & (PeriodMark.kind == "period")
    ):
        value = numeric_value(pm.value)
        if value is None:
            continue
        marks = weighted.get((pm.student_id, pm.subject_id), [])
        pupil = pupils.get(pm.student_id)
        name = _short(pupil) if pupil else str(pm.student_id)
        subject = subjects.get(pm.subject_id, "")
        average = weighted_average(marks)
        reason = f"; причина учителя: {pm.reason}" if pm.reason else ""
        if average is None:
            flags.append(
                ObjectivityFlag(pm.student_id, name, pm.subject_id, subject, "no_marks", OBJECTIVITY_RULES["no_marks"],
                                f"итоговая {pm.value}, текущих отметок нет{reason}")
            )
            continue
        proposal = propose_period_mark(marks, policy)
        detail = f"итоговая {pm.value}, средний балл {format_average(average)}, предложено {proposal.value}{reason}"
        if abs(value - average) >= FAR_FROM_AVERAGE - 1e-9:
            flags.append(ObjectivityFlag(pm.student_id, name, pm.subject_id, subject, "far", OBJECTIVITY_RULES["far"], detail))
        elif proposal.value.isdigit() and proposal.value != pm.value:
            flags.append(
                ObjectivityFlag(pm.student_id, name, pm.subject_id, subject, "mismatch", OBJECTIVITY_RULES["mismatch"], detail)
            )
    held_subjects = {ls.subject_id for ls in lessons if ls.date <= today} - no_control_works
    for sid in sorted(held_subjects - control_subjects, key=lambda s: subjects.get(s, "")):
        count = sum(1 for ls in lessons if ls.subject_id == sid and ls.date <= today)
        flags.append(
            ObjectivityFlag(None, "", sid, subjects.get(sid, ""), "no_control", OBJECTIVITY_RULES["no_control"],
                            f"{period.name}: {words.count(count, words.LESSONS)}, ни одного с видом работы «контрольная»")
        )
    flags.sort(key=lambda f: (f.subject, f.rule != "no_control", f.pupil))
    return period, flags


# --- parents' and pupils' activity (R-DEP-2) -----------------------------------------------------


def _active(user_ids: Iterable[int | None], start: dt.date, end: dt.date) -> set[int]:
    ids = [i for i in set(user_ids) if i is not None]
    if not ids:
        return set()
    return {
        e.user_id
        for e in LoginEvent.select(LoginEvent.user).where(
            LoginEvent.user.in_(ids)
            & (LoginEvent.outcome == "ok")
            & (LoginEvent.at >= dt.datetime.combine(start, dt.time()))
            & (LoginEvent.at < dt.datetime.combine(end + dt.timedelta(days=1), dt.time()))
        )
        if e.user_id is not None
    }


def activity(actor: Actor, start: dt.date, end: dt.date) -> list[ActivityLine]:
    """Per class: how many pupils and parents logged in during ``[start, end]``."""
    _require(actor)
    _span(start, end)
    result = []
    for named in classes(actor):
        pupils = list(
            Student.select()
            .join(Enrollment)
            .where(
                (Enrollment.school_class == named.id)
                & on_roll(start, end)
            )
            .distinct()
        )
        accounts = [p.user_id for p in pupils if p.user_id]
        parents = {
            g.parent_id for g in GuardianLink.select(GuardianLink.parent).where(GuardianLink.student.in_([p.id for p in pupils] or [-1]))
        }
        result.append(
            ActivityLine(
                class_id=named.id,
                class_name=named.name,
                pupils=len(pupils),
                pupils_with_account=len(accounts),
                pupils_active=len(_active(accounts, start, end)),
                parents=len(parents),
                parents_active=len(_active(parents, start, end)),
            )
        )
    return result
