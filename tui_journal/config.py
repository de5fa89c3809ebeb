"""Settings: where the database is, idle timeout, login lock, exports folder.

Read from the config file (``$TUI_JOURNAL_CONFIG`` or ``<user config dir>/tui-journal/
config.toml``), then overridden by environment variables, then by command-line options.
The file and the variables are checked against :class:`Settings`: an unknown key or a value
of the wrong type is a :class:`SettingsError`, not a setting silently left at its default.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, cast, get_args, get_type_hints

from platformdirs import user_config_dir, user_data_dir, user_log_dir

from tui_journal.i18n import t

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

APP_NAME = "tui-journal"


def default_db_url() -> str:
    path = Path(user_data_dir(APP_NAME)) / "journal.db"
    return f"sqlite:///{path}"


def config_path() -> Path:
    env = os.environ.get("TUI_JOURNAL_CONFIG")
    return Path(env) if env else Path(user_config_dir(APP_NAME)) / "config.toml"


@dataclass(frozen=True)
class Settings:
    db_url: str = field(default_factory=default_db_url)
    idle_minutes: float = 15.0  # sessions end after this much idle time (R-ACC-3)
    lock_after: int = 5  # failed logins in a row before the account is locked
    exports_dir: str = field(default_factory=lambda: str(Path(user_data_dir(APP_NAME)) / "exports"))
    safe_glyphs: bool | None = None  # None: decide from TERM (the Linux console)
    mouse: bool = False  # mouse tracking costs kilobytes per movement over SSH
    signing_key_dir: str = ""  # the school's private key files; "": beside the SQLite database
    log_dir: str = field(default_factory=lambda: user_log_dir(APP_NAME))  # the program's log (0600)
    log_level: str = "INFO"  # DEBUG, INFO, WARNING, ERROR
    ssh_address: str = ""  # «journal.school.ru» or «10.0.0.5:2222»: printed on credential slips
    web_url: str = ""  # «http://journal.school.ru/» when the browser route runs: on the slips too
    grid_advance: bool = True  # after a mark or a code the grid's cursor goes to the next pupil

    def with_overrides(self, **values: Any) -> Settings:
        return replace(self, **{k: v for k, v in values.items() if v is not None})


class SettingsError(ValueError):
    """The config file or an environment variable sets a key the program does not know, or a
    value of the wrong type. ``message`` (Russian) names the key and the file or variable; the
    console prints it as it is, without a traceback."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


#: The environment variables that override the config file, and the key each one sets.
ENV_KEYS = {
    "TUI_JOURNAL_DB": "db_url",
    "TUI_JOURNAL_KEY_DIR": "signing_key_dir",
    "TUI_JOURNAL_LOG_DIR": "log_dir",
    "TUI_JOURNAL_LOG_LEVEL": "log_level",
    "TUI_JOURNAL_IDLE_MINUTES": "idle_minutes",
}


def _kind(key: str) -> type:
    """The value type of a setting (``bool | None`` is ``bool``: None means «not set»)."""
    hint = get_type_hints(Settings)[key]
    kinds = [k for k in get_args(hint) if k is not type(None)] or [hint]
    return cast(type, kinds[0])


def _type_name(kind: type) -> str:
    return t(f"config.type.{kind.__name__}")


def _from_file(key: str, value: object, path: Path) -> object:
    """``value`` as read from TOML, if it is of the setting's type (an integer for a number is)."""
    kind = _kind(key)
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, kind) and (kind is bool or not isinstance(value, bool)):  # True is an int too
        return value
    raise SettingsError(
        t("config.wrong_type", path=path, key=key, expected=_type_name(kind), value=_shown(value))
    )


def _from_env(name: str, key: str, text: str) -> object:
    """The text of an environment variable as the setting's type."""
    kind = _kind(key)
    try:
        if kind is bool:
            return {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}[text.strip().lower()]
        return kind(text.strip()) if kind in (int, float) else text
    except (KeyError, ValueError):
        raise SettingsError(
            t("config.env_wrong_type", name=name, key=key, expected=_type_name(kind), value=text)
        ) from None


def _shown(value: object) -> str:
    """The value as it was written in the file: strings in quotes, booleans lower-case."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, dict):
        return t("config.type.table")
    return str(value)


def load_settings(path: Path | None = None) -> Settings:
    """The config file, then the environment variables of :data:`ENV_KEYS`.

    Strict: an unknown key (a typo would be silently ignored otherwise) or a value of the
    wrong type raises :class:`SettingsError` naming the key and the file or variable.
    """
    settings = Settings()
    path = path or config_path()
    values: dict[str, Any] = {}
    if path.is_file():
        with path.open("rb") as fh:
            try:
                data = tomllib.load(fh)
            except tomllib.TOMLDecodeError as exc:
                raise SettingsError(t("config.bad_toml", path=path, error=exc)) from None
        for key, value in data.items():
            if key not in Settings.__dataclass_fields__:
                known = ", ".join(sorted(Settings.__dataclass_fields__))
                raise SettingsError(t("config.unknown_key", path=path, key=key, known=known))
            values[key] = _from_file(key, value, path)
    for name, key in ENV_KEYS.items():
        text = os.environ.get(name)
        if text:
            values[key] = _from_env(name, key, text)
    return replace(settings, **values)
