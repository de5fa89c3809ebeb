"""Substitutions (R-J-7): the school's lessons of a day, the teachers free at a lesson, giving
the lesson to one of them and giving it back to the planned teacher.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from peewee import JOIN

from tui_journal.db.models import Group, Lesson, Room, SchoolClass, Subject, TimetableSlot, User, UserRole
from tui_journal.services import access, audit
from tui_journal.services import roles as R
from tui_journal.services.access import require_admin
from tui_journal.services.actor import Actor
from tui_journal.services.checks import open_year, short_user, teacher_by_login
from tui_journal.services.errors import Conflict, InvalidInput
from tui_journal.services.journal import class_label
from tui_journal.services.timetable.base import school_slots, valid_on
from tui_journal.services.tx import write_tx


@dataclass(frozen=True)
class DayLesson:
    id: int
    date: dt.date
    number: int
    class_name: str
    group: str
    subject: str
    teacher_login: str
    teacher: str
    replaced_login: str  # the planned teacher when this lesson is a substitution
    replaced: str
    room: str


@dataclass(frozen=True)
class TeacherOption:
    login: str
    name: str
    note: str  # «ведёт этот предмет» or ""


# --- substitutions (R-J-7) ------------------------------------------------------------


def _day_lessons(query: Iterable[Lesson]) -> list[DayLesson]:
    lessons = list(query)
    user_ids = {ls.teacher_id for ls in lessons} | {ls.replaced_teacher_id for ls in lessons if ls.replaced_teacher_id}
    users = {u.id: u for u in User.select().where(User.id.in_(user_ids))} if user_ids else {}
    subjects = {s.id: s.name for s in Subject.select()} if lessons else {}
    rooms = {r.id: r.name for r in Room.select()} if lessons else {}
    groups = {g.id: g.name for g in Group.select().where(Group.id.in_({ls.group_id for ls in lessons if ls.group_id}))}
    result = []
    for ls in lessons:
        replaced = users.get(ls.replaced_teacher_id or 0)
        result.append(
            DayLesson(
                ls.id, ls.date, ls.number, class_label(ls.school_class), groups.get(ls.group_id or 0, ""),
                subjects.get(ls.subject_id, ""), users[ls.teacher_id].login, short_user(users[ls.teacher_id]),
                replaced.login if replaced else "", short_user(replaced), rooms.get(ls.room_id or 0, ""),
            )
        )
    return sorted(result, key=lambda d: (d.number, d.class_name, d.group))


def lessons_of_day(actor: Actor, day: dt.date) -> list[DayLesson]:
    """Every lesson of the school on a day, for arranging substitutions."""
    require_admin(actor, "замены")
    return _day_lessons(
        Lesson.select(Lesson, SchoolClass).join(SchoolClass).where(
            (SchoolClass.school == actor.school_id) & (Lesson.date == day)
        )
    )


def _busy_with(school_id: int, teacher_id: int, day: dt.date, number: int, exclude_lesson: int) -> str | None:
    """What the teacher already teaches at that day and number (a lesson or a timetable slot)."""
    other = (
        Lesson.select(Lesson, SchoolClass)
        .join(SchoolClass)
        .where(
            (SchoolClass.school == school_id) & (Lesson.date == day) & (Lesson.number == number)
            & (Lesson.teacher == teacher_id) & (Lesson.id != exclude_lesson)
        )
        .first()
    )
    if other is not None:
        found = _day_lessons([other])[0]
        return f"{found.class_name}{f' ({found.group})' if found.group else ''}, {found.subject}, {number}-й урок"
    return None


def free_teachers(actor: Actor, lesson_id: int) -> list[TeacherOption]:
    """Teachers free at the lesson's day and number; those teaching its subject first."""
    require_admin(actor, "замены")
    lesson = access.lesson_in_school(actor, lesson_id)
    busy = {
        ls.teacher_id
        for ls in Lesson.select(Lesson.teacher).join(SchoolClass).where(
            (SchoolClass.school == actor.school_id) & (Lesson.date == lesson.date) & (Lesson.number == lesson.number)
        )
    }
    busy |= {
        s.teacher_id
        for s in school_slots().where(
            (SchoolClass.school == actor.school_id) & (TimetableSlot.weekday == lesson.date.isoweekday())
            & (TimetableSlot.number == lesson.number) & valid_on(lesson.date)
        )
        if not Lesson.select().where((Lesson.slot == s.id) & (Lesson.date == lesson.date)).exists()
    }
    busy.add(lesson.replaced_teacher_id or lesson.teacher_id)
    same_subject = {
        s.teacher_id for s in TimetableSlot.select(TimetableSlot.teacher).where(TimetableSlot.subject == lesson.subject_id)
    }
    teachers = (
        User.select(User)
        .join(UserRole, JOIN.INNER)
        .where((User.school == actor.school_id) & (User.state == "active") & UserRole.role.in_([R.TEACHER]))
        .distinct()
    )
    options = [
        TeacherOption(u.login, short_user(u), "ведёт этот предмет" if u.id in same_subject else "")
        for u in teachers
        if u.id not in busy
    ]
    return sorted(options, key=lambda o: (o.note == "", o.name))


