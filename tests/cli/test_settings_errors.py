"""A config file with an unknown key or a value of the wrong type: the console prints the
catalogue's message naming the key and the file, exits 2, and shows no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import Cli


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "journal.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("command", [("user", "list"), ("doctor",)])
def test_an_unknown_key_stops_the_command_with_its_name(school: Cli, url: str, tmp_path: Path, command: tuple[str, ...]) -> None:
    config = _config(tmp_path, f'db_url = "{url}"\nidle_minuts = 10\n')
    r = school("--config", str(config), *command, db=False)
    assert r.code == 2
    assert "неизвестный параметр «idle_minuts»" in r.err and str(config) in r.err
    assert "Traceback" not in r.err + r.out


def test_a_wrong_type_stops_the_command(school: Cli, url: str, tmp_path: Path) -> None:
    config = _config(tmp_path, f'db_url = "{url}"\nmouse = "yes"\n')
    r = school("--config", str(config), "user", "list", db=False)
    assert r.code == 2 and "параметр «mouse» должен быть true или false" in r.err and str(config) in r.err
    assert "Traceback" not in r.err


def test_the_default_config_file_is_checked_too(school: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = _config(tmp_path, 'idle_minutes = "ten"\n')
    monkeypatch.setenv("TUI_JOURNAL_CONFIG", str(config))
    r = school("doctor")
    assert r.code == 2 and "«idle_minutes» должен быть числом" in r.err and str(config) in r.err


def test_an_environment_variable_of_the_wrong_type(school: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUI_JOURNAL_IDLE_MINUTES", "ten")
    r = school("user", "list")
    assert r.code == 2 and "TUI_JOURNAL_IDLE_MINUTES" in r.err and "«ten»" in r.err


def test_a_good_config_file_runs_the_command(school: Cli, url: str, tmp_path: Path) -> None:
    config = _config(tmp_path, f'db_url = "{url}"\nidle_minutes = 20\nmouse = false\n')
    r = school("--config", str(config), "user", "list", db=False)
    assert r.code == 0 and "admin" in r.out
