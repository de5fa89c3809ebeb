"""Helpers shared by the role screens (diary, messages, class teacher, control, educator, users):
plain one-line cells, table columns sized to the terminal, lists laid out again with the cursor
kept, a search list with a docked form, the first choice of a screen opened for nobody in particular,
saving the credential slips."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from rich.text import Text
from textual import events
from textual.timer import Timer
from textual.widgets import DataTable

from tui_journal import clock
from tui_journal.i18n import t
from tui_journal.screens.base import JournalScreen
from tui_journal.services.reports import diary as report_diary
from tui_journal.services.reports.diary import Credential
from tui_journal.widgets.inputs import JournalInput
from tui_journal.widgets.reading import is_narrow, update_narrow
from tui_journal.widgets.safe_text import shown
from tui_journal.widgets.titlebar import TitleBar


class HasId(Protocol):
    """A choice a screen can be opened for (a pupil, a class)."""

    @property
    def id(self) -> int: ...


def today() -> dt.date:
    """The role screens' «today» (each screen module imports it by name, so a test replaces it
    in the module it drives)."""
    return clock.today()


def plain(value: object, width: int | None = None, *, style: str = "") -> Text:
    """Plain text on one line (never markup), cut to ``width`` with «…»."""
    text = " ".join(shown(value).split())
    if width is not None and len(text) > width:
        text = text[: max(0, width - 1)] + "…"
    return Text(text, style=style, no_wrap=True)


def add_columns(table: DataTable[Any], columns: Sequence[tuple[str, int]], prefix: str) -> None:
    for key, width in columns:
        table.add_column(t(f"{prefix}.{key}"), key=key, width=width)


def fit(
    columns: Sequence[tuple[str, int]], width: int, base: int, grow: str | tuple[str, ...]
) -> tuple[tuple[str, int], ...]:
    """``columns`` sized for ``base`` terminal columns, with the ``grow`` ones widened or
    narrowed (evenly) so the table fills ``width``; each keeps at least 4."""
    keys = (grow,) if isinstance(grow, str) else grow
    delta = width - base if width > 0 else 0
    share, extra = divmod(delta, len(keys))
    result = []
    for key, w in columns:
        if key in keys:
            w = max(4, w + share + (extra if key == keys[0] else 0))
        result.append((key, w))
    return tuple(result)


def set_title(screen: JournalScreen, title: str) -> None:
    screen.query_one(TitleBar).set_screen_title(title)


def save_credentials(
    screen: JournalScreen,
    school: str,
    title: str,
    people: Sequence[Credential],
    *,
    saved_key: str,
    failed_key: str,
    name: str = report_diary.CREDENTIALS,
    params: dict[str, str] | None = None,
) -> None:
    """Offer the passwords just issued as the ``credentials`` PDF (runs in the screen's thread
    worker): a browser downloads it, so no copy of the passwords stays on the server; else it
    goes to the exports folder (0600). The outcome goes to the status line: ``saved_key``'s
    text, or ``failed_key``'s with the folder and the error."""
    from tui_journal import export

    settings = screen.journal.settings
    web_url = settings.web_url or screen.journal.public_url
    model = report_diary.credentials_document(
        school, title, people, ssh_address=settings.ssh_address, web_url=web_url, name=name, params=params
    )
    try:
        data = export.render(model, "pdf")
        status = screen.journal.offer_file(export.file_name(model, "pdf"), data, keep=False, saved_key=saved_key)
    except OSError as exc:
        screen.deliver(
            screen.set_status, t(failed_key, path=settings.exports_dir, error=exc.strerror or exc), error=True
        )
        return
    screen.deliver(screen.set_status, status)


@dataclass(frozen=True)
class Columns:
    """A table's columns: the wide set (80 terminal columns), the narrow one (40, a phone), the
    ones that take what a wider terminal adds (``narrow_grow`` None: the same as ``grow``) and
    the catalogue prefix of their titles."""

    wide: Sequence[tuple[str, int]]
    narrow: Sequence[tuple[str, int]]
    grow: str | tuple[str, ...]
    titles: str
    narrow_grow: str | tuple[str, ...] | None = None


def row_table(table_id: str) -> DataTable[Text]:
    """A role screen's list: the cursor on whole rows, no zebra stripes."""
    return DataTable(id=table_id, cursor_type="row", zebra_stripes=False)


def fill_rows(
    table: DataTable[Text], rows: Iterable[tuple[str, Sequence[Text]]], *, keep_cursor: bool = True
) -> None:
    """Lay the table's rows out again, ``(key, cells)`` each (a new column width, a reloaded
    list); with ``keep_cursor`` the cursor stays on its row."""
    row = table.cursor_row
    count = 0
    with table.app.batch_update():
        table.clear()
        for key, cells in rows:
            table.add_row(*cells, key=key)
            count += 1
    if keep_cursor and 0 < row < count:
        table.move_cursor(row=row)


def select_row(table: DataTable[Text], keys: Sequence[str], key: str | None, old_row: int) -> None:
    """After a search laid the list out again (``keys``: its rows' keys in order) the row with
    ``key`` stays selected, else the one where the cursor was (the last when the list got
    shorter)."""
    if keys:
        row = keys.index(key) if key is not None and key in keys else min(max(old_row, 0), len(keys) - 1)
        table.move_cursor(row=row, animate=False)


