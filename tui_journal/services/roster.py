"""Who is on the roll: the one place that says when an enrollment (or a group membership)
counts for a day or a span. An enrollment counts for [start, end] when it began on or before
``end`` and has not ended before ``start`` (an open enrollment has no end)."""

from __future__ import annotations

import datetime as dt

from peewee import Expression

from tui_journal.db.models import Enrollment, GroupMember, Student


def on_roll(start: dt.date, end: dt.date | None = None) -> Expression:
    """The condition on :class:`Enrollment` rows on the roll at any time in [start, end]
    (on the day ``start`` when ``end`` is omitted)."""
    last = start if end is None else end
    return (Enrollment.start <= last) & (Enrollment.end.is_null() | (Enrollment.end >= start))


def in_group(start: dt.date, end: dt.date | None = None) -> Expression:
    """The same condition on :class:`GroupMember` rows."""
    last = start if end is None else end
    return (GroupMember.start <= last) & (GroupMember.end.is_null() | (GroupMember.end >= start))


def pupils_on_roll(class_id: int) -> int:
    """How many pupils the class has now (their enrollments not ended)."""
    return Enrollment.select().where((Enrollment.school_class == class_id) & Enrollment.end.is_null()).count()


def roster_on(class_id: int, start: dt.date, end: dt.date | None = None) -> list[Enrollment]:
    """The enrollments (with their pupils joined) of the class's pupils on the roll at any
    time in [start, end], or on the day ``start``; a pupil who left and came back has two."""
    return list(
        Enrollment.select(Enrollment, Student)
        .join(Student)
        .where((Enrollment.school_class == class_id) & on_roll(start, end))
    )
