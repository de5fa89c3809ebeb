"""The teacher's journal (R-J-1..8): the grade grid, marks, attendance, lessons, period marks.

Reading a grid needs the class to be visible to the actor; every write needs the lesson to
be writable (his own class/group and subject, or a lesson he substitutes). Each write is
one short transaction with its audit rows, so a mark typed is either saved whole or not
at all.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from tui_journal import clock
from tui_journal.db.models import (
    AcademicYear,
    Assignment,
    Attendance,
    Enrollment,
    Group,
    GroupMember,
    IndividualHomework,
    Lesson,
    Mark,
    Period,
    PeriodMark,
    PlanItem,
    School,
    SchoolClass,
    Student,
    Subject,
    TimetableSlot,
    User,
    WorkType,
    now,
)
from tui_journal.domain import attendance as att
from tui_journal.domain import ru_words as words
from tui_journal.domain.grading import Proposal, RoundingPolicy, propose_period_mark
from tui_journal.domain.marks import (
    CellEntry,
    InvalidCell,
    InvalidMark,
    WeightedMark,
    cell_text,
    format_cell,
    normalize_mark,
    numeric_value,
    parse_cell,
    point_marks_allowed,
    weighted_average,
)
from tui_journal.domain.text import surname_initials
from tui_journal.services import access, audit, user_text
from tui_journal.services import roles as R
from tui_journal.services.actor import Actor
from tui_journal.services.errors import InvalidInput, NotFound, PermissionDenied
from tui_journal.services.roster import in_group, on_roll, roster_on
from tui_journal.services.tx import write_tx

#: Homework entered after this hour of the lesson's day is marked late (regulation 4.4.7).
HOMEWORK_DEADLINE = dt.time(18, 0)
PERIOD_KINDS = ("period", "year", "exam", "final")
NO_MARKS_IN_GRADE_1 = "В 1-х классах и группах ГКП отметки не ставятся (п. 3.8 Положения)"
NO_HOMEWORK_IN_GRADE_1 = "В 1-х классах и группах ГКП домашние задания не задаются (п. 3.8 Положения)"


# --- values the screens receive --------------------------------------------------------


@dataclass(frozen=True)
class JournalRef:
    """One journal: a class (or its subgroup) and a subject."""

    class_id: int
    class_name: str
    subject_id: int
    subject_name: str
    group_id: int | None = None
    group_name: str = ""
    writable: bool = False

    @property
    def title(self) -> str:
        group = f" ({self.group_name})" if self.group_name else ""
        return f"{self.class_name}{group} — {self.subject_name}"


@dataclass(frozen=True)
class MarkView:
    id: int
    value: str
    work_type: str
    weight: float
    comment: str


@dataclass(frozen=True)
class CellView:
    marks: tuple[MarkView, ...] = ()
    code: str | None = None  # the effective attendance code
    teacher_code: str | None = None
    corrected_code: str | None = None

    @property
    def text(self) -> str:
        return cell_text([m.value for m in self.marks], self.code)


@dataclass(frozen=True)
class ColumnView:
    lesson_id: int
    date: dt.date
    number: int
    topic: str
    homework: str
    work_type_id: int | None
    work_type: str
    teacher: str
    substitution: bool
    roll_taken: bool
    homework_due: dt.date | None = None  # the day the homework is for (set, or the next lesson)


@dataclass(frozen=True)
class RowView:
    student_id: int
    number: int
    name: str
    full_name: str
    note: str  # «выбыл 12.10», «прибыл 05.11»


@dataclass(frozen=True)
class PeriodInfo:
    id: int
    name: str
    start: dt.date
    end: dt.date


@dataclass
class Grid:
    ref: JournalRef
    period: PeriodInfo
    periods: list[PeriodInfo]
    columns: list[ColumnView]
    rows: list[RowView]
    cells: dict[tuple[int, int], CellView]
    averages: dict[int, float | None]
    proposals: dict[int, Proposal]
    period_marks: dict[int, str]
    work_types: list[tuple[int, str, float]]
    policy: RoundingPolicy
    marks_allowed: bool
    writable: bool
    notes: list[str] = field(default_factory=list)

    def cell(self, student_id: int, lesson_id: int) -> CellView:
        return self.cells.get((student_id, lesson_id), CellView())


# --- helpers -----------------------------------------------------------------------------


def class_label(cls: SchoolClass) -> str:
    return cls.letter if cls.grade == 0 else f"{cls.grade}{cls.letter}"


def marks_allowed_for(cls: SchoolClass) -> bool:
    """No point marks and no homework in grade 1 and preschool groups (R-J-8, 3.8)."""
    return point_marks_allowed(cls.grade, cls.kind)


def policy_of(school_id: int) -> RoundingPolicy:
    school = School.get_by_id(school_id)
    return policy_from(school.rounding, (school.threshold_5, school.threshold_4, school.threshold_3), school.min_marks)


def policy_from(rounding: str, thresholds: tuple[float, float, float], min_marks: int) -> RoundingPolicy:
    """The school's grading policy from its stored values; raises ValueError (Russian) on nonsense."""
    mode: Literal["half_up", "threshold"] = "threshold" if rounding == "threshold" else "half_up"
    if rounding not in ("half_up", "threshold"):
        raise ValueError(f"Неизвестный способ округления «{rounding}»: допустимы half_up и threshold.")
    return RoundingPolicy(mode=mode, thresholds=thresholds, min_marks=min_marks)


