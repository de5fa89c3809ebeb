"""What the journal modules share: the values the screens receive and the small helpers
(class labels, rounding policy, cell views, lesson and work-type lookups).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from tui_journal.db.models import (
    AcademicYear,
    Attendance,
    Enrollment,
    GroupMember,
    Lesson,
    Mark,
    School,
    SchoolClass,
    Student,
    WorkType,
)
from tui_journal.domain import attendance as att
from tui_journal.domain import text
from tui_journal.domain.grading import Proposal, RoundingPolicy
from tui_journal.domain.marks import (
    InvalidMark,
    cell_text,
    normalize_mark,
    point_marks_allowed,
)
from tui_journal.domain.text import class_group
from tui_journal.services import access
from tui_journal.services.actor import Actor
from tui_journal.services.errors import InvalidInput, PermissionDenied
from tui_journal.services.roster import in_group, on_roll

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
        return f"{class_group(self.class_name, self.group_name)} — {self.subject_name}"


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
    return text.class_label(cls.grade, cls.letter)


def class_sort_key(cls: SchoolClass) -> tuple[bool, int, str]:
    """The key that lists classes in the school's order (see :func:`text.class_order`)."""
    return text.class_order(cls.grade, cls.letter)


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


def writable_lesson(actor: Actor, lesson_id: int) -> Lesson:
    lesson = access.lesson_in_school(actor, lesson_id)
    access.require_lesson_writable(actor, lesson)
    year = AcademicYear.get_by_id(lesson.school_class.year_id)
    if year.closed:
        raise PermissionDenied(f"Учебный год {year.name} закрыт: записи только для чтения")
    return lesson


def student_of_lesson(lesson: Lesson, student_id: int) -> Student:
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


def work_type_of(actor: Actor, work_type_id: int | None) -> WorkType | None:
    if work_type_id is None:
        return None
    wt = WorkType.get_or_none((WorkType.id == work_type_id) & (WorkType.school == actor.school_id))
    if wt is None:
        raise InvalidInput(f"Вид работы не найден: {work_type_id}")
    return wt


def default_work_type(actor: Actor, lesson: Lesson) -> WorkType | None:
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


def cell_view(lesson_id: int, student_id: int) -> CellView:
    marks = list(
        Mark.select()
        .where((Mark.lesson == lesson_id) & (Mark.student == student_id))
        .order_by(Mark.position, Mark.id)
    )
    record = Attendance.get_or_none((Attendance.lesson == lesson_id) & (Attendance.student == student_id))
    return make_cell(marks, record)


def _work_types_by_id(ids: set[int]) -> dict[int, WorkType]:
    if not ids:
        return {}
    return {w.id: w for w in WorkType.select().where(WorkType.id.in_(list(ids)))}


def make_cell(marks: Sequence[Mark], record: Attendance | None) -> CellView:
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
