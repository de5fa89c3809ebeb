"""Write transactions.

On SQLite every transaction takes the write lock at BEGIN (``BEGIN IMMEDIATE``); a deferred
read-then-write transaction would fail at once under concurrent writers (FACTS.md). Keep
these transactions short: one user action each.

Waiting for the write lock (issue 13). SQLite's own busy handler (``busy_timeout``) sleeps
in growing steps (1, 2, 5, 10 … up to 100 ms) between attempts and serves nobody in order:
30 processes writing marks with no pause got p99 1.3 s, max 4.3 s (3.4 s / 8.6 s on a busy
machine), because a waiter that has slept long is asleep when the lock comes free.

Measured and rejected: turning the driver's handler off for ``BEGIN IMMEDIATE`` and
retrying in the program after a random 0.2–2 ms sleep. On 2 cores the 30 waiters' polling
starved the one process holding the lock: 24 marks/s, p99 5.6 s.

Chosen: a lock file next to the database (``<db>-write.lock``, 0600) that every write
transaction of this program takes with ``flock`` before ``BEGIN IMMEDIATE`` and releases
after COMMIT. Waiters sleep in the kernel (no CPU) and wake as soon as the lock is free, so
the write lock passes from one writer to the next without gaps; inside one process a
thread lock comes first (``flock`` is per open file, not per thread). A process that dies
releases its lock with its files. Writers that do not take the file (another program, the
sqlite3 shell, a backup) still meet SQLite's lock and its busy timeout at BEGIN, as before,
and a change that times out there goes to the grid's pending queue as before. There is no
timeout on the file lock itself: its holder is inside a short transaction, and a holder
stuck on the database would keep the other writers waiting with SQLite's lock too.
Measured with ``bench/writers_bench.py``: see the README.

PostgreSQL waits for row locks inside the server, in order; nothing to do here.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any

from peewee import OperationalError, SqliteDatabase

from tui_journal.db.models import database_proxy

# After SQLITE_FULL or an I/O error SQLite has rolled the transaction back itself; peewee's
# ROLLBACK then fails with one of these and would hide the real cause («cannot rollback - no
# transaction is active» instead of «database or disk is full»).
_ALREADY_ROLLED_BACK = ("no transaction is active", "no such savepoint")


class _WriteTx:
    def __init__(self) -> None:
        self._atomic = database_proxy.atomic()

    def __enter__(self) -> Any:
        return self._atomic.__enter__()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> Any:
        try:
            return self._atomic.__exit__(exc_type, exc, tb)
        except OperationalError as failed:
            if any(text in str(failed) for text in _ALREADY_ROLLED_BACK):
                cause = exc if exc is not None else failed.__context__
                if cause is not None and cause is not failed:
                    raise cause.with_traceback(cause.__traceback__) from None
            raise


_locks: dict[str, tuple[threading.Lock, int]] = {}
_locks_guard = threading.Lock()


def _write_lock(db: SqliteDatabase) -> tuple[threading.Lock, int]:
    """This process's thread lock and lock-file descriptor for the database file."""
    path = f"{db.database}-write.lock"
    with _locks_guard:
        found = _locks.get(path)
        if found is None:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            found = _locks[path] = (threading.Lock(), fd)
        return found


@contextmanager
def write_tx() -> Iterator[Any]:
    """A context manager for one atomic, audited change (nested calls become savepoints).

    On SQLite the writers of all processes queue on an ``flock`` of ``<db>-write.lock``
    before ``BEGIN IMMEDIATE``: a waiter sleeps in the kernel and wakes when the lock is
    free, instead of the driver's busy handler sleeping in growing steps (measured: p99 3.4 s
    → 0.9 s with 30 writers, bench/writers_bench.py). When the database rolled the
    transaction back by itself (disk full), the error raised is the one that caused it, not
    the failed ROLLBACK.
    """
    db = database_proxy.obj
    if not isinstance(db, SqliteDatabase) or db.in_transaction() or db.database == ":memory:":
        with _WriteTx() as tx:
            yield tx
        return
    thread_lock, fd = _write_lock(db)
    with thread_lock:
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            with _WriteTx() as tx:
                yield tx
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
