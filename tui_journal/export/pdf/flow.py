"""The document's story: the title block, the tables styled for print, the notes, the
signature lines and «М.П.», cut lines between slips, and the running header's text.

reportlab is imported inside the functions (see :mod:`tui_journal.export.pdf`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from tui_journal.domain.user_text import safe
from tui_journal.export.pdf.sizing import (
    HEADER_GREY,
    MAX_SIZE,
    MM,
    PAD,
    STAMP,
    TOTALS_GREY,
    all_rows,
    cap_lines,
    cell_text,
    layout,
    register_fonts,
)
from tui_journal.services.reports.model import TableModel, column_groups


def _x(text: str) -> str:
    """Stored text as paragraph markup: control, bidi and zero-width characters removed
    (old rows may still hold them), then XML-escaped."""
    return escape(safe(text))


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
    rows = all_rows(model)
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
                text = cap_lines(text, max(room[i], 1.0), size, bold if is_total else regular)
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


def build_story(model: TableModel, available: float, max_size: float = MAX_SIZE) -> list[Any]:
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
        header = running_header(model, section) if model.section_break == "page" else ""
        story += _part(section, styles, available, heading=True, header=header, max_size=max_size)
    if not model.columns:
        story += _notes(model.footnotes, styles)
    story += _signatures(model, styles, available)
    return story


def running_header(model: TableModel, section: TableModel | None = None) -> str:
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