def check_period_mark_value(value: str) -> str:
    """A period (year, exam, final) mark as stored: 2–5, н/а, осв, зач, незач; typed forms
    («na», «осв.») are normalised. Raises InvalidInput with the Russian reason."""
    try:
        value = normalize_mark(value)
    except InvalidMark as exc:
        raise InvalidInput(str(exc)) from exc
    if value == "1":
        raise InvalidInput("Итоговая отметка «1» не ставится: используйте 2 или н/а")
    return value


def _writable_lesson(actor: Actor, lesson_id: int) -> Lesson:
    lesson = access.lesson_in_school(actor, lesson_id)
    access.require_lesson_writable(actor, lesson)
    year = AcademicYear.get_by_id(lesson.school_class.year_id)
    if year.closed:
        raise PermissionDenied(f"Учебный год {year.name} закрыт: записи только для чтения")
    return lesson


def _student_of_lesson(lesson: Lesson, student_id: int) -> Student:
    """The pupil must be on the lesson's roll (class, or the group) on the lesson's day."""
    enrolled = Enrollment.select().where(
        (Enrollment.student == student_id)
        & (Enrollment.school_class == lesson.school_class_id)
        & on_roll(lesson.date)
    )
    if not enrolled.exists():
        raise InvalidInput("Учащийся не числится в классе на дату урока")
    if lesson.group_id is not None:
        member = GroupMember.select().where(
            (GroupMember.student == student_id)
            & (GroupMember.group == lesson.group_id)
            & in_group(lesson.date)
        )
        if not member.exists():
            raise InvalidInput("Учащийся не входит в эту группу")
    student: Student = Student.get_by_id(student_id)
    return student


def _work_type(actor: Actor, work_type_id: int | None) -> WorkType | None:
    if work_type_id is None:
        return None
    wt = WorkType.get_or_none((WorkType.id == work_type_id) & (WorkType.school == actor.school_id))
    if wt is None:
        raise InvalidInput(f"Вид работы не найден: {work_type_id}")
    return wt


def _default_work_type(actor: Actor, lesson: Lesson) -> WorkType | None:
    if lesson.work_type_id is not None:
        wt: WorkType = WorkType.get_by_id(lesson.work_type_id)
        return wt
    found: WorkType | None = (
        WorkType.select()
        .where(WorkType.school == actor.school_id)
        .order_by(WorkType.id)
        .first()
    )
    return found


def _cell_view(lesson_id: int, student_id: int) -> CellView:
    marks = list(
        Mark.select()
        .where((Mark.lesson == lesson_id) & (Mark.student == student_id))
        .order_by(Mark.position, Mark.id)
    )
    record = Attendance.get_or_none((Attendance.lesson == lesson_id) & (Attendance.student == student_id))
    return _make_cell(marks, record)


def _work_types_by_id(ids: set[int]) -> dict[int, WorkType]:
    if not ids:
        return {}
    return {w.id: w for w in WorkType.select().where(WorkType.id.in_(list(ids)))}


def _make_cell(marks: Sequence[Mark], record: Attendance | None) -> CellView:
    wts = _work_types_by_id({m.work_type_id for m in marks if m.work_type_id is not None})
    views = tuple(
        MarkView(
            id=m.id,
            value=m.value,
            work_type=wts[m.work_type_id].name if m.work_type_id in wts else "",
            weight=float(wts[m.work_type_id].weight) if m.work_type_id in wts else 1.0,
            comment=m.comment,
        )
        for m in marks
    )
    if record is None:
        return CellView(marks=views)
    return CellView(
        marks=views,
        code=att.effective_code(record.code, record.corrected_code),
        teacher_code=record.code,
        corrected_code=record.corrected_code,
    )


# --- reading -----------------------------------------------------------------------------


def my_journals(actor: Actor) -> list[JournalRef]:
    """The journals the actor works with: his assignments; everything for school-wide roles;
    his class's subjects for a class teacher."""
    refs: dict[tuple[int, int, int | None], JournalRef] = {}

    def add(a: Assignment, writable: bool) -> None:
        cls = a.school_class
        key = (cls.id, a.subject_id, a.group_id)
        group = a.group.name if a.group is not None else ""
        refs[key] = JournalRef(cls.id, class_label(cls), a.subject_id, a.subject.name, a.group_id, group, writable)

    base = (
        Assignment.select(Assignment, SchoolClass, Subject)
        .join(SchoolClass)
        .switch(Assignment)
        .join(Subject)
        .where(SchoolClass.school == actor.school_id)
    )
    if actor.user_id is not None and actor.has(R.TEACHER, R.EDUCATOR):
        for a in base.where(Assignment.teacher == actor.user_id):
            add(a, True)
    if actor.user_id is not None:
        # lessons he substitutes (R-J-7): the journal opens for him, writable in those lessons
        subs = (
            Lesson.select(Lesson.school_class, Lesson.subject, Lesson.group)
            .join(SchoolClass)
            .where(
                (Lesson.teacher == actor.user_id)
                & Lesson.replaced_teacher.is_null(False)
                & (SchoolClass.school == actor.school_id)
            )
            .distinct()
        )
        for ls in subs:
            key = (ls.school_class_id, ls.subject_id, ls.group_id)
            if key not in refs:
                cls = SchoolClass.get_by_id(ls.school_class_id)
                group = Group.get_by_id(ls.group_id).name if ls.group_id else ""
                refs[key] = JournalRef(
                    cls.id, class_label(cls), ls.subject_id, Subject.get_by_id(ls.subject_id).name,
                    ls.group_id, f"{group} замена".strip(), True,
                )
    # read-only: every journal for the school-wide roles, the whole class for its class teacher
    readable = access.visible_class_ids(actor) if actor.school_wide else access.led_class_ids(actor)
    if readable:
        for a in base.where(SchoolClass.id.in_(list(readable))):
            key = (a.school_class_id, a.subject_id, a.group_id)
            if key not in refs:
                add(a, False)
    return sorted(refs.values(), key=lambda r: (_grade_key(r.class_name), r.subject_name, r.group_name))