def first_choice(
    screen: JournalScreen, chosen: int | None, choices: Sequence[HasId], nobody: str
) -> int | None:
    """The id the screen was opened for, else the first of ``choices`` (the first child, the
    first class); None, with ``nobody`` shown as an error, when there is none to show."""
    if chosen is not None:
        return chosen
    if not choices:
        screen.set_status(nobody, error=True)
        return None
    return choices[0].id


class Debounce:
    """Calls ``action(value)`` once typing has paused for ``delay`` seconds: one search per
    pause, not one per key."""

    def __init__(self, screen: JournalScreen, delay: float, action: Callable[[str], object]) -> None:
        self._screen = screen
        self._delay = delay
        self._action = action
        self._timer: Timer | None = None

    def __call__(self, value: str) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self._screen.set_timer(self._delay, lambda: self._action(value))


class DockedForm(JournalScreen):
    """A screen with a form docked under its list (open: the ``-open`` class). Esc with the
    form open closes it, asking first (Enter saves, N throws away, Esc stays) when that would
    throw typed lines away; with the help open Esc closes the help. The screen names the form
    and what takes the focus once it closes, and says whether a form is open, whether it holds
    typed lines and how to save it."""

    FORM_ID: ClassVar[str] = ""  # the docked form's id
    FOCUS_AFTER_FORM: ClassVar[str] = ""  # the id of what has the focus once the form closes

    def form_is_open(self) -> bool:
        raise NotImplementedError

    def form_changed(self) -> bool:
        """The open form holds lines that one Esc must not throw away."""
        raise NotImplementedError

    def submit_form(self) -> None:
        """Save what the open form holds."""
        raise NotImplementedError

    def set_form_open(self, open: bool) -> None:
        self.query_one(f"#{self.FORM_ID}").set_class(open, "-open")

    def close_form(self) -> None:
        """Hide the form (the screen forgets what it was for first, then calls this)."""
        self.set_form_open(False)
        self.query_one(f"#{self.FOCUS_AFTER_FORM}").focus()

    def action_back(self) -> None:
        if self.form_is_open() and not self.help_shown:
            if self.form_changed():
                self.confirm(t("confirm.unsaved"), self.submit_form, on_no=self.close_form)
                return
            self.close_form()
            return
        super().action_back()


class SearchWithForm(DockedForm):
    """A list found by a search line, with a form docked under it (the secretary's pupils, the
    accounts): Enter in the search line goes to the list, in the form saves it. The screen
    names its search line."""

    SEARCH_ID: ClassVar[str] = ""  # the search line's id

    mode: str | None = None  # the open form's kind; None: no form open

    def action_to_table(self) -> None:
        raise NotImplementedError

    def form_is_open(self) -> bool:
        return self.mode is not None

    def show_form(self, mode: str) -> None:
        """Open the form for ``mode`` (its lines filled in by the screen)."""
        self.mode = mode
        self.set_form_open(True)

    def close_form(self) -> None:
        self.mode = None
        super().close_form()

    def on_input_submitted(self, event: JournalInput.Submitted) -> None:
        event.stop()
        if event.input.id == self.SEARCH_ID:
            self.action_to_table()
            return
        self.submit_form()


class ResponsiveColumns(JournalScreen):
    """A screen whose table's columns follow the terminal's width: the wide set from 80
    columns up (the ``grow`` columns take what is left), the narrow set below 60 (a phone in
    the browser, the ``-narrow`` class on the screen). The screen names its table and its
    columns and says how to refill its rows after the columns change."""

    DEFAULT_CLASSES = "full-width"  # app.tcss: the table takes the whole width

    COLUMNS: ClassVar[Columns]
    TABLE_ID: ClassVar[str] = ""  # the id of the screen's DataTable
    _width = 0

    def __init__(self) -> None:
        super().__init__()
        self.widths: dict[str, int] = dict(self.COLUMNS.wide)

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one(f"#{self.TABLE_ID}", DataTable)

    def refill(self) -> None:
        """Lay the rows out again for the new columns (nothing when no data came yet)."""
        raise NotImplementedError

    def show_table(self) -> None:
        """From on_mount: the columns for the width the screen opens at, the table focused."""
        self.setup_columns()
        self.table.focus()

    def setup_columns(self) -> None:
        """The layout for the width the screen opens at."""
        width = self.app.size.width
        update_narrow(self, width)
        self._set_columns(width)

    def on_resize(self, event: events.Resize) -> None:
        width = event.size.width
        if update_narrow(self, width) or width != self._width:
            self._set_columns(width)
            self.refill()

    def _set_columns(self, width: int) -> None:
        self._width = width
        spec = self.COLUMNS
        if is_narrow(self):
            grow = spec.grow if spec.narrow_grow is None else spec.narrow_grow
            columns = fit(spec.narrow, width, 40, grow)
        else:
            columns = fit(spec.wide, width, 80, spec.grow)
        self.widths = dict(columns)
        table = self.table
        table.clear(columns=True)
        add_columns(table, columns, spec.titles)
