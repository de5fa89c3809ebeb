"""The teacher's journal sections for the home screen: the journal, the roll, the plan.

The app calls :func:`register_all` once at start (``sections.register`` replaces a section
registered before under the same key, so calling it twice is harmless). The screens are
named lazily, so their modules load only when a section is opened.

Who sees what (the services still check every read and write):

- «Классный журнал»: teachers and educators (their journals), deputy, director, admin (every
  journal of the school, read-only unless they also teach) and class teachers (who are
  teachers: their class's journals read-only).
- «Посещаемость урока»: teachers and educators (their lessons of the day).
- «Тематическое планирование»: teachers (the plans of their journals).
"""

from __future__ import annotations

from tui_journal.screens import sections
from tui_journal.screens.sections import Section
from tui_journal.services import roles as R

JOURNAL_SECTIONS: list[Section] = [
    Section(
        "journal",
        "section.journal",
        frozenset({R.TEACHER, R.EDUCATOR, R.DEPUTY, R.DIRECTOR, R.ADMIN}),
        "tui_journal.screens.journal_pick:JournalPickScreen",
    ),
    Section(
        "roll",
        "section.roll",
        frozenset({R.TEACHER, R.EDUCATOR}),
        "tui_journal.screens.roll:RollScreen",
    ),
    Section(
        "plan",
        "section.plan",
        frozenset({R.TEACHER}),
        "tui_journal.screens.journal_pick:PlanPickScreen",
    ),
]


def register_all() -> None:
    """Add the journal sections to the home screen's registry."""
    for section in JOURNAL_SECTIONS:
        sections.register(section)
