"""Tests of attendance codes and the missed days count."""

from datetime import date

import pytest

from tui_journal.domain.attendance import (
    ATTENDANCE_CODES,
    MissedDays,
    ReasonCounts,
    day_reason,
    effective_code,
    is_missed,
    missed_days,
    normalize_code,
)


def test_codes_and_titles() -> None:
    assert list(ATTENDANCE_CODES) == ["н", "б", "у", "о"]
    assert ATTENDANCE_CODES["б"] == "Отсутствие по болезни"
    assert ATTENDANCE_CODES["о"] == "Опоздание"


@pytest.mark.parametrize(
    ("code", "missed"), [("н", True), ("б", True), ("у", True), ("о", False), (None, False)]
)
def test_is_missed(code: str | None, missed: bool) -> None:
    assert is_missed(code) is missed


def test_is_missed_rejects_unknown() -> None:
    with pytest.raises(ValueError, match="неизвестная отметка посещаемости"):
        is_missed("x")


@pytest.mark.parametrize(
    ("text", "code"),
    [("н", "н"), (" Н ", "н"), ("n", "н"), ("B", "б"), ("u", "у"), ("o", "о"), ("О", "о")],
)
def test_normalize_code(text: str, code: str) -> None:
    assert normalize_code(text) == code


@pytest.mark.parametrize("text", ["y", "", "нб", "5"])
def test_normalize_code_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="не отметка посещаемости"):
        normalize_code(text)


def test_effective_code_correction_wins() -> None:
    assert effective_code("н", "б") == "б"  # doctor's note
    assert effective_code("н", None) == "н"
    assert effective_code(None, "у") == "у"
    assert effective_code(None, None) is None


def test_effective_code_rejects_unknown() -> None:
    with pytest.raises(ValueError):
        effective_code("н", "z")


@pytest.mark.parametrize(
    ("codes", "reason"),
    [
        ([], None),
        (["н", None], None),
        (["б", "о"], None),  # late means present
        (["о"], None),
        (["б", "б"], "б"),
        (["у"], "у"),
        (["н", "б"], "н"),
        (["у", "б", "у"], "б"),
        (["у", "н", "б"], "н"),
    ],
)
def test_day_reason(codes: list[str | None], reason: str | None) -> None:
    assert day_reason(codes) == reason


def test_missed_days_week() -> None:
    week: dict[date, list[str | None]] = {
        date(2026, 11, 9): ["б", "б", "б", "б"],  # full day, ill
        date(2026, 11, 10): ["н", "у", "б"],  # full day, unexcused
        date(2026, 11, 11): ["у", "у"],  # full day, valid reason
        date(2026, 11, 12): ["н", None, "о"],  # not a full day
        date(2026, 11, 13): ["о", "о", None],  # only late
        date(2026, 11, 14): ["б", "о"],  # came late, so not a full day
        date(2026, 11, 15): [],  # no lessons held
    }
    assert missed_days(week) == MissedDays(
        days=ReasonCounts(ill=1, valid=1, unexcused=1),
        lessons=ReasonCounts(ill=6, valid=3, unexcused=2),
        late=4,
    )
    assert missed_days(week).days.total == 3
    assert missed_days(week).lessons.total == 11


def test_missed_days_empty() -> None:
    result = missed_days({})
    assert result == MissedDays(ReasonCounts(), ReasonCounts(), 0)
    assert result.days.total == 0
