"""What every journal screen shares: the title line, the F1 help panel, a status line, the
footer with the keys, Esc to go back, and the way service calls leave the event loop.

Service calls run in thread workers (``@work(thread=True, exclusive=True)`` in the screens);
inside the worker, :meth:`JournalScreen.call_service` turns a failure into a message on the
status line (:func:`failure_message`: a refusal or a known database failure in one line, a bug
logged with its traceback and shown as «Внутренняя ошибка…»), and :meth:`JournalScreen.deliver` hands the
result back to the event loop, as a message, unless the worker was cancelled meanwhile (a
newer search).
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Iterable
from enum import Enum
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, Final, TypeVar, cast

from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import NoActiveWorker, get_current_worker

from tui_journal.i18n import t
from tui_journal.keymap import bind
from tui_journal.logs import internal_error
from tui_journal.services import db_errors
from tui_journal.services.actor import Actor
from tui_journal.services.errors import ServiceError
from tui_journal.widgets.confirm import Callback, ConfirmLine
from tui_journal.widgets.help import HelpPanel
from tui_journal.widgets.keyline import KeyLine
from tui_journal.widgets.status import StatusLine
from tui_journal.widgets.titlebar import TitleBar

if TYPE_CHECKING:
    from tui_journal.app import JournalApp

T = TypeVar("T")


class Outcome(Enum):
    """What call_service returns instead of a result when the call failed (its message is
    already shown). One member, so ``x is FAILED`` and ``isinstance(x, Outcome)`` both narrow
    ``T | Outcome`` to ``T`` for mypy."""

    FAILED = "failed"


FAILED: Final = Outcome.FAILED


def failure_message(exc: BaseException, where: str = "") -> str:
    """The one line to show for a failure: the service's refusal, a known database failure
    (disk full, read-only, connection lost, busy), a permission the system refused; anything
    else is a bug: logged with its traceback, shown as «Внутренняя ошибка…» with the log's path."""
    if isinstance(exc, ServiceError):
        return exc.message
    known = db_errors.message(exc)
    if known is not None:
        logging.getLogger("tui_journal.db").warning("%s: %s", where or "database", exc)
        return known
    if isinstance(exc, PermissionError):
        return t("err.permission", path=exc.filename or "", error=exc.strerror or exc)
    return internal_error(exc, where)


