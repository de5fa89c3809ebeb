"""The pupil's weekly timetable (R-D-2): his class's slots and his subgroups'.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tui_journal import clock
from tui_journal.db.models import Room, Subject, TimetableSlot
from tui_journal.services.actor import Actor
from tui_journal.services.diary.base import bell_times, class_on, names_of, require_diary, teacher_names
from tui_journal.services.diary.lessons import group_memberships, in_group_on


@dataclass(frozen=True)
class TimetableEntry:
    weekday: int  # 1 = Monday
    number: int
    time: str
    subject: str
    teacher: str
    room: str


# --- the timetable -------------------------------------------------------------------------


def timetable(actor: Actor, student_id: int, day: dt.date | None = None) -> list[TimetableEntry]:
    """The pupil's weekly timetable valid on ``day`` (R-D-2): his class's slots and his subgroups'."""
    student = require_diary(actor, student_id)
    day = day or clock.today()
    cls = class_on(student.id, day)
    if cls is None:
        return []
    groups = group_memberships(student.id)
    slots = [
        s
        for s in TimetableSlot.select().where(
            (TimetableSlot.school_class == cls.id)
            & (TimetableSlot.valid_from <= day)
            & (TimetableSlot.valid_to.is_null() | (TimetableSlot.valid_to >= day))
        )
        if s.group_id is None or in_group_on(groups, s.group_id, day)
    ]
    times = bell_times(actor.school_id)
    subjects = names_of(Subject, [s.subject_id for s in slots])
    rooms = names_of(Room, [s.room_id for s in slots])
    teachers = teacher_names([s.teacher_id for s in slots])
    entries = [
        TimetableEntry(
            weekday=s.weekday,
            number=s.number,
            time=times.get(s.number, ""),
            subject=subjects.get(s.subject_id, ""),
            teacher=teachers.get(s.teacher_id, ""),
            room=rooms.get(s.room_id, "") if s.room_id else "",
        )
        for s in slots
    ]
    return sorted(entries, key=lambda e: (e.weekday, e.number, e.subject))