def substitute(actor: Actor, lesson_id: int, teacher_login: str) -> DayLesson:
    """Give the lesson to a free teacher; the planned teacher is kept as the replaced one."""
    require_admin(actor, "замены")
    lesson = access.lesson_in_school(actor, lesson_id)
    open_year(actor, lesson.school_class.year_id)
    teacher = teacher_by_login(actor, teacher_login)
    planned = lesson.replaced_teacher_id or lesson.teacher_id
    if teacher.id == lesson.teacher_id:
        raise InvalidInput(f"{short_user(teacher)} и так ведёт этот урок")
    busy = _busy_with(actor.school_id, teacher.id, lesson.date, lesson.number, lesson.id)
    if busy:
        raise Conflict(f"{short_user(teacher)} в это время ведёт урок: {busy}")
    with write_tx():
        old = User.get_by_id(lesson.teacher_id)
        replaced = None if teacher.id == planned else planned
        Lesson.update(teacher=teacher.id, replaced_teacher=replaced).where(Lesson.id == lesson.id).execute()
        planned_user = User.get_by_id(planned)
        audit.record_changes(
            actor, "lesson", lesson.id,
            {"teacher": old.login, "replaced_teacher": planned_user.login if lesson.replaced_teacher_id else None},
            {"teacher": teacher.login, "replaced_teacher": planned_user.login if replaced else None},
        )
    return _day_lessons([access.lesson_in_school(actor, lesson.id)])[0]


def cancel_substitution(actor: Actor, lesson_id: int) -> DayLesson:
    """Give the lesson back to the planned teacher."""
    require_admin(actor, "замены")
    lesson = access.lesson_in_school(actor, lesson_id)
    open_year(actor, lesson.school_class.year_id)
    if lesson.replaced_teacher_id is None:
        raise InvalidInput("Этот урок не замена")
    planned = User.get_by_id(lesson.replaced_teacher_id)
    busy = _busy_with(actor.school_id, planned.id, lesson.date, lesson.number, lesson.id)
    if busy:
        raise Conflict(f"{short_user(planned)} в это время ведёт урок: {busy}")
    with write_tx():
        substitute_user = User.get_by_id(lesson.teacher_id)
        Lesson.update(teacher=planned.id, replaced_teacher=None).where(Lesson.id == lesson.id).execute()
        audit.record_changes(
            actor, "lesson", lesson.id,
            {"teacher": substitute_user.login, "replaced_teacher": planned.login},
            {"teacher": planned.login, "replaced_teacher": None},
        )
    return _day_lessons([access.lesson_in_school(actor, lesson.id)])[0]
