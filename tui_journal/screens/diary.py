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
from tui_journal.screens.common import (
    ResponsiveColumns,
    full_width,
    plain,
    set_title,
    today,
)
from tui_journal.services import diary
from tui_journal.services.diary import (
    DatedMark,
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
from tui_journal.widgets.safe_text import shown


def codes_text(lesson: DiaryLesson) -> str:
    """«н», or «н→б» when the class teacher corrected the teacher's code (both are kept)."""
    if lesson.corrected_code is not None and lesson.corrected_code != lesson.teacher_code:
        return f"{lesson.teacher_code or '·'}→{lesson.corrected_code}"
    return lesson.attendance or ""


def lesson_details(lesson: DiaryLesson) -> Text:
    """The highlighted lesson in full: when, who, topic, homework, marks with work types."""
    text = Text()
    head = f"{diary.WEEKDAYS_SHORT[lesson.date.weekday()]} {lesson.date:%d.%m}, {t('diary.lesson_no', n=lesson.number)}"
    if lesson.time:
        head += f" {lesson.time}"
    parts = [head, lesson.subject]
    if lesson.teacher:
        parts.append(lesson.teacher + (f" ({t('diary.substitution')})" if lesson.substitution else ""))
    if lesson.room:
        parts.append(t("diary.room", room=lesson.room))
    text.append(" · ".join(parts), style="bold")
    if lesson.planned:
        text.append("\n" + t("diary.planned"))
        if lesson.homework:  # homework due for this lesson, set at an earlier one
            text.append("\n" + t("diary.homework") + " ")
            text.append(lesson.homework)
        return text
    text.append("\n" + t("diary.topic") + " ")
    text.append(shown(lesson.topic, multiline=True) or "—")
    text.append("\n" + t("diary.homework") + " ")
    text.append(shown(lesson.homework, multiline=True) or "—")
    if lesson.homework_set:  # set at this lesson: shown in full on the day it is due
        due = f"{lesson.homework_due:%d.%m}" if lesson.homework_due else "—"
        text.append(" · " + t("diary.homework_set", day=due) + " ", style="dim")
        text.append(shown(lesson.homework_set, multiline=True), style="dim")
    marks = []
    for m in lesson.marks:
        part = m.value + (f" — {m.work_type}" if m.work_type else "")
        if m.weight != 1:
            part += f" ({t('diary.weight')} {diary.number_text(m.weight)})"
        if m.comment:
            part += f", {m.comment}"
        marks.append(part)
    tail = []
    if marks:
        tail.append(t("diary.marks") + " " + "; ".join(marks))
    code = codes_text(lesson)
    if code:
        absence = t("diary.absence") + " " + code
        if lesson.reason:
            absence += f" ({lesson.reason})"
        tail.append(absence)
    if tail:
        text.append("\n" + " · ".join(tail))
    return text


# --- the week ------------------------------------------------------------------------------------

# 8 + 14 + 7 + 4 + 17 + 17 + 6 × 2 = 79, and 1 for the scrollbar; a wider terminal widens the
# topic and the homework. The highlighted lesson is shown in full in the pane below.
WEEK_COLUMNS = (("lesson", 8), ("subject", 14), ("marks", 7), ("att", 4), ("topic", 17), ("homework", 17))
# A phone held upright (40 columns): the day's lessons stack, one a line (number, subject,
# marks, absence); the topic and the homework are in the pane below. 2 + 18 + 7 + 3 + 4 × 2 = 38.
NARROW_WEEK_COLUMNS = (("lesson", 2), ("subject", 18), ("marks", 7), ("att", 3))


class DiaryScreen(ResponsiveColumns, JournalScreen):
    WIDE_COLUMNS = WEEK_COLUMNS
    NARROW_COLUMNS = NARROW_WEEK_COLUMNS
    GROW = ("topic", "homework")
    NARROW_GROW = "subject"
    COLUMN_TITLES = "diary.col"
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
        self.widths: dict[str, int] = dict(WEEK_COLUMNS)

    def compose_body(self) -> Iterable[Widget]:
        yield Static("", id="diary-head", classes="head ellipsis")
        table: DataTable[Text] = DataTable(id="diary-table", cursor_type="row", zebra_stripes=False)
        yield table
        yield ReadingPane(id="diary-detail", classes="detail")

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#diary-table", DataTable)

    @property
    def detail(self) -> ReadingPane:
        return self.query_one("#diary-detail", ReadingPane)

    def on_mount(self) -> None:
        full_width(self)
        self.setup_columns()
        self.table.focus()
        self.set_status(t("loading"))
        self.start()

    def columns_table(self) -> DataTable[Text]:
        return self.table

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
        if self.student_id is None:
            if not students:
                self.set_status(t("diary.nobody"), error=True)
                return
            self.student_id = students[0].id
        self.load()

    def load(self) -> None:
        if self.student_id is not None:
            self._load(self.student_id, self.day or today())

    @work(thread=True, exclusive=True, group="diary")
    def _load(self, student_id: int, day: dt.date) -> None:
        week = self.call_service(diary.week, self.actor, student_id, day, today=today())
        if not isinstance(week, Outcome):
            self.deliver(self._show, week)

    def _day_row(self, label: str, note: str) -> list[Text]:
        w = self.widths
        if is_narrow(self):  # the day's date over the subject column, the number column is too narrow
            cells = [Text(""), plain(f"{label} {note}".strip(), w["subject"], style="bold")]
        else:
            cells = [plain(label, style="bold"), plain(note, w["subject"], style="italic")]
        return cells + [Text("") for _ in range(len(w) - 2)]

    def _lesson_row(self, lesson: DiaryLesson) -> list[Text]:
        w = self.widths
        dim = "dim" if lesson.planned else ""
        if is_narrow(self):
            number = plain(str(lesson.number), w["lesson"], style=dim)
        else:
            number = plain(f"{lesson.number} {lesson.time[:5]}".strip(), w["lesson"], style=dim)
        cells = [
            number,
            plain(lesson.subject, w["subject"], style=dim),
            plain(lesson.marks_text, w["marks"], style="bold"),
            plain(codes_text(lesson), w["att"]),
        ]
        if "topic" in w:
            cells.append(plain(lesson.topic if not lesson.planned else t("diary.planned_short"), w["topic"], style=dim))
            cells.append(plain(lesson.homework, w["homework"]))
        return cells

    def _fill(self, week: DiaryWeek) -> None:
        table = self.table
        rows: list[DiaryLesson | None] = []
        with self.app.batch_update():
            table.clear()
            for day in week.days:
                label = f"{diary.WEEKDAYS_SHORT[day.date.weekday()]} {day.date:%d.%m}"
                note = day.holiday or ("" if day.lessons else t("diary.no_lessons"))
                table.add_row(*self._day_row(label, note), key=f"d{day.date.isoformat()}")
                rows.append(None)
                for i, lesson in enumerate(day.lessons):
                    table.add_row(*self._lesson_row(lesson), key=f"l{day.date.isoformat()}-{i}")
                    rows.append(lesson)
        self.row_lessons = rows

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


class MarksScreen(ResponsiveColumns, JournalScreen):
    """Every subject of the period: marks, weighted average, proposed and set period mark."""

    WIDE_COLUMNS = MARKS_COLUMNS
    NARROW_COLUMNS = NARROW_MARKS_COLUMNS
    GROW = "marks"
    NARROW_GROW = "marks"
    COLUMN_TITLES = "diary.mcol"
    TITLE_KEY: ClassVar[str] = "diary.marks_title"
    HELP_KEY: ClassVar[str] = "diary_marks"

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("marks.period_prev", "left_square_bracket", "period(-1)", t("key.diary.prev_period"), show=False),
        bind("marks.period_next", "right_square_bracket", "period(1)", t("key.diary.period"), key_display="[ ]"),
    ]

    def __init__(self, student_id: int, *, day: dt.date | None = None, period_id: int | None = None) -> None:
        super().__init__()
        self.student_id = student_id
        self.day = day
        self.period_id = period_id
        self.period: PeriodInfo | None = None
        self.periods: list[PeriodInfo] = []
        self.lines: list[SubjectLine] = []
        self.widths: dict[str, int] = dict(MARKS_COLUMNS)

    def compose_body(self) -> Iterable[Widget]:
        yield Static("", id="marks-head", classes="head ellipsis")
        table: DataTable[Text] = DataTable(id="marks-table", cursor_type="row", zebra_stripes=False)
        yield table

    def on_mount(self) -> None:
        full_width(self)
        self.setup_columns()
        self.query_one("#marks-table", DataTable).focus()
        self.load()

    def columns_table(self) -> DataTable[Text]:
        return self.query_one("#marks-table", DataTable)

    def refill(self) -> None:
        self._fill()

    def _fill(self) -> None:
        w = self.widths
        table = self.query_one("#marks-table", DataTable)
        with self.app.batch_update():
            table.clear()
            for line in self.lines:
                cells = [
                    plain(line.subject, w["subject"]),
                    plain(" ".join(line.marks), w["marks"]),
                    plain(line.average_text, w["average"]),
                ]
                if "proposal" in w:
                    cells.append(plain(line.proposal, w["proposal"]))
                cells.append(plain(line.period_mark, w["final"], style="bold"))
                if "missed" in w:
                    cells.append(plain(str(line.missed) if line.missed else "", w["missed"]))
                table.add_row(*cells, key=str(line.subject_id))

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
        self._fill()
        self.set_status(t("diary.marks_hint") if lines else t("diary.no_marks"))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if 0 <= event.cursor_row < len(self.lines):
            line = self.lines[event.cursor_row]
            self.app.push_screen(SubjectScreen(self.student_id, line.subject_id, period_id=self.period_id, day=self.day))

    def action_period(self, delta: int) -> None:
        if self.period is None:
            return
        ids = [p.id for p in self.periods]
        index = ids.index(self.period.id) + delta if self.period.id in ids else -1
        if 0 <= index < len(ids):
            self.period_id = ids[index]
            self.load()
        else:
            self.set_status(t("diary.no_more_periods"))


