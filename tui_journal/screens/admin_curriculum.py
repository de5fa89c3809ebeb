"""«Учебный план»: the curriculum of the current year as a grid of classes × subjects with
hours per week (R-SETUP-2). Arrows pick a cell, Enter opens the one-line editor below the
grid, Enter there saves (0 removes the subject from the class's plan)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import DataTable, Label

from tui_journal.i18n import t
from tui_journal.screens.base import FAILED, JournalScreen
from tui_journal.services import setup
from tui_journal.services.setup import CurriculumGrid
from tui_journal.widgets.inputs import JournalInput

CLASS_WIDTH = 5
SUBJECT_WIDTH = 6


def hours_text(hours: float | None) -> str:
    if not hours:
        return ""
    return f"{hours:g}".replace(".", ",")


class CurriculumScreen(JournalScreen):
    TITLE_KEY: ClassVar[str] = "section.admin_curriculum"
    HELP_KEY: ClassVar[str] = "admin_curriculum"

    def __init__(self) -> None:
        super().__init__()
        self.grid: CurriculumGrid | None = None
        self.editing: tuple[int, int] | None = None

    def compose_body(self) -> Iterable[Widget]:
        yield DataTable(id="cur-table", cursor_type="cell", zebra_stripes=False)
        with Horizontal(id="cur-edit-row"):
            yield Label("", id="cur-edit-label")
            yield JournalInput(id="cur-hours", max_length=5, restrict=r"[0-9.,]*")

    def on_mount(self) -> None:
        self.query_one("#cur-table", DataTable).focus()
        self.load()

    @work(thread=True, exclusive=True, group="cur-load")
    def load(self) -> None:
        grid = self.call_service(setup.curriculum_grid, self.actor)
        if grid is not FAILED:
            self.deliver(self._show, grid)

    def _show(self, grid: CurriculumGrid) -> None:
        self.grid = grid
        table = self.query_one("#cur-table", DataTable)
        with self.app.batch_update():
            table.clear(columns=True)
            table.add_column(t("enr.f.class"), key="class", width=CLASS_WIDTH)
            for subject_id, name in grid.subjects:
                table.add_column(name[:SUBJECT_WIDTH], key=str(subject_id), width=SUBJECT_WIDTH)
            table.add_column("Σ", key="total", width=5)
            for class_id, name in grid.classes:
                cells = [Text(hours_text(grid.hours.get((class_id, s)))) for s, _ in grid.subjects]
                table.add_row(Text(name), *cells, Text(hours_text(grid.total(class_id))), key=str(class_id))

    def _cell(self) -> tuple[int, int] | None:
        table = self.query_one("#cur-table", DataTable)
        if self.grid is None or not self.grid.classes:
            return None
        row, column = table.cursor_coordinate
        if column < 1 or column > len(self.grid.subjects):
            return None
        return self.grid.classes[row][0], self.grid.subjects[column - 1][0]

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        cell = self._cell()
        if cell is None or self.grid is None:
            return
        self.editing = cell
        class_name = dict(self.grid.classes)[cell[0]]
        subject = dict(self.grid.subjects)[cell[1]]
        self.query_one("#cur-edit-label", Label).update(Text(t("cur.edit", name=class_name, subject=subject)))
        field = self.query_one("#cur-hours", JournalInput)
        field.value = hours_text(self.grid.hours.get(cell))
        field.focus()

    def on_input_submitted(self, event: JournalInput.Submitted) -> None:
        event.stop()
        if self.editing is None:
            return
        text = event.value.strip().replace(",", ".") or "0"
        try:
            hours = float(text)
        except ValueError:
            self.set_status(t("cur.bad_hours", value=event.value), error=True)
            return
        self.save(*self.editing, hours)

    @work(thread=True, exclusive=True, group="cur-save")
    def save(self, class_id: int, subject_id: int, hours: float) -> None:
        result = self.call_service(setup.set_hours, self.actor, class_id, subject_id, hours)
        if result is not FAILED:
            self.deliver(self._saved, class_id, subject_id, hours)

    def _saved(self, class_id: int, subject_id: int, hours: float) -> None:
        if self.grid is None:
            return
        if hours:
            self.grid.hours[(class_id, subject_id)] = hours
        else:
            self.grid.hours.pop((class_id, subject_id), None)
        table = self.query_one("#cur-table", DataTable)
        with self.app.batch_update():
            table.update_cell(str(class_id), str(subject_id), Text(hours_text(hours)))
            table.update_cell(str(class_id), "total", Text(hours_text(self.grid.total(class_id))))
        self.editing = None
        self.query_one("#cur-edit-label", Label).update("")
        self.query_one("#cur-hours", JournalInput).value = ""
        table.focus()
        self.set_status(t("cur.saved"))
