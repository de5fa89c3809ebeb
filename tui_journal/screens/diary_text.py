"""What the diary's screens show: the cells of their tables (the week, the marks of a period,
one subject's marks, the timetable) and the texts of their panes (a lesson in full, a mark in
full, the average with its formula, the proposal and the forecast). Texts typed by teachers
are shown as plain text, never as markup."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from tui_journal.i18n import t
from tui_journal.screens.common import plain
from tui_journal.services import diary
from tui_journal.services.diary import DatedMark, DiaryLesson, SubjectLine, SubjectView, TimetableEntry
from tui_journal.widgets.safe_text import shown

Widths = dict[str, int]


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


def day_cells(w: Widths, narrow: bool, label: str, note: str) -> list[Text]:
    """A day's line of the week: its date and a holiday or «no lessons»."""
    if narrow:  # the day's date over the subject column, the number column is too narrow
        cells = [Text(""), plain(f"{label} {note}".strip(), w["subject"], style="bold")]
    else:
        cells = [plain(label, style="bold"), plain(note, w["subject"], style="italic")]
    return cells + [Text("") for _ in range(len(w) - 2)]


def lesson_cells(w: Widths, narrow: bool, lesson: DiaryLesson) -> list[Text]:
    """A lesson's line of the week (a planned one dimmed)."""
    dim = "dim" if lesson.planned else ""
    if narrow:
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


def subject_line_cells(w: Widths, line: SubjectLine) -> list[Text]:
    """A subject's line of the period's marks (the proposal and the misses on a wide screen)."""
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
    return cells


def dated_mark_cells(w: Widths, m: DatedMark) -> list[Text]:
    """A mark's line of one subject (the weight on a wide screen)."""
    cells = [plain(f"{m.date:%d.%m}"), plain(m.value, style="bold"), plain(m.work_type, w["work_type"])]
    if "weight" in w:
        cells.append(plain(diary.number_text(m.weight)))
    cells.append(plain(m.comment, w["comment"]))
    return cells


def timetable_rows(w: Widths, entries: Sequence[TimetableEntry]) -> list[tuple[str, list[Text]]]:
    """The timetable's lines, keyed by their place; the weekday on the first lesson of each day
    (the teacher on a wide screen)."""
    rows = []
    last = 0
    for i, e in enumerate(entries):
        day = diary.WEEKDAYS_SHORT[e.weekday - 1] if e.weekday != last else ""
        last = e.weekday
        cells = [
            plain(day, w["day"], style="bold"), plain(str(e.number)), plain(e.time[: w["time"]]),
            plain(e.subject, w["subject"]),
        ]
        if "teacher" in w:
            cells.append(plain(e.teacher, w["teacher"]))
        cells.append(plain(e.room, w["room"]))
        rows.append((str(i), cells))
    return rows


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
