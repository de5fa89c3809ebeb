"""What the journal grid screen (:mod:`tui_journal.screens.journal_grid`) computes without
touching its widgets' state: the info line under the grid, where a cell is in words, the
status after a flush of the pending queue, and the checks of what was typed on the edit line.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text

from tui_journal.domain.cell_edit import CellEdit, FinalEdit, parse_cell_edit, parse_final_edit
from tui_journal.domain.marks import InvalidCell, InvalidMark, normalize_mark, parse_cell
from tui_journal.i18n import t
from tui_journal.services.journal import Grid
from tui_journal.services.pending import PendingChange
from tui_journal.widgets.grade_grid import GradeGrid


def info_line(grid: Grid, table: GradeGrid) -> Text:
    """The line under the grid: the proposal on the period-mark column, else the lesson of the
    cursor's column (date, work type, topic, homework, substitution, roll); then the pupil's note."""
    column = table.current_column
    parts: list[str] = []
    if table.on_final:
        row = table.current_row
        if row is not None:
            _, proposal = table.totals.get(row.student_id, (None, None))
            if proposal is not None:
                parts.append(t("grid.info_final", value=proposal.value, reason=proposal.reason))
    elif column is not None:
        # the date here, not highlighted in the grid's header (that cost ~140 bytes a move)
        parts.append(f"{column.date:%d.%m} {t('grid.lesson_no', n=column.number)}")
        if column.work_type:  # «not set» is the common case: say nothing (fewer bytes a move)
            parts.append(column.work_type)
        parts.append(column.topic or t("grid.no_topic"))
        if column.homework and column.homework_due is not None:
            parts.append(t("grid.homework_due", day=f"{column.homework_due:%d.%m}"))
        if column.substitution:
            parts.append(t("grid.substitution", teacher=column.teacher))
        if column.roll_taken:
            parts.append(t("grid.roll_mark"))
    row = table.current_row
    if row is not None and row.note:
        parts.append(f"{row.name}: {row.note}")
    # one style run, its own leading space instead of padding: ~40 bytes less per move
    return Text(" " + " · ".join(parts), no_wrap=True, overflow="ellipsis")


def loaded_status(grid: Grid, pending: bool) -> str:
    """The status after a grid is shown: its first note, else what it lacks (pupils,
    lessons, the right to write), else how big it is ("" while changes wait in the queue)."""
    if grid.notes:
        return grid.notes[0]
    if not grid.rows:
        return t("grid.no_pupils")
    if not grid.columns:
        return t("grid.no_lessons_period", period=grid.period.name)
    if not grid.writable:
        return t("grid.read_only")
    return "" if pending else t("grid.loaded", n=len(grid.rows), m=len(grid.columns))


def where(grid: Grid | None, student_id: int, lesson_id: int | None) -> str:
    """«Иванов И., 27.11»: the pupil, and the lesson's date when it is in the grid."""
    if grid is None:
        return ""
    name = next((r.name for r in grid.rows if r.student_id == student_id), "")
    column = next((c for c in grid.columns if c.lesson_id == lesson_id), None)
    return f"{name}, {column.date:%d.%m}" if column else name


def flush_status(
    grid: Grid | None, results: list[tuple[PendingChange, Any]], refused: list[PendingChange], left: int
) -> tuple[str, bool]:
    """The status after a flush of the pending queue, and whether it is an error ("" if nothing to say)."""
    if refused:
        first = refused[0]
        place = where(grid, first.student_id, first.lesson_id)
        return t("grid.queue_refused", where=place, text=first.text, error=first.error), True
    if left:
        return t("grid.still_queued", n=left), True
    if results:
        return t("grid.queue_saved", n=len(results)), False
    return "", False


def read_cell_edit(value: str, grid: Grid) -> CellEdit:
    """The edit line of a cell («5 кр/4: у доски»), refused with the reason as InvalidCell:
    a comment needs a mark, and no marks where they are not given (grade 1, preschool)."""
    try:
        edit = parse_cell_edit(value, grid.work_types)
    except InvalidMark as exc:
        raise InvalidCell(str(exc)) from exc
    marks = parse_cell(edit.text).marks
    if edit.comment and not marks:
        raise InvalidCell(t("grid.comment_needs_mark"))
    if not grid.marks_allowed and marks:
        raise InvalidCell(grid.notes[0] if grid.notes else t("grid.no_marks"))
    return edit


def read_final_edit(value: str, proposal: str) -> FinalEdit:
    """The edit line of a period mark; one that differs from the proposal needs its reason
    (refused as InvalidCell with the hint)."""
    final = parse_final_edit(value)
    if final.kind == "period" and final.value and proposal and not final.reason and differs(final.value, proposal):
        raise InvalidCell(t("grid.reason_hint", value=final.value, proposal=proposal))
    return final


def differs(value: str, proposal: str) -> bool:
    """Whether the typed period mark is not the proposed one (a typo of a mark differs)."""
    try:
        return normalize_mark(value) != proposal
    except InvalidMark:
        return True
