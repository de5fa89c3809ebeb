"""Fixtures for the console tests: an isolated environment and an in-process runner."""

from __future__ import annotations

import getpass
import sys
import types
from pathlib import Path

import pytest

import tui_journal.db
from tui_journal.db.database import sqlite_url

from .helpers import ADMIN_PASSWORD, Cli, FakeDemo, init_args


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No user config file, no TUI_JOURNAL_DB, Russian messages, and a scratch cwd."""
    monkeypatch.setenv("TUI_JOURNAL_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.delenv("TUI_JOURNAL_DB", raising=False)
    monkeypatch.delenv("TUI_JOURNAL_LANG", raising=False)
    monkeypatch.setenv("TUI_JOURNAL_LOG_DIR", str(tmp_path / "log"))  # the program's log stays here
    monkeypatch.chdir(tmp_path)

    def no_tty(prompt: str = "") -> str:
        raise AssertionError(f"unexpected password prompt: {prompt!r}")

    monkeypatch.setattr(getpass, "getpass", no_tty)


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    return tmp_path / "school" / "journal.db"


@pytest.fixture
def url(db_file: Path) -> str:
    return sqlite_url(db_file)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, url: str) -> Cli:
    return Cli(capsys, monkeypatch, url)


@pytest.fixture
def school(cli: Cli) -> Cli:
    """A database with a school and its admin, made by ``tui-journal init``."""
    result = cli(*init_args(), stdin=ADMIN_PASSWORD + "\n")
    assert result.code == 0, result.err
    return cli


@pytest.fixture
def fake_demo(monkeypatch: pytest.MonkeyPatch) -> FakeDemo:
    fake = FakeDemo()
    module = types.ModuleType("tui_journal.db.demo")
    module.build_demo = fake.build  # type: ignore[attr-defined]
    module.demo_logins = fake.logins  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tui_journal.db.demo", module)
    monkeypatch.setattr(tui_journal.db, "demo", module, raising=False)
    return fake


@pytest.fixture
def fake_app(monkeypatch: pytest.MonkeyPatch) -> list:
    calls: list = []
    module = types.ModuleType("tui_journal.app")

    def run_app(settings: object, *, actor: object = None, origin: str = "tui", address: str | None = None) -> int:
        calls.append(settings)
        return 0

    module.run_app = run_app  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tui_journal.app", module)
    return calls
