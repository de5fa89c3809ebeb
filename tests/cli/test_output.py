"""Tables and CSV: alignment, terminal-safe text and the formula-injection guard."""

from __future__ import annotations

import csv
import io

from tui_journal.cli.output import neutralise, render_table

from .helpers import Cli


def test_neutralise_prefixes_formula_cells_only() -> None:
    for cell in ("=1+1", "+7 900", "-3", "@SUM(A1)", "\t=x", "\r=x"):
        assert neutralise(cell) == "'" + cell.replace("\r", "\n")  # line breaks stored as \n
    for cell in ("Иванова", "7А", "", "a=b", "1-2"):
        assert neutralise(cell) == cell
    assert neutralise(None) == ""


def test_table_is_aligned_and_has_no_control_characters() -> None:
    text = render_table(["Логин", "ФИО"], [["a", "Иванова\x1b[31m"], ["longer-login", "Пётр"]])
    lines = text.splitlines()
    assert lines[0].index("ФИО") == lines[2].index("Иванова") == lines[3].index("Пётр")
    assert "\x1b" not in text


def test_csv_output_neutralises_formula_cells(school: Cli) -> None:
    r = school("user", "add", "evil", "--name", "=HYPERLINK(\"http://x\") Иван", "--role", "student",
               "--phone", "+7 900 123", "--email", "@evil", "--no-password")
    assert r.code == 0, r.err
    r = school("user", "list", "--format", "csv")
    rows = {row[0]: row for row in csv.reader(io.StringIO(r.out))}
    assert rows["evil"][1] == "'=HYPERLINK(\"http://x\") Иван"
    assert rows["evil"][4] == "'+7 900 123"
    assert rows["evil"][5] == "'@evil"
    r = school("audit", "--format", "csv")
    cells = [cell for row in csv.reader(io.StringIO(r.out)) for cell in row]
    assert "'=HYPERLINK(\"http://x\") Иван" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
