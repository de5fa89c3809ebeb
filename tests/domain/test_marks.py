"""Tests of mark values, weighted averages and the grade grid cell language."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui_journal.domain.marks import (
    ALL_MARKS,
    MAX_MARKS_PER_CELL,
    NUMERIC_MARKS,
    SPECIAL_MARKS,
    CellEntry,
    InvalidCell,
    InvalidMark,
    WeightedMark,
    format_cell,
    is_numeric,
    normalize_mark,
    numeric_value,
    parse_cell,
    weighted_average,
)

CODES = ("н", "б", "у", "о")


def test_mark_sets() -> None:
    assert NUMERIC_MARKS == ("5", "4", "3", "2", "1")
    assert SPECIAL_MARKS == ("н/а", "осв", "зач", "незач")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("5", True), ("1", True), ("н/а", False), ("осв", False), ("6", False), ("", False)],
)
def test_is_numeric(value: str, expected: bool) -> None:
    assert is_numeric(value) is expected


def test_numeric_value() -> None:
    assert numeric_value("4") == 4
    assert numeric_value("зач") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (" 5 ", "5"),
        ("1", "1"),
        ("н/а", "н/а"),
        ("Н/А", "н/а"),
        ("na", "н/а"),
        ("NA", "н/а"),
        ("n/a", "н/а"),
        ("нa", "н/а"),  # Cyrillic н, Latin a
        ("н/a", "н/а"),
        ("н / а", "н/а"),
        ("н.а.", "н/а"),
        ("осв", "осв"),
        ("осв.", "осв"),
        ("ОСВ.", "осв"),
        ("OCB", "осв"),  # all Latin look-alikes
        ("ocв", "осв"),
        ("освобождён", "осв"),
        ("зач", "зач"),
        ("зач.", "зач"),
        ("Зачёт", "зач"),
        ("зачет", "зач"),
        ("незач", "незач"),
        ("незач.", "незач"),
        ("не зач.", "незач"),
        ("HEзAч", "незач"),  # Latin H, E, A mixed with Cyrillic
        ("незачёт", "незач"),
    ],
)
def test_normalize_mark_accepts_variants(text: str, expected: str) -> None:
    assert normalize_mark(text) == expected


def test_normalize_mark_message_is_russian() -> None:
    with pytest.raises(InvalidMark) as excinfo:
        normalize_mark(" 7 ")
    assert str(excinfo.value) == "«7» — не отметка. Допустимы 1–5, н/а, осв., зач., незач."


@pytest.mark.parametrize("text", ["0", "6", "55", "5+", "4-", "abc", "н", "y", "ос"])
def test_normalize_mark_rejects_garbage(text: str) -> None:
    with pytest.raises(InvalidMark, match="не отметка"):
        normalize_mark(text)


def test_normalize_mark_rejects_empty() -> None:
    with pytest.raises(InvalidMark, match="Отметка не указана"):
        normalize_mark("   ")


def test_invalid_mark_is_value_error() -> None:
    assert issubclass(InvalidMark, ValueError)
    assert issubclass(InvalidCell, ValueError)


@given(st.text(max_size=12))
def test_normalize_mark_returns_known_value_or_raises(text: str) -> None:
    try:
        value = normalize_mark(text)
    except InvalidMark:
        return
    assert value in ALL_MARKS


def test_weighted_mark_defaults_to_weight_one() -> None:
    assert WeightedMark(4).weight == 1.0


@pytest.mark.parametrize(("value", "weight"), [(0, 1.0), (6, 1.0), (True, 1.0), (5, -1.0), (5, float("nan"))])
def test_weighted_mark_rejects_bad_values(value: int, weight: float) -> None:
    with pytest.raises(ValueError):
        WeightedMark(value, weight)


def test_weighted_average_plain() -> None:
    marks = [WeightedMark(5), WeightedMark(4), WeightedMark(3)]
    assert weighted_average(marks) == 4.0


def test_weighted_average_with_test_weight_two() -> None:
    # (5*2 + 3 + 3) / 4 = 4.0, unweighted it would be 11/3.
    marks = [WeightedMark(5, 2.0), WeightedMark(3), WeightedMark(3)]
    assert weighted_average(marks) == 4.0


def test_weighted_average_accepts_generator() -> None:
    assert weighted_average(WeightedMark(v) for v in (2, 3)) == 2.5


def test_weighted_average_none_without_marks_or_weight() -> None:
    assert weighted_average([]) is None
    assert weighted_average([WeightedMark(5, 0.0), WeightedMark(2, 0.0)]) is None


@pytest.mark.parametrize(
    ("text", "marks", "attendance"),
    [
        ("", (), None),
        ("   ", (), None),
        ("5", (5,), None),
        ("4/5", (4, 5), None),
        ("4 / 5", (4, 5), None),
        ("4,5", (4, 5), None),
        ("4 5", (4, 5), None),
        ("3/4/5/2", (3, 4, 5, 2), None),
        ("н", (), "н"),
        ("Н", (), "н"),
        ("б", (), "б"),
        ("у", (), "у"),
        ("о", (), "о"),
        ("н5", (5,), "н"),
        ("о5", (5,), "о"),
        ("б4/5", (4, 5), "б"),
        ("у 3", (3,), "у"),
        ("5н", (5,), "н"),
        ("4/5 о", (4, 5), "о"),
        ("n", (), "н"),
        ("B", (), "б"),
        ("u5", (5,), "у"),
        ("o5", (5,), "о"),
        ("N/4", (4,), "н"),
    ],
)
def test_parse_cell(text: str, marks: tuple[int, ...], attendance: str | None) -> None:
    assert parse_cell(text) == CellEntry(marks, attendance)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("7", "«7» — не отметка. Допустимы 1–5."),
        ("0", "«0» — не отметка. Допустимы 1–5."),
        ("45", "«45» — несколько отметок пишутся через косую черту, например 4/5."),
        ("10", "«10» — не отметка. Допустимы 1–5."),
        ("нб", "«нб» — в клетке может быть только одна отметка посещаемости."),
        ("н5б", "«н5б» — в клетке может быть только одна отметка посещаемости."),
        ("5/н/4", "«5/н/4» — в клетке может быть только одна отметка посещаемости."),
        ("x", "«x» — непонятная запись. Примеры: 5, 4/5, н, б, н5, о5."),
        ("y", "«y» — непонятная запись. Примеры: 5, 4/5, н, б, н5, о5."),
        ("4//5", "«4//5» — непонятная запись. Примеры: 5, 4/5, н, б, н5, о5."),
        ("/5", "«/5» — непонятная запись. Примеры: 5, 4/5, н, б, н5, о5."),
        ("н/а", "«н/а» — непонятная запись. Примеры: 5, 4/5, н, б, н5, о5."),
        ("5+", "«5+» — непонятная запись. Примеры: 5, 4/5, н, б, н5, о5."),
        ("5/5/5/5/5", "В одной клетке не больше 4 отметок."),
    ],
)
def test_parse_cell_rejects_garbage(text: str, message: str) -> None:
    with pytest.raises(InvalidCell) as excinfo:
        parse_cell(text)
    assert str(excinfo.value) == message


def test_format_cell() -> None:
    assert format_cell([4, 5], None) == "4/5"
    assert format_cell([5], "н") == "н5"
    assert format_cell([], "б") == "б"
    assert format_cell([], None) == ""
    assert format_cell((3, 4), "о") == "о3/4"


def test_format_cell_refuses_invalid() -> None:
    with pytest.raises(InvalidCell):
        format_cell([6], None)
    with pytest.raises(InvalidCell):
        format_cell([5], "x")
    with pytest.raises(InvalidCell):
        format_cell([5] * (MAX_MARKS_PER_CELL + 1), None)


def test_cell_entry_helpers() -> None:
    assert CellEntry().is_empty
    assert not CellEntry((), "о").is_empty
    assert CellEntry((2, 3), "у").text == "у2/3"


cell_marks = st.lists(st.integers(1, 5), max_size=MAX_MARKS_PER_CELL).map(tuple)
cell_attendance = st.none() | st.sampled_from(CODES)


@given(cell_marks, cell_attendance)
def test_cell_round_trip(marks: tuple[int, ...], attendance: str | None) -> None:
    text = format_cell(marks, attendance)
    entry = parse_cell(text)
    assert entry == CellEntry(marks, attendance)
    assert format_cell(entry.marks, entry.attendance) == text


_LATIN = {"н": "n", "б": "b", "у": "u", "о": "o"}


@given(
    cell_marks,
    cell_attendance,
    st.sampled_from(["/", " / ", ",", ";", " ", "\\"]),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)
def test_cell_sloppy_input_reads_the_same(
    marks: tuple[int, ...],
    attendance: str | None,
    separator: str,
    at_end: bool,
    latin: bool,
    upper: bool,
) -> None:
    body = separator.join(str(mark) for mark in marks)
    code = ""
    if attendance is not None:
        code = _LATIN[attendance] if latin else attendance
        code = code.upper() if upper else code
    text = f"  {body} {code} " if at_end else f" {code}{body}  "
    assert parse_cell(text) == CellEntry(marks, attendance)


@given(st.text(max_size=10))
def test_parse_cell_never_crashes_otherwise(text: str) -> None:
    try:
        entry = parse_cell(text)
    except InvalidCell:
        return
    assert parse_cell(entry.text) == entry


def test_cell_text_puts_the_code_first_and_special_marks_last() -> None:
    from tui_journal.domain.marks import cell_text

    assert cell_text(["4", "5"], None) == "4/5"
    assert cell_text(["5"], "н") == "н5"
    assert cell_text([], "б") == "б"
    assert cell_text(["н/а"], None) == "н/а"
    assert cell_text([], None) == ""