def _grade_key(name: str) -> tuple[int, str]:
    digits = "".join(ch for ch in name if ch.isdigit())
    return (int(digits) if digits else 0, name)


def require_journal_visible(actor: Actor, class_id: int) -> None:
    """Journals are read by the school-wide roles, the class teacher and the class's teachers.

    Pupils and parents read the diary instead; the secretary keeps the lists, not journals.
    """
    if actor.school_wide:
        return
    if class_id in access.led_class_ids(actor) | access.taught_class_ids(actor):
        return
    raise access.deny("журнал этого класса")


def periods_of_class(cls: SchoolClass) -> list[PeriodInfo]:
    rows = (
        Period.select()
        .where((Period.year == cls.year_id) & (Period.kind != "holidays"))
        .order_by(Period.start)
    )
    return [PeriodInfo(p.id, p.name, p.start, p.end) for p in rows]


def current_period(periods: Sequence[PeriodInfo], today: dt.date | None = None) -> PeriodInfo:
    today = today or clock.today()
    for p in periods:
        if p.start <= today <= p.end:
            return p
    past = [p for p in periods if p.start <= today]
    return past[-1] if past else periods[0]


def _roster(cls: SchoolClass, group_id: int | None, start: dt.date, end: dt.date) -> list[RowView]:
    enrollments = roster_on(cls.id, start, end)
    members: set[int] | None = None
    if group_id is not None:
        members = {
            m.student_id
            for m in GroupMember.select().where((GroupMember.group == group_id) & in_group(start, end))
        }
    by_student: dict[int, tuple[Student, str]] = {}
    for e in enrollments:
        if members is not None and e.student_id not in members:
            continue
        note = ""
        sex = words.sex_of(e.student.middle_name, e.student.sex)
        if e.end is not None and e.end <= end:
            note = f"{words.gendered('выбыл', sex)} {e.end:%d.%m}"
        elif e.start > start:
            note = f"{words.gendered('прибыл', sex)} {e.start:%d.%m}"
        by_student[e.student_id] = (e.student, note)
    ordered = sorted(by_student.values(), key=lambda p: (p[0].last_name, p[0].first_name, p[0].middle_name))
    return [
        RowView(
            student_id=s.id,
            number=i + 1,
            name=surname_initials(s.last_name, s.first_name, s.middle_name or None),
            full_name=" ".join(x for x in (s.last_name, s.first_name, s.middle_name) if x),
            note=note,
        )
        for i, (s, note) in enumerate(ordered)
    ]


def _ref_for(actor: Actor, cls: SchoolClass, subject_id: int, group_id: int | None) -> JournalRef:
    subject = Subject.get_or_none((Subject.id == subject_id) & (Subject.school == actor.school_id))
    if subject is None:
        raise NotFound(f"Предмет не найден: {subject_id}")
    group_name = ""
    if group_id is not None:
        group = Group.get_or_none((Group.id == group_id) & (Group.school_class == cls.id))
        if group is None:
            raise NotFound(f"Группа не найдена: {group_id}")
        group_name = group.name
    writable = access.teaches(actor, cls.id, subject_id, group_id) and actor.has(R.TEACHER, R.EDUCATOR)
    return JournalRef(cls.id, class_label(cls), subject_id, subject.name, group_id, group_name, writable)


def open_grid(
    actor: Actor,
    class_id: int,
    subject_id: int,
    group_id: int | None = None,
    period_id: int | None = None,
    today: dt.date | None = None,
) -> Grid:
    """The grade grid of one class (or subgroup), subject and period."""
    cls = access.class_in_school(actor, class_id)
    if not _substitutes_in(actor, class_id, subject_id, group_id):
        require_journal_visible(actor, class_id)
    ref = _ref_for(actor, cls, subject_id, group_id)
    periods = periods_of_class(cls)
    if not periods:
        raise NotFound("Для учебного года не заданы периоды (четверти)")
    period = next((p for p in periods if p.id == period_id), None) or current_period(periods, today)

    lessons_q = Lesson.select(Lesson, User).join(User, on=(Lesson.teacher == User.id)).where(
        (Lesson.school_class == cls.id)
        & (Lesson.subject == subject_id)
        & (Lesson.date >= period.start)
        & (Lesson.date <= period.end)
    )
    if group_id is None:
        lessons_q = lessons_q.where(Lesson.group.is_null())
    else:
        lessons_q = lessons_q.where(Lesson.group == group_id)
    lessons = list(lessons_q.order_by(Lesson.date, Lesson.number))
    work_types = list(WorkType.select().where(WorkType.school == actor.school_id).order_by(WorkType.id))
    wt_by_id = {w.id: w for w in work_types}
    columns = [_column(ls, wt_by_id, ls.teacher) for ls in lessons]
    if any(ls.homework or ls.homework_pages or ls.homework_tasks for ls in lessons):
        dues = homework_due_dates(lessons)
        columns = [replace(c, homework_due=dues.get(c.lesson_id)) for c in columns]
    rows = _roster(cls, group_id, period.start, period.end)
    cells, weighted = _cells(lessons, rows, wt_by_id)
    policy = policy_of(actor.school_id)
    averages = {r.student_id: weighted_average(weighted.get(r.student_id, [])) for r in rows}
    exempt = _exempt_students(cls.id, subject_id, period.id)
    proposals = {
        r.student_id: propose_period_mark(weighted.get(r.student_id, []), policy, exempt=r.student_id in exempt)
        for r in rows
    }
    period_marks = {
        pm.student_id: pm.value
        for pm in PeriodMark.select().where(
            (PeriodMark.school_class == cls.id)
            & (PeriodMark.subject == subject_id)
            & (PeriodMark.period == period.id)
            & (PeriodMark.kind == "period")
        )
    }
    notes = []
    if not marks_allowed_for(cls):
        notes.append("В 1-х классах и группах ГКП отметки и домашние задания не ставятся (п. 3.8 Положения)")
    return Grid(
        ref=ref,
        period=period,
        periods=periods,
        columns=columns,
        rows=rows,
        cells=cells,
        averages=averages,
        proposals=proposals,
        period_marks=period_marks,
        work_types=[(w.id, w.name, float(w.weight)) for w in work_types],
        policy=policy,
        marks_allowed=marks_allowed_for(cls),
        writable=ref.writable or _substitutes_any(actor, lessons),
        notes=notes,
    )


