"""The console entry point: ``tui-journal …`` (and ``python -m tui_journal``).

The CLI parses, calls the services as the console actor and prints; it holds no rules of
its own. See :mod:`tui_journal.cli.core` for the parser and the error handling.

:func:`main` looks at the command line before anything imports peewee: a session
(``tui-journal run``, the default command) on SQLite does not load the PostgreSQL driver.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def main(argv: Sequence[str] | None = None) -> int:
    from tui_journal.cli.early import skip_unused_db_drivers

    skip_unused_db_drivers(argv)
    from tui_journal.cli.core import main as core_main

    return core_main(argv)


def __getattr__(name: str) -> Any:
    if name == "build_parser":
        from tui_journal.cli.core import build_parser

        return build_parser
    if name in {"core", "cmd_app", "cmd_admin", "cmd_users", "base", "output"}:
        import importlib

        return importlib.import_module(f"tui_journal.cli.{name}")
    raise AttributeError(name)


__all__ = ["build_parser", "main"]
