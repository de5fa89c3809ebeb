"""The grade grid: pupils × lessons of one period, typed into without a dialog per mark.

A Line-API widget rather than textual's DataTable, because the grid needs *both* edges fixed:
the pupils' numbers and names at the left and the averages, proposed and period marks at
the right, with the lessons of the period scrolling between them (DataTable only fixes the
left). It also lets each change repaint the smallest region: a cursor move repaints the two
cells and the two row numbers it touches (under 200 bytes over SSH; the column's date is
not highlighted in the header, the screen's info line names it); a mark
repaints its cell once and the row's average and proposal if they changed. Nothing here
animates or blinks.

Every visible lesson column is a widget of its own (:class:`_Pane`): textual repaints a
changed part of a line from the left edge of the widget that holds it (its compositor's
«chops» are cut at widget edges only), so one cell of a single wide widget would resend the
line up to that cell.

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
from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import BindingType
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.timer import Timer
from textual.widget import Widget

from tui_journal import clock
from tui_journal.domain.grading import Proposal, format_average, propose_period_mark
from tui_journal.domain.marks import (
    EXEMPT,
    MAX_MARKS_PER_CELL,
    InvalidCell,
    WeightedMark,
    format_cell,
    parse_cell,
)
from tui_journal.i18n import t
from tui_journal.keymap import bind, bind_code
from tui_journal.services.journal import CellView, ColumnView, Grid, RowView
from tui_journal.widgets.safe_text import shown

#: Width of one lesson column: a space and five characters («27.11», «н4/5»).
COLUMN_WIDTH = 6
NUMBER_WIDTH = 2
NAME_MIN = 16
NAME_MAX = 26
AVG_WIDTH = 4  # «4,25»
PROPOSAL_WIDTH = 3  # «н/а»
FINAL_WIDTH = 5  # «незач»
#: «│» + average + space + proposal + space + period mark + the scrollbar column
TOTALS_WIDTH = 1 + AVG_WIDTH + 1 + PROPOSAL_WIDTH + 1 + FINAL_WIDTH + 1
FINAL_X = 1 + AVG_WIDTH + 1 + PROPOSAL_WIDTH + 1
#: The attendance codes that a typed mark keeps (an absent or late pupil can still get a
#: mark: «н5» is a missed work written later, «о5» a late pupil); «б» and «у» are replaced.
CODES_KEPT_BY_A_MARK = ("н", "о")
UNSAVED_MARK = "*"
#: Seconds a typed change may wait for its save before the cell shows it with «*».
PENDING_PAINT_DELAY = 0.15


@dataclass(frozen=True)
class CellBase:
    """What a cell holds as far as the teacher's typing is concerned."""

    marks: tuple[int, ...]
    code: str | None

    @property
    def text(self) -> str:
        return format_cell(self.marks, self.code)


def base_of(view: CellView) -> CellBase:
    """The teacher's part of a saved cell: point marks and his own attendance code.

    Special marks (н/а, зач…) are left alone by set_cell, so they are not part of it.
    """
    marks = tuple(int(m.value) for m in view.marks if m.value.isdigit())[:MAX_MARKS_PER_CELL]
    return CellBase(marks, view.teacher_code)


