"""The Textual application: one session of one user, cheap on a 20 kB/s link.

- No mouse tracking unless ``Settings.mouse`` (each mouse move costs ~10 KB over SSH).
- No animations, no blinking cursor (:class:`~tui_journal.widgets.inputs.JournalInput`),
  no header clock: an idle session writes nothing to the terminal.
- 16-colour terminals (TERM linux/xterm/putty/screen/vt100) get textual's ``ansi-dark``
  theme (8.2.8 has no "textual-ansi"); the Linux console also gets safe glyphs (the
  ``-safe-glyphs`` class: ASCII borders, whole-cell scrollbars; textual issue 5011).
- The session ends after ``Settings.idle_minutes`` without a key; the logout is recorded.

Entry point for the CLI and the SSH front-end: :func:`run_app`.
"""

from __future__ import annotations

import importlib
import importlib.util
import io
import logging
import mimetypes
import os
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from time import monotonic
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import App
from textual.binding import Binding, BindingType
from textual.filter import LineFilter
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from tui_journal.config import Settings
from tui_journal.db.database import SchemaOutdated, open_database
from tui_journal.i18n import t
from tui_journal.logs import internal_error, setup_logging
from tui_journal.services import auth
from tui_journal.services.actor import Actor
from tui_journal.ssh.throttle import ThrottlePolicy
from tui_journal.widgets import css_cache, scrollbar
from tui_journal.widgets.safe_text import SafeTextFilter
from tui_journal.widgets.status import StatusLine

# Modules that add their sections to the home screen's registry with a ``register_all()``
# (see tui_journal/screens/sections.py). A missing module is an ImportError at start, never a
# feature that silently vanishes.
SECTION_MODULES = (
    "tui_journal.screens.journal_sections",
    "tui_journal.screens.role_sections",
    "tui_journal.screens.report_sections",
    "tui_journal.screens.admin_sections",
)

SIXTEEN_COLOUR_TERMS = frozenset({"linux", "xterm", "putty", "screen", "vt100", "vt220", "ansi", "dumb"})
IDLE_CHECK_MAX_SECONDS = 5.0
#: Threads (and so database connections) that a session's thread workers share.
DB_THREADS = 2


def register_sections() -> None:
    """Let every feature's module add its sections (idempotent: a key registered twice is replaced)."""
    for name in SECTION_MODULES:
        importlib.import_module(name).register_all()


def ssh_client_address(environ: Mapping[str, str]) -> str:
    """The client's address from ``SSH_CONNECTION`` ("client_ip client_port server_ip server_port")."""
    fields = environ.get("SSH_CONNECTION", "").split()
    return fields[0] if fields else ""


def wants_safe_glyphs(setting: bool | None, environ: Mapping[str, str]) -> bool:
    """Safe glyphs when asked for, or (setting None) on the Linux console."""
    if setting is not None:
        return setting
    return environ.get("TERM", "") == "linux"


def has_few_colours(environ: Mapping[str, str]) -> bool:
    """True when the terminal shows only 16 colours (FACTS: COLORTERM is not passed over SSH)."""
    term = environ.get("TERM", "")
    if term in SIXTEEN_COLOUR_TERMS:
        return True
    if environ.get("COLORTERM"):
        return False
    return "256" not in term


class JournalApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = t("login.title")
    ENABLE_COMMAND_PALETTE = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f10", "quit", t("key.quit"), key_display="F10", priority=True),
        Binding("ctrl+q", "quit", t("key.quit"), key_display="^Q", show=False, priority=True),
        Binding("ctrl+c", "help_quit", show=False, system=True),
    ]

    _safe_text_filter = SafeTextFilter()

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's filters, and first the one that keeps stored text from driving the terminal."""
        return [self._safe_text_filter, *super().get_line_filters()]

    def __init__(
        self,
        settings: Settings,
        *,
        actor: Actor | None = None,
        origin: str = "tui",
        address: str = "",
        environ: Mapping[str, str] | None = None,
        must_change: bool = False,
        idle_clock: Callable[[], float] = monotonic,
    ) -> None:
        super().__init__()
        env = os.environ if environ is None else environ
        self.settings = settings
        self.actor: Actor | None = actor
        self.must_change = must_change  # logged in already, with a one-time password to replace
        self.origin = origin
        if not address and origin in ("ssh", "tui"):
            address = ssh_client_address(env)
        self.address = address
        self.animation_level = "none"
        self.safe_glyphs = wants_safe_glyphs(settings.safe_glyphs, env)
        self.few_colours = has_few_colours(env)
        if self.safe_glyphs:
            self.add_class("-safe-glyphs")
        if self.few_colours:
            self.add_class("-ansi")
            self.theme = "ansi-dark"
        scrollbar.install()
        css_cache.install()
        register_sections()
        self.idle_seconds = max(0.0, float(settings.idle_minutes) * 60.0)
        # seconds, monotonic; a test passes a clock that it moves itself
        self.idle_clock = idle_clock
        self.last_input_at = idle_clock()
        self.ended_by_idle = False
        self._session_ended = False
        # The browser route's per-address login throttle (tui_journal.ssh.throttle.ThrottlePolicy);
        # over SSH the server in front of the app does it.
        self.login_throttle: ThrottlePolicy | None = None
        # Where users open the journal in a browser (serve web --public-url sets it for its
        # sessions; an SSH service may set it too): printed on credential slips.
        self.public_url = env.get("TUI_JOURNAL_PUBLIC_URL", "") or os.environ.get("TUI_JOURNAL_PUBLIC_URL", "")

    # --- screens --------------------------------------------------------------------
    # The stack is [textual's blank default screen, login or home, sections…]. Navigation
    # that replaces screens runs as an app worker, never awaited inside the handler of the
    # screen being replaced (that would wait for itself).

    def _first_screen(self) -> Screen[None]:
        if self.actor is not None and self.must_change:
            from tui_journal.screens.password import PasswordScreen

            return PasswordScreen(forced=True)
        if self.actor is not None:
            from tui_journal.screens.home import HomeScreen

            return HomeScreen()
        from tui_journal.screens.login import LoginScreen

        return LoginScreen()

    def login_succeeded(self, actor: Actor, *, must_change: bool) -> None:
        """Called by the login screen: a one-time password leads to the change screen first."""
        self.actor = actor
        self._session_started()
        if must_change:
            from tui_journal.screens.password import PasswordScreen

            self._navigate(PasswordScreen(forced=True))
        else:
            self.show_home()

    def show_home(self, message: str = "") -> None:
        """Replace the whole stack with the home screen."""
        from tui_journal.screens.home import HomeScreen

        self._navigate(HomeScreen(message=message))

    def logout(self) -> None:
        """Ctrl+L: record the logout and show an empty login form."""
        self.run_worker(self._logout(), group="navigation", exclusive=True)

    async def _logout(self) -> None:
        from tui_journal.screens.login import LoginScreen

        actor, self.actor = self.actor, None
        if actor is not None:
            await self._record_logout(actor, "logout")
        self.title = self.TITLE
        await self._reset_to(LoginScreen(message=t("home.logged_out")))

    def _navigate(self, screen: Screen[None]) -> None:
        self.run_worker(self._reset_to(screen), group="navigation", exclusive=True)

    async def _reset_to(self, screen: Screen[None]) -> None:
        while len(self.screen_stack) > 2:
            await self.pop_screen()
        if len(self.screen_stack) > 1:
            await self.switch_screen(screen)
        else:
            await self.push_screen(screen)

    # --- files for the user ----------------------------------------------------------

    def offer_file(
        self,
        name: str,
        data: bytes,
        *,
        keep: bool = True,
        folder: str | os.PathLike[str] | None = None,
        saved_key: str = "file.saved",
    ) -> str:
        """THE one place that decides where a file the user asked for goes; returns the status text.

        In a browser session (textual-serve's web driver) the browser downloads it
        (``deliver_binary``); over SSH and on the console it is written to the exports
        folder (0600, folder 0700), as only the server can keep it there. ``keep``: in a
        browser session, also keep a copy in the exports folder (reports: the director signs
        files from there); credential slips pass ``keep=False``. ``folder``: instead of the
        exports folder; ``saved_key``: the message (with ``{path}``) when saved. Safe to call
        from a worker thread.
        """
        from tui_journal.export.files import save_export

        path = None
        if keep or not self.is_web:
            path = save_export(Path(folder if folder is not None else self.settings.exports_dir), name, data)
        if not self.is_web:
            return t(saved_key, path=str(path))
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"

        def deliver() -> None:
            self.deliver_binary(io.BytesIO(data), save_filename=name, mime_type=mime, name=name)

        if self._thread_id == threading.get_ident():
            deliver()
        else:
            self.call_from_thread(deliver)
        return t("file.downloaded", name=name)

    # --- ending the session -----------------------------------------------------------

    async def _record_logout(self, actor: Actor, reason: str) -> None:
        worker = self.run_worker(
            partial(auth.record_logout, actor, reason),
            thread=True,
            group="session",
            exit_on_error=False,
        )
        try:
            await worker.wait()
        except Exception:  # the database went away: still let the user out
            logging.getLogger("tui_journal.app").warning("the logout was not recorded: %r", worker.error)

    async def end_session(self, reason: str, message: str = "") -> None:
        """Record the end of the session (once) and exit, printing ``message`` afterwards."""
        if self._session_ended:
            return
        self._session_ended = True
        actor = self.actor
        if actor is not None:
            await self._record_logout(actor, reason)
        self.exit(message=Text(message) if message else None)

    async def action_quit(self) -> None:
        await self.end_session("logout")

    def action_help_quit(self) -> None:
        """Ctrl+C does not quit in textual; say (in Russian, in place) what does."""
        try:
            self.screen.query_one(StatusLine).show(t("quit.hint"))
        except Exception:
            pass

    # --- failures ------------------------------------------------------------------------

    def _handle_exception(self, error: Exception) -> None:
        """An exception nothing handled: into the program's log with its traceback, then
        textual's own handling (the app ends and prints it)."""
        internal_error(error, f"app, screen {type(self.screen).__name__ if self.screen_stack else '-'}")
        super()._handle_exception(error)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that failed without ending the app (``exit_on_error=False``) is logged too."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            internal_error(event.worker.error, f"worker {event.worker.name or event.worker.group}")

    # --- database threads ----------------------------------------------------------------

    def _use_db_threads(self) -> None:
        """Thread workers run on :data:`DB_THREADS` long-lived threads of this session.

        peewee keeps a connection per thread; textual runs thread workers on the event
        loop's default executor, which starts up to min(32, cores + 4) threads, so a session
        could hold six PostgreSQL connections and, when an idle thread is gone, connect
        again (issue 13: a connection per session, kept open). With this executor the
        workers share two threads and so two connections, opened once and kept for the
        session; two, so that a long report does not hold up saving a mark.
        """
        import asyncio

        loop = asyncio.get_running_loop()
        if not isinstance(getattr(loop, "_default_executor", None), _DbThreads):
            loop.set_default_executor(_DbThreads(max_workers=DB_THREADS, thread_name_prefix="tj-db"))

    # --- idle timeout ----------------------------------------------------------------

    def _session_started(self) -> None:
        """A user is in: save what an earlier session of his left unsaved (the pending queue)."""
        from tui_journal.screens.grid_lane import flush_pending

        flush_pending(self)

    def on_mount(self) -> None:
        self._use_db_threads()
        if self.actor is not None:
            self._session_started()
        self.push_screen(self._first_screen())
        if self.idle_seconds > 0:
            every = min(IDLE_CHECK_MAX_SECONDS, max(0.05, self.idle_seconds / 4))
            # The check only compares two numbers: it never touches a widget, so an idle
            # session writes nothing to the terminal.
            self.set_interval(every, self.end_if_idle, name="idle-check")

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.InputEvent, events.Paste)) and not event.is_forwarded:
            self.last_input_at = self.idle_clock()
        if isinstance(event, events.Key) and not event.is_forwarded:
            # a question on the screen's docked line takes every key until it is answered
            confirm_key = getattr(self.screen, "confirm_key", None)
            if confirm_key is not None and confirm_key(event):
                return
        await super().on_event(event)

    async def end_if_idle(self) -> None:
        """End the session when nobody has typed for ``idle_seconds`` (run every few seconds;
        public so that a test can run it at the moment it has moved ``idle_clock``)."""
        if self._session_ended or self.idle_clock() - self.last_input_at < self.idle_seconds:
            return
        self.ended_by_idle = True
        await self.end_session("idle", t("idle.bye"))


class _DbThreads(ThreadPoolExecutor):
    """The session's database threads (see :meth:`JournalApp._use_db_threads`)."""


def run_app(
    settings: Settings,
    *,
    actor: Actor | None = None,
    origin: str = "tui",
    address: str | None = None,
) -> int:
    """Open the database, run one session, return the exit code (2: the database cannot be used)."""
    setup_logging(settings.log_dir, settings.log_level)
    try:
        db = open_database(settings.db_url)
    except SchemaOutdated as exc:
        print(str(exc) or t("db.outdated"), file=sys.stderr)
        return 2
    except Exception as exc:  # a bad URL, no file permission, PostgreSQL down
        print(t("db.open_failed", error=exc), file=sys.stderr)
        return 2
    try:
        app = JournalApp(settings, actor=actor, origin=origin, address=address or "")
        app.run(mouse=settings.mouse)
        code = app.return_code
        return 0 if code is None else code
    finally:
        db.close()
