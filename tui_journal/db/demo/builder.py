"""One demo school as rows in memory, built deterministically from the seed.

The builder never touches the database: it produces rows (dicts keyed by field name, with
ids assigned here) that :mod:`tui_journal.db.demo.writer` inserts in bulk. Randomness comes
from :class:`random.Random` streams named after the seed, the school and the stage, so one
stage's changes do not reshuffle another's.

The stages live in :mod:`tui_journal.db.demo.stages` (one module per kind of row: the school,
the staff, the pupils, the classes and timetable, the lessons, the marks, the messages); this
module puts them together in their order.
"""

from __future__ import annotations

from tui_journal.db.demo.stages.classes import ClassStage
from tui_journal.db.demo.stages.lessons import LessonStage
from tui_journal.db.demo.stages.messages import MessageStage
from tui_journal.db.demo.stages.pupils import PupilStage
from tui_journal.db.demo.stages.school import SchoolStage
from tui_journal.db.demo.stages.staff import StaffStage
from tui_journal.db.demo.stages.state import (
    ACCOUNTS_CREATED,
    DEMO_ACTOR,
    SIZES,
    IdAlloc,
    Klass,
    Pupil,
    Row,
    Rows,
    Slot,
    Teacher,
)

__all__ = [
    "ACCOUNTS_CREATED",
    "DEMO_ACTOR",
    "SIZES",
    "IdAlloc",
    "Klass",
    "Pupil",
    "Row",
    "Rows",
    "SchoolBuilder",
    "Slot",
    "Teacher",
]


class SchoolBuilder(SchoolStage, StaffStage, PupilStage, ClassStage, LessonStage, MessageStage):
    """Builds every row of one demo school."""

    # --- the whole school ---------------------------------------------------------------

    def build(self) -> Rows:
        self._school()
        self._calendar()
        self._catalogue()
        self._staff()
        self._teachers()
        self._classes()
        self._assign()
        self._pupils()
        self._movements()
        self._class_rows()
        self._timetable()
        self._plans()
        self._lessons()
        self._communication()
        self._audit()
        return self.rows
