"""Tests of study periods, holidays and school days."""

from datetime import date
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui_journal.domain.periods import (
    PeriodSpan,
    is_last_week,
    period_for,
    school_days,
    span_on,
    standard_quarters,
)

YEAR_2026 = standard_quarters(2026)


def test_standard_quarters_2026() -> None:
    assert YEAR_2026 == [
        PeriodSpan("1 четверть", date(2026, 9, 1), date(2026, 10, 24), "quarter"),
        PeriodSpan("Осенние каникулы", date(2026, 10, 25), date(2026, 11, 4), "holidays"),
        PeriodSpan("2 четверть", date(2026, 11, 5), date(2026, 12, 28), "quarter"),
        PeriodSpan("Зимние каникулы", date(2026, 12, 29), date(2027, 1, 11), "holidays"),
        PeriodSpan("3 четверть", date(2027, 1, 12), date(2027, 3, 20), "quarter"),
        PeriodSpan("Весенние каникулы", date(2027, 3, 21), date(2027, 3, 29), "holidays"),
        PeriodSpan("4 четверть", date(2027, 3, 30), date(2027, 5, 26), "quarter"),
    ]


def test_standard_quarters_other_year() -> None:
    spans = standard_quarters(2030)
    assert spans[0].start == date(2030, 9, 1)
    assert spans[3].start == date(2030, 12, 29)
    assert spans[3].end == date(2031, 1, 11)
    assert spans[-1].end == date(2031, 5, 26)


@given(st.integers(2000, 2100))
def test_standard_quarters_are_contiguous(year: int) -> None:
    spans = standard_quarters(year)
    for before, after in pairwise(spans):
        assert (after.start - before.end).days == 1
    assert [span.kind for span in spans].count("quarter") == 4


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2026, 9, 1), "1 четверть"),
        (date(2026, 10, 24), "1 четверть"),
        (date(2026, 10, 25), "Осенние каникулы"),
        (date(2027, 1, 1), "Зимние каникулы"),
        (date(2027, 5, 26), "4 четверть"),
        (date(2026, 8, 31), None),
        (date(2027, 5, 27), None),
    ],
)
def test_period_for(day: date, name: str | None) -> None:
    span = period_for(day, YEAR_2026)
    assert (span.name if span else None) == name


def test_period_for_by_kind() -> None:
    assert period_for(date(2026, 10, 25), YEAR_2026, kind="quarter") is None
    found = period_for(date(2026, 11, 5), YEAR_2026, kind="quarter")
    assert found is not None
    assert found.name == "2 четверть"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 12, 21), False),
        (date(2026, 12, 22), True),
        (date(2026, 12, 28), True),
        (date(2026, 12, 29), False),
        (date(2026, 11, 5), False),
    ],
)
def test_is_last_week(day: date, expected: bool) -> None:
    assert is_last_week(day, YEAR_2026[2]) is expected


def test_school_days_five_day_week_with_holiday() -> None:
    # 2 November 2026 is a Monday; 4 November is Unity Day.
    days = school_days(date(2026, 11, 2), date(2026, 11, 8), 5, [(date(2026, 11, 4),) * 2])
    assert days == [date(2026, 11, 2), date(2026, 11, 3), date(2026, 11, 5), date(2026, 11, 6)]


def test_school_days_six_day_week() -> None:
    days = school_days(date(2026, 11, 2), date(2026, 11, 8), 6)
    assert len(days) == 6
    assert days[-1] == date(2026, 11, 7)


def test_school_days_skips_vacation_range() -> None:
    days = school_days(date(2026, 10, 19), date(2026, 11, 8), 5, [(date(2026, 10, 25), date(2026, 11, 4))])
    assert days[4] == date(2026, 10, 23)
    assert days[5] == date(2026, 11, 5)
    assert len(days) == 7


def test_school_days_rejects_bad_mode() -> None:
    with pytest.raises(ValueError, match="допустимы 5 или 6 дней"):
        school_days(date(2026, 9, 1), date(2026, 9, 7), 7)


def test_inverted_span_rejected() -> None:
    with pytest.raises(ValueError, match="раньше даты начала"):
        PeriodSpan("X", date(2026, 9, 2), date(2026, 9, 1), "quarter")


def test_span_on_takes_the_span_holding_the_day_else_the_last_begun_else_the_first() -> None:
    quarters = [p for p in YEAR_2026 if p.kind == "quarter"]
    assert span_on(date(2026, 11, 20), quarters).name == "2 четверть"
    assert span_on(date(2026, 11, 1), quarters).name == "1 четверть"  # autumn holidays
    assert span_on(date(2026, 8, 1), quarters).name == "1 четверть"  # before the year
    assert span_on(date(2027, 7, 1), quarters).name == "4 четверть"  # the summer after it
