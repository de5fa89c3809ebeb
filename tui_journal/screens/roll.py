"""«Посещаемость урока»: the teacher's lessons of the day, then the roll of one lesson.

Everybody is present until marked: Space marks a pupil absent (again: present), the letters
н б у о (or n b u o) give the reason, Delete makes him present again; each mark is saved at
once (marks already in the cell are kept). Enter records that the roll was taken.
``[`` and ``]`` show the previous or next day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import partial
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import work
from textual.binding import BindingType
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui_journal import clock
from tui_journal.domain import ru_words as words
from tui_journal.domain.attendance import ATTENDANCE_CODES
from tui_journal.domain.marks import format_cell
from tui_journal.i18n import t
from tui_journal.keymap import bind, bind_codes, hidden
from tui_journal.screens.base import FAILED
from tui_journal.screens.grid_lane import LaneScreen
from tui_journal.services import journal
from tui_journal.services.journal import CellView, ColumnView, Grid, RollLesson
from tui_journal.services.pending import PendingChange
from tui_journal.widgets.grade_grid import PENDING_PAINT_DELAY, base_of

WEEKDAYS = words.WEEKDAYS
CODE_TEXT = {"н": "roll.code.н", "б": "roll.code.б", "у": "roll.code.у", "о": "roll.code.о"}


def lesson_title(lesson: RollLesson) -> str:
    """«3 урок, 7А, Алгебра»: a lesson of the day as the list and the head show it."""
    return t("roll.lesson", n=lesson.number, cls=lesson.class_name, subject=lesson.subject)


class RollTable(Widget, can_focus=True):
    """The pupils of one lesson, a line each: number, name, attendance.

    Drawn line by line rather than with textual's DataTable, whose ``update_cell`` repaints
    every visible row (10 kB over SSH for one Space): here a changed line repaints itself,
    and only as far as its text reaches; a cursor move repaints the two lines it touches.
    """

    DEFAULT_CSS = """
    RollTable { height: 1fr; }
    RollTable > .roll-table--header { text-style: bold; }
    RollTable > .roll-table--cursor { text-style: reverse; }
    RollTable:blur > .roll-table--cursor { text-style: underline; }
    RollTable > .roll-table--absent { text-style: bold; }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"roll-table--header", "roll-table--cursor", "roll-table--absent"}
    NAME_WIDTH: ClassVar[int] = 30

    BINDINGS: ClassVar[list[BindingType]] = [
        *hidden(
            "roll_table",
            ("move_prev", "up", "move(-1)"),
            ("move_next", "down", "move(1)"),
            ("move_m10", "pageup", "move(-10)"),
            ("move_10", "pagedown", "move(10)"),
            ("move_m100000", "home", "move(-100000)"),
            ("move_100000", "end", "move(100000)"),
        ),
        bind("roll_table.mark_toggle", "space", "mark('toggle')", t("key.roll.absent"), key_display="Пробел"),
        *bind_codes("roll_table.mark", "mark"),
        bind("roll_table.mark_none", "delete,minus", "mark('')", t("key.roll.present"), key_display="Del"),
        bind("roll_table.take", "enter", "take", t("key.roll.take"), key_display="Enter"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[tuple[str, str, Text]] = []  # number, name, attendance
        self.cursor_row = 0
        self.top = 0

    # --- data ---------------------------------------------------------------------------

    def set_rows(self, rows: list[tuple[str, str, Text]]) -> None:
        self.rows = list(rows)
        self.cursor_row = self.top = 0
        self.refresh()

    def set_code(self, index: int, text: Text) -> None:
        """Show ``text`` as the row's attendance; repaints the line only if it changed."""
        number, name, old = self.rows[index]
        if old.plain == text.plain and old.spans == text.spans:
            return
        width = max(self._line_width(index), 0)
        self.rows[index] = (number, name, text)
        self._refresh_line(index, max(width, self._line_width(index)))

    def move_cursor(self, *, row: int) -> None:
        row = max(0, min(row, len(self.rows) - 1))
        if row == self.cursor_row or not self.rows:
            return
        old, self.cursor_row = self.cursor_row, row
        height = max(1, self.size.height - 1)
        top = min(max(self.top, row - height + 1), row)
        if top != self.top:
            self.top = top
            self.refresh()
            return
        self._refresh_line(old, self._line_width(old))
        self._refresh_line(row, self._line_width(row))

    def action_move(self, step: int) -> None:
        self.move_cursor(row=self.cursor_row + step)

    def on_focus(self) -> None:
        if self.rows:
            self._refresh_line(self.cursor_row, self._line_width(self.cursor_row))

    on_blur = on_focus

    # --- drawing ------------------------------------------------------------------------

    def _line_width(self, index: int) -> int:
        _number, _name, code = self.rows[index]
        return 2 + 1 + self.NAME_WIDTH + 1 + code.cell_len + 1

    def _refresh_line(self, index: int, width: int) -> None:
        y = index - self.top + 1
        if 1 <= y < self.size.height:
            self.refresh(Region(0, y, min(width, self.size.width), 1))

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y == 0:
            header = self.get_component_rich_style("roll-table--header", partial=True)
            text = f"{'№':>2} {t('grid.pupil'):<{self.NAME_WIDTH}} {t('roll.mark')}"
            return Strip([Segment(text, header)]).apply_style(base).adjust_cell_length(width, base)
        index = self.top + y - 1
        if index >= len(self.rows):
            return Strip.blank(width, base)
        number, name, code = self.rows[index]
        cursor = self.get_component_rich_style("roll-table--cursor", partial=True)
        style = cursor if index == self.cursor_row else Style()
        name = name if len(name) <= self.NAME_WIDTH else name[: self.NAME_WIDTH - 1] + "…"
        segments = [Segment(f"{number:>2} {name:<{self.NAME_WIDTH}} ", style)]
        segments += [
            Segment(seg.text, style + seg.style if seg.style else style)
            for seg in code.render(self.app.console)
            if seg.text != "\n"
        ]
        segments.append(Segment(" ", style))
        return Strip(segments).apply_style(base).simplify().adjust_cell_length(width, base)

    def action_mark(self, code: str) -> None:
        screen = self.screen
        if isinstance(screen, RollScreen):
            screen.mark(code)

    def action_take(self) -> None:
        screen = self.screen
        if isinstance(screen, RollScreen):
            screen.take()


class LessonList(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("lesson_list.select", "enter", "select", t("key.open"), key_display="Enter"),
    ]


class RollScreen(LaneScreen):
    TITLE_KEY: ClassVar[str] = "section.roll"
    HELP_KEY: ClassVar[str] = "roll"

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("roll.day_prev", "left_square_bracket", "day(-1)", t("key.roll.prev_day"), show=False),
        bind("roll.day_next", "right_square_bracket", "day(1)", t("key.roll.day"), key_display="[ ]"),
    ]

    def __init__(self, day: dt.date | None = None) -> None:
        super().__init__("roll")
        self.day = day or clock.today()
        self.lessons: list[RollLesson] = []
        self.lesson: RollLesson | None = None
        self.grid: Grid | None = None
        self.column: ColumnView | None = None
        self.codes: dict[int, str | None] = {}  # student → code shown
        self.unsaved: set[int] = set()
        self.slow: set[int] = set()  # unsaved for longer than PENDING_PAINT_DELAY: shown with «*»

    def compose_body(self) -> Iterable[Widget]:
        yield Static("", id="roll-head", classes="head")
        yield LessonList(id="roll-lessons", classes="list")
        yield RollTable(id="roll-table")

    @property
    def table(self) -> RollTable:
        return self.query_one(RollTable)

    def on_mount(self) -> None:
        self.start_retry_timer("roll-retry")
        self.query_one(LessonList).focus()
        self.load_day()

    # --- the lessons of the day ---------------------------------------------------------

    def _head(self, text: str) -> None:
        self.query_one("#roll-head", Static).update(Text(text))

    @work(thread=True, exclusive=True, group="roll-day")
    def load_day(self) -> None:
        rows = self.call_service(journal.lessons_of_day, self.actor, self.day)
        if rows is not FAILED:
            self.deliver(self._show_day, rows)

    def _show_day(self, lessons: list[RollLesson]) -> None:
        self.lessons = lessons
        day = f"{self.day:%d.%m.%Y} ({WEEKDAYS[self.day.weekday()]})"
        self._head(t("roll.day_head", day=day))
        options = self.query_one(LessonList)
        options.clear_options()
        options.add_options([Option(Text(lesson_title(lesson)), id=str(i)) for i, lesson in enumerate(lessons)])
        if lessons:
            options.highlighted = 0
            self.set_status(t("roll.pick"))
        else:
            self.set_status(t("roll.none", day=day))

    def action_day(self, step: int) -> None:
        if self.lesson is not None:
            return
        self.day += dt.timedelta(days=step)
        self.load_day()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        index = int(event.option_id or -1)
        if 0 <= index < len(self.lessons):
            self.open_lesson(self.lessons[index])

    # --- the roll of one lesson -------------------------------------------------------

    def open_lesson(self, lesson: RollLesson) -> None:
        self.set_status(t("loading"))
        actor = self.actor

        def job() -> None:
            grid = self.call_service(journal.lesson_roll, actor, lesson.lesson_id)
            if grid is not FAILED:
                self.deliver(self._show_lesson, lesson, grid)

        self.lane.submit(job)

    def _show_lesson(self, lesson: RollLesson, grid: Grid) -> None:
        self.lesson, self.grid = lesson, grid
        self.column = next(c for c in grid.columns if c.lesson_id == lesson.lesson_id)
        self.codes = {r.student_id: grid.cell(r.student_id, lesson.lesson_id).teacher_code for r in grid.rows}
        self.unsaved.clear()
        self.slow.clear()
        table = self.table
        with self.app.batch_update():
            table.set_rows([(str(row.number), row.name, self._code_text(row.student_id)) for row in grid.rows])
            self.query_one(LessonList).display = False
            table.display = True
        table.focus()
        taken = t("roll.already_taken") if self.column.roll_taken else ""
        self._head(f"{lesson_title(lesson)} · {self.day:%d.%m.%Y} {taken}".rstrip())
        self.set_status(t("roll.keys"))

    def _code_text(self, student_id: int) -> Text:
        code = self.codes.get(student_id)
        text = Text(t(CODE_TEXT[code]) if code in CODE_TEXT else t("roll.present"))
        if code in ("н", "б", "у"):
            text.stylize("bold")
        if student_id in self.unsaved and student_id in self.slow:
            text.append(" *", style="bold")
        return text

    def _refresh_row(self, student_id: int) -> None:
        if self.grid is None:
            return
        index = next((i for i, r in enumerate(self.grid.rows) if r.student_id == student_id), None)
        if index is not None and index < len(self.table.rows):
            self.table.set_code(index, self._code_text(student_id))

    def _show_slow(self, student_id: int) -> None:
        """The save takes long: show «*» on the row (a quick save never paints it)."""
        if student_id in self.unsaved:
            self.slow.add(student_id)
            self._refresh_row(student_id)

    def mark(self, code: str) -> None:
        grid, lesson = self.grid, self.lesson
        table = self.table
        if grid is None or lesson is None or not grid.rows:
            return
        row = grid.rows[table.cursor_row]
        current = self.codes.get(row.student_id)
        if code == "toggle":
            code = "" if current else "н"
        new_code = code or None
        if new_code == current:
            return
        if new_code is not None and new_code not in ATTENDANCE_CODES:
            return
        view = grid.cell(row.student_id, lesson.lesson_id)
        text = format_cell(base_of(view).marks, new_code)
        self.codes[row.student_id] = new_code
        self.unsaved.add(row.student_id)
        self.slow.discard(row.student_id)
        self._refresh_row(row.student_id)
        self.set_timer(PENDING_PAINT_DELAY, partial(self._show_slow, row.student_id))
        self._save(lesson.lesson_id, row.student_id, text, current)
        if table.cursor_row < len(grid.rows) - 1:
            table.move_cursor(row=table.cursor_row + 1)

    def _save(self, lesson_id: int, student_id: int, text: str, old_code: str | None) -> None:
        actor = self.actor
        self.submit_change(
            PendingChange.cell(lesson_id, student_id, text),
            partial(journal.set_cell, actor, lesson_id, student_id, text),
            partial(self._saved, student_id),
            partial(self._refused, student_id, old_code),
            partial(self._queued, student_id),
        )

    def _saved(self, student_id: int, view: CellView) -> None:
        if self.grid is None or self.lesson is None:
            return
        self.grid.cells[(student_id, self.lesson.lesson_id)] = view
        if self.codes.get(student_id) == view.teacher_code:
            self.unsaved.discard(student_id)
            self.slow.discard(student_id)
        self._refresh_row(student_id)
        name = next((r.name for r in self.grid.rows if r.student_id == student_id), "")
        code = view.teacher_code
        self.set_status(
            t("roll.saved", name=name, what=t(CODE_TEXT[code]) if code in CODE_TEXT else t("roll.present"))
        )

    def _queued(self, student_id: int, error: str) -> None:
        self._show_slow(student_id)
        self.went_offline()
        self.set_status(t("roll.queued"), error=True)

    def _refused(self, student_id: int, old_code: str | None, message: str) -> None:
        self.codes[student_id] = old_code
        self.unsaved.discard(student_id)
        self.slow.discard(student_id)
        self._refresh_row(student_id)
        self.set_status(message, error=True)

    def queue_flushed(self, results: list[tuple[PendingChange, Any]], refused: list[PendingChange], left: int) -> None:
        if left:
            return
        self.stop_retrying()
        refused_ids = {c.student_id for c in refused}
        for student_id in list(self.unsaved):
            if student_id not in refused_ids:
                self.unsaved.discard(student_id)
                self.slow.discard(student_id)
                self._refresh_row(student_id)
        if refused:
            self.set_status(refused[0].error, error=True)
        else:
            self.set_status(t("grid.queue_saved", n=len(results)))

    def take(self) -> None:
        lesson, grid = self.lesson, self.grid
        if lesson is None or grid is None:
            return
        actor = self.actor
        absent = [
            f"{r.name} ({self.codes[r.student_id]})"
            for r in grid.rows
            if self.codes.get(r.student_id) in ("н", "б", "у")
        ]

        def job() -> None:
            if self.call_service(journal.take_roll, actor, lesson.lesson_id) is not FAILED:
                self.deliver(self._taken, absent)

        self.lane.submit(job)

    def _taken(self, absent: list[str]) -> None:
        lesson = self.lesson
        if lesson is None:
            return
        names = ", ".join(absent) if absent else t("roll.nobody")
        self.set_status(t("roll.taken", lesson=lesson_title(lesson), n=len(absent), names=names))
        self._head(f"{lesson_title(lesson)} · {self.day:%d.%m.%Y} {t('roll.already_taken')}")

    # --- back -----------------------------------------------------------------------------

    def go_back(self) -> None:
        """Esc on a roll: back to the lessons of the day; on the list: leave the section."""
        if self.lesson is None:
            super().go_back()
            return
        self.lesson = self.grid = self.column = None
        self.table.display = False
        options = self.query_one(LessonList)
        options.display = True
        options.focus()
        self.load_day()
