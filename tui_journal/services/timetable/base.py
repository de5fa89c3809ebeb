"""What every part of the timetable shares: the limits, the values the screens receive, a
slot as the screens show it, and the query conditions on the school's slots.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tui_journal.db.models import Group, Room, SchoolClass, Subject, TimetableSlot, User
from tui_journal.domain import ru_words as words
from tui_journal.domain.text import class_group
from tui_journal.services.checks import short_user
from tui_journal.services.journal import class_label

WEEKDAYS = words.WEEKDAYS
WEEKDAYS_SHORT = words.WEEKDAYS_SHORT
MAX_NUMBER = 12
MAX_GENERATE_DAYS = 400
FAR = dt.date(9999, 12, 31)


@dataclass(frozen=True)
class SlotView:
    id: int
    class_id: int
    class_name: str
    group_id: int | None
    group: str
    subject_id: int
    subject: str
    teacher_login: str
    teacher: str
    room_id: int | None
    room: str
    weekday: int  # 1 = Monday
    number: int
    valid_from: dt.date
    valid_to: dt.date | None

    @property
    def when(self) -> str:
        return f"{WEEKDAYS[self.weekday - 1]}, {self.number}-й урок"

    @property
    def what(self) -> str:
        return f"{class_group(self.class_name, self.group)}, {self.subject}"


@dataclass(frozen=True)
class ChangeResult:
    slot: SlotView | None  # the slot valid from the change's date (None: removed)
    removed_lessons: int  # empty generated lessons taken away from that date
    kept_lessons: int  # lessons from that date that hold marks, attendance or a topic
    created_lessons: int


@dataclass(frozen=True)
class GenerateResult:
    created: int
    existing: int  # slot-days that already had their lesson
    school_days: int


def slot_views(query: Iterable[TimetableSlot]) -> list[SlotView]:
    """The slots as the screens show them (names of the class, group, subject, teacher, room), by weekday
    and number."""
    slots = list(query)
    if not slots:
        return []
    classes = {c.id: c for c in SchoolClass.select().where(SchoolClass.id.in_({s.school_class_id for s in slots}))}
    subjects = {s.id: s.name for s in Subject.select().where(Subject.id.in_({s.subject_id for s in slots}))}
    users = {u.id: u for u in User.select().where(User.id.in_({s.teacher_id for s in slots}))}
    group_ids = {s.group_id for s in slots if s.group_id}
    groups = {g.id: g.name for g in Group.select().where(Group.id.in_(group_ids))} if group_ids else {}
    room_ids = {s.room_id for s in slots if s.room_id}
    rooms = {r.id: r.name for r in Room.select().where(Room.id.in_(room_ids))} if room_ids else {}
    views = [
        SlotView(
            s.id, s.school_class_id, class_label(classes[s.school_class_id]), s.group_id, groups.get(s.group_id or 0, ""),
            s.subject_id, subjects[s.subject_id], users[s.teacher_id].login, short_user(users[s.teacher_id]),
            s.room_id, rooms.get(s.room_id or 0, ""), s.weekday, s.number, s.valid_from, s.valid_to,
        )
        for s in slots
    ]
    return sorted(views, key=lambda v: (v.weekday, v.number, v.class_name, v.group))


def valid_on(day: dt.date) -> Any:
    """The condition: the slot is in force on ``day``."""
    return (TimetableSlot.valid_from <= day) & (TimetableSlot.valid_to.is_null() | (TimetableSlot.valid_to >= day))


def school_slots() -> Any:
    """A query of slots joined with their class (to filter by the school or the year)."""
    return TimetableSlot.select(TimetableSlot).join(SchoolClass, on=(TimetableSlot.school_class == SchoolClass.id))
