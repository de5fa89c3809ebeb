"""One SSH session of the journal: ``python -m tui_journal.ssh``.

Used two ways:

- as OpenSSH's ``ForceCommand`` for the shared system account (see ``tui-journal
  ssh-config``): the journal's own login screen, the client's address taken from
  ``SSH_CONNECTION``;
- as the child the built-in server (``tui-journal serve ssh``) starts for each session,
  with ``--ticket-fd``/``--ticket-dir``: already logged in as the user the server
  authenticated (see :mod:`tui_journal.ssh.tickets` for why this cannot be abused).

Whatever happens, the session never leaves the user at a shell prompt: it runs nothing but
the app, Ctrl+C, Ctrl+Z and Ctrl+\\ send no signals (even in the half second before the app
takes over the terminal), a crash ends the process and so the SSH session, and a lost
connection (SIGHUP) records the end of the session and exits at once.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import termios
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from tui_journal.config import Settings, load_settings
from tui_journal.i18n import t
from tui_journal.logs import setup_logging

if TYPE_CHECKING:
    from peewee import Database

    from tui_journal.services.actor import Actor

LOST_REASON = "lost"  # the login record's outcome when the connection drops
EXIT_NO_TTY = 1
EXIT_REFUSED = 1
EXIT_DB = 2


def harden_terminal(fd: int = 0) -> None:
    """No signals from the keyboard, from this moment on, and none from the environment.

    Ignoring SIGINT/SIGQUIT/SIGTSTP covers the start-up; turning off ``ISIG`` on the pty
    makes Ctrl+C/Ctrl+Z/Ctrl+\\ plain keys for the app (textual keeps ISIG off too, unless
    ``TEXTUAL_ALLOW_SIGNALS`` is set — so that variable is dropped).
    """
    for name in list(os.environ):
        if name.startswith("TEXTUAL"):
            del os.environ[name]
    for sig in (signal.SIGINT, signal.SIGQUIT, signal.SIGTSTP):
        signal.signal(sig, signal.SIG_IGN)
    try:
        attrs = termios.tcgetattr(fd)
        attrs[3] &= ~termios.ISIG
        termios.tcsetattr(fd, termios.TCSANOW, attrs)
    except (termios.error, OSError):
        pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tui_journal.ssh", add_help=True)
    parser.add_argument("--db", metavar="URL")
    parser.add_argument("--config", metavar="FILE")
    parser.add_argument("--ticket-fd", type=int, metavar="N", help=argparse.SUPPRESS)
    parser.add_argument("--ticket-dir", metavar="DIR", help=argparse.SUPPRESS)
    return parser


def load(args: argparse.Namespace) -> Settings:
    path = Path(args.config) if args.config else None
    if path is not None and not path.is_file():
        raise SystemExit(t("cli.config_missing", path=path))
    return load_settings(path).with_overrides(db_url=args.db)


def main(argv: Sequence[str] | None = None) -> int:
    harden_terminal()
    args = _parser().parse_args(argv)
    if not (os.isatty(0) and os.isatty(1)):
        print(t("ssh.need_tty"), file=sys.stderr)
        return EXIT_NO_TTY
    try:
        settings = load(args)
    except (OSError, ValueError, TypeError) as exc:
        print(t("cli.config_bad", path=args.config or "", error=exc), file=sys.stderr)
        return EXIT_DB
    ticket = None
    if args.ticket_fd is not None:
        from tui_journal.ssh.tickets import TicketError, read_name, redeem

        try:
            if not args.ticket_dir:
                raise TicketError("нет папки билетов")
            ticket = redeem(Path(args.ticket_dir), read_name(args.ticket_fd))
        except TicketError as exc:
            print(t("ssh.ticket_bad", error=exc), file=sys.stderr)
            return EXIT_REFUSED
    skip_postgres_driver(settings.db_url)
    return run_session(
        settings,
        login=ticket.login if ticket else None,
        address=ticket.address if ticket else None,
    )


def skip_postgres_driver(db_url: str) -> None:
    """On SQLite, keep peewee from loading psycopg2 (it tries at import): about 5 MB less
    memory in every session. Must run before anything imports peewee."""
    if db_url.lower().startswith("sqlite:") and "peewee" not in sys.modules:
        for name in ("psycopg2", "psycopg2cffi", "psycopg"):
            sys.modules.setdefault(name, None)  # type: ignore[arg-type]


def open_session_database(settings: Settings) -> Database | None:
    """Start the program log (a bug in the session leaves its traceback) and open the
    session's database; None after saying why on stderr (the caller exits with EXIT_DB).
    Shared by the SSH and the browser sessions."""
    from tui_journal.db.database import SchemaOutdated, open_database

    setup_logging(settings.log_dir, settings.log_level)
    try:
        return open_database(settings.db_url)
    except SchemaOutdated as exc:
        print(str(exc) or t("db.outdated"), file=sys.stderr)
    except Exception as exc:  # a bad URL, no file permission, PostgreSQL down
        print(t("db.open_failed", error=exc), file=sys.stderr)
    return None


def run_session(
    settings: Settings,
    *,
    login: str | None = None,
    address: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    """Open the database and run the app for one SSH session; returns the exit status.

    ``login``: the user the built-in server authenticated (the app starts logged in; with a
    one-time password still to replace, on the change-password screen). Without it the
    app shows its login screen. ``address`` defaults to the client's, from
    ``SSH_CONNECTION``.
    """
    from tui_journal.app import JournalApp, ssh_client_address
    from tui_journal.services import auth
    from tui_journal.services.accounts import find_user

    env = os.environ if environ is None else environ
    address = address if address is not None else ssh_client_address(env)
    db = open_session_database(settings)
    if db is None:
        return EXIT_DB
    try:
        actor: Actor | None = None
        must_change = False
        if login is not None:
            user = find_user(login)
            if user is None or user.state != "active":
                print(t("ssh.account_inactive", login=login), file=sys.stderr)
                return EXIT_REFUSED
            actor = auth.actor_for(user, origin="ssh", address=address)
            must_change = bool(user.must_change_password)

        app = JournalApp(
            settings, actor=actor, origin="ssh", address=address, environ=env, must_change=must_change
        )
        _on_hangup_end(app)
        app.run(mouse=settings.mouse)
        code = app.return_code
        return 0 if code is None else code
    finally:
        db.close()


def _on_hangup_end(app: object) -> None:
    """SIGHUP (the connection dropped) or SIGTERM: record the session's end, exit at once.

    Nothing is drawn any more (the terminal is gone); the record is written from a thread
    of its own, with a few seconds' limit, so a stuck database cannot keep the process.
    """

    def record(actor: Actor) -> None:
        from tui_journal.services import auth

        try:
            auth.record_logout(actor, LOST_REASON)
        except Exception:
            pass

    def handler(signum: int, frame: FrameType | None) -> None:
        actor = getattr(app, "actor", None)
        if actor is not None and not getattr(app, "_session_ended", False):
            worker = threading.Thread(target=record, args=(actor,), daemon=True)
            worker.start()
            worker.join(3.0)
        os._exit(128 + signum)

    signal.signal(signal.SIGHUP, handler)
    signal.signal(signal.SIGTERM, handler)
