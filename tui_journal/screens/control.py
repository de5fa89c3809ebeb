"""«Контроль ведения журналов» (R-DEP-1..3, R-AN-2) and «Заверение подписью» (R-DIR-1).

The control screen is read-only: 1 teachers (Enter — one teacher's journals), 2 classes
(Enter — one class's journals), 3 objectivity of the chosen class's period marks, 4 activity of
pupils and parents. ``[`` ``]`` change the period. R opens the reports screen (monitoring
reports, R-REP-10), W the weekly report for parents without the diary (R-DEP-3): both are
drawn by the reports engine (:data:`REPORTS_SCREEN`), not here.

The sign screen lists the files of the program's exports folder (where the reports screen saves
PDF and XLSX); Enter signs the chosen one with the school's key into ``FILE.sig``, F3 checks it
against its signature. No path is typed: a user cannot make the server open a file he names.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.binding import BindingType
from textual.widget import Widget
from textual.widgets import DataTable, Static

from tui_journal.export.files import ExportedFile, exported_files
from tui_journal.i18n import t
from tui_journal.keymap import bind
from tui_journal.screens.base import JournalScreen, Outcome, failure_message
from tui_journal.screens.common import add_columns, plain, row_table, today
from tui_journal.services import control, signing
from tui_journal.services.control import ActivityLine, JournalControl, Named, ObjectivityFlag, TeacherLine
from tui_journal.services.diary import number_text
from tui_journal.services.errors import NotFound
from tui_journal.services.journal import PeriodInfo
from tui_journal.services.signing import KeyInfo, SignatureInfo, Verification

#: The reports engine's screen (another module), opened with ``preset=<report name>`` (the
#: names of :mod:`tui_journal.services.reports`) and ``params`` (its fields).
REPORTS_SCREEN = "tui_journal.screens.reports:ReportsScreen"
PRESET_MONITORING = "monitoring"  # R-REP-10, services.reports.monitoring.MONITORING
PRESET_WEEKLY_PARENTS = "parent-weekly"  # R-DEP-3, services.reports.diary.PARENT_WEEKLY

COLUMNS: dict[str, tuple[tuple[str, int], ...]] = {
    # 24 + 5 × 7 + 8 × 2 = 75
    "teachers": (("name", 24), ("lessons", 5), ("no_topic", 5), ("no_homework", 5), ("no_roll", 5), ("late", 5), ("marks", 5), ("fill", 5)),
    # 19 + 5 × 6 + 9 + 8 × 2 = 74
    "journals": (("journal", 19), ("lessons", 5), ("no_topic", 5), ("no_homework", 5), ("no_roll", 5), ("late", 5), ("fill", 5), ("plan", 9)),
    "classes": (("class", 8), ("note", 60)),
    # 15 + 15 + 20 + 22 + 4 × 2 = 80 - 1 → 21
    "objectivity": (("pupil", 15), ("subject", 15), ("rule", 20), ("detail", 21)),
    # 8 + 8 × 5 + 6 × 2 = 60
    "activity": (("class", 8), ("pupils", 8), ("accounts", 8), ("pupils_active", 8), ("parents", 8), ("parents_active", 8)),
}


def open_reports(screen: JournalScreen, preset: str, params: dict[str, str] | None = None) -> None:
    """The hook to the reports engine: its screen with the report ``preset`` chosen (and its
    fields filled from ``params``)."""
    module_name, _, attr = REPORTS_SCREEN.partition(":")
    factory = getattr(importlib.import_module(module_name), attr)
    screen.app.push_screen(factory(preset=preset, params=params))


def _dates(days: Iterable[dt.date]) -> str:
    return ", ".join(f"{d:%d.%m}" for d in days) or "—"


class ControlScreen(JournalScreen):
    TITLE_KEY: ClassVar[str] = "section.control"
    HELP_KEY: ClassVar[str] = "control"

    DEFAULT_CLASSES = "full-width"  # app.tcss: the table takes the whole width

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("control.view_teachers", "1", "view('teachers')", t("key.ctl.teachers"), key_display="1"),
        bind("control.view_classes", "2", "view('classes')", t("key.ctl.classes"), key_display="2"),
        bind("control.view_objectivity", "3", "view('objectivity')", t("key.ctl.objectivity"), key_display="3"),
        bind("control.view_activity", "4", "view('activity')", t("key.ctl.activity"), show=False),
        bind("control.period_prev", "left_square_bracket", "period(-1)", t("key.diary.prev_period"), show=False),
        bind("control.period_next", "right_square_bracket", "period(1)", t("key.diary.period"), key_display="[ ]"),
        bind("control.reports", "r,R", "reports", t("key.ctl.reports"), key_display="R"),
        bind("control.weekly", "w,W", "weekly", t("key.ctl.weekly"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view = "teachers"
        self.periods: list[PeriodInfo] = []
        self.period: PeriodInfo | None = None
        self.teacher: Named | None = None
        self.klass: Named | None = None
        self.class_refs: list[Named] = []
        self.teacher_lines: list[TeacherLine] = []
        self.journals: list[JournalControl] = []
        self.flags: list[ObjectivityFlag] = []

    def compose_body(self) -> Iterable[Widget]:
        yield Static("", id="ctl-head", classes="head")
        yield row_table("ctl-table")
        yield Static("", id="ctl-detail", classes="detail")

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#ctl-table", DataTable)

    def on_mount(self) -> None:
        self.table.focus()
        self.set_status(t("loading"))
        self.start()

    @work(thread=True, exclusive=True, group="ctl")
    def start(self) -> None:
        periods = self.call_service(control.periods, self.actor, today())
        classes = self.call_service(control.classes, self.actor)
        if not isinstance(periods, Outcome) and not isinstance(classes, Outcome):
            self.deliver(self._started, periods, classes)

    def _started(self, periods: list[PeriodInfo], classes: list[Named]) -> None:
        self.periods, self.class_refs = periods, classes
        if periods:
            now = today()
            self.period = next((p for p in periods if p.start <= now <= p.end), None) or (
                [p for p in periods if p.start <= now] or periods
            )[-1]
        self.load()

    def span(self) -> tuple[dt.date, dt.date]:
        if self.period is None:
            end = today()
            return end - dt.timedelta(days=30), end
        return self.period.start, self.period.end

    def _head(self, text: str) -> None:
        start, end = self.span()
        period = self.period.name if self.period else t("ctl.month")
        head = Text(text, style="bold")
        head.append(f" · {period} ({start:%d.%m} – {end:%d.%m.%Y})", style="")
        self.query_one("#ctl-head", Static).update(head)

    def _columns(self, key: str) -> None:
        table = self.table
        table.clear(columns=True)
        add_columns(table, COLUMNS[key], f"ctl.col.{key}")

    def _detail(self, text: Text | str) -> None:
        self.query_one("#ctl-detail", Static).update(text if isinstance(text, Text) else Text(text))

    # --- loading --------------------------------------------------------------------------------

    def load(self) -> None:
        start, end = self.span()
        if self.view == "teachers":
            self._load_teachers(start, end)
        elif self.view == "teacher" and self.teacher is not None:
            self._load_journals("teacher", self.teacher.id, start, end)
        elif self.view == "classes":
            self._show_classes()
        elif self.view == "class" and self.klass is not None:
            self._load_journals("class", self.klass.id, start, end)
        elif self.view == "objectivity":
            if self.klass is None:
                self.view = "classes"
                self._show_classes()
                self.set_status(t("ctl.pick_class"))
                return
            self._load_objectivity(self.klass.id, self.period.id if self.period else None)
        elif self.view == "activity":
            self._load_activity(start, end)

    @work(thread=True, exclusive=True, group="ctl")
    def _load_teachers(self, start: dt.date, end: dt.date) -> None:
        lines = self.call_service(control.teachers_overview, self.actor, start, end, today())
        if not isinstance(lines, Outcome):
            self.deliver(self._show_teachers, lines)

    def _show_teachers(self, lines: list[TeacherLine]) -> None:
        self.teacher_lines = lines
        self._head(t("ctl.teachers_head"))
        self._columns("teachers")
        with self.app.batch_update():
            for line in lines:
                self.table.add_row(
                    plain(line.name, 24), plain(str(line.lessons)), _count(line.no_topic), _count(line.no_homework),
                    _count(line.no_roll), _count(line.late), plain(str(line.marks)), plain(line.fill_text), key=str(line.user_id),
                )
        self._detail(t("ctl.teachers_hint"))
        self.set_status(t("ctl.teachers_status", n=len(lines)))

    @work(thread=True, exclusive=True, group="ctl")
    def _load_journals(self, kind: str, ident: int, start: dt.date, end: dt.date) -> None:
        fn = control.teacher_control if kind == "teacher" else control.class_control
        journals = self.call_service(fn, self.actor, ident, start, end, today())
        if not isinstance(journals, Outcome):
            self.deliver(self._show_journals, journals)

    def _show_journals(self, journals: list[JournalControl]) -> None:
        self.journals = journals
        who = self.teacher.name if self.view == "teacher" and self.teacher else (self.klass.name if self.klass else "")
        self._head(t("ctl.journals_head", who=who))
        self._columns("journals")
        with self.app.batch_update():
            for i, j in enumerate(journals):
                plan = f"{j.held_on_plan}/{number_text(j.plan_hours)}" if j.plan_hours else t("ctl.no_plan")
                self.table.add_row(
                    plain(j.title if self.view == "teacher" else f"{j.subject}{f' ({j.group_name})' if j.group_name else ''}", 19),
                    plain(str(j.lessons)), _count(len(j.no_topic)), _count(len(j.no_homework)), _count(len(j.no_roll)),
                    _count(j.late), plain(j.fill_text), plain(plan, 9), key=str(i),
                )
        self._journal_detail(self.table.cursor_row)
        self.set_status(t("ctl.journals_status", n=len(journals)) if journals else t("ctl.no_lessons"))

    def _journal_detail(self, row: int) -> None:
        if not 0 <= row < len(self.journals):
            self._detail(t("ctl.journals_hint"))
            return
        j = self.journals[row]
        text = Text(f"{j.title} · {j.teachers}", style="bold")
        text.append("\n" + t("ctl.no_topic_dates", dates=_dates(j.no_topic)) + " · " + t("ctl.no_homework_dates", dates=_dates(j.no_homework)))
        text.append(
            "\n" + t("ctl.no_roll_dates", dates=_dates(j.no_roll)) + " · "
            + t("ctl.plan_line", held=j.held_on_plan, year=j.held_year, plan=number_text(j.plan_hours))
        )
        self._detail(text)

    def _show_classes(self) -> None:
        self._head(t("ctl.classes_head"))
        self._columns("classes")
        with self.app.batch_update():
            for c in self.class_refs:
                mark = t("ctl.chosen") if self.klass and self.klass.id == c.id else ""
                self.table.add_row(plain(c.name, 8), plain(mark, 60), key=str(c.id))
        self._detail(t("ctl.classes_hint"))
        self.set_status(t("ctl.classes_status", n=len(self.class_refs)))

    @work(thread=True, exclusive=True, group="ctl")
    def _load_objectivity(self, class_id: int, period_id: int | None) -> None:
        result = self.call_service(control.objectivity, self.actor, class_id, period_id, today())
        if not isinstance(result, Outcome):
            self.deliver(self._show_objectivity, *result)

    def _show_objectivity(self, period: PeriodInfo, flags: list[ObjectivityFlag]) -> None:
        self.flags = flags
        self._head(t("ctl.objectivity_head", cls=self.klass.name if self.klass else ""))
        self._columns("objectivity")
        with self.app.batch_update():
            for i, f in enumerate(flags):
                self.table.add_row(
                    plain(f.pupil or t("ctl.whole_class"), 15), plain(f.subject, 15), plain(t(f"ctl.rule.{f.rule}"), 20),
                    plain(f.detail, 21), key=str(i),
                )
        self._flag_detail(self.table.cursor_row)
        self.set_status(t("ctl.flags", n=len(flags)) if flags else t("ctl.no_flags", period=period.name))

    def _flag_detail(self, row: int) -> None:
        if not 0 <= row < len(self.flags):
            self._detail(t("ctl.objectivity_hint"))
            return
        f = self.flags[row]
        text = Text(f"{f.pupil or t('ctl.whole_class')} · {f.subject}", style="bold")
        text.append("\n" + t("ctl.rule") + " " + f.rule_text)
        text.append("\n")
        text.append(f.detail)
        self._detail(text)

    @work(thread=True, exclusive=True, group="ctl")
    def _load_activity(self, start: dt.date, end: dt.date) -> None:
        lines = self.call_service(control.activity, self.actor, start, end)
        if not isinstance(lines, Outcome):
            self.deliver(self._show_activity, lines)

    def _show_activity(self, lines: list[ActivityLine]) -> None:
        self._head(t("ctl.activity_head"))
        self._columns("activity")
        with self.app.batch_update():
            for line in lines:
                self.table.add_row(
                    plain(line.class_name), plain(str(line.pupils)), plain(str(line.pupils_with_account)),
                    plain(str(line.pupils_active)), plain(str(line.parents)), plain(str(line.parents_active)),
                    key=str(line.class_id),
                )
        self._detail(t("ctl.activity_hint"))
        self.set_status(t("ctl.activity_status"))

    # --- keys -------------------------------------------------------------------------------------

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if self.view in ("teacher", "class"):
            self._journal_detail(event.cursor_row)
        elif self.view == "objectivity":
            self._flag_detail(event.cursor_row)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row = event.cursor_row
        if self.view == "teachers" and 0 <= row < len(self.teacher_lines):
            line = self.teacher_lines[row]
            self.teacher, self.view = Named(line.user_id, line.name), "teacher"
            self.load()
        elif self.view == "classes" and 0 <= row < len(self.class_refs):
            self.klass, self.view = self.class_refs[row], "class"
            self.load()

    def action_view(self, view: str) -> None:
        self.view = view
        self.load()

    def action_period(self, delta: int) -> None:
        if self.period is None or not self.periods:
            return
        ids = [p.id for p in self.periods]
        index = ids.index(self.period.id) + delta
        if 0 <= index < len(ids):
            self.period = self.periods[index]
            self.load()

    def go_back(self) -> None:
        """Esc: from one teacher's (class's) journals back to the list, then out."""
        if self.view == "teacher":
            self.view = "teachers"
            self.load()
        elif self.view in ("class", "objectivity"):
            self.view = "classes"
            self.load()
        else:
            super().go_back()

    def _report_params(self) -> dict[str, str]:
        """The class and period this screen shows, for the report opened from it."""
        params = {"period": self.period.name} if self.period is not None else {}
        if self.klass is not None:
            params["class"] = self.klass.name
        return params

    def action_reports(self) -> None:
        open_reports(self, PRESET_MONITORING, self._report_params())

    def action_weekly(self) -> None:
        open_reports(self, PRESET_WEEKLY_PARENTS, self._report_params())


def _count(n: int) -> Text:
    """A count of problems: empty when none, bold otherwise."""
    return Text(str(n) if n else "", style="bold")


# --- signing (R-DIR-1) ---------------------------------------------------------------------------


class SignScreen(JournalScreen):
    """The director picks a file of the exports folder (newest first; reports saved or
    downloaded there) and signs it: no path is typed. In a browser the signed file and its
    ``.sig`` are then downloaded."""

    TITLE_KEY: ClassVar[str] = "section.sign"
    HELP_KEY: ClassVar[str] = "sign"

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("sign.sign", "enter", "sign", t("key.sign.sign"), key_display="Enter", show=False),
        bind("sign.verify", "f3", "verify", t("key.sign.verify"), key_display="F3"),
        bind("sign.reload", "f5", "reload", t("key.sign.reload"), key_display="F5"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.files: list[ExportedFile] = []

    @property
    def folder(self) -> Path:
        return Path(self.journal.settings.exports_dir)

    def compose_body(self) -> Iterable[Widget]:
        yield Static("", id="sign-key")
        yield Static("", id="sign-folder")
        yield row_table("sign-files")
        yield Static(Text(t("sign.hint")), id="sign-result")

    def on_mount(self) -> None:
        table = self.query_one("#sign-files", DataTable)
        add_columns(table, (("name", 44), ("size", 8), ("time", 11), ("sig", 7)), "sign.col")
        table.focus()
        self.query_one("#sign-folder", Static).update(Text(t("sign.folder", folder=str(self.folder))))
        self.load_key()
        self.load_files()

    @work(thread=True, exclusive=True, group="sign-files")
    def load_files(self, focus: str = "") -> None:
        self.deliver(self._show_files, exported_files(self.folder), focus)

    def _show_files(self, files: list[ExportedFile], focus: str) -> None:
        self.files = files
        table = self.query_one("#sign-files", DataTable)
        with self.app.batch_update():
            table.clear()
            for f in files:
                table.add_row(
                    Text(f.name),
                    Text(number_text(f.size // 1024 or 1) + " КБ"),
                    Text(f"{f.modified:%d.%m %H:%M}"),
                    Text(t("sign.has_sig") if f.signed else ""),
                    key=f.name,
                )
        index = next((i for i, f in enumerate(files) if f.name == focus), 0)
        if files:
            table.move_cursor(row=index)
        elif not focus:
            self.set_status(t("sign.no_files"))

    def action_reload(self) -> None:
        self.load_files()

    def current(self) -> ExportedFile | None:
        index = self.query_one("#sign-files", DataTable).cursor_row
        return self.files[index] if 0 <= index < len(self.files) else None

    @work(thread=True, exclusive=True, group="sign-key")
    def load_key(self) -> None:
        try:
            info: KeyInfo | None = signing.public_key(self.actor)
        except NotFound:
            info = None
        except Exception as exc:  # the database went away, or a bug (logged)
            self.deliver(self.set_status, failure_message(exc, "sign-key"), error=True)
            return
        self.deliver(self._show_key, info)

    def _show_key(self, info: KeyInfo | None) -> None:
        text = t("sign.key", key=info.key_id, date=f"{info.created_at:%d.%m.%Y}") if info else t("sign.no_key")
        self.query_one("#sign-key", Static).update(Text(text))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        chosen = self.current()
        if chosen is None:
            self.set_status(t("sign.no_files"), error=True)
            return
        self.set_status(t("sign.signing"))
        self.sign(chosen.name)

    @work(thread=True, exclusive=True, group="sign")
    def sign(self, name: str) -> None:
        # a name from the folder's own listing, joined to the folder: never a typed path
        settings = self.journal.settings
        info = self.call_service(
            signing.sign_file,
            self.actor,
            self.folder / Path(name).name,
            key_dir=settings.signing_key_dir or None,
            passphrase=os.environ.get(signing.PASSPHRASE_ENV) or None,  # the server's, if it sets one
        )
        if isinstance(info, Outcome):
            return
        self.deliver(self._signed, info)
        if self.journal.is_web:  # the signed file and its signature go to the user's computer
            for file in (info.file, info.sig_file):
                data = self.call_service(Path(file).read_bytes)
                if not isinstance(data, Outcome):
                    self.call_service(self.journal.offer_file, Path(file).name, data, keep=False)
        self.deliver(self.load_files, name)

    def _signed(self, info: SignatureInfo) -> None:
        text = Text(t("sign.done", path=str(info.sig_file)), style="bold")
        text.append("\n" + t("sign.line_sha", sha=info.sha256))
        text.append("\n" + t("sign.line_who", who=info.signer, role=info.signer_role, when=info.signed_at))
        text.append("\n" + t("sign.line_key", key=info.key_id, school=info.school))
        self.query_one("#sign-result", Static).update(text)
        self.set_status(t("sign.signed", name=info.file.name))

    def action_verify(self) -> None:
        chosen = self.current()
        if chosen is None:
            self.set_status(t("sign.no_files"), error=True)
            return
        self.verify(chosen.name)

    @work(thread=True, exclusive=True, group="sign")
    def verify(self, name: str) -> None:
        result = self.call_service(signing.verify_file, self.folder / Path(name).name)
        if not isinstance(result, Outcome):
            self.deliver(self._verified, result)

    def _verified(self, result: Verification) -> None:
        text = Text(result.message, style="bold")
        text.append("\n" + t("sign.line_who", who=result.signer, role=result.signer_role, when=result.signed_at))
        text.append("\n" + t("sign.line_sha", sha=result.sha256))
        self.query_one("#sign-result", Static).update(text)
        self.set_status(result.message, error=not result.valid)