# --- one subject: marks, average with its formula, proposal, forecast ------------------------------

SUBJECT_COLUMNS = (("date", 6), ("value", 5), ("work_type", 24), ("weight", 4), ("comment", 31))
# A phone (40 columns): 5 + 4 + 11 + 8 + 4 × 2 = 36; the weight and the whole comment are in
# the pane below.
NARROW_SUBJECT_COLUMNS = (("date", 5), ("value", 4), ("work_type", 11), ("comment", 11))


def mark_text(m: DatedMark) -> Text:
    """One mark in full: date, value, work type, weight, the teacher's comment as typed."""
    text = Text()
    text.append(f"{m.date:%d.%m.%Y} · {m.value}", style="bold")
    if m.work_type:
        text.append(f" · {m.work_type}")
    if m.weight != 1:
        text.append(f" ({t('diary.weight')} {diary.number_text(m.weight)})")
    if m.comment:
        text.append("\n")
        text.append(m.comment)
    return text


class SubjectScreen(ResponsiveColumns, JournalScreen):
    WIDE_COLUMNS = SUBJECT_COLUMNS
    NARROW_COLUMNS = NARROW_SUBJECT_COLUMNS
    GROW = "comment"
    NARROW_GROW = "comment"
    COLUMN_TITLES = "diary.scol"
    TITLE_KEY: ClassVar[str] = "diary.subject_title"
    HELP_KEY: ClassVar[str] = "diary_subject"

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("subject.period_prev", "left_square_bracket", "period(-1)", t("key.diary.prev_period"), show=False),
        bind("subject.period_next", "right_square_bracket", "period(1)", t("key.diary.period"), key_display="[ ]"),
    ]

    def __init__(
        self, student_id: int, subject_id: int, *, period_id: int | None = None, day: dt.date | None = None
    ) -> None:
        super().__init__()
        self.student_id = student_id
        self.subject_id = subject_id
        self.period_id = period_id
        self.day = day
        self.view: SubjectView | None = None
        self.widths: dict[str, int] = dict(SUBJECT_COLUMNS)

    def compose_body(self) -> Iterable[Widget]:
        yield Static("", id="subject-head", classes="head ellipsis")
        table: DataTable[Text] = DataTable(id="subject-table", cursor_type="row", zebra_stripes=False)
        yield table
        yield ReadingPane(id="subject-summary", classes="detail")

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#subject-table", DataTable)

    def on_mount(self) -> None:
        full_width(self)
        self.setup_columns()
        self.table.focus()
        self.load()

    def columns_table(self) -> DataTable[Text]:
        return self.table

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
        w = self.widths
        table = self.table
        with self.app.batch_update():
            table.clear()
            for i, m in enumerate(view.marks):
                cells = [plain(f"{m.date:%d.%m}"), plain(m.value, style="bold"), plain(m.work_type, w["work_type"])]
                if "weight" in w:
                    cells.append(plain(diary.number_text(m.weight)))
                cells.append(plain(m.comment, w["comment"]))
                table.add_row(*cells, key=str(i))

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
        ids = [p.id for p in view.periods]
        index = ids.index(view.period.id) + delta
        if 0 <= index < len(ids):
            self.period_id = ids[index]
            self.load()
        else:
            self.set_status(t("diary.no_more_periods"))


