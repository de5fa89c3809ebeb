"""The table model every report returns and every renderer draws.

A report is data, not layout: a title, the parameters it was run with (Russian labels →
values), columns, rows, totals, footnotes that state the formulas used, who signs it, and,
for multi-part documents (a journal printout, credential slips, one pupil's week), sub-tables
in ``sections``. The renderers in :mod:`tui_journal.export` and the reports screen turn any
model into PDF, XLSX, CSV, plain text or a DataTable; adding a report never touches them.

The model lives with the services (the reports build it) and is re-exported by
``tui_journal.export.model``: the layer contract lets the export layer import the services,
not the other way round.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

from tui_journal.domain.text import format_decimal, rounded

Cell = str | int | float | None
Align = Literal["left", "right", "center"]
Orientation = Literal["auto", "portrait", "landscape"]
SectionBreak = Literal["space", "page", "cut"]

DASH = "—"
"""What an indicator that cannot be computed (N = 0) prints."""


@dataclass(frozen=True)
class Column:
    """One column: ``key`` names it in CSV and code, ``title`` is what people read.

    ``width_hint`` is the width in characters the column would like (renderers treat it as
    a proportion and never break words to honour it); ``group`` is an optional heading
    spanning consecutive columns («Пропущено дней» over «всего», «по болезни», …);
    ``decimals`` is how floats are printed.
    """

    key: str
    title: str
    width_hint: int = 10
    align: Align = "left"
    numeric: bool = False
    group: str = ""
    decimals: int = 2


@dataclass(frozen=True)
class TableModel:
    """A report (or one part of it).

    ``rows`` hold raw values: ``int``/``float`` stay numbers (XLSX keeps them numeric, the
    other renderers print floats with a decimal comma), ``None`` is an empty cell, and a
    string is printed as it is («—» for an indicator that has no value).

    ``signers`` optionally names the people of ``signatures`` («Директор» → «Носова С. М.»).
    ``row_height_mm`` asks for rows tall enough to write in by hand (blank forms).
    ``section_break`` says what separates the ``sections``: a gap, a new page, or a cut line.
    ``show_header`` False draws the rows without the column titles (a slip of «label: value»).
    ``one_page`` asks the PDF to shrink the type (down to a legible minimum) to fit one page.
    """

    name: str
    title: str
    school: str = ""
    params: dict[str, str] = field(default_factory=dict)
    columns: tuple[Column, ...] = ()
    rows: list[list[Cell]] = field(default_factory=list)
    totals: list[Cell] | None = None
    footnotes: list[str] = field(default_factory=list)
    signatures: tuple[str, ...] = ()
    signers: dict[str, str] = field(default_factory=dict)
    orientation: Orientation = "auto"
    sections: list[TableModel] = field(default_factory=list)
    section_break: SectionBreak = "space"
    row_height_mm: float | None = None
    show_header: bool = True
    one_page: bool = False

    def __post_init__(self) -> None:
        """A row of the wrong length would shift every cell after it: refuse it early.

        Floats are rounded here, once, by the domain's rounding (half away from zero) to the
        column's decimals: every renderer (screen, PDF, XLSX, CSV, text) then prints the same
        figure, whatever its own number formatting does with ties."""
        width = len(self.columns)
        for index, row in enumerate(self.rows):
            if len(row) != width:
                raise ValueError(f"{self.name}: в строке {index + 1} {len(row)} ячеек, а столбцов {width}")
        if self.totals is not None and len(self.totals) != width:
            raise ValueError(f"{self.name}: в строке итогов {len(self.totals)} ячеек, а столбцов {width}")
        for row in [*self.rows, *([self.totals] if self.totals is not None else [])]:
            for i, (value, column) in enumerate(zip(row, self.columns, strict=True)):
                if isinstance(value, float) and math.isfinite(value):
                    row[i] = rounded(value, column.decimals)

    @property
    def has_table(self) -> bool:
        return bool(self.columns)

    def parts(self) -> list[TableModel]:
        """The tables to draw, in order: this one (if it has columns), then its sections."""
        own = [self] if self.columns else []
        return own + list(self.sections)

    def params_text(self, sep: str = "; ") -> str:
        """«Класс: 7А; Период: 2 четверть; Дата: 28.11.2026»."""
        return sep.join(f"{k}: {v}" for k, v in self.params.items() if v)

    def has_groups(self) -> bool:
        return any(c.group for c in self.columns)


def format_cell(value: Cell, column: Column | None = None) -> str:
    """A cell as people read it: floats with a decimal comma, ``None`` as an empty string."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, float):
        if not math.isfinite(value):
            return DASH
        return format_decimal(value, column.decimals if column is not None else 2)
    return str(value)


def column_groups(columns: tuple[Column, ...]) -> list[tuple[str, int, int]]:
    """Runs of consecutive columns with the same non-empty group: (group, first, last)."""
    runs: list[tuple[str, int, int]] = []
    index = 0
    while index < len(columns):
        group = columns[index].group
        end = index
        while end + 1 < len(columns) and group and columns[end + 1].group == group:
            end += 1
        if group:
            runs.append((group, index, end))
        index = end + 1
    return runs
