"""How a table fits the page: the fonts, the measured widths of the columns' words and lines,
the type size and column widths that fit, and the page's orientation.

reportlab is imported inside the functions (see :mod:`tui_journal.export.pdf`). A table's
measure is computed once per document and kept per thread until :func:`clear_measures`.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from typing import Any

from tui_journal.domain.user_text import safe
from tui_journal.export import fonts
from tui_journal.services.reports.model import Cell, TableModel, column_groups, format_cell

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 20 * MM, 10 * MM, 16 * MM, 14 * MM
PAD = 2.5  # points of padding left and right in a cell
MAX_SIZE, MIN_SIZE = 9.0, 6.0
ONE_LINE_SIZE = 7.0
HEADER_GREY = "#E4E4E4"
TOTALS_GREY = "#F1F1F1"
STAMP = "М.П."
# A word longer than this (in ems) does not widen its column: the cell's paragraph breaks it
# (a 5,000-character topic or a long address would otherwise squeeze the other columns to
# nothing: «negative availWidth»).
WORD_CAP_EM = 14.0
# A cell never grows taller than this many lines (a row taller than a page cannot be laid
# out at all); longer text is cut with «…».
MAX_CELL_LINES = 24
WRAP_SLACK = 1.3
MAX_CELL_CHARS = 2000

_registered: tuple[str, str] | None = None


def register_fonts() -> tuple[str, str]:
    """Register DejaVu Sans (regular, bold) with reportlab once; returns their names."""
    global _registered
    if _registered is not None:
        return _registered
    from reportlab import rl_config
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    # binary (compressed) streams instead of ASCII85: smaller files, and reportlab's pure
    # Python ASCII85 encoder is a good part of the rendering time
    rl_config.useA85 = 0

    files = fonts.find_fonts()
    pdfmetrics.registerFont(TTFont(FONT, str(files.regular)))
    bold = FONT
    if files.bold is not None:
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(files.bold)))
        bold = FONT_BOLD
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, bold)
    addMapping(FONT, 0, 1, FONT)
    addMapping(FONT, 1, 1, bold)
    _registered = (FONT, bold)
    return _registered



# --- geometry ---------------------------------------------------------------------------


def usable_width(landscape: bool) -> float:
    width = PAGE_H if landscape else PAGE_W
    return width - MARGIN_LEFT - MARGIN_RIGHT


def cell_text(value: Cell, column: Any = None) -> str:
    """A cell as printed: safe text (line breaks kept), at most :data:`MAX_CELL_CHARS`."""
    text = safe(format_cell(value, column), multiline=True)
    return text if len(text) <= MAX_CELL_CHARS else text[: MAX_CELL_CHARS - 1] + "…"


def cap_lines(text: str, room: float, size: float, font: str) -> str:
    """Cut a cell's text so that it wraps into at most about :data:`MAX_CELL_LINES` lines of
    ``room`` points (measured with the font; :data:`WRAP_SLACK` allows for the room that
    wrapping at word boundaries leaves at line ends)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    budget = MAX_CELL_LINES
    kept: list[str] = []
    for line in text.split("\n"):
        need = max(1, math.ceil(stringWidth(line, font, size) * WRAP_SLACK / room))
        if need <= budget:
            kept.append(line)
            budget -= need
            continue
        limit = budget * room / WRAP_SLACK
        lo, hi = 0, len(line)
        while lo < hi:  # the longest head of the line that fits the lines left
            mid = (lo + hi + 1) // 2
            if stringWidth(line[:mid] + "…", font, size) <= limit:
                lo = mid
            else:
                hi = mid - 1
        kept.append(line[:lo])
        return "\n".join(kept).rstrip() + "…"
    return text


def _texts(model: TableModel) -> list[list[str]]:
    return [[cell_text(v, c) for v, c in zip(row, model.columns, strict=True)] for row in all_rows(model)]


def all_rows(model: TableModel) -> list[Sequence[Cell]]:
    rows: list[Sequence[Cell]] = list(model.rows)
    if model.totals is not None:
        rows.append(model.totals)
    return rows


