"""The «Отчёты» section of the home screen.

Every role has at least one report it may run (a parent and a pupil: the week's report), so
the section is offered to all; which reports appear is decided by
:func:`tui_journal.services.reports.list_reports`. The app calls :func:`register_all` once at
start (the screen module itself, and reportlab with it, is imported only when opened).
"""

from __future__ import annotations

from tui_journal.screens import sections
from tui_journal.screens.sections import Section
from tui_journal.services import roles as R

REPORT_SECTIONS: list[Section] = [
    Section("reports", "section.reports", frozenset(R.ALL_ROLES), "tui_journal.screens.reports:ReportsScreen"),
]


def register_all() -> None:
    """Add the report sections to the home screen's registry (idempotent)."""
    for section in REPORT_SECTIONS:
        sections.register(section)
