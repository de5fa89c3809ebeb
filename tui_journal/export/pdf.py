"""PDF for print (reportlab): A4, landscape when the table is wide, DejaVu Sans embedded.

Every page carries a running header (school, class, period, date) and «Стр. N из M»; the
first page has the school, the title and the parameters; tables repeat their header rows on
each page, wrap text at word boundaries (columns are never narrower than their longest word
unless even the smallest type cannot fit them), and end with the signature lines and «М.П.».

reportlab is imported inside the functions: it costs about 8 MB and 0.15 s, which a session
that never prints should not pay.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import threading
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from tui_journal import clock
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


def _x(text: str) -> str:
    """Stored text as paragraph markup: control, bidi and zero-width characters removed
    (old rows may still hold them), then XML-escaped."""
    return escape(safe(text))


def cell_text(value: Cell, column: Any = None) -> str:
    """A cell as printed: safe text (line breaks kept), at most :data:`MAX_CELL_CHARS`."""
    text = safe(format_cell(value, column), multiline=True)
    return text if len(text) <= MAX_CELL_CHARS else text[: MAX_CELL_CHARS - 1] + "…"


def _cap_lines(text: str, room: float, size: float, font: str) -> str:
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
    return [[cell_text(v, c) for v, c in zip(row, model.columns, strict=True)] for row in _all_rows(model)]


def _all_rows(model: TableModel) -> list[Sequence[Cell]]:
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


# --- building the story -------------------------------------------------------------------


def _styles(size: float) -> dict[str, Any]:
    from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    regular, bold = register_fonts()
    lead = size * 1.18
    return {
        "left": ParagraphStyle("l", fontName=regular, fontSize=size, leading=lead, alignment=TA_LEFT),
        "right": ParagraphStyle("r", fontName=regular, fontSize=size, leading=lead, alignment=TA_RIGHT),
        "center": ParagraphStyle("c", fontName=regular, fontSize=size, leading=lead, alignment=TA_CENTER),
        "head": ParagraphStyle("h", fontName=bold, fontSize=size, leading=lead, alignment=TA_CENTER),
        "bold-left": ParagraphStyle("bl", fontName=bold, fontSize=size, leading=lead, alignment=TA_LEFT),
        "bold-right": ParagraphStyle("br", fontName=bold, fontSize=size, leading=lead, alignment=TA_RIGHT),
        "bold-center": ParagraphStyle("bc", fontName=bold, fontSize=size, leading=lead, alignment=TA_CENTER),
    }


def _doc_styles() -> dict[str, Any]:
    from reportlab.lib.enums import TA_CENTER, TA_LEFT
    from reportlab.lib.styles import ParagraphStyle

    regular, bold = register_fonts()
    return {
        "school": ParagraphStyle("school", fontName=bold, fontSize=10.5, leading=13, alignment=TA_CENTER),
        "title": ParagraphStyle("title", fontName=bold, fontSize=14, leading=17, alignment=TA_CENTER, spaceBefore=4, spaceAfter=4),
        "params": ParagraphStyle("params", fontName=regular, fontSize=9, leading=12, alignment=TA_CENTER, spaceAfter=6),
        "section": ParagraphStyle(
            "section", fontName=bold, fontSize=11, leading=14, alignment=TA_LEFT, spaceBefore=6, spaceAfter=2,
            keepWithNext=1,
        ),
        "section-params": ParagraphStyle(
            "sp", fontName=regular, fontSize=8.5, leading=11, alignment=TA_LEFT, spaceAfter=4, keepWithNext=1
        ),
        "note": ParagraphStyle("note", fontName=regular, fontSize=7.5, leading=9.5, alignment=TA_LEFT, spaceBefore=1),
        "sign": ParagraphStyle("sign", fontName=regular, fontSize=9.5, leading=12, alignment=TA_LEFT),
        "cut": ParagraphStyle("cut", fontName=regular, fontSize=7, leading=8, alignment=TA_CENTER),
    }


def _params_markup(params: dict[str, str]) -> str:
    items = [f"<b>{_x(k)}:</b> {_x(v)}" for k, v in params.items() if v]
    return "&nbsp;&nbsp;&nbsp; ".join(items)


def _table(model: TableModel, available: float, max_size: float = MAX_SIZE) -> Any:
    """One table: header row(s), the rows, the totals, styled for print."""
    from reportlab.lib import colors
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Paragraph, Table, TableStyle

    regular, bold = register_fonts()
    size, widths = layout(model, available, max_size)
    st = _styles(size)
    columns = model.columns
    data: list[list[Any]] = []
    style: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), regular),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), size * 1.18),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#555555")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    widths_cache: dict[tuple[str, bool], float] = {}
    room = [w - 2 * PAD for w in widths]

    def fits(text: str, i: int, is_bold: bool) -> bool:
        if "\n" in text:
            return False
        key = (text, is_bold)
        if key not in widths_cache:
            widths_cache[key] = stringWidth(text, bold if is_bold else regular, size)
        return widths_cache[key] <= room[i]

    def head(text: str, i: int, last: int | None = None) -> Any:
        """A header cell: a plain string when it fits on one line, else a wrapping paragraph."""
        text = safe(text)
        room_here = sum(widths[i : (last if last is not None else i) + 1]) - 2 * PAD
        key = (text, True)
        if key not in widths_cache:
            widths_cache[key] = stringWidth(text, bold, size)
        if "\n" not in text and widths_cache[key] <= room_here:
            return text
        return Paragraph(_x(text), st["head"])

    header_rows = 0
    if model.show_header:
        if model.has_groups():
            header_rows = 2
            top: list[Any] = []
            bottom: list[Any] = []
            grouped = {i for _, a, b in column_groups(columns) for i in range(a, b + 1)}
            for i, c in enumerate(columns):
                if i in grouped:
                    top.append("")
                    bottom.append(head(c.title, i))
                else:
                    top.append(head(c.title, i))
                    bottom.append("")
                    style.append(("SPAN", (i, 0), (i, 1)))
            for group, a, b in column_groups(columns):
                top[a] = head(group, a, b)
                style.append(("SPAN", (a, 0), (b, 0)))
            data += [top, bottom]
        else:
            header_rows = 1
            data.append([head(c.title, i) for i, c in enumerate(columns)])
        style += [
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor(HEADER_GREY)),
            ("FONTNAME", (0, 0), (-1, header_rows - 1), bold),
            ("ALIGN", (0, 0), (-1, header_rows - 1), "CENTER"),
        ]
    rows = _all_rows(model)
    totals_at = len(rows) - 1 if model.totals is not None else -1
    for r, row in enumerate(rows):
        is_total = r == totals_at
        cells: list[Any] = []
        for i, (value, column) in enumerate(zip(row, columns, strict=True)):
            text = cell_text(value, column)
            if not text or fits(text, i, is_total):
                cells.append(text)
            else:
                key = ("bold-" if is_total else "") + column.align
                text = _cap_lines(text, max(room[i], 1.0), size, bold if is_total else regular)
                cells.append(Paragraph(escape(text).replace("\n", "<br/>"), st[key]))
        data.append(cells)
    for i, column in enumerate(columns):
        align = {"left": "LEFT", "right": "RIGHT", "center": "CENTER"}[column.align]
        style.append(("ALIGN", (i, header_rows), (i, -1), align))
    if totals_at >= 0:
        row_index = header_rows + totals_at
        style += [
            ("FONTNAME", (0, row_index), (-1, row_index), bold),
            ("BACKGROUND", (0, row_index), (-1, row_index), colors.HexColor(TOTALS_GREY)),
        ]
    # rows of plain one-line strings get a fixed height: reportlab then skips measuring them
    line = size * 1.18 + 1.5 + 2
    heights: list[float | None] = [None for _ in range(header_rows)]
    if model.row_height_mm:
        heights += [max(model.row_height_mm * MM, line) for _ in rows]
    else:
        heights += [None if any(not isinstance(cell, str) for cell in cells) else line for cells in data[header_rows:]]
    table = Table(data, colWidths=widths, rowHeights=heights, repeatRows=header_rows, hAlign="LEFT")
    table.setStyle(TableStyle(style))
    return table


def _cut_line(width: float) -> Any:
    """A dashed line across the page with scissors, between credential slips."""
    from reportlab.platypus.flowables import Flowable

    regular, _ = register_fonts()

    class CutLine(Flowable):
        def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
            return width, 14

        def draw(self) -> None:
            c = self.canv
            c.saveState()
            c.setDash(3, 3)
            c.setLineWidth(0.6)
            c.line(0, 7, width, 7)
            c.setDash()
            c.setFont(regular, 7)
            label = " ✂ линия отреза "
            from reportlab.pdfbase.pdfmetrics import stringWidth

            w = stringWidth(label, regular, 7)
            c.setFillColorRGB(1, 1, 1)
            c.rect(width / 2 - w / 2, 3, w, 8, stroke=0, fill=1)
            c.setFillColorRGB(0, 0, 0)
            c.drawCentredString(width / 2, 4.5, label)
            c.restoreState()

    return CutLine()


def _notes(footnotes: Sequence[str], styles: dict[str, Any]) -> list[Any]:
    from reportlab.platypus import Paragraph, Spacer

    if not footnotes:
        return []
    out: list[Any] = [Spacer(1, 3)]
    for note in footnotes:
        out.append(Paragraph(_x(note), styles["note"]))
    return out


def _signatures(model: TableModel, styles: dict[str, Any], width: float) -> list[Any]:
    from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

    roles = [s for s in model.signatures if s != STAMP]
    if not roles and STAMP not in model.signatures:
        return []
    rows = []
    for role in roles:
        name = model.signers.get(role, "")
        shown = f"/ {_x(name)} /" if name else "/ ______________________ /"
        rows.append(
            [Paragraph(_x(role), styles["sign"]), "", Paragraph(shown, styles["sign"])]
        )
    block: list[Any] = [Spacer(1, 8)]
    if rows:
        table = Table(rows, colWidths=[75 * MM, 45 * MM, 60 * MM], hAlign="LEFT", rowHeights=[7.5 * MM] * len(rows))
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                    ("LINEBELOW", (1, 0), (1, -1), 0.6, "#000000"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ]
            )
        )
        block.append(table)
    if STAMP in model.signatures:
        block += [Spacer(1, 4), Paragraph(f"<b>{STAMP}</b>", styles["sign"])]
    return [KeepTogether(block)]


def _marker(text: str) -> Any:
    """A zero-size flowable that sets the running header from here on (a section's class)."""
    from reportlab.platypus.flowables import Flowable

    class Marker(Flowable):
        def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
            return 0, 0

        def draw(self) -> None:
            self.canv._tj_header = text

    return Marker()


def _part(
    part: TableModel,
    styles: dict[str, Any],
    available: float,
    *,
    heading: bool,
    header: str = "",
    max_size: float = MAX_SIZE,
) -> list[Any]:
    from reportlab.platypus import KeepTogether, Paragraph, Spacer

    flow: list[Any] = [_marker(header)] if header else []
    if heading:
        flow.append(Paragraph(_x(part.title), styles["section"]))
        if part.params:
            flow.append(Paragraph(_params_markup(part.params), styles["section-params"]))
    if part.columns:
        flow.append(_table(part, available, max_size))
    flow += _notes(part.footnotes, styles) if heading else []
    if heading and part.section_break == "space":
        flow.append(Spacer(1, 4))
    if heading and len(part.rows) <= 8 and not part.sections:
        return [KeepTogether(flow)]
    return flow


def _story(model: TableModel, available: float, max_size: float = MAX_SIZE) -> list[Any]:
    from reportlab.platypus import PageBreak, Paragraph, Spacer

    styles = _doc_styles()
    story: list[Any] = []
    if model.school:
        story.append(Paragraph(_x(model.school), styles["school"]))
    story.append(Paragraph(_x(model.title), styles["title"]))
    if model.params:
        story.append(Paragraph(_params_markup(model.params), styles["params"]))
    if model.columns:
        story.append(_table(model, available, max_size))
        story += _notes(model.footnotes, styles)
    for index, section in enumerate(model.sections):
        if index or model.columns:
            if model.section_break == "page":
                story.append(PageBreak())
            elif model.section_break == "cut":
                story.append(_cut_line(available))
            else:
                story.append(Spacer(1, 10))
        header = _running_header(model, section) if model.section_break == "page" else ""
        story += _part(section, styles, available, heading=True, header=header, max_size=max_size)
    if not model.columns:
        story += _notes(model.footnotes, styles)
    story += _signatures(model, styles, available)
    return story


# --- pages ------------------------------------------------------------------------------


def _running_header(model: TableModel, section: TableModel | None = None) -> str:
    keys = ("Класс", "Учащийся", "Период", "Месяц", "Неделя", "На дату", "Дата")
    params = dict(model.params)
    if section is not None:
        params.update(section.params)
    parts = []
    for key in keys:
        value = params.get(key)
        if value:
            parts.append(f"{key}: {value}" if key not in ("Период", "Месяц") else value)
    return " · ".join(parts)


ONE_PAGE_SIZES = (9.0, 8.5, 8.0, 7.5, 7.0, 6.5)


def render_pdf(model: TableModel, *, generated: dt.datetime | None = None) -> bytes:
    """The model as a PDF document (bytes). A model that asks for one page is set in
    smaller type until it fits (or the type reaches 6.5 pt)."""
    _cache().clear()
    try:
        if not model.one_page:
            return _build(model, generated, MAX_SIZE)[0]
        data = b""
        for size in ONE_PAGE_SIZES:
            data, pages = _build(model, generated, size)
            if pages <= 1:
                break
        return data
    finally:
        _cache().clear()


def _build(model: TableModel, generated: dt.datetime | None, max_size: float) -> tuple[bytes, int]:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas as rl_canvas
    from reportlab.platypus import SimpleDocTemplate

    regular, _bold = register_fonts()
    wide = choose_landscape(model)
    pagesize = landscape(A4) if wide else A4
    available = usable_width(wide)
    when = (generated or clock.now()).strftime("%d.%m.%Y %H:%M")
    header_right = safe(_running_header(model))
    footer_left = safe(f"{model.title} · сформировано {when}")
    counted: list[int] = []

    def decorate(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        width, height = pagesize
        canvas.setFont(regular, 7.5)
        canvas.setFillColorRGB(0.25, 0.25, 0.25)
        top = height - MARGIN_TOP + 6
        canvas.drawString(MARGIN_LEFT, top, _fit(safe(model.school), regular, 7.5, available * 0.45))
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN_LEFT, top - 3, width - MARGIN_RIGHT, top - 3)
        canvas.drawString(MARGIN_LEFT, MARGIN_BOTTOM - 16, _fit(footer_left, regular, 7.5, available * 0.75))
        canvas.restoreState()

    class NumberedCanvas(rl_canvas.Canvas):
        """Draws the running header's right part and «Стр. N из M» once the pages are known."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            counted.append(total)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(regular, 7.5)
                self.setFillColorRGB(0.25, 0.25, 0.25)
                width, height = pagesize
                shown = safe(getattr(self, "_tj_header", "")) or header_right
                self.drawRightString(
                    width - MARGIN_RIGHT, height - MARGIN_TOP + 6, _fit(shown, regular, 7.5, available * 0.54)
                )
                self.setFont(regular, 8)
                self.drawRightString(width - MARGIN_RIGHT, MARGIN_BOTTOM - 16, f"Стр. {self._pageNumber} из {total}")
                super().showPage()
            super().save()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP + 4,
        bottomMargin=MARGIN_BOTTOM,
        title=safe(model.title),
        author=safe(model.school),
        subject=safe(model.params_text()),
        creator="tui-journal",
    )
    doc.build(
        _story(model, available, max_size), onFirstPage=decorate, onLaterPages=decorate, canvasmaker=NumberedCanvas
    )
    return buffer.getvalue(), (counted[0] if counted else 0)


def _fit(text: str, font: str, size: float, width: float) -> str:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"

