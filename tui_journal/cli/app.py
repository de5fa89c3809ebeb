"""``run`` (the default), ``demo`` and ``demo-logins``.

The application and the demo-data builder are imported inside the commands: the rest of the
CLI works without them, and the console stays quick to start.
"""

from __future__ import annotations

import argparse
from types import ModuleType
from typing import Any

from tui_journal.cli.base import CliError, Context, add_command, run_hint, tr
from tui_journal.cli.output import print_table
from tui_journal.db.backup import is_postgres_url
from tui_journal.i18n import t

DEMO_SIZES = ("tiny", "school", "district")


# --- run --------------------------------------------------------------------------------------


def register_run(sub: argparse._SubParsersAction) -> None:
    add_command(sub, "run", "cli.help.run", cmd_run)


def cmd_run(ctx: Context, args: argparse.Namespace) -> int:
    # Refuse a missing or old database here, on the console, before the screen is taken over.
    ctx.open(check_schema=True)
    ctx.close()
    try:
        from tui_journal.app import run_app
    except ImportError as exc:
        if exc.name == "tui_journal.app":
            raise CliError(t("cli.no_app")) from None
        raise
    return int(run_app(ctx.settings) or 0)


# --- demo -------------------------------------------------------------------------------------


def register_demo(sub: argparse._SubParsersAction) -> None:
    p = add_command(sub, "demo", "cli.help.demo", cmd_demo)
    p.add_argument("--size", choices=DEMO_SIZES, default="school", help=t("cli.opt.demo_size"))
    p.add_argument("--seed", type=int, default=1, metavar="N", help=t("cli.opt.seed"))
    p.add_argument("--force", action="store_true", help=t("cli.opt.demo_force"))
    p = add_command(sub, "demo-logins", "cli.help.demo_logins", cmd_demo_logins)
    p.add_argument("--seed", type=int, default=1, metavar="N", help=t("cli.opt.seed"))


def _demo_module() -> ModuleType:
    try:
        from tui_journal.db import demo
    except ImportError as exc:
        if exc.name == "tui_journal.db.demo":
            raise CliError(t("cli.no_demo")) from None
        raise
    return demo


def _demo_signing_keys(url: str, key_dir: str | None) -> None:
    """Every demo school gets its signing key (a key file beside the database, the public key
    in it), so the director can certify exports (R-DIR-1)."""
    from tui_journal.db.database import open_database
    from tui_journal.services import school, signing
    from tui_journal.services.tx import write_tx

    db = open_database(url)
    try:
        with write_tx():
            for info in school.list_schools():
                signing.create_key(info.id, "демо-генератор", key_dir=key_dir)
    finally:
        db.close()


#: The demo logins' table fits an 80-column terminal (``make demo`` prints it).
LOGINS_WIDTH = 80


def _print_logins(logins: list[Any]) -> None:
    """Role, login, password and who it is (the note, else the name), cut to 80 columns."""
    headers = [t("cli.col.role"), t("users.login"), t("login.password"), t("cli.col.demo_who")]
    rows = [
        [tr(f"role.short.{x.role}", x.role), x.login, x.password, getattr(x, "note", "") or x.name]
        for x in logins
    ]
    fixed = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(3)]
    room = max(10, LOGINS_WIDTH - sum(fixed) - 2 * 3)
    print_table(headers, rows, max_cell=room)


def _has_school(ctx: Context) -> bool:
    path = ctx.sqlite_file()
    if path is not None and not path.is_file():
        return False
    db = ctx.open(check_schema=False)
    if not db.table_exists("school"):
        return False
    row = db.execute_sql("SELECT COUNT(*) FROM school").fetchone()
    return bool(row and row[0])


def cmd_demo(ctx: Context, args: argparse.Namespace) -> int:
    demo = _demo_module()
    if _has_school(ctx):
        if not args.force:
            print(t("cli.demo_exists", url=ctx.shown_url))
            _print_logins(demo.demo_logins(args.seed))
            print(run_hint(ctx))
            return 0
        if is_postgres_url(ctx.url):
            raise CliError(t("cli.demo_force_pg"))
        path = ctx.sqlite_file()
        ctx.close()
        if path is not None:
            for extra in ("", "-wal", "-shm"):
                path.with_name(path.name + extra).unlink(missing_ok=True)
            for old_key in path.parent.glob("school-*-*.key"):  # the old demo's key files
                old_key.unlink(missing_ok=True)
            print(t("cli.demo_deleted", path=path))
    ctx.close()
    print(t("cli.demo_building", size=args.size))
    result = demo.build_demo(ctx.url, size=args.size, seed=args.seed)
    _demo_signing_keys(ctx.url, ctx.settings.signing_key_dir or None)
    print(t("cli.demo_done", url=ctx.shown_url, schools=result.schools))
    counts = getattr(result, "counts", None) or {}
    # The main tables only, by their Russian names (the rest is detail).
    shown = [f"{t(f'cli.count.{k}')}: {v}" for k, v in counts.items() if t(f"cli.count.{k}") != f"cli.count.{k}"]
    if shown:
        print(", ".join(shown))
    print()
    _print_logins(result.logins)
    print()
    print(run_hint(ctx))
    return 0


def cmd_demo_logins(ctx: Context, args: argparse.Namespace) -> int:
    demo = _demo_module()
    _print_logins(demo.demo_logins(args.seed))
    print()
    print(run_hint(ctx))
    return 0
