"""Pure builders for the domain tests (no database): marks and the school year's calendar.

The calendar is the one every test school uses (2026/2027, quarters and holidays as
``setup.add_year`` lays them out), written out by hand so that the builders never take their
dates from the code under test.
"""

from __future__ import annotations

import datetime as dt

from tui_journal.domain.indicators import PupilResult
from tui_journal.domain.marks import WeightedMark

D = dt.date
YEAR_NAME = "2026/2027"
YEAR_START = D(2026, 9, 1)
YEAR_END = D(2027, 5, 31)

# name: (start, end, kind), the 2026/2027 year in quarters
QUARTERS_2026: dict[str, tuple[dt.date, dt.date, str]] = {
    "1 четверть": (D(2026, 9, 1), D(2026, 10, 24), "quarter"),
    "Осенние каникулы": (D(2026, 10, 25), D(2026, 11, 4), "holidays"),
    "2 четверть": (D(2026, 11, 5), D(2026, 12, 28), "quarter"),
    "Зимние каникулы": (D(2026, 12, 29), D(2027, 1, 11), "holidays"),
    "3 четверть": (D(2027, 1, 12), D(2027, 3, 20), "quarter"),
    "Весенние каникулы": (D(2027, 3, 21), D(2027, 3, 29), "holidays"),
    "4 четверть": (D(2027, 3, 30), D(2027, 5, 26), "quarter"),
}


def plain_marks(*values: int) -> list[WeightedMark]:
    """Marks of weight 1."""
    return [WeightedMark(value) for value in values]


def pupil_results(*values: str | None) -> list[PupilResult]:
    """Period results of pupils on the roll (``None``: no mark)."""
    return [PupilResult(value) for value in values]
