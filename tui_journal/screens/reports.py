"""«Отчёты»: the reports this user may run, their parameters, the result in a table, and
saving it as PDF, XLSX or CSV into the exports folder (or printing it through CUPS ``lp``).

The report runs in a thread worker with a progress bar, so a whole school's summary does
not freeze the screen; the services decide what the user may see (the list only hides
what he could not run anyway). Saving and printing are logged like every export (R-ACC-5).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import DataTable, Label, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from tui_journal.i18n import t
from tui_journal.keymap import bind
from tui_journal.screens.base import FAILED, JournalScreen
from tui_journal.screens.common import row_table
from tui_journal.services import reports
from tui_journal.services.errors import InvalidInput
from tui_journal.services.reports.model import TableModel, column_groups, format_cell
from tui_journal.services.reports.params import ReportParams, parse_date
from tui_journal.widgets.inputs import JournalInput
from tui_journal.widgets.titlebar import TitleBar

MAX_COLUMN = 32
"""Widest column on screen; longer cells are cut (the exported file has them whole)."""
MAX_ROWS = 2000

FIELDS = (
    ("class", "report-class", "напр. 7А"),
    ("period", "report-period", "текущий"),
    ("date", "report-date", "сегодня"),
    ("student", "report-student", "номер"),
    ("subject", "report-subject", "все"),
)


def _label(key: str, fallback: str) -> str:
    text = t(key)
    return fallback if text == key else text


def printer_available() -> bool:
    return shutil.which("lp") is not None


def cut(text: str, width: int = MAX_COLUMN) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def group_words(part: TableModel) -> dict[int, str]:
    """The group headings spread word by word over their columns' first header line:
    «Пропущено» over «всего», «дней» over «по болезни» (a DataTable cell cannot span)."""
    spread: dict[int, str] = {}
    for group, first, last in column_groups(part.columns):
        words = group.split()
        count = last - first + 1
        if len(words) > count:
            words = [*words[: count - 1], " ".join(words[count - 1 :])]
        for offset in range(count):
            spread[first + offset] = words[offset] if offset < len(words) else ""
    return spread


class ReportList(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("report_list.select", "enter", "select", _label("key.run_report", "Сформировать"), show=False),
    ]


class ReportsScreen(JournalScreen):
    TITLE_KEY: ClassVar[str] = "section.reports"
    HELP_KEY: ClassVar[str] = "reports"

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("reports.run", "f5", "run", _label("key.run_report", "Сформировать"), key_display="F5"),
        bind("reports.export_pdf", "f2", "export('pdf')", "PDF", key_display="F2"),
        bind("reports.export_xlsx", "f3", "export('xlsx')", "XLSX", key_display="F3"),
        bind("reports.export_csv", "f4", "export('csv')", "CSV", key_display="F4"),
        bind("reports.print", "f6", "print", _label("key.print", "Печать"), key_display="F6"),
        bind("reports.part_prev", "f7", "part(-1)", _label("key.prev_part", "Пред. часть"), key_display="F7", show=False),
        bind("reports.part_next", "f8", "part(1)", _label("key.next_part", "След. часть"), key_display="F8", show=False),
    ]

    def __init__(
        self, preset: str | None = None, params: dict[str, str] | None = None, *, run: bool = False
    ) -> None:
        """``preset``: the report (a name of :mod:`tui_journal.services.reports`) chosen when the
        list arrives; ``params``: its fields filled in (keys of :data:`FIELDS`: class, period…);
        ``run`` makes it at once (the educator's day sheet)."""
        super().__init__()
        self.preset = preset
        self.preset_params = dict(params or {})
        self.preset_run = run
        self.specs: list[reports.ReportSpec] = []
        self.model: TableModel | None = None
        self.model_name = ""
        self.model_params: ReportParams | None = None
        self.part_index = 0
        self._last_tick = -1.0

    # --- layout ---------------------------------------------------------------------

    def compose_body(self) -> Iterable[Widget]:
        with Horizontal(id="report-top"):
            yield ReportList(id="report-list", classes="list")
            with Vertical(id="report-params"):
                for key, widget_id, placeholder in FIELDS:
                    with Horizontal(classes="report-field"):
                        yield Label(_label(f"report.param.{key}", key), classes="report-label")
                        yield JournalInput(id=widget_id, placeholder=placeholder, max_length=40)
                yield Static("", id="report-about")
        yield ProgressBar(total=100, show_eta=False, id="report-progress")
        yield Static("", id="report-caption", classes="head")
        table = row_table("report-table")
        yield table

    def on_mount(self) -> None:
        self.query_one("#report-list", ReportList).focus()
        self.load_list()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # False hides the key in the footer, None shows it dimmed (textual's convention)
        if action == "print" and not printer_available():
            return False
        if action in ("export", "print", "part") and self.model is None:
            return None
        return True

    # --- the list -------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="report-list")
    def load_list(self) -> None:
        specs = self.call_service(reports.list_reports, self.actor)
        if specs is not FAILED:
            self.deliver(self._show_list, specs)

    def _show_list(self, specs: list[reports.ReportSpec]) -> None:
        self.specs = specs
        listing = self.query_one("#report-list", ReportList)
        listing.clear_options()
        listing.add_options([Option(Text(spec.title), id=spec.name) for spec in specs])
        names = [spec.name for spec in specs]
        if self.preset is not None and self.preset in names:
            index = names.index(self.preset)
            listing.highlighted = index
            self._describe(specs[index])
            for key, widget_id, _placeholder in FIELDS:
                if key in self.preset_params:
                    self.query_one(f"#{widget_id}", JournalInput).value = self.preset_params[key]
            if self.preset_run:
                self.action_run()
        elif self.preset is not None:  # not among this role's reports: the service decides
            self.set_status(t("ctl.pick_report", name=t(f"ctl.report.{self.preset}")), error=True)
            if specs:
                listing.highlighted = 0
        elif specs:
            listing.highlighted = 0
            self._describe(specs[0])
        else:
            self.set_status(_label("report.none", "Отчётов для вашей роли нет"))

    def _spec(self) -> reports.ReportSpec | None:
        listing = self.query_one("#report-list", ReportList)
        index = listing.highlighted
        if index is None or not 0 <= index < len(self.specs):
            return None
        return self.specs[index]

    def _describe(self, spec: reports.ReportSpec) -> None:
        about = spec.params_text  # the requirement id (spec.requirement) is for the docs, not the user
        self.query_one("#report-about", Static).update(Text(cut(about, 60)))
        self.set_status(spec.description)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        spec = self._spec()
        if spec is not None:
            self._describe(spec)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_run()

    def on_input_submitted(self, event: JournalInput.Submitted) -> None:
        event.stop()
        self.action_run()

    # --- running ----------------------------------------------------------------------

    def _params(self) -> ReportParams:
        def value(widget_id: str) -> str | None:
            text = self.query_one(f"#{widget_id}", JournalInput).value.strip()
            return text or None

        date_text = value("report-date")
        student_text = value("report-student")
        if student_text is not None and not student_text.isdigit():
            raise InvalidInput(_label("report.bad_student", "Учащийся — номер (число)"))
        return ReportParams(
            class_name=value("report-class"),
            period=value("report-period"),
            date=parse_date(date_text) if date_text else None,
            student_id=int(student_text) if student_text else None,
            subject=value("report-subject"),
            ssh_address=self.journal.settings.ssh_address,
            web_url=self.journal.settings.web_url,
            progress=self._tick_from_worker,
        )

    def action_run(self) -> None:
        spec = self._spec()
        if spec is None:
            return
        try:
            params = self._params()
        except InvalidInput as exc:
            self.set_status(exc.message, error=True)
            return
        bar = self.query_one("#report-progress", ProgressBar)
        bar.update(progress=0)
        bar.add_class("-running")
        self._last_tick = -1.0
        self.set_status(_label("report.running", "Формирование отчёта…"))
        self.run_report(spec.name, params)

    def _tick_from_worker(self, fraction: float) -> None:
        if fraction - self._last_tick < 0.05 and fraction < 1.0:
            return
        self._last_tick = fraction
        self.deliver(self._tick, fraction)

    def _tick(self, fraction: float) -> None:
        self.query_one("#report-progress", ProgressBar).update(progress=round(fraction * 100))

    @work(thread=True, exclusive=True, group="report-run")
    def run_report(self, name: str, params: ReportParams) -> None:
        model = self.call_service(reports.run_report, self.actor, name, params, fmt="screen")
        self.deliver(self._done)
        if model is not FAILED:
            self.deliver(self._show_model, name, params, model)

    def _done(self) -> None:
        self.query_one("#report-progress", ProgressBar).remove_class("-running")

    def _show_model(self, name: str, params: ReportParams, model: TableModel) -> None:
        self.model = model
        self.model_name = name
        self.model_params = params
        self.part_index = 0
        self._show_part()
        self.refresh_bindings()
        self.query_one(TitleBar).set_screen_title(f"{t('section.reports')} · {model.title}")
        self.set_status(_label("report.ready", "Готово: F2 — PDF, F3 — XLSX, F4 — CSV"))

    def action_part(self, step: int) -> None:
        if self.model is None:
            return
        parts = self.model.parts()
        if parts:
            self.part_index = (self.part_index + step) % len(parts)
            self._show_part()

    def _show_part(self) -> None:
        model = self.model
        if model is None:
            return
        table = self.query_one("#report-table", DataTable)
        caption = self.query_one("#report-caption", Static)
        parts = model.parts()
        with self.app.batch_update():
            table.clear(columns=True)
            if not parts:
                caption.update(Text(cut(" ".join(model.footnotes) or model.title, 78)))
                return
            part = parts[self.part_index]
            label = part.title if part is not model else model.params_text()
            counter = f" ({self.part_index + 1}/{len(parts)}, F7/F8)" if len(parts) > 1 else ""
            caption.update(Text(cut(label + counter, 78)))
            groups = group_words(part)
            texts = [[format_cell(v, c) for v, c in zip(row, part.columns, strict=True)] for row in part.rows[:MAX_ROWS]]
            totals = (
                [format_cell(v, c) for v, c in zip(part.totals, part.columns, strict=True)]
                if part.totals is not None
                else None
            )
            two_lines = part.show_header and bool(groups)
            table.header_height = 2 if two_lines else 1
            for i, column in enumerate(part.columns):
                title = column.title if part.show_header else ""
                lines = [groups.get(i, ""), title] if two_lines else [title]
                cells = [row[i] for row in texts] + ([totals[i]] if totals else [])
                width = min(MAX_COLUMN, max([*(len(x) for x in lines), *(len(c) for c in cells), 2]))
                label = "\n".join(cut(x, width) for x in lines)
                table.add_column(Text(label), width=width, key=f"c{i}")
            for row in texts:
                table.add_row(*(self._cell(text, c.align) for text, c in zip(row, part.columns, strict=True)))
            if totals is not None:
                table.add_row(
                    *(self._cell(text, c.align, bold=True) for text, c in zip(totals, part.columns, strict=True))
                )

    @staticmethod
    def _cell(text: str, align: str, bold: bool = False) -> Text:
        justify = "right" if align == "right" else ("center" if align == "center" else "left")
        return Text(cut(text), justify=justify, style="bold" if bold else "")  # type: ignore[arg-type]

    # --- exporting ------------------------------------------------------------------

    def action_export(self, fmt: str) -> None:
        if self.model is None or self.model_params is None:
            return
        self.set_status(_label("report.saving", "Сохранение…"))
        self.save(fmt, self.model, self.model_name, self.model_params, False)

    def action_print(self) -> None:
        if self.model is None or self.model_params is None or not printer_available():
            return
        self.set_status(_label("report.printing", "Отправка на печать…"))
        self.save("pdf", self.model, self.model_name, self.model_params, True)

    @work(thread=True, exclusive=True, group="report-save")
    def save(self, fmt: str, model: TableModel, name: str, params: ReportParams, to_printer: bool) -> None:
        from tui_journal import export

        folder = self.journal.settings.exports_dir
        if not to_printer:
            data = self.call_service(export.render, model, fmt)
            if data is FAILED:
                return
            logged = self.call_service(reports.record_export, self.actor, name, params, model, fmt)
            if logged is FAILED:
                return
            # In a browser the file is downloaded; over SSH it stays in the exports folder.
            status = self.call_service(self.journal.offer_file, export.file_name(model, fmt), data)
            if status is not FAILED:
                self.deliver(self.set_status, status)
            return
        path = self.call_service(export.save, model, fmt, folder)
        if path is FAILED:
            return
        logged = self.call_service(reports.record_export, self.actor, name, params, model, "print")
        if logged is FAILED:
            return
        if to_printer:
            lp = shutil.which("lp")
            if lp is None:
                return
            try:
                done = subprocess.run([lp, str(path)], capture_output=True, text=True, timeout=30, check=False)
            except (OSError, subprocess.SubprocessError) as exc:
                self.deliver(self.set_status, _label("report.print_failed", "Печать не удалась: {error}").format(error=exc), error=True)
                return
            if done.returncode != 0:
                error = (done.stderr or done.stdout).strip() or str(done.returncode)
                self.deliver(self.set_status, _label("report.print_failed", "Печать не удалась: {error}").format(error=error), error=True)
                return
            self.deliver(self.set_status, _label("report.printed", "Отправлено на печать: {path}").format(path=path))
            return
        # the whole path, wrapped in the status area: the file's name first, then its folder
        self.deliver(self.set_status, t("report.saved_where", name=Path(path).name, folder=Path(path).parent))
