"""Study periods, holidays and school days of an academic year.

Period marks are entered in the last week of a period (regulation 4.4.5)
and reports are cut by period, so dates must map to periods the same way
everywhere. Spans are inclusive on both ends, as schools announce them.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol, TypeVar

QUARTER = "quarter"
HALF = "half"
TRIMESTER = "trimester"
HOLIDAYS = "holidays"

LAST_WEEK_DAYS = 7


@dataclass(frozen=True)
class PeriodSpan:
    """A named span of days: a study period (``kind`` quarter, half…) or holidays."""

    name: str
    start: date
    end: date
    kind: str

    def __post_init__(self) -> None:
        """An inverted span would make every lookup silently miss."""
        if self.end < self.start:
            raise ValueError(
                f"«{self.name}»: дата окончания {self.end:%d.%m.%Y} раньше даты начала {self.start:%d.%m.%Y}."
            )

    def contains(self, d: date) -> bool:
        """True when ``d`` falls within the span, ends included."""
        return self.start <= d <= self.end


def period_for(d: date, periods: Sequence[PeriodSpan], kind: str | None = None) -> PeriodSpan | None:
    """Return the first span containing ``d`` (of ``kind`` if given), else ``None``.

    Holidays are spans too, so without ``kind`` a holiday date returns the
    holidays; pass ``kind="quarter"`` to ask only for study periods.
    """
    for span in periods:
        if span.contains(d) and (kind is None or span.kind == kind):
            return span
    return None


class _Dated(Protocol):
    @property
    def start(self) -> date: ...

    @property
    def end(self) -> date: ...


SpanT = TypeVar("SpanT", bound=_Dated)


def span_on(d: date, spans: Sequence[SpanT]) -> SpanT:
    """The span containing ``d``; between spans (the holidays, the summer) the last one
    begun; before the first, the first. ``spans`` are in order of start and not empty.

    One rule for «the current period» and «the year of this date» everywhere, so that the
    grid, the reports and the year lookups agree on a holiday date.
    """
    for span in spans:
        if span.start <= d <= span.end:
            return span
    begun = [s for s in spans if s.start <= d]
    return begun[-1] if begun else spans[0]


def is_last_week(d: date, period: PeriodSpan) -> bool:
    """True in the last 7 days of ``period``, when period marks are entered (4.4.5)."""
    return period.end - timedelta(days=LAST_WEEK_DAYS - 1) <= d <= period.end


def school_days(
    start: date,
    end: date,
    week_days: int,
    holidays: Sequence[tuple[date, date]] = (),
) -> list[date]:
    """List study days from ``start`` to ``end`` inclusive.

    ``week_days`` is the school's working mode: 5 (Mon–Fri) or 6 (Mon–Sat).
    ``holidays`` are inclusive ``(first, last)`` ranges: vacations and public
    holidays alike, which the caller supplies since they change by decree.
    """
    if week_days not in (5, 6):
        raise ValueError(f"Режим работы {week_days}-дневный не бывает: допустимы 5 или 6 дней.")
    days: list[date] = []
    current = start
    while current <= end:
        off = any(first <= current <= last for first, last in holidays)
        if current.weekday() < week_days and not off:
            days.append(current)
        current += timedelta(days=1)
    return days


# (name, kind, (start month, day, year offset), (end month, day, year offset))
_QUARTER_LAYOUT: tuple[tuple[str, str, tuple[int, int, int], tuple[int, int, int]], ...] = (
    ("1 четверть", QUARTER, (9, 1, 0), (10, 24, 0)),
    ("Осенние каникулы", HOLIDAYS, (10, 25, 0), (11, 4, 0)),
    ("2 четверть", QUARTER, (11, 5, 0), (12, 28, 0)),
    ("Зимние каникулы", HOLIDAYS, (12, 29, 0), (1, 11, 1)),
    ("3 четверть", QUARTER, (1, 12, 1), (3, 20, 1)),
    ("Весенние каникулы", HOLIDAYS, (3, 21, 1), (3, 29, 1)),
    ("4 четверть", QUARTER, (3, 30, 1), (5, 26, 1)),
)


def standard_quarters(year_start: int) -> list[PeriodSpan]:
    """Return the usual quarter layout of the year starting in September ``year_start``.

    The day-month pattern is that of 2026/27; the admin adjusts it to the
    year's actual order, so this is a starting point, not a calendar.
    """
    spans: list[PeriodSpan] = []
    for name, kind, (sm, sd, sy), (em, ed, ey) in _QUARTER_LAYOUT:
        spans.append(
            PeriodSpan(
                name=name,
                start=date(year_start + sy, sm, sd),
                end=date(year_start + ey, em, ed),
                kind=kind,
            )
        )
    return spans