def fit(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` cells, with «…» when something was cut."""
    if cell_len(text) <= width:
        return text
    out = ""
    for ch in text:
        if cell_len(out + ch) > width - 1:
            break
        out += ch
    return out + "…"


def row_proposal(grid: Grid, student_id: int) -> tuple[float | None, Proposal]:
    """The row's weighted average and proposal, recomputed from the grid's cells."""
    weighted: list[WeightedMark] = []
    for col in grid.columns:
        view = grid.cells.get((student_id, col.lesson_id))
        if view is None:
            continue
        for m in view.marks:
            if m.value.isdigit():
                weighted.append(WeightedMark(int(m.value), m.weight))
    exempt = grid.period_marks.get(student_id) == EXEMPT
    proposal = propose_period_mark(weighted, grid.policy, exempt=exempt)
    return proposal.average, proposal


class _Pane(Widget):
    """One vertical strip of the grid (names, one lesson column, the gap after the lessons,
    or the totals), drawn by :class:`GradeGrid`.

    The grid is several widgets side by side because textual repaints a partly changed line
    from the left edge of the widget that changed: a cell at the right of one wide widget
    would resend the whole line up to it.
    """

    DEFAULT_CSS = """
    _Pane { height: 1fr; width: auto; }
    """

    def __init__(self, grid: GradeGrid, part: str, index: int = 0) -> None:
        super().__init__(classes=f"-{part}")
        self.grid = grid
        self.part = part
        self.index = index  # a lesson pane: its place among the visible columns

    def render_line(self, y: int) -> Strip:
        return self.grid._render_part(self, y)


class GradeGrid(Widget, can_focus=True):
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

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("grade_grid.move_m1_0", "up", "move(-1, 0)", show=False),
        bind("grade_grid.move_1_0", "down", "move(1, 0)", show=False),
        bind("grade_grid.move_0_m1", "left", "move(0, -1)", show=False),
        bind("grade_grid.move_0_1", "right", "move(0, 1)", show=False),
        bind("grade_grid.first_column", "home", "first_column", show=False),
        bind("grade_grid.last_column", "end", "last_column", show=False),
        bind("grade_grid.page_prev", "pageup", "page(-1)", show=False),
        bind("grade_grid.page_next", "pagedown", "page(1)", show=False),
        bind("grade_grid.first_row", "ctrl+home", "first_row", show=False),
        bind("grade_grid.last_row", "ctrl+end", "last_row", show=False),
        bind("grade_grid.page_columns_prev", "ctrl+left", "page_columns(-1)", show=False),
        bind("grade_grid.page_columns_next", "ctrl+right", "page_columns(1)", show=False),
        bind("grade_grid.digit_1", "1", "digit(1)", show=False),
        bind("grade_grid.digit_2", "2", "digit(2)", show=False),
        bind("grade_grid.digit_3", "3", "digit(3)", show=False),
        bind("grade_grid.digit_4", "4", "digit(4)", show=False),
        bind("grade_grid.digit_5", "5", "digit(5)", show=False),
        bind("grade_grid.slash", "slash", "slash", show=False),
        # The twins: н/n, б/b, у/u, о/o (transliteration, not the physical key);
        # capitals too, for Caps Lock.
        bind_code("grade_grid.code_n", "н", "n", "code", show=False),
        bind_code("grade_grid.code_b", "б", "b", "code", show=False),
        bind_code("grade_grid.code_u", "у", "u", "code", show=False),
        bind_code("grade_grid.code_o", "о", "o", "code", show=False),
        bind("grade_grid.clear", "delete", "clear", show=False),
        bind("grade_grid.backspace", "backspace", "backspace", show=False),
        bind("grade_grid.accept", "equals_sign", "accept", show=False),
        bind("grade_grid.edit", "enter", "edit", t("key.grid.edit"), key_display="Enter", show=False),
        # F2 (the same action) is bound by the screen, so that the footer lists it after F1.
    ]

    # --- messages -------------------------------------------------------------------

    class CellWrite(Message):
        """The teacher typed into a lesson cell: make it hold ``text``."""

        def __init__(self, lesson_id: int, student_id: int, old_text: str, text: str) -> None:
            super().__init__()
            self.lesson_id = lesson_id
            self.student_id = student_id
            self.old_text = old_text
            self.text = text

    class FinalWrite(Message):
        """The teacher typed into the «Итог» column (``value`` empty: remove the mark)."""

        def __init__(self, student_id: int, value: str) -> None:
            super().__init__()
            self.student_id = student_id
            self.value = value

    class EditRequested(Message):
        """Enter or F2: open the edit line for the cursor's cell."""

    class Refused(Message):
        """A key could not do its work here; ``text`` says why."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class CursorMoved(Message):
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
        self._deferred: set[tuple[int, int]] = set()  # typed, not painted yet (see the module doc)
        self._deferred_timer: Timer | None = None
        self._names = _Pane(self, "names")
        self._relayout(80)  # what fits 80 columns, corrected at the first resize
        self._lesson_panes = [_Pane(self, "lesson", i) for i in range(self._visible)]
        self._gap = _Pane(self, "gap")
        self._totals = _Pane(self, "totals")
        self._relayout(80)

    def compose(self) -> Iterable[Widget]:
        yield self._names
        yield from self._lesson_panes
        yield self._gap
        yield self._totals

    @property
    def _panes(self) -> list[_Pane]:
        return [self._names, *self._lesson_panes, self._gap, self._totals]

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

    # --- updates from the screen ----------------------------------------------------

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

    def drop_optimistic(self, student_id: int, lesson_id: int) -> None:
        """The change was refused: show what the database holds."""
        key = (student_id, lesson_id)
        self.optimistic.pop(key, None)
        if key in self._deferred:  # never painted: the screen still shows the saved text
            self._deferred.discard(key)
            return
        self._refresh_cell(student_id, lesson_id)

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
        row = next((i for i, r in enumerate(self.rows) if r.student_id == student_id), None)
        if row is None:
            return
        col = self.final_col
        if lesson_id is not None:
            col = next((i for i, c in enumerate(self.columns) if c.lesson_id == lesson_id), self.col)
        self._set_cursor(row, col)

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
                new = [_Pane(self, "lesson", i) for i in range(len(panes), visible)]
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

    def action_move(self, drow: int, dcol: int) -> None:
        self._set_cursor(self.row + drow, self.col + dcol)

    def action_first_column(self) -> None:
        self._set_cursor(self.row, 0)

    def action_last_column(self) -> None:
        self._set_cursor(self.row, self.final_col)

    def action_first_row(self) -> None:
        self._set_cursor(0, self.col)

    def action_last_row(self) -> None:
        self._set_cursor(len(self.rows) - 1, self.col)

    def action_page(self, direction: int) -> None:
        self._set_cursor(self.row + direction * max(1, self._body_height - 1), self.col)

    def action_page_columns(self, direction: int) -> None:
        target = self.col + direction * self._visible
        self._set_cursor(self.row, max(0, min(target, self.final_col - 1)))

    # --- typing -------------------------------------------------------------------------

    def _can_write(self, *, mark: bool) -> bool:
        grid = self.grid
        if grid is None or not grid.rows:
            return False
        if not grid.writable:
            self.post_message(self.Refused(t("grid.read_only")))
            return False
        if mark and not grid.marks_allowed:
            self.post_message(self.Refused(grid.notes[0] if grid.notes else t("grid.no_marks")))
            return False
        if not self.on_final and self.current_column is None:
            self.post_message(self.Refused(t("grid.no_lessons")))
            return False
        return True

    def _write(self, base: CellBase) -> None:
        row, column = self.current_row, self.current_column
        if row is None or column is None:
            return
        old = self.cell_base(row.student_id, column.lesson_id)
        if base == old:
            return
        self.set_optimistic(row.student_id, column.lesson_id, base.text)
        self.post_message(self.CellWrite(column.lesson_id, row.student_id, old.text, base.text))

    def _advance(self) -> None:
        """After a mark or a code: on to the next pupil, remembering the cell left (for «/»)."""
        if not self.advance or self.row >= len(self.rows) - 1:
            return
        left = (self.row, self.col)
        self._set_cursor(self.row + 1, self.col)
        self._just_wrote = left

    def action_digit(self, value: int) -> None:
        slash, self._slash = self._slash, False
        self._code_armed = None
        if not self._can_write(mark=True):
            return
        row = self.current_row
        assert row is not None
        if self.on_final:
            self.post_message(self.FinalWrite(row.student_id, str(value)))
            return
        column = self.current_column
        assert column is not None
        base = self.cell_base(row.student_id, column.lesson_id)
        if slash and base.marks:
            if len(base.marks) >= MAX_MARKS_PER_CELL:
                self.post_message(self.Refused(t("grid.too_many", n=MAX_MARKS_PER_CELL)))
                return
            self._write(CellBase((*base.marks, value), base.code))
            self._advance()
            return
        code = base.code if base.code in CODES_KEPT_BY_A_MARK else None
        self._write(CellBase((value,), code))
        self._advance()

    def action_slash(self) -> None:
        if not self._can_write(mark=True) or self.on_final:
            return
        left = self._just_wrote
        if left is not None and (self.row, self.col) == (left[0] + 1, left[1]):
            self._set_cursor(*left)  # «5/4» typed in a row: the second mark joins the first
        row, column = self.current_row, self.current_column
        assert row is not None and column is not None
        if not self.cell_base(row.student_id, column.lesson_id).marks:
            self._slash = False
            self.post_message(self.Refused(t("grid.slash_first")))
            return
        self._slash = True
        self.post_message(self.Refused(t("grid.slash_armed")))

    def action_code(self, code: str) -> None:
        self._slash = False
        if not self._can_write(mark=False):
            return
        if self.on_final:
            self.post_message(self.Refused(t("grid.final_hint")))
            return
        row, column = self.current_row, self.current_column
        assert row is not None and column is not None
        base = self.cell_base(row.student_id, column.lesson_id)
        armed, self._code_armed = self._code_armed, None
        if base.marks and base.code != code and armed != (self.row, self.col, code):
            # a code over a mark: ask once (the same key again puts them together)
            self._code_armed = (self.row, self.col, code)
            marks = "/".join(str(m) for m in base.marks)
            self.post_message(self.Refused(t("grid.code_over_mark", code=code, marks=marks)))
            return
        self._write(CellBase(base.marks, code))
        self._advance()

    def action_clear(self) -> None:
        self._slash = False
        if not self._can_write(mark=False):
            return
        row = self.current_row
        assert row is not None
        if self.on_final:
            assert self.grid is not None
            if self.grid.period_marks.get(row.student_id):
                self.post_message(self.FinalWrite(row.student_id, ""))
            return
        self._write(CellBase((), None))

    def action_backspace(self) -> None:
        """Remove the last thing in the cell: its last mark, else its attendance code."""
        self._slash = False
        if not self._can_write(mark=False):
            return
        if self.on_final:
            self.action_clear()
            return
        row, column = self.current_row, self.current_column
        assert row is not None and column is not None
        base = self.cell_base(row.student_id, column.lesson_id)
        if base.marks:
            self._write(CellBase(base.marks[:-1], base.code))
        elif base.code:
            self._write(CellBase((), None))

    def action_accept(self) -> None:
        """«=»: the proposed period mark becomes the pupil's period mark."""
        self._slash = False
        if not self._can_write(mark=True):
            return
        row = self.current_row
        assert row is not None
        _, proposal = self.totals.get(row.student_id, (None, None))
        if proposal is None:
            return
        self.post_message(self.FinalWrite(row.student_id, proposal.value))

    def action_edit(self) -> None:
        self._slash = False
        if self.grid is None or not self.rows:
            return
        if not self.on_final and self.current_column is None:
            self.post_message(self.Refused(t("grid.no_lessons")))
            return
        self.post_message(self.EditRequested())

    # --- focus --------------------------------------------------------------------------

    def on_focus(self) -> None:
        self._refresh_at(self.row, self.col)

    def on_blur(self) -> None:
        self._slash = False
        self._refresh_at(self.row, self.col)

    # --- drawing ------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"grade-grid--{name}", partial=True)

    def _pane_x(self, pane: _Pane) -> int:
        if pane is self._names:
            return 0
        if pane.part == "lesson":
            return self._left_width + pane.index * COLUMN_WIDTH
        if pane is self._gap:
            return self._left_width + len(self._lesson_panes) * COLUMN_WIDTH
        return self._width - TOTALS_WIDTH

    def _render_part(self, pane: _Pane, y: int) -> Strip:
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
            style = self._style("low") if _is_low(text) else Style()
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


def _is_low(text: str) -> bool:
    """A cell holding a 2 or a 1 (shown in the error colour)."""
    return any(ch in "12" for ch in text)
