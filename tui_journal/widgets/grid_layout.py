"""The grade grid's state and geometry: the grid shown, the cursor, the columns that fit the
terminal and the panes that hold them, the regions a change repaints, and the messages the
grid posts. :class:`~tui_journal.widgets.grade_grid.GradeGrid` is this with the drawing
(:mod:`~tui_journal.widgets.grid_paint`) and the keys (:mod:`~tui_journal.widgets.grid_keys`).

Every visible lesson column is a widget of its own (:class:`GridPane`): textual repaints a
changed part of a line from the left edge of the widget that holds it (its compositor's
«chops» are cut at widget edges only), so one cell of a single wide widget would resend the
line up to that cell.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.timer import Timer
from textual.widget import Widget

from tui_journal.domain.grading import Proposal, format_average
from tui_journal.domain.marks import InvalidCell, parse_cell
from tui_journal.services.journal import CellView, ColumnView, Grid, RowView
from tui_journal.widgets.grid_model import (
    COLUMN_WIDTH,
    FINAL_WIDTH,
    FINAL_X,
    NAME_MAX,
    NAME_MIN,
    NUMBER_WIDTH,
    TOTALS_WIDTH,
    UNSAVED_MARK,
    CellBase,
    base_of,
    fit,
)

#: Seconds a typed change may wait for its save before the cell shows it with «*».
PENDING_PAINT_DELAY = 0.15


class GridPane(Widget):
    """One vertical strip of the grid (names, one lesson column, the gap after the lessons,
    or the totals), drawn by :class:`~tui_journal.widgets.grade_grid.GradeGrid`.

    The grid is several widgets side by side because textual repaints a partly changed line
    from the left edge of the widget that changed: a cell at the right of one wide widget
    would resend the whole line up to it.
    """

    DEFAULT_CSS = """
    GridPane { height: 1fr; width: auto; }
    """

    def __init__(self, grid: GridLayout, part: str, index: int = 0) -> None:
        super().__init__(classes=f"-{part}")
        self.grid = grid
        self.part = part
        self.index = index  # a lesson pane: its place among the visible columns

    def render_line(self, y: int) -> Strip:
        return self.grid.render_part(self, y)


class GridLayout(Widget):
    """What the grade grid knows and where it draws it; drawn and typed into by its subclasses."""

    # --- messages (handled as GradeGrid's: ``on_grade_grid_cell_write``…) ---------------

    class CellWrite(Message, namespace="grade_grid"):
        """The teacher typed into a lesson cell: make it hold ``text``."""

        def __init__(self, lesson_id: int, student_id: int, old_text: str, text: str) -> None:
            super().__init__()
            self.lesson_id = lesson_id
            self.student_id = student_id
            self.old_text = old_text
            self.text = text

    class FinalWrite(Message, namespace="grade_grid"):
        """The teacher typed into the «Итог» column (``value`` empty: remove the mark)."""

        def __init__(self, student_id: int, value: str) -> None:
            super().__init__()
            self.student_id = student_id
            self.value = value

    class EditRequested(Message, namespace="grade_grid"):
        """Enter or F2: open the edit line for the cursor's cell."""

    class Refused(Message, namespace="grade_grid"):
        """A key could not do its work here; ``text`` says why."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class CursorMoved(Message, namespace="grade_grid"):
        """The cursor moved (the screen shows the column's and the pupil's details)."""

    # --- state ------------------------------------------------------------------------

    def __init__(self, *, safe_glyphs: bool = False, advance: bool = True, id: str | None = None) -> None:
        super().__init__(id=id)
        #: after a mark or a code the cursor goes to the next pupil (as on the roll screen)
        self.advance = advance
        self._just_wrote: tuple[int, int] | None = None  # the cell a mark was typed into, then left
        self._code_armed: tuple[int, int, str] | None = None  # a code asked about over a mark
        self.grid: Grid | None = None
        self.row = 0
        self.col = 0  # 0..len(columns)-1 are lessons; len(columns) is «Итог»
        self.col_offset = 0  # the first lesson column shown
        self.top = 0  # the first pupil shown
        self.optimistic: dict[tuple[int, int], str] = {}  # (student, lesson) → text not saved yet
        self.totals: dict[int, tuple[float | None, Proposal]] = {}
        self._slash = False
        self._name_width = NAME_MIN
        self._visible = 1
        self._overlay: list[Strip] = []  # a note drawn over some rows (the work types)
        self._overlay_top = 0
        self._bar = "|" if safe_glyphs else "│"
        self._more_left = "<" if safe_glyphs else "◂"
        self._more_right = ">" if safe_glyphs else "▸"
        self._deferred: set[tuple[int, int]] = set()  # typed, not painted yet (see grade_grid's module doc)
        self._deferred_timer: Timer | None = None
        self._names = GridPane(self, "names")
        self._relayout(80)  # what fits 80 columns, corrected at the first resize
        self._lesson_panes = [GridPane(self, "lesson", i) for i in range(self._visible)]
        self._gap = GridPane(self, "gap")
        self._totals = GridPane(self, "totals")
        self._relayout(80)

    def compose(self) -> Iterable[Widget]:
        yield self._names
        yield from self._lesson_panes
        yield self._gap
        yield self._totals

    @property
    def _panes(self) -> list[GridPane]:
        return [self._names, *self._lesson_panes, self._gap, self._totals]

    def render_part(self, pane: GridPane, y: int) -> Strip:
        """Line ``y`` of ``pane`` (drawn by :class:`~tui_journal.widgets.grid_paint.GridPainting`)."""
        raise NotImplementedError

    # --- data -------------------------------------------------------------------------

    @property
    def columns(self) -> list[ColumnView]:
        return self.grid.columns if self.grid else []

    @property
    def rows(self) -> list[RowView]:
        return self.grid.rows if self.grid else []

    @property
    def final_col(self) -> int:
        return len(self.columns)

    @property
    def current_row(self) -> RowView | None:
        rows = self.rows
        return rows[self.row] if 0 <= self.row < len(rows) else None

    @property
    def current_column(self) -> ColumnView | None:
        cols = self.columns
        return cols[self.col] if 0 <= self.col < len(cols) else None

    @property
    def on_final(self) -> bool:
        return self.grid is not None and self.col == self.final_col

    def cell_view(self, student_id: int, lesson_id: int) -> CellView:
        assert self.grid is not None
        return self.grid.cell(student_id, lesson_id)

    def cell_base(self, student_id: int, lesson_id: int) -> CellBase:
        """The cell as the teacher last typed it (the optimistic text wins until saved)."""
        text = self.optimistic.get((student_id, lesson_id))
        if text is not None:
            try:
                entry = parse_cell(text)
                return CellBase(entry.marks, entry.attendance)
            except InvalidCell:
                pass
        return base_of(self.cell_view(student_id, lesson_id))

    def shown_text(self, student_id: int, lesson_id: int) -> str:
        """What the cell shows now (without the «not saved» marker)."""
        text = self.optimistic.get((student_id, lesson_id))
        if text is not None:
            return text
        return self.cell_view(student_id, lesson_id).text

    # --- typed, not saved yet ----------------------------------------------------------

    def set_optimistic(self, student_id: int, lesson_id: int, text: str, *, paint_now: bool = False) -> None:
        """Hold ``text`` for the cell, marked as not saved yet.

        It is painted (with «*») only if the save has not come back within
        :data:`PENDING_PAINT_DELAY`, unless ``paint_now``.
        """
        key = (student_id, lesson_id)
        self.optimistic[key] = text
        if paint_now or not self.is_mounted:
            self._deferred.discard(key)
            self._refresh_cell(student_id, lesson_id)
            return
        self._deferred.add(key)
        if self._deferred_timer is None:
            self._deferred_timer = self.set_timer(PENDING_PAINT_DELAY, self._paint_deferred, name="grid-pending")

    def _paint_deferred(self) -> None:
        self._deferred_timer = None
        keys, self._deferred = self._deferred, set()
        for student_id, lesson_id in keys:
            self._refresh_cell(student_id, lesson_id)

    def paint_unsaved(self, student_id: int, lesson_id: int) -> None:
        """Paint the cell's «not saved» state now (the change went to the queue)."""
        if (student_id, lesson_id) in self._deferred:
            self._deferred.discard((student_id, lesson_id))
            self._refresh_cell(student_id, lesson_id)

    def is_unsaved(self, student_id: int, lesson_id: int) -> bool:
        return (student_id, lesson_id) in self.optimistic

    def drop_optimistic(self, student_id: int, lesson_id: int) -> None:
        """The change was refused: show what the database holds."""
        key = (student_id, lesson_id)
        self.optimistic.pop(key, None)
        if key in self._deferred:  # never painted: the screen still shows the saved text
            self._deferred.discard(key)
            return
        self._refresh_cell(student_id, lesson_id)

    # --- geometry ----------------------------------------------------------------------

    @property
    def _width(self) -> int:
        return self.size.width

    @property
    def _body_height(self) -> int:
        """Rows of pupils that fit under the header."""
        return max(1, self.size.height - 1)

    def _relayout(self, width: int | None = None) -> None:
        width = width or self._width or 80
        middle = width - (NUMBER_WIDTH + 1 + NAME_MIN + 1) - TOTALS_WIDTH
        visible = max(1, middle // COLUMN_WIDTH)
        extra = max(0, middle - visible * COLUMN_WIDTH)
        self._name_width = min(NAME_MAX, NAME_MIN + extra)
        self._visible = visible
        self._clamp_offset()
        if not hasattr(self, "_totals"):
            return  # called from __init__ before the panes exist
        panes = self._lesson_panes
        if len(panes) != visible:  # another terminal width: one pane per visible lesson column
            if len(panes) > visible:
                for pane in panes[visible:]:
                    pane.remove()
                del panes[visible:]
            else:
                new = [GridPane(self, "lesson", i) for i in range(len(panes), visible)]
                panes.extend(new)
                if self.is_mounted:
                    self.mount_all(new, before=self._gap)
        left = self._left_width
        gap = max(0, width - left - visible * COLUMN_WIDTH - TOTALS_WIDTH)
        for pane, pane_width in (
            (self._names, left),
            *((p, COLUMN_WIDTH) for p in panes),
            (self._gap, gap),
            (self._totals, TOTALS_WIDTH),
        ):
            if pane.styles.width is None or pane.styles.width.value != pane_width:
                pane.styles.width = pane_width
        self._gap.display = gap > 0

    def _clamp_offset(self) -> None:
        n = len(self.columns)
        self.col_offset = max(0, min(self.col_offset, max(0, n - self._visible)))

    @property
    def _left_width(self) -> int:
        return NUMBER_WIDTH + 1 + self._name_width + 1

    def on_resize(self) -> None:
        before = (self._visible, self._name_width, self.col_offset, self.top)
        self._relayout()
        if self._scroll_cursor_into_view():
            return  # repainted all
        if (self._visible, self._name_width, self.col_offset, self.top) != before:
            self._refresh_all()
        # else: the panes that changed size are repainted by textual anyway; a second
        # repaint here would resend the whole grid (8 kB) when the screen is first shown

    def _refresh_all(self) -> None:
        for pane in self._panes:
            pane.refresh()

    def _row_y(self, row: int) -> int | None:
        y = row - self.top + 1
        return y if 1 <= y <= self._body_height else None

    def _refresh_at(self, row: int | None, col: int) -> None:
        """Repaint one cell (row None: the header's label of the column)."""
        y = 0 if row is None else self._row_y(row)
        if y is None:
            return
        if col == self.final_col:
            self._totals.refresh(Region(FINAL_X, y, FINAL_WIDTH, 1))
        elif self.col_offset <= col < self.col_offset + self._visible:
            self._lesson_panes[col - self.col_offset].refresh(Region(0, y, COLUMN_WIDTH, 1))

    def _refresh_name(self, row: int) -> None:
        """Repaint a row's number (it shows which row the cursor is on)."""
        y = self._row_y(row)
        if y is not None:
            self._names.refresh(Region(0, y, NUMBER_WIDTH, 1))

    def _row_index(self, student_id: int) -> int | None:
        return next((i for i, r in enumerate(self.rows) if r.student_id == student_id), None)

    def _refresh_cell(self, student_id: int, lesson_id: int) -> None:
        row = self._row_index(student_id)
        col = next((i for i, c in enumerate(self.columns) if c.lesson_id == lesson_id), None)
        if row is not None and col is not None:
            self._refresh_at(row, col)

    def _refresh_totals(self, student_id: int) -> None:
        row = self._row_index(student_id)
        y = None if row is None else self._row_y(row)
        if y is not None:  # the average and the proposal (the period mark has its own cell)
            self._totals.refresh(Region(0, y, FINAL_X, 1))

    def _totals_text(self, student_id: int) -> tuple[str, str]:
        average, proposal = self.totals.get(student_id, (None, None))
        return (format_average(average) if average is not None else "", proposal.value if proposal else "")

    def _cell_text(self, student_id: int, lesson_id: int, *, painted: bool = False) -> str:
        """The text a lesson cell shows (``painted``: as last painted, a deferred change not yet)."""
        key = (student_id, lesson_id)
        if key in self.optimistic and key in self._deferred and not painted:
            # repainted (the cursor left it) within PENDING_PAINT_DELAY: as typed, and the
            # «*» only if the save is still not back when the delay ends
            return fit(self.optimistic[key], COLUMN_WIDTH - 1)
        if key in self.optimistic and not (painted and key in self._deferred):
            return fit(self.optimistic[key], COLUMN_WIDTH - 2) + UNSAVED_MARK
        assert self.grid is not None
        return fit(self.grid.cell(student_id, lesson_id).text, COLUMN_WIDTH - 1)

    # --- cursor ------------------------------------------------------------------------

    def _set_cursor(self, row: int, col: int) -> None:
        if self.grid is None:
            return
        self._slash = False
        self._code_armed = None
        self._just_wrote = None
        row = max(0, min(row, len(self.rows) - 1))
        col = max(0, min(col, self.final_col))
        if (row, col) == (self.row, self.col):
            return
        old_row, old_col = self.row, self.col
        self.row, self.col = row, col
        if not self._scroll_cursor_into_view():
            self._refresh_at(old_row, old_col)
            self._refresh_at(row, col)
            if old_row != row:
                self._refresh_name(old_row)
                self._refresh_name(row)
        self.post_message(self.CursorMoved())

    def _scroll_cursor_into_view(self) -> bool:
        """Scroll (lessons sideways, pupils up/down) so the cursor shows; True if it scrolled."""
        old = (self.col_offset, self.top)
        if self.col < self.final_col:
            if self.col < self.col_offset:
                self.col_offset = self.col
            elif self.col >= self.col_offset + self._visible:
                self.col_offset = self.col - self._visible + 1
            self._clamp_offset()
        height = self._body_height
        if self.row < self.top:
            self.top = self.row
        elif self.row >= self.top + height:
            self.top = self.row - height + 1
        self.top = max(0, min(self.top, max(0, len(self.rows) - height)))
        if (self.col_offset, self.top) != old:
            self._refresh_all()
            return True
        return False
