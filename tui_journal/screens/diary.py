"""«Дневник»: the pupil's or parent's week (R-D-1), a subject with the forecast (R-AN-1), the
marks of the period and the timetable (R-D-2).

Everything is read through :mod:`tui_journal.services.diary`, which decides whose diary the
actor may read; the screens only show it. Texts typed by teachers (topics, homework,
comments) are shown as plain text, never as markup.

Keys (both layouts): ``[`` ``]`` — previous and next week, ``T`` — this week, ``C`` — the next
child, Enter — the subject of the lesson, ``S`` — marks of the period, ``R`` — timetable,
``A`` — announcements, ``M`` — messages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.binding import BindingType
from textual.widget import Widget
from textual.widgets import DataTable, Static

from tui_journal.i18n import t
from tui_journal.keymap import bind
from tui_journal.screens.base import Outcome
from tui_journal.screens.common import (
    Columns,
    ResponsiveColumns,
    fill_rows,
    first_choice,
    row_table,
    set_title,
    today,
)
from tui_journal.screens.diary_text import (
    dated_mark_cells,
    day_cells,
    lesson_cells,
    lesson_details,
    mark_text,
    subject_line_cells,
    summary_text,
    timetable_rows,
)
from tui_journal.services import diary
from tui_journal.services.diary import (
    DiaryLesson,
    DiaryWeek,
    MarksSummary,
    StudentRef,
    SubjectLine,
    SubjectView,
    TimetableEntry,
)
from tui_journal.services.journal import PeriodInfo
from tui_journal.widgets.reading import ReadingPane, is_narrow


def period_keys(prefix: str) -> list[BindingType]:
    """``[`` ``]``: the previous and the next period (the marks of a period, one subject)."""
    return [
        bind(f"{prefix}.period_prev", "left_square_bracket", "period(-1)", t("key.diary.prev_period"), show=False),
        bind(f"{prefix}.period_next", "right_square_bracket", "period(1)", t("key.diary.period"), key_display="[ ]"),
    ]


def step_period(periods: Sequence[PeriodInfo], current: int, delta: int) -> int | None:
    """The id of the period ``delta`` away from ``current``; None past the first or the last."""
    ids = [p.id for p in periods]
    index = ids.index(current) + delta if current in ids else -1
    return ids[index] if 0 <= index < len(ids) else None


# --- the week ------------------------------------------------------------------------------------

# 8 + 14 + 7 + 4 + 17 + 17 + 6 × 2 = 79, and 1 for the scrollbar; a wider terminal widens the
# topic and the homework. The highlighted lesson is shown in full in the pane below.
WEEK_COLUMNS = (("lesson", 8), ("subject", 14), ("marks", 7), ("att", 4), ("topic", 17), ("homework", 17))
# A phone held upright (40 columns): the day's lessons stack, one a line (number, subject,
# marks, absence); the topic and the homework are in the pane below. 2 + 18 + 7 + 3 + 4 × 2 = 38.
NARROW_WEEK_COLUMNS = (("lesson", 2), ("subject", 18), ("marks", 7), ("att", 3))


class DiaryScreen(ResponsiveColumns):
    COLUMNS = Columns(WEEK_COLUMNS, NARROW_WEEK_COLUMNS, ("topic", "homework"), "diary.col", narrow_grow="subject")
    TABLE_ID = "diary-table"
    TITLE_KEY: ClassVar[str] = "section.diary"
    HELP_KEY: ClassVar[str] = "diary"

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("diary.week_prev", "left_square_bracket", "week(-1)", t("key.diary.prev"), show=False),
        bind("diary.week_next", "right_square_bracket", "week(1)", t("key.diary.week"), key_display="[ ]"),
        bind("diary.this_week", "t,T", "this_week", t("key.diary.today"), show=False),
        bind("diary.next_child", "c,C", "next_child", t("key.diary.child"), key_display="C"),
        bind("diary.marks", "s,S", "marks", t("key.diary.marks"), key_display="S"),
        bind("diary.timetable", "r,R", "timetable", t("key.diary.timetable"), key_display="R"),
        bind("diary.announcements", "a,A", "announcements", t("key.diary.announcements"), show=False),
        bind("diary.messages", "m,M", "messages", t("key.diary.messages"), show=False),
    ]

    def __init__(self, student_id: int | None = None, day: dt.date | None = None) -> None:
        super().__init__()
        self.student_id = student_id
        self.day = day
        self.students: list[StudentRef] = []
        self.week: DiaryWeek | None = None
        self.row_lessons: list[DiaryLesson | None] = []

    def compose_body(self) -> Iterable[Widget]:
        yield Static("", id="diary-head", classes="head ellipsis")
        yield row_table("diary-table")
        yield ReadingPane(id="diary-detail", classes="detail")

    @property
    def detail(self) -> ReadingPane:
        return self.query_one("#diary-detail", ReadingPane)

    def on_mount(self) -> None:
        self.show_table()
        self.set_status(t("loading"))
        self.start()

    def refill(self) -> None:
        if self.week is not None:
            row = self.table.cursor_row
            self._fill(self.week)
            if 0 <= row < len(self.row_lessons):
                self.table.move_cursor(row=row)

    @work(thread=True, exclusive=True, group="diary")
    def start(self) -> None:
        students = self.call_service(diary.diary_students, self.actor, today())
        if isinstance(students, Outcome):
            return
        self.deliver(self._started, students)

    def _started(self, students: list[StudentRef]) -> None:
        self.students = students
        self.student_id = first_choice(self, self.student_id, students, t("diary.nobody"))
        self.load()

    def load(self) -> None:
        if self.student_id is not None:
            self._load(self.student_id, self.day or today())

    @work(thread=True, exclusive=True, group="diary")
    def _load(self, student_id: int, day: dt.date) -> None:
        week = self.call_service(diary.week, self.actor, student_id, day, today=today())
        if not isinstance(week, Outcome):
            self.deliver(self._show, week)

    def _fill(self, week: DiaryWeek) -> None:
        w, narrow = self.widths, is_narrow(self)
        rows: list[tuple[str, list[Text], DiaryLesson | None]] = []
        for day in week.days:
            label = f"{diary.WEEKDAYS_SHORT[day.date.weekday()]} {day.date:%d.%m}"
            note = day.holiday or ("" if day.lessons else t("diary.no_lessons"))
            rows.append((f"d{day.date.isoformat()}", day_cells(w, narrow, label, note), None))
            for i, lesson in enumerate(day.lessons):
                rows.append((f"l{day.date.isoformat()}-{i}", lesson_cells(w, narrow, lesson), lesson))
        fill_rows(self.table, ((key, cells) for key, cells, _ in rows), keep_cursor=False)
        self.row_lessons = [lesson for _, _, lesson in rows]

    def _show(self, week: DiaryWeek) -> None:
        self.week = week
        self.day = week.start
        head = Text(week.student.title, style="bold")
        head.append(" · " + t("diary.week_of", range=week.title), style="")
        if len(self.students) > 1:
            index = next((i for i, s in enumerate(self.students) if s.id == week.student.id), 0)
            head.append(" · " + t("diary.child_of", n=index + 1, total=len(self.students)), style="")
        self.query_one("#diary-head", Static).update(head)
        self._fill(week)
        rows = self.row_lessons
        table = self.table
        first = next((i for i, r in enumerate(rows) if r is not None and r.date >= min(today(), week.end)), None)
        if first is None:
            first = next((i for i, r in enumerate(rows) if r is not None), 0)
        if rows:
            table.move_cursor(row=first)
        self._show_detail(first)
        lessons = sum(1 for r in rows if r is not None and not r.planned)
        planned = sum(1 for r in rows if r is not None and r.planned)
        if lessons:
            self.set_status(t("diary.loaded", n=lessons))
        else:
            self.set_status(t("diary.planned_count", n=planned) if planned else t("diary.empty_week"))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show_detail(event.cursor_row)

    def _show_detail(self, row: int) -> None:
        lesson = self.row_lessons[row] if 0 <= row < len(self.row_lessons) else None
        self.detail.show(lesson_details(lesson) if lesson is not None else Text(t("diary.detail_hint")))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row = event.cursor_row
        lesson = self.row_lessons[row] if 0 <= row < len(self.row_lessons) else None
        if lesson is not None and self.student_id is not None:
            self.app.push_screen(SubjectScreen(self.student_id, lesson.subject_id, day=lesson.date))

    # --- keys ---------------------------------------------------------------------------------

    def action_week(self, delta: int) -> None:
        base = self.week.start if self.week else (self.day or today())
        self.day = base + dt.timedelta(days=7 * delta)
        self.load()

    def action_this_week(self) -> None:
        self.day = today()
        self.load()

    def action_next_child(self) -> None:
        if len(self.students) < 2:
            self.set_status(t("diary.one_child"))
            return
        ids = [s.id for s in self.students]
        index = ids.index(self.student_id) if self.student_id in ids else -1
        self.student_id = ids[(index + 1) % len(ids)]
        self.load()

    def action_marks(self) -> None:
        if self.student_id is not None:
            self.app.push_screen(MarksScreen(self.student_id, day=self.day))

    def action_timetable(self) -> None:
        if self.student_id is not None:
            self.app.push_screen(TimetableScreen(self.student_id, day=self.day))

    def action_announcements(self) -> None:
        from tui_journal.screens.messages import AnnouncementsScreen

        self.app.push_screen(AnnouncementsScreen())

    def action_messages(self) -> None:
        from tui_journal.screens.messages import MessagesScreen

        self.app.push_screen(MessagesScreen())


# --- the marks of a period -------------------------------------------------------------------------

# 22 + 30 + 6 + 5 + 4 + 4 + 6 × 2 = 83 is too wide: 20 + 26 + 6 + 6 + 4 + 4 + 12 = 78
# (the forecast column holds «2 из 3» when there are too few marks yet).
MARKS_COLUMNS = (("subject", 20), ("marks", 26), ("average", 6), ("proposal", 6), ("final", 4), ("missed", 4))
# A phone (40 columns): 12 + 10 + 4 + 4 + 4 × 2 = 38 (the proposal and the misses on a wide screen).
NARROW_MARKS_COLUMNS = (("subject", 12), ("marks", 10), ("average", 4), ("final", 4))


class MarksScreen(ResponsiveColumns):
    """Every subject of the period: marks, weighted average, proposed and set period mark."""

    COLUMNS = Columns(MARKS_COLUMNS, NARROW_MARKS_COLUMNS, "marks", "diary.mcol")
    TABLE_ID = "marks-table"
    TITLE_KEY: ClassVar[str] = "diary.marks_title"
    HELP_KEY: ClassVar[str] = "diary_marks"

    BINDINGS: ClassVar[list[BindingType]] = period_keys("marks")

    def __init__(self, student_id: int, *, day: dt.date | None = None, period_id: int | None = None) -> None:
        super().__init__()
        self.student_id = student_id
        self.day = day
        self.period_id = period_id
        self.period: PeriodInfo | None = None
        self.periods: list[PeriodInfo] = []
        self.lines: list[SubjectLine] = []

    def compose_body(self) -> Iterable[Widget]:
        yield Static("", id="marks-head", classes="head ellipsis")
        yield row_table("marks-table")

    def on_mount(self) -> None:
        self.show_table()
        self.load()

    def refill(self) -> None:
        rows = ((str(line.subject_id), subject_line_cells(self.widths, line)) for line in self.lines)
        fill_rows(self.table, rows, keep_cursor=False)

    @work(thread=True, exclusive=True, group="marks")
    def load(self) -> None:
        summary = self.call_service(
            diary.marks_summary, self.actor, self.student_id, self.period_id, today=self.day or today()
        )
        if not isinstance(summary, Outcome):
            self.deliver(self._show, summary)

    def _show(self, summary: MarksSummary) -> None:
        period, lines = summary.period, list(summary.lines)
        self.period, self.period_id, self.lines = period, period.id, lines
        self.periods = list(summary.periods)
        self.query_one("#marks-head", Static).update(
            Text(f"{summary.student.title} · {period.name} ({period.start:%d.%m} – {period.end:%d.%m.%Y})", style="bold")
        )
        self.refill()
        self.set_status(t("diary.marks_hint") if lines else t("diary.no_marks"))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if 0 <= event.cursor_row < len(self.lines):
            line = self.lines[event.cursor_row]
            self.app.push_screen(SubjectScreen(self.student_id, line.subject_id, period_id=self.period_id, day=self.day))

    def action_period(self, delta: int) -> None:
        if self.period is None:
            return
        period_id = step_period(self.periods, self.period.id, delta)
        if period_id is not None:
            self.period_id = period_id
            self.load()
        else:
            self.set_status(t("diary.no_more_periods"))


# --- one subject: marks, average with its formula, proposal, forecast ------------------------------

SUBJECT_COLUMNS = (("date", 6), ("value", 5), ("work_type", 24), ("weight", 4), ("comment", 31))
# A phone (40 columns): 5 + 4 + 11 + 8 + 4 × 2 = 36; the weight and the whole comment are in
# the pane below.
NARROW_SUBJECT_COLUMNS = (("date", 5), ("value", 4), ("work_type", 11), ("comment", 11))


class SubjectScreen(ResponsiveColumns):
    COLUMNS = Columns(SUBJECT_COLUMNS, NARROW_SUBJECT_COLUMNS, "comment", "diary.scol")
    TABLE_ID = "subject-table"
    TITLE_KEY: ClassVar[str] = "diary.subject_title"
    HELP_KEY: ClassVar[str] = "diary_subject"

    BINDINGS: ClassVar[list[BindingType]] = period_keys("subject")

    def __init__(
        self, student_id: int, subject_id: int, *, period_id: int | None = None, day: dt.date | None = None
    ) -> None:
        super().__init__()
        self.student_id = student_id
        self.subject_id = subject_id
        self.period_id = period_id
        self.day = day
        self.view: SubjectView | None = None

    def compose_body(self) -> Iterable[Widget]:
        yield Static("", id="subject-head", classes="head ellipsis")
        yield row_table("subject-table")
        yield ReadingPane(id="subject-summary", classes="detail")

    def on_mount(self) -> None:
        self.show_table()
        self.load()

    def refill(self) -> None:
        if self.view is not None:
            self._fill(self.view)

    @work(thread=True, exclusive=True, group="subject")
    def load(self) -> None:
        view = self.call_service(
            diary.subject_view, self.actor, self.student_id, self.subject_id, self.period_id, today=self.day or today()
        )
        if not isinstance(view, Outcome):
            self.deliver(self._show, view)

    def _fill(self, view: SubjectView) -> None:
        rows = ((str(i), dated_mark_cells(self.widths, m)) for i, m in enumerate(view.marks))
        fill_rows(self.table, rows, keep_cursor=False)

    def _show(self, view: SubjectView) -> None:
        self.view, self.period_id = view, view.period.id
        set_title(self, f"{t('diary.subject_title')}: {view.subject}")
        self.query_one("#subject-head", Static).update(
            Text(f"{view.student.title} · {view.period.name} ({view.period.start:%d.%m} – {view.period.end:%d.%m})", style="bold")
        )
        self._fill(view)
        self._show_summary(0)
        self.set_status(t("diary.subject_loaded", n=len(view.marks)) if view.marks else t("diary.no_marks"))

    def _show_summary(self, row: int) -> None:
        """The highlighted mark in full (its comment is cut in the table), then the average,
        the proposal and the forecast."""
        view = self.view
        if view is None:
            return
        text = Text()
        if 0 <= row < len(view.marks):
            text.append_text(mark_text(view.marks[row]))
            text.append("\n")
        text.append_text(summary_text(view))
        self.query_one("#subject-summary", ReadingPane).show(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show_summary(event.cursor_row)

    def action_period(self, delta: int) -> None:
        view = self.view
        if view is None:
            return
        period_id = step_period(view.periods, view.period.id, delta)
        if period_id is not None:
            self.period_id = period_id
            self.load()
        else:
            self.set_status(t("diary.no_more_periods"))


# --- the timetable ---------------------------------------------------------------------------------

TIMETABLE_COLUMNS = (("day", 3), ("number", 2), ("time", 11), ("subject", 26), ("teacher", 18), ("room", 6))
# A phone (40 columns): 2 + 1 + 5 + 17 + 4 + 5 × 2 = 39 (the start of the lesson, no teacher).
NARROW_TIMETABLE_COLUMNS = (("day", 2), ("number", 1), ("time", 5), ("subject", 17), ("room", 4))


class TimetableScreen(ResponsiveColumns):
    COLUMNS = Columns(TIMETABLE_COLUMNS, NARROW_TIMETABLE_COLUMNS, "subject", "diary.tcol")
    TABLE_ID = "timetable-table"
    TITLE_KEY: ClassVar[str] = "diary.timetable_title"
    HELP_KEY: ClassVar[str] = "diary_timetable"

    def __init__(self, student_id: int, *, day: dt.date | None = None) -> None:
        super().__init__()
        self.student_id = student_id
        self.day = day
        self.entries: list[TimetableEntry] = []

    def compose_body(self) -> Iterable[Widget]:
        yield row_table("timetable-table")

    def on_mount(self) -> None:
        self.show_table()
        self.load()

    def refill(self) -> None:
        fill_rows(self.table, timetable_rows(self.widths, self.entries), keep_cursor=False)

    @work(thread=True, exclusive=True, group="timetable")
    def load(self) -> None:
        entries = self.call_service(diary.timetable, self.actor, self.student_id, self.day or today())
        if not isinstance(entries, Outcome):
            self.deliver(self._show, entries)

    def _show(self, entries: list[TimetableEntry]) -> None:
        self.entries = entries
        self.refill()
        self.set_status(t("diary.timetable_count", n=len(entries)) if entries else t("diary.no_timetable"))
