"""Password checks of the built-in server in worker processes.

An argon2id check costs ~20 ms of CPU; 30 of them at the break on a small thread pool inside
the asyncssh process made the SSH password step alone take a median 2.8 s (FACTS.md). The
server therefore runs :func:`~tui_journal.services.auth.authenticate` in a
``ProcessPoolExecutor`` as large as the machine has cores, started with the ``forkserver``
context: the workers come from a clean process (no asyncio loop, no threads, no database
connection of the server's), import this small module and open their own connection.

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


def _worker_init(db_url: str) -> None:
    from tui_journal.ssh.session import skip_postgres_driver

    skip_postgres_driver(db_url)
    from tui_journal.db.database import open_database

    open_database(db_url, check_schema=False)


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
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["tui_journal.ssh.authpool"])
    size = size or workers()
    pool = ProcessPoolExecutor(max_workers=size, mp_context=context, initializer=_worker_init, initargs=(db_url,))
    for future in [pool.submit(_ping) for _ in range(size)]:
        future.result(timeout=60)
    return pool
