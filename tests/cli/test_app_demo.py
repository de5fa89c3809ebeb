"""`run` (the default command), `demo` and `demo-logins` with stand-ins for the modules
other parts of the project provide (tui_journal.app, tui_journal.db.demo)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import tui_journal.db

from .helpers import Cli, FakeDemo, query


def test_demo_builds_and_prints_logins_with_russian_roles(cli: Cli, fake_demo: FakeDemo, url: str) -> None:
    r = cli("demo", "--size", "tiny", "--seed", "3")
    assert r.code == 0, r.err
    assert fake_demo.calls == [(url, "tiny", 3)]
    assert "директор" in r.out and "direktor3" in r.out and "Direktor-2026" in r.out
    assert "учитель" in r.out and "классный руководитель 5А" in r.out
    assert "tui-journal run --db" in r.out
    assert "учащихся: 25" in r.out


def test_demo_on_a_database_with_a_school_only_prints_logins(cli: Cli, fake_demo: FakeDemo, db_file: Path) -> None:
    assert cli("demo").code == 0
    r = cli("demo")
    assert r.code == 0
    assert len(fake_demo.calls) == 1
    assert "уже есть школа" in r.out and "uchitel" in r.out


def test_demo_force_deletes_the_file_first(cli: Cli, fake_demo: FakeDemo, db_file: Path) -> None:
    assert cli("demo").code == 0
    con_rows = query(db_file, "SELECT COUNT(*) FROM user")
    r = cli("demo", "--force")
    assert r.code == 0, r.err
    assert fake_demo.seen_before_build == [False, False]
    assert query(db_file, "SELECT COUNT(*) FROM user") == con_rows
    assert query(db_file, "SELECT COUNT(*) FROM school") == [(1,)]


def test_demo_logins(cli: Cli, fake_demo: FakeDemo) -> None:
    r = cli("demo-logins", "--seed", "7")
    assert r.code == 0
    assert "direktor7" in r.out and "Roditel-2026" in r.out and "родитель" in r.out
    assert fake_demo.calls == []
    assert max(len(line) for line in r.out.splitlines() if "run" not in line) <= 80


def test_demo_without_the_demo_module(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tui_journal.db.demo", None)
    monkeypatch.delattr(tui_journal.db, "demo", raising=False)
    r = cli("demo")
    assert r.code == 1 and "не установлен" in r.err


def test_run_is_the_default_command(school: Cli, fake_app: list, url: str) -> None:
    assert school("run").code == 0
    assert school(db=True).code == 0
    assert [s.db_url for s in fake_app] == [url, url]


def test_run_refuses_a_missing_database_before_starting_the_ui(cli: Cli, fake_app: list) -> None:
    r = cli("run")
    assert r.code == 2 and "tui-journal init" in r.err
    assert fake_app == []
