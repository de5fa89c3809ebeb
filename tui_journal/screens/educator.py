"""«Группа ГКП» (R-ROLE-EDUCATOR, R-J-8): the preschool group's sessions of a week with their
topics and who was absent — nothing else (no marks, no homework in a preschool group).

Enter or F2 edits the highlighted session's topic on the docked edit line; R opens the roll of
that day (the attendance screen shared with teachers); ``[`` ``]`` change the week. Reading
and writing go through :mod:`tui_journal.services.journal`, which checks the educator's rights.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.binding import BindingType
from textual.widget import Widget
from textual.widgets import DataTable, Static

from tui_journal.i18n import t
from tui_journal.keymap import bind
from tui_journal.screens.base import JournalScreen, Outcome
from tui_journal.screens.common import add_columns, plain, row_table, today
from tui_journal.services import journal
from tui_journal.services.diary import WEEKDAYS_SHORT, monday_of
from tui_journal.services.journal import JournalRef, WeekSession
from tui_journal.widgets.edit_line import EditLine

# 8 + 2 + 22 + 30 + 8 + 5 × 2 = 80 - 1 → absent 7
COLUMNS = (("date", 8), ("number", 2), ("subject", 22), ("topic", 30), ("absent", 7))


#: The report of the group's days, month by month (services.reports.attendance.DAY_SHEET).
DAY_SHEET_REPORT = "day-sheet"


class EducatorScreen(JournalScreen):
    TITLE_KEY: ClassVar[str] = "section.educator"
    HELP_KEY: ClassVar[str] = "educator"

    DEFAULT_CLASSES = "full-width"  # app.tcss: the table takes the whole width

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("educator.edit_topic", "f2", "edit_topic", t("key.edu.topic"), key_display="F2"),
        bind("educator.roll", "r,R", "roll", t("key.edu.roll"), key_display="R"),
        bind("educator.day_sheet", "t,T", "day_sheet", t("key.edu.day_sheet"), key_display="T"),
        bind("educator.week_prev", "left_square_bracket", "week(-1)", t("key.diary.prev"), show=False),
        bind("educator.week_next", "right_square_bracket", "week(1)", t("key.diary.week"), key_display="[ ]"),
    ]

    def __init__(self, day: dt.date | None = None) -> None:
        super().__init__()
        self.day = day
        self.sessions: list[WeekSession] = []
        self.refs: list[JournalRef] = []

    def compose_body(self) -> Iterable[Widget]:
        yield Static("", id="edu-head", classes="head")
        table = row_table("edu-table")
        yield table
        yield Static("", id="edu-detail", classes="detail")
        yield EditLine(id="edu-edit", max_length=500)

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#edu-table", DataTable)

    def on_mount(self) -> None:
        add_columns(self.table, COLUMNS, "edu.col")
        self.table.focus()
        self.set_status(t("loading"))
        self.load()

    def bounds(self) -> tuple[dt.date, dt.date]:
        start = monday_of(self.day or today())
        return start, start + dt.timedelta(days=5)

    def load(self, keep: int | None = None) -> None:
        self._load(*self.bounds(), keep)

    @work(thread=True, exclusive=True, group="edu")
    def _load(self, start: dt.date, end: dt.date, keep: int | None) -> None:
        sessions = self.call_service(journal.week_sessions, self.actor, start, end)
        if not isinstance(sessions, Outcome):
            self.deliver(self._show, start, end, sessions, keep)

    def _show(self, start: dt.date, end: dt.date, sessions: list[WeekSession], keep: int | None) -> None:
        self.sessions = sessions
        group = sessions[0].group if sessions else ""
        head = f"{group} · " if group else ""
        self.query_one("#edu-head", Static).update(Text(head + t("diary.week_of", range=f"{start:%d.%m} – {end:%d.%m.%Y}"), style="bold"))
        table = self.table
        with self.app.batch_update():
            table.clear()
            for i, s in enumerate(sessions):
                table.add_row(
                    plain(f"{WEEKDAYS_SHORT[s.date.weekday()]} {s.date:%d.%m}"), plain(str(s.number)), plain(s.subject, 22),
                    plain(s.topic or "—", 30), plain(str(len(s.absent)) if s.absent else "", 7, style="bold"), key=str(i),
                )
        if keep is not None and sessions:
            table.move_cursor(row=min(keep, len(sessions) - 1))
        self._detail(table.cursor_row)
        self.set_status(t("edu.status", n=len(sessions)) if sessions else t("edu.none"))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._detail(event.cursor_row)

    def _detail(self, row: int) -> None:
        detail = self.query_one("#edu-detail", Static)
        if not 0 <= row < len(self.sessions):
            detail.update(Text(t("edu.hint")))
            return
        s = self.sessions[row]
        text = Text(f"{s.date:%d.%m.%Y}, {s.number} · {s.subject}", style="bold")
        text.append("\n" + t("diary.topic") + " ")
        text.append(s.topic or "—")
        text.append("\n" + t("edu.absent") + " " + (", ".join(s.absent) or t("edu.all_present")))
        detail.update(text)

    def current(self) -> WeekSession | None:
        row = self.table.cursor_row
        return self.sessions[row] if 0 <= row < len(self.sessions) else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit_topic()

    def action_edit_topic(self) -> None:
        s = self.current()
        if s is None:
            return
        if not s.writable:
            self.set_status(t("edu.read_only"), error=True)
            return
        self.query_one(EditLine).open(f"topic:{s.lesson_id}", t("edu.topic_prompt"), s.topic)

    def on_edit_line_done(self, event: EditLine.Done) -> None:
        event.stop()
        if event.purpose.startswith("topic:"):
            self.save_topic(int(event.purpose.split(":", 1)[1]), event.value)

    def on_edit_line_cancelled(self, event: EditLine.Cancelled) -> None:
        event.stop()
        self.query_one(EditLine).close()
        self.table.focus()

    @work(thread=True, exclusive=True, group="edu-save")
    def save_topic(self, lesson_id: int, topic: str) -> None:
        if not isinstance(self.call_service(journal.set_lesson_info, self.actor, lesson_id, topic=topic), Outcome):
            self.deliver(self._saved)

    def _saved(self) -> None:
        self.query_one(EditLine).close()
        self.table.focus()
        self.set_status(t("saved"))
        self.load(keep=self.table.cursor_row)

    def action_roll(self) -> None:
        s = self.current()
        day = s.date if s else (self.day or today())
        try:
            from tui_journal.screens.roll import RollScreen
        except ImportError:
            self.set_status(t("section.unavailable"), error=True)
            return
        self.app.push_screen(RollScreen(day))

    def action_day_sheet(self) -> None:
        """The group's day sheet (табель) of the shown month on the reports screen: on screen,
        then F2 PDF / F6 print like any report."""
        group = self.sessions[0].group if self.sessions else (self.refs[0].class_name if self.refs else "")
        day = self.bounds()[0]
        from tui_journal.screens.reports import ReportsScreen

        params = {"date": f"{day:%d.%m.%Y}"}
        if group:
            params["class"] = group
        self.app.push_screen(ReportsScreen(DAY_SHEET_REPORT, params, run=bool(group)))

    def action_week(self, delta: int) -> None:
        self.day = self.bounds()[0] + dt.timedelta(days=7 * delta)
        self.load()

    def on_screen_resume(self) -> None:
        if self.sessions:
            self.load(keep=self.table.cursor_row)

    def go_back(self) -> None:
        line = self.query_one(EditLine)
        if line.is_open:
            line.close()
            self.table.focus()
            return
        super().go_back()
