"""``tui-journal doctor``: are the journal's files readable by their owner only?

Checked: the SQLite database and its -wal/-shm/-journal, the safety copies beside it
(``*.before-upgrade-*``, ``*.before-restore-*``), the school's private key files, the config
file, the exports folder, the pending queue and the program's log folder (with everything in
them). A file with group/other bits or another owner than the database's is listed with the
exact ``chmod``/``chown`` that fixes it; the exit code is 1 when anything is wrong. A private
signing key still kept in the database (a version before migration 0002) is reported too.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from platformdirs import user_data_dir

from tui_journal.cli.base import Context, add_command
from tui_journal.config import APP_NAME, config_path
from tui_journal.i18n import t
from tui_journal.private import Problem, check_paths, sqlite_files


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(sub, "doctor", "cli.help.doctor", cmd_doctor)
    p.add_argument("--key-dir", metavar="DIR", help=t("cli.opt.key_dir"))


def journal_paths(ctx: Context, key_dir: str | None) -> tuple[list[Path], list[Path], int]:
    """(files and folders, folders to walk, the expected owner's uid)."""
    settings = ctx.settings
    data_dir = Path(user_data_dir(APP_NAME))
    paths: list[Path] = []
    walk: list[Path] = [Path(settings.exports_dir).expanduser(), Path(settings.exports_dir).expanduser().parent / "pending"]
    walk.append(Path(settings.log_dir).expanduser())
    owner = os.geteuid()
    db = ctx.sqlite_file()
    keys = Path(key_dir or settings.signing_key_dir or (db.resolve().parent if db is not None else data_dir)).expanduser()
    if db is not None:
        db = db.resolve()
        if db.exists():
            owner = db.stat().st_uid
        paths.extend(sqlite_files(db))
        paths.extend(sorted(db.parent.glob(db.name + ".before-*")))
        if db.parent == data_dir.resolve():
            paths.append(db.parent)  # the program's own folder (never a folder the admin chose)
    if data_dir.is_dir():
        paths.append(data_dir)
    paths.extend(sorted(keys.glob("school-*.key")))
    config = config_path()
    paths.append(config)
    if config.parent.name == APP_NAME:
        paths.append(config.parent)
    return paths, walk, owner


def _keys_in_database(ctx: Context) -> int:
    db = ctx.sqlite_file()
    if db is not None and not db.is_file():
        return 0
    try:
        handle = ctx.open(check_schema=False)
        if not handle.table_exists("school_key"):
            return 0
        row = handle.execute_sql(
            "SELECT COUNT(*) FROM school_key WHERE private_pem IS NOT NULL AND private_pem != ''"
        ).fetchone()
    except Exception:  # doctor checks files; the database itself is «db status»'s job
        return 0
    return int(row[0]) if row else 0


def cmd_doctor(ctx: Context, args: argparse.Namespace) -> int:
    paths, walk, owner = journal_paths(ctx, args.key_dir)
    problems: list[Problem] = check_paths(paths, owner=owner, recurse=walk)
    checked = sum(1 for p in paths if p.exists()) + sum(
        sum(len(d) + len(f) for _r, d, f in os.walk(w)) + 1 for w in walk if w.is_dir()
    )
    code = 0
    if problems:
        code = 1
        print(t("cli.doctor.problems", count=len(problems)))
        for problem in problems:
            print(f"  {problem.path}: {problem.found} → {problem.wanted}")
        print(t("cli.doctor.fix"))
        for problem in problems:
            print(f"  {problem.fix}")
    else:
        print(t("cli.doctor.ok", count=checked))
    in_db = _keys_in_database(ctx)
    if in_db:
        code = 1
        print(t("cli.doctor.keys_in_db", count=in_db))
    return code