class _Measure:
    """Word and line widths of a table's columns at a type size."""

    def __init__(self, model: TableModel, texts: list[list[str]]) -> None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        regular, bold = register_fonts()
        self.columns = model.columns
        n = len(model.columns)
        # widths at 1 pt; everything scales linearly with the size
        self.word = [0.0] * n
        self.line = [0.0] * n
        cache: dict[tuple[str, str], float] = {}

        def width(text: str, font: str) -> float:
            key = (text, font)
            if key not in cache:
                cache[key] = stringWidth(text, font, 1.0)
            return cache[key]

        def word_width(text: str, font: str) -> float:
            return min(width(text, font), WORD_CAP_EM)

        for i, column in enumerate(model.columns):
            words = [w for w in column.title.split()] if model.show_header else []
            for w in words:
                self.word[i] = max(self.word[i], word_width(w, bold))
        for r, row in enumerate(texts):
            font = bold if model.totals is not None and r == len(texts) - 1 else regular
            for i, text in enumerate(row):
                if not text:
                    continue
                full = width(text, font)
                if full > self.line[i]:
                    self.line[i] = full
                if " " in text or "\n" in text:
                    for w in text.split():
                        ww = word_width(w, font)
                        if ww > self.word[i]:
                            self.word[i] = ww
                elif min(full, WORD_CAP_EM) > self.word[i]:
                    self.word[i] = min(full, WORD_CAP_EM)
        if model.has_groups() and model.show_header:
            for group, first, last in column_groups(model.columns):
                longest = max((word_width(w, bold) for w in group.split()), default=0.0)
                span = sum(self.word[first : last + 1])
                if longest > span:
                    extra = (longest - span) / (last - first + 1)
                    for i in range(first, last + 1):
                        self.word[i] += extra

    def minimum(self, size: float) -> list[float]:
        return [w * size + 2 * PAD + 0.5 for w in self.word]

    def wanted(self, size: float, available: float) -> list[float]:
        cap = available * 0.45
        return [min(max(line * size + 2 * PAD + 0.5, m), max(cap, m)) for line, m in zip(self.line, self.minimum(size), strict=True)]


_local = threading.local()


def clear_measures() -> None:
    """Forget the measured tables (at a document's start and end)."""
    _cache().clear()


def _cache() -> dict[int, tuple[TableModel, _Measure]]:
    cache: dict[int, tuple[TableModel, _Measure]] | None = getattr(_local, "measures", None)
    if cache is None:
        cache = _local.measures = {}
    return cache


def _measure(model: TableModel) -> _Measure:
    """The model's measure, computed once per document (orientation and layout both need it)."""
    cached = _cache().get(id(model))
    if cached is not None and cached[0] is model:
        return cached[1]
    measure = _Measure(model, _texts(model))
    _cache()[id(model)] = (model, measure)
    return measure


def _natural_width(model: TableModel) -> float:
    if not model.columns:
        return 0.0
    measure = _measure(model)
    return sum(measure.wanted(8.0, usable_width(True)))


def choose_landscape(model: TableModel) -> bool:
    """The document's orientation: the model's, or landscape when a table is too wide."""
    if model.orientation != "auto":
        return model.orientation == "landscape"
    return any(_natural_width(part) > usable_width(False) for part in model.parts())


def layout(model: TableModel, available: float, max_size: float = MAX_SIZE) -> tuple[float, list[float]]:
    """The type size and the column widths that fit ``available`` points.

    Columns get at least their longest word; the rest of the room goes to the columns whose
    text would otherwise wrap, then (when everything fits on one line) to the text columns.
    """
    measure = _measure(model)
    start = min(max_size, MAX_SIZE if len(model.columns) <= 8 else 8.0)
    size = start
    # smaller type (down to ONE_LINE_SIZE) rather than wrapped cells: one line per row reads
    # better and draws faster; below that, wrap at word boundaries instead
    while size > ONE_LINE_SIZE and sum(measure.wanted(size, available)) > available:
        size -= 0.5
    if sum(measure.wanted(size, available)) > available:
        size = start
        while size > MIN_SIZE and sum(measure.minimum(size)) > available:
            size -= 0.5
    minimum = measure.minimum(size)
    wanted = measure.wanted(size, available)
    if sum(minimum) > available:
        scale = available / sum(minimum)
        return size, [w * scale for w in minimum]
    hints = [float(max(1, c.width_hint)) for c in model.columns]
    proportional = [available * h / sum(hints) for h in hints]
    if all(p >= w for p, w in zip(proportional, wanted, strict=True)):
        return size, proportional  # everything fits by the report's own proportions
    if sum(wanted) <= available:
        widths = list(wanted)
        spare = available - sum(widths)
        share = sum(hints)
        return size, [w + spare * h / share for w, h in zip(widths, hints, strict=True)]
    need = [w - m for w, m in zip(wanted, minimum, strict=True)]
    room = available - sum(minimum)
    needed = sum(need) or 1.0
    return size, [m + room * n / needed for m, n in zip(minimum, need, strict=True)]
