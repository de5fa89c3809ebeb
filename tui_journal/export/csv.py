"""CSV (UTF-8): the column keys as the header, then the rows, floats with a decimal point.

Figures come rounded from the table model (``TableModel`` rounds floats half away from zero,
as every other format shows them); ``:.Nf`` here only writes the already-rounded value. The
totals row («Итого по классу», «По школе») ends its block, with its label moved to the first
column and the other columns unchanged, so a spreadsheet sums and filters the same columns.

Text cells that begin with «=», «+», «-» or «@» (or a tab / carriage return) get a leading
apostrophe, so that a spreadsheet shows them instead of running them as formulas (CSV
injection). Numbers are written as numbers and never touched. A report made of sections
writes each section as a block: a «# title» line, its header and rows, and an empty line.
"""

from __future__ import annotations

import csv
import io
import math
from typing import Any

from tui_journal.domain.user_text import safe
from tui_journal.services.reports.model import Cell, Column, TableModel

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Safe text (no control, bidi or zero-width characters: old rows may still hold them;
    line breaks kept); formula-like text gets a leading apostrophe."""
    clean = safe(text, multiline=True)
    return "'" + clean if text.startswith(FORMULA_STARTS) or clean.startswith(FORMULA_STARTS) else clean


def csv_cell(value: Cell, column: Column | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        places = column.decimals if column is not None else 2
        return f"{value:.{places}f}"
    return neutralise(str(value))


def totals_row(model: TableModel) -> list[Cell] | None:
    """The model's totals with the label in the first column («Итого по классу», …)."""
    if model.totals is None:
        return None
    row = list(model.totals)
    label_at = next((i for i, v in enumerate(row) if isinstance(v, str) and v.strip()), None)
    if label_at is not None and label_at > 0 and all(v in (None, "") for v in row[:label_at]):
        row[0], row[label_at] = row[label_at], None
    return row


def _block(out: Any, model: TableModel) -> None:
    out.writerow([neutralise(c.key) for c in model.columns])
    totals = totals_row(model)
    for row in model.rows + ([totals] if totals is not None else []):
        out.writerow([csv_cell(v, c) for v, c in zip(row, model.columns, strict=True)])


def render_csv(model: TableModel) -> bytes:
    """The model as UTF-8 CSV (bytes, no BOM)."""
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    if model.columns:
        _block(out, model)
    for section in model.sections:
        if not section.columns:
            continue
        if model.columns or buffer.tell():
            out.writerow([])
        out.writerow([neutralise("# " + section.title)])
        _block(out, section)
    return buffer.getvalue().encode("utf-8")