def summary_text(view: SubjectView) -> Text:
    """Average with its formula, the proposal and its reason, the set mark, the forecast."""
    text = Text()
    text.append(t("diary.average") + " ", style="bold")
    text.append(view.formula)
    text.append("\n" + t("diary.proposal") + " ", style="bold")
    if view.proposal.too_few:
        text.append(view.proposal.label)
    else:
        text.append(f"{view.proposal.value} — {view.proposal.reason}")
    if view.period_mark:
        text.append("\n" + t("diary.period_mark") + " ", style="bold")
        text.append(view.period_mark)
    for forecast in view.forecasts:
        text.append("\n• " + forecast.text)
    text.append("\n" + view.rule, style="dim")
    return text


# --- the timetable ---------------------------------------------------------------------------------

TIMETABLE_COLUMNS = (("day", 3), ("number", 2), ("time", 11), ("subject", 26), ("teacher", 18), ("room", 6))
# A phone (40 columns): 2 + 1 + 5 + 17 + 4 + 5 × 2 = 39 (the start of the lesson, no teacher).
NARROW_TIMETABLE_COLUMNS = (("day", 2), ("number", 1), ("time", 5), ("subject", 17), ("room", 4))


class TimetableScreen(ResponsiveColumns, JournalScreen):
    WIDE_COLUMNS = TIMETABLE_COLUMNS
    NARROW_COLUMNS = NARROW_TIMETABLE_COLUMNS
    GROW = "subject"
    NARROW_GROW = "subject"
    COLUMN_TITLES = "diary.tcol"
    TITLE_KEY: ClassVar[str] = "diary.timetable_title"
    HELP_KEY: ClassVar[str] = "diary_timetable"

    def __init__(self, student_id: int, *, day: dt.date | None = None) -> None:
        super().__init__()
        self.student_id = student_id
        self.day = day
        self.entries: list[TimetableEntry] = []
        self.widths: dict[str, int] = dict(TIMETABLE_COLUMNS)

    def compose_body(self) -> Iterable[Widget]:
        table: DataTable[Text] = DataTable(id="timetable-table", cursor_type="row", zebra_stripes=False)
        yield table

    def on_mount(self) -> None:
        full_width(self)
        self.setup_columns()
        self.query_one("#timetable-table", DataTable).focus()
        self.load()

    def columns_table(self) -> DataTable[Text]:
        return self.query_one("#timetable-table", DataTable)

    def refill(self) -> None:
        self._fill()

    @work(thread=True, exclusive=True, group="timetable")
    def load(self) -> None:
        entries = self.call_service(diary.timetable, self.actor, self.student_id, self.day or today())
        if not isinstance(entries, Outcome):
            self.deliver(self._show, entries)

    def _fill(self) -> None:
        w = self.widths
        table = self.query_one("#timetable-table", DataTable)
        with self.app.batch_update():
            table.clear()
            last = 0
            for i, e in enumerate(self.entries):
                day = diary.WEEKDAYS_SHORT[e.weekday - 1] if e.weekday != last else ""
                last = e.weekday
                cells = [
                    plain(day, w["day"], style="bold"), plain(str(e.number)), plain(e.time[: w["time"]]),
                    plain(e.subject, w["subject"]),
                ]
                if "teacher" in w:
                    cells.append(plain(e.teacher, w["teacher"]))
                cells.append(plain(e.room, w["room"]))
                table.add_row(*cells, key=str(i))

    def _show(self, entries: list[TimetableEntry]) -> None:
        self.entries = entries
        self._fill()
        self.set_status(t("diary.timetable_count", n=len(entries)) if entries else t("diary.no_timetable"))
