"""What the warm session server (:mod:`tui_journal.ssh.warm`) loads before it forks, so
that every session inherits it: the modules a session imports, and the stylesheets every
session would otherwise parse for itself.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import pkgutil
from typing import Any

log = logging.getLogger("tui_journal.ssh.warm")  # one logger for the whole warm server

#: Modules preloaded besides the app's packages: what a session imports while it runs.
PRELOAD = (
    "textual.app",
    "textual.drivers.linux_driver",
    "textual._xterm_parser",
    "textual.widgets",
    "textual.screen",
    "textual.pilot",
    "textual.drivers.headless_driver",
    "textual.layouts.factory",
    "textual.layouts.horizontal",
    "textual.layouts.vertical",
    "textual.layouts.grid",
    "textual.layouts.stream",
    "concurrent.futures.thread",
    "tui_journal.app",
    "tui_journal.db.models",
    "tui_journal.ssh.session",
    "tui_journal.ssh.tickets",
    "tui_journal.services.auth",
    "tui_journal.services.accounts",
)
#: Packages whose every module is preloaded (the screens open lazily in the app).
PRELOAD_PACKAGES = ("tui_journal.widgets", "tui_journal.screens")
#: Never preloaded: report engines (a session imports them only to build a report).
NOT_PRELOADED = ("reportlab", "openpyxl")


def preload(db_url: str = "sqlite://") -> list[str]:
    """Import what a session needs; returns the modules that failed to import."""
    from tui_journal.ssh.session import skip_postgres_driver

    for name in list(os.environ):
        if name.startswith("TEXTUAL"):
            del os.environ[name]
    skip_postgres_driver(db_url)
    failed: list[str] = []
    names = list(PRELOAD)
    for package in PRELOAD_PACKAGES:
        try:
            mod = importlib.import_module(package)
        except Exception:
            failed.append(package)
            continue
        names += [f"{package}.{m.name}" for m in pkgutil.iter_modules(mod.__path__)]
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as exc:  # a broken screen must not stop the other sessions
            log.warning("предзагрузка %s не удалась: %s", name, exc)
            failed.append(name)
    # The schema check's list of migration files, once (each session compares with it).
    with contextlib.suppress(Exception):
        from tui_journal.db.database import migration_names

        migration_names()
    # Rich loads its table of character widths on the first measurement: load it here.
    with contextlib.suppress(Exception):
        from rich.cells import cell_len

        cell_len("Журнал ✓")
    return failed


def preparse_styles(settings: Any = None) -> int:
    """Parse, before the fork, the stylesheets every session parses (textual does it per App:
    ~80 ms of CPU per session otherwise): a throwaway app of each colour mode (full and
    16 colours, ``TERM=linux``) is built, not run, and its sources go into
    :mod:`tui_journal.widgets.css_cache`, which the sessions inherit. No loop, thread or
    database is left behind. Returns the sources parsed."""
    from tui_journal.app import JournalApp
    from tui_journal.config import Settings
    from tui_journal.widgets import css_cache

    settings = settings if settings is not None else Settings()
    done = 0
    for term in ("xterm-256color", "linux"):
        try:
            app = JournalApp(settings, environ={"TERM": term})
            done += css_cache.preparse(app)
        except Exception as exc:  # the sessions parse for themselves then
            log.warning("таблицы стилей не разобраны заранее (%s): %s", term, exc)
    return done
