"""What the class teacher's screen (:mod:`tui_journal.screens.classteacher`) shows, built
from the services' values without touching the screen: its columns, the table of its
attendance mode, the rows and the detail lines of each mode, and the span of days typed
for F3.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import ClassVar, Protocol, runtime_checkable

from rich.text import Text
from textual.binding import BindingType
from textual.widgets import DataTable

from tui_journal.domain import ru_words as words
from tui_journal.i18n import t
from tui_journal.keymap import bind, bind_code
from tui_journal.screens.common import plain
from tui_journal.services import classteacher, enrollment
from tui_journal.services.classteacher import (
    AbsenceRow,
    AttendanceWeek,
    EarlyWarning,
    ParentLine,
    PupilLine,
    Slip,
)

COLUMNS: dict[str, tuple[tuple[str, int], ...]] = {
    # 16 + 5 + 2 + 14 + 5 + 22 + 6 × 2 = 76
    "attendance": (("pupil", 16), ("date", 5), ("number", 2), ("subject", 14), ("codes", 5), ("reason", 22)),
    # 2 + 19 + 20 + 16 + 8 + 5 × 2 = 75
    "pupils": (("number", 2), ("pupil", 19), ("parent", 20), ("phone", 16), ("checked", 8)),
    # 15 + 20 + 13 + 21 + 4 × 2 = 77
    "warnings": (("pupil", 15), ("rule", 20), ("subject", 13), ("detail", 21)),
    # 26 + 10 + 16 + 14 + 4 × 2 = 74
    "slips": (("name", 26), ("role", 10), ("login", 16), ("password", 14)),
}
_SPAN = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})(?:\s*[-–—]\s*(\d{1,2})\.(\d{1,2}))?\s+(\S+)\s*(.*)$")


def parse_span(text: str, year_of: dt.date) -> tuple[dt.date, dt.date, str, str]:
    """«23.11–27.11 б справка» → (start, end, code, reason); dates in ``year_of``'s school year."""
    match = _SPAN.match(text)
    if match is None:
        raise ValueError(t("ct.span_bad"))
    d1, m1, d2, m2, code, reason = match.groups()

    def day(d: str, m: str) -> dt.date:
        month = int(m)
        year = year_of.year if (month >= 9) == (year_of.month >= 9) else year_of.year + (1 if month < 9 else -1)
        return dt.date(year, month, int(d))

    try:
        start = day(d1, m1)
        end = day(d2, m2) if d2 else start
    except ValueError:
        raise ValueError(t("ct.span_bad")) from None
    return start, end, code, reason.strip()


@runtime_checkable
class CorrectsAttendance(Protocol):
    """The screen that takes the table's code keys (the class teacher's)."""

    def correct(self, code: str) -> None: ...


class AttendanceTable(DataTable[Text]):
    """The week's table: in the attendance mode the code letters correct the highlighted row."""

    BINDINGS: ClassVar[list[BindingType]] = [
        bind_code("attendance_table.code_n", "н", "n", "code", show=False),
        bind_code("attendance_table.code_b", "б", "b", "code", t("key.ct.reason"), key_display="б/у"),
        bind_code("attendance_table.code_u", "у", "u", "code", show=False),
        bind_code("attendance_table.code_o", "о", "o", "code", show=False),
        bind("attendance_table.code_none", "delete", "code('')", t("key.ct.undo"), key_display="Del"),
    ]

    def action_code(self, code: str) -> None:
        screen = self.screen
        if isinstance(screen, CorrectsAttendance):
            screen.correct(code)


# --- the rows of each mode -------------------------------------------------------------------


def absence_cells(r: AbsenceRow) -> list[Text]:
    return [
        plain(r.pupil, 16),
        plain(f"{r.date:%d.%m}"),
        plain(str(r.number)),
        plain(r.subject, 14),
        plain(r.codes_text, 5, style="bold"),
        plain(r.reason, 22),
    ]