def _cells(
    lessons: Sequence[Lesson], rows: Sequence[RowView], wt_by_id: dict[int, WorkType]
) -> tuple[dict[tuple[int, int], CellView], dict[int, list[WeightedMark]]]:
    """The cells of these lessons for these pupils, and each pupil's weighted marks."""
    lesson_ids = [ls.id for ls in lessons] or [-1]
    student_ids = [r.student_id for r in rows] or [-1]
    marks_by_cell: dict[tuple[int, int], list[Mark]] = defaultdict(list)
    for m in (
        Mark.select()
        .where(Mark.lesson.in_(lesson_ids) & Mark.student.in_(student_ids))
        .order_by(Mark.position, Mark.id)
    ):
        marks_by_cell[(m.student_id, m.lesson_id)].append(m)
    attendance = {
        (a.student_id, a.lesson_id): a
        for a in Attendance.select().where(Attendance.lesson.in_(lesson_ids) & Attendance.student.in_(student_ids))
    }
    cells: dict[tuple[int, int], CellView] = {}
    weighted: dict[int, list[WeightedMark]] = defaultdict(list)
    for key in set(marks_by_cell) | set(attendance):
        views = tuple(
            MarkView(
                m.id,
                m.value,
                wt_by_id[m.work_type_id].name if m.work_type_id in wt_by_id else "",
                float(wt_by_id[m.work_type_id].weight) if m.work_type_id in wt_by_id else 1.0,
                m.comment,
            )
            for m in marks_by_cell.get(key, [])
        )
        record = attendance.get(key)
        cells[key] = CellView(
            marks=views,
            code=att.effective_code(record.code, record.corrected_code) if record else None,
            teacher_code=record.code if record else None,
            corrected_code=record.corrected_code if record else None,
        )
        for v in views:
            value = numeric_value(v.value)
            if value is not None:
                weighted[key[0]].append(WeightedMark(value, v.weight))
    return cells, weighted


def _column(ls: Lesson, wt_by_id: dict[int, WorkType], teacher: User) -> ColumnView:
    return ColumnView(
        lesson_id=ls.id,
        date=ls.date,
        number=ls.number,
        topic=ls.topic,
        homework=ls.homework,
        work_type_id=ls.work_type_id,
        work_type=wt_by_id[ls.work_type_id].name if ls.work_type_id in wt_by_id else "",
        teacher=surname_initials(teacher.last_name, teacher.first_name, teacher.middle_name or None),
        substitution=ls.replaced_teacher_id is not None,
        roll_taken=ls.roll_taken_at is not None,
    )


def lesson_roll(actor: Actor, lesson_id: int) -> Grid:
    """One lesson as a one-column grid: the roll for the attendance screen.

    Open to whoever may write the lesson (a substitute too) and to the journal's readers.
    """
    lesson = access.lesson_in_school(actor, lesson_id)
    if not access.can_write_lesson(actor, lesson):
        require_journal_visible(actor, lesson.school_class_id)
    cls = lesson.school_class
    ref = JournalRef(
        cls.id,
        class_label(cls),
        lesson.subject_id,
        Subject.get_by_id(lesson.subject_id).name,
        lesson.group_id,
        Group.get_by_id(lesson.group_id).name if lesson.group_id else "",
        access.can_write_lesson(actor, lesson),
    )
    periods = periods_of_class(cls)
    period = current_period(periods, lesson.date) if periods else PeriodInfo(0, "", lesson.date, lesson.date)
    work_types = {w.id: w for w in WorkType.select().where(WorkType.school == actor.school_id)}
    rows = _roster(cls, lesson.group_id, lesson.date, lesson.date)
    cells, _ = _cells([lesson], rows, work_types)
    return Grid(
        ref=ref,
        period=period,
        periods=periods,
        columns=[_column(lesson, work_types, User.get_by_id(lesson.teacher_id))],
        rows=rows,
        cells=cells,
        averages={},
        proposals={},
        period_marks={},
        work_types=[(w.id, w.name, float(w.weight)) for w in work_types.values()],
        policy=policy_of(actor.school_id),
        marks_allowed=marks_allowed_for(cls),
        writable=ref.writable,
    )


