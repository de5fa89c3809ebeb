"""Row builders: a test's world written with the models directly, one row at a time.

Set-up data is the test's world, not a user's change: these builders write no audit rows
and check no permissions, and they are fast enough to build a world hundreds of times (the
permission matrix does). Each takes the rows it hangs on and returns the row it made; the
defaults are the ones the test schools share (the 2026/2027 year, enrolled on 1 September,
one password for everybody who may log in). What a test then *does* goes through the
services.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from tui_journal.db.models import (
    AcademicYear,
    Assignment,
    Attendance,
    Bell,
    BellSchedule,
    Enrollment,
    Group,
    GroupMember,
    GuardianLink,
    Lesson,
    Mark,
    Period,
    PeriodMark,
    PlanItem,
    Room,
    School,
    SchoolClass,
    Student,
    Subject,
    TimetableSlot,
    User,
    UserRole,
    WorkType,
    search_key_for,
)
from tui_journal.services.actor import Actor
from tui_journal.services.auth import actor_for
from tui_journal.services.passwords import hash_password

from .domain import QUARTERS_2026, YEAR_END, YEAR_NAME, YEAR_START

PASSWORD = "Strong-pass-2026"
_HASH: list[str] = []


def password_hash() -> str:
    """The hash of :data:`PASSWORD`, computed once per process (hashing is slow on purpose)."""
    if not _HASH:
        _HASH.append(hash_password(PASSWORD))
    return _HASH[0]


# --- the school and its year -------------------------------------------------------------------


def make_school(name: str, short_name: str = "", **settings: Any) -> School:
    """A school; ``settings`` are School fields (week_days, rounding, min_marks, director_name…)."""
    return School.create(name=name, short_name=short_name, **settings)


def make_year(
    school: School, name: str = YEAR_NAME, start: dt.date = YEAR_START, end: dt.date = YEAR_END
) -> AcademicYear:
    return AcademicYear.create(school=school, name=name, start=start, end=end)


def make_period(
    year: AcademicYear, name: str, kind: str, start: dt.date, end: dt.date, ordinal: int = 0
) -> Period:
    return Period.create(year=year, name=name, kind=kind, ordinal=ordinal, start=start, end=end)


def add_periods(year: AcademicYear, *names: str) -> dict[str, Period]:
    """Periods of the 2026/2027 calendar by name («2 четверть», «Осенние каникулы»), each with
    its ordinal (the quarter's number; holidays count 1, 2, 3 through the year)."""
    holidays = [n for n, (_s, _e, kind) in QUARTERS_2026.items() if kind == "holidays"]
    made: dict[str, Period] = {}
    for name in names:
        start, end, kind = QUARTERS_2026[name]
        ordinal = holidays.index(name) + 1 if kind == "holidays" else int(name.split()[0])
        made[name] = make_period(year, name, kind, start, end, ordinal)
    return made


def make_room(school: School, name: str) -> Room:
    return Room.create(school=school, name=name)


def make_bells(school: School, times: Sequence[tuple[dt.time, dt.time]], name: str = "Основное") -> BellSchedule:
    """A bell schedule: lesson 1 at ``times[0]``, lesson 2 at ``times[1]``…"""
    schedule = BellSchedule.create(school=school, name=name)
    for number, (starts, ends) in enumerate(times, start=1):
        Bell.create(schedule=schedule, number=number, starts=starts, ends=ends)
    return schedule


# --- people ------------------------------------------------------------------------------------


def make_user(
    school: School, login: str, last: str, first: str, middle: str, *roles: str, can_log_in: bool = True
) -> User:
    """An account with ``roles``; it logs in with :data:`PASSWORD` unless ``can_log_in`` is off
    (no password hash: a parent known by his contacts only)."""
    user = User.create(
        school=school,
        login=login,
        last_name=last,
        first_name=first,
        middle_name=middle,
        password_hash=password_hash() if can_log_in else None,
        search_key=search_key_for(last, first, middle, login),
    )
    for role in roles:
        UserRole.create(user=user, role=role)
    return user


def make_pupil(
    school: School, last: str, first: str, middle: str = "", *, sex: str = "", user: User | None = None
) -> Student:
    """A pupil's card, on no class's roll yet (see :func:`enrol`)."""
    return Student.create(
        school=school, user=user, last_name=last, first_name=first, middle_name=middle, sex=sex,
        search_key=search_key_for(last, first, middle),
    )


def enrol(student: Student, cls: SchoolClass, start: dt.date = YEAR_START, **fields: Any) -> Enrollment:
    """The pupil on the class's roll from ``start``; ``fields``: end, order_in, order_out,
    came_from, went_to."""
    return Enrollment.create(student=student, school_class=cls, start=start, **fields)


def make_student(
    school: School, cls: SchoolClass, last: str, first: str, user: User | None = None, *, start: dt.date = YEAR_START
) -> Student:
    """A pupil on the class's roll from ``start`` (1 September by default)."""
    student = make_pupil(school, last, first, user=user)
    enrol(student, cls, start)
    return student


def link_parent(student: Student, parent: User, relation: str = "мать") -> GuardianLink:
    return GuardianLink.create(student=student, parent=parent, relation=relation)


def actors_of(users: Mapping[str, User]) -> dict[str, Actor]:
    """The logged-in actor of every user, under the same keys."""
    return {key: actor_for(user, origin="tui") for key, user in users.items()}


# --- classes and what is taught in them --------------------------------------------------------


def make_class(
    school: School, year: AcademicYear, grade: int, letter: str, class_teacher: User | None = None, kind: str = "class"
) -> SchoolClass:
    return SchoolClass.create(
        school=school, year=year, grade=grade, letter=letter, class_teacher=class_teacher, kind=kind
    )


def make_subject(school: School, name: str, short_name: str = "", *, split_into_groups: bool = False) -> Subject:
    return Subject.create(school=school, name=name, short_name=short_name, split_into_groups=split_into_groups)


def make_work_type(
    school: School, name: str, weight: float = 1, short_name: str = "", *, is_control: bool = False
) -> WorkType:
    return WorkType.create(school=school, name=name, short_name=short_name, weight=weight, is_control=is_control)


def assign(teacher: User, cls: SchoolClass, subject: Subject, group: Group | None = None) -> Assignment:
    """The teacher teaches the subject in the class (or in one of its groups)."""
    return Assignment.create(teacher=teacher, school_class=cls, group=group, subject=subject)


def make_group(cls: SchoolClass, subject: Subject, name: str, members: Iterable[tuple[Student, dt.date]] = ()) -> Group:
    """A subgroup of the class for the subject, with its members from their dates."""
    group = Group.create(school_class=cls, subject=subject, name=name)
    for student, start in members:
        join_group(group, student, start)
    return group


def join_group(group: Group, student: Student, start: dt.date = YEAR_START) -> GroupMember:
    return GroupMember.create(group=group, student=student, start=start)


def make_slot(
    cls: SchoolClass,
    subject: Subject,
    teacher: User,
    weekday: int,
    number: int,
    *,
    group: Group | None = None,
    room: Room | None = None,
    valid_from: dt.date = YEAR_START,
) -> TimetableSlot:
    """A weekly lesson of the timetable (weekday 1 = Monday)."""
    return TimetableSlot.create(
        school_class=cls, group=group, subject=subject, teacher=teacher, room=room, weekday=weekday, number=number,
        valid_from=valid_from,
    )


def make_plan(cls: SchoolClass, subject: Subject, topics: Iterable[str]) -> list[PlanItem]:
    """A thematic plan of one-hour topics, numbered from 1."""
    return [
        PlanItem.create(school_class=cls, subject=subject, ordinal=i, topic=topic, hours=1)
        for i, topic in enumerate(topics, start=1)
    ]


# --- the journal -------------------------------------------------------------------------------


def make_lesson(
    cls: SchoolClass, subject: Subject, date: dt.date, number: int, teacher: User, **fields: Any
) -> Lesson:
    """A lesson held (or to be held) on ``date``; ``fields``: group, topic, homework, plan_item,
    roll_taken_at, replaced_teacher…"""
    return Lesson.create(school_class=cls, subject=subject, date=date, number=number, teacher=teacher, **fields)


def make_mark(
    student: Student, lesson: Lesson, value: str, work_type: WorkType | None = None, position: int = 0, **fields: Any
) -> Mark:
    return Mark.create(student=student, lesson=lesson, work_type=work_type, value=value, position=position, **fields)


def mark_absent(student: Student, lesson: Lesson, code: str | None, **fields: Any) -> Attendance:
    """An attendance code («н», «б», «у», «о»); ``fields``: corrected_code, reason, entered_by…"""
    return Attendance.create(student=student, lesson=lesson, code=code, **fields)


def make_period_mark(
    student: Student, subject: Subject, cls: SchoolClass, period: Period, value: str, **fields: Any
) -> PeriodMark:
    return PeriodMark.create(student=student, subject=subject, school_class=cls, period=period, value=value, **fields)
