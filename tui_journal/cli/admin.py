"""``init``, ``audit``, ``db upgrade|status``, ``backup`` and ``restore``."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

from tui_journal.cli.base import (
    CliError,
    Context,
    add_command,
    add_format,
    add_group,
    add_password_stdin,
    ask,
    confirm,
    has_journal_tables,
    non_negative,
    read_new_password,
    run_hint,
    tr,
)
from tui_journal.cli.base import date_arg as _date
from tui_journal.cli.output import emit, print_card
from tui_journal.db import backup as backups
from tui_journal.db.database import schema_state, upgrade
from tui_journal.i18n import t
from tui_journal.services import audit
from tui_journal.services.accounts import LOGIN_RE, split_full_name
from tui_journal.services.actor import Actor
from tui_journal.services.errors import InvalidInput
from tui_journal.services.school import create_school_with_admin, list_schools
from tui_journal.services.tx import write_tx

# --- init -------------------------------------------------------------------------------------


def register_init(sub: argparse._SubParsersAction) -> None:
    p = add_command(sub, "init", "cli.help.init", cmd_init, epilog=t("cli.epilog.init"))
    p.add_argument("--school-name", metavar="NAME", help=t("cli.opt.school_name"))
    p.add_argument("--short-name", metavar="NAME", default="", help=t("cli.opt.short_name"))
    p.add_argument("--admin-login", metavar="LOGIN", default="admin", help=t("cli.opt.admin_login"))
    p.add_argument("--admin-name", metavar="ФИО", help=t("cli.opt.admin_name"))
    add_password_stdin(p)


def _school_names(ctx: Context) -> list[str]:
    """Schools already in the database, read without assuming the schema is current."""
    path = ctx.sqlite_file()
    if path is not None and not path.is_file():
        return []  # a new file: created only once the questions are answered
    db = ctx.open(check_schema=False)
    if not db.table_exists("school"):
        return []
    return [row[0] for row in db.execute_sql("SELECT name FROM school ORDER BY id")]


def cmd_init(ctx: Context, args: argparse.Namespace) -> int:
    existing = _school_names(ctx)
    if existing:
        raise CliError(t("cli.init_has_school", schools=", ".join(f"«{s}»" for s in existing), url=ctx.shown_url))
    school_name = (args.school_name or "").strip() or ask(t("cli.ask.school_name"), "--school-name")
    admin_name = split_full_name(args.admin_name or ask(t("cli.ask.admin_name"), "--admin-name"))
    login = args.admin_login.strip()
    if not LOGIN_RE.match(login):
        raise InvalidInput(t("err.login_bad", login=login))
    password = read_new_password(args, login=login)
    db = ctx.open(check_schema=False, create=True)
    applied = upgrade(db)
    school, admin = create_school_with_admin(
        school_name, login, admin_name, password, short_name=args.short_name, origin="cli"
    )
    print(t("cli.init_done", url=ctx.shown_url))
    if applied:
        print(t("cli.migrations_applied", names=", ".join(applied)))
    print(t("cli.init_school", name=school.name, id=school.id))
    print(t("cli.init_admin", login=admin.login, name=admin.full_name))
    print(run_hint(ctx))
    return 0


# --- audit ------------------------------------------------------------------------------------


def register_audit(sub: argparse._SubParsersAction) -> None:
    p = add_command(sub, "audit", "cli.help.audit", cmd_audit)
    p.add_argument("--since", type=_date, metavar="DATE", help=t("cli.opt.since"))
    p.add_argument("--user", metavar="LOGIN", help=t("cli.opt.audit_user"))
    p.add_argument("--entity", metavar="ENTITY", help=t("cli.opt.entity"))
    p.add_argument("--limit", type=non_negative, default=100, metavar="N", help=t("cli.opt.limit"))
    add_format(p)


def cmd_audit(ctx: Context, args: argparse.Namespace) -> int:
    entries = audit.list_entries(
        ctx.actor(), since=args.since, login=args.user, entity=args.entity, limit=args.limit or None
    )
    headers = [
        t("audit.at"), t("audit.who"), t("audit.origin"), t("audit.action"),
        t("audit.entity"), t("audit.field"), t("audit.old"), t("audit.new"),
    ]
    time_format = "%Y-%m-%d %H:%M:%S" if args.format == "csv" else "%d.%m.%Y %H:%M:%S"
    rows = [
        [
            e.at.strftime(time_format),
            e.actor,
            f"{e.origin} {e.address}".strip(),
            tr(f"audit.action.{e.action}", e.action),
            f"{tr(f'audit.kind.{e.entity}', e.entity)} {e.entity_id}".strip(),
            e.field,
            e.old if e.old is not None else "",
            e.new if e.new is not None else "",
        ]
        for e in entries
    ]
    if args.format == "table" and not rows:
        print(t("cli.audit_empty"))
        return 0
    emit(args.format, headers, rows)
    return 0


# --- db ---------------------------------------------------------------------------------------


def register_db(sub: argparse._SubParsersAction) -> None:
    p = add_command(sub, "db", "cli.help.db")
    dsub = add_group(p)
    up = add_command(dsub, "upgrade", "cli.help.db_upgrade", cmd_db_upgrade)
    up.add_argument("--key-dir", metavar="DIR", help=t("cli.opt.key_dir"))
    add_command(dsub, "status", "cli.help.db_status", cmd_db_status)


def cmd_db_status(ctx: Context, args: argparse.Namespace) -> int:
    known = backups.known_migrations()
    print(t("cli.status_db", url=ctx.shown_url))
    path = ctx.sqlite_file()
    if path is not None and not path.is_file():
        print(t("cli.status_no_file", path=path))
        print(t("cli.status_pending", names=", ".join(known) or "—"))
        print(t("cli.status_empty"))
        return 1
    db = ctx.open(check_schema=False)
    state = schema_state(db)
    newer = [name for name in state.applied if name not in known]
    print(t("cli.status_applied", names=", ".join(state.applied) or "—"))
    print(t("cli.status_pending", names=", ".join(state.pending) or "—"))
    if newer:
        print(t("cli.status_newer", names=", ".join(newer)))
        return 1
    if state.is_empty and not has_journal_tables(db):
        print(t("cli.status_empty"))
        return 1
    if state.pending:
        print(t("cli.status_outdated"))
        return 1
    print(t("cli.status_current"))
    return 0


def cmd_db_upgrade(ctx: Context, args: argparse.Namespace) -> int:
    db = ctx.open(check_schema=False)
    state = schema_state(db)
    newer = [name for name in state.applied if name not in backups.known_migrations()]
    if newer:
        raise CliError(t("cli.status_newer", names=", ".join(newer)))
    if not state.pending:
        print(t("cli.upgrade_nothing"))
        _move_keys_out(ctx, args)
        return 0
    path = ctx.sqlite_file()
    safety = None
    if path is not None and has_journal_tables(db):
        # A copy to go back to if a migration goes wrong halfway.
        safety = backups.backup(ctx.url, backups.free_name(
            path.with_name(f"{path.name}.before-upgrade-{backups.timestamp()}")
        ))
        print(t("cli.upgrade_safety", path=safety))
    applied = upgrade(db)
    print(t("cli.migrations_applied", names=", ".join(applied)))
    if _move_keys_out(ctx, args) and safety is not None:
        _scrub_keys(safety)  # the keys are in their files now: not in the safety copy either
    if not _school_names(ctx):
        print(t("cli.upgrade_then_init"))
    return 0


def _move_keys_out(ctx: Context, args: argparse.Namespace) -> list[Path]:
    """No private key stays in the database: older versions kept the school's signing key
    there; it goes to its 0600 key file (``services.signing.move_keys_out``)."""
    if not has_journal_tables(ctx.open(check_schema=False)):
        return []
    from tui_journal.cli.sign import move_keys

    return move_keys(ctx, args)


def _scrub_keys(copy: Path) -> None:
    """Blank the private keys in a SQLite copy (its schema may still say NOT NULL: '')."""
    con = sqlite3.connect(copy, isolation_level=None)
    try:
        con.execute("PRAGMA secure_delete = 1")
        con.execute("UPDATE school_key SET private_pem = '' WHERE private_pem IS NOT NULL")
        con.execute("VACUUM")
    finally:
        con.close()


# --- backup / restore -------------------------------------------------------------------------


def register_backup(sub: argparse._SubParsersAction) -> None:
    p = add_command(sub, "backup", "cli.help.backup", cmd_backup, epilog=t("cli.epilog.backup"))
    p.add_argument("-o", "--output", metavar="FILE", help=t("cli.opt.output"))
    p = add_command(sub, "restore", "cli.help.restore", cmd_restore)
    p.add_argument("file", metavar="FILE", help=t("cli.arg.backup_file"))
    p.add_argument("--yes", action="store_true", help=t("cli.opt.yes"))


def _describe(info: backups.BackupInfo) -> None:
    print_card(
        [
            (t("cli.info.schools"), ", ".join(info.schools) or "—"),
            (t("cli.info.users"), info.users),
            (t("cli.info.migrations"), ", ".join(info.applied) or "—"),
        ]
    )


def _audit_everywhere(ctx: Context, action: str, entity_id: str, values: dict[str, str]) -> bool:
    """One audit row per value for every school of the database (a copy holds them all).

    Only on a current schema: the audit table of an older one may not match the models.
    """
    state = schema_state(ctx.open(check_schema=False))
    if state.is_empty or not state.is_current:
        return False
    with write_tx():
        for school in list_schools():
            actor = Actor.console(school.id, origin="cli")
            for field, value in values.items():
                audit.record(actor, action, "database", entity_id, field, None, value)
    return True


def cmd_backup(ctx: Context, args: argparse.Namespace) -> int:
    target = Path(args.output) if args.output else Path.cwd() / backups.default_backup_name(ctx.url)
    path = ctx.sqlite_file()
    if path is not None and not path.is_file():
        raise CliError(t("cli.db_missing", path=path))
    made = backups.backup(ctx.url, target)
    print(t("cli.backup_done", path=made))
    if not _audit_everywhere(ctx, "export", made.name, {"backup": str(made.resolve())}):
        print(t("cli.audit_skipped"), file=sys.stderr)
    _describe(backups.check_backup(made))  # read the copy back: it opens and holds the journal
    return 0


def cmd_restore(ctx: Context, args: argparse.Namespace) -> int:
    source = Path(args.file)
    info = backups.check_backup(source)
    print(t("cli.restore_from", path=source))
    _describe(info)
    if not args.yes and not confirm(t("cli.restore_confirm", url=ctx.shown_url)):
        raise CliError(t("cli.cancelled"))
    ctx.close()
    safety = backups.restore(ctx.url, source)
    print(t("cli.restore_done", url=ctx.shown_url))
    if safety is not None:
        print(t("cli.restore_safety", path=safety))
    values = {"restore": str(source.resolve())}
    if safety is not None:
        values["safety_copy"] = str(safety.resolve())
    if info.pending:
        print(t("cli.restore_needs_upgrade", names=", ".join(info.pending)))
    elif not _audit_everywhere(ctx, "restore", source.name, values):
        print(t("cli.audit_skipped"), file=sys.stderr)
    return 0