def _substitutes_in(actor: Actor, class_id: int, subject_id: int, group_id: int | None) -> bool:
    """Whether the actor substitutes some lesson of this journal (R-J-7)."""
    if actor.user_id is None:
        return False
    query = Lesson.select().where(
        (Lesson.teacher == actor.user_id)
        & (Lesson.school_class == class_id)
        & (Lesson.subject == subject_id)
        & Lesson.replaced_teacher.is_null(False)
    )
    query = query.where(Lesson.group.is_null() if group_id is None else (Lesson.group == group_id))
    return bool(query.exists())


def _substitutes_any(actor: Actor, lessons: Sequence[Lesson]) -> bool:
    return actor.user_id is not None and any(ls.teacher_id == actor.user_id for ls in lessons)


def _exempt_students(class_id: int, subject_id: int, period_id: int) -> set[int]:
    return {
        pm.student_id
        for pm in PeriodMark.select().where(
            (PeriodMark.school_class == class_id)
            & (PeriodMark.subject == subject_id)
            & (PeriodMark.period == period_id)
            & (PeriodMark.value == "осв")
        )
    }


# --- writing a cell ----------------------------------------------------------------------


def _entry_text(entry: CellEntry) -> str:
    return format_cell(list(entry.marks), entry.attendance)


def set_cell(
    actor: Actor,
    lesson_id: int,
    student_id: int,
    text: str,
    *,
    work_type_id: int | None = None,
    today: dt.date | None = None,
) -> CellView:
    """Make the cell hold exactly what ``text`` says («5», «4/5», «н», «о5», «» to clear).

    Marks already in the cell keep their work type and comment when their value stays; new
    marks get ``work_type_id`` or the column's work type. Attendance entered after the
    lesson's day is accepted and flagged late (no hard date locks).
    """
    try:
        entry = parse_cell(text)
    except (InvalidCell, InvalidMark) as exc:
        raise InvalidInput(str(exc)) from exc
    lesson = _writable_lesson(actor, lesson_id)
    student = _student_of_lesson(lesson, student_id)
    if entry.marks and not marks_allowed_for(lesson.school_class):
        raise InvalidInput(NO_MARKS_IN_GRADE_1)
    wt = _work_type(actor, work_type_id) or _default_work_type(actor, lesson)
    today = today or clock.today()
    entity_id = f"{lesson.id}:{student.id}"
    with write_tx():
        existing = list(
            Mark.select().where((Mark.lesson == lesson.id) & (Mark.student == student.id)).order_by(Mark.position, Mark.id)
        )
        record = Attendance.get_or_none((Attendance.lesson == lesson.id) & (Attendance.student == student.id))
        old_text = _make_cell(existing, record).text
        # marks: keep the ones whose value is unchanged at the same position
        numeric_existing = [m for m in existing if m.value.isdigit()]
        for pos, value in enumerate(entry.marks):
            if pos < len(numeric_existing):
                mark = numeric_existing[pos]
                if mark.value != str(value) or mark.position != pos:
                    Mark.update(value=str(value), position=pos).where(Mark.id == mark.id).execute()
            else:
                Mark.create(
                    student=student,
                    lesson=lesson,
                    work_type=wt,
                    value=str(value),
                    position=pos,
                    created_by=actor.user_id,
                    # a mark typed more than a week after the lesson is flagged for the deputy
                    late=lesson.date < today - dt.timedelta(days=7),
                )
        for mark in numeric_existing[len(entry.marks):]:
            Mark.delete().where(Mark.id == mark.id).execute()
        # attendance: the teacher's own code; the class teacher's correction is kept apart
        if entry.attendance is None:
            if record is not None:
                if record.corrected_code:
                    Attendance.update(code=None).where(Attendance.id == record.id).execute()
                else:
                    Attendance.delete().where(Attendance.id == record.id).execute()
        elif record is None:
            Attendance.create(
                student=student,
                lesson=lesson,
                code=entry.attendance,
                entered_by=actor.user_id,
                late=lesson.date < today,
            )
        elif record.code != entry.attendance:
            Attendance.update(
                code=entry.attendance, entered_by=actor.user_id, entered_at=now(), late=lesson.date < today
            ).where(Attendance.id == record.id).execute()
        new_view = _cell_view(lesson.id, student.id)
        if old_text != new_view.text:
            audit.record(actor, "update", "cell", entity_id, "marks+attendance", old_text, new_view.text)
    return new_view


def set_mark_details(
    actor: Actor, mark_id: int, *, work_type_id: int | None = None, comment: str | None = None
) -> MarkView:
    """Change a mark's work type or comment (the edit line of the grid)."""
    mark = Mark.get_or_none(Mark.id == mark_id)
    if mark is None:
        raise NotFound(f"Отметка не найдена: {mark_id}")
    lesson = _writable_lesson(actor, mark.lesson_id)
    wt = _work_type(actor, work_type_id)
    with write_tx():
        before = {"work_type": _wt_name(mark.work_type_id), "comment": mark.comment}
        changes: dict[str, object] = {}
        after: dict[str, object] = {}
        if wt is not None:
            changes["work_type"] = wt.id
            after["work_type"] = wt.name
        if comment is not None:
            comment = user_text.clean(comment, "comment", field="комментарий к отметке")
            changes["comment"] = comment
            after["comment"] = comment
        if changes:
            Mark.update(**changes).where(Mark.id == mark.id).execute()
            audit.record_changes(actor, "mark", f"{lesson.id}:{mark.student_id}:{mark.id}", before, after)
    m = Mark.get_by_id(mark.id)
    wt_row = WorkType.get_or_none(WorkType.id == m.work_type_id)
    return MarkView(m.id, m.value, wt_row.name if wt_row else "", float(wt_row.weight) if wt_row else 1.0, m.comment)


