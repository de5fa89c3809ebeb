"""The school-administration sections of the home list (wired by ``register_all()``).

Lazy ``"module:Class"`` factories: a section whose module is not in the package yet is not
listed (see :mod:`tui_journal.screens.sections`).
"""

from __future__ import annotations

from tui_journal.screens import sections
from tui_journal.screens.sections import Section
from tui_journal.services import roles as R

ADMIN_SECTIONS: list[Section] = [
    Section(
        "enrollment",
        "section.enrollment",
        frozenset({R.SECRETARY, R.ADMIN}),
        "tui_journal.screens.enrollment:EnrollmentScreen",
    ),
    Section(
        "admin_timetable",
        "section.admin_timetable",
        frozenset({R.ADMIN}),
        "tui_journal.screens.admin_timetable:TimetableScreen",
    ),
    Section(
        "admin_substitutions",
        "section.admin_substitutions",
        frozenset({R.ADMIN}),
        "tui_journal.screens.admin_substitutions:SubstitutionsScreen",
    ),
    Section(
        "admin_curriculum",
        "section.admin_curriculum",
        frozenset({R.ADMIN}),
        "tui_journal.screens.admin_curriculum:CurriculumScreen",
    ),
    Section(
        "setup",
        "section.setup",
        frozenset({R.ADMIN}),
        "tui_journal.screens.admin_setup:SchoolSetupScreen",
    ),
]


def register_all() -> None:
    """Add the sections to the home list (idempotent: a key registered again is replaced)."""
    for section in ADMIN_SECTIONS:
        sections.register(section)
