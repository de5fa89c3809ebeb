"""Tests of the grade grid's edit line language (tui_journal.domain.cell_edit)."""

import pytest

from tui_journal.domain.cell_edit import (
    FinalEdit,
    cell_details_text,
    cell_edit_text,
    parse_cell_edit,
    parse_final_edit,
    resolve_work_type,
    work_types_text,
)
from tui_journal.domain.marks import InvalidCell
from tui_journal.i18n import t
from tui_journal.services.journal import CellView, MarkView

TYPES = [(1, "Ответ на уроке", 1.0), (2, "Контрольная работа", 2.0)]


def test_parse_cell_edit_reports_unknown_work_types() -> None:
    assert parse_cell_edit("н5:2/4", TYPES).text == "н5/4"
    assert parse_cell_edit("н5:2/4", TYPES).work_types == (2, None)
    with pytest.raises(ValueError, match="не найден"):
        parse_cell_edit("5:диктант", TYPES)


def test_parse_cell_edit_reads_types_by_number_name_or_start_and_the_comment() -> None:
    edit = parse_cell_edit("4:ответ/5:Контрольная работа # у доски", TYPES)
    assert edit.text == "4/5"
    assert edit.work_types == (1, 2)
    assert edit.comment == "у доски"
    assert parse_cell_edit("5", TYPES).comment is None  # no «#»: the comments stay
    assert parse_cell_edit("5 #", TYPES).comment == ""  # «#» with nothing: comments removed
    assert parse_cell_edit("", TYPES).text == ""


def test_a_work_type_needs_a_mark_before_it() -> None:
    with pytest.raises(InvalidCell, match=t("grid.type_after_mark")):
        parse_cell_edit("н:1", TYPES)


def test_resolve_work_type_refuses_an_ambiguous_start() -> None:
    types = [*TYPES, (3, "Контрольный диктант", 2.0)]
    assert resolve_work_type("3", types) == 3
    with pytest.raises(InvalidCell):
        resolve_work_type("контрольн", types)
    with pytest.raises(InvalidCell):
        resolve_work_type("4", types)  # past the end of the list
    assert work_types_text(TYPES) == "1 Ответ на уроке · 2 Контрольная работа"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("5", FinalEdit("period", "5", "")),
        ("5; болел", FinalEdit("period", "5", "болел")),
        ("н/а", FinalEdit("period", "н/а", "")),
        ("год 5", FinalEdit("year", "5", "")),
        ("Экз. 4 ; пересдача", FinalEdit("exam", "4", "пересдача")),
        ("итоговая зач", FinalEdit("final", "зач", "")),
        ("", FinalEdit("period", "", "")),
    ],
)
def test_parse_final_edit(typed: str, expected: FinalEdit) -> None:
    assert parse_final_edit(typed) == expected


def test_a_saved_cell_is_written_back_in_the_same_language() -> None:
    view = CellView(
        marks=(
            MarkView(1, "4", "Ответ на уроке", 1.0, "у доски"),
            MarkView(2, "5", "", 1.0, ""),
        ),
        code="н",
        teacher_code="н",
    )
    text = cell_edit_text(view, TYPES)
    assert text == "н4:1/5 # у доски"
    again = parse_cell_edit(text, TYPES)
    assert (again.text, again.work_types, again.comment) == ("н4/5", (1, None), "у доски")
    assert cell_details_text(view) == "н; 4 — Ответ на уроке (у доски); 5"
    assert cell_details_text(CellView()) == t("grid.cell_empty")
