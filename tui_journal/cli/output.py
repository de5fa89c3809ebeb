"""Printing: aligned plain-text tables, key/value cards and CSV guarded against formulas."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable, Sequence
from typing import TextIO

from tui_journal.domain.user_text import safe

# A spreadsheet treats a cell starting with these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL = 48


def clean(value: object) -> str:
    """Text safe to print on a terminal: no control, bidi or zero-width characters (stored
    text must not drive the terminal nor reorder the columns), line breaks as spaces."""
    return safe(value)


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def render_table(headers: Sequence[str], rows: Iterable[Sequence[object]], *, max_cell: int = MAX_CELL) -> str:
    """An aligned table: a header, a rule, the rows; long cells are cut with «…»."""
    body = [[_fit(clean(c), max_cell) for c in row] for row in rows]
    head = [clean(h) for h in headers]
    widths = [len(h) for h in head]
    for row in body:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in body)
    return "\n".join(lines)


def print_table(
    headers: Sequence[str], rows: Iterable[Sequence[object]], out: TextIO | None = None, *, max_cell: int = MAX_CELL
) -> None:
    print(render_table(headers, rows, max_cell=max_cell), file=out or sys.stdout)


def print_card(pairs: Iterable[tuple[str, object]], out: TextIO | None = None) -> None:
    """``Label: value`` lines with the values aligned."""
    items = [(clean(k), clean(v)) for k, v in pairs]
    width = max((len(k) for k, _ in items), default=0) + 1
    for key, value in items:
        print(f"{(key + ':').ljust(width)} {value}".rstrip(), file=out or sys.stdout)


def neutralise(value: object) -> str:
    """A CSV cell that a spreadsheet will not run and a terminal will not obey: no control,
    bidi or zero-width characters (line breaks kept); formula-like text gets a leading quote."""
    raw = "" if value is None else str(value)
    text = safe(raw, multiline=True)
    if raw.startswith(FORMULA_STARTS) or text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[object]], out: TextIO | None = None) -> None:
    """UTF-8 CSV (the caller's stdout is UTF-8), every cell through :func:`neutralise`."""
    writer = csv.writer(out or sys.stdout, lineterminator="\n")
    writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        writer.writerow([neutralise(c) for c in row])


def emit(fmt: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    if fmt == "csv":
        write_csv(headers, rows)
    else:
        print_table(headers, rows)
