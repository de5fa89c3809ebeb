"""«Расписание»: the timetable edited class by class (R-SETUP-5).

The first class is shown at once; type part of another class's name and Enter to switch
(a picker: ↑↓ go through the matches). Its week is shown as lesson numbers × days, each
cell the subject (abbreviated to fit 80 columns) and the room. F2 adds a lesson in the
selected cell (subject, teacher, room picked by part of the name, subgroup; Enter saves); a teacher, a room or the class already busy in that slot is refused with a message
naming the other lesson. F8 takes the selected lesson off the timetable from today.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import DataTable, Label, Static

from tui_journal import clock
from tui_journal.domain.abbrev import short_room, short_subject
from tui_journal.i18n import t
from tui_journal.keymap import bind
from tui_journal.screens.base import FAILED, Outcome
from tui_journal.screens.common import DockedForm
from tui_journal.services import setup, timetable
from tui_journal.services.errors import InvalidInput, NotFound
from tui_journal.services.journal import class_label
from tui_journal.services.timetable import WEEKDAYS_SHORT, SlotView
from tui_journal.widgets.inputs import JournalInput
from tui_journal.widgets.picker import Choice, Picker

FORM = ("subject", "teacher", "room", "group")
PICKED = ("subject", "teacher", "room")  # chosen from the school's lists by part of the name
ROWS = 8
DAY_WIDTH = 12
#: 80 columns less the «№» column (2 + 2 of padding) and the scrollbar
WIDTH = 80 - 4 - 1


def day_width(days: int) -> int:
    """The width of a day's column so that the whole week fits 80 columns (2 of padding each)."""
    return max(6, min(DAY_WIDTH + 2, WIDTH // max(1, days)) - 2)


def cell_text(subject: str, room: str, width: int) -> str:
    """«Алгебра 217» in ``width`` characters: the room whole, the subject abbreviated to fit."""
    room = short_room(room) if room else ""
    if not room:
        return short_subject(subject, width)
    return f"{short_subject(subject, max(3, width - len(room) - 1))} {room}"


class TimetableScreen(DockedForm):
    TITLE_KEY: ClassVar[str] = "section.admin_timetable"
    HELP_KEY: ClassVar[str] = "admin_timetable"
    FORM_ID: ClassVar[str] = "tt-form"
    FOCUS_AFTER_FORM: ClassVar[str] = "tt-table"

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("timetable.open_form", "f2", "open_form", t("key.tt_add"), key_display="F2"),
        bind("timetable.remove", "f8", "remove", t("key.tt_remove"), key_display="F8"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.class_id: int | None = None
        self.class_name = ""
        self.slots: list[SlotView] = []
        self.days = 5
        self.cell: tuple[int, int] | None = None  # (weekday, number) of the open form

    def compose_body(self) -> Iterable[Widget]:
        with Horizontal(id="tt-class-row", classes="filter-row"):
            yield Label(t("tt.class") + ": ", classes="field-label")
            yield Picker(id="tt-class", max_length=10, placeholder=t("tt.pick_hint"))
        yield DataTable(id="tt-table", cursor_type="cell", zebra_stripes=False)
        with Vertical(id="tt-form", classes="docked-form"):
            yield Static("", id="tt-form-title", classes="form-title")
            for key in FORM:
                with Horizontal(classes="form-row"):
                    yield Label(t(f"tt.{key}"))
                    if key in PICKED:
                        yield Picker(id=f"tt-f-{key}", max_length=100, placeholder=t("tt.pick_hint"))
                    else:
                        yield JournalInput(id=f"tt-f-{key}", max_length=100)

    def on_mount(self) -> None:
        self.query_one("#tt-class", Picker).input.focus()
        self.load_choices()

    @work(thread=True, exclusive=True, group="tt-choices")
    def load_choices(self) -> None:
        """The school's classes, subjects, teachers and rooms for the pickers; the first class shown."""
        actor = self.actor
        classes = self.call_service(setup.list_classes, actor)
        subjects = self.call_service(setup.list_subjects, actor)
        teachers = self.call_service(setup.list_teachers, actor)
        rooms = self.call_service(setup.list_rooms, actor)
        if any(isinstance(x, Outcome) for x in (classes, subjects, teachers, rooms)):
            return
        self.deliver(self._choices_loaded, classes, subjects, teachers, rooms)

    def _choices_loaded(self, classes: list, subjects: list, teachers: list, rooms: list) -> None:
        self.query_one("#tt-class", Picker).set_choices(Choice(c.name, c.name, c.class_teacher) for c in classes)
        self.query_one("#tt-f-subject", Picker).set_choices(Choice(s.name, s.name, s.detail) for s in subjects)
        self.query_one("#tt-f-teacher", Picker).set_choices(Choice(x.name, x.detail, x.detail) for x in teachers)
        self.query_one("#tt-f-room", Picker).set_choices(Choice(r.name, r.name) for r in rooms)
        if classes and self.class_id is None:
            # a real class in the field, not a placeholder that Enter would send as «»
            self.query_one("#tt-class", Picker).set_text(classes[0].name, select=True)
            self.load(classes[0].name, focus=False)  # the focus stays in the field: type another

    def _field(self, key: str) -> str:
        widget = self.query_one(f"#tt-f-{key}")
        return widget.value if isinstance(widget, Picker) else self.query_one(f"#tt-f-{key}", JournalInput).value

    # --- loading a class ----------------------------------------------------------------

    def on_input_submitted(self, event: JournalInput.Submitted) -> None:
        event.stop()
        parent = event.input.parent
        if isinstance(parent, Picker) and parent.id == "tt-class":
            self.load(parent.value)
        else:
            self.submit_form()

    def submit_form(self) -> None:
        if self.cell is not None and self.class_id is not None:
            self.add(self.class_id, *self.cell, {key: self._field(key) for key in FORM})

    @work(thread=True, exclusive=True, group="tt-load")
    def load(self, name: str, focus: bool = True) -> None:
        found = self.call_service(setup.find_class, self.actor, name)
        if isinstance(found, Outcome):
            return
        slots = self.call_service(timetable.class_timetable, self.actor, found.id)
        settings = self.call_service(setup.school_settings, self.actor)
        if not isinstance(slots, Outcome) and not isinstance(settings, Outcome):
            self.deliver(self._show, found.id, class_label(found), slots, settings.week_days, focus)

    def _show(self, class_id: int, name: str, slots: list[SlotView], days: int, focus: bool = True) -> None:
        table = self.query_one("#tt-table", DataTable)
        keep = table.cursor_coordinate if table.row_count and class_id == self.class_id else None
        self.class_id, self.class_name, self.slots, self.days = class_id, name, slots, int(days)
        rows = max([ROWS, *(s.number for s in slots)])
        with self.app.batch_update():
            table.clear(columns=True)
            table.add_column("№", key="n", width=2)
            width = day_width(self.days)
            for day in range(1, self.days + 1):
                table.add_column(WEEKDAYS_SHORT[day - 1], key=str(day), width=width)
            for number in range(1, rows + 1):
                cells = []
                for day in range(1, self.days + 1):
                    here = [s for s in slots if s.weekday == day and s.number == number]
                    cells.append(Text(" / ".join(cell_text(s.subject, s.room, width) for s in here)))
                table.add_row(Text(str(number)), *cells, key=str(number))
            if keep is not None:
                table.move_cursor(row=keep.row, column=keep.column)
            elif self.days:
                table.move_cursor(row=0, column=1)
        if focus:
            table.focus()
        self.set_status(t("tt.shown", name=name, n=len(slots)))

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
            widget = self.query_one(f"#tt-f-{key}")
            if isinstance(widget, Picker):
                widget.set_text("")
            else:
                self.query_one(f"#tt-f-{key}", JournalInput).value = ""
        self.set_form_open(True)
        self.query_one("#tt-f-subject", Picker).input.focus()

    def form_is_open(self) -> bool:
        return self.cell is not None

    def form_changed(self) -> bool:
        return any(self._field(key).strip() for key in FORM)  # the form opens empty

    def close_form(self) -> None:
        self.cell = None
        super().close_form()

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
