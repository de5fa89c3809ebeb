"""«Замены»: substitutions for a day (R-J-7). Type the date and Enter: the day's lessons are
listed; Enter on a lesson lists the teachers free at that time (only those), Enter on one of
them gives him the lesson; F8 gives the lesson back to the planned teacher."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import DataTable, Label, OptionList
from textual.widgets.option_list import Option

from tui_journal import clock
from tui_journal.domain.text import class_group
from tui_journal.i18n import t
from tui_journal.keymap import bind
from tui_journal.screens.base import FAILED, JournalScreen
from tui_journal.screens.common import add_columns, row_table
from tui_journal.services import school_data, timetable
from tui_journal.services.timetable import DayLesson, TeacherOption
from tui_journal.widgets.inputs import JournalInput

# 2 + 8 + 22 + 17 + 17 + 5 × 2 of padding + 1 of scrollbar = 77 columns.
COLUMNS = (("n", 2), ("class", 8), ("subject", 22), ("teacher", 17), ("planned", 17))


class SubstitutionsScreen(JournalScreen):
    TITLE_KEY: ClassVar[str] = "section.admin_substitutions"
    HELP_KEY: ClassVar[str] = "admin_substitutions"

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("substitutions.cancel_substitution", "f8", "cancel_substitution", t("key.sub_cancel"), key_display="F8"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.lessons: list[DayLesson] = []
        self.day: dt.date | None = None
        self.picking: DayLesson | None = None

    def compose_body(self) -> Iterable[Widget]:
        with Horizontal(id="sub-date-row", classes="filter-row"):
            yield Label(t("sub.date") + ": ", classes="field-label")
            yield JournalInput(clock.today().strftime("%d.%m.%Y"), id="sub-date", max_length=10)
        yield row_table("sub-table")
        yield OptionList(id="sub-free", classes="docked-form")

    def on_mount(self) -> None:
        table = self.query_one("#sub-table", DataTable)
        add_columns(table, COLUMNS, "sub.col")
        self.query_one("#sub-date", JournalInput).focus()

    def on_input_submitted(self, event: JournalInput.Submitted) -> None:
        event.stop()
        self.load(event.value)

    @work(thread=True, exclusive=True, group="sub-load")
    def load(self, text: str, message: str = "") -> None:
        day = self.call_service(school_data.parse_date, text)
        if isinstance(day, dt.date):
            lessons = self.call_service(timetable.lessons_of_day, self.actor, day)
            if lessons is not FAILED:
                self.deliver(self._show, day, lessons, message)

    def _show(self, day: dt.date, lessons: list[DayLesson], message: str = "") -> None:
        self.day, self.lessons = day, lessons
        table = self.query_one("#sub-table", DataTable)
        row = table.cursor_row
        with self.app.batch_update():
            table.clear()
            for ls in lessons:
                table.add_row(
                    Text(str(ls.number)), Text(class_group(ls.class_name, ls.group)), Text(ls.subject), Text(ls.teacher),
                    Text(ls.replaced), key=str(ls.id),
                )
            if 0 <= row < len(lessons):
                table.move_cursor(row=row)
        table.focus()
        self.set_status(message or t("sub.shown", day=f"{day:%d.%m.%Y}", n=len(lessons)))

    def _selected(self) -> DayLesson | None:
        table = self.query_one("#sub-table", DataTable)
        row = table.cursor_row
        return self.lessons[row] if self.lessons and 0 <= row < len(self.lessons) else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        lesson = self._selected()
        if lesson is not None:
            self.picking = lesson
            self.offer(lesson)

    @work(thread=True, exclusive=True, group="sub-free")
    def offer(self, lesson: DayLesson) -> None:
        options = self.call_service(timetable.free_teachers, self.actor, lesson.id)
        if options is not FAILED:
            self.deliver(self._offer, lesson, options)

    def _offer(self, lesson: DayLesson, options: list[TeacherOption]) -> None:
        free = self.query_one("#sub-free", OptionList)
        free.clear_options()
        for o in options:
            label = Text(o.name)
            if o.note:
                label.append(f" — {o.note}", style="dim")
            free.add_option(Option(label, id=o.login))
        if not options:
            self.set_status(t("sub.nobody"), error=True)
            return
        free.set_class(True, "-open")
        free.highlighted = 0
        free.focus()
        self.set_status(t("sub.pick", lesson=f"{lesson.class_name}, {lesson.number}-й урок, {lesson.subject}"))

    def close_choice(self) -> None:
        self.picking = None
        self.query_one("#sub-free", OptionList).set_class(False, "-open")
        self.query_one("#sub-table", DataTable).focus()

    def action_back(self) -> None:
        if self.picking is not None and not self.help_shown:
            self.close_choice()
            return
        super().action_back()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.picking is not None and event.option.id:
            self.substitute(self.picking.id, event.option.id)

    @work(thread=True, exclusive=True, group="sub-save")
    def substitute(self, lesson_id: int, login: str) -> None:
        result = self.call_service(timetable.substitute, self.actor, lesson_id, login)
        if isinstance(result, DayLesson):
            self.deliver(self._done, t("sub.done", teacher=result.teacher, lesson=f"{result.class_name}, {result.number}-й урок"))

    def action_cancel_substitution(self) -> None:
        lesson = self._selected()
        if lesson is None or not lesson.replaced_login:
            self.set_status(t("sub.not_substitution"), error=True)
            return
        self.give_back(lesson.id)

    @work(thread=True, exclusive=True, group="sub-save")
    def give_back(self, lesson_id: int) -> None:
        result = self.call_service(timetable.cancel_substitution, self.actor, lesson_id)
        if isinstance(result, DayLesson):
            self.deliver(self._done, t("sub.cancelled", teacher=result.teacher))

    def _done(self, message: str) -> None:
        self.close_choice()
        self.set_status(message)
        if self.day is not None:
            self.load(f"{self.day:%d.%m.%Y}", message)
