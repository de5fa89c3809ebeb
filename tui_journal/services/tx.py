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
from typing import Any

from peewee import SqliteDatabase

from tui_journal.db.models import database_proxy

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
    """A context manager for one atomic, audited change (nested calls become savepoints)."""
    db = database_proxy.obj
    if not isinstance(db, SqliteDatabase) or db.in_transaction():
        with database_proxy.atomic() as tx:
            yield tx
        return
    thread_lock, fd = _write_lock(db)
    with thread_lock:
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            with db.atomic() as tx:
                yield tx
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