class JournalScreen(Screen[None]):
    TITLE_KEY: ClassVar[str] = ""
    HELP_KEY: ClassVar[str] = ""
    STATUS_IN_BODY: ClassVar[bool] = False  # forms put the status line under their fields

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("journal.toggle_help", "f1", "toggle_help", t("key.help"), key_display="F1"),
        bind("journal.back", "escape", "back", t("key.back"), key_display="Esc"),
    ]

    # --- layout ---------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TitleBar(t(self.TITLE_KEY) if self.TITLE_KEY else "")
        with Vertical(id="body"):
            yield from self.compose_body()
        yield HelpPanel(self.HELP_KEY)
        if not self.STATUS_IN_BODY:
            yield StatusLine()
        yield KeyLine()
        yield ConfirmLine()  # last: drawn over the status line while it asks

    # --- painting once --------------------------------------------------------------
    # A screen shown for the first time went out two to four times over: textual's resume
    # handler lays it out and paints it at once, then calls refresh(); every widget that got
    # its size asks for a repaint of its own a moment later; the screen's mount completing
    # asks for another layout. Each of these sent the whole frame again. Here the screen's
    # paints are held for PAINT_HOLD seconds after it is first shown, and then it is painted
    # once with everything that asked meanwhile. Measured on the grade grid
    # (bench/wire_bench.py): opening it sent ~24 kB in 3-4 frames, now one frame of ~8 kB.

    #: Seconds a newly shown screen gathers repaint requests before its first paint.
    PAINT_HOLD: ClassVar[float] = 0.03
    _paint_held = False
    _shown_once = False

    def _on_screen_resume(self, event: object = None) -> None:  # runs before textual's Screen._on_screen_resume
        if not self._shown_once:
            self._shown_once = True
            self._paint_held = True
            self.set_timer(self.PAINT_HOLD, self._release_paint, name="first-paint")

    def _release_paint(self) -> None:
        self._paint_held = False
        self.refresh()

    def _compositor_refresh(self) -> None:
        if self._paint_held:
            return  # the dirty regions and widgets wait in the compositor for the release
        super()._compositor_refresh()

    def refresh(
        self, *regions: Any, repaint: bool = True, layout: bool = False, recompose: bool = False
    ) -> Any:
        if layout and not regions and not recompose:
            # A new layout repaints what moved or changed size (the compositor marks those
            # regions); a whole-screen repaint on top of it resent the frame when the
            # screen's mount completed (textual's AwaitMount), after the first paint.
            repaint = False
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def compose_body(self) -> Iterable[Widget]:
        return ()

    # --- shared state ---------------------------------------------------------------

    @property
    def journal(self) -> JournalApp:
        return cast("JournalApp", self.app)

    @property
    def actor(self) -> Actor:
        actor = self.journal.actor
        if actor is None:  # pragma: no cover - screens past login always have one
            raise RuntimeError("no actor")
        return actor

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)

    def set_status(self, message: str, *, error: bool = False) -> None:
        self.status.show(message, error=error)

    # --- asking before acting -------------------------------------------------------

    def confirm(
        self,
        question: str,
        on_yes: Callback,
        *,
        on_no: Callback | None = None,
        on_cancel: Callback | None = None,
    ) -> None:
        """Ask ``question`` on the docked line (Enter — yes, Esc — no; N too with ``on_no``)."""
        self.query_one(ConfirmLine).ask(question, on_yes, on_no=on_no, on_cancel=on_cancel)

    @property
    def help_shown(self) -> bool:
        """The key help panel is open (Esc closes it before anything else)."""
        return self.query_one(HelpPanel).shown

    def say_kept(self) -> None:
        """The answer to a declined question: say on the status line that nothing changed."""
        self.set_status(t("confirm.kept"))

    @property
    def asking(self) -> bool:
        lines = self.query(ConfirmLine)
        return bool(lines) and lines.first().is_open

    def confirm_key(self, event: events.Key) -> bool:
        """Called by the app for every key: True when a question took it (answered or swallowed)."""
        if not self.asking:
            return False
        self.query_one(ConfirmLine).answer_key(event)
        return True

    # --- keys -------------------------------------------------------------------------

    def action_toggle_help(self) -> None:
        self.query_one(HelpPanel).toggle()

    def action_back(self) -> None:
        panel = self.query_one(HelpPanel)
        if panel.shown:
            panel.toggle()
            return
        self.go_back()

    def go_back(self) -> None:
        """Esc with the help closed: back to the journal screen below, if there is one."""
        stack = self.app.screen_stack
        if len(stack) > 1 and stack[-1] is self and isinstance(stack[-2], JournalScreen):
            self.app.pop_screen()

    # --- service calls from thread workers ------------------------------------------

    def call_service(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | Outcome:
        """Run ``fn`` (in the worker's thread); on failure show the message and return FAILED."""
        try:
            return fn(*args, **kwargs)
        except Exception as exc:  # a refusal, the database went away… or a bug (logged)
            where = f"{type(self).__name__}: {getattr(fn, '__qualname__', fn)}"
            self.deliver(self.set_status, failure_message(exc, where), error=True)
        return FAILED

    class Deliver(Message):
        """A result from a worker thread, to be handled on the event loop."""

        def __init__(self, callback: Callable[[], Any]) -> None:
            super().__init__()
            self.callback = callback

    async def on_journal_screen_deliver(self, message: Deliver) -> None:
        message.stop()
        result = message.callback()
        if inspect.isawaitable(result):
            await result

    def deliver(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Have ``callback`` called on the event loop, unless this worker was cancelled.

        Posts a message rather than using ``call_from_thread``, which would wait for the
        loop and could hang a worker finishing while the app exits.
        """
        try:
            if get_current_worker().is_cancelled:
                return
        except NoActiveWorker:  # called on the event loop already
            self.call_later(callback, *args, **kwargs)
            return
        self.post_message(self.Deliver(partial(callback, *args, **kwargs)))
