"""A session's thread workers share two threads and so two database connections, kept open
for the session (issue 13: PostgreSQL, no connection per worker)."""

from __future__ import annotations

import asyncio
import threading
import time

from tests.ui.conftest import make_app, settle
from tui_journal.app import DB_THREADS
from tui_journal.db.models import database_proxy


async def test_thread_workers_reuse_the_sessions_db_threads_and_connections(any_db) -> None:
    seen: list[tuple[str, int]] = []
    guard = threading.Lock()

    def work() -> None:
        conn = database_proxy.obj.connection()
        database_proxy.obj.execute_sql("SELECT 1").fetchall()
        with guard:
            seen.append((threading.current_thread().name, id(conn)))
        time.sleep(0.02)

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for _round in range(3):  # bursts, with pauses between them
            workers = [app.run_worker(work, thread=True, group=f"t{n}") for n in range(8)]
            for worker in workers:
                await worker.wait()
            await asyncio.sleep(0.05)
    assert len(seen) == 24
    threads = {name for name, _conn in seen}
    assert all(name.startswith("tj-db") for name in threads), threads
    assert len(threads) <= DB_THREADS
    assert len({conn for _name, conn in seen}) <= DB_THREADS
