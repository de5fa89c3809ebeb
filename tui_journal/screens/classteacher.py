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
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.binding import BindingType
from textual.widget import Widget
from textual.widgets import DataTable, Static

from tui_journal.domain.attendance import ATTENDANCE_CODES
from tui_journal.i18n import t
from tui_journal.keymap import bind
from tui_journal.screens.base import JournalScreen, Outcome
from tui_journal.screens.classteacher_parts import (
    COLUMNS,
    AttendanceTable,
    absence_cells,
    absence_detail,
    card_text,
    parse_span,
    pupil_detail,
    pupil_rows,
    slip_cells,
    warning_cells,
    warning_detail,
    week_table_cells,
    week_table_columns,
)
from tui_journal.screens.common import add_columns, first_choice, save_credentials, today
from tui_journal.services import classteacher, enrollment
from tui_journal.services.classteacher import (
    AbsenceRow,
    AttendanceWeek,
    ClassRef,
    EarlyWarning,
    PupilLine,
    Slips,
)
from tui_journal.services.reports.diary import Credential
from tui_journal.widgets.edit_line import EditLine

MODES = ("attendance", "pupils", "warnings", "slips", "table")


class ClassTeacherScreen(JournalScreen):
    TITLE_KEY: ClassVar[str] = "section.classteacher"
    HELP_KEY: ClassVar[str] = "classteacher"

    DEFAULT_CLASSES = "full-width"  # app.tcss: the table takes the whole width

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
        self.table.focus()
        self.set_status(t("loading"))
        self._fetch(self._started, classteacher.my_classes)

    @work(thread=True, exclusive=True, group="ct")
    def _fetch(self, show: Callable[[Any], None], fn: Callable[..., Any], *args: Any) -> None:
        """What a mode shows, read in a worker (a newer read replaces an older one) for ``show``."""
        result = self.call_service(fn, self.actor, *args)
        if not isinstance(result, Outcome):
            self.deliver(show, result)

    def _started(self, classes: list[ClassRef]) -> None:
        self.class_refs = classes
        self.class_id = first_choice(self, self.class_id, classes, t("ct.no_class"))
        self.load()

    @property
    def class_name(self) -> str:
        return next((c.name for c in self.class_refs if c.id == self.class_id), "")

    # --- loading per mode ------------------------------------------------------------------

    def load(self) -> None:
        if self.class_id is None:
            return
        if self.mode in ("attendance", "table"):
            self._fetch(self._show_week, classteacher.attendance_week, self.class_id, self.day or today())
        elif self.mode == "pupils":
            self._fetch(self._show_pupils, classteacher.class_roster, self.class_id, today())
        elif self.mode == "warnings":
            self._fetch(self._show_warnings, classteacher.early_warnings, self.class_id, today())
        else:
            self._show_slips()

    def _columns(self, mode: str) -> None:
        table = self.table
        table.clear(columns=True)
        add_columns(table, COLUMNS[mode], f"ct.col.{mode}")

    def _head(self, text: str) -> None:
        self.query_one("#ct-head", Static).update(Text(f"{self.class_name} · {text}", style="bold"))

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
                table.add_row(*absence_cells(r), key=str(i))
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
        table = self.table
        table.clear(columns=True)
        for title, key, width in week_table_columns(week):
            table.add_column(title, key=key, width=width)
        with self.app.batch_update():
            for student_id, cells in week_table_cells(week):
                table.add_row(*cells, key=str(student_id))
        self._detail(Text(t("ct.table_legend")))
        self.set_status(t("ct.table_status"))

    def _show_pupils(self, pupils: list[PupilLine]) -> None:
        self.pupils = pupils
        self._head(t("ct.pupils_head", n=len(pupils)))
        self._columns("pupils")
        rows = pupil_rows(pupils, today())
        table = self.table
        with self.app.batch_update():
            for p, index, cells in rows:
                table.add_row(*cells, key=f"{p.student_id}-{index}")
        self.pupil_rows = [(p, index) for p, index, _ in rows]
        self._detail_pupil(table.cursor_row)
        self.set_status(t("ct.pupils_status"))

    def _show_warnings(self, warnings: list[EarlyWarning]) -> None:
        self.warnings = warnings
        self._head(t("ct.warnings_head", n=len(warnings)))
        self._columns("warnings")
        table = self.table
        with self.app.batch_update():
            for i, w in enumerate(warnings):
                table.add_row(*warning_cells(w), key=str(i))
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
                table.add_row(*slip_cells(s), key=str(i))
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
        self._detail(card_text(card))

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
        self._detail(absence_detail(week, week.rows[row]))

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
        self._detail(pupil_detail(*self.pupil_rows[row], today()))

    def _detail_warning(self, row: int) -> None:
        if not 0 <= row < len(self.warnings):
            self._detail(Text(t("ct.warnings_rules")))
            return
        self._detail(warning_detail(self.warnings[row]))

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
        if not isinstance(result, Outcome):
            codes = f"{r.teacher_code or '·'}→{code}"
            self._reload_week(t("ct.corrected_status", pupil=r.pupil, codes=codes) if code else t("ct.undone", pupil=r.pupil))

    def _reload_week(self, status: str) -> None:
        """In a worker, after a correction: the week again, shown with ``status``."""
        week = self.call_service(classteacher.attendance_week, self.actor, self.class_id, self.day or today())
        if not isinstance(week, Outcome):
            self.deliver(self._week_saved, week, status)

    def _week_saved(self, week: AttendanceWeek, status: str) -> None:
        keep = self.table.cursor_row
        self.edit_line.close()
        self.table.focus()
        self._show_week(week, keep)
        self.set_status(status)

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
        if not isinstance(changed, Outcome):
            self._reload_week(t("ct.days_done", n=changed))

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
                on_cancel=self.say_kept,
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
            on_cancel=self.say_kept,
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
        """The issued slips as the ``credentials`` PDF (cut lines, how to connect)."""
        save_credentials(
            self, slips.school, f"Учётные данные учащихся и родителей {slips.class_name}",
            [Credential(s.name, s.note, s.login, s.password) for s in slips.slips],
            params={"Класс": slips.class_name, "Выдано": f"{slips.issued_at:%d.%m.%Y %H:%M}"},
            saved_key="ct.saved_to", failed_key="ct.save_failed",
        )

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
