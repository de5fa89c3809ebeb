"""The real console entry point, with the SSH commands added when ``core.py`` does not add
them yet (``tui_journal.cli.ssh.register`` is wired there by the CLI's owner).

``python -m tests.e2e.cli ARGS…`` runs ``tui-journal ARGS…``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from tui_journal.cli import core, ssh

_original_build_parser = core.build_parser


def build_parser(*, session_only: bool = False) -> argparse.ArgumentParser:
    parser = _original_build_parser(session_only=session_only)
    sub = ssh._subcommands(parser)
    assert sub is not None
    if "ssh-config" not in sub.choices:
        ssh.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    core.build_parser = build_parser  # main() looks the name up at call time
    try:
        return core.main(argv)
    finally:
        core.build_parser = _original_build_parser


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
