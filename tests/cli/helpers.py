"""Helpers shared by the console tests."""

from __future__ import annotations

import getpass
import io
import sqlite3
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tui_journal.cli import main
from tui_journal.db.database import open_database, upgrade
from tui_journal.services.school import create_school_with_admin

ADMIN_PASSWORD = "Admin-pass-2026"
SCHOOL = "МБОУ «Средняя школа № 7»"


@dataclass
class Result:
    code: int
    out: str
    err: str


class Cli:
    """``cli("user", "list")`` runs ``main([... , "--db", url])`` in this process."""

    def __init__(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, url: str) -> None:
        self.capsys = capsys
        self.monkeypatch = monkeypatch
        self.url = url

    def __call__(self, *args: str, stdin: str | None = None, db: bool = True) -> Result:
        self.monkeypatch.setattr(sys, "stdin", io.StringIO(stdin if stdin is not None else ""))
        argv = [*args, "--db", self.url] if db else list(args)
        code = main(argv)
        out, err = self.capsys.readouterr()
        assert "Traceback" not in err
        return Result(code, out, err)

    def prompts(self, *answers: str) -> list[str]:
        """Make getpass answer with ``answers`` in turn; returns the prompts it was shown."""
        queue = list(answers)
        shown: list[str] = []

        def fake(prompt: str = "") -> str:
            shown.append(prompt)
            if not queue:
                raise AssertionError("more password prompts than answers")
            return queue.pop(0)

        self.monkeypatch.setattr(getpass, "getpass", fake)
        return shown


def init_args(*extra: str) -> list[str]:
    return [
        "init",
        "--school-name",
        SCHOOL,
        "--admin-login",
        "admin",
        "--admin-name",
        "Петров Пётр Петрович",
        "--password-stdin",
        *extra,
    ]


def query(db_file: Path, sql: str, *params: object) -> list[tuple]:
    """Read the database file directly (not through the code under test)."""
    con = sqlite3.connect(db_file)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


@dataclass
class Login:
    role: str
    login: str
    password: str
    name: str
    note: str = ""


@dataclass
class FakeDemo:
    calls: list[tuple] = field(default_factory=list)
    seen_before_build: list[bool] = field(default_factory=list)

    def logins(self, seed: int = 1) -> list[Login]:
        return [
            Login("director", f"direktor{seed}", "Direktor-2026", "Сергеева Анна Павловна"),
            Login("teacher", "uchitel", "Uchitel-2026", "Иванова Мария Ивановна", "классный руководитель 5А"),
            Login("parent", "roditel", "Roditel-2026", "Кузнецов Олег"),
        ]

    def build(self, db_url: str, size: str = "school", seed: int = 1, today: object = None) -> types.SimpleNamespace:
        path = Path(db_url.split("://", 1)[1][1:])
        self.seen_before_build.append(path.exists())
        self.calls.append((db_url, size, seed))
        db = open_database(db_url, check_schema=False)
        upgrade(db)
        create_school_with_admin("Демо-школа", "admin", ("Админов", "Админ", ""), ADMIN_PASSWORD, origin="demo")
        db.close()
        return types.SimpleNamespace(schools=1, logins=self.logins(seed), counts={"student": 25, "mark": 1000, "plan_item": 3})
