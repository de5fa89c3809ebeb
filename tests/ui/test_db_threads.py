"""A session's thread workers share two threads and so two database connections, kept open
for the session (issue 13: PostgreSQL, no connection per worker)."""

from __future__ import annotations

import threading

from peewee import Database

from tests.ui.conftest import make_app, settle
from tests.ui.pilot import wait_until
from tui_journal.app import DB_THREADS
from tui_journal.db.models import database_proxy


async def test_thread_workers_reuse_the_sessions_db_threads_and_connections(any_db: Database) -> None:
    seen: list[tuple[str, int]] = []
    guard = threading.Lock()
    busy: list[int] = [0, 0]  # workers inside work() now, the most there ever were
    release = threading.Event()

    def work() -> None:
        conn = database_proxy.obj.connection()
        database_proxy.obj.execute_sql("SELECT 1").fetchall()
        with guard:
            seen.append((threading.current_thread().name, id(conn)))
            busy[0] += 1
            busy[1] = max(busy)
        release.wait(10)  # every thread stays busy until the test lets them go
        with guard:
            busy[0] -= 1

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for _round in range(3):  # bursts of more workers than threads
            release.clear()
            workers = [app.run_worker(work, thread=True, group=f"t{n}") for n in range(8)]
            # every thread the session has is taken; the other workers wait for one
            await wait_until(pilot, lambda: busy[0] == DB_THREADS, "the session's threads to be busy")
            release.set()
            for worker in workers:
                await worker.wait()
            await settle(pilot)
    assert len(seen) == 24
    assert busy[1] == DB_THREADS
    threads = {name for name, _conn in seen}
    assert all(name.startswith("tj-db") for name in threads), threads
    assert len(threads) <= DB_THREADS
    assert len({conn for _name, conn in seen}) <= DB_THREADS
