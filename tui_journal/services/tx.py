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
transaction of this program takes before ``BEGIN IMMEDIATE`` and releases after COMMIT, so
that waiters sleep in the kernel (no CPU) and the write lock passes from one writer to the
next without gaps; inside one process a thread lock comes first (file locks belong to the
process, not to the thread). A process that dies releases its locks with its files.

First version: ``flock`` on the whole file. Measured 160 marks/s, p99 0.93 s: every unlock
wakes every waiter and the first to run wins, not the first to come, so an unlucky writer
loses the race many times. Now the waiters queue in order of arrival (a ticket lock made of
byte-range locks, :func:`_take_turn`): a writer draws the next number from a counter
kept in the file (under a lock of byte 0, held for a read and a write), locks its own slot
byte for that number and then waits for the lock of its predecessor's slot, which the
predecessor holds until its COMMIT: each release wakes exactly the next writer. The
``flock`` is still taken after the turn comes: if a queued process dies, its successor's
turn comes early, and the ``flock`` keeps the writers of this program one at a time anyway.

Writers that do not take the file (another program, the sqlite3 shell, a backup) still meet
SQLite's lock and its busy timeout at BEGIN, as before, and a change that times out there
goes to the grid's pending queue as before. There is no timeout on the file locks: their
holder is inside a short transaction, and a holder stuck on the database would keep the
other writers waiting with SQLite's lock too. Measured with ``bench/writers_bench.py``: see
the README.

PostgreSQL waits for row locks inside the server, in order; nothing to do here.
"""

from __future__ import annotations

import errno
import fcntl
import os
import struct
import threading
import time
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


_GUARD = 0  # byte locked while a number is drawn; the counter is the file's first 8 bytes
_SLOTS_AT = 1 << 20  # slot bytes: _SLOTS_AT + number % _SLOTS
_SLOTS = 1 << 16


_OFD_SETLKW = getattr(fcntl, "F_OFD_SETLKW", None)
_FLOCK = "hhqqi4x"  # struct flock on Linux: type, whence, start, len, pid (0 for OFD locks)


def _lock(fd: int, how: int, at: int) -> None:
    """Lock (``LOCK_EX``, waiting) or unlock (``LOCK_UN``) one byte of the lock file.

    Open-file-description locks (Linux ≥ 3.15) belong to this process's one descriptor of
    the file: unlike classic POSIX locks they do not vanish when some other descriptor of
    the same file is closed in the process. Elsewhere classic ``lockf``; a false «deadlock»
    from the kernel's check of those is waited out."""
    while True:
        try:
            if _OFD_SETLKW is not None:
                kind = fcntl.F_WRLCK if how == fcntl.LOCK_EX else fcntl.F_UNLCK
                fcntl.fcntl(fd, _OFD_SETLKW, struct.pack(_FLOCK, kind, os.SEEK_SET, at, 1, 0))
            else:
                fcntl.lockf(fd, how, 1, at)
            return
        except OSError as exc:
            if exc.errno != errno.EDEADLK:
                raise
            time.sleep(0.001)


def _take_turn(fd: int) -> int:
    """Queue for the write lock in order of arrival; returns the number to :func:`_end_turn`."""
    _lock(fd, fcntl.LOCK_EX, _GUARD)
    try:
        number = int.from_bytes(os.pread(fd, 8, 0).ljust(8, b"\0"), "little")
        os.pwrite(fd, ((number + 1) % (1 << 63)).to_bytes(8, "little"), 0)
        _lock(fd, fcntl.LOCK_EX, _SLOTS_AT + number % _SLOTS)
    finally:
        _lock(fd, fcntl.LOCK_UN, _GUARD)
    before = _SLOTS_AT + (number - 1) % _SLOTS
    _lock(fd, fcntl.LOCK_EX, before)  # the predecessor has committed (or died)
    _lock(fd, fcntl.LOCK_UN, before)
    return number


def _end_turn(fd: int, number: int) -> None:
    _lock(fd, fcntl.LOCK_UN, _SLOTS_AT + number % _SLOTS)


_locks: dict[tuple[str, int], tuple[threading.Lock, int]] = {}
_locks_guard = threading.Lock()


def _write_lock(db: SqliteDatabase) -> tuple[threading.Lock, int]:
    """This process's thread lock and lock-file descriptor for the database file."""
    path = f"{db.database}-write.lock"
    # Per process: a forked child must not share its parent's open file (its locks would be
    # the parent's) nor a thread lock that some thread of the parent held at the fork.
    key = (path, os.getpid())
    with _locks_guard:
        found = _locks.get(key)
        if found is None:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            found = _locks[key] = (threading.Lock(), fd)
        return found


@contextmanager
def write_tx() -> Iterator[Any]:
    """A context manager for one atomic, audited change (nested calls become savepoints).

    On SQLite the writers of all processes queue in order of arrival on ``<db>-write.lock``
    before ``BEGIN IMMEDIATE``: a waiter sleeps in the kernel and is woken alone when its
    predecessor commits, instead of the driver's busy handler sleeping in growing steps
    (bench/writers_bench.py; figures in the README). When the database rolled the
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
        number = _take_turn(fd)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                with _WriteTx() as tx:
                    yield tx
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            _end_turn(fd, number)