def _wt_name(work_type_id: int | None) -> str:
    if work_type_id is None:
        return ""
    wt = WorkType.get_or_none(WorkType.id == work_type_id)
    return wt.name if wt else ""


def set_column_work_type(actor: Actor, lesson_id: int, work_type_id: int | None) -> None:
    """The work type new marks of this lesson get by default."""
    lesson = _writable_lesson(actor, lesson_id)
    wt = _work_type(actor, work_type_id)
    if lesson.work_type_id == (wt.id if wt else None):
        return
    with write_tx():
        before = _wt_name(lesson.work_type_id)
        Lesson.update(work_type=wt.id if wt else None).where(Lesson.id == lesson.id).execute()
        audit.record_changes(actor, "lesson", lesson.id, {"work_type": before}, {"work_type": wt.name if wt else ""})


def take_roll(actor: Actor, lesson_id: int) -> dt.datetime:
    """Record that the roll was taken (everybody without a code was present)."""
    lesson = _writable_lesson(actor, lesson_id)
    moment = now()
    with write_tx():
        Lesson.update(roll_taken_at=moment).where(Lesson.id == lesson.id).execute()
        audit.record(actor, "update", "lesson", lesson.id, "roll_taken_at", lesson.roll_taken_at, moment)
    return moment


# --- the lesson panel --------------------------------------------------------------------


@dataclass(frozen=True)
class LessonInfo:
    id: int
    class_name: str
    subject: str
    date: dt.date
    number: int
    teacher: str
    topic: str
    plan_item_id: int | None
    work_done: str
    homework: str
    homework_pages: str
    homework_tasks: str
    homework_late: bool
    individual: tuple[tuple[int, str, str], ...]  # (student id, name, text)
    plan: tuple[tuple[int, int, str, str], ...]  # (plan item id, ordinal, topic, kind)
    marks_allowed: bool
    writable: bool
    homework_due: dt.date | None = None  # the teacher's date; None: the next lesson
    homework_next_lesson: dt.date | None = None  # the date of the next lesson of the subject
    # plan items already given to another lesson of this class and subject, and the first
    # item (by ordinal) not held yet: the topic the lesson panel offers for one key
    held: frozenset[int] = frozenset()
    next_plan_item_id: int | None = None


# --- homework: the day it is due -------------------------------------------------------------

#: How far ahead the next lesson of a subject is looked for (holidays included).
DUE_HORIZON_DAYS = 28


def _stream(ls: Lesson) -> tuple[int, int | None, int]:
    """The lessons that follow one another: same class, same subgroup, same subject."""
    return (ls.school_class_id, ls.group_id, ls.subject_id)


def homework_due_dates(lessons: Sequence[Lesson]) -> dict[int, dt.date | None]:
    """Lesson id → the day its homework is due: the teacher's date if he set one, else the
    date of the next lesson of the same subject for the same class or subgroup (a lesson in
    the journal, or else the timetable's next slot); ``None`` if none within four weeks.

    This is how every Russian school diary shows homework: on the day it is to be done for.
    """
    result = next_lesson_dates([ls for ls in lessons if ls.homework_due is None])
    result.update({ls.id: ls.homework_due for ls in lessons if ls.homework_due is not None})
    return result


def next_lesson_dates(lessons: Sequence[Lesson]) -> dict[int, dt.date | None]:
    """Lesson id → the date of the next lesson of the same subject for the same class or
    subgroup (in the journal, or else by the timetable), ``None`` if none within four weeks."""
    result: dict[int, dt.date | None] = {}
    pending: dict[tuple[int, int | None, int], list[Lesson]] = defaultdict(list)
    for ls in lessons:
        pending[_stream(ls)].append(ls)
    for (class_id, group_id, subject_id), items in pending.items():
        first = min(ls.date for ls in items)
        last = max(ls.date for ls in items)
        query = Lesson.select(Lesson.date).where(
            (Lesson.school_class == class_id)
            & (Lesson.subject == subject_id)
            & (Lesson.date > first)
            & (Lesson.date <= last + dt.timedelta(days=DUE_HORIZON_DAYS))
        )
        query = query.where(Lesson.group.is_null() if group_id is None else (Lesson.group == group_id))
        dates = sorted({row.date for row in query})
        slots = None
        for ls in items:
            following = next((d for d in dates if d > ls.date), None)
            if following is None:
                if slots is None:
                    slots = _slot_days(class_id, group_id, subject_id)
                following = _next_slot_day(slots, ls.date)
            result[ls.id] = following
    return result


def _slot_days(class_id: int, group_id: int | None, subject_id: int) -> list[TimetableSlot]:
    query = TimetableSlot.select().where(
        (TimetableSlot.school_class == class_id) & (TimetableSlot.subject == subject_id)
    )
    query = query.where(TimetableSlot.group.is_null() if group_id is None else (TimetableSlot.group == group_id))
    return list(query)


def _next_slot_day(slots: Sequence[TimetableSlot], after: dt.date) -> dt.date | None:
    for offset in range(1, DUE_HORIZON_DAYS + 1):
        day = after + dt.timedelta(days=offset)
        for slot in slots:
            if (
                slot.weekday == day.isoweekday()
                and slot.valid_from <= day
                and (slot.valid_to is None or slot.valid_to >= day)
            ):
                return day
    return None


