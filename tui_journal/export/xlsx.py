"""XLSX (openpyxl): a sheet per table, the header frozen, column widths set, numbers kept
numeric, and text that looks like a formula stored as text (never evaluated)."""

from __future__ import annotations

import io
import re
from typing import Any

from tui_journal.domain.user_text import safe
from tui_journal.services.reports.model import Cell, TableModel, column_groups

MAX_SHEETS = 60
STAMP = "М.П."
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
# What openpyxl refuses in a cell (IllegalCharacterError); :func:`safe` already replaces it.
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
XLSX_CELL_MAX = 32767


def xlsx_text(value: object) -> str:
    """Stored text as an XLSX cell takes it: no control, bidi or zero-width characters, line
    breaks kept, no longer than a cell holds."""
    text = _ILLEGAL.sub("?", safe(value, multiline=True))
    return text if len(text) <= XLSX_CELL_MAX else text[: XLSX_CELL_MAX - 1] + "…"


def sheet_title(text: str, taken: set[str]) -> str:
    """A valid, unique sheet name (31 characters, no []:*?/\\)."""
    base = _BAD_SHEET_CHARS.sub(" ", safe(text)).strip()[:31] or "Лист"
    title = base
    n = 2
    while title.casefold() in taken:
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(title.casefold())
    return title


def _set(ws: Any, row: int, col: int, value: Cell, *, decimals: int | None = None) -> Any:
    cell = ws.cell(row=row, column=col)
    if isinstance(value, bool):
        cell.value = "да" if value else "нет"
    elif isinstance(value, (int, float)):
        cell.value = value
        if isinstance(value, float):
            places = 2 if decimals is None else decimals
            cell.number_format = "0" if places == 0 else "0." + "0" * places
    elif value is None:
        cell.value = None
    else:
        cell.value = xlsx_text(value)
        # openpyxl stores «=…» as a formula: keep every string a string.
        cell.data_type = "s"
    return cell


def _heading(ws: Any, row: int, model: TableModel, *, top: bool) -> int:
    from openpyxl.styles import Font

    if top and model.school:
        _set(ws, row, 1, model.school).font = Font(bold=True)
        row += 1
    _set(ws, row, 1, model.title).font = Font(bold=True, size=14 if top else 12)
    row += 1
    if model.params:
        _set(ws, row, 1, model.params_text())
        row += 1
    return row + (1 if top else 0)


def _styles(wb: Any) -> None:
    """Named styles, registered once per workbook: assigning a name is much cheaper than
    setting font, border and alignment cell by cell."""
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

    thin = Side(style="thin", color="888888")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head = NamedStyle(name="tj-head")
    head.font = Font(bold=True)
    head.fill = PatternFill("solid", fgColor="E4E4E4")
    head.border = border
    head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wb.add_named_style(head)
    for align in ("left", "right", "center"):
        for total in (False, True):
            style = NamedStyle(name=f"tj-{align}{'-total' if total else ''}")
            style.border = border
            style.font = Font(bold=total)
            style.alignment = Alignment(horizontal=None if align == "left" else align, vertical="top", wrap_text=True)
            wb.add_named_style(style)


