"""`backup`/`restore` against PostgreSQL (pg_dump/pg_restore): only when TUI_JOURNAL_TEST_PG
is set and the PostgreSQL client tools are installed. Each xdist worker uses its own schema."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui_journal.db.backup import check_backup, known_migrations
from tui_journal.db.database import make_database

from .helpers import ADMIN_PASSWORD, Cli, FakeDemo, init_args

PG_URL = os.environ.get("TUI_JOURNAL_TEST_PG", "")

pytestmark = pytest.mark.skipif(
    not PG_URL or shutil.which("pg_dump") is None or shutil.which("pg_restore") is None,
    reason="needs TUI_JOURNAL_TEST_PG and pg_dump/pg_restore",
)


def _execute(sql: str) -> list[tuple]:
    db = make_database(PG_URL)
    db.connect()
    try:
        cursor = db.execute_sql(sql)
        return list(cursor.fetchall()) if cursor.description else []
    finally:
        db.close()


@pytest.fixture
def pg_url() -> Iterator[str]:
    schema = f"tj_cli_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    _execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE; CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{sep}schema={schema}"
    _execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def pg(cli: Cli, pg_url: str) -> Cli:
    cli.url = pg_url
    r = cli(*init_args(), stdin=ADMIN_PASSWORD + "\n")
    assert r.code == 0, r.err
    return cli


def test_pg_backup_and_restore(pg: Cli, pg_url: str, tmp_path: Path) -> None:
    schema = pg_url.rsplit("schema=", 1)[1]
    r = pg("user", "add", "ivanova", "--name", "Иванова Мария", "--role", "teacher", "--no-password")
    assert r.code == 0, r.err
    r = pg("backup", "-o", str(tmp_path / "pg.dump"))
    assert r.code == 0, r.err
    assert (tmp_path / "pg.dump").read_bytes()[:5] == b"PGDMP"
    info = check_backup(tmp_path / "pg.dump")
    assert info.kind == "postgresql" and info.users == 2 and info.applied == known_migrations()
    assert len(info.schools) == 1

    _execute(f"DELETE FROM \"{schema}\".\"user\" WHERE login = 'ivanova'")
    assert pg("user", "show", "ivanova").code == 1

    r = pg("restore", str(tmp_path / "pg.dump"), "--yes")
    assert r.code == 0, r.err
    r = pg("user", "show", "ivanova")
    assert r.code == 0 and "Иванова Мария" in r.out
    (safety,) = tmp_path.glob("*.before-restore-*.dump")
    assert check_backup(safety).users == 1  # the database as it was, without ivanova
    assert "восстановление" in pg("audit", "--entity", "database").out


def test_pg_demo_force_is_refused(pg: Cli, fake_demo: FakeDemo) -> None:
    r = pg("demo")
    assert r.code == 0 and "уже есть школа" in r.out
    r = pg("demo", "--force")
    assert r.code == 1 and "--force для PostgreSQL не поддерживается" in r.err
    assert fake_demo.calls == []
