"""The console entry point: ``tui-journal …`` (and ``python -m tui_journal``).

The CLI parses, calls the services as the console actor and prints; it holds no rules of
its own. See :mod:`tui_journal.cli.core` for the parser and the error handling.
"""

from tui_journal.cli.core import build_parser, main

__all__ = ["build_parser", "main"]
