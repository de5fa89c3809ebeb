"""The console entry point: ``tui-journal …`` (and ``python -m tui_journal``).

The CLI parses, calls the services as the console actor and prints; it holds no rules of
its own. See :mod:`tui_journal.cli.core` for the parser and the error handling.

``tui-journal attach`` (OpenSSH's forced command, run for every SSH session) is dispatched
here before anything else is imported: it must start in milliseconds and load neither the
database layer nor Textual (:mod:`tui_journal.ssh.attach`).
:func:`main` looks at the command line before anything imports peewee: a session
(``tui-journal run``, the default command) on SQLite does not load the PostgreSQL driver.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

__all__ = ["build_parser", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["attach"]:
        from tui_journal.ssh.attach import main as attach_main

        return attach_main(args[1:])
    from tui_journal.cli.early import skip_unused_db_drivers

    skip_unused_db_drivers(argv)
    from tui_journal.cli.core import main as core_main

    return core_main(argv)


def __getattr__(name: str) -> Any:
    if name == "build_parser":
        from tui_journal.cli.core import build_parser

        return build_parser
    if name in {"core", "app", "admin", "users", "base", "output"}:
        import importlib

        return importlib.import_module(f"tui_journal.cli.{name}")
    raise AttributeError(name)
