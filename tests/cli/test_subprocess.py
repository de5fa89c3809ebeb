"""The real entry point in a child process: `python -m tui_journal …` and the console script."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui_journal.db.database import sqlite_url

from .helpers import ADMIN_PASSWORD, SCHOOL


def run(*args: str, stdin: str = "", tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TUI_JOURNAL_")}
    env["TUI_JOURNAL_CONFIG"] = str(tmp_path / "no-config.toml")
    env["PYTHONIOENCODING"] = "utf-8"
    result = subprocess.run(
        [sys.executable, "-m", "tui_journal", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert "Traceback" not in result.stderr
    return result


def test_init_add_and_csv_list_through_a_real_process(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "journal.db")
    r = run("init", "--db", url, "--school-name", SCHOOL, "--admin-name", "Петров Пётр Петрович",
            "--password-stdin", stdin=ADMIN_PASSWORD + "\n", tmp_path=tmp_path)
    assert r.returncode == 0, r.stderr
    assert SCHOOL in r.stdout

    r = run("user", "add", "ivanova", "--db", url, "--name", "Иванова Мария Ивановна",
            "--role", "teacher", "--phone", "+7 900 000-00-00", "--password-stdin",
            stdin="Teacher-pass-7\n", tmp_path=tmp_path)
    assert r.returncode == 0, r.stderr

    r = run("user", "add", "ivanova", "--db", url, "--name", "Иванова Мария", "--role", "teacher",
            "--password-stdin", stdin="Teacher-pass-7\n", tmp_path=tmp_path)
    assert r.returncode == 1 and "уже занят" in r.stderr

    r = run("--db", url, "user", "list", "--format", "csv", tmp_path=tmp_path)
    assert r.returncode == 0, r.stderr
    rows = list(csv.reader(io.StringIO(r.stdout)))
    assert rows[0][:4] == ["Логин", "ФИО", "Роли", "Состояние"]
    by_login = {row[0]: row for row in rows[1:]}
    assert set(by_login) == {"admin", "ivanova"}
    assert by_login["ivanova"][1] == "Иванова Мария Ивановна"
    assert by_login["ivanova"][4] == "'+7 900 000-00-00"  # formula guard

    r = run("db", "status", "--db", url, tmp_path=tmp_path)
    assert r.returncode == 0 and "актуальна" in r.stdout


def test_db_status_exit_codes_through_a_real_process(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "fresh.db")
    r = run("db", "status", "--db", url, tmp_path=tmp_path)
    assert r.returncode == 1
    assert "0001_initial" in r.stdout and "tui-journal init" in r.stdout
    r = run("user", "list", "--db", url, tmp_path=tmp_path)
    assert r.returncode == 2 and "tui-journal init" in r.stderr
    r = run("user", "list", "--db", "oracle://x", tmp_path=tmp_path)
    assert r.returncode == 2 and "Неизвестный адрес" in r.stderr
    r = run("user", "frobnicate", tmp_path=tmp_path)
    assert r.returncode == 2 and "недопустимое значение 'frobnicate'" in r.stderr


def test_the_console_script_is_installed(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "tui-journal"
    if not script.exists():
        pytest.skip("the package is not installed with its console script")
    r = subprocess.run([str(script), "--help"], capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert r.returncode == 0 and "demo-logins" in r.stdout
