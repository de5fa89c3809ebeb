"""Settings: where the database is, idle timeout, login lock, exports folder.

Read from the config file (``$TUI_JOURNAL_CONFIG`` or ``<user config dir>/tui-journal/
config.toml``), then overridden by environment variables, then by command-line options.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from platformdirs import user_config_dir, user_data_dir, user_log_dir

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


def load_settings(path: Path | None = None) -> Settings:
    settings = Settings()
    path = path or config_path()
    if path.is_file():
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        known = {k: v for k, v in data.items() if k in Settings.__dataclass_fields__}
        settings = replace(settings, **known)
    env_db = os.environ.get("TUI_JOURNAL_DB")
    if env_db:
        settings = replace(settings, db_url=env_db)
    for name, key in (("TUI_JOURNAL_KEY_DIR", "signing_key_dir"), ("TUI_JOURNAL_LOG_DIR", "log_dir"), ("TUI_JOURNAL_LOG_LEVEL", "log_level")):
        if os.environ.get(name):
            change: dict[str, Any] = {key: os.environ[name]}
            settings = replace(settings, **change)
    env_idle = os.environ.get("TUI_JOURNAL_IDLE_MINUTES")
    if env_idle:
        settings = replace(settings, idle_minutes=float(env_idle))
    return settings
