"""The grade grid: pupils × lessons of one period, typed into without a dialog per mark.

A Line-API widget rather than textual's DataTable, because the grid needs *both* edges fixed:
the pupils' numbers and names at the left and the averages, proposed and period marks at
the right, with the lessons of the period scrolling between them (DataTable only fixes the
left). It also lets each change repaint the smallest region: a cursor move repaints the two
cells and the two row numbers it touches (under 200 bytes over SSH; the column's date is
not highlighted in the header, the screen's info line names it); a mark
repaints its cell once and the row's average and proposal if they changed. Nothing here
animates or blinks.

Every visible lesson column is a widget of its own (a pane, see
:mod:`~tui_journal.widgets.grid_layout`), so that one changed cell does not resend the line
up to it. The parts of the widget live in sibling modules: the column model and the cells
(:mod:`~tui_journal.widgets.grid_model`), the state, geometry and cursor
(:mod:`~tui_journal.widgets.grid_layout`), the drawing (:mod:`~tui_journal.widgets.grid_paint`)
and the keys (:mod:`~tui_journal.widgets.grid_keys`); this module puts them together and
takes the screen's updates (what was saved, refused, queued).

A typed mark is not painted as «not saved» at once: the save usually comes back within a few
milliseconds, and painting the cell twice (``5*`` then ``5``) doubles the bytes. The ``*``
appears only if the save takes longer than :data:`PENDING_PAINT_DELAY` (or the screen says
the change went to the queue: :meth:`GradeGrid.paint_unsaved`).

Layout of one line at 80 columns (the vertical scrollbar takes the last column)::

    №  name (16–24)      │ 27.11 28.11 …  (6 per lesson) │  Ср. Пр.  Итог

Keys that write (digits, attendance letters in both layouts, ``/``, Delete, Backspace, ``=``)
turn into messages: the screen saves them and tells the widget what was saved. The widget
keeps the optimistic text of a cell with a trailing ``*`` until the screen confirms it.

:class:`~tui_journal.widgets.edit_line.EditLine` (the one-line editor docked under the grid,
used by the journal screens instead of modal dialogs) lives in its own module.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from tui_journal import clock
from tui_journal.services.journal import CellView, ColumnView, Grid
from tui_journal.widgets.grid_keys import GridKeys
from tui_journal.widgets.grid_layout import PENDING_PAINT_DELAY
from tui_journal.widgets.grid_model import CellBase, base_of, row_proposal
from tui_journal.widgets.grid_paint import GridPainting

__all__ = ["PENDING_PAINT_DELAY", "CellBase", "GradeGrid", "base_of"]  # the names other modules import from here

class GradeGrid(GridKeys, GridPainting, can_focus=True):
    """Pupils × lessons with fixed names at the left and fixed totals at the right."""

    DEFAULT_CSS = """
    GradeGrid {
        layout: horizontal;
        height: 1fr;
        width: 100%;
    }
    GradeGrid > .grade-grid--header { text-style: bold; }
    GradeGrid > .grade-grid--cursor { text-style: reverse; }
    GradeGrid > .grade-grid--cursor-blur { text-style: underline; }
    GradeGrid > .grade-grid--current { text-style: bold reverse; }
    GradeGrid > .grade-grid--row { text-style: bold reverse; }
    GradeGrid > .grade-grid--unsaved { color: $warning; text-style: bold; }
    GradeGrid:ansi > .grade-grid--unsaved { color: ansi_yellow; }
    GradeGrid > .grade-grid--left { text-style: dim; }
    GradeGrid > .grade-grid--low { color: $error; }
    GradeGrid:ansi > .grade-grid--low { color: ansi_red; }
    GradeGrid > .grade-grid--note { background: $panel; }
    GradeGrid:ansi > .grade-grid--note { background: ansi_blue; color: ansi_bright_white; }
    GradeGrid > .grade-grid--thumb { text-style: reverse; }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "grade-grid--header",
        "grade-grid--cursor",
        "grade-grid--cursor-blur",
        "grade-grid--current",
        "grade-grid--row",
        "grade-grid--unsaved",
        "grade-grid--left",
        "grade-grid--low",
        "grade-grid--note",
        "grade-grid--thumb",
    }

    def load(self, grid: Grid, *, today: dt.date | None = None, keep_cursor: bool = False) -> None:
        """Show ``grid``; the cursor goes to today's (or the last past) lesson."""
        old_row, old_col = self.row, self.col
        self.grid = grid
        self.optimistic.clear()
        self._deferred.clear()
        self.totals = {
            r.student_id: (grid.averages.get(r.student_id), grid.proposals[r.student_id])
            if r.student_id in grid.proposals
            else row_proposal(grid, r.student_id)
            for r in grid.rows
        }
        self._slash = False
        if keep_cursor:
            self.row = min(old_row, max(0, len(grid.rows) - 1))
            self.col = min(old_col, self.final_col)
        else:
            self.row, self.top = 0, 0
            self.col = self._today_column(today or clock.today())
        self._relayout()
        self._scroll_cursor_into_view()
        self._refresh_all()
        self.post_message(self.CursorMoved())

    def _today_column(self, today: dt.date) -> int:
        past = [i for i, c in enumerate(self.columns) if c.date <= today]
        if past:
            return past[-1]
        return 0 if self.columns else self.final_col
    # --- updates from the screen ----------------------------------------------------

    def set_saved(
        self, student_id: int, lesson_id: int, view: CellView, *, still_pending: bool = False
    ) -> None:
        """The database now holds ``view`` for this cell; recompute the row's totals."""
        if self.grid is None:
            return
        key = (student_id, lesson_id)
        shown = self._cell_text(student_id, lesson_id, painted=True)
        self.grid.cells[key] = view
        if not still_pending:
            self.optimistic.pop(key, None)
            self._deferred.discard(key)
        old_totals = self._totals_text(student_id)
        self.totals[student_id] = row_proposal(self.grid, student_id)
        if self._cell_text(student_id, lesson_id) != shown:
            self._refresh_cell(student_id, lesson_id)
        if self._totals_text(student_id) != old_totals:
            self._refresh_totals(student_id)

    def set_final(self, student_id: int, value: str) -> None:
        if self.grid is None:
            return
        if value:
            self.grid.period_marks[student_id] = value
        else:
            self.grid.period_marks.pop(student_id, None)
        self.totals[student_id] = row_proposal(self.grid, student_id)
        self._refresh_totals(student_id)

    def set_column(self, index: int, column: ColumnView) -> None:
        if self.grid is None:
            return
        self.grid.columns[index] = column
        self.post_message(self.CursorMoved())

    def move_to(self, student_id: int, lesson_id: int | None) -> None:
        """Put the cursor on a pupil's cell (lesson None: the «Итог» column)."""
        row = self._row_index(student_id)
        if row is None:
            return
        col = self.final_col
        if lesson_id is not None:
            col = next((i for i, c in enumerate(self.columns) if c.lesson_id == lesson_id), self.col)
        self._set_cursor(row, col)

    # --- focus --------------------------------------------------------------------------

    def on_focus(self) -> None:
        self._refresh_at(self.row, self.col)

    def on_blur(self) -> None:
        self._slash = False
        self._refresh_at(self.row, self.col)
