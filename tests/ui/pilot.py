"""What the Pilot tests do again and again, written once: launch the app for a user, open a
section of the home screen, read the status line and the question line, wait for a state of
the app (never for a span of time), and keep what the app writes to the terminal.

Only Textual's public API is used here: ``App.run_test``, ``Pilot``, queries, the widgets'
own attributes and ``App.driver_class`` (see :class:`Wire`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from textual.app import App
from textual.drivers.headless_driver import HeadlessDriver
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import OptionList

from tests.ui import conftest
from tests.ui.conftest import SIZE, screen_text, settle
from tui_journal.app import JournalApp
from tui_journal.i18n import t
from tui_journal.screens import sections
from tui_journal.services.actor import Actor
from tui_journal.widgets.confirm import ConfirmLine
from tui_journal.widgets.status import StatusLine

S = TypeVar("S", bound=Screen[Any])

#: How long :func:`wait_until` waits for a state before the test fails (a bound, not a pause:
#: the wait ends as soon as the state is there).
WAIT_LIMIT = 10.0
_POLL = 0.01


def app_with_exports(tmp_path: Path, actor: Actor | None = None, term: str = "xterm-256color") -> JournalApp:
    """The app at 80x24 for ``actor`` (the login form when None), exporting into
    ``tmp_path/exports``."""
    return conftest.make_app(actor=actor, environ={"TERM": term}, settings={"exports_dir": str(tmp_path / "exports")})


@contextmanager
def sections_added(register_all: Callable[[], None]) -> Iterator[None]:
    """The home screen's sections with a feature's ``register_all()`` added, as they were after."""
    saved = list(sections.SECTIONS)
    register_all()
    try:
        yield
    finally:
        sections.SECTIONS[:] = saved


def current(app: App[Any], kind: type[S]) -> S:
    """The screen on top, checked to be a ``kind`` (and typed as one for mypy)."""
    screen = app.screen
    assert isinstance(screen, kind), (type(screen).__name__, kind.__name__)
    return screen


async def push(pilot: Pilot[Any], screen: S) -> S:
    """Open ``screen`` over the current one (once the app has settled) and wait for its workers."""
    await settle(pilot)
    await pilot.app.push_screen(screen)
    await settle(pilot)
    return screen


async def press(pilot: Pilot[Any], *keys: str) -> str:
    """Press ``keys`` as a user would, wait for what they started; the screen's text then."""
    await pilot.press(*keys)
    await settle(pilot)
    return screen_text(pilot.app)


def status(app: App[Any]) -> str:
    """The message on the current screen's status line."""
    return app.screen.query_one(StatusLine).message


def question(app: App[Any]) -> str:
    """The question on the current screen's confirmation line ("" when it does not ask)."""
    return app.screen.query_one(ConfirmLine).question


def fits(text: str, size: tuple[int, int] = SIZE) -> None:
    """The screen's text is exactly ``size``: no line wider, no more rows."""
    lines = text.split("\n")
    assert len(lines) == size[1] and all(len(line) <= size[0] for line in lines), text


def sections_list(app: App[Any]) -> OptionList:
    """The home screen's list of sections."""
    return app.screen.query_one("#sections", OptionList)


async def open_section_at(pilot: Pilot[Any], index: int) -> None:
    """Open the home screen's ``index``-th section as a user would: highlight it, Enter."""
    options = sections_list(pilot.app)
    options.focus()
    options.highlighted = index
    await pilot.press("enter")
    await settle(pilot)


async def open_section(pilot: Pilot[Any], title_key: str) -> None:
    """Open the home screen's section whose title is the catalogue's ``title_key``."""
    await settle(pilot)
    options = sections_list(pilot.app)
    titles = [str(options.get_option_at_index(i).prompt).split(" (новых:")[0] for i in range(options.option_count)]
    await open_section_at(pilot, titles.index(t(title_key)))


def section_keys(app: App[Any]) -> list[str]:
    """The keys of the home screen's sections, in their order."""
    options = sections_list(app)
    return [str(options.get_option_at_index(i).id) for i in range(options.option_count)]


async def log_in(pilot: Pilot[Any], login: str, password: str) -> None:
    """Wait for the login form, then type ``login`` and ``password`` into it."""
    await settle(pilot)
    await conftest.log_in(pilot, login, password)


async def wait_until(pilot: Pilot[Any], condition: Callable[[], bool], what: str = "") -> None:
    """Wait for a state of the app (a debounced search's result, a delayed line), polling
    ``condition`` and failing after :data:`WAIT_LIMIT` seconds: the test goes on as soon as
    the state is there, however fast or slow the machine. It does not wait for the workers
    (a test may hold them on purpose): :func:`settle` after it when that is needed."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_LIMIT
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"waited {WAIT_LIMIT} s for {what or condition}")
        await pilot.pause(_POLL)


async def wait_for_text(pilot: Pilot[Any], needle: str) -> str:
    """Wait until the screen shows ``needle``; the screen's text then."""
    await wait_until(pilot, lambda: needle in screen_text(pilot.app), repr(needle))
    await settle(pilot)
    return screen_text(pilot.app)


class Wire:
    """What the app writes to the terminal, kept: the driver class it makes is Textual's
    headless driver that is told it is not headless (so the app renders for it) and keeps the
    bytes. Pass :attr:`driver_class` as ``App.driver_class`` and run with
    ``app.run_test(headless=False)``: run_test picks the plain headless driver, which writes
    nothing, only when ``headless`` is true. There is no public way to read what textual sends
    to a real terminal other than a driver's ``write``."""

    def __init__(self) -> None:
        self.written: list[str] = []
        written = self.written

        class WireDriver(HeadlessDriver):
            @property
            def is_headless(self) -> bool:
                return False

            def write(self, data: str) -> None:
                written.append(data)

        self.driver_class: type[HeadlessDriver] = WireDriver

    def attach(self, app: App[Any]) -> None:
        """Make ``app`` write here (before ``run_test(headless=False)``)."""
        app.driver_class = self.driver_class

    def take(self) -> str:
        """Everything written since the last take."""
        data = "".join(self.written)
        self.written.clear()
        return data
