"""«Расписание»: the timetable edited class by class (R-SETUP-5).

Type a class («7А») and Enter: its week is shown as lesson numbers × days. F2 adds a lesson
in the selected cell (subject, teacher's login, room, subgroup on one line each; Enter
saves); a teacher, a room or the class already busy in that slot is refused with a message
naming the other lesson. F8 takes the selected lesson off the timetable from today.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import DataTable, Label, Static

from tui_journal import clock
from tui_journal.i18n import t
from tui_journal.screens.base import FAILED, JournalScreen, _Failed
from tui_journal.services import setup, timetable
from tui_journal.services.errors import InvalidInput, NotFound
from tui_journal.services.journal import class_label
from tui_journal.services.timetable import WEEKDAYS_SHORT, SlotView
from tui_journal.widgets.inputs import JournalInput

FORM = ("subject", "teacher", "room", "group")
ROWS = 8
DAY_WIDTH = 12


class TimetableScreen(JournalScreen):
    TITLE_KEY: ClassVar[str] = "section.admin_timetable"
    HELP_KEY: ClassVar[str] = "admin_timetable"

    DEFAULT_CSS = """
    TimetableScreen #body { padding: 0; }
    #tt-class-row { height: 1; padding: 0 1; }
    #tt-class { width: 10; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "open_form", t("key.tt_add"), key_display="F2"),
        Binding("f8", "remove", t("key.tt_remove"), key_display="F8"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.class_id: int | None = None
        self.class_name = ""
        self.slots: list[SlotView] = []
        self.days = 5
        self.cell: tuple[int, int] | None = None  # (weekday, number) of the open form

    def compose_body(self) -> Iterable[Widget]:
        with Horizontal(id="tt-class-row"):
            yield Label(t("tt.class") + ": ", classes="field-label")
            yield JournalInput(id="tt-class", max_length=10, placeholder="7А")
        yield DataTable(id="tt-table", cursor_type="cell", zebra_stripes=False)
        with Vertical(id="tt-form", classes="docked-form"):
            yield Static("", id="tt-form-title", classes="form-title")
            for key in FORM:
                with Horizontal(classes="form-row"):
                    yield Label(t(f"tt.{key}"))
                    yield JournalInput(id=f"tt-f-{key}", max_length=100)

    def on_mount(self) -> None:
        self.query_one("#tt-class", JournalInput).focus()

    # --- loading a class ----------------------------------------------------------------

    def on_input_submitted(self, event: JournalInput.Submitted) -> None:
        event.stop()
        if event.input.id == "tt-class":
            self.load(event.value)
        elif self.cell is not None and self.class_id is not None:
            values = {key: self.query_one(f"#tt-f-{key}", JournalInput).value for key in FORM}
            self.add(self.class_id, *self.cell, values)

    @work(thread=True, exclusive=True, group="tt-load")
    def load(self, name: str) -> None:
        found = self.call_service(setup.find_class, self.actor, name)
        if isinstance(found, _Failed):
            return
        slots = self.call_service(timetable.class_timetable, self.actor, found.id)
        settings = self.call_service(setup.school_settings, self.actor)
        if not isinstance(slots, _Failed) and not isinstance(settings, _Failed):
            self.deliver(self._show, found.id, class_label(found), slots, settings.week_days)

    def _show(self, class_id: int, name: str, slots: list[SlotView], days: int) -> None:
        table = self.query_one("#tt-table", DataTable)
        keep = table.cursor_coordinate if table.row_count and class_id == self.class_id else None
        self.class_id, self.class_name, self.slots, self.days = class_id, name, slots, int(days)
        rows = max([ROWS, *(s.number for s in slots)])
        with self.app.batch_update():
            table.clear(columns=True)
            table.add_column("№", key="n", width=2)
            for day in range(1, self.days + 1):
                table.add_column(WEEKDAYS_SHORT[day - 1], key=str(day), width=DAY_WIDTH)
            for number in range(1, rows + 1):
                cells = []
                for day in range(1, self.days + 1):
                    here = [s for s in slots if s.weekday == day and s.number == number]
                    cells.append(Text(" / ".join(self._short(s) for s in here)))
                table.add_row(Text(str(number)), *cells, key=str(number))
            if keep is not None:
                table.move_cursor(row=keep.row, column=keep.column)
            elif self.days:
                table.move_cursor(row=0, column=1)
        table.focus()
        self.set_status(t("tt.shown", name=name, n=len(slots)))

    @staticmethod
    def _short(slot: SlotView) -> str:
        room = f" {slot.room}" if slot.room else ""
        return f"{slot.subject[:7]}{room}"

    def _selected(self) -> tuple[int, int] | None:
        if self.class_id is None:
            return None
        table = self.query_one("#tt-table", DataTable)
        row, column = table.cursor_coordinate
        if column < 1:
            return None
        return column, row + 1

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        event.stop()
        cell = self._selected()
        if cell is None:
            return
        here = [s for s in self.slots if (s.weekday, s.number) == cell]
        if here:
            self.set_status("; ".join(f"{s.what}, {s.teacher}" + (f", каб. {s.room}" if s.room else "") for s in here))
        else:
            self.set_status("")

    # --- adding and removing --------------------------------------------------------------

    def action_open_form(self) -> None:
        cell = self._selected()
        if cell is None:
            self.set_status(t("tt.pick_class"), error=True)
            return
        self.cell = cell
        title = t("tt.mode.add", name=self.class_name, day=timetable.WEEKDAYS[cell[0] - 1], number=cell[1])
        self.query_one("#tt-form-title", Static).update(Text(title))
        for key in FORM:
            self.query_one(f"#tt-f-{key}", JournalInput).value = ""
        self.query_one("#tt-form").set_class(True, "-open")
        self.query_one("#tt-f-subject", JournalInput).focus()

    def close_form(self) -> None:
        self.cell = None
        self.query_one("#tt-form").set_class(False, "-open")
        self.query_one("#tt-table", DataTable).focus()

    def action_back(self) -> None:
        if self.cell is not None and not self.query_one("#help").display:
            self.close_form()
            return
        super().action_back()

    def _add(self, class_id: int, weekday: int, number: int, values: dict[str, str]) -> timetable.ChangeResult:
        actor = self.actor
        subject = setup.find_subject(actor, values["subject"])
        room_id = None
        if values["room"].strip():
            rooms = [r for r in setup.list_rooms(actor) if r.name.casefold() == values["room"].strip().casefold()]
            if not rooms:
                raise NotFound(t("tt.no_room", room=values["room"].strip()))
            room_id = rooms[0].id
        group_id = None
        if values["group"].strip():
            groups = [g for g in setup.list_groups(actor, class_id) if g.name.casefold() == values["group"].strip().casefold()]
            if not groups:
                raise NotFound(t("cli.group_not_found", group=values["group"].strip()))
            group_id = groups[0].id
        if not values["teacher"].strip():
            raise InvalidInput(t("tt.need_teacher"))
        return timetable.add_slot(
            actor, class_id, subject.id, values["teacher"].strip(), weekday, number, group_id=group_id, room_id=room_id
        )

    @work(thread=True, exclusive=True, group="tt-save")
    def add(self, class_id: int, weekday: int, number: int, values: dict[str, str]) -> None:
        result = self.call_service(self._add, class_id, weekday, number, values)
        if result is not FAILED:
            self.deliver(self._added)

    def _added(self) -> None:
        self.close_form()
        self.load(self.class_name)

    def action_remove(self) -> None:
        cell = self._selected()
        here = [s for s in self.slots if (s.weekday, s.number) == cell] if cell else []
        if not here:
            self.set_status(t("tt.no_lesson"), error=True)
            return
        self.end_lesson(here[0])

    @work(thread=True, exclusive=True, group="tt-save")
    def end_lesson(self, slot: SlotView) -> None:
        result = self.call_service(timetable.end_slot, self.actor, slot.id, max(clock.today(), slot.valid_from))
        if result is not FAILED:
            self.deliver(self.load, self.class_name)