def lesson_info(actor: Actor, lesson_id: int) -> LessonInfo:
    lesson = access.lesson_in_school(actor, lesson_id)
    if lesson.school_class_id not in access.visible_class_ids(actor):
        raise access.deny("сведения об уроке")
    teacher = User.get_by_id(lesson.teacher_id)
    plan_q = PlanItem.select().where(
        (PlanItem.school_class == lesson.school_class_id) & (PlanItem.subject == lesson.subject_id)
    )
    plan_q = plan_q.where(PlanItem.group.is_null() if lesson.group_id is None else (PlanItem.group == lesson.group_id))
    individual = tuple(
        (h.student_id, surname_initials(h.student.last_name, h.student.first_name, h.student.middle_name or None), h.text)
        for h in IndividualHomework.select(IndividualHomework, Student).join(Student).where(
            IndividualHomework.lesson == lesson.id
        )
    )
    plan = tuple((p.id, p.ordinal, p.topic, p.kind) for p in plan_q.order_by(PlanItem.ordinal))
    held: frozenset[int] = frozenset()
    if plan:
        held = frozenset(
            r.plan_item_id
            for r in Lesson.select(Lesson.plan_item).where(
                (Lesson.plan_item.in_([p[0] for p in plan]))
                & (Lesson.id != lesson.id)
                & Lesson.topic_set_at.is_null(False)  # given, not only laid onto a future lesson
            )
            if r.plan_item_id is not None
        )
    if lesson.plan_item_id is not None and not lesson.topic:
        next_item: int | None = lesson.plan_item_id  # the plan laid onto the lessons put it here
    else:
        next_item = next((p[0] for p in plan if p[0] not in held), None)
    return LessonInfo(
        id=lesson.id,
        class_name=class_label(lesson.school_class),
        subject=Subject.get_by_id(lesson.subject_id).name,
        date=lesson.date,
        number=lesson.number,
        teacher=surname_initials(teacher.last_name, teacher.first_name, teacher.middle_name or None),
        topic=lesson.topic,
        plan_item_id=lesson.plan_item_id,
        work_done=lesson.work_done,
        homework=lesson.homework,
        homework_pages=lesson.homework_pages,
        homework_tasks=lesson.homework_tasks,
        homework_late=homework_is_late(lesson.date, lesson.homework_set_at),
        individual=individual,
        plan=plan,
        marks_allowed=marks_allowed_for(lesson.school_class),
        writable=access.can_write_lesson(actor, lesson),
        homework_due=lesson.homework_due,
        homework_next_lesson=next_lesson_dates([lesson]).get(lesson.id),
        held=held,
        next_plan_item_id=next_item,
    )


def homework_is_late(lesson_date: dt.date, set_at: dt.datetime | None) -> bool:
    """Homework is due by 18:00 of the lesson's day (regulation 4.4.7); later is accepted, flagged."""
    return set_at is not None and set_at > dt.datetime.combine(lesson_date, HOMEWORK_DEADLINE)


def set_lesson_info(
    actor: Actor,
    lesson_id: int,
    *,
    topic: str | None = None,
    plan_item_id: int | None = None,
    work_done: str | None = None,
    homework: str | None = None,
    homework_pages: str | None = None,
    homework_tasks: str | None = None,
    homework_due: dt.date | bool | None = False,
) -> LessonInfo:
    """Topic (typed or from the plan), kinds of work, homework for the whole class (R-J-3, R-J-4).

    ``homework_due``: the day the homework is for; ``None`` clears it (then it is due at the
    next lesson of the subject); ``False`` (the default) leaves it as it is."""
    lesson = _writable_lesson(actor, lesson_id)
    if isinstance(homework_due, dt.date) and homework_due <= lesson.date:
        raise InvalidInput(f"Срок задания {homework_due:%d.%m.%Y} должен быть позже дня урока ({lesson.date:%d.%m.%Y})")
    gives_homework = any(v for v in (homework, homework_pages, homework_tasks))
    if gives_homework and not marks_allowed_for(lesson.school_class):
        raise InvalidInput(NO_HOMEWORK_IN_GRADE_1)
    changes: dict[str, object] = {}
    if plan_item_id is not None:
        item = PlanItem.get_or_none(
            (PlanItem.id == plan_item_id)
            & (PlanItem.school_class == lesson.school_class_id)
            & (PlanItem.subject == lesson.subject_id)
        )
        if item is None:
            raise InvalidInput("Эта тема не из плана этого класса и предмета")
        changes["plan_item"] = item.id
        if topic is None:  # the plan's topic, stored before the boundary existed: cleaned
            changes["topic"] = user_text.clean(item.topic, "topic", field="тема урока", mode="remove")
    for name, value, kind, what in (
        ("topic", topic, "topic", "тема урока"),
        ("work_done", work_done, "work_done", "виды работы"),
        ("homework", homework, "homework", "домашнее задание"),
        ("homework_pages", homework_pages, "homework_ref", "страницы"),
        ("homework_tasks", homework_tasks, "homework_ref", "номера заданий"),
    ):
        if value is not None:
            changes[name] = user_text.clean(value, kind, field=what)
    if homework_due is None or isinstance(homework_due, dt.date):
        changes["homework_due"] = homework_due
    moment = now()
    with write_tx():
        before = {k: getattr(lesson, k if k != "plan_item" else "plan_item_id") for k in changes}
        real = {k: v for k, v in changes.items() if str(before[k] or "") != str(v or "")}
        if "topic" in real:
            real["topic_set_at"] = moment
        if {"homework", "homework_pages", "homework_tasks"} & set(real):
            real["homework_set_at"] = moment
        if real:
            Lesson.update(**real).where(Lesson.id == lesson.id).execute()
            audit.record_changes(
                actor, "lesson", lesson.id, before, {k: v for k, v in real.items() if k in changes}
            )
    return lesson_info(actor, lesson_id)


