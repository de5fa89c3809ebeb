"""The one clock of the program: today's date and the current time.

Every "today" the services, screens and the demo generator use comes from here, so that a
test can fix the date for the whole program: ``TUI_JOURNAL_TODAY=2026-12-03`` (or
``2026-12-03T10:30``) makes ``today()`` and ``now()`` return that day (10:00 when no time is
given). The screenshot tests set it; nobody else should.
"""

from __future__ import annotations

import datetime as dt
import os

ENV = "TUI_JOURNAL_TODAY"


def _fixed() -> dt.datetime | None:
    value = os.environ.get(ENV, "").strip()
    if not value:
        return None
    if "T" in value or " " in value:
        return dt.datetime.fromisoformat(value).replace(microsecond=0)
    return dt.datetime.combine(dt.date.fromisoformat(value), dt.time(10, 0))


def now() -> dt.datetime:
    """The current local time (the fixed one when ``TUI_JOURNAL_TODAY`` is set)."""
    fixed = _fixed()
    return fixed if fixed is not None else dt.datetime.now()


def today() -> dt.date:
    """Today's date (the fixed one when ``TUI_JOURNAL_TODAY`` is set)."""
    fixed = _fixed()
    return fixed.date() if fixed is not None else dt.date.today()
