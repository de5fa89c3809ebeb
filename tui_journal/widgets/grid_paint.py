"""The grade grid's drawing: each pane's part of a line (the names, a lesson column, the gap,
the totals with the scrollbar), in as few style runs as it can (fewer escape codes on the
wire), and the note drawn over some rows of pupils."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip

from tui_journal.domain.grading import format_average
from tui_journal.i18n import t
from tui_journal.widgets.grid_layout import GridLayout, GridPane
from tui_journal.widgets.grid_model import (
    AVG_WIDTH,
    COLUMN_WIDTH,
    FINAL_WIDTH,
    NUMBER_WIDTH,
    PROPOSAL_WIDTH,
    TOTALS_WIDTH,
    fit,
    is_low,
)
from tui_journal.widgets.safe_text import shown


class GridPainting(GridLayout):
    """The lines of the grade grid's panes."""

    def set_overlay(self, text: str | None) -> None:
        """Draw ``text`` over a few rows of pupils (away from the cursor), or remove it.

        A docked panel would shrink the grid and repaint all of it; this repaints only the
        covered lines.
        """
        old_top, old_count = self._overlay_top, len(self._overlay)
        self._overlay = []
        if text:
            width = max(10, self._width)
            style = self._style("note")
            lines = Text(text).wrap(self.app.console, width - 2)
            self._overlay = [
                Strip([Segment(" "), *line.render(self.app.console), Segment(" ")])
                .apply_style(self.rich_style + style)
                .simplify()
                .adjust_cell_length(width, self.rich_style + style)
                for line in lines
            ][: max(1, self._body_height - 1)]
            cursor_y = self._row_y(self.row) or 1
            count = len(self._overlay)
            # at the bottom, unless that would hide the cursor's row
            self._overlay_top = 1 if cursor_y > self._body_height - count else self._body_height + 1 - count
        for pane in self._panes:
            if old_count:
                pane.refresh(Region(0, old_top, pane.size.width, old_count))
            if self._overlay:
                pane.refresh(Region(0, self._overlay_top, pane.size.width, len(self._overlay)))

    # --- drawing ------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"grade-grid--{name}", partial=True)

    def _pane_x(self, pane: GridPane) -> int:
        if pane is self._names:
            return 0
        if pane.part == "lesson":
            return self._left_width + pane.index * COLUMN_WIDTH
        if pane is self._gap:
            return self._left_width + len(self._lesson_panes) * COLUMN_WIDTH
        return self._width - TOTALS_WIDTH

    def render_part(self, pane: GridPane, y: int) -> Strip:
        width = pane.size.width
        base = pane.rich_style
        if self.grid is None:
            return Strip.blank(width, base)
        if self._overlay and self._overlay_top <= y < self._overlay_top + len(self._overlay):
            x = self._pane_x(pane)
            return self._overlay[y - self._overlay_top].crop(x, x + width).adjust_cell_length(width, base)
        index = self.top + y - 1
        if y > 0 and index >= len(self.rows):
            return Strip.blank(width, base)
        if pane.part == "names":
            segments = self._names_segments(y, index)
        elif pane.part == "lesson":
            segments = self._lesson_segments(y, index, pane.index)
        elif pane.part == "gap":
            segments = [Segment(" " * width, self._style("header") if y == 0 else Style())]
        else:
            segments = self._totals_segments(y, index)
        # one style run per change of style: fewer escape sequences over the wire
        return Strip(segments).apply_style(base).simplify().adjust_cell_length(width, base)

    def _cursor_style(self) -> Style:
        return self._style("cursor" if self.has_focus else "cursor-blur")

    def _names_segments(self, y: int, index: int) -> list[Segment]:
        name_w = self._name_width
        if y == 0:
            header = self._style("header")
            more_left = self.col_offset > 0
            return [
                Segment(f"{'№':>{NUMBER_WIDTH}} {fit(t('grid.pupil'), name_w):<{name_w}}", header),
                Segment(self._more_left if more_left else self._bar, header),
            ]
        row = self.rows[index]
        number_style = self._style("row") if index == self.row else Style()
        name_style = self._style("left") if row.note.startswith("выбыл") else Style()
        return [
            Segment(f"{row.number:>{NUMBER_WIDTH}}", number_style),
            Segment(" "),
            Segment(f"{fit(shown(row.name), name_w):<{name_w}}", name_style),
            Segment(self._bar),
        ]

    def _lesson_segments(self, y: int, index: int, offset: int) -> list[Segment]:
        """One lesson column's part of a line (``offset``: its place among the visible ones)."""
        assert self.grid is not None
        col = self.col_offset + offset
        if col >= len(self.columns):
            return [Segment(" " * COLUMN_WIDTH, self._style("header") if y == 0 else Style())]
        column = self.columns[col]
        if y == 0:  # the cursor's date is not highlighted here: the info line shows it
            label = f"{column.date:%d.%m}"
            return [Segment(f" {label:^{COLUMN_WIDTH - 1}}", self._style("header"))]
        row = self.rows[index]
        key = (row.student_id, column.lesson_id)
        text = self._cell_text(row.student_id, column.lesson_id)
        if key in self.optimistic:
            style = self._style("unsaved")
        else:
            style = self._style("low") if is_low(text) else Style()
        if index == self.row and col == self.col:
            style = style + self._cursor_style()
        # one run of one style for the whole cell, the gap before it included (the cursor is
        # 6 cells wide): a second run would cost another ~25 bytes of escape codes per cell
        return [Segment(f" {text:^{COLUMN_WIDTH - 1}}", style)]

    def _totals_segments(self, y: int, index: int) -> list[Segment]:
        assert self.grid is not None
        if y == 0:
            header = self._style("header")
            more_right = self.col_offset + self._visible < len(self.columns)
            return [
                Segment(self._more_right if more_right else self._bar, header),
                Segment(f"{t('grid.avg'):>{AVG_WIDTH}} {t('grid.proposal'):^{PROPOSAL_WIDTH}} ", header),
                Segment(f"{t('grid.final'):^{FINAL_WIDTH}}", header),
                Segment(" ", header),
            ]
        row = self.rows[index]
        average, proposal = self.totals.get(row.student_id, (None, None))
        avg_text = format_average(average) if average is not None else ""
        prop_text = proposal.value if proposal is not None else ""
        final = self.grid.period_marks.get(row.student_id, "")
        final_style = self._cursor_style() if (index == self.row and self.col == self.final_col) else Style()
        return [
            Segment(self._bar),
            Segment(f"{avg_text:>{AVG_WIDTH}} {fit(prop_text, PROPOSAL_WIDTH):^{PROPOSAL_WIDTH}} "),
            Segment(f"{fit(final, FINAL_WIDTH):^{FINAL_WIDTH}}", final_style),
            self._scrollbar_segment(y),
        ]

    def _scrollbar_segment(self, y: int) -> Segment:
        """The last column: a scrollbar thumb of reversed spaces (any terminal can draw it)."""
        rows, height = len(self.rows), self._body_height
        if rows <= height:
            return Segment(" ")
        size = max(1, round(height * height / rows))
        start = round(self.top * (height - size) / max(1, rows - height))
        return Segment(" ", self._style("thumb") if start <= y - 1 < start + size else Style())
