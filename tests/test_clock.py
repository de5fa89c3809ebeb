"""The program's one clock: the real date, or the fixed one of TUI_JOURNAL_TODAY."""

from __future__ import annotations

import datetime as dt

import pytest

from tui_journal import clock


def test_the_real_date_without_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(clock.ENV, raising=False)
    before = dt.date.today()
    assert clock.today() in (before, dt.date.today())
    assert abs((clock.now() - dt.datetime.now()).total_seconds()) < 60


def test_a_fixed_day_and_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock.ENV, "2026-12-03")
    assert clock.today() == dt.date(2026, 12, 3)
    assert clock.now() == dt.datetime(2026, 12, 3, 10, 0)
    monkeypatch.setenv(clock.ENV, "2027-01-15T08:45")
    assert clock.today() == dt.date(2027, 1, 15)
    assert clock.now() == dt.datetime(2027, 1, 15, 8, 45)