def set_individual_homework(actor: Actor, lesson_id: int, student_id: int, text: str) -> None:
    """Individual homework for one pupil (empty text removes it)."""
    lesson = _writable_lesson(actor, lesson_id)
    if not marks_allowed_for(lesson.school_class):
        raise InvalidInput(NO_HOMEWORK_IN_GRADE_1)
    _student_of_lesson(lesson, student_id)
    text = user_text.clean(text, "comment", field="индивидуальное задание")
    with write_tx():
        row = IndividualHomework.get_or_none(
            (IndividualHomework.lesson == lesson.id) & (IndividualHomework.student == student_id)
        )
        old = row.text if row else ""
        if text and row:
            IndividualHomework.update(text=text).where(IndividualHomework.id == row.id).execute()
        elif text:
            IndividualHomework.create(lesson=lesson, student=student_id, text=text)
        elif row:
            IndividualHomework.delete().where(IndividualHomework.id == row.id).execute()
        if old != text:
            audit.record(actor, "update", "individual_homework", f"{lesson.id}:{student_id}", "text", old, text)


# --- period marks ------------------------------------------------------------------------


def set_period_mark(
    actor: Actor,
    class_id: int,
    subject_id: int,
    student_id: int,
    value: str,
    *,
    period_id: int | None = None,
    kind: str = "period",
    reason: str = "",
    proposed: str = "",
) -> str:
    """Set a period (or year, exam, final) mark (R-J-5).

    A period mark that differs from the proposal needs the teacher's reason. An empty value
    removes the mark.
    """
    if kind not in PERIOD_KINDS:
        raise InvalidInput(f"Неизвестный вид итоговой отметки: {kind}")
    cls = access.class_in_school(actor, class_id)
    if not (actor.has(R.TEACHER) and access.teaches(actor, class_id, subject_id)):
        raise access.deny("итоговые отметки по этому предмету в этом классе")
    if not marks_allowed_for(cls):
        raise InvalidInput(NO_MARKS_IN_GRADE_1)
    if AcademicYear.get_by_id(cls.year_id).closed:
        raise PermissionDenied("Учебный год закрыт: записи только для чтения")
    if kind == "period" and period_id is None:
        raise InvalidInput("Не указан период")
    if period_id is not None and not Period.select().where(
        (Period.id == period_id) & (Period.year == cls.year_id)
    ).exists():
        raise NotFound(f"Период не найден: {period_id}")
    student = access.student_in_school(actor, student_id)
    on_roll = Enrollment.select().where(
        (Enrollment.student == student.id) & (Enrollment.school_class == class_id)
    ).exists()
    if not on_roll:
        raise InvalidInput("Учащийся не числится в этом классе")
    value = value.strip()
    if value:
        value = check_period_mark_value(value)
    reason = user_text.clean(reason, "reason", field="причина")
    proposed = user_text.clean(proposed, "short_name", field="предложенная отметка")
    if value and proposed and value != proposed and not reason:
        raise InvalidInput(f"Отметка {value} отличается от предложенной {proposed}: укажите причину")
    with write_tx():
        where = (
            (PeriodMark.student == student.id)
            & (PeriodMark.subject == subject_id)
            & (PeriodMark.school_class == class_id)
            & (PeriodMark.kind == kind)
        )
        where &= PeriodMark.period.is_null() if period_id is None else (PeriodMark.period == period_id)
        row = PeriodMark.get_or_none(where)
        old = row.value if row else ""
        if not value:
            if row:
                PeriodMark.delete().where(PeriodMark.id == row.id).execute()
        elif row:
            PeriodMark.update(value=value, proposed=proposed, reason=reason, entered_by=actor.user_id, set_at=now()).where(
                PeriodMark.id == row.id
            ).execute()
        else:
            PeriodMark.create(
                student=student,
                subject=subject_id,
                school_class=class_id,
                period=period_id,
                kind=kind,
                value=value,
                proposed=proposed,
                reason=reason,
                entered_by=actor.user_id,
            )
        if old != value:
            audit.record(actor, "update", "period_mark", f"{kind}:{period_id or '-'}:{class_id}:{subject_id}:{student.id}", "value", old, value)
            if reason:
                audit.record(actor, "update", "period_mark", f"{kind}:{period_id or '-'}:{class_id}:{subject_id}:{student.id}", "reason", None, reason)
    return value


def lessons_of_day(actor: Actor, day: dt.date | None = None) -> list[tuple[int, str, int, str]]:
    """The actor's lessons of a day (for the attendance roll): (lesson id, class, number, subject)."""
    day = day or clock.today()
    if actor.user_id is None:
        return []
    rows = (
        Lesson.select(Lesson, SchoolClass, Subject)
        .join(SchoolClass)
        .switch(Lesson)
        .join(Subject)
        .where((Lesson.teacher == actor.user_id) & (Lesson.date == day) & (SchoolClass.school == actor.school_id))
        .order_by(Lesson.number)
    )
    return [(ls.id, class_label(ls.school_class), ls.number, ls.subject.name) for ls in rows]
