"""``tui-journal serve web``: the journal in a browser (textual-serve; docs/web.md).

Adds ``web`` to the ``serve`` group (creating it unless ``cli.ssh`` made it first).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from tui_journal.cli.base import CliError, Context, positive
from tui_journal.cli.ssh import add_server_command, add_throttle_options, throttle_policy
from tui_journal.i18n import t


def register(sub: argparse._SubParsersAction) -> None:
    p = add_server_command(sub, "web", cmd_serve_web, port=8080)
    p.add_argument("--public-url", metavar="URL", help=t("cli.opt.web_public_url"))
    p.add_argument("--max-sessions", type=positive, default=100, metavar="N", help=t("cli.opt.web_max_sessions"))
    p.add_argument("--tls-cert", metavar="FILE", help=t("cli.opt.web_tls_cert"))
    p.add_argument("--tls-key", metavar="FILE", help=t("cli.opt.web_tls_key"))
    p.add_argument("--trust-proxy", action="store_true", help=t("cli.opt.web_trust_proxy"))
    add_throttle_options(p)


def cmd_serve_web(ctx: Context, args: argparse.Namespace) -> int:
    try:
        import textual_serve  # noqa: F401
    except ImportError:
        raise CliError(t("cli.web_need_package")) from None
    from tui_journal.db.database import sqlite_url
    from tui_journal.services import auth
    from tui_journal.web.server import JournalWebServer, WebConfig

    if bool(args.tls_cert) != bool(args.tls_key):
        raise CliError(t("cli.web_tls_pair"), 2)
    ctx.open(check_schema=True)  # a missing or old database is refused here, with its message
    path = ctx.sqlite_file()
    policy = throttle_policy(args, window=max(60.0, args.block_minutes * 60.0))
    config = WebConfig(
        # The sessions may run elsewhere: a relative SQLite path must not change meaning.
        db_url=sqlite_url(path) if path is not None else ctx.url,
        host=args.host,
        port=args.port,
        public_url=args.public_url,
        max_sessions=args.max_sessions,
        trust_proxy=args.trust_proxy,
        config_file=str(Path(args.config).resolve()) if getattr(args, "config", None) else None,
        throttle=policy,
        tls_cert=args.tls_cert,
        tls_key=args.tls_key,
    )

    def failures(address: str) -> int:
        return auth.address_failures(address, origin="web", window_seconds=policy.window)

    if args.public_url:  # the sessions print it on credential slips
        os.environ["TUI_JOURNAL_PUBLIC_URL"] = args.public_url
    server = JournalWebServer(config, failures=failures)
    try:
        server.ssl_context()
    except (OSError, ValueError) as exc:
        raise CliError(t("cli.web_tls_bad", error=exc)) from None
    try:
        server.serve()
    except OSError as exc:
        raise CliError(t("cli.web_listen_failed", host=args.host, port=args.port, error=exc.strerror or exc)) from None
    finally:
        ctx.close()
    print("", file=sys.stderr)
    return 0