def week_table_columns(week: AttendanceWeek) -> list[tuple[str, str, int]]:
    """(title, key, width) of the pupils × days table: a day's column as wide as the most
    lessons of a pupil's day, within 78 columns."""
    days = list(week.days)
    width = max([4, *(len(week.cells.get((p.student_id, d), ())) for p in week.pupils for d in days)])
    width = min(width, max(4, (78 - 16 - 2 * 3 - (len(days) + 3) * 2) // max(1, len(days))))
    return [
        (t("ct.col.attendance.pupil"), "pupil", 16),
        *((f"{words.weekday_name(d, short=True, capital=True)}{d.day}", f"d{d:%m%d}", width) for d in days),
        (t("ct.col.table.days"), "days", 3),
        (t("ct.col.table.lessons"), "lessons", 3),
    ]


def week_table_cells(week: AttendanceWeek) -> list[tuple[int, list[Text]]]:
    """Pupils × days: one sign per lesson (· present, о late, н б у missed), the class
    teacher's corrections in reverse video; then days and lessons missed. (pupil id, cells)."""
    rows = []
    for p in week.pupils:
        cells: list[Text] = [plain(p.name, 16)]
        for d in week.days:
            text = Text(no_wrap=True, overflow="ellipsis")
            for lesson in week.cells.get((p.student_id, d), ()):
                style = "reverse" if lesson.corrected else ("bold" if lesson.code in ("н", "б", "у") else "")
                text.append(lesson.code or "·", style=style)
            cells.append(text)
        missed = p.missed
        cells.append(plain(str(missed.days.total) if missed.days.total else ""))
        cells.append(plain(str(missed.lessons.total) if missed.lessons.total else ""))
        rows.append((p.student_id, cells))
    return rows


def pupil_rows(pupils: list[PupilLine], on: dt.date) -> list[tuple[PupilLine, int, list[Text]]]:
    """The class list: a line per parent (the pupil's number, name and check date on the
    first), a pupil without parents on one line; (pupil, parent index or -1, cells)."""
    rows = []
    for p in pupils:
        stale = classteacher.contacts_stale(p.contacts_checked_at, on)
        checked = f"{p.contacts_checked_at:%d.%m.%y}" if p.contacts_checked_at else "—"
        parents: list[tuple[int, ParentLine | None]] = list(enumerate(p.parents)) or [(-1, None)]
        for index, parent in parents:
            first = index <= 0
            cells = [
                plain(str(p.number) if first else ""),
                plain(p.name if first else "", 19),
                plain(parent.name if parent else t("ct.no_parents"), 20),
                plain(parent.phone if parent else "", 16),
                plain(checked if first else "", 8, style="bold" if stale and first else ""),
            ]
            rows.append((p, index, cells))
    return rows


def warning_cells(w: EarlyWarning) -> list[Text]:
    return [plain(w.pupil, 15), plain(t(f"ct.rule.{w.rule}"), 20), plain(w.subject, 13), plain(w.detail, 21)]


def slip_cells(s: Slip) -> list[Text]:
    return [plain(s.name, 26), plain(t(f"role.short.{s.role}"), 10), plain(s.login, 16), plain(s.password, 14, style="bold")]


# --- the detail lines ----------------------------------------------------------------------


def absence_detail(week: AttendanceWeek, r: AbsenceRow) -> Text:
    """A lesson's codes: the teacher's, the correction and its reason; the pupil's week."""
    text = Text(f"{r.pupil}, {r.date:%d.%m}, {t('diary.lesson_no', n=r.number)} {r.subject}", style="bold")
    text.append("\n" + t("ct.teacher_code", code=r.teacher_code or "—"))
    if r.corrected_code is not None:
        text.append(" · " + t("ct.corrected", code=r.corrected_code, who=r.corrected_by or "—"))
    if r.reason:
        text.append(" · " + t("ct.reason") + " ")
        text.append(r.reason)
    summary = next((p for p in week.pupils if p.student_id == r.student_id), None)
    if summary is not None:
        m = summary.missed
        text.append(
            "\n"
            + t(
                "ct.missed_week",
                days=m.days.total, lessons=m.lessons.total, n=m.lessons.unexcused, b=m.lessons.ill, u=m.lessons.valid, late=m.late,
            )
        )
    return text


def pupil_detail(pupil: PupilLine, index: int, on: dt.date) -> Text:
    """The pupil's account, the parent's contacts (a parent's line) and when they were checked."""
    text = Text(pupil.name, style="bold")
    text.append("  " + (t("ct.account", login=pupil.login) if pupil.login else t("ct.no_account")))
    if index >= 0:
        parent = pupil.parents[index]
        text.append("\n")
        text.append(f"{parent.name}" + (f" ({parent.relation})" if parent.relation else ""))
        text.append(f" · {parent.phone or '—'} · {parent.email or '—'}")
        text.append(" · " + (t("ct.account", login=parent.login) if parent.has_password else t("ct.no_password", login=parent.login)))
    checked = pupil.contacts_checked_at
    text.append("\n" + (t("ct.checked", date=f"{checked:%d.%m.%Y}") if checked else t("ct.never_checked")))
    if classteacher.contacts_stale(checked, on):
        text.append(" " + t("ct.check_due"), style="bold")
    return text


def warning_detail(w: EarlyWarning) -> Text:
    text = Text(f"{w.pupil}" + (f", {w.subject}" if w.subject else ""), style="bold")
    text.append("\n" + t("ct.rule") + " ")
    text.append(w.rule_text)
    text.append("\n")
    text.append(w.detail)
    return text


def card_text(card: enrollment.StudentCard) -> Text:
    """The pupil's personal card (R-CT-2): birth, address, moves between classes, notes."""
    head = [card.full_name, card.class_name]
    if card.birth_date:
        head.append(t("ct.card_birth", date=f"{card.birth_date:%d.%m.%Y}"))
    if card.sex:
        head.append(card.sex)
    text = Text(" · ".join(p for p in head if p), style="bold")
    text.append("\n" + t("ct.card_address") + " ")
    text.append(card.address or "—")
    moves = [
        f"{m.class_name} {m.start:%d.%m.%Y}" + (f"–{m.end:%d.%m.%Y}" if m.end else "") + (f" ({m.order_in})" if m.order_in else "")
        for m in card.history
    ]
    text.append("\n" + t("ct.card_moves") + " ")
    text.append("; ".join(moves) or "—")
    text.append("\n" + t("ct.card_notes") + " ")
    text.append(card.notes or "—")
    return text
