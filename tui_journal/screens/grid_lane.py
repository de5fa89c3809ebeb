"""The grade grid's write lane and its pending queue (screens layer: uses Textual workers).

Each change is saved at once, in its own short transaction with its audit row, by
:class:`DbLane` — one thread worker at a time, in the order typed, so «5», «/», «4» always
ends as «5/4». When the database is busy or unreachable
(:data:`~tui_journal.services.pending.RETRYABLE`) the change waits in the login's
:class:`~tui_journal.services.pending.PendingQueue` on disk (:func:`pending_dir`: the folder
``pending`` next to the exports folder, by default ``<user data dir>/tui-journal/pending``),
and the queue is retried every :attr:`LaneScreen.RETRY_SECONDS` — a timer that runs only
while something waits, so an idle screen writes nothing to the terminal. A queue left over
from an earlier session is saved by :func:`flush_pending` (after login) and when a screen
with a lane opens. :class:`LaneScreen` is what the grade grid and the attendance roll share.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual.app import App
from textual.timer import Timer

from tui_journal.i18n import t
from tui_journal.screens.base import FAILED, JournalScreen, failure_message
from tui_journal.services import db_errors
from tui_journal.services.actor import Actor
from tui_journal.services.errors import ServiceError
from tui_journal.services.pending import RETRYABLE, PendingChange, PendingQueue, apply_change, is_retryable

if TYPE_CHECKING:
    from tui_journal.config import Settings

R = TypeVar("R")
T = TypeVar("T")


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
    def __init__(self, lane: str) -> None:
        """``lane``: the name of the screen's lane (its worker group)."""
        super().__init__()
        self.lane = DbLane(self, lane)
        self.offline = False  # the pending queue holds something: new changes queue behind it
        self._retry_timer: Timer | None = None
        self._queue: PendingQueue | None = None

    @property
    def queue(self) -> PendingQueue:
        if self._queue is None:
            self._queue = pending_queue(self.journal.settings, self.actor)
        return self._queue

    def pending_items(self) -> list[PendingChange]:
        """What waits in the queue (nothing when the queue cannot be read)."""
        try:
            return self.queue.items()
        except OSError:
            return []

    def start_retry_timer(self, name: str) -> None:
        """The timer that retries the queue, paused until something waits in it (from ``on_mount``)."""
        self._retry_timer = self.set_interval(self.RETRY_SECONDS, self.retry, pause=True, name=name)

    def went_offline(self) -> None:
        """Something waits in the queue: new changes queue behind it, and the timer retries."""
        self.offline = True
        if self._retry_timer is not None:
            self._retry_timer.resume()

    def stop_retrying(self) -> None:
        """The queue is empty again: the timer sleeps (an idle screen writes nothing)."""
        if self._retry_timer is not None:
            self._retry_timer.pause()

    def retry(self) -> None:
        if not self.lane.busy:
            self.lane.submit(self.flush_job(quiet=False))

    def submit_call(self, done: Callable[[T], None], fn: Callable[..., T], *args: Any, **kwargs: Any) -> None:
        """Call a service in the lane (after the changes before it); its result goes to
        ``done`` on the screen, its refusal to the status line."""

        def job() -> None:
            result = self.call_service(fn, *args, **kwargs)
            if result is not FAILED:
                self.deliver(done, result)

        self.lane.submit(job)

    def submit_change(
        self,
        change: PendingChange,
        write: Callable[[], R],
        saved: Callable[[R], None],
        refused: Callable[[str], None],
        queued: Callable[[str], None],
    ) -> None:
        """Save one change in the lane: ``write()`` calls the service, and its result goes to
        ``saved``; the service's refusal (its message) to ``refused``. When the database is
        busy or gone, or earlier changes still wait, the change goes into the queue and
        ``queued`` gets why (:func:`~tui_journal.services.db_errors.kind`, "" when it only
        waits behind others)."""
        queue = self.queue

        def job() -> None:
            if self.offline:
                self.queue_change(queue, change, queued, "")
                return
            try:
                result = write()
            except ServiceError as exc:
                self.deliver(refused, exc.message)
            except RETRYABLE as exc:
                if not is_retryable(exc):
                    raise  # a bug, not a busy database: the lane logs it
                self.offline = True
                self.queue_change(queue, change, queued, db_errors.kind(exc) or "")
            else:
                self.deliver(saved, result)

        self.lane.submit(job)

    def queue_change(self, queue: PendingQueue, change: PendingChange, queued: Callable[..., None], *args: Any) -> None:
        """In the lane: put a change the database could not take into the queue, then call
        ``queued(*args)`` on the screen; a disk that refuses too is said loudly (the change
        stays only on screen)."""
        try:
            queue.add(change)
        except OSError as exc:
            self.deliver(self.set_status, t("grid.not_saved_at_all", text=change.text or "∅", error=exc), error=True)
            return
        self.deliver(queued, *args)

    def flush_job(self, *, quiet: bool) -> Callable[[], None]:
        """A lane job that saves what waits in the queue and reports it to
        :meth:`queue_flushed` (``quiet``: only when something was saved, refused or is left)."""
        actor = self.actor
        queue = self.queue

        def job() -> None:
            try:
                if not queue.path.exists():
                    self.offline = False
                    return
                results: list[tuple[PendingChange, Any]] = []

                def apply(who: Actor, change: PendingChange) -> object:
                    view = apply_change(who, change)
                    results.append((change, view))
                    return view

                _, refused = queue.flush(actor, apply)
                left = len(queue)
            except OSError as exc:
                self.deliver(self.set_status, t("grid.queue_unreadable", error=exc), error=True)
                return
            self.offline = bool(left)
            if results or refused or not quiet or left:
                self.deliver(self.queue_flushed, results, refused, left)

        return job

    def queue_flushed(self, results: list[tuple[PendingChange, Any]], refused: list[PendingChange], left: int) -> None:
        """On the screen: show what a flush saved (change, the service's result) and refused,
        and how many changes still wait."""
        raise NotImplementedError


__all__ = ["DbLane", "LaneScreen", "flush_pending", "pending_dir", "pending_queue"]
