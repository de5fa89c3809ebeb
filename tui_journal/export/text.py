"""Plain aligned text: ``--format txt`` and the console. No width limit: cells are printed
whole, so the text is a faithful copy of the document."""

from __future__ import annotations

from tui_journal.domain.user_text import safe
from tui_journal.services.reports.model import TableModel, column_groups, format_cell

STAMP = "М.П."


def clean(text: str) -> str:
    """One line, without control, bidi or zero-width characters (stored text must not drive
    the terminal nor reorder the columns)."""
    return safe(text)


def _titles(model: TableModel) -> list[str]:
    groups = {i: g for g, a, b in column_groups(model.columns) for i in range(a, b + 1)}
    return [f"{groups[i]}: {c.title}" if i in groups else c.title for i, c in enumerate(model.columns)]


def table_lines(model: TableModel) -> list[str]:
    heads = [clean(t) for t in _titles(model)] if model.show_header else [""] * len(model.columns)
    body = [[clean(format_cell(v, c)) for v, c in zip(row, model.columns, strict=True)] for row in model.rows]
    totals = (
        [clean(format_cell(v, c)) for v, c in zip(model.totals, model.columns, strict=True)]
        if model.totals is not None
        else None
    )
    widths = [len(h) for h in heads]
    for row in body + ([totals] if totals else []):
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))

    def line(cells: list[str]) -> str:
        out = []
        for cell, width, column in zip(cells, widths, model.columns, strict=True):
            out.append(cell.rjust(width) if column.align == "right" else cell.ljust(width))
        return "  ".join(out).rstrip()

    lines = []
    if model.show_header:
        lines.append(line(heads))
        lines.append("  ".join("-" * w for w in widths))
    lines += [line(row) for row in body]
    if totals:
        lines.append("  ".join("-" * w for w in widths))
        lines.append(line(totals))
    return lines


def _params(model: TableModel) -> list[str]:
    return [clean(f"{k}: {v}") for k, v in model.params.items() if v]


def render_text(model: TableModel) -> str:
    """The whole document as plain text."""
    lines: list[str] = []
    if model.school:
        lines.append(clean(model.school))
    lines.append(clean(model.title).upper())
    lines += _params(model)
    lines.append("")
    if model.columns:
        lines += table_lines(model)
        lines += [clean(n) for n in model.footnotes]
        lines.append("")
    for section in model.sections:
        if model.section_break == "cut":
            lines.append("- - - - - - - - - - - - - - - - - ✂ - - - - - - - - - - - - - - - - -")
        lines.append(clean(section.title))
        lines += _params(section)
        if section.columns:
            lines += table_lines(section)
        lines += [clean(n) for n in section.footnotes]
        lines.append("")
    if not model.columns:
        lines += [clean(n) for n in model.footnotes]
    for role in model.signatures:
        if role == STAMP:
            lines.append(STAMP)
        else:
            name = model.signers.get(role, "")
            lines.append(clean(f"{role} ____________________ / {name or '____________'} /"))
    return "\n".join(lines).rstrip() + "\n"
