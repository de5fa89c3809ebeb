"""``tui-journal attach``: hand this terminal to the warm session server (OpenSSH route).

OpenSSH's ``ForceCommand`` runs this tiny client for every session of the shared account.
It imports nothing but the standard library (no Textual, no app: a test checks it with
``python -X importtime``), connects to the warm server's Unix socket
(:mod:`tui_journal.ssh.warm`), passes its own stdin/stdout/stderr — the session's pty —
with ``SCM_RIGHTS`` plus a small JSON header (TERM, size, ``SSH_CLIENT``/``SSH_CONNECTION``
for the login log, ``LINES``/``COLUMNS``), then waits until the warm server says the session
process has ended and exits with its status.

The session process makes the pty its controlling terminal, so window-size changes and
the hang-up of a dropped connection reach it straight from the kernel. For that, this
client first gives the terminal up (``TIOCNOTTY``) when it is the session leader, as under
sshd. When no warm server answers, it starts the app itself (``python -m tui_journal.ssh``,
the old way): slower, but the user still gets the journal.

This module also holds the protocol both sides speak (one ``SOCK_SEQPACKET`` message per
JSON object):

- client → server, once, with three fds: ``{"v": 1, "term": …, "cols": …, "rows": …,
  "env": {…}, "ticket": NAME?, "ticket_dir": DIR?}``;
- server → client: ``{"pid": N}`` when the session process runs, ``{"exit": CODE}`` when it
  has ended (128+signal for a killed one), or ``{"error": TEXT}`` for a refused request.

A client that closes its connection hangs the session up (SIGHUP to its process group).
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import signal
import socket
import struct
import sys
import termios
from collections.abc import Mapping, Sequence
from typing import Any

PROTOCOL = 1
DEFAULT_SOCKET = "/run/tui-journal/warm.sock"
SOCKET_ENV = "TUI_JOURNAL_WARM_SOCKET"
MAX_MESSAGE = 64 * 1024
#: The client's variables that reach the session (everything else comes from the server).
PASSED_ENV = ("TERM", "SSH_CLIENT", "SSH_CONNECTION", "LINES", "COLUMNS")
EXIT_NO_SERVER = 1


def safe_term(term_type: str | None) -> str:
    """The client's TERM if it looks like a terminal name (it goes into the session's
    environment and the log), else ``xterm``."""
    term = (term_type or "").strip()
    if not term or len(term) > 64 or not all(c.isascii() and (c.isalnum() or c in "._+-") for c in term):
        return "xterm"
    return term


def encode(message: Mapping[str, Any]) -> bytes:
    data = json.dumps(dict(message), ensure_ascii=True).encode("ascii")
    if len(data) > MAX_MESSAGE:
        raise ValueError("message too long")
    return data


def decode(data: bytes) -> dict[str, Any]:
    value = json.loads(data.decode("utf-8"))
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    return value


def exit_code(message: Mapping[str, Any]) -> int:
    """The exit status the client should end with, from an ``{"exit": …}`` message."""
    try:
        code = int(message.get("exit", 1))
    except (TypeError, ValueError):
        return 1
    return code if 0 <= code <= 255 else 1


def wait_gone(pid: int) -> None:
    """Block until process ``pid`` (not our child) has ended."""
    import select

    try:
        fd = os.pidfd_open(pid)
    except (OSError, AttributeError):
        fd = -1
    if fd >= 0:
        try:
            while not select.select([fd], [], [], None)[0]:
                pass
        finally:
            os.close(fd)
        return
    import time

    while True:  # no pidfd (old kernel): look every half second
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        except PermissionError:
            pass
        time.sleep(0.5)


def winsize(fd: int) -> tuple[int, int]:
    """(columns, rows) of the terminal on ``fd``; (80, 24) when it has none."""
    try:
        rows, cols, _, _ = struct.unpack("HHHH", fcntl.ioctl(fd, termios.TIOCGWINSZ, b"\0" * 8))
    except OSError:
        return 80, 24
    return cols or 80, rows or 24


def request(
    env: Mapping[str, str], *, size: tuple[int, int], ticket: str | None = None, ticket_dir: str | None = None
) -> dict[str, Any]:
    """The header of a session request."""
    header: dict[str, Any] = {
        "v": PROTOCOL,
        "term": safe_term(env.get("TERM")),
        "cols": int(size[0]),
        "rows": int(size[1]),
        "env": {name: str(env[name]) for name in PASSED_ENV if name in env},
    }
    if ticket is not None:
        header["ticket"] = ticket
        header["ticket_dir"] = ticket_dir
    return header


def connect(path: str, timeout: float = 5.0) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        sock.settimeout(timeout)
        sock.connect(path)
        sock.settimeout(None)
    except OSError:
        sock.close()
        raise
    return sock


def send_request(sock: socket.socket, header: Mapping[str, Any], fds: Sequence[int]) -> None:
    socket.send_fds(sock, [encode(header)], list(fds))


def read_message(sock: socket.socket) -> dict[str, Any] | None:
    """The next message, or None when the server closed the connection."""
    data = sock.recv(MAX_MESSAGE)
    if not data:
        return None
    return decode(data)


# --- the client -----------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    from tui_journal.i18n import t  # the catalogue only: plain dicts

    parser = argparse.ArgumentParser(prog="tui-journal attach", description=t("cli.help.attach"))
    parser.add_argument("--socket", metavar="PATH", help=t("cli.opt.warm_socket"))
    parser.add_argument("--db", metavar="URL", help=t("cli.opt.db"))
    parser.add_argument("--config", metavar="FILE", help=t("cli.opt.config"))
    return parser


def _fallback(args: argparse.Namespace) -> int:
    """No warm server: become the session process ourselves (the old, slower way)."""
    argv = [sys.executable, "-m", "tui_journal.ssh"]
    if args.config:
        argv += ["--config", args.config]
    if args.db:
        argv += ["--db", args.db]
    try:
        os.execv(sys.executable, argv)
    except OSError as exc:
        print(f"tui-journal: {exc}", file=sys.stderr)
    return EXIT_NO_SERVER


def _give_up_terminal() -> bool:
    """Stop being the controlling process of the pty so that the session process can take
    it (only a session leader's terminal can be taken over). True when given up."""
    if os.getsid(0) != os.getpid():
        return False
    try:
        fcntl.ioctl(0, termios.TIOCNOTTY)  # sends us SIGHUP+SIGCONT: SIGHUP is ignored
    except OSError:
        return False
    return True


def _take_terminal_back() -> None:
    with contextlib.suppress(OSError):
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def main(argv: Sequence[str] | None = None) -> int:
    for sig in (signal.SIGINT, signal.SIGQUIT, signal.SIGTSTP):
        signal.signal(sig, signal.SIG_IGN)
    args = _parser().parse_args(argv)
    if not (os.isatty(0) and os.isatty(1)):
        return _fallback(args)  # it says that a terminal is needed
    path = args.socket or os.environ.get(SOCKET_ENV) or DEFAULT_SOCKET
    try:
        sock = connect(path)
    except OSError:
        return _fallback(args)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    gave_up = _give_up_terminal()
    try:
        send_request(sock, request(os.environ, size=winsize(0)), [0, 1, 2])
        started = read_message(sock)
    except (OSError, ValueError):
        started = None
    if started is None or "pid" not in started:
        sock.close()
        if gave_up:
            _take_terminal_back()
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
        return _fallback(args)
    pid = int(started["pid"])

    def pass_winch(signum: int, frame: object) -> None:
        # The kernel signals the pty's foreground group; when the session process could
        # not make the pty its own terminal, that group is ours: pass the signal on.
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGWINCH)

    signal.signal(signal.SIGWINCH, pass_winch)
    # From now on a hang-up (when the session process could not take the terminal, the
    # kernel's SIGHUP comes to us) ends this client, and so the session: the warm server
    # hangs up a session whose client has gone.
    signal.signal(signal.SIGHUP, lambda signum, frame: sys.exit(128 + signum))
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        while True:
            message = read_message(sock)
            if message is None:
                break
            if "exit" in message:
                return exit_code(message)
    except (OSError, ValueError):
        pass
    finally:
        sock.close()
    # The warm server went away (restarted, killed): the session itself still runs on our
    # terminal. Leaving now would end the SSH session under it: wait for it instead.
    wait_gone(pid)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
