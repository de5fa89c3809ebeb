"""The grade grid's write lane and its pending queue (screens layer: uses Textual workers).

Each change is saved at once, in its own short transaction with its audit row, by
:class:`DbLane` — one thread worker at a time, in the order typed, so «5», «/», «4» always
ends as «5/4». When the database is busy or unreachable the change waits in the login's
:class:`~tui_journal.services.pending.PendingQueue` on disk (:func:`pending_dir`); a queue
left over from an earlier session is saved by :func:`flush_pending`.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App
from textual.timer import Timer

from tui_journal.screens.base import JournalScreen, failure_message
from tui_journal.services.actor import Actor
from tui_journal.services.pending import PendingQueue, apply_change

if TYPE_CHECKING:
    from tui_journal.config import Settings


# --- the pending queue ------------------------------------------------------------------


def pending_dir(settings: Settings) -> Path:
    """Where unsaved changes wait: ``settings.pending_dir`` if set, else ``pending`` beside
    the exports folder (``<user data dir>/tui-journal/pending`` by default)."""
    explicit = getattr(settings, "pending_dir", None)
    if explicit:
        return Path(explicit)
    return Path(settings.exports_dir).parent / "pending"


def pending_queue(settings: Settings, actor: Actor) -> PendingQueue:
    return PendingQueue(pending_dir(settings), actor.login)


def flush_pending(app: App[Any]) -> None:
    """Save what an earlier session left in the queue (call after login); runs in a thread."""
    actor = getattr(app, "actor", None)
    settings = getattr(app, "settings", None)
    if actor is None or settings is None:
        return

    def work() -> None:
        queue = pending_queue(settings, actor)
        if queue.path.exists() and len(queue):
            queue.flush(actor, apply_change)

    app.run_worker(work, thread=True, group="pending-flush", exit_on_error=False)


# --- one screen's database work, in order -------------------------------------------------


class DbLane:
    """Runs a screen's database jobs one after another in a thread worker.

    Jobs run in submission order (a second mark typed before the first is saved waits for
    it); each job reports back through ``screen.deliver``. A job never stops the lane: an
    unexpected error is shown in the status line and the next job runs.
    """

    def __init__(self, screen: JournalScreen, name: str) -> None:
        self._screen = screen
        self._jobs: deque[Callable[[], None]] = deque()
        self._lock = threading.Lock()
        self._running = False
        self._group = f"db-lane-{name}"

    @property
    def busy(self) -> bool:
        with self._lock:
            return self._running or bool(self._jobs)

    def submit(self, job: Callable[[], None]) -> None:
        with self._lock:
            self._jobs.append(job)
            if self._running:
                return
            self._running = True
        self._screen.run_worker(self._drain, thread=True, group=self._group, exit_on_error=False)

    def _drain(self) -> None:
        while True:
            with self._lock:
                if not self._jobs:
                    self._running = False
                    return
                job = self._jobs.popleft()
            try:
                job()
            except Exception as exc:  # a bug (logged) or a lost database: say so, keep the lane going
                self._screen.deliver(
                    self._screen.set_status, failure_message(exc, f"{self._group}: {job!r}"), error=True
                )


class LaneScreen(JournalScreen):
    """A screen that saves what is typed through its :class:`DbLane` and, while the database
    is busy, into the login's pending queue, retried every :attr:`RETRY_SECONDS` (the grade
    grid and the attendance roll). The subclass starts the retry timer in ``on_mount``."""

    #: Seconds between retries of the pending queue (only while it holds something).
    RETRY_SECONDS: ClassVar[float] = 5.0
    #: The name of the screen's lane (its worker group).
    LANE: ClassVar[str] = "lane"

    def __init__(self) -> None:
        super().__init__()
        self.lane = DbLane(self, self.LANE)
        self.offline = False  # the pending queue holds something: new changes queue behind it
        self._retry_timer: Timer | None = None
        self._queue: PendingQueue | None = None

    @property
    def queue(self) -> PendingQueue:
        if self._queue is None:
            self._queue = pending_queue(self.journal.settings, self.actor)
        return self._queue

    def start_retry_timer(self, retry: Callable[[], None], name: str) -> None:
        """The timer that retries the queue, paused until something waits in it."""
        self._retry_timer = self.set_interval(self.RETRY_SECONDS, retry, pause=True, name=name)


__all__ = ["DbLane", "LaneScreen", "flush_pending", "pending_dir", "pending_queue"]
