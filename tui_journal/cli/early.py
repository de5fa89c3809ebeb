"""What the command line decides before the heavy imports (no peewee, no services here).

A session (``tui-journal run``, the default command) imports only what a session uses:
:func:`is_session` lets :func:`tui_journal.cli.core.main` build a parser with ``run``
alone (the report, school-data, signing and SSH command modules pull in reportlab-free but
still large service modules), and :func:`skip_unused_db_drivers` keeps peewee from loading
psycopg2 when the database is SQLite (peewee imports it at its own import when present:
about 5 MB of every session's memory).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

#: The common options that take a value (cli/base.py: common_options).
OPTIONS_WITH_VALUE = frozenset({"--db", "--config", "--school", "--log-level"})
SESSION_COMMANDS = frozenset({"run"})
HELP_OPTIONS = frozenset({"-h", "--help", "--version"})


def command_of(argv: Sequence[str]) -> str | None:
    """The command word of ``argv`` (None: no command, the default ``run``)."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg in OPTIONS_WITH_VALUE:
            skip = True
            continue
        if arg.startswith("-"):
            continue
        return arg
    return None


def is_session(argv: Sequence[str]) -> bool:
    """True for ``run`` or no command at all (not ``--help``/``--version``)."""
    if any(arg in HELP_OPTIONS for arg in argv):
        return False
    command = command_of(argv)
    return command is None or command in SESSION_COMMANDS


def option_value(argv: Sequence[str], name: str) -> str | None:
    for i, arg in enumerate(argv):
        if arg == name and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None


def skip_unused_db_drivers(argv: Sequence[str] | None = None) -> None:
    """For a session on SQLite, make ``import psycopg2`` fail (peewee then works without
    it). Any doubt (an unreadable config, a PostgreSQL URL, another command): do nothing."""
    argv = sys.argv[1:] if argv is None else argv
    if "peewee" in sys.modules or not is_session(argv):
        return
    url = option_value(argv, "--db")
    if url is None:
        try:
            from tui_journal.config import load_settings

            config = option_value(argv, "--config")
            url = load_settings(Path(config) if config else None).db_url
        except Exception:
            return
    if url.lower().startswith("sqlite:"):
        for name in ("psycopg2", "psycopg2cffi", "psycopg"):
            sys.modules.setdefault(name, None)  # type: ignore[arg-type]
