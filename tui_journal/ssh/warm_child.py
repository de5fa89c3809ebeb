"""What runs in a session process the warm server forked (:mod:`tui_journal.ssh.warm`):
fresh standard streams on the pty, the session's environment from the request's header,
the ticket, the app, and telling the server once the first frame is drawn.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui_journal.ssh import attach

if TYPE_CHECKING:
    from tui_journal.ssh.warm_server import Options

EXIT_CRASH = 70  # the child raised before or around the app
#: Variables of the server's own environment that the sessions keep.
KEPT_ENV = ("PATH", "HOME", "USER", "LOGNAME", "TZ", "PYTHONPATH", "VIRTUAL_ENV")


def close_all(fds: Sequence[int]) -> None:
    for fd in fds:
        with contextlib.suppress(OSError):
            os.close(fd)


def report_first_frame(fd: int) -> None:
    """In the child: close ``fd`` once the app has drawn its first frame (the warm server
    then lets the next waiting session start)."""
    from textual.app import App

    original = App._ready

    async def _ready(app: App[Any]) -> None:
        await original(app)
        app.call_after_refresh(close_all, [fd])

    App._ready = _ready  # type: ignore[method-assign,assignment]


def fresh_std_streams() -> None:
    """New ``sys.std*`` (and ``sys.__std*__``, which Textual writes to) on fds 0–2, UTF-8."""
    stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding="utf-8", errors="replace")
    stdout = io.TextIOWrapper(
        io.BufferedWriter(io.FileIO(1, "w", closefd=False)), encoding="utf-8", errors="replace", line_buffering=True
    )
    stderr = io.TextIOWrapper(
        io.BufferedWriter(io.FileIO(2, "w", closefd=False)), encoding="utf-8", errors="backslashreplace",
        line_buffering=True,
    )
    sys.stdin = sys.__stdin__ = stdin  # type: ignore[misc]
    sys.stdout = sys.__stdout__ = stdout  # type: ignore[misc]
    sys.stderr = sys.__stderr__ = stderr  # type: ignore[misc]


def session_env(header: dict[str, Any], base: dict[str, str] | None = None) -> dict[str, str]:
    """The session's environment: the server's own essentials, the client's terminal and
    address (only the variables of :data:`~tui_journal.ssh.attach.PASSED_ENV`)."""
    source = os.environ if base is None else base
    env = {"LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
    for name, value in source.items():
        if name in KEPT_ENV or name.startswith("TUI_JOURNAL_"):
            env[name] = value
    env.pop(attach.SOCKET_ENV, None)
    given = header.get("env")
    given = given if isinstance(given, dict) else {}
    for name in attach.PASSED_ENV:
        passed = given.get(name)
        if isinstance(passed, str) and len(passed) < 256 and "\0" not in passed:
            env[name] = passed
    env["TERM"] = attach.safe_term(header.get("term") or env.get("TERM"))
    return env


def run_child(header: dict[str, Any], options: Options, ready_fd: int = -1) -> int:
    """The session, in the forked child: environment, settings, ticket, the app."""
    from tui_journal.i18n import t
    from tui_journal.ssh import session

    env = session_env(header)
    os.environ.clear()
    os.environ.update(env)
    with contextlib.suppress(AttributeError):
        time.tzset()
    os.chdir("/")
    session.harden_terminal()
    gc.enable()
    args = argparse.Namespace(db=options.db, config=options.config)
    try:
        settings = session.load(args)
    except (OSError, ValueError, TypeError) as exc:
        print(t("cli.config_bad", path=options.config or "", error=exc), file=sys.stderr)
        return session.EXIT_DB
    ticket = None
    name = header.get("ticket")
    if name is not None:
        from tui_journal.ssh.tickets import TicketError, redeem

        folder = header.get("ticket_dir") or options.ticket_dir
        try:
            if not folder or not isinstance(name, str):
                raise TicketError("нет папки билетов")
            ticket = redeem(Path(str(folder)), name)
        except TicketError as exc:
            print(t("ssh.ticket_bad", error=exc), file=sys.stderr)
            return session.EXIT_REFUSED
    if ready_fd >= 0:
        report_first_frame(ready_fd)
    report = _trace() if os.environ.get("TUI_JOURNAL_WARM_TRACE") else None
    try:
        return session.run_session(
            settings,
            login=ticket.login if ticket else None,
            address=ticket.address if ticket else None,
        )
    finally:
        if report is not None:
            report()


def _trace() -> Any:
    """Debugging aid (``TUI_JOURNAL_WARM_TRACE=PATH``): at the session's end, write to
    ``PATH.<pid>`` the modules it imported beyond the preload and its private memory."""
    before = set(sys.modules)
    start = _private_kb()
    if os.environ.get("TUI_JOURNAL_WARM_TRACEMALLOC"):
        import tracemalloc

        tracemalloc.start(1)

    def report() -> None:
        extra = sorted(set(sys.modules) - before)
        trace: dict[str, Any] = {"modules": extra, "private_kb_start": start, "private_kb_end": _private_kb()}
        if os.environ.get("TUI_JOURNAL_WARM_TRACEMALLOC"):
            import tracemalloc

            stats = tracemalloc.take_snapshot().statistics("filename")[:25]
            trace["top"] = [f"{st.size // 1024} kB {st.traceback[0].filename}" for st in stats]
        with contextlib.suppress(OSError):
            Path(f"{os.environ['TUI_JOURNAL_WARM_TRACE']}.{os.getpid()}").write_text(json.dumps(trace))

    return report


def _private_kb() -> int:
    total = 0
    with contextlib.suppress(OSError), open("/proc/self/smaps_rollup") as fh:
        for line in fh:
            if line.startswith(("Private_Clean", "Private_Dirty")):
                total += int(line.split()[1])
    return total
