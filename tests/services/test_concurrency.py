"""20 processes writing at once: no «database is locked», no lost write (FACTS.md).

Each worker is a separate OS process (like one SSH session each) that opens the database
by URL and adds users through the service: a read (is the login free?) then writes, the
pattern that fails at once in a deferred SQLite transaction under concurrent writers.
"""

from __future__ import annotations

import multiprocessing as mp
from pathlib import Path

import pytest

from tui_journal.db.models import AuditEntry, User

WORKERS = 20
WRITES_EACH = 10


def _worker(url: str, index: int, start: mp.synchronize.Event, errors: mp.Queue) -> None:
    from tui_journal.db.database import open_database
    from tui_journal.services import accounts
    from tui_journal.services.actor import Actor

    try:
        open_database(url)
        actor = Actor.console(1)
        start.wait(30)
        for n in range(WRITES_EACH):
            accounts.add_user(actor, f"w{index:02d}n{n:02d}", "Писарев", f"Пётр{index}", roles=["teacher"])
    except Exception as exc:  # reported to the parent, which fails the test
        errors.put(f"worker {index}: {type(exc).__name__}: {exc}")


def _run_workers(url: str) -> list[str]:
    ctx = mp.get_context("spawn")
    start = ctx.Event()
    errors: mp.Queue = ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(url, i, start, errors)) for i in range(WORKERS)]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(180)
    found = []
    while not errors.empty():
        found.append(errors.get())
    found += [f"exit code {p.exitcode}" for p in procs if p.exitcode != 0]
    return found


@pytest.mark.parametrize("backend", ["sqlite", "pg"])
def test_twenty_concurrent_writers_lose_nothing(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    from tests.conftest import PG_URL, _fresh_pg, _open
    from tui_journal.db.database import sqlite_url
    from tui_journal.services.school import create_school_with_admin

    if backend == "pg" and not PG_URL:
        pytest.skip("TUI_JOURNAL_TEST_PG is not set")
    url = sqlite_url(tmp_path / "busy.db") if backend == "sqlite" else _fresh_pg()
    db = _open(url)
    create_school_with_admin("Школа", "admin", ("Админов", "Андрей", ""), "Admin-pass-2026")
    audit_before = AuditEntry.select().count()
    db.close()

    errors = _run_workers(url)
    assert errors == []

    db.connect(reuse_if_open=True)
    logins = {u.login for u in User.select().where(User.login.startswith("w"))}
    assert len(logins) == WORKERS * WRITES_EACH
    # every user came with its audit rows (login, name, roles): nothing half-written
    assert AuditEntry.select().count() - audit_before == WORKERS * WRITES_EACH * 3
    db.close()
