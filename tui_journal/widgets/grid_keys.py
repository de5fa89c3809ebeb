"""The grade grid's keys: the cursor's moves and the typing that turns into messages for the
screen (a mark, a second mark after «/», an attendance code, clearing, «=» for the proposed
period mark, Enter for the edit line)."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType

from tui_journal.domain.marks import MAX_MARKS_PER_CELL
from tui_journal.i18n import t
from tui_journal.keymap import bind, bind_codes, hidden
from tui_journal.widgets.grid_layout import GridLayout
from tui_journal.widgets.grid_model import CODES_KEPT_BY_A_MARK, CellBase


class GridKeys(GridLayout):
    """What the grade grid's keys do."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *hidden(
            "grade_grid",
            ("move_m1_0", "up", "move(-1, 0)"),
            ("move_1_0", "down", "move(1, 0)"),
            ("move_0_m1", "left", "move(0, -1)"),
            ("move_0_1", "right", "move(0, 1)"),
            ("first_column", "home", "first_column"),
            ("last_column", "end", "last_column"),
            ("page_prev", "pageup", "page(-1)"),
            ("page_next", "pagedown", "page(1)"),
            ("first_row", "ctrl+home", "first_row"),
            ("last_row", "ctrl+end", "last_row"),
            ("page_columns_prev", "ctrl+left", "page_columns(-1)"),
            ("page_columns_next", "ctrl+right", "page_columns(1)"),
            *((f"digit_{n}", str(n), f"digit({n})") for n in range(1, 6)),
            ("slash", "slash", "slash"),
        ),
        # The twins: н/n, б/b, у/u, о/o (transliteration, not the physical key);
        # capitals too, for Caps Lock.
        *bind_codes("grade_grid.code", "code"),
        *hidden(
            "grade_grid",
            ("clear", "delete", "clear"),
            ("backspace", "backspace", "backspace"),
            ("accept", "equals_sign", "accept"),
        ),
        bind("grade_grid.edit", "enter", "edit", t("key.grid.edit"), key_display="Enter", show=False),
        # F2 (the same action) is bound by the screen, so that the footer lists it after F1.
    ]

    # --- moving ------------------------------------------------------------------------

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
