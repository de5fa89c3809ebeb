"""`db status`, `db upgrade`, the refusal of an old schema, and where the settings come from."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tui_journal.db.database import sqlite_url

from .helpers import Cli, query


def test_status_of_a_missing_file(cli: Cli, db_file: Path) -> None:
    r = cli("db", "status")
    assert r.code == 1
    assert "не найден" in r.out and "0001_initial" in r.out and "tui-journal init" in r.out
    assert not db_file.exists()


def test_status_of_a_fresh_empty_file(cli: Cli, db_file: Path) -> None:
    db_file.parent.mkdir(parents=True)
    sqlite3.connect(db_file).close()
    r = cli("db", "status")
    assert r.code == 1
    assert "Ожидают: 0001_initial" in r.out
    assert "База данных пуста" in r.out


def test_status_after_init_is_current(school: Cli) -> None:
    r = school("db", "status")
    assert r.code == 0, r.out + r.err
    assert "Применены: 0001_initial" in r.out and "Ожидают: —" in r.out and "актуальна" in r.out


def test_an_outdated_schema_is_refused_with_the_command_to_run(school: Cli, db_file: Path) -> None:
    con = sqlite3.connect(db_file)
    con.execute("DELETE FROM schema_migration WHERE name = '0001_initial'")
    con.commit()
    con.close()
    for command in (("user", "list"), ("audit",), ("user", "show", "admin")):
        r = school(*command)
        assert r.code == 2, command
        assert "tui-journal db upgrade" in r.err
        assert r.out == ""
    r = school("db", "status")
    assert r.code == 1
    assert "Ожидают: 0001_initial" in r.out and "tui-journal db upgrade" in r.out

    r = school("db", "upgrade")
    assert r.code == 0, r.err
    assert "0001_initial" in r.out
    copies = list(db_file.parent.glob("journal.db.before-upgrade-*"))
    assert len(copies) == 1 and query(copies[0], "SELECT login FROM user") == [("admin",)]
    assert school("db", "status").code == 0
    r = school("user", "list")
    assert r.code == 0 and "admin" in r.out


def test_a_schema_from_a_newer_program_is_reported(school: Cli, db_file: Path) -> None:
    con = sqlite3.connect(db_file)
    con.execute("INSERT INTO schema_migration (name, applied) VALUES ('9999_future', '2030-01-01')")
    con.commit()
    con.close()
    r = school("db", "status")
    assert r.code == 1 and "9999_future" in r.out and "более новой версии" in r.out
    r = school("db", "upgrade")
    assert r.code == 1 and "9999_future" in r.err


def test_upgrade_of_a_current_schema_does_nothing(school: Cli, db_file: Path) -> None:
    r = school("db", "upgrade")
    assert r.code == 0 and "обновлять нечего" in r.out
    assert not list(db_file.parent.glob("*.before-upgrade-*"))


def test_database_from_env_and_from_the_config_file(
    school: Cli, url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TUI_JOURNAL_DB", url)
    r = school("user", "list", db=False)
    assert r.code == 0 and "admin" in r.out
    monkeypatch.delenv("TUI_JOURNAL_DB")
    config = tmp_path / "journal.toml"
    config.write_text(f'db_url = "{url}"\n', encoding="utf-8")
    r = school("--config", str(config), "user", "list", db=False)
    assert r.code == 0 and "admin" in r.out
    # --db wins over the config file
    other = sqlite_url(tmp_path / "other.db")
    r = school("--config", str(config), "user", "list", "--db", other, db=False)
    assert r.code == 2 and "other.db" in r.err
    r = school("--config", str(tmp_path / "missing.toml"), "user", "list", db=False)
    assert r.code == 2 and "Файл настроек не найден" in r.err
    config.write_text("db_url = [", encoding="utf-8")
    r = school("--config", str(config), "user", "list", db=False)
    assert r.code == 2 and "Ошибка в настройках" in r.err
