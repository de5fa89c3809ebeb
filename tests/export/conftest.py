"""The export tests' shared fixture: the console run in this process on the export school."""

from __future__ import annotations

from pathlib import Path

import pytest
from peewee import Database

from tests.export.helpers import Run
from tests.export.school import build
from tui_journal.cli import core


@pytest.fixture
def run(
    db: Database,
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Run:
    """``run("report", "list")``: ``tui-journal`` with ``--db`` of the built export school,
    in this process, with no config file or environment of the machine."""
    build()
    monkeypatch.setenv("TUI_JOURNAL_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.delenv("TUI_JOURNAL_DB", raising=False)
    monkeypatch.delenv("TUI_JOURNAL_LANG", raising=False)
    monkeypatch.chdir(tmp_path)

    def call(*argv: str) -> tuple[int, str, str]:
        code = core.main([*argv, "--db", db_url])
        out, err = capsys.readouterr()
        return code, out, err

    return call
