"""Shared fixtures: a real, migrated database per test.

SQLite always; PostgreSQL too for the tests that ask for ``any_db`` when
``TUI_JOURNAL_TEST_PG`` holds a URL (CI sets it). Each pytest-xdist worker gets its own
PostgreSQL schema so that parallel workers never see each other's rows.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from peewee import Database

from tui_journal.db.database import make_database, sqlite_url, upgrade
from tui_journal.db.models import User, database_proxy
from tui_journal.services.actor import Actor
from tui_journal.services.auth import actor_for
from tui_journal.services.school import create_school_with_admin

PG_URL = os.environ.get("TUI_JOURNAL_TEST_PG", "")
ADMIN_PASSWORD = "Admin-pass-2026"


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def _pg_url_for_worker() -> str:
    schema = f"tj_{_worker()}"
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}schema={schema}"


def _fresh_pg() -> str:
    import psycopg2

    schema = f"tj_{_worker()}"
    base = make_database(PG_URL)
    base.connect()
    base.execute_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    base.execute_sql(f'CREATE SCHEMA "{schema}"')
    base.close()
    del psycopg2
    return _pg_url_for_worker()


def _open(url: str) -> Database:
    db = make_database(url)
    db.connect()
    database_proxy.initialize(db)
    upgrade(db)
    return db


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return sqlite_url(tmp_path / "journal.db")


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """A migrated SQLite database in a temporary file."""
    database = _open(db_url)
    yield database
    database.close()


def _backends() -> list[str]:
    return ["sqlite", "pg"] if PG_URL else ["sqlite"]


@pytest.fixture(params=_backends())
def any_db(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """A migrated database: SQLite, and PostgreSQL too when TUI_JOURNAL_TEST_PG is set."""
    if request.param != "sqlite":  # signing key files: here, not in the platform data folder
        monkeypatch.setenv("TUI_JOURNAL_KEY_DIR", str(tmp_path / "keys"))
    url = sqlite_url(tmp_path / "journal.db") if request.param == "sqlite" else _fresh_pg()
    database = _open(url)
    yield database
    database.close()


@pytest.fixture
def admin(any_db: Database) -> Actor:
    """A school with its first admin, logged in (the actor the services see)."""
    create_school_with_admin("МКОУ «Тестовая СШ»", "admin", ("Петров", "Пётр", "Петрович"), ADMIN_PASSWORD)
    return actor_for(User.get(User.login == "admin"), origin="tui")
