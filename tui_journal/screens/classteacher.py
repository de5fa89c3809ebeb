"""«Классное руководство» (R-CT-1..3, R-ACC-2): the class teacher's week of attendance, his
class list with parents' contacts, early warnings and credential slips.

Modes (keys 1–4): 1 attendance of the week — every code the teachers entered, with the class
teacher's corrections beside them (``н→б``): on a row, б/у/н/о (or b/u/n/o) set the reason and
ask for the note's text on the edit line, Del takes the correction back, F3 applies one note to
a span of days; 2 the class list with the parents' contacts: Enter shows the personal card, F2
corrects a parent's phone and e-mail, K records that the contacts were verified; 3 early
warnings, each with the rule that raised it; 4 credential slips (F6 issues them after a question: to the pupil or parent on the row of
the class list, elsewhere to the whole class; F7 saves
them to a file on the server for printing).

Everywhere: [ ] week, C next class, D the pupil's diary, M message to the pupil's parents,
P message to the parents of the whole class.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.binding import BindingType
from textual.widget import Widget
from textual.widgets import DataTable, Static

from tui_journal.domain import ru_words as words
from tui_journal.domain.attendance import ATTENDANCE_CODES
from tui_journal.i18n import t
from tui_journal.keymap import bind, bind_code
from tui_journal.screens.base import JournalScreen, Outcome
from tui_journal.screens.common import full_width, plain, today
from tui_journal.services import classteacher, enrollment
from tui_journal.services.classteacher import (
    AbsenceRow,
    AttendanceWeek,
    ClassRef,
    EarlyWarning,
    ParentLine,
    PupilLine,
    Slips,
)
from tui_journal.services.reports import diary as report_diary
from tui_journal.services.reports.model import TableModel
from tui_journal.widgets.edit_line import EditLine

MODES = ("attendance", "pupils", "warnings", "slips", "table")


def slips_model(slips: Slips, *, ssh_address: str = "", web_url: str = "") -> TableModel:
    """The class's issued slips as the ``credentials`` document (cut lines, how to connect)."""
    return report_diary.slips_document(
        slips.school,
        f"Учётные данные учащихся и родителей {slips.class_name}",
        [report_diary.slip(slips.school, s.name, s.note, s.login, s.password, ssh_address=ssh_address, web_url=web_url)
         for s in slips.slips],
        params={"Класс": slips.class_name, "Выдано": f"{slips.issued_at:%d.%m.%Y %H:%M}"},
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
        if isinstance(screen, ClassTeacherScreen):
            screen.correct(code)


class ClassTeacherScreen(JournalScreen):
    TITLE_KEY: ClassVar[str] = "section.classteacher"
    HELP_KEY: ClassVar[str] = "classteacher"

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("class_teacher.mode_attendance", "1", "mode('attendance')", t("key.ct.attendance"), key_display="1"),
        bind("class_teacher.mode_pupils", "2", "mode('pupils')", t("key.ct.pupils"), key_display="2"),
        bind("class_teacher.mode_warnings", "3", "mode('warnings')", t("key.ct.warnings"), key_display="3"),
        bind("class_teacher.mode_slips", "4", "mode('slips')", t("key.ct.slips"), show=False),
        bind("class_teacher.mode_table", "5", "mode('table')", t("key.ct.table"), show=False),
        bind("class_teacher.week_prev", "left_square_bracket", "week(-1)", t("key.diary.prev"), show=False),
        bind("class_teacher.week_next", "right_square_bracket", "week(1)", t("key.diary.week"), show=False),
        bind("class_teacher.next_class", "c,C", "next_class", t("key.ct.next_class"), show=False),
        bind("class_teacher.diary", "d,D", "diary", t("key.ct.diary"), show=False),
        bind("class_teacher.message_parents", "m,M", "message_parents", t("key.ct.message"), show=False),
        bind("class_teacher.message_class", "p,P", "message_class", t("key.ct.message_class"), show=False),
        bind("class_teacher.confirm_contacts", "k,K", "confirm_contacts", t("key.ct.confirm"), show=False),
        bind("class_teacher.edit_contacts", "f2", "edit_contacts", t("key.ct.contacts"), show=False),
        bind("class_teacher.correct_days", "f3", "correct_days", t("key.ct.days"), show=False),
        bind("class_teacher.issue", "f6", "issue", t("key.ct.issue"), show=False),
        bind("class_teacher.save_slips", "f7", "save_slips", t("key.ct.save"), show=False),
    ]

    def __init__(self, class_id: int | None = None, *, day: dt.date | None = None) -> None:
        super().__init__()
        self.class_id = class_id
        self.day = day
        self.class_refs: list[ClassRef] = []
        self.mode = "attendance"
        self.week: AttendanceWeek | None = None
        self.pupils: list[PupilLine] = []
        self.pupil_rows: list[tuple[PupilLine, int]] = []  # (pupil, parent index or -1)
        self.warnings: list[EarlyWarning] = []
        self.slips: Slips | None = None
        self._issue_armed = False

    def compose_body(self) -> Iterable[Widget]:
        yield Static("", id="ct-head", classes="head")
        yield AttendanceTable(id="ct-table", cursor_type="row", zebra_stripes=False)
        yield Static("", id="ct-detail", classes="detail")
        yield EditLine(id="ct-edit", max_length=300)

    @property
    def table(self) -> AttendanceTable:
        return self.query_one(AttendanceTable)

    @property
    def edit_line(self) -> EditLine:
        return self.query_one(EditLine)

    def on_mount(self) -> None:
        full_width(self)
        self.table.focus()
        self.set_status(t("loading"))
        self.start()

    @work(thread=True, exclusive=True, group="ct")
    def start(self) -> None:
        classes = self.call_service(classteacher.my_classes, self.actor)
        if not isinstance(classes, Outcome):
            self.deliver(self._started, classes)

    def _started(self, classes: list[ClassRef]) -> None:
        self.class_refs = classes
        if self.class_id is None:
            if not classes:
                self.set_status(t("ct.no_class"), error=True)
                return
            self.class_id = classes[0].id
        self.load()

    @property
    def class_name(self) -> str:
        return next((c.name for c in self.class_refs if c.id == self.class_id), "")

    # --- loading per mode ------------------------------------------------------------------

    def load(self) -> None:
        if self.class_id is None:
            return
        if self.mode in ("attendance", "table"):
            self._load_week(self.class_id, self.day or today())
        elif self.mode == "pupils":
            self._load_pupils(self.class_id)
        elif self.mode == "warnings":
            self._load_warnings(self.class_id)
        else:
            self._show_slips()

    def _columns(self, mode: str) -> None:
        table = self.table
        table.clear(columns=True)
        for key, width in COLUMNS[mode]:
            table.add_column(t(f"ct.col.{mode}.{key}"), key=key, width=width)

    def _head(self, text: str) -> None:
        self.query_one("#ct-head", Static).update(Text(f"{self.class_name} · {text}", style="bold"))

    @work(thread=True, exclusive=True, group="ct")
    def _load_week(self, class_id: int, day: dt.date) -> None:
        week = self.call_service(classteacher.attendance_week, self.actor, class_id, day)
        if not isinstance(week, Outcome):
            self.deliver(self._show_week, week)

    def _show_week(self, week: AttendanceWeek, keep: int | None = None) -> None:
        if self.mode == "table":
            self._show_table(week)
            return
        self.week, self.day = week, week.start
        self._head(t("ct.week_head", start=f"{week.start:%d.%m}", end=f"{week.end:%d.%m.%Y}"))
        self._columns("attendance")
        table = self.table
        with self.app.batch_update():
            for i, r in enumerate(week.rows):
                table.add_row(*self._absence_cells(r), key=str(i))
        if keep is not None and week.rows:
            table.move_cursor(row=min(keep, len(week.rows) - 1))
        self._detail_attendance(table.cursor_row)
        missed = sum(p.missed.lessons.total for p in week.pupils)
        self.set_status(t("ct.week_status", n=len(week.rows), missed=missed) if week.rows else t("ct.week_empty"))

    def _show_table(self, week: AttendanceWeek) -> None:
        """Pupils × days: one sign per lesson (· present, о late, н б у missed), the class
        teacher's corrections in reverse video; then days and lessons missed in the week."""
        self.week, self.day = week, week.start
        self._head(t("ct.table_head", start=f"{week.start:%d.%m}", end=f"{week.end:%d.%m.%Y}"))
        days = list(week.days)
        width = max([4, *(len(week.cells.get((p.student_id, d), ())) for p in week.pupils for d in days)])
        width = min(width, max(4, (78 - 16 - 2 * 3 - (len(days) + 3) * 2) // max(1, len(days))))
        table = self.table
        table.clear(columns=True)
        table.add_column(t("ct.col.attendance.pupil"), key="pupil", width=16)
        for d in days:
            table.add_column(f"{words.weekday_name(d, short=True, capital=True)}{d.day}", key=f"d{d:%m%d}", width=width)
        table.add_column(t("ct.col.table.days"), key="days", width=3)
        table.add_column(t("ct.col.table.lessons"), key="lessons", width=3)
        with self.app.batch_update():
            for p in week.pupils:
                cells: list[Text] = [plain(p.name, 16)]
                for d in days:
                    text = Text(no_wrap=True, overflow="ellipsis")
                    for lesson in week.cells.get((p.student_id, d), ()):
                        sign = lesson.code or "·"
                        style = "reverse" if lesson.corrected else ("bold" if lesson.code in ("н", "б", "у") else "")
                        text.append(sign, style=style)
                    cells.append(text)
                missed = p.missed
                cells.append(plain(str(missed.days.total) if missed.days.total else ""))
                cells.append(plain(str(missed.lessons.total) if missed.lessons.total else ""))
                table.add_row(*cells, key=str(p.student_id))
        self._detail(Text(t("ct.table_legend")))
        self.set_status(t("ct.table_status"))

    @staticmethod
    def _absence_cells(r: AbsenceRow) -> list[Text]:
        return [
            plain(r.pupil, 16),
            plain(f"{r.date:%d.%m}"),
            plain(str(r.number)),
            plain(r.subject, 14),
            plain(r.codes_text, 5, style="bold"),
            plain(r.reason, 22),
        ]

    @work(thread=True, exclusive=True, group="ct")
    def _load_pupils(self, class_id: int) -> None:
        pupils = self.call_service(classteacher.class_roster, self.actor, class_id, today())
        if not isinstance(pupils, Outcome):
            self.deliver(self._show_pupils, pupils)

    def _show_pupils(self, pupils: list[PupilLine]) -> None:
        self.pupils = pupils
        self._head(t("ct.pupils_head", n=len(pupils)))
        self._columns("pupils")
        rows: list[tuple[PupilLine, int]] = []
        table = self.table
        with self.app.batch_update():
            for p in pupils:
                stale = classteacher.contacts_stale(p.contacts_checked_at, today())
                checked = f"{p.contacts_checked_at:%d.%m.%y}" if p.contacts_checked_at else "—"
                parents: list[tuple[int, ParentLine | None]] = list(enumerate(p.parents)) or [(-1, None)]
                for index, parent in parents:
                    first = index <= 0
                    table.add_row(
                        plain(str(p.number) if first else ""),
                        plain(p.name if first else "", 19),
                        plain(parent.name if parent else t("ct.no_parents"), 20),
                        plain(parent.phone if parent else "", 16),
                        plain(checked if first else "", 8, style="bold" if stale and first else ""),
                        key=f"{p.student_id}-{index}",
                    )
                    rows.append((p, index))
        self.pupil_rows = rows
        self._detail_pupil(table.cursor_row)
        self.set_status(t("ct.pupils_status"))

    @work(thread=True, exclusive=True, group="ct")
    def _load_warnings(self, class_id: int) -> None:
        warnings = self.call_service(classteacher.early_warnings, self.actor, class_id, today())
        if not isinstance(warnings, Outcome):
            self.deliver(self._show_warnings, warnings)

    def _show_warnings(self, warnings: list[EarlyWarning]) -> None:
        self.warnings = warnings
        self._head(t("ct.warnings_head", n=len(warnings)))
        self._columns("warnings")
        table = self.table
        with self.app.batch_update():
            for i, w in enumerate(warnings):
                table.add_row(
                    plain(w.pupil, 15), plain(t(f"ct.rule.{w.rule}"), 20), plain(w.subject, 13), plain(w.detail, 21), key=str(i)
                )
        self._detail_warning(table.cursor_row)
        self.set_status(t("ct.warnings_status") if warnings else t("ct.warnings_none"))

    def _show_slips(self) -> None:
        self._columns("slips")
        slips = self.slips
        if slips is None:
            self._head(t("ct.slips_head_none"))
            self.query_one("#ct-detail", Static).update(Text(t("ct.slips_hint")))
            return
        self._head(t("ct.slips_head", n=len(slips.slips)))
        table = self.table
        with self.app.batch_update():
            for i, s in enumerate(slips.slips):
                table.add_row(
                    plain(s.name, 26), plain(t(f"role.short.{s.role}"), 10), plain(s.login, 16), plain(s.password, 14, style="bold"),
                    key=str(i),
                )
        missing = "; ".join(slips.missing)
        self.query_one("#ct-detail", Static).update(Text(t("ct.slips_missing", names=missing) if missing else t("ct.slips_save_hint")))

    # --- the detail lines ---------------------------------------------------------------------

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        row = event.cursor_row
        if self.mode == "attendance":
            self._detail_attendance(row)
        elif self.mode == "pupils":
            self._detail_pupil(row)
        elif self.mode == "warnings":
            self._detail_warning(row)

    def _detail(self, text: Text) -> None:
        self.query_one("#ct-detail", Static).update(text)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on the class list: the pupil's personal card (R-CT-2) in the detail lines."""
        event.stop()
        found = self._current_pupil()
        if self.mode == "pupils" and found is not None:
            self._load_card(found[0].student_id)

    @work(thread=True, exclusive=True, group="ct-card")
    def _load_card(self, student_id: int) -> None:
        card = self.call_service(enrollment.student_card, self.actor, student_id)
        if not isinstance(card, Outcome):
            self.deliver(self._show_card, card)

    def _show_card(self, card: enrollment.StudentCard) -> None:
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
        self._detail(text)

    def _current_absence(self) -> AbsenceRow | None:
        row = self.table.cursor_row
        if self.mode == "attendance" and self.week is not None and 0 <= row < len(self.week.rows):
            return self.week.rows[row]
        return None

    def _detail_attendance(self, row: int) -> None:
        week = self.week
        if week is None or not 0 <= row < len(week.rows):
            self._detail(Text(t("ct.attendance_hint")))
            return
        r = week.rows[row]
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
        self._detail(text)

    def _current_pupil(self) -> tuple[PupilLine, int] | None:
        row = self.table.cursor_row
        if self.mode == "pupils" and 0 <= row < len(self.pupil_rows):
            return self.pupil_rows[row]
        if self.mode == "attendance":
            r = self._current_absence()
            if r is not None:
                return next(((p, -1) for p in self.pupils if p.student_id == r.student_id), None)
        if self.mode == "warnings" and 0 <= row < len(self.warnings):
            sid = self.warnings[row].student_id
            return next(((p, -1) for p in self.pupils if p.student_id == sid), None)
        return None

    def _current_student_id(self) -> tuple[int, str] | None:
        found = self._current_pupil()
        if found is not None:
            return found[0].student_id, found[0].name
        r = self._current_absence()
        if r is not None:
            return r.student_id, r.pupil
        row = self.table.cursor_row
        if self.mode == "warnings" and 0 <= row < len(self.warnings):
            return self.warnings[row].student_id, self.warnings[row].pupil
        return None

    def _detail_pupil(self, row: int) -> None:
        if not 0 <= row < len(self.pupil_rows):
            self._detail(Text(t("ct.pupils_hint")))
            return
        pupil, index = self.pupil_rows[row]
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
        if classteacher.contacts_stale(checked, today()):
            text.append(" " + t("ct.check_due"), style="bold")
        self._detail(text)

    def _detail_warning(self, row: int) -> None:
        if not 0 <= row < len(self.warnings):
            self._detail(Text(t("ct.warnings_rules")))
            return
        w = self.warnings[row]
        text = Text(f"{w.pupil}" + (f", {w.subject}" if w.subject else ""), style="bold")
        text.append("\n" + t("ct.rule") + " ")
        text.append(w.rule_text)
        text.append("\n")
        text.append(w.detail)
        self._detail(text)

    # --- keys -------------------------------------------------------------------------------------

    def action_mode(self, mode: str) -> None:
        if self.edit_line.is_open or mode not in MODES:
            return
        self.mode = mode
        self._issue_armed = False
        if mode != "pupils" and not self.pupils and self.class_id is not None:
            self._prefetch_pupils(self.class_id)
        self.load()

    @work(thread=True, exclusive=True, group="ct-pupils")
    def _prefetch_pupils(self, class_id: int) -> None:
        pupils = self.call_service(classteacher.class_roster, self.actor, class_id, today())
        if not isinstance(pupils, Outcome):
            self.deliver(setattr, self, "pupils", pupils)

    def action_week(self, delta: int) -> None:
        if self.mode not in ("attendance", "table"):
            return
        base = self.week.start if self.week else (self.day or today())
        self.day = base + dt.timedelta(days=7 * delta)
        self.load()

    def action_next_class(self) -> None:
        if len(self.class_refs) < 2:
            return
        ids = [c.id for c in self.class_refs]
        self.class_id = ids[(ids.index(self.class_id) + 1) % len(ids)] if self.class_id in ids else ids[0]
        self.pupils, self.slips = [], None
        self.load()

    def action_diary(self) -> None:
        found = self._current_student_id()
        if found is None:
            self.set_status(t("ct.pick_pupil"))
            return
        from tui_journal.screens.diary import DiaryScreen

        self.app.push_screen(DiaryScreen(found[0], day=self.day))

    def action_message_parents(self) -> None:
        found = self._current_student_id()
        if found is None:
            self.set_status(t("ct.pick_pupil"))
            return
        from tui_journal.screens.messages import MessagesScreen, Target

        self.app.push_screen(MessagesScreen(compose_to=Target("parents", found[0], t("ct.parents_of", name=found[1]))))

    def action_message_class(self) -> None:
        if self.class_id is None:
            return
        from tui_journal.screens.messages import MessagesScreen, Target

        target = Target("class_parents", self.class_id, t("msg.class_parents", cls=self.class_name))
        self.app.push_screen(MessagesScreen(compose_to=target))

    # --- correcting attendance (R-CT-1) -------------------------------------------------------

    def correct(self, code: str) -> None:
        r = self._current_absence()
        if r is None:
            return
        if not (self.week and self.week.editable):
            self.set_status(t("ct.read_only"), error=True)
            return
        if not code:
            self._save_correction(r, "", "")
            return
        prompt = t("ct.reason_prompt", codes=f"{r.teacher_code or '·'}→{code}", title=ATTENDANCE_CODES[code].lower())
        self.edit_line.open(f"reason:{code}", prompt, r.reason)

    @work(thread=True, exclusive=True, group="ct-save")
    def _save_correction(self, r: AbsenceRow, code: str, reason: str) -> None:
        result = self.call_service(classteacher.correct_attendance, self.actor, r.lesson_id, r.student_id, code, reason)
        if isinstance(result, Outcome):
            return
        week = self.call_service(classteacher.attendance_week, self.actor, self.class_id, self.day or today())
        if not isinstance(week, Outcome):
            self.deliver(self._corrected, week, r, code)

    def _corrected(self, week: AttendanceWeek, r: AbsenceRow, code: str) -> None:
        keep = self.table.cursor_row
        self.edit_line.close()
        self.table.focus()
        self._show_week(week, keep)
        self.set_status(t("ct.corrected_status", pupil=r.pupil, codes=f"{r.teacher_code or '·'}→{code}") if code else t("ct.undone", pupil=r.pupil))

    def action_correct_days(self) -> None:
        found = self._current_student_id()
        if self.mode != "attendance" or found is None:
            self.set_status(t("ct.pick_pupil"))
            return
        self.edit_line.open(f"days:{found[0]}", t("ct.days_prompt", name=found[1]), "")

    @work(thread=True, exclusive=True, group="ct-save")
    def _save_days(self, student_id: int, text: str) -> None:
        try:
            start, end, code, reason = parse_span(text, self.day or today())
        except ValueError as exc:
            self.deliver(self.set_status, str(exc), error=True)
            return
        changed = self.call_service(classteacher.correct_days, self.actor, student_id, start, end, code, reason)
        if isinstance(changed, Outcome):
            return
        week = self.call_service(classteacher.attendance_week, self.actor, self.class_id, self.day or today())
        if not isinstance(week, Outcome):
            self.deliver(self._days_saved, week, changed)

    def _days_saved(self, week: AttendanceWeek, changed: int) -> None:
        keep = self.table.cursor_row
        self.edit_line.close()
        self.table.focus()
        self._show_week(week, keep)
        self.set_status(t("ct.days_done", n=changed))

    # --- contacts (R-CT-2) through the enrollment services ---------------------------------

    def action_confirm_contacts(self) -> None:
        found = self._current_pupil()
        if self.mode != "pupils" or found is None:
            return
        self._confirm(found[0].student_id, found[0].name)

    @work(thread=True, exclusive=True, group="ct-save")
    def _confirm(self, student_id: int, name: str) -> None:
        if isinstance(self.call_service(enrollment.confirm_contacts, self.actor, student_id, today()), Outcome):
            return
        self.deliver(self.set_status, t("ct.confirmed", name=name))
        if self.class_id is not None:
            pupils = self.call_service(classteacher.class_roster, self.actor, self.class_id, today())
            if not isinstance(pupils, Outcome):
                self.deliver(self._refresh_pupils, pupils)

    def _refresh_pupils(self, pupils: list[PupilLine]) -> None:
        keep = self.table.cursor_row
        self._show_pupils(pupils)
        if self.pupil_rows:
            self.table.move_cursor(row=min(keep, len(self.pupil_rows) - 1))

    def action_edit_contacts(self) -> None:
        found = self._current_pupil()
        if self.mode != "pupils" or found is None or found[1] < 0:
            self.set_status(t("ct.pick_parent"))
            return
        pupil, index = found
        parent = pupil.parents[index]
        self.edit_line.open(
            f"contacts:{pupil.student_id}:{parent.login}",
            t("ct.contacts_prompt", name=parent.name),
            f"{parent.phone}; {parent.email}".strip("; "),
        )

    @work(thread=True, exclusive=True, group="ct-save")
    def _save_contacts(self, student_id: int, login: str, text: str) -> None:
        phone, _, email = text.partition(";")
        result = self.call_service(
            enrollment.update_guardian, self.actor, student_id, login, phone=phone.strip(), email=email.strip()
        )
        if isinstance(result, Outcome):
            return
        pupils = self.call_service(classteacher.class_roster, self.actor, self.class_id, today())
        if not isinstance(pupils, Outcome):
            self.deliver(self._contacts_saved, pupils)

    def _contacts_saved(self, pupils: list[PupilLine]) -> None:
        self.edit_line.close()
        self.table.focus()
        self._refresh_pupils(pupils)
        self.set_status(t("saved"))

    # --- credential slips (R-ACC-2) ------------------------------------------------------------

    def action_issue(self) -> None:
        """F6: a new password for the pupil or parent on the row (list of the class, key 2),
        elsewhere for the whole class; each asked once with whom and how many."""
        if self.class_id is None:
            return
        class_id = self.class_id
        found = self._current_pupil() if self.mode == "pupils" else None
        if found is not None:
            pupil, index = found
            if index >= 0:
                login, name = pupil.parents[index].login, pupil.parents[index].name
            else:
                login, name = pupil.login, pupil.name
            if not login:
                self.set_status(t("ct.issue_no_account", name=name), error=True)
                return
            self.confirm(
                t("ct.issue_one_ask", name=name, login=login),
                lambda: self._start_issue(class_id, (login,)),
                on_cancel=lambda: self.set_status(t("confirm.kept")),
            )
            return
        if not self.pupils:
            self.set_status(t("loading"))
            self._count_then_ask(class_id)
            return
        self._ask_whole_class(class_id, self.pupils)

    @work(thread=True, exclusive=True, group="ct-pupils")
    def _count_then_ask(self, class_id: int) -> None:
        pupils = self.call_service(classteacher.class_roster, self.actor, class_id, today())
        if not isinstance(pupils, Outcome):
            self.deliver(self._roster_then_ask, class_id, pupils)

    def _roster_then_ask(self, class_id: int, pupils: list[PupilLine]) -> None:
        self.pupils = pupils
        self._ask_whole_class(class_id, pupils)

    def _ask_whole_class(self, class_id: int, pupils: list[PupilLine]) -> None:
        kids = {p.login for p in pupils if p.login}
        parents = {x.login for p in pupils for x in p.parents if x.login} - kids
        if not kids and not parents:
            self.set_status(t("ct.issue_nobody"), error=True)
            return
        self.confirm(
            t("ct.issue_all_ask", cls=self.class_name, n=len(kids) + len(parents), pupils=len(kids), parents=len(parents)),
            lambda: self._start_issue(class_id, None),
            on_cancel=lambda: self.set_status(t("confirm.kept")),
        )

    def _start_issue(self, class_id: int, only: tuple[str, ...] | None) -> None:
        self.set_status(t("loading"))
        self._issue(class_id, only)

    @work(thread=True, exclusive=True, group="ct-save")
    def _issue(self, class_id: int, only: tuple[str, ...] | None = None) -> None:
        slips = self.call_service(classteacher.issue_credentials, self.actor, class_id, today=today(), only=only)
        if not isinstance(slips, Outcome):
            self.deliver(self._issued, slips)

    def _issued(self, slips: Slips) -> None:
        self.slips = slips
        self.mode = "slips"
        self._show_slips()
        self.set_status(t("ct.issued", n=len(slips.slips)))

    def action_save_slips(self) -> None:
        if self.slips is None:
            self.set_status(t("ct.slips_hint"))
            return
        self.set_status(t("loading"))
        self._save_slips(self.slips)

    @work(thread=True, exclusive=True, group="ct-slips")
    def _save_slips(self, slips: Slips) -> None:
        """The issued slips as the ``credentials`` PDF: downloaded in a browser (no copy of
        the passwords left on the server), else in the exports folder (0600)."""
        from tui_journal import export

        settings = self.journal.settings
        web_url = settings.web_url or self.journal.public_url
        model = slips_model(slips, ssh_address=settings.ssh_address, web_url=web_url)
        try:
            data = export.render(model, "pdf")
            status = self.journal.offer_file(export.file_name(model, "pdf"), data, keep=False, saved_key="ct.saved_to")
        except OSError as exc:
            self.deliver(self.set_status, t("ct.save_failed", path=settings.exports_dir, error=exc.strerror or exc),
                         error=True)
            return
        self.deliver(self.set_status, status)

    # --- the edit line ---------------------------------------------------------------------------

    def on_edit_line_done(self, event: EditLine.Done) -> None:
        event.stop()
        purpose, value = event.purpose, event.value
        if purpose.startswith("reason:"):
            r = self._current_absence()
            if r is not None:
                self._save_correction(r, purpose.split(":", 1)[1], value)
        elif purpose.startswith("days:"):
            self._save_days(int(purpose.split(":", 1)[1]), value)
        elif purpose.startswith("contacts:"):
            _, sid, login = purpose.split(":", 2)
            self._save_contacts(int(sid), login, value)

    def on_edit_line_cancelled(self, event: EditLine.Cancelled) -> None:
        event.stop()
        self.edit_line.close()
        self.table.focus()

    def go_back(self) -> None:
        if self.edit_line.is_open:
            self.edit_line.close()
            self.table.focus()
            return
        super().go_back()
