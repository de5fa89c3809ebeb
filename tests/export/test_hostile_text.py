"""Text already in the database with terminal escapes, bidi overrides or zero-width
characters (written below the services, as an old database may hold it) never reaches a
terminal, a CSV, an XLSX or a PDF; a 5,000-character unbroken topic still prints."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest

from tests.export.helpers import Run
from tui_journal.db.models import AuditEntry, Lesson

HOSTILE = "Урок \x1b]0;owned\x07 \x1b[2J \u202eотч\u200b \x9b31m"
BAD = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b-\u200f\u2060\ufeff]")


def _store_topic(text: str) -> None:
    """Below the services: the boundary would refuse it, an old database may hold it."""
    assert Lesson.update(topic=text).where(Lesson.topic == "Дроби").execute() >= 1


def test_journal_print_csv_and_text_carry_no_escape(run: Run, tmp_path: Path) -> None:
    _store_topic(HOSTILE)
    code, out, err = run("report", "journal-print", "--class", "7А", "--format", "csv")
    assert code == 0, err
    assert "Урок" in out and "отч" in out
    assert not BAD.search(out), repr(BAD.search(out))
    code, out, err = run("report", "journal-print", "--class", "7А", "--format", "csv", "-o", "j.csv")
    assert code == 0, err
    data = (tmp_path / "j.csv").read_text(encoding="utf-8")
    assert "Урок" in data and not BAD.search(data)
    code, out, err = run("report", "journal-print", "--class", "7А")
    assert code == 0, err
    assert "Урок" in out and not BAD.search(out)


def test_journal_print_xlsx_with_an_escape_in_a_topic(run: Run, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    _store_topic(HOSTILE)
    code, _, err = run("report", "journal-print", "--class", "7А", "--format", "xlsx", "-o", "j.xlsx")
    assert code == 0, err  # was: openpyxl IllegalCharacterError
    book = load_workbook(tmp_path / "j.xlsx")
    texts = [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert any("Урок" in t for t in texts)
    assert not any(BAD.search(t) for t in texts)


def _pdf_text(path: Path) -> tuple[int, str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_journal_print_pdf_with_an_escape_in_a_topic(run: Run, tmp_path: Path) -> None:
    _store_topic(HOSTILE)
    code, _, err = run("report", "journal-print", "--class", "7А", "--format", "pdf", "-o", "j.pdf")
    assert code == 0, err
    pages, text = _pdf_text(tmp_path / "j.pdf")
    assert pages >= 1 and "Урок" in text
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text


@pytest.mark.parametrize("topic", ["Ж" * 5000, "https://example.org/" + "a/b" * 1500, ("слово " * 900).strip()])
def test_journal_print_pdf_with_a_5000_character_topic(run: Run, tmp_path: Path, topic: str) -> None:
    _store_topic(topic)
    code, _, err = run("report", "journal-print", "--class", "7А", "--format", "pdf", "-o", "j.pdf")
    assert code == 0, err  # was: ValueError negative availWidth (or a LayoutError)
    pages, text = _pdf_text(tmp_path / "j.pdf")
    assert pages >= 1
    assert topic[:20] in text.replace("\n", "")
    assert "Алексеев" in text  # the rest of the journal is still there


def test_audit_csv_carries_no_escape(run: Run) -> None:
    from tui_journal.db.models import School

    AuditEntry.create(
        school=School.select().first(), at=dt.datetime.now(), actor_name="Учителев И.", origin="tui", action="update",
        entity="lesson", entity_id="1", field="topic", old_value="", new_value=HOSTILE,
    )
    code, out, err = run("audit", "--format", "csv", "--limit", "5")
    assert code == 0, err
    assert "Урок" in out and not BAD.search(out), repr(out[-300:])
    code, out, err = run("audit", "--limit", "5")
    assert code == 0, err
    assert "Урок" in out and not BAD.search(out)


@pytest.mark.parametrize(
    "text",
    [
        ("слово " * 1000).strip(),  # wraps into more lines than a page holds in a narrow column
        "строка\n" * 400,  # line breaks alone
        "Ж" * 3000,  # one unbroken word
    ],
    ids=["words", "lines", "word"],
)
def test_a_cell_never_grows_taller_than_a_page(text: str) -> None:
    """Many narrow columns and one long cell: reportlab would raise LayoutError (a row taller
    than the frame) or «negative availWidth»; the cell is cut with «…» instead."""
    from tui_journal.export.pdf import render_pdf
    from tui_journal.services.reports.model import Cell, Column, TableModel

    columns = (Column("name", "Учащийся", 12), *(Column(f"c{i}", f"{i + 1}", 2) for i in range(30)))
    rows: list[list[Cell]] = [["Алексеев А.", *([text] + ["5"] * 29)], ["Борисова Б.", *(["4"] * 30)]]
    data = render_pdf(TableModel(name="t", title="Тест", columns=columns, rows=rows))
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    shown = "\n".join(page.extract_text() for page in reader.pages)
    assert "Борисова" in shown and "…" in shown
