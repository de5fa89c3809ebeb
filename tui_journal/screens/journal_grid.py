"""«Классный журнал»: the grade grid of one class (or subgroup), subject and period.

The teacher types straight into the grid (:class:`~tui_journal.widgets.grade_grid.GradeGrid`);
each change is saved at once, in its own short transaction with its audit row, by the
screen's lane — one thread worker at a time, in the order typed, so «5», «/», «4» always
ends as «5/4». The cell shows a trailing ``*`` until the database confirms it. When the
database is busy or unreachable the change waits in the login's pending queue on disk and
is retried (:class:`~tui_journal.screens.grid_lane.LaneScreen`); a queue left over from an
earlier session is flushed when a journal screen opens.

Everything else that writes (period marks, the column's work type, «everybody present»)
goes through the same lane and shows the service's refusal in the status line.

The parts live beside it: the lane and the queue in :mod:`tui_journal.screens.grid_lane`,
the info line and the edit line's checks in :mod:`tui_journal.screens.grid_parts`, the edit
line's little language in :mod:`tui_journal.domain.cell_edit`, undo in
:mod:`tui_journal.screens.grid_undo`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections import deque
from collections.abc import Iterable
from concurrent.futures import Future
from dataclasses import replace
from functools import partial
from typing import Any, ClassVar

from textual.binding import BindingType
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static

from tui_journal.domain.cell_edit import (
    CellEdit,
    FinalEdit,
    cell_details_text,
    cell_edit_text,
    resolve_work_type,
    work_types_text,
)
from tui_journal.domain.marks import InvalidCell
from tui_journal.i18n import t
from tui_journal.keymap import bind
from tui_journal.screens.base import FAILED
from tui_journal.screens.grid_lane import LaneScreen
from tui_journal.screens.grid_parts import (
    flush_status,
    info_line,
    loaded_status,
    read_cell_edit,
    read_final_edit,
    where,
)
from tui_journal.screens.grid_undo import UNDO_DEPTH, UndoCell, UndoFinal, undo_text
from tui_journal.services import journal
from tui_journal.services.journal import CellView, ColumnView, Grid, JournalRef
from tui_journal.services.pending import PendingChange
from tui_journal.widgets.edit_line import EditLine
from tui_journal.widgets.grade_grid import GradeGrid
from tui_journal.widgets.status import MessageLine
from tui_journal.widgets.titlebar import TitleBar


class JournalGridScreen(LaneScreen):
    TITLE_KEY: ClassVar[str] = "section.journal"
    HELP_KEY: ClassVar[str] = "grid"

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("journal_grid.back", "escape", "back", t("key.back"), show=False),  # room in the footer for the grid's keys
        bind("journal_grid.edit", "f2", "edit", t("key.grid.edit"), key_display="F2"),
        bind("journal_grid.work_type", "f3", "work_type", t("key.grid.work_type"), key_display="F3"),
        bind("journal_grid.lesson", "f4", "lesson", t("key.grid.lesson"), key_display="F4"),
        bind("journal_grid.all_present", "plus", "all_present", t("key.grid.all_present"), key_display="+"),
        bind("journal_grid.undo", "ctrl+z", "undo", t("key.undo"), key_display="^Z"),
        bind("journal_grid.period_prev", "left_square_bracket", "period(-1)", t("key.grid.period_prev"), show=False),
        bind("journal_grid.period_next", "right_square_bracket", "period(1)", t("key.grid.period"), key_display="[ ]"),
        bind("journal_grid.reload", "f5", "reload", t("key.refresh"), key_display="F5", show=False),
    ]

    def __init__(
        self, ref: JournalRef, *, period_id: int | None = None, today: dt.date | None = None
    ) -> None:
        super().__init__("grid")
        self.ref = ref
        self.period_id = period_id
        self.today = today
        self.grid: Grid | None = None
        self.undo_stack: deque[UndoCell | UndoFinal] = deque(maxlen=UNDO_DEPTH)
        self._reload_on_resume = False
        self._flush_note: tuple[str, bool] | None = None
        self._info_timer: Timer | None = None
        self._info_text = ""
        self._first_lock = threading.Lock()
        self._first_wait_over = False

    # --- layout -------------------------------------------------------------------------

    def compose_body(self) -> Iterable[Widget]:
        settings = getattr(self.app, "settings", None)
        yield GradeGrid(
            safe_glyphs=bool(getattr(self.app, "safe_glyphs", False)),
            advance=bool(getattr(settings, "grid_advance", True)),
            id="grid",
        )
        yield MessageLine(id="grid-info")
        yield EditLine(id="grid-edit")

    @property
    def table(self) -> GradeGrid:
        return self.query_one(GradeGrid)

    @property
    def edit_line(self) -> EditLine:
        return self.query_one(EditLine)

    #: Seconds the screen waits for its grid before its first paint: a grid that comes
    #: within this time is painted once, with no «loading» frame before it (which would
    #: cost a whole screen of bytes more over SSH).
    FIRST_PAINT_WAIT: ClassVar[float] = 0.1

    async def on_mount(self) -> None:
        self._set_title("")
        self.start_retry_timer("pending-retry")
        self.table.focus()
        self.lane.submit(self.flush_job(quiet=True))
        ready: Future[tuple[Grid, list[PendingChange], bool]] = Future()
        self.load(self.period_id, ready=ready)
        # The screen's first paint waits for its resume event, which is handled after this
        # handler returns: a grid shown from here is in the first frame (waiting for the
        # thread keeps the event loop free). A grid that comes later is delivered as usual.
        try:
            await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(ready)), self.FIRST_PAINT_WAIT)
        except asyncio.TimeoutError:
            pass
        with self._first_lock:
            self._first_wait_over = True
            first = ready.result() if ready.done() else None
        if first is not None:
            self._show_grid(*first)
        elif self.grid is None:
            self.set_status(t("loading"))

    def _set_title(self, period: str) -> None:
        bar = self.query_one(TitleBar)
        title = f"{t('section.journal')}: {self.ref.title}" + (f", {period}" if period else "")
        if bar.screen_title != title:
            bar.screen_title = title
            bar._show(self.app.title)  # TitleBar has no public setter (yet)

    def on_screen_resume(self) -> None:
        if self._reload_on_resume:
            self._reload_on_resume = False
            self.load(self.grid.period.id if self.grid else self.period_id, keep_cursor=True)

    # --- loading ------------------------------------------------------------------------

    def load(
        self,
        period_id: int | None,
        *,
        keep_cursor: bool = False,
        ready: Future[tuple[Grid, list[PendingChange], bool]] | None = None,
    ) -> None:
        """Load the grid in the lane and show it; with ``ready`` (the first load, see
        :meth:`on_mount`) the grid goes there if the screen still waits for it."""
        ref, actor, today = self.ref, self.actor, self.today

        def job() -> None:
            grid = self.call_service(
                journal.open_grid, actor, ref.class_id, ref.subject_id, ref.group_id, period_id, today
            )
            if grid is FAILED:
                if ready is not None:
                    ready.cancel()
                return
            pending = self.pending_items()
            if ready is not None:
                with self._first_lock:
                    if not self._first_wait_over:
                        ready.set_result((grid, pending, keep_cursor))
                        return
            self.deliver(self._show_grid, grid, pending, keep_cursor)

        self.lane.submit(job)

    def _show_grid(self, grid: Grid, pending: list[PendingChange], keep_cursor: bool) -> None:
        self.grid = grid
        self.period_id = grid.period.id
        self._set_title(grid.period.name)
        table = self.table
        table.load(grid, today=self.today, keep_cursor=keep_cursor)
        lessons = {c.lesson_id for c in grid.columns}
        for change in pending:
            if change.lesson_id in lessons:
                table.set_optimistic(change.student_id, change.lesson_id, change.text)
        if pending:
            self.went_offline()
        note, self._flush_note = self._flush_note, None
        message, error = note if note is not None else (loaded_status(grid, bool(pending)), False)
        if message:
            self.set_status(message, error=error)
        self._show_info()

    # --- the info line under the grid ---------------------------------------------------

    #: The info line follows the cursor after this pause, so that holding an arrow key
    #: does not send a line of text per column over a slow link.
    INFO_DELAY: ClassVar[float] = 0.12

    def on_grade_grid_cursor_moved(self, event: GradeGrid.CursorMoved) -> None:
        event.stop()
        if self._info_timer is not None:
            self._info_timer.stop()
        self._info_timer = self.set_timer(self.INFO_DELAY, self._show_info, name="grid-info")

    def _show_info(self) -> None:
        if self.grid is None:
            return
        text = info_line(self.grid, self.table)
        if text.plain != self._info_text:  # unchanged: send nothing
            self._info_text = text.plain
            self.query_one("#grid-info", MessageLine).show(text)

    # --- keys from the grid ---------------------------------------------------------------

    def on_grade_grid_refused(self, event: GradeGrid.Refused) -> None:
        event.stop()
        question = event.text == t("grid.slash_armed") or event.text.startswith(t("grid.code_over_mark_prefix"))
        self.set_status(event.text, error=not question)

    def on_grade_grid_cell_write(self, event: GradeGrid.CellWrite) -> None:
        event.stop()
        entry = UndoCell(event.lesson_id, event.student_id, event.old_text)
        self.undo_stack.append(entry)
        self.save_cell(event.lesson_id, event.student_id, event.text, undo=entry)

    def save_cell(
        self,
        lesson_id: int,
        student_id: int,
        text: str,
        *,
        edit: CellEdit | None = None,
        undo: UndoCell | None = None,
        message: str = "",
    ) -> None:
        """Save one cell in the lane; the widget already shows ``text`` as not saved."""
        actor = self.actor
        first_type = next((w for w in edit.work_types if w is not None), None) if edit else None

        def write() -> CellView:
            view = journal.set_cell(actor, lesson_id, student_id, text, work_type_id=first_type)
            if edit is not None and (any(w is not None for w in edit.work_types) or edit.comment is not None):
                # the typed work types and comment: one more transaction for the whole cell
                view = journal.set_cell_details(actor, lesson_id, student_id, edit.work_types, edit.comment)
            return view

        self.submit_change(
            PendingChange.cell(lesson_id, student_id, text, first_type),
            write,
            partial(self._saved, lesson_id, student_id, text, message=message),
            partial(self._refused, lesson_id, student_id, text, undo=undo),
            partial(self._queued, lesson_id, student_id, text),
        )

    def _saved(self, lesson_id: int, student_id: int, text: str, view: CellView, message: str = "") -> None:
        table = self.table
        still = table.optimistic.get((student_id, lesson_id)) not in (None, text)
        table.set_saved(student_id, lesson_id, view, still_pending=still)
        if message and not self.offline:
            self.set_status(message)  # an undo says what it undid
        elif not self.offline:
            # short: the cell itself shows where (and a repeated text sends nothing)
            self.set_status(t("grid.saved_short", text=view.text or t("grid.cell_empty")))

    def _queued(self, lesson_id: int, student_id: int, text: str, error: str) -> None:
        self.table.paint_unsaved(student_id, lesson_id)
        self.went_offline()
        key = f"grid.pending.{error}" if error in ("disk_full", "read_only", "connection_lost") else "grid.queued"
        self.set_status(
            t(key, where=self._where(student_id, lesson_id), text=text or t("grid.cell_empty")),
            error=True,
        )

    def _refused(
        self, lesson_id: int, student_id: int, text: str, message: str, undo: UndoCell | None
    ) -> None:
        table = self.table
        if table.optimistic.get((student_id, lesson_id)) == text:
            table.drop_optimistic(student_id, lesson_id)
        if undo is not None and self.undo_stack and self.undo_stack[-1] is undo:
            self.undo_stack.pop()
        self.set_status(message, error=True)

    def _where(self, student_id: int, lesson_id: int | None) -> str:
        return where(self.grid, student_id, lesson_id)

    # --- the pending queue ------------------------------------------------------------------

    def queue_flushed(
        self, results: list[tuple[PendingChange, Any]], refused: list[PendingChange], left: int
    ) -> None:
        table = self.table
        for change, view in results:
            if isinstance(view, CellView) and self.grid is not None:
                still = table.optimistic.get((change.student_id, change.lesson_id)) not in (None, change.text)
                if any(c.lesson_id == change.lesson_id for c in self.grid.columns):
                    table.set_saved(change.student_id, change.lesson_id, view, still_pending=still)
        for change in refused:
            if table.optimistic.get((change.student_id, change.lesson_id)) == change.text:
                table.drop_optimistic(change.student_id, change.lesson_id)
        message, error = flush_status(self.grid, results, refused, left)
        if message:
            if self.grid is None:
                self._flush_note = (message, error)
            else:
                self.set_status(message, error=error)
        if left:
            self.went_offline()
        else:
            self.stop_retrying()

    # --- period marks ----------------------------------------------------------------------

    def _proposal_of(self, student_id: int) -> str:
        _, proposal = self.table.totals.get(student_id, (None, None))
        return proposal.value if proposal is not None else ""

    def on_grade_grid_final_write(self, event: GradeGrid.FinalWrite) -> None:
        event.stop()
        proposal = self._proposal_of(event.student_id)
        if event.value and proposal and event.value != proposal:
            self._ask_reason(event.student_id, event.value, proposal)
            return
        self.save_final(event.student_id, FinalEdit("period", event.value, ""))

    def _ask_reason(self, student_id: int, value: str, proposal: str) -> None:
        self._open_edit(
            f"reason:{student_id}:{value}", t("grid.reason_prompt", value=value, proposal=proposal), ""
        )
        self.set_status(t("grid.reason_ask", value=value, proposal=proposal))

    def save_final(self, student_id: int, edit: FinalEdit, *, undoable: bool = True) -> None:
        grid = self.grid
        if grid is None:
            return
        actor, ref = self.actor, self.ref
        period_id = grid.period.id if edit.kind == "period" else None
        proposed = self._proposal_of(student_id) if edit.kind == "period" else ""
        old = grid.period_marks.get(student_id, "") if edit.kind == "period" else None

        self.submit_call(
            partial(self._final_saved, student_id, edit, old, undoable),
            journal.set_period_mark, actor, ref.class_id, ref.subject_id, student_id, edit.value,
            period_id=period_id, kind=edit.kind, reason=edit.reason, proposed=proposed,
        )

    def _final_saved(self, student_id: int, edit: FinalEdit, old: str | None, undoable: bool, value: str) -> None:
        if edit.kind == "period":
            self.table.set_final(student_id, value)
            if undoable and old is not None and old != value:
                self.undo_stack.append(UndoFinal(student_id, old))
        name = self._where(student_id, None)
        self.set_status(t(f"grid.final_saved.{edit.kind}", name=name, value=value or t("grid.cell_empty")))

    # --- the edit line ---------------------------------------------------------------------

    def _open_edit(self, purpose: str, prompt: str, value: str, *, types: bool = False) -> None:
        self.query_one("#grid-info", Static).display = False
        if types and self.grid is not None and self.grid.work_types:
            self._show_types()
        self.edit_line.open(purpose, prompt, value)
        self.refresh_bindings()

    def _show_types(self) -> None:
        """The work types, drawn by the grid over a few of its own lines (no layout change)."""
        assert self.grid is not None
        self.table.set_overlay(t("grid.types_caption") + work_types_text(self.grid.work_types))

    def _close_edit(self) -> None:
        self.edit_line.close()
        self.table.set_overlay(None)
        self.query_one("#grid-info", Static).display = True
        self.table.focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the edit line is open only its own keys (Enter, Esc) and F1 work."""
        if action in self._GRID_ACTIONS and self.is_mounted and self.edit_line.is_open:
            return False
        return True

    _GRID_ACTIONS: ClassVar[frozenset[str]] = frozenset(
        {"edit", "work_type", "lesson", "all_present", "undo", "period", "reload"}
    )

    def on_grade_grid_edit_requested(self, event: GradeGrid.EditRequested) -> None:
        event.stop()
        table, grid = self.table, self.grid
        row = table.current_row
        if grid is None or row is None:
            return
        if table.on_final:
            if not grid.writable:
                value = grid.period_marks.get(row.student_id, "")
                self.set_status(t("grid.final_readonly", name=row.name, value=value or t("grid.cell_empty")))
                return
            self._open_edit(
                f"final:{row.student_id}",
                t("grid.final_prompt", name=row.name),
                grid.period_marks.get(row.student_id, ""),
            )
            self.set_status(t("grid.final_edit_hint", proposal=self._proposal_of(row.student_id)))
            return
        column = table.current_column
        assert column is not None
        view = grid.cell(row.student_id, column.lesson_id)
        if not grid.writable:
            self.set_status(f"{row.name}, {column.date:%d.%m}: {cell_details_text(view)}")
            return
        unsaved = table.optimistic.get((row.student_id, column.lesson_id))
        value = unsaved if unsaved is not None else cell_edit_text(view, grid.work_types)
        self._open_edit(
            f"cell:{row.student_id}:{column.lesson_id}", f"{row.name}, {column.date:%d.%m}:", value, types=True
        )
        self.set_status(t("grid.edit_hint"))

    def on_edit_line_cancelled(self, event: EditLine.Cancelled) -> None:
        event.stop()
        self._close_edit()
        self.set_status("")

    def on_edit_line_done(self, event: EditLine.Done) -> None:
        event.stop()
        grid = self.grid
        if grid is None:
            self._close_edit()
            return
        kind, _, rest = event.purpose.partition(":")
        value = event.value
        try:
            if kind == "cell":
                student_id, lesson_id = (int(x) for x in rest.split(":"))
                edit = read_cell_edit(value, grid)
                self._close_edit()
                table = self.table
                old = table.cell_base(student_id, lesson_id).text
                table.set_optimistic(student_id, lesson_id, edit.text)
                undo = UndoCell(lesson_id, student_id, old)
                self.undo_stack.append(undo)
                self.save_cell(lesson_id, student_id, edit.text, edit=edit, undo=undo)
            elif kind == "final":
                final = read_final_edit(value, self._proposal_of(int(rest)))
                self._close_edit()
                self.save_final(int(rest), final)
            elif kind == "reason":
                sid_text, _, mark = rest.partition(":")
                if not value.strip():
                    raise InvalidCell(t("grid.reason_required"))
                self._close_edit()
                self.save_final(int(sid_text), FinalEdit("period", mark, value.strip()))
            elif kind == "work_type":
                wt_id = resolve_work_type(value, grid.work_types) if value.strip() else None
                self._close_edit()
                self._save_column_type(int(rest), wt_id)
            else:
                self._close_edit()
        except InvalidCell as exc:  # what was typed is refused: the line stays open
            self.set_status(str(exc), error=True)

    # --- screen keys -----------------------------------------------------------------------

    def _writable_column(self) -> ColumnView | None:
        grid = self.grid
        if grid is None:
            return None
        if not grid.writable:
            self.set_status(t("grid.read_only"), error=True)
            return None
        column = self.table.current_column
        if column is None:
            self.set_status(t("grid.pick_lesson"), error=True)
        return column

    def action_edit(self) -> None:
        self.table.action_edit()

    def action_work_type(self) -> None:
        column = self._writable_column()
        if column is None or self.grid is None:
            return
        numbers = {wid: i for i, (wid, _, _) in enumerate(self.grid.work_types, start=1)}
        current = str(numbers[column.work_type_id]) if column.work_type_id in numbers else ""
        self._open_edit(
            f"work_type:{column.lesson_id}", t("grid.work_type_prompt", date=f"{column.date:%d.%m}"), current, types=True
        )
        self.set_status(t("grid.work_type_hint"))

    def _save_column_type(self, lesson_id: int, wt_id: int | None) -> None:
        names = {wid: name for wid, name, _ in self.grid.work_types} if self.grid else {}
        self.submit_call(
            lambda _: self._set_column(
                lesson_id, "grid.work_type_saved", name=names.get(wt_id or -1, "—"),
                work_type_id=wt_id, work_type=names.get(wt_id or -1, ""),
            ),
            journal.set_column_work_type, self.actor, lesson_id, wt_id,
        )

    def _set_column(self, lesson_id: int, status_key: str, *, name: str = "", **changes: Any) -> None:
        """Show a saved change of a lesson's column, and say it with ``status_key`` (its date
        and ``name``, the number of absent for the roll)."""
        grid = self.grid
        column = next((c for c in grid.columns if c.lesson_id == lesson_id), None) if grid else None
        if grid is None or column is None:
            return
        self.table.set_column(grid.columns.index(column), replace(column, **changes))
        absent = sum(grid.cell(r.student_id, lesson_id).code in ("н", "б", "у") for r in grid.rows)
        self.set_status(t(status_key, date=f"{column.date:%d.%m}", name=name, absent=absent))

    def action_lesson(self) -> None:
        column = self.table.current_column
        grid = self.grid
        if column is None or grid is None:
            self.set_status(t("grid.pick_lesson"), error=True)
            return
        from tui_journal.screens.lesson_panel import LessonPanelScreen

        self._reload_on_resume = True
        pupils = [(r.student_id, r.name) for r in grid.rows]
        self.app.push_screen(LessonPanelScreen(column.lesson_id, pupils=pupils))

    def action_all_present(self) -> None:
        column = self._writable_column()
        if column is None:
            return
        lesson_id = column.lesson_id
        self.submit_call(
            lambda _: self._set_column(lesson_id, "grid.roll_taken", roll_taken=True),
            journal.take_roll, self.actor, lesson_id,
        )

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.set_status(t("grid.nothing_to_undo"))
            return
        entry = self.undo_stack.pop()
        table = self.table
        if isinstance(entry, UndoCell):
            undone = table.cell_base(entry.student_id, entry.lesson_id).text
            message = undo_text(self._where(entry.student_id, entry.lesson_id), undone, entry.old_text)
            table.move_to(entry.student_id, entry.lesson_id)
            table.set_optimistic(entry.student_id, entry.lesson_id, entry.old_text)
            self.save_cell(entry.lesson_id, entry.student_id, entry.old_text, message=message)
            self.set_status(message)
            return
        table.move_to(entry.student_id, None)
        self.save_final(
            entry.student_id, FinalEdit("period", entry.old_value, t("grid.undo_reason")), undoable=False
        )
        self.set_status(t("grid.undone"))

    def action_period(self, step: int) -> None:
        grid = self.grid
        if grid is None:
            return
        ids = [p.id for p in grid.periods]
        index = ids.index(grid.period.id) + step if grid.period.id in ids else -1
        if not 0 <= index < len(ids):
            self.set_status(t("grid.no_more_periods"))
            return
        self.set_status(t("loading"))
        self.load(ids[index])

    def action_reload(self) -> None:
        self.load(self.grid.period.id if self.grid else self.period_id, keep_cursor=True)

    def action_back(self) -> None:
        if self.edit_line.is_open:
            self._close_edit()
            return
        super().action_back()


__all__ = ["JournalGridScreen"]
