"""«Личное дело учащегося» (R-CT-2): a pupil's personal card and his parents' contacts.

One row per field; Enter on a row opens the edit line docked under the list, prefilled with
the value (Enter saves, Esc cancels); F5 records that the parents' contacts were verified.
Saving goes through ``enrollment.update_student`` / ``update_guardian`` /
``confirm_contacts``, which decide who may edit (the secretary, the admin, the pupil's class
teacher) and audit every changed field. Others (director, deputy, parents) only read.

Open it with ``app.push_screen(StudentCardScreen(student_id))``; nothing registers it yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.binding import BindingType
from textual.coordinate import Coordinate
from textual.widget import Widget
from textual.widgets import DataTable

from tui_journal import clock
from tui_journal.i18n import t
from tui_journal.keymap import bind
from tui_journal.screens.base import FAILED, JournalScreen
from tui_journal.screens.common import add_columns, row_table
from tui_journal.services import accounts, enrollment, school_data
from tui_journal.services.enrollment import StudentCard
from tui_journal.widgets.edit_line import EditLine

# 20 + 55 + 2 × 2 of padding + 1 of scrollbar = 80 columns.
COLUMNS = (("field", 20), ("value", 55))
STUDENT_FIELDS = ("personal_file_no", "last_name", "first_name", "middle_name", "birth_date", "sex", "address", "notes")
GUARDIAN_FIELDS = ("parent_name", "phone", "email", "relation")


def _date(value: dt.date | None) -> str:
    return f"{value:%d.%m.%Y}" if value else ""


def card_rows(card: StudentCard) -> list[tuple[str, str, str]]:
    """(row key, field label, value); keys «student:<field>», «guardian:<login>:<field>» and
    «info:…» for rows that are shown but not edited here."""
    rows: list[tuple[str, str, str]] = []
    for name in STUDENT_FIELDS:
        value = getattr(card, name)
        rows.append((f"student:{name}", t(f"card.f.{name}"), _date(value) if name == "birth_date" else str(value or "")))
    rows.append(("info:class", t("card.f.class"), card.class_name or "—"))
    rows.append(("info:checked", t("card.f.checked"), _date(card.contacts_checked_at) or "—"))
    for g in card.guardians:
        rows.append((f"info:parent:{g.login}", t("card.f.parent"), f"{g.login}"))
        values = {"parent_name": g.full_name, "phone": g.phone, "email": g.email, "relation": g.relation}
        for name in GUARDIAN_FIELDS:
            rows.append((f"guardian:{g.login}:{name}", t(f"card.f.{name}"), values[name]))
    return rows


class StudentCardScreen(JournalScreen):
    TITLE_KEY: ClassVar[str] = "section.student_card"
    HELP_KEY: ClassVar[str] = "student_card"

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("student_card.confirm_contacts", "f5", "confirm_contacts", t("key.card_checked"), key_display="F5"),
    ]

    def __init__(self, student_id: int) -> None:
        super().__init__()
        self.student_id = student_id
        self.card: StudentCard | None = None
        self.rows: list[tuple[str, str, str]] = []

    def compose_body(self) -> Iterable[Widget]:
        table = row_table("card-table")
        yield table
        yield EditLine(id="card-edit", max_length=300)

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#card-table", DataTable)

    @property
    def edit_line(self) -> EditLine:
        return self.query_one("#card-edit", EditLine)

    def on_mount(self) -> None:
        add_columns(self.table, COLUMNS, "card.col")
        self.table.focus()
        self.load()

    # --- the card -----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="card-load")
    def load(self) -> None:
        card = self.call_service(enrollment.student_card, self.actor, self.student_id)
        if card is not FAILED:
            self.deliver(self._show, card, None)

    def _show(self, card: StudentCard, message: str | None) -> None:
        keep = self.table.cursor_row
        self.card = card
        self.rows = card_rows(card)
        with self.app.batch_update():
            self.table.clear()
            for key, label, value in self.rows:
                style = "bold" if key.startswith("info:parent:") else ""
                self.table.add_row(Text(label, style=style), Text(value), key=key)
        if self.rows:
            self.table.move_cursor(row=min(max(keep, 0), len(self.rows) - 1))
        head = f"{card.full_name}, {card.class_name}" if card.class_name else card.full_name
        if message is not None:
            self.set_status(message)
        elif not card.editable:
            self.set_status(t("card.not_editable"))
        else:
            self.set_status(head)

    def _current_key(self) -> str | None:
        if not self.rows or self.table.cursor_row < 0:
            return None
        key = self.table.coordinate_to_cell_key(Coordinate(self.table.cursor_row, 0)).row_key.value
        return key

    # --- editing ----------------------------------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = event.row_key.value
        row = next((r for r in self.rows if r[0] == key), None)
        if row is None or self.card is None:
            return
        if key is None or key.startswith("info:"):
            self.set_status(t("card.readonly"))
            return
        if not self.card.editable:
            self.set_status(t("card.not_editable"), error=True)
            return
        self.edit_line.open(key, t("card.edit", field=row[1].strip()), row[2])

    def on_edit_line_done(self, event: EditLine.Done) -> None:
        event.stop()
        self.set_status(t("loading"))
        self.save(event.purpose, event.value)

    def on_edit_line_cancelled(self, event: EditLine.Cancelled) -> None:
        event.stop()
        self._close_edit()

    def _close_edit(self) -> None:
        self.edit_line.close()
        self.table.focus()

    def go_back(self) -> None:
        if self.edit_line.is_open:
            self._close_edit()
            return
        super().go_back()

    @work(thread=True, exclusive=True, group="card-save")
    def save(self, purpose: str, value: str) -> None:
        card = self.call_service(self._apply, purpose, value)
        if card is not FAILED:
            self.deliver(self._saved, card, t("saved"))

    def _apply(self, purpose: str, value: str) -> StudentCard:
        """Runs in the worker: one field through the enrollment service."""
        actor = self.actor
        kind, _, rest = purpose.partition(":")
        if kind == "student":
            kwargs: dict[str, Any] = {rest: value}
            if rest == "birth_date":
                kwargs[rest] = school_data.parse_date(value)
            return enrollment.update_student(actor, self.student_id, **kwargs)
        login, _, name = rest.rpartition(":")
        if name == "parent_name":
            last, first, middle = accounts.split_full_name(value)
            enrollment.update_guardian(
                actor, self.student_id, login, last_name=last, first_name=first, middle_name=middle
            )
        else:
            enrollment.update_guardian(actor, self.student_id, login, **{name: value})
        return enrollment.student_card(actor, self.student_id)

    def _saved(self, card: StudentCard, message: str) -> None:
        self._close_edit()
        self._show(card, message)

    def action_confirm_contacts(self) -> None:
        self.save_confirmation()

    @work(thread=True, exclusive=True, group="card-save")
    def save_confirmation(self) -> None:
        day = clock.today()
        card = self.call_service(enrollment.confirm_contacts, self.actor, self.student_id, day)
        if card is not FAILED:
            self.deliver(self._show, card, t("card.confirmed", date=_date(day)))
