"""Consistency checks of a (demo) school's timetable: who would be in two places at once."""

from __future__ import annotations

import datetime as dt
from itertools import combinations
from typing import Any, cast

from peewee import JOIN, fn

from tui_journal.db.models import Group, Lesson, Room, SchoolClass, Subject, TimetableSlot, User
from tui_journal.domain import ru_words as words
from tui_journal.domain.text import surname_initials

WEEKDAYS = words.WEEKDAYS_SHORT


def _overlap(a: TimetableSlot, b: TimetableSlot) -> bool:
    far = dt.date.max
    return a.valid_from <= (b.valid_to or far) and b.valid_from <= (a.valid_to or far)


def _class_name(cls: SchoolClass) -> str:
    return cls.letter if cls.grade == 0 else f"{cls.grade}{cls.letter}"


def find_conflicts(school_id: int) -> list[str]:
    """Every clash of the school's timetable and lessons, as Russian sentences (empty: none).

    A teacher or a room twice in one weekday × lesson slot; a class twice, unless both entries
    are different groups of the same split subject; and, over the lessons held, a teacher
    giving two lessons at the same date and number.
    """
    slots = list(
        TimetableSlot.select(TimetableSlot, SchoolClass, User, Room, Group, Subject)
        .join(SchoolClass)
        .switch(TimetableSlot)
        .join(User)
        .switch(TimetableSlot)
        .join(Room, join_type=JOIN.LEFT_OUTER)
        .switch(TimetableSlot)
        .join(Group, join_type=JOIN.LEFT_OUTER)
        .switch(TimetableSlot)
        .join(Subject)
        .where(SchoolClass.school == school_id)
        .order_by(TimetableSlot.weekday, TimetableSlot.number, TimetableSlot.id)
    )
    problems: list[str] = []
    by_cell: dict[tuple[int, int], list[TimetableSlot]] = {}
    for slot in slots:
        by_cell.setdefault((slot.weekday, slot.number), []).append(slot)
    for (weekday, number), cell in by_cell.items():
        when = f"{WEEKDAYS[(weekday - 1) % 7]}, {number} урок"
        for a, b in combinations(cell, 2):
            if not _overlap(a, b):
                continue
            where = f"{_class_name(a.school_class)} ({a.subject.name}) и {_class_name(b.school_class)} ({b.subject.name})"
            if a.teacher_id == b.teacher_id:
                who = surname_initials(a.teacher.last_name, a.teacher.first_name, a.teacher.middle_name)
                problems.append(f"{when}: учитель {who} одновременно в {where}")
            if a.room_id is not None and a.room_id == b.room_id:
                room = a.room.name if a.room is not None else "?"
                problems.append(f"{when}: кабинет «{room}» занят дважды: {where}")
            if a.school_class_id == b.school_class_id:
                split = (
                    a.group_id is not None
                    and b.group_id is not None
                    and a.group_id != b.group_id
                    and a.subject_id == b.subject_id
                )
                if not split:
                    problems.append(f"{when}: у класса {_class_name(a.school_class)} два урока: {where}")
    doubles = (
        Lesson.select(Lesson.date, Lesson.number, Lesson.teacher, fn.COUNT(Lesson.id).alias("n"))
        .join(SchoolClass)
        .where(SchoolClass.school == school_id)
        .group_by(Lesson.date, Lesson.number, Lesson.teacher)
        .having(fn.COUNT(Lesson.id) > 1)
        .order_by(Lesson.date, Lesson.number, Lesson.teacher)
    )
    rows: list[tuple[Any, ...]] = list(cast(Any, doubles.tuples()))
    for day, number, teacher_id, count in rows:
        teacher = User.get_by_id(teacher_id)
        who = surname_initials(teacher.last_name, teacher.first_name, teacher.middle_name)
        problems.append(f"{day}, {number} урок: учитель {who} ведёт {count} урока одновременно")
    return problems
