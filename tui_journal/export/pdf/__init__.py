"""PDF for print (reportlab): A4, landscape when the table is wide, DejaVu Sans embedded.

Every page carries a running header (school, class, period, date) and «Стр. N из M»; the
first page has the school, the title and the parameters; tables repeat their header rows on
each page, wrap text at word boundaries (columns are never narrower than their longest word
unless even the smallest type cannot fit them), and end with the signature lines and «М.П.».

reportlab is imported inside the functions: it costs about 8 MB and 0.15 s, which a session
that never prints should not pay.

Here: the pages (header, footer, «Стр. N из M») and :func:`render_pdf`; the table's fit to
the page is :mod:`.sizing`, what goes on the pages is :mod:`.flow`.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from tui_journal import clock
from tui_journal.domain.user_text import safe
from tui_journal.export.pdf.flow import build_story, running_header
from tui_journal.export.pdf.sizing import (
    FONT,
    FONT_BOLD,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    MAX_SIZE,
    cell_text,
    choose_landscape,
    clear_measures,
    layout,
    register_fonts,
    usable_width,
)
from tui_journal.services.reports.model import TableModel

__all__ = [
    "FONT",
    "FONT_BOLD",
    "ONE_PAGE_SIZES",
    "cell_text",
    "choose_landscape",
    "layout",
    "register_fonts",
    "render_pdf",
    "usable_width",
]

ONE_PAGE_SIZES = (9.0, 8.5, 8.0, 7.5, 7.0, 6.5)


def render_pdf(model: TableModel, *, generated: dt.datetime | None = None) -> bytes:
    """The model as a PDF document (bytes). A model that asks for one page is set in
    smaller type until it fits (or the type reaches 6.5 pt)."""
    clear_measures()
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
        clear_measures()


def _build(model: TableModel, generated: dt.datetime | None, max_size: float) -> tuple[bytes, int]:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas as rl_canvas
    from reportlab.platypus import SimpleDocTemplate

    regular, _bold = register_fonts()
    wide = choose_landscape(model)
    pagesize = landscape(A4) if wide else A4
    available = usable_width(wide)
    when = (generated or clock.now()).strftime("%d.%m.%Y %H:%M")
    header_right = safe(running_header(model))
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
        build_story(model, available, max_size), onFirstPage=decorate, onLaterPages=decorate, canvasmaker=NumberedCanvas
    )
    return buffer.getvalue(), (counted[0] if counted else 0)


def _fit(text: str, font: str, size: float, width: float) -> str:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"
