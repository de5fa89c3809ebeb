"""One browser session: ``python -m tui_journal.web --db URL --address IP``.

textual-serve starts this for each websocket, with ``TEXTUAL_DRIVER`` set to textual's web
driver (stdin/stdout carry textual's packet protocol, not a terminal). The session is the
app's own login screen (origin ``web``, the client's address in the login log), throttled
per address from the login log; the mouse is on (clicks and taps); idle sessions end after
``Settings.idle_minutes`` as over SSH. A tab closed while logged in records ``lost``.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
import threading
import time
from collections.abc import Sequence

from tui_journal.config import Settings
from tui_journal.i18n import t
from tui_journal.ssh.session import EXIT_DB, LOST_REASON, load, open_session_database, skip_postgres_driver
from tui_journal.ssh.throttle import ThrottlePolicy

ORIGIN = "web"
#: What a browser terminal (xterm.js) is: 256 colours and more.
WEB_ENVIRON = {"TERM": "xterm-256color", "COLORTERM": "truecolor"}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tui_journal.web")
    parser.add_argument("--db", metavar="URL")
    parser.add_argument("--config", metavar="FILE")
    parser.add_argument("--address", default="", metavar="IP")
    parser.add_argument("--slow-after", type=int, default=3)
    parser.add_argument("--block-after", type=int, default=10)
    parser.add_argument("--block-minutes", type=float, default=15.0)
    return parser


def clean_address(text: str) -> str:
    """The client address as an IP, or "" (it is passed on a command line and logged)."""
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return ""


WEB_DRIVER = "textual.drivers.web_driver:WebDriver"
JOURNAL_DRIVER = "tui_journal.web.driver:JournalWebDriver"


def main(argv: Sequence[str] | None = None) -> int:
    if os.environ.get("TEXTUAL_DRIVER") == WEB_DRIVER:  # textual reads it when first imported
        os.environ["TEXTUAL_DRIVER"] = JOURNAL_DRIVER
    args = _parser().parse_args(argv)
    try:
        settings = load(args)
    except (OSError, ValueError, TypeError) as exc:
        print(t("cli.config_bad", path=args.config or "", error=exc), file=sys.stderr)
        return EXIT_DB
    skip_postgres_driver(settings.db_url)
    policy = ThrottlePolicy(
        slow_after=max(1, args.slow_after),
        block_after=max(1, args.block_after),
        block_seconds=max(0.0, args.block_minutes) * 60.0,
        window=max(60.0, args.block_minutes * 60.0),
    )
    return run_session(settings, address=clean_address(args.address), throttle=policy)


def _end_with_the_server(app: object, every: float = 2.0) -> None:
    """Leave no orphan: textual's web driver keeps the app running when its input ends, so
    when the server process goes away (this process is re-parented), the session ends too."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(every)
            if os.getppid() != parent:
                try:
                    app.call_from_thread(app.exit)  # type: ignore[attr-defined]
                except Exception:
                    pass
                time.sleep(5.0)
                os._exit(1)

    threading.Thread(target=watch, name="server-watch", daemon=True).start()


def run_session(settings: Settings, *, address: str, throttle: ThrottlePolicy) -> int:
    from tui_journal.app import JournalApp
    from tui_journal.services import auth

    db = open_session_database(settings)  # also starts the program log
    if db is None:
        return EXIT_DB
    try:
        app = JournalApp(settings, origin=ORIGIN, address=address, environ=WEB_ENVIRON)
        app.login_throttle = throttle
        _end_with_the_server(app)
        app.run(mouse=True)
        if app.actor is not None and not app._session_ended:  # the tab was closed
            try:
                auth.record_logout(app.actor, LOST_REASON)
            except Exception:
                pass
        code = app.return_code
        return 0 if code is None else code
    finally:
        db.close()
