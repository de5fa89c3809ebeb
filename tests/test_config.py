"""The config file and the environment overrides: typed and strict (an unknown key or a value
of the wrong type is a SettingsError that names the key and the file or the variable)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui_journal.config import ENV_KEYS, Settings, SettingsError, load_settings


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV_KEYS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("TUI_JOURNAL_LANG", raising=False)


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_sets_every_key_it_names(tmp_path: Path) -> None:
    path = _config(
        tmp_path,
        'db_url = "sqlite:////srv/j.db"\nidle_minutes = 10\nlock_after = 3\nmouse = true\n'
        'safe_glyphs = false\nlog_level = "DEBUG"\ngrid_advance = false\n',
    )
    settings = load_settings(path)
    assert settings.db_url == "sqlite:////srv/j.db"
    assert settings.idle_minutes == 10.0 and isinstance(settings.idle_minutes, float)  # an integer is a number
    assert (settings.lock_after, settings.mouse, settings.safe_glyphs) == (3, True, False)
    assert (settings.log_level, settings.grid_advance) == ("DEBUG", False)
    assert settings.exports_dir == Settings().exports_dir  # what the file does not name keeps its default


def test_no_file_is_the_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "none.toml") == Settings()


def test_an_unknown_key_is_an_error_naming_it_and_the_file(tmp_path: Path) -> None:
    path = _config(tmp_path, 'db_url = "sqlite:///j.db"\nidle_minuts = 10\n')
    with pytest.raises(SettingsError) as err:
        load_settings(path)
    assert "«idle_minuts»" in err.value.message and str(path) in err.value.message
    assert "неизвестный параметр" in err.value.message and "idle_minutes" in err.value.message  # the known ones


def test_a_table_is_an_unknown_key_too(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="«ssh»"):
        load_settings(_config(tmp_path, '[ssh]\nport = 2222\n'))


@pytest.mark.parametrize(
    ("line", "key", "expected"),
    [
        ('idle_minutes = "ten"', "idle_minutes", 'числом, а не "ten"'),
        ('mouse = "yes"', "mouse", 'true или false, а не "yes"'),
        ("lock_after = 2.5", "lock_after", "целым числом, а не 2.5"),
        ("lock_after = true", "lock_after", "целым числом, а не true"),  # a bool is not a number here
        ("db_url = 5", "db_url", "строкой в кавычках, а не 5"),
        ("safe_glyphs = 1", "safe_glyphs", "true или false, а не 1"),
    ],
)
def test_a_value_of_the_wrong_type_is_an_error(tmp_path: Path, line: str, key: str, expected: str) -> None:
    path = _config(tmp_path, line + "\n")
    with pytest.raises(SettingsError) as err:
        load_settings(path)
    message = err.value.message
    assert f"«{key}»" in message and str(path) in message and expected in message, message


def test_a_file_that_is_not_toml_is_a_settings_error(tmp_path: Path) -> None:
    path = _config(tmp_path, "db_url = [\n")
    with pytest.raises(SettingsError, match="не читается как TOML"):
        load_settings(path)


def test_environment_overrides_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _config(tmp_path, 'db_url = "sqlite:///file.db"\nidle_minutes = 10\nlog_level = "INFO"\n')
    monkeypatch.setenv("TUI_JOURNAL_DB", "sqlite:///env.db")
    monkeypatch.setenv("TUI_JOURNAL_IDLE_MINUTES", "2.5")
    monkeypatch.setenv("TUI_JOURNAL_LOG_LEVEL", "DEBUG")
    monkeypatch.setenv("TUI_JOURNAL_KEY_DIR", "/srv/keys")
    settings = load_settings(path)
    assert (settings.db_url, settings.idle_minutes, settings.log_level) == ("sqlite:///env.db", 2.5, "DEBUG")
    assert settings.signing_key_dir == "/srv/keys"


def test_an_empty_variable_does_not_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUI_JOURNAL_IDLE_MINUTES", "")
    assert load_settings(_config(tmp_path, "idle_minutes = 7\n")).idle_minutes == 7.0


def test_an_environment_value_of_the_wrong_type_names_the_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUI_JOURNAL_IDLE_MINUTES", "ten")
    with pytest.raises(SettingsError) as err:
        load_settings(tmp_path / "none.toml")
    message = err.value.message
    assert "TUI_JOURNAL_IDLE_MINUTES" in message and "«idle_minutes»" in message and "«ten»" in message


def test_a_settings_error_is_a_value_error() -> None:
    """Callers that caught the old ValueError (the SSH session's start) still catch it."""
    assert issubclass(SettingsError, ValueError)
