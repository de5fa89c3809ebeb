"""XLSX (frozen header, widths, numbers, no formulas), CSV (UTF-8, keys, injection-safe) and
the plain text renderer."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import load_workbook
from peewee import Database

from tests.export.school import Q1, TODAY, build
from tui_journal.export import file_name, format_of, render
from tui_journal.export.csv import neutralise
from tui_journal.export.model import Column, TableModel
from tui_journal.services.reports import ReportParams, run_report

NASTY = ["=HYPERLINK(\"http://x\")", "+7 900", "-2+3", "@SUM(A1)", "\tTab", "обычный текст"]


def _nasty_model() -> TableModel:
    return TableModel(
        name="nasty",
        title="Проверка",
        school="Школа",
        params={"Класс": "7А"},
        columns=(Column("text", "Текст", 20), Column("number", "Число", 6, "right", True), Column("pct", "%", 6, "right", True)),
        rows=[[text, -5, 12.345] for text in NASTY],
        totals=["Итого", -30, None],
        footnotes=["=не формула"],
    )


def test_csv_neutralises_formula_cells_but_not_numbers() -> None:
    text = render(_nasty_model(), "csv").decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["text", "number", "pct"]
    assert [r[0] for r in rows[1:-1]] == ["'=HYPERLINK(\"http://x\")", "'+7 900", "'-2+3", "'@SUM(A1)", "'\tTab", "обычный текст"]
    assert {r[1] for r in rows[1:-1]} == {"-5"}
    assert {r[2] for r in rows[1:-1]} == {"12.35"}
    assert rows[-1] == ["Итого", "-30", ""]
    assert neutralise("-") == "'-"


def test_csv_is_utf8_without_bom() -> None:
    data = render(TableModel(name="x", title="x", columns=(Column("a", "А"),), rows=[["Ёлкин"]]), "csv")
    assert data == "a\nЁлкин\n".encode()


def test_xlsx_keeps_numbers_and_never_makes_formulas(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(render(_nasty_model(), "xlsx"))
    wb = load_workbook(path)
    ws = wb.active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells), [c.value for c in cells if c.data_type == "f"]
    texts = [v[0] for v in values]
    assert "=HYPERLINK(\"http://x\")" in texts
    numbers = [v[1] for v in values if isinstance(v[1], int)]
    assert numbers == [-5] * 6 + [-30]
    assert ws.freeze_panes == "A6"  # school, title, params, a blank line, the header → data from row 6
    assert ws.column_dimensions["A"].width >= 20


def test_xlsx_of_a_report_with_sections_has_a_sheet_per_class(db: Database, tmp_path: Path) -> None:
    w = build()
    model = run_report(w.actors["deputy"], "progress-summary", ReportParams(period=Q1, today=TODAY))
    path = tmp_path / "s.xlsx"
    path.write_bytes(render(model, "xlsx"))
    wb = load_workbook(path)
    assert wb.sheetnames == ["Отчёт", "7А", "7Б"]
    sheet = wb["7А"]
    assert sheet.freeze_panes is not None
    header = [c.value for c in sheet[3]]
    assert header[:2] == ["№", "Учащийся"]


def test_text_renderer_aligns_and_cleans() -> None:
    model = TableModel(
        name="t",
        title="Итоги",
        params={"Класс": "7А"},
        columns=(Column("name", "Имя", 10), Column("n", "Число", 5, "right", True), Column("x", "Доля", 5, "right", True)),
        rows=[["Анна\x1b[31m", 5, 2.5], ["Пётр", 12, None]],
        totals=["Всего", 17, None],
        signatures=("Директор", "М.П."),
        signers={"Директор": "Носова С. М."},
    )
    text = render(model, "txt").decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == "ИТОГИ"
    assert "Класс: 7А" in lines
    assert "\x1b" not in text
    assert "   5  2,50" in text and "  12" in text
    assert "Директор ____________________ / Носова С. М. /" in text
    assert lines[-1] == "М.П."


def test_file_names_and_formats() -> None:
    model = TableModel(name="class-progress", title="x", params={"Класс": "7А"})
    import datetime as dt

    name = file_name(model, "pdf", dt.datetime(2026, 11, 28, 14, 5, 0))
    assert name == "class-progress_7А_2026-11-28_140500.pdf"
    assert format_of("отчёт.XLSX") == "xlsx" and format_of("a.doc") == "txt"


def test_one_figure_in_every_format() -> None:
    """58.125 is a binary tie: Python's «:.2f» gives 58.12, the school's paper forms 58,13.
    The table model rounds once (half away from zero) and every renderer shows 58,13."""
    from tests.export.helpers import pdf_text
    from tui_journal.services.reports.model import format_cell

    def model() -> TableModel:
        return TableModel(
            name="tie", title="Проверка округления", school="Школа",
            columns=(Column("name", "Класс", 16), Column("pct", "%", 8, "right", True)),
            rows=[["7А", 58.125], ["7Б", 2.675]],
            totals=["По школе", 30.405],
        )

    m = model()
    assert [format_cell(v, c) for v, c in zip(m.rows[0], m.columns, strict=True)] == ["7А", "58,13"]  # screen
    assert "58,13" in render(model(), "txt").decode("utf-8") and "2,68" in render(model(), "txt").decode("utf-8")
    rows = list(csv.reader(io.StringIO(render(model(), "csv").decode("utf-8"))))
    assert rows[1:] == [["7А", "58.13"], ["7Б", "2.68"], ["По школе", "30.41"]]
    pdf = pdf_text(render(model(), "pdf"))
    assert "58,13" in pdf and "2,68" in pdf and "30,41" in pdf and "58,12" not in pdf
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.xlsx"
        path.write_bytes(render(model(), "xlsx"))
        values = [c.value for row in load_workbook(path).active.iter_rows() for c in row]
    assert 58.13 in values and 2.68 in values and 58.125 not in values
