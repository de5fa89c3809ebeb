"""The week of a preschool group (R-J-8): the sessions of the educator's journals held in a
span of days, with their topics and who was absent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tui_journal.services.actor import Actor
from tui_journal.services.journal.grid import my_journals, open_grid


@dataclass(frozen=True)
class WeekSession:
    """One session (lesson) of the week as the educator's screen lists it."""

    lesson_id: int
    date: dt.date
    number: int
    group: str
    subject: str
    topic: str
    absent: tuple[str, ...]  # «Иванов И. (б)»
    writable: bool


def week_sessions(actor: Actor, start: dt.date, end: dt.date) -> list[WeekSession]:
    """The sessions of the actor's journals (his preschool group) held in ``[start, end]``.

    One grid per journal of the period holding ``start`` (and of the one holding ``end``, when
    the week crosses into the next period); each grid checks the actor's right to read it."""
    sessions: list[WeekSession] = []
    for ref in my_journals(actor):
        seen: set[int] = set()
        for day in sorted({start, end}):
            grid = open_grid(actor, ref.class_id, ref.subject_id, ref.group_id, None, day)
            names = {r.student_id: r.name for r in grid.rows}
            for column in grid.columns:
                if not start <= column.date <= end or column.lesson_id in seen:
                    continue
                seen.add(column.lesson_id)
                absent = tuple(
                    f"{names.get(r.student_id, '')} ({grid.cell(r.student_id, column.lesson_id).code})"
                    for r in grid.rows
                    if grid.cell(r.student_id, column.lesson_id).code
                )
                sessions.append(
                    WeekSession(column.lesson_id, column.date, column.number, ref.class_name, ref.subject_name,
                                column.topic, absent, grid.writable)
                )
    return sorted(sessions, key=lambda s: (s.date, s.number, s.subject))
