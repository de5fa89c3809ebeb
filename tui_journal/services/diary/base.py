"""What every part of the diary shares: who may read a pupil's diary, his class on a day,
his name as the screens show it, and the small lookups (bells, work types, marks, attendance,
names, holidays) the week, the marks and the timetable are built from.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tui_journal import clock
from tui_journal.db.models import (
    Attendance,
    Bell,
    BellSchedule,
    Enrollment,
    Lesson,
    Mark,
    Period,
    Room,
    SchoolClass,
    Student,
    Subject,
    User,
    WorkType,
)
from tui_journal.domain.text import full_name, homework_line, surname_initials
from tui_journal.services import access
from tui_journal.services.actor import Actor
from tui_journal.services.journal import class_label


@dataclass(frozen=True)
class StudentRef:
    id: int
    name: str  # «Учеников Коля»
    short: str  # «Учеников К.»
    class_id: int | None
    class_name: str  # «7А», or "" when the pupil is not on a roll now

    @property
    def title(self) -> str:
        return f"{self.name}, {self.class_name}" if self.class_name else self.name


# --- access --------------------------------------------------------------------------------


def require_diary(actor: Actor, student_id: int) -> Student:
    """The pupil himself, his parents, and the staff who read his class's journal."""
    student = access.student_in_school(actor, student_id)
    if student.id in access.own_student_ids(actor) | access.children_ids(actor):
        return student
    if actor.school_wide:
        return student
    classes = {
        e.school_class_id
        for e in Enrollment.select(Enrollment.school_class).where(Enrollment.student == student.id)
    }
    if classes & (access.led_class_ids(actor) | access.taught_class_ids(actor)):
        return student
    raise access.deny("дневник этого учащегося")


def class_on(student_id: int, day: dt.date) -> SchoolClass | None:
    """The pupil's class on ``day``, else his latest one."""
    rows = list(
        Enrollment.select(Enrollment, SchoolClass)
        .join(SchoolClass)
        .where(Enrollment.student == student_id)
        .order_by(Enrollment.start.desc())
    )
    for e in rows:
        if e.start <= day and (e.end is None or e.end >= day):
            return e.school_class
    current = [e for e in rows if e.end is None]
    if current:
        return current[0].school_class
    return rows[0].school_class if rows else None


def student_ref(student: Student, day: dt.date | None = None) -> StudentRef:
    """The pupil's name and class as the screens show them (no permission check: callers have one)."""
    cls = class_on(student.id, day or clock.today())
    return StudentRef(
        id=student.id,
        name=full_name(student.last_name, student.first_name, student.middle_name or None),
        short=surname_initials(student.last_name, student.first_name, student.middle_name or None),
        class_id=cls.id if cls else None,
        class_name=class_label(cls) if cls else "",
    )


def diary_students(actor: Actor, today: dt.date | None = None) -> list[StudentRef]:
    """Whose diary the actor opens from the home screen: himself (a pupil) or his children."""
    ids = access.own_student_ids(actor) | access.children_ids(actor)
    students = Student.select().where(Student.id.in_(list(ids) or [-1]) & (Student.school == actor.school_id))
    refs = [student_ref(s, today) for s in students]
    return sorted(refs, key=lambda r: (r.name, r.id))


# --- shared lookups (also used by the class teacher's and the deputy's services) ----------


def bell_times(school_id: int) -> dict[int, str]:
    """Lesson number → «08:30–09:15» from the school's first bell schedule."""
    schedule = (
        BellSchedule.select().where(BellSchedule.school == school_id).order_by(BellSchedule.id).first()
    )
    if schedule is None:
        return {}
    return {
        b.number: f"{b.starts:%H:%M}–{b.ends:%H:%M}"
        for b in Bell.select().where(Bell.schedule == schedule.id)
    }


def work_types_of(school_id: int) -> dict[int, WorkType]:
    """The school's work types by id (their names and weights)."""
    return {w.id: w for w in WorkType.select().where(WorkType.school == school_id)}


def marks_of(student_id: int, lesson_ids: Sequence[int]) -> dict[int, list[Mark]]:
    """The pupil's marks of these lessons, lesson id → marks in their order in the cell."""
    found: dict[int, list[Mark]] = defaultdict(list)
    if not lesson_ids:
        return found
    for m in (
        Mark.select()
        .where((Mark.student == student_id) & Mark.lesson.in_(list(lesson_ids)))
        .order_by(Mark.position, Mark.id)
    ):
        found[m.lesson_id].append(m)
    return found


def attendance_of(student_id: int, lesson_ids: Sequence[int]) -> dict[int, Attendance]:
    """The pupil's attendance records of these lessons, by lesson id."""
    if not lesson_ids:
        return {}
    return {
        a.lesson_id: a
        for a in Attendance.select().where(
            (Attendance.student == student_id) & Attendance.lesson.in_(list(lesson_ids))
        )
    }


def names_of(model: type[Subject] | type[Room], ids: Iterable[int | None]) -> dict[int, str]:
    """Subject or room names by id (None ids are skipped)."""
    wanted = [i for i in set(ids) if i is not None]
    if not wanted:
        return {}
    return {row.id: row.name for row in model.select().where(model.id.in_(wanted))}


def teacher_names(ids: Iterable[int | None]) -> dict[int, str]:
    """Teachers' «Фамилия И. О.» by user id (None ids are skipped)."""
    wanted = [i for i in set(ids) if i is not None]
    if not wanted:
        return {}
    return {
        u.id: surname_initials(u.last_name, u.first_name, u.middle_name or None)
        for u in User.select().where(User.id.in_(wanted))
    }


def homework_text(lesson: Lesson, individual: str = "") -> str:
    """The homework as one line: text, pages, tasks, and the pupil's own task."""
    return homework_line(lesson.homework, lesson.homework_pages, lesson.homework_tasks, individual)


def holidays_of(year_ids: Iterable[int]) -> list[Period]:
    """The holiday periods of these academic years."""
    ids = list(set(year_ids))
    if not ids:
        return []
    return list(Period.select().where(Period.year.in_(ids) & (Period.kind == "holidays")))
