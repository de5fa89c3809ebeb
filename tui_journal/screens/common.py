"""Helpers shared by the role screens (diary, messages, class teacher, control, educator):
plain one-line cells, table columns sized to the terminal, full-width tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual import events
from textual.widgets import DataTable

from tui_journal import clock
from tui_journal.i18n import t
from tui_journal.screens.base import JournalScreen
from tui_journal.widgets.reading import is_narrow, update_narrow
from tui_journal.widgets.safe_text import shown
from tui_journal.widgets.titlebar import TitleBar


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


def full_width(screen: JournalScreen) -> None:
    """The table screen's layout (app.tcss ``.full-width``: the table takes the whole width,
    an edit line's input the rest of its line). A screen declares it with
    ``DEFAULT_CLASSES = "full-width"``; this does the same on mount, for the screens that
    still call it (class teacher, messages, diary)."""
    screen.add_class("full-width")


class ResponsiveColumns:
    """A screen whose table's columns follow the terminal's width: the wide set from 80
    columns up (the ``GROW`` columns take what is left), the narrow set below 60 (a phone in
    the browser, the ``-narrow`` class on the screen). Mixed in before JournalScreen; the
    screen names its columns and says how to refill its rows after the columns change."""

    WIDE_COLUMNS: ClassVar[Sequence[tuple[str, int]]] = ()
    NARROW_COLUMNS: ClassVar[Sequence[tuple[str, int]]] = ()
    GROW: ClassVar[str | tuple[str, ...]] = ()
    NARROW_GROW: ClassVar[str | tuple[str, ...]] = ()
    COLUMN_TITLES: ClassVar[str] = ""  # catalogue prefix of the column titles
    _width = 0
    widths: dict[str, int]

    def columns_table(self) -> DataTable[Any]:
        raise NotImplementedError

    def refill(self) -> None:
        """Lay the rows out again for the new columns (nothing when no data came yet)."""
        raise NotImplementedError

    def setup_columns(self) -> None:
        """From on_mount: the layout for the width the screen opens at."""
        width = self.app.size.width  # type: ignore[attr-defined]
        update_narrow(self, width)  # type: ignore[arg-type]
        self._set_columns(width)

    def on_resize(self, event: events.Resize) -> None:
        width = event.size.width
        if update_narrow(self, width) or width != self._width:  # type: ignore[arg-type]
            self._set_columns(width)
            self.refill()

    def _set_columns(self, width: int) -> None:
        self._width = width
        if is_narrow(self):  # type: ignore[arg-type]
            columns = fit(self.NARROW_COLUMNS, width, 40, self.NARROW_GROW)
        else:
            columns = fit(self.WIDE_COLUMNS, width, 80, self.GROW)
        self.widths = dict(columns)
        table = self.columns_table()
        table.clear(columns=True)
        add_columns(table, columns, self.COLUMN_TITLES)
