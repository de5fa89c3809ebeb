"""The world of the screenshot tests: the tiny demo school, built once per test session on a
fixed date (``TUI_JOURNAL_TODAY``), copied into a fresh SQLite file for every test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from peewee import Database

from tests.conftest import _open
from tui_journal import clock
from tui_journal.db.database import sqlite_url
from tui_journal.db.demo import build_demo, demo_logins

TODAY = "2026-12-03"  # a Thursday of the second term: lessons held, marks, homework ahead


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny demo school (seed 1) as of TODAY, in a closed SQLite file (WAL checkpointed)."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(clock.ENV, TODAY)
        build_demo(sqlite_url(path), size="tiny", seed=1, today=clock.today())
    from tui_journal.db.models import database_proxy

    database_proxy.obj.close()
    return path


@pytest.fixture
def demo_db(demo_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """A copy of the demo school for one test, open, with the program's clock fixed at TODAY."""
    monkeypatch.setenv(clock.ENV, TODAY)
    monkeypatch.chdir(tmp_path)  # the exports folder of the screenshots is ./exports
    path = tmp_path / "journal.db"
    shutil.copyfile(demo_file, path)
    database = _open(sqlite_url(path))
    yield database
    database.close()


@pytest.fixture(scope="session")
def demo_accounts() -> dict[str, str]:
    """role -> login of the printed demo accounts."""
    return {d.role: d.login for d in demo_logins(seed=1)}