def _table(ws: Any, row: int, model: TableModel) -> tuple[int, int]:
    """Write the header and rows at ``row``; returns (first data row, next free row)."""
    from openpyxl.utils import get_column_letter

    columns = model.columns
    if model.show_header:
        used = 2 if model.has_groups() else 1
        if used == 2:
            grouped = {i for _, a, b in column_groups(columns) for i in range(a, b + 1)}
            for i, c in enumerate(columns, start=1):
                if i - 1 in grouped:
                    _set(ws, row + 1, i, c.title)
                else:
                    _set(ws, row, i, c.title)
                    ws.merge_cells(start_row=row, start_column=i, end_row=row + 1, end_column=i)
            for group, a, b in column_groups(columns):
                _set(ws, row, a + 1, group)
                if b > a:
                    ws.merge_cells(start_row=row, start_column=a + 1, end_row=row, end_column=b + 1)
        else:
            for i, c in enumerate(columns, start=1):
                _set(ws, row, i, c.title)
        for r in range(row, row + used):
            for i in range(1, len(columns) + 1):
                ws.cell(row=r, column=i).style = "tj-head"
        row += used
    first = row
    body: list[list[Cell]] = list(model.rows)
    if model.totals is not None:
        body.append(list(model.totals))
    names = [f"tj-{c.align}" for c in columns]
    for index, values in enumerate(body):
        suffix = "-total" if model.totals is not None and index == len(body) - 1 else ""
        for i, (value, c) in enumerate(zip(values, columns, strict=True), start=1):
            cell = _set(ws, row, i, value, decimals=c.decimals)
            cell.style = names[i - 1] + suffix
            if isinstance(value, float):
                places = c.decimals
                cell.number_format = "0" if places == 0 else "0." + "0" * places
        if model.row_height_mm:
            ws.row_dimensions[row].height = model.row_height_mm * 72 / 25.4
        row += 1
    for i, c in enumerate(columns, start=1):
        letter = get_column_letter(i)
        longest = max([len(str(v[i - 1])) for v in body if v[i - 1] is not None] + [0])
        title_words = max((len(w) for w in c.title.split()), default=0)
        width = max(min(longest, 60), title_words, 4, min(c.width_hint, 12)) + 2
        current = ws.column_dimensions[letter].width or 0
        ws.column_dimensions[letter].width = max(current if current > 13 else 0, width)
    return first, row


def _notes(ws: Any, row: int, notes: list[str]) -> int:
    for note in notes:
        _set(ws, row, 1, note)
        row += 1
    return row


def _signatures(ws: Any, model: TableModel, row: int) -> int:
    for role in model.signatures:
        if role == STAMP:
            _set(ws, row, 1, role)
        else:
            name = model.signers.get(role, "")
            _set(ws, row, 1, f"{role}: ____________________ / {name or '____________'} /")
        row += 1
    return row


def _page_setup(ws: Any, model: TableModel) -> None:
    hints = sum(c.width_hint for c in model.columns)
    wide = model.orientation == "landscape" or (model.orientation == "auto" and hints > 90)
    ws.page_setup.orientation = "landscape" if wide else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _sheet_labels(sections: list[TableModel]) -> list[str]:
    """Short sheet names: the pupil or the class when they tell the sections apart, else the title."""
    for key in ("Учащийся", "Класс"):
        values = [s.params.get(key, "") for s in sections]
        if all(values) and len(set(values)) == len(values):
            return values
    return [s.title for s in sections]


def render_xlsx(model: TableModel) -> bytes:
    """The model as an XLSX workbook (bytes): the report on the first sheet, its sections on
    sheets of their own (or below it, for slips and very many sections)."""
    from openpyxl import Workbook

    wb = Workbook()
    _styles(wb)
    ws = wb.active
    taken: set[str] = set()
    ws.title = sheet_title("Отчёт", taken)
    row = _heading(ws, 1, model, top=True)
    if model.columns:
        first, row = _table(ws, row, model)
        ws.freeze_panes = ws.cell(row=first, column=1)
        row = _notes(ws, row + 1, model.footnotes)
    one_sheet = model.section_break == "cut" or len(model.sections) > MAX_SHEETS
    labels = _sheet_labels(model.sections)
    for section, label in zip(model.sections, labels, strict=True):
        if one_sheet:
            row = _heading(ws, row + 1, section, top=False)
            _, row = _table(ws, row, section)
            row = _notes(ws, row, section.footnotes)
        else:
            sheet = wb.create_sheet(sheet_title(label, taken))
            r = _heading(sheet, 1, section, top=False)
            first, r = _table(sheet, r, section)
            sheet.freeze_panes = sheet.cell(row=first, column=1)
            _notes(sheet, r + 1, section.footnotes)
            _page_setup(sheet, section)
    if not model.columns:
        row = _notes(ws, row + 1, model.footnotes)
    _signatures(ws, model, row + 1)
    _page_setup(ws, model)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
