"""«Настройка школы» (R-SETUP-1..3): years and periods, the working week, bells and the grading
policy, rooms, subjects, work types, classes, teachers' load, subgroups, and a teacher's or a
room's week.

The parts are listed on the left; moving along the list refills the one table on the right
(no new screens). F2 adds, Enter edits the selected row, F3 is the part's extra action
(a period of the year; moving a pupil to the selected group at a period's end), Del removes.
The form is one line docked at the bottom: fields separated by «;», the expected format as
the placeholder; Enter saves, Esc closes it. Refusals come from the services, in Russian,
on the status line.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import DataTable, Label, OptionList, Static
from textual.widgets.option_list import Option

from tui_journal.i18n import t
from tui_journal.keymap import bind
from tui_journal.screens.admin_setup_parts import ADD, EDIT, EXTRA, PARTS, Listing, Part, Row
from tui_journal.screens.base import FAILED, Outcome
from tui_journal.screens.common import DockedForm, row_table
from tui_journal.widgets.inputs import JournalInput


class SchoolSetupScreen(DockedForm):
    TITLE_KEY: ClassVar[str] = "section.setup"
    HELP_KEY: ClassVar[str] = "setup"
    FORM_ID: ClassVar[str] = "su-form"
    FOCUS_AFTER_FORM: ClassVar[str] = "su-table"

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("school_setup.add", "f2", "add", t("key.setup_add"), key_display="F2"),
        bind("school_setup.extra", "f3", "extra", t("key.setup_extra"), key_display="F3"),
        bind("school_setup.delete", "delete", "delete", t("key.setup_delete"), key_display="Del"),
        bind("school_setup.export_school", "f9", "export_school", t("key.setup_export"), key_display="F9"),
    ]

    def action_export_school(self) -> None:
        """F9: the whole school as a zip — downloaded in a browser, in the exports folder over SSH."""
        self.set_status(t("setup.exporting"))
        self.export_school()

    @work(thread=True, exclusive=True, group="school-export")
    def export_school(self) -> None:
        from tui_journal.export.files import school_export_zip

        result = self.call_service(school_export_zip, self.actor)
        if isinstance(result, Outcome):
            return
        name, data = result
        status = self.call_service(self.journal.offer_file, name, data, keep=False)
        if not isinstance(status, Outcome):
            self.deliver(self.set_status, status)

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[Part] = [make() for make in PARTS]
        self.part: Part = self.parts[0]
        self.rows: tuple[Row, ...] = ()
        self.form: tuple[str, str | None] | None = None  # (mode, row key) of the open form
        self.form_value = ""  # what the form's line held when it opened

    def compose_body(self) -> Iterable[Widget]:
        with Horizontal(id="su-main"):
            yield OptionList(*(Option(Text(p.short), id=p.key) for p in self.parts), id="su-parts", classes="list", compact=True)
            with Vertical(id="su-right"):
                yield Static("", id="su-caption", classes="head")
                yield row_table("su-table")
        with Horizontal(id="su-form", classes="docked-form"):
            yield Label("", id="su-form-label")
            yield JournalInput(id="su-input", max_length=300)

    def on_mount(self) -> None:
        parts = self.query_one("#su-parts", OptionList)
        parts.highlighted = 0
        parts.focus()

    # --- switching parts and loading -----------------------------------------------------

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        part = next(p for p in self.parts if p.key == event.option_id)
        if part is not self.part or not self.rows:
            self.part = part
            self.rows = ()
            self.close_form(focus=False)
            self.query_one("#su-caption", Static).update(Text(part.title))
            self.query_one("#su-table", DataTable).clear(columns=True)
        self.load(self.part)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one("#su-table", DataTable).focus()

    @work(thread=True, exclusive=True, group="su-load")
    def load(self, part: Part) -> None:
        listing = self.call_service(part.listing, self.actor)
        if not isinstance(listing, Outcome):
            self.deliver(self._show, part, listing)

    def _show(self, part: Part, listing: Listing) -> None:
        if part is not self.part:
            return
        table = self.query_one("#su-table", DataTable)
        keep = table.cursor_row if table.row_count else 0
        self.rows = listing.rows
        with self.app.batch_update():
            table.clear(columns=True)
            for i, (title, width) in enumerate(listing.columns):
                table.add_column(Text(title), key=str(i), width=width)
            for row in listing.rows:
                table.add_row(*(Text(c) for c in row.cells), key=row.key)
            if listing.rows:
                table.move_cursor(row=min(keep, len(listing.rows) - 1))
        if listing.note:
            self.set_status(listing.note)

    # --- the form ----------------------------------------------------------------------------

    def _selected(self) -> Row | None:
        table = self.query_one("#su-table", DataTable)
        if not self.rows or not table.row_count:
            return None
        return self.rows[min(table.cursor_row, len(self.rows) - 1)]

    def open_form(self, mode: str, row: Row | None, hint_key: str, value: str = "") -> None:
        self.form = (mode, row.key if row else None)
        label = f"setup.mode.{mode}.{self.part.key}" if mode == EXTRA else f"setup.mode.{mode}"
        self.query_one("#su-form-label", Label).update(Text(t(label)))
        field = self.query_one("#su-input", JournalInput)
        field.placeholder = t(hint_key)
        field.value = value
        field.cursor_position = len(value)
        self.form_value = value
        self.set_form_open(True)
        field.focus()

    def form_is_open(self) -> bool:
        return self.form is not None

    def form_changed(self) -> bool:
        return self.query_one("#su-input", JournalInput).value != self.form_value

    def close_form(self, *, focus: bool = True) -> None:
        self.form = None
        if focus:
            super().close_form()
        else:
            self.set_form_open(False)

    def action_add(self) -> None:
        if not self.part.add_hint:
            self.set_status(t("setup.no_add"), error=True)
            return
        self.open_form(ADD, None, self.part.add_hint)

    def action_extra(self) -> None:
        row = self._selected()
        if not self.part.extra_hint:
            self.set_status(t("setup.no_extra"), error=True)
            return
        if row is None and self.part.extra_needs_row:
            self.set_status(t("setup.pick_row"), error=True)
            return
        self.open_form(EXTRA, row, self.part.extra_hint)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row = self._selected()
        if row is None:
            return
        if not row.edit_hint:
            self.set_status(t("setup.no_edit"), error=True)
            return
        self.open_form(EDIT, row, row.edit_hint, row.edit_value)

    def on_input_submitted(self, event: JournalInput.Submitted) -> None:
        event.stop()
        self.submit_form()

    def submit_form(self) -> None:
        if self.form is None:
            return
        mode, key = self.form
        self.save(self.part, mode, key, self.query_one("#su-input", JournalInput).value)

    @work(thread=True, exclusive=True, group="su-save")
    def save(self, part: Part, mode: str, key: str | None, text: str) -> None:
        message = self.call_service(part.submit, self.actor, mode, key, text)
        if not isinstance(message, Outcome):
            self.deliver(self._saved, part, message)

    def _saved(self, part: Part, message: str) -> None:
        self.close_form()
        if message:
            self.set_status(message)
        self.load(part)

    # --- deleting -------------------------------------------------------------------------------

    def action_delete(self) -> None:
        row = self._selected()
        if row is None:
            self.set_status(t("setup.pick_row"), error=True)
            return
        self.delete_row(self.part, row.key)

    @work(thread=True, exclusive=True, group="su-save")
    def delete_row(self, part: Part, key: str) -> None:
        message = self.call_service(part.delete, self.actor, key)
        if message is not FAILED:
            self.deliver(self._saved, part, message)
