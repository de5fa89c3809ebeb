"""Renderers: any report's :class:`~tui_journal.export.model.TableModel` as PDF (reportlab),
XLSX (openpyxl), CSV or plain text. The screen renderer is the reports screen's DataTable.

reportlab and openpyxl are imported only when a PDF or XLSX is made.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from tui_journal import clock
from tui_journal.export.model import TableModel
from tui_journal.private import private_dir, write_private

FORMATS = ("pdf", "xlsx", "csv", "txt")
EXTENSIONS = {"pdf": ".pdf", "xlsx": ".xlsx", "csv": ".csv", "txt": ".txt"}


def render(model: TableModel, fmt: str) -> bytes:
    """The document in ``fmt`` (pdf, xlsx, csv, txt) as bytes."""
    if fmt == "pdf":
        from tui_journal.export.pdf import render_pdf

        return render_pdf(model)
    if fmt == "xlsx":
        from tui_journal.export.xlsx import render_xlsx

        return render_xlsx(model)
    if fmt == "csv":
        from tui_journal.export.csv import render_csv

        return render_csv(model)
    if fmt == "txt":
        from tui_journal.export.text import render_text

        return render_text(model).encode("utf-8")
    raise ValueError(f"Неизвестный формат «{fmt}»: допустимы {', '.join(FORMATS)}")


def format_of(path: str | Path, default: str = "txt") -> str:
    """The format named by a file's extension («отчёт.pdf» → pdf)."""
    suffix = Path(path).suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else default


_UNSAFE = re.compile(r"[^\w.-]+", re.UNICODE)


def file_name(model: TableModel, fmt: str, when: dt.datetime | None = None) -> str:
    """«class-progress_7А_2026-11-28_1405.pdf»: the report, the class, the moment."""
    stamp = (when or clock.now()).strftime("%Y-%m-%d_%H%M%S")
    parts = [model.name]
    cls = model.params.get("Класс")
    if cls:
        parts.append(cls)
    base = _UNSAFE.sub("-", "_".join([*parts, stamp])).strip("-")
    return base + EXTENSIONS[fmt]


def save(model: TableModel, fmt: str, folder: str | Path, when: dt.datetime | None = None) -> Path:
    """Render and write the document into ``folder`` (created 0700 if missing); returns the
    path. The file is the owner's only (0600): reports name pupils, slips hold passwords."""
    target = Path(folder).expanduser()
    private_dir(target)
    path = target / file_name(model, fmt, when)
    return write_private(path, render(model, fmt))  # reports hold personal data: 0600
