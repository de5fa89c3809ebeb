"""The console's failures: a full or read-only database says so in one Russian line; a bug
exits 3 with «Внутренняя ошибка…», its traceback in the program's log (a 0600 file)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tui_journal.db import database
from tui_journal.services import accounts

from .helpers import Cli, query


def test_a_read_only_database(school: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(database.SQLITE_PRAGMAS, "query_only", 1)
    r = school("user", "add", "ivanova", "--name", "Иванова Мария", "--role", "teacher", "--no-password")
    assert r.code == 1
    assert r.err.strip() == "База данных открыта только для чтения: изменение не сохранено. Сообщите администратору"


def test_a_full_database(school: Cli, db_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pages = query(db_file, "PRAGMA page_count")[0][0]
    monkeypatch.setitem(database.SQLITE_PRAGMAS, "max_page_count", pages)
    for n in range(200):
        r = school("user", "add", f"user{n}", "--name", f"Иванова{n} Мария", "--role", "teacher", "--no-password")
        if r.code != 0:
            break
    assert r.code == 1, "the database never filled up"
    assert r.err.strip() == "Диск сервера заполнен: изменение не сохранено. Сообщите администратору"


def test_a_bug_is_an_internal_error_with_its_traceback_in_the_log(
    school: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        nothing: dict[str, None] = {}
        return nothing["no such key"]

    monkeypatch.setattr(accounts, "list_users", broken)
    r = school("user", "list")
    log = tmp_path / "log" / "journal.log"  # TUI_JOURNAL_LOG_DIR of tests/cli/conftest.py
    assert r.code == 3
    assert r.err.strip() == f"Внутренняя ошибка, подробности в журнале программы ({log})"
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "KeyError: 'no such key'" in text and "command user" in text
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert stat.S_IMODE(log.parent.stat().st_mode) == 0o700


def test_log_level_option(school: Cli, tmp_path: Path) -> None:
    assert school("user", "list", "--log-level", "debug").code == 0
    assert "command user" in (tmp_path / "log" / "journal.log").read_text(encoding="utf-8")
    bad = school("user", "list", "--log-level", "loud")
    assert bad.code == 2
