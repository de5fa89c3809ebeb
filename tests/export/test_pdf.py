"""PDF: the numbers are in the text, the page is not blank, Cyrillic survives, wide tables
turn landscape, headers repeat, words are not broken, and a missing font says what to install."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from peewee import Database

from tests.export.helpers import first_page_dark_share, pdf_page_sizes, pdf_pages, pdf_text
from tests.export.school import Q1, TODAY, build
from tui_journal.export import fonts, pdf, render
from tui_journal.export.model import Column, TableModel
from tui_journal.services import reports
from tui_journal.services.reports import ReportParams, run_report


def _progress_pdf() -> bytes:
    w = build()
    model = run_report(w.actors["deputy"], "class-progress", ReportParams(class_name="7А", period=Q1, today=TODAY))
    return render(model, "pdf")


def test_class_progress_pdf_has_the_numbers_and_the_header(db: Database, tmp_path: Path) -> None:
    data = _progress_pdf()
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    for expected in (
        "МБОУ «Средняя школа № 5»",
        "Успеваемость учащихся 7А класса",
        "1 четверть",
        "28.11.2026",
        "Математика",
        "66,67",
        "50,00",
        "47,83",
        "3,60",
        "30,77",
        "Классный руководитель",
        "Заместитель директора по УВР",
        "Директор",
        "М.П.",
        "Классова К. К.",
        "Стр. 1 из 1",
        "СОУ = (100·N5+64·N4+36·N3+16·N2+7·Nн/а)/N",
    ):
        assert expected in text, expected
    share = first_page_dark_share(data, tmp_path)
    assert share > 0.005, f"the first page is (nearly) blank: {share:.4f} dark"


def test_every_report_renders_to_pdf(db: Database) -> None:
    w = build()
    for name in reports.REPORTS:
        params = ReportParams(
            class_name=None if name in ("movement-school", "class-fill", "monitoring") else "7А",
            student_id=w.pupils["A"].id if name in ("parent-weekly", "student-final") else None,
            today=TODAY,
        )
        model = run_report(w.actors["admin"], name, params)
        pages = pdf_pages(render(model, "pdf"))
        assert pages, name
        assert "Стр. 1 из" in pages[0], name
        assert model.title.split()[0] in pages[0], name


def test_parent_weekly_fits_one_portrait_page(db: Database) -> None:
    w = build()
    model = run_report(
        w.actors["mother"], "parent-weekly", ReportParams(student_id=w.pupils["A"].id, date=dt.date(2026, 11, 10), today=TODAY)
    )
    data = render(model, "pdf")
    sizes = pdf_page_sizes(data)
    assert len(sizes) == 1 and sizes[0][0] < sizes[0][1]


def _model(columns: int, rows: int, text: str = "Иванов Иван Иванович") -> TableModel:
    cols = (Column("n", "№", 3, "right", True), Column("name", "Учащийся", 20), *tuple(Column(f"c{i}", f"Столбец {i}", 8, "right", True) for i in range(columns)))
    return TableModel(
        name="test",
        title="Проверочная таблица",
        school="Школа",
        params={"Класс": "7А", "Период": "1 четверть", "Дата": "01.10.2026"},
        columns=cols,
        rows=[[i, text, *range(columns)] for i in range(1, rows + 1)],
        signatures=("Директор", "М.П."),
    )


def test_wide_tables_turn_landscape_narrow_stay_portrait(db: Database) -> None:
    narrow = pdf_page_sizes(render(_model(2, 5), "pdf"))[0]
    wide = pdf_page_sizes(render(_model(22, 5), "pdf"))[0]
    assert narrow[0] < narrow[1]
    assert wide[0] > wide[1]


def test_header_row_repeats_and_pages_are_numbered(db: Database) -> None:
    pages = pdf_pages(render(_model(3, 150), "pdf"))
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert "Учащийся" in page
        assert f"Стр. {number} из {len(pages)}" in page
        assert "Класс: 7А" in page  # the running header


def test_narrow_columns_break_between_words_not_inside(db: Database) -> None:
    long_words = "Обществознание Изобразительное Естествознание"
    model = TableModel(
        name="words",
        title="Слова",
        columns=tuple(Column(f"c{i}", f"Предмет {i}", 2) for i in range(9)),
        rows=[[long_words] * 9],
    )
    text = pdf_text(render(model, "pdf"))
    for word in long_words.split():
        assert text.count(word) == 9, word


def test_formula_like_and_markup_text_is_printed_as_is(db: Database) -> None:
    model = TableModel(name="x", title="Т", columns=(Column("a", "А", 20),), rows=[["<b>x</b> & =1+2"]])
    assert "<b>x</b> & =1+2" in pdf_text(render(model, "pdf"))


def test_missing_font_names_the_package(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(fonts.FONT_DIR_ENV, raising=False)
    with pytest.raises(fonts.FontMissing) as info:
        fonts.find_fonts([str(tmp_path)], use_fc_list=False)
    assert "fonts-dejavu-core" in info.value.message
    monkeypatch.setattr(pdf.sizing, "_registered", None)

    def nothing(*args: object, **kwargs: object) -> fonts.FontFiles:
        raise fonts.FontMissing(fonts.MISSING_MESSAGE)

    monkeypatch.setattr(fonts, "find_fonts", nothing)
    with pytest.raises(fonts.FontMissing, match="apt-get install fonts-dejavu-core"):
        render(_model(1, 1), "pdf")


def test_dejavu_is_found_here() -> None:
    found = fonts.find_fonts()
    assert found.regular.is_file()


def test_reportlab_is_not_imported_by_the_services_or_the_cli_module() -> None:
    import subprocess
    import sys

    code = (
        "import sys, tui_journal.services.reports, tui_journal.export, tui_journal.cli.report;"
        "print('reportlab' in sys.modules, 'openpyxl' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False"]
