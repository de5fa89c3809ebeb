"""``tui-journal ssh-config``, ``tui-journal serve ssh`` and ``tui-journal user key …``.

- ``ssh-config [--user ACCOUNT] [--python PATH | --command CMD]``: the ``sshd_config``
  block for OpenSSH (a shared account forced into the journal); ``--db``/``--config``
  given here are passed on to the forced command. Installation: ``docs/ssh.md``.
- ``serve ssh [--host 0.0.0.0] [--port 2222] [--state-dir DIR] …``: the built-in server
  (with its own warm session server, or ``--warm-socket PATH`` of a running one).
- ``serve warm --socket PATH``: the warm session server (:mod:`tui_journal.ssh.warm`).
- ``attach [--socket PATH]``: OpenSSH's forced command (:mod:`tui_journal.ssh.attach`);
  ``tui_journal.cli.main`` runs it before loading the rest of the CLI.
- ``user key add LOGIN FILE|-``, ``user key list LOGIN``, ``user key remove LOGIN N|SHA256:…``:
  public keys for the built-in server (the console acts as the school's admin).

:func:`register` must run after ``users.register`` (it adds ``key`` to the ``user``
group); it adds ``ssh`` to a ``serve`` group, creating the group unless another module
made it first.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tui_journal.cli.base import CliError, Context, Handler, add_command, add_format, add_group, positive
from tui_journal.cli.output import emit, print_card, render_table
from tui_journal.i18n import t

if TYPE_CHECKING:
    from tui_journal.ssh.throttle import ThrottlePolicy


def _subcommands(parser: argparse.ArgumentParser) -> argparse._SubParsersAction | None:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return None


def serve_subgroup(sub: argparse._SubParsersAction, name: str, help_key: str) -> argparse._SubParsersAction:
    """The sub-commands of group ``name``: the existing group's, or a new group's."""
    existing = sub.choices.get(name)
    if existing is not None:
        group = _subcommands(existing)
        if group is None:
            raise RuntimeError(f"the command «{name}» exists and is not a group")
        return group
    return add_group(add_command(sub, name, help_key))


def add_server_command(
    sub: argparse._SubParsersAction, name: str, func: Handler, *, port: int
) -> argparse.ArgumentParser:
    """``serve NAME`` (``ssh``, ``web``): a network server's command with its ``--host`` (every
    address by default) and ``--port``; its texts are ``cli.help.serve_NAME``,
    ``cli.epilog.serve_NAME``, ``cli.opt.NAME_host`` and ``cli.opt.NAME_port``."""
    serve = serve_subgroup(sub, "serve", "cli.help.serve")
    p = add_command(serve, name, f"cli.help.serve_{name}", func, epilog=t(f"cli.epilog.serve_{name}"))
    p.add_argument("--host", default="0.0.0.0", help=t(f"cli.opt.{name}_host"))
    p.add_argument("--port", type=port_number, default=port, help=t(f"cli.opt.{name}_port"))
    return p


def add_throttle_options(p: argparse.ArgumentParser) -> None:
    """``--slow-after``, ``--block-after``, ``--block-minutes``: the address throttle of a
    server that checks passwords (``serve ssh``, ``serve web``)."""
    p.add_argument("--slow-after", type=positive, default=3, metavar="N", help=t("cli.opt.ssh_slow_after"))
    p.add_argument("--block-after", type=positive, default=10, metavar="N", help=t("cli.opt.ssh_block_after"))
    p.add_argument("--block-minutes", type=float, default=15.0, metavar="MIN", help=t("cli.opt.ssh_block_minutes"))


def throttle_policy(args: argparse.Namespace, **extra: float) -> ThrottlePolicy:
    """The throttle the options of :func:`add_throttle_options` ask for (``extra``: further
    fields of the policy)."""
    from tui_journal.ssh.throttle import ThrottlePolicy

    return ThrottlePolicy(
        slow_after=args.slow_after,
        block_after=args.block_after,
        block_seconds=max(0.0, args.block_minutes) * 60.0,
        **extra,
    )


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(sub, "ssh-config", "cli.help.ssh_config", cmd_ssh_config, epilog=t("cli.epilog.ssh_config"))
    p.add_argument("--user", default="journal", metavar="ACCOUNT", help=t("cli.opt.ssh_account"))
    how = p.add_mutually_exclusive_group()
    how.add_argument("--python", metavar="PATH", help=t("cli.opt.ssh_python"))
    how.add_argument("--command", metavar="CMD", help=t("cli.opt.ssh_command"))
    p.add_argument("--socket", metavar="PATH", help=t("cli.opt.ssh_config_socket"))
    p.add_argument("--direct", action="store_true", help=t("cli.opt.ssh_direct"))

    p = add_command(sub, "attach", "cli.help.attach", cmd_attach)
    p.add_argument("--socket", metavar="PATH", help=t("cli.opt.warm_socket"))

    p = add_server_command(sub, "ssh", cmd_serve_ssh, port=2222)
    p.add_argument("--state-dir", metavar="DIR", help=t("cli.opt.ssh_state_dir"))
    p.add_argument("--max-sessions", type=positive, default=100, metavar="N", help=t("cli.opt.ssh_max_sessions"))
    add_throttle_options(p)
    p.add_argument("--login-timeout", type=float, default=60.0, metavar="SEC", help=t("cli.opt.ssh_login_timeout"))
    warm = p.add_mutually_exclusive_group()
    warm.add_argument("--warm-socket", metavar="PATH", help=t("cli.opt.ssh_warm_socket"))
    warm.add_argument("--no-warm", action="store_true", help=t("cli.opt.ssh_no_warm"))

    serve = serve_subgroup(sub, "serve", "cli.help.serve")
    p = add_command(serve, "warm", "cli.help.serve_warm", cmd_serve_warm, epilog=t("cli.epilog.serve_warm"))
    p.add_argument("--socket", required=True, metavar="PATH", help=t("cli.opt.warm_socket"))

    if "user" not in sub.choices:
        raise RuntimeError("ssh.register must run after users.register (it adds «user key»)")
    users = serve_subgroup(sub, "user", "cli.help.user")
    key = add_command(users, "key", "cli.help.user_key")
    keys = add_group(key)
    p = add_command(keys, "add", "cli.help.user_key_add", cmd_key_add)
    p.add_argument("login", metavar="LOGIN", help=t("cli.arg.login"))
    p.add_argument("file", metavar="FILE", help=t("cli.arg.key_file"))
    p.add_argument("--comment", default="", help=t("cli.opt.key_comment"))
    p = add_command(keys, "list", "cli.help.user_key_list", cmd_key_list)
    p.add_argument("login", metavar="LOGIN", help=t("cli.arg.login"))
    add_format(p)
    p = add_command(keys, "remove", "cli.help.user_key_remove", cmd_key_remove)
    p.add_argument("login", metavar="LOGIN", help=t("cli.arg.login"))
    p.add_argument("key", metavar="N|SHA256:…", help=t("cli.arg.key_ref"))


def port_number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(t("cli.bad_number", value=text)) from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(t("cli.bad_number", value=text))
    return value


# --- ssh-config ---------------------------------------------------------------------------------


def cmd_ssh_config(ctx: Context, args: argparse.Namespace) -> int:
    from tui_journal.ssh import openssh

    config = getattr(args, "config", None)
    if args.command:
        command = args.command
    else:
        python = args.python or sys.executable
        config_path = str(Path(config).resolve()) if config else None
        if args.direct:
            command = openssh.session_command(python, config=config_path, db=getattr(args, "db", None))
        else:
            command = openssh.attach_command(
                python, socket=args.socket or DEFAULT_SOCKET, config=config_path, db=getattr(args, "db", None)
            )
        closed = openssh.closed_folders(python)
        if closed:
            print(t("cli.ssh_closed_folders", python=python, folders=", ".join(map(str, closed))), file=sys.stderr)
    try:
        print(openssh.sshd_block(args.user, command), end="")
    except ValueError as exc:
        raise CliError(str(exc), 2) from None
    return 0


# --- attach, serve warm ---------------------------------------------------------------------------

DEFAULT_SOCKET = "/run/tui-journal/warm.sock"  # tui_journal.ssh.attach.DEFAULT_SOCKET


def cmd_attach(ctx: Context, args: argparse.Namespace) -> int:
    """Reached only when options come before ``attach`` (``tui-journal --db URL attach``)."""
    from tui_journal.ssh import attach

    argv: list[str] = []
    if args.socket:
        argv += ["--socket", args.socket]
    if getattr(args, "config", None):
        argv += ["--config", str(args.config)]
    if getattr(args, "db", None):
        argv += ["--db", str(args.db)]
    return attach.main(argv)


def cmd_serve_warm(ctx: Context, args: argparse.Namespace) -> int:
    import logging

    from tui_journal.db.database import sqlite_url
    from tui_journal.ssh import warm

    ctx.open(check_schema=True)  # a missing or old database is refused here, with its message
    ctx.close()
    path = ctx.sqlite_file()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s warm %(message)s", stream=sys.stderr)
    options = warm.Options(
        socket_path=Path(args.socket).absolute(),
        db=sqlite_url(path) if path is not None else ctx.url,
        config=str(Path(args.config).resolve()) if getattr(args, "config", None) else None,
    )

    def ready(socket_path: Path) -> None:
        print(t("cli.warm_listening", path=socket_path), flush=True)

    try:
        return warm.run(options, ready=ready)
    except OSError as exc:
        raise CliError(t("cli.warm_failed", path=args.socket, error=exc.strerror or exc)) from None


# --- serve ssh ---------------------------------------------------------------------------------


def cmd_serve_ssh(ctx: Context, args: argparse.Namespace) -> int:
    import asyncio
    import logging

    from platformdirs import user_data_dir

    from tui_journal.config import APP_NAME
    from tui_journal.db.database import sqlite_url
    from tui_journal.ssh.server import ServerConfig, serve

    ctx.open(check_schema=True)  # a missing or old database is refused here, with its message
    ctx.close()
    state_dir = Path(args.state_dir) if args.state_dir else Path(user_data_dir(APP_NAME)) / "ssh-server"
    child_args: list[str] = []
    if getattr(args, "config", None):
        child_args += ["--config", str(Path(args.config).resolve())]
    path = ctx.sqlite_file()
    # The sessions run in "/": a relative SQLite path must not change meaning.
    child_args += ["--db", sqlite_url(path) if path is not None else ctx.url]
    config = ServerConfig(
        settings=ctx.settings,
        state_dir=state_dir.resolve(),
        host=args.host,
        port=args.port,
        throttle=throttle_policy(args),
        max_sessions=args.max_sessions,
        child_args=tuple(child_args),
        login_timeout=max(1.0, args.login_timeout),
        warm_socket=Path(args.warm_socket).absolute() if args.warm_socket else None,
        start_warm=not args.no_warm,
    )
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    logging.getLogger("asyncssh").setLevel(logging.WARNING)

    def ready(host: str, port: int, fingerprint: str) -> None:
        print(t("cli.ssh_listening", host=host, port=port, fingerprint=fingerprint), flush=True)
        print(t("cli.ssh_state_dir", path=config.state_dir), flush=True)

    try:
        asyncio.run(serve(config, ready=ready))
    except OSError as exc:
        raise CliError(t("cli.ssh_listen_failed", host=args.host, port=args.port, error=exc.strerror or exc)) from None
    return 0


# --- user key -----------------------------------------------------------------------------------


def _read_key(source: str) -> str:
    if source == "-":
        text = sys.stdin.read()
    else:
        path = Path(source)
        if not path.is_file():
            raise CliError(t("cli.key_file_missing", path=path))
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise CliError(t("cli.key_file_missing", path=f"{path}: {exc.strerror}")) from None
    if "BEGIN SSH2 PUBLIC KEY" not in text and "PRIVATE KEY" not in text and "PuTTY-User-Key" not in text:
        lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
        if len(lines) > 1:
            raise CliError(t("cli.key_one_at_a_time", n=len(lines)))
        text = lines[0] if lines else ""
    return text


def cmd_key_add(ctx: Context, args: argparse.Namespace) -> int:
    from tui_journal.services import ssh_keys

    text = _read_key(args.file)
    info = ssh_keys.add_key(ctx.actor(), args.login, text, args.comment)
    print(t("cli.key_added", login=info.login, n=info.id, fingerprint=info.fingerprint, algorithm=info.algorithm))
    return 0


def cmd_key_list(ctx: Context, args: argparse.Namespace) -> int:
    from tui_journal.services import ssh_keys

    keys = ssh_keys.list_keys(ctx.actor(), args.login)
    if not keys and args.format == "table":
        print(t("cli.keys_none", login=args.login))
        return 0
    headers = ["№", t("cli.col.key_type"), t("cli.col.fingerprint"), t("cli.col.note"), t("cli.col.added")]
    rows = [
        [k.id, k.algorithm, k.fingerprint, k.comment, k.created_at.strftime("%d.%m.%Y %H:%M")] for k in keys
    ]
    if args.format == "csv":
        emit("csv", headers, rows)
    else:
        print(render_table(headers, rows, max_cell=64))
    return 0


def cmd_key_remove(ctx: Context, args: argparse.Namespace) -> int:
    from tui_journal.services import ssh_keys

    info = ssh_keys.remove_key(ctx.actor(), args.login, args.key)
    print_card([(t("cli.key_removed", login=info.login), f"{info.fingerprint} {info.comment}".strip())])
    return 0
