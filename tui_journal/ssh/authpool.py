"""Password checks of the built-in server in worker processes.

An argon2id check costs ~20 ms of CPU; 30 of them at the break on a small thread pool inside
the asyncssh process made the SSH password step alone take a median 2.8 s (FACTS.md). The
server therefore runs :func:`~tui_journal.services.auth.authenticate` in a
``ProcessPoolExecutor`` as large as the machine has cores, started with the ``spawn``
context: the workers are fresh interpreters (no asyncio loop, no threads, no database
connection of the server's), import this small module and open their own connection. They
end with the server, even when it is killed (they watch its pid).

This module imports no asyncssh and no Textual.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass


@dataclass(frozen=True)
class AuthAnswer:
    login: str | None  # the account's login when the password was right
    outcome: str


def _worker_init(db_url: str, server_pid: int) -> None:
    _end_with(server_pid)
    from tui_journal.ssh.session import skip_postgres_driver

    skip_postgres_driver(db_url)
    from tui_journal.db.database import open_database

    open_database(db_url, check_schema=False)


def _end_with(pid: int) -> None:
    """Exit as soon as process ``pid`` (the server) is gone: a killed server must not leave
    its workers behind (they would wait on their queue forever)."""
    import select
    import threading

    try:
        fd = os.pidfd_open(pid)
    except (OSError, AttributeError):
        return

    def watch() -> None:
        select.select([fd], [], [])
        os._exit(0)

    threading.Thread(target=watch, name="tj-auth-parent", daemon=True).start()


def _ping() -> int:
    return os.getpid()


def authenticate(username: str, password: str, address: str, lock_after: int) -> AuthAnswer:
    """Runs in a worker: the journal's own check (delay, lock and login log apply)."""
    from tui_journal.services import auth

    result = auth.authenticate(
        username, password, origin="ssh", address=address, policy=auth.LoginPolicy(lock_after=lock_after)
    )
    return AuthAnswer(result.actor.login if result.actor is not None else None, result.outcome)


def workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def start_pool(db_url: str, size: int | None = None) -> ProcessPoolExecutor:
    """The pool, its workers started (and their database opened) before the first login."""
    context = multiprocessing.get_context("spawn")
    size = size or workers()
    pool = ProcessPoolExecutor(
        max_workers=size, mp_context=context, initializer=_worker_init, initargs=(db_url, os.getpid())
    )
    for future in [pool.submit(_ping) for _ in range(size)]:
        future.result(timeout=60)
    return pool
