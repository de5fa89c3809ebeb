"""The parameters a report is run with, as typed on the command line or in the app."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from tui_journal import clock
from tui_journal.services.errors import InvalidInput

T = TypeVar("T")

PARAM_NAMES = ("class", "subject", "period", "date", "student")
"""The parameters a report may ask for (``ReportSpec.params``)."""

PARAM_LABELS = {
    "class": "Класс",
    "subject": "Предмет",
    "period": "Период",
    "date": "Дата",
    "student": "Учащийся",
}


@dataclass(frozen=True)
class ReportParams:
    """What the user asked for; ``None`` means «the default» (each report says which).

    The period defaults to the one containing the date, the date to ``today``. ``today``
    itself is a parameter only so that tests and the demo are reproducible. ``progress``
    receives fractions 0..1 from long reports (the app's progress bar).
    """

    class_name: str | None = None
    subject: str | None = None
    period: str | None = None
    date: dt.date | None = None
    student_id: int | None = None
    today: dt.date | None = None
    # where to connect, printed on credential slips (the config's ssh_address and web_url)
    ssh_address: str = ""
    web_url: str = ""
    progress: Callable[[float], None] | None = field(default=None, compare=False, repr=False)

    @property
    def on(self) -> dt.date:
        """The report's date: the one asked for, else today."""
        return self.date or self.today_or_now

    @property
    def today_or_now(self) -> dt.date:
        return self.today or clock.today()

    def tick(self, fraction: float) -> None:
        """Report progress (0..1) to whoever is watching; never fails the report."""
        if self.progress is not None:
            try:
                self.progress(max(0.0, min(1.0, fraction)))
            except Exception:  # a closed screen must not break the report
                pass

    def each(self, items: Sequence[T]) -> Iterator[T]:
        """``items`` one by one, reporting after each (skipped or not) the share that is done:
        the loop of a report that builds one part per class, pupil, journal or day."""
        for done, item in enumerate(items, start=1):
            yield item
            self.tick(done / max(1, len(items)))


_DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y")


def parse_date(text: str) -> dt.date:
    """«28.11.2026», «2026-11-28» or «28.11.26» (also «сегодня»)."""
    clean = text.strip()
    if clean.casefold() in ("сегодня", "today"):
        return clock.today()
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(clean, fmt).date()
        except ValueError:
            continue
    raise InvalidInput(f"«{text.strip()}» — не дата. Пример: 28.11.2026")
