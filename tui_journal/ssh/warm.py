"""The warm session server: ``tui-journal serve warm --socket PATH``.

Starting a fresh Python for every SSH session costs 0.35–0.45 s of CPU in imports alone,
and 30 sessions at the break on 2 cores wait seconds for each other (FACTS.md). This one
long-lived process imports Textual, the app, its screens, widgets and models once, then
forks a child per session request:

- before forking it holds no database connection, no event loop and no thread, and calls
  ``gc.freeze()`` so the collector does not touch (and so un-share) the inherited objects;
- requests come over a Unix socket (mode 0600; peers of another account are refused by
  ``SO_PEERCRED``, root excepted) carrying the session's pty as three fds (``SCM_RIGHTS``)
  and a small JSON header (protocol: :mod:`tui_journal.ssh.attach`): from ``tui-journal
  attach`` (OpenSSH's ``ForceCommand``: the journal's login screen) or from the built-in
  server (``serve ssh``: a one-time ticket, already logged in, :mod:`.tickets`);
- the child takes the fds as stdin/stdout/stderr, starts a session of its own (``setsid``)
  with the pty as its controlling terminal (window-size changes and hang-ups reach it from
  the kernel), takes TERM and the client's address from the header, opens its own database
  connection and runs the app (:func:`tui_journal.ssh.session.run_session`);
- children are reaped on SIGCHLD; the requester is told ``{"exit": CODE}``. A child that
  crashes or is killed ends only itself; a requester that goes away hangs its session up;
- at most as many sessions as there are cores are *starting* at once (from the fork to the
  first frame drawn, or :data:`START_SLOT` seconds): at the break, 30 sessions that share two
  cores all draw late together, while started in turn most draw early. Later requests wait
  in order; a requester that leaves meanwhile is dropped.

This module is the command (``python -m tui_journal.ssh.warm``); what it preloads is
:mod:`.warm_preload`, the loop :mod:`.warm_server`, the forked session :mod:`.warm_child`.
"""

from __future__ import annotations

import argparse
import gc
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tui_journal.ssh.warm_child import EXIT_CRASH, KEPT_ENV, run_child, session_env
from tui_journal.ssh.warm_preload import NOT_PRELOADED, PRELOAD, PRELOAD_PACKAGES, preload, preparse_styles
from tui_journal.ssh.warm_server import (
    KILL_AFTER,
    PARENT_CHECK,
    START_SLOT,
    Options,
    WarmServer,
    listen,
    peer_allowed,
    peer_uid,
)

__all__ = [
    "EXIT_CRASH",
    "KEPT_ENV",
    "KILL_AFTER",
    "NOT_PRELOADED",
    "PARENT_CHECK",
    "PRELOAD",
    "PRELOAD_PACKAGES",
    "START_SLOT",
    "Options",
    "WarmServer",
    "listen",
    "main",
    "peer_allowed",
    "peer_uid",
    "preload",
    "preparse_styles",
    "run",
    "run_child",
    "session_env",
]

log = logging.getLogger("tui_journal.ssh.warm")  # one logger for the whole warm server


# --- the command ---------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tui_journal.ssh.warm")
    parser.add_argument("--socket", required=True, metavar="PATH")
    parser.add_argument("--db", metavar="URL")
    parser.add_argument("--config", metavar="FILE")
    parser.add_argument("--ticket-dir", metavar="DIR")
    parser.add_argument("--max-starting", type=int, default=0, metavar="N")
    parser.add_argument("--parent", type=int, default=0, metavar="PID", help=argparse.SUPPRESS)
    return parser


def run(options: Options, *, ready: Any = None) -> int:
    """Preload, listen, serve until SIGTERM/SIGINT. ``ready(path)`` once listening."""
    from tui_journal.ssh import session

    if options.config and not Path(options.config).is_file():
        print(f"нет файла настроек: {options.config}", file=sys.stderr)
        return 2
    settings = session.load(argparse.Namespace(db=options.db, config=options.config))
    started = time.monotonic()
    failed = preload(settings.db_url)
    preparse_styles(settings)
    server = WarmServer(options)
    server.start()
    gc.collect()
    gc.freeze()  # the preloaded objects stay shared with the sessions (copy-on-write)
    log.info(
        "тёплый сервер слушает %s (модулей %d, загружены за %.2f с%s)",
        options.socket_path, len(sys.modules), time.monotonic() - started,
        f"; не загрузились: {', '.join(failed)}" if failed else "",
    )
    if ready is not None:
        ready(options.socket_path)
    server.serve_forever()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s warm %(message)s", stream=sys.stderr)
    options = Options(
        socket_path=Path(args.socket).absolute(),
        db=args.db,
        config=str(Path(args.config).resolve()) if args.config else None,
        ticket_dir=args.ticket_dir,
        max_starting=max(0, args.max_starting),
        parent=max(0, args.parent),
    )
    try:
        return run(options, ready=lambda path: print(f"READY {path}", flush=True))
    except OSError as exc:
        print(f"tui-journal serve warm: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
