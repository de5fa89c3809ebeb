"""Backups of the journal's database and restoring them, while people keep working.

SQLite: the online backup API (:meth:`sqlite3.Connection.backup`) reads one consistent
snapshot of the live database, WAL content included, without stopping writers; a plain
file copy of a WAL database can miss committed rows or tear pages. A restore writes the
backup into the live database through the same API (never a file copy over a live WAL
database) after saving the current database as ``<db>.before-restore-<timestamp>``.

PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --clean --if-exists`` with the
URL's parameters (the password goes through ``PGPASSWORD``, never the command line).

These functions only move data and raise :class:`BackupError` with a message for the user;
auditing the export (R-ACC-5) is the caller's job.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from playhouse.migrations import Migration

from tui_journal import clock
from tui_journal.db.database import (
    HISTORY_TABLE,
    MIGRATIONS_DIR,
    SQLITE_BUSY_TIMEOUT_MS,
    DatabaseUrlError,
    make_database,
)
from tui_journal.i18n import t
from tui_journal.private import prepare_sqlite_file

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
REQUIRED_TABLES = (HISTORY_TABLE, "school")
PG_TIMEOUT_S = 3600


class BackupError(Exception):
    """A backup or restore cannot be done; the message is for the user (Russian)."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else self.__class__.__name__


@dataclass(frozen=True)
class BackupInfo:
    """What a checked backup holds."""

    path: Path
    kind: str  # "sqlite" | "postgresql"
    schools: tuple[str, ...]
    users: int
    applied: tuple[str, ...]  # migrations applied in the backup
    pending: tuple[str, ...]  # migrations of this program the backup lacks (db upgrade after restore)


# --- URLs ---------------------------------------------------------------------------------


def sqlite_path(url: str) -> Path | None:
    """The file of a ``sqlite:///`` URL (read the way :func:`make_database` reads it), else None.

    Unlike :func:`make_database` this creates nothing.
    """
    if urlparse(url).scheme.lower() != "sqlite":
        return None
    path = unquote(url.split("://", 1)[1])[1:]
    if path in ("", ":memory:"):
        raise DatabaseUrlError(t("backup.memory_db"))
    return Path(path)


def is_postgres_url(url: str) -> bool:
    return urlparse(url).scheme.lower() in ("postgres", "postgresql")


def display_url(url: str) -> str:
    """The URL with its password hidden, for messages."""
    parsed = urlparse(url)
    if parsed.password is None:
        return url
    netloc = parsed.netloc.replace(f":{parsed.password}@", ":***@", 1)
    return parsed._replace(netloc=netloc).geturl()


@dataclass(frozen=True)
class _PgTarget:
    dbname: str
    conninfo: str  # libpq key=value string without the password
    password: str | None
    schema: str | None

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.password is not None:
            env["PGPASSWORD"] = self.password
        return env


def _conninfo_value(value: object) -> str:
    text = str(value).replace("\\", "\\\\").replace("'", "\\'")
    return f"'{text}'"


def _pg_target(url: str) -> _PgTarget:
    # make_database reads the URL exactly as the application does (and creates nothing for PG).
    db = make_database(url)
    params = dict(db.connect_params)
    password = params.pop("password", None)
    options = str(params.pop("options", "") or "")
    schema = None
    match = re.fullmatch(r"-csearch_path=(\S+)", options.strip())
    if match:
        schema = match.group(1)
    elif options:
        params["options"] = options
    pairs = [("dbname", db.database), *params.items()]
    conninfo = " ".join(f"{k}={_conninfo_value(v)}" for k, v in pairs if v is not None)
    return _PgTarget(str(db.database), conninfo, password, schema)


# --- helpers --------------------------------------------------------------------------------


def known_migrations() -> tuple[str, ...]:
    """Names of the migrations this program ships, in order."""
    return tuple(m.name for m in Migration.load_directory(MIGRATIONS_DIR))


def timestamp(at: dt.datetime | None = None) -> str:
    return (at or clock.now()).strftime("%Y%m%d-%H%M%S")


def default_backup_name(url: str, at: dt.datetime | None = None) -> str:
    """``journal-YYYYMMDD-HHMMSS.db`` (``.dump`` for PostgreSQL)."""
    suffix = ".dump" if is_postgres_url(url) else ".db"
    return f"journal-{timestamp(at)}{suffix}"


def free_name(path: Path) -> Path:
    """``path`` itself, or ``path-2``, ``path-3``… if it is taken."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}-{n}")
    return candidate


def _create_private(path: Path) -> None:
    """Create an empty file readable by its owner only: backups hold password hashes."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        raise BackupError(t("backup.target_exists", path=path)) from None
    except OSError as exc:
        raise BackupError(t("backup.cannot_write", path=path, error=exc.strerror or exc)) from None
    os.close(fd)


def _remove_quietly(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return "; ".join(lines[:3]) if lines else ""


# --- SQLite --------------------------------------------------------------------------------


def _ro_uri(path: Path) -> str:
    return path.resolve().as_uri() + "?mode=ro"


def _sqlite_copy(source: Path, target: Path, *, source_read_only: bool = False) -> None:
    """Copy ``source`` into the new file ``target`` with the online backup API."""
    _create_private(target)
    partial = target.with_name(target.name + ".partial")
    _remove_quietly(partial)
    src = dst = None
    try:
        if source_read_only:
            src = sqlite3.connect(_ro_uri(source), uri=True, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
        else:
            src = sqlite3.connect(str(source), timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
        src.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        dst = sqlite3.connect(str(partial), isolation_level=None)
        # One step: the whole copy is read under one read transaction, i.e. one snapshot.
        src.backup(dst)
        # The copy inherits WAL mode; a backup should be one self-contained file.
        dst.execute("PRAGMA journal_mode=DELETE")
        dst.close()
        dst = None
        os.replace(partial, target)
    except sqlite3.Error as exc:
        _remove_quietly(target)
        raise BackupError(t("backup.sqlite_failed", path=source, error=exc)) from None
    except OSError as exc:
        _remove_quietly(target)
        raise BackupError(t("backup.cannot_write", path=target, error=exc.strerror or exc)) from None
    finally:
        if dst is not None:
            dst.close()
        if src is not None:
            src.close()
        _remove_quietly(partial)


def _sqlite_backup(db_path: Path, target: Path) -> Path:
    if not db_path.is_file():
        raise BackupError(t("backup.no_db", path=db_path))
    if target.resolve() == db_path.resolve():
        raise BackupError(t("backup.same_file", path=target))
    _sqlite_copy(db_path, target)
    return target


def _check_sqlite(path: Path) -> BackupInfo:
    try:
        con = sqlite3.connect(_ro_uri(path), uri=True)
    except sqlite3.Error as exc:
        raise BackupError(t("backup.corrupt", path=path, error=exc)) from None
    try:
        try:
            rows = con.execute("PRAGMA integrity_check").fetchall()
        except sqlite3.DatabaseError as exc:
            raise BackupError(t("backup.corrupt", path=path, error=exc)) from None
        if rows != [("ok",)]:
            problems = "; ".join(str(r[0]) for r in rows[:3])
            raise BackupError(t("backup.corrupt", path=path, error=problems))
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        missing = [name for name in REQUIRED_TABLES if name not in tables]
        if missing:
            raise BackupError(t("backup.not_journal", path=path, tables=", ".join(missing)))
        applied = tuple(r[0] for r in con.execute(f'SELECT name FROM "{HISTORY_TABLE}"'))
        schools = tuple(r[0] for r in con.execute("SELECT name FROM school ORDER BY id"))
        users = con.execute('SELECT COUNT(*) FROM "user"').fetchone()[0] if "user" in tables else 0
    except sqlite3.DatabaseError as exc:
        raise BackupError(t("backup.corrupt", path=path, error=exc)) from None
    finally:
        con.close()
    return _info(path, "sqlite", schools, int(users), applied)


def _sqlite_restore(db_path: Path, source: Path) -> Path | None:
    safety = None
    if db_path.is_file():
        safety = free_name(db_path.with_name(f"{db_path.name}.before-restore-{timestamp()}"))
        _sqlite_copy(db_path, safety)
    prepare_sqlite_file(db_path)  # a new database file is 0600, its -wal/-shm follow
    src = dst = None
    try:
        src = sqlite3.connect(_ro_uri(source), uri=True)
        dst = sqlite3.connect(str(db_path), timeout=SQLITE_BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        dst.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        # Pages go in through the live database's own journal (WAL): readers in other
        # sessions keep their snapshot until they finish, then see the restored data.
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=WAL")
        problems = dst.execute("PRAGMA quick_check").fetchall()
        if problems != [("ok",)]:
            raise BackupError(t("backup.restore_check_failed", path=db_path, safety=safety))
    except sqlite3.Error as exc:
        raise BackupError(t("backup.restore_failed", path=db_path, error=exc, safety=safety or "—")) from None
    finally:
        if dst is not None:
            dst.close()
        if src is not None:
            src.close()
    return safety


# --- PostgreSQL ----------------------------------------------------------------------------


def _tool(name: str) -> str:
    exe = shutil.which(name)
    if exe is None:
        raise BackupError(t("backup.no_pg_tool", tool=name))
    return exe


def _run(cmd: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            cmd, env=env, capture_output=True, text=True, timeout=PG_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BackupError(t("backup.pg_failed", tool=Path(cmd[0]).name, error=exc)) from None


def _pg_dump(target_db: _PgTarget, target: Path) -> None:
    exe = _tool("pg_dump")
    _create_private(target)
    cmd = [exe, "--format=custom", "--no-password", f"--file={target}", f"--dbname={target_db.conninfo}"]
    if target_db.schema:
        cmd.append(f"--schema={target_db.schema}")
    result = _run(cmd, target_db.env())
    if result.returncode != 0:
        _remove_quietly(target)
        raise BackupError(t("backup.pg_failed", tool="pg_dump", error=_first_line(result.stderr)))


def _copy_unescape(value: str) -> str | None:
    r"""Decode one field of PostgreSQL's COPY text format (\N is NULL)."""
    if value == "\\N":
        return None
    simple = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}

    def repl(m: re.Match[str]) -> str:
        s = m.group(1)
        if s in simple:
            return simple[s]
        if s[0] == "x":
            return chr(int(s[1:], 16))
        if s[0].isdigit():
            return chr(int(s, 8))
        return s

    return re.sub(r"\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)", repl, value)


_COPY_RE = re.compile(r'^COPY (?:"?[^"\s.]+"?\.)?"?([^"\s(]+)"? \((.*)\) FROM stdin;$')


def _copy_blocks(sql: str) -> Iterator[tuple[str, list[str], list[list[str | None]]]]:
    lines = iter(sql.splitlines())
    for line in lines:
        m = _COPY_RE.match(line)
        if not m:
            continue
        columns = [c.strip().strip('"') for c in m.group(2).split(",")]
        rows: list[list[str | None]] = []
        for row in lines:
            if row == "\\.":
                break
            rows.append([_copy_unescape(v) for v in row.split("\t")])
        yield m.group(1), columns, rows


def _check_pg_dump(path: Path) -> BackupInfo:
    exe = _tool("pg_restore")
    listing = _run([exe, "--list", "--file=-", str(path)])
    if listing.returncode != 0:
        raise BackupError(t("backup.corrupt", path=path, error=_first_line(listing.stderr)))
    tables = set(re.findall(r"^\d+;.*? TABLE DATA \S+ \"?([^\"\s]+)\"? ", listing.stdout, re.M))
    missing = [name for name in REQUIRED_TABLES if name not in tables]
    if missing:
        raise BackupError(t("backup.not_journal", path=path, tables=", ".join(missing)))
    data = _run(
        [
            exe, "--data-only", "--file=-",
            f"--table={HISTORY_TABLE}", "--table=school", "--table=user", str(path),
        ]
    )
    if data.returncode != 0:
        raise BackupError(t("backup.corrupt", path=path, error=_first_line(data.stderr)))
    applied: tuple[str, ...] = ()
    schools: tuple[str, ...] = ()
    users = 0
    for table, columns, rows in _copy_blocks(data.stdout):
        if table == HISTORY_TABLE and "name" in columns:
            i = columns.index("name")
            applied = tuple(r[i] or "" for r in rows)
        elif table == "school" and "name" in columns:
            i = columns.index("name")
            schools = tuple(r[i] or "" for r in rows)
        elif table == "user":
            users = len(rows)
    return _info(path, "postgresql", schools, users, applied)


def _pg_restore(url: str, source: Path, safety_dir: Path) -> Path:
    target_db = _pg_target(url)
    exe = _tool("pg_restore")
    stem = target_db.dbname + (f"-{target_db.schema}" if target_db.schema else "")
    safety = free_name(safety_dir / f"{stem}.before-restore-{timestamp()}.dump")
    _pg_dump(target_db, safety)
    cmd = [
        exe,
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--no-password",
        f"--dbname={target_db.conninfo}",
        str(source),
    ]
    result = _run(cmd, target_db.env())
    if result.returncode != 0:
        raise BackupError(
            t("backup.restore_failed", path=display_url(url), error=_first_line(result.stderr), safety=safety)
        )
    return safety


# --- the API --------------------------------------------------------------------------------


def _info(path: Path, kind: str, schools: tuple[str, ...], users: int, applied: tuple[str, ...]) -> BackupInfo:
    known = known_migrations()
    newer = [name for name in applied if name not in known]
    if newer:
        raise BackupError(t("backup.newer", path=path, migrations=", ".join(newer)))
    pending = tuple(name for name in known if name not in applied)
    return BackupInfo(path=path, kind=kind, schools=schools, users=users, applied=applied, pending=pending)


def backup(url: str, target: str | os.PathLike[str]) -> Path:
    """Write a consistent copy of the database at ``url`` into the new file ``target``.

    The database may be in use meanwhile. An existing ``target`` is never overwritten.
    """
    target_path = Path(target)
    if target_path.exists():
        raise BackupError(t("backup.target_exists", path=target_path))
    if not target_path.parent.is_dir():
        raise BackupError(t("backup.no_dir", path=target_path.parent))
    db_path = sqlite_path(url)
    if db_path is not None:
        return _sqlite_backup(db_path, target_path)
    if is_postgres_url(url):
        _pg_dump(_pg_target(url), target_path)
        return target_path
    make_database(url)  # raises DatabaseUrlError with the usual message
    raise DatabaseUrlError(url)  # pragma: no cover - make_database has raised


def check_backup(path: str | os.PathLike[str]) -> BackupInfo:
    """Check that ``path`` is a sound backup of a journal this program can restore.

    SQLite: ``PRAGMA integrity_check`` is ok, the ``schema_migration`` and ``school`` tables
    exist, and no migration is newer than this program's. PostgreSQL custom dumps: the
    archive lists, holds those tables and the same migration check.
    """
    file = Path(path)
    if not file.is_file():
        raise BackupError(t("backup.no_file", path=file))
    try:
        with file.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise BackupError(t("backup.cannot_read", path=file, error=exc.strerror or exc)) from None
    if head.startswith(PGDUMP_MAGIC):
        return _check_pg_dump(file)
    if head != SQLITE_MAGIC:
        raise BackupError(t("backup.not_backup", path=file))
    return _check_sqlite(file)


def restore(
    url: str, source: str | os.PathLike[str], *, safety_dir: str | os.PathLike[str] | None = None
) -> Path | None:
    """Replace the database at ``url`` with the backup ``source``; returns the safety copy.

    The backup is checked first (:func:`check_backup`). The current database is saved before
    anything is written: SQLite as ``<db>.before-restore-<timestamp>`` beside it, PostgreSQL
    as ``<name>.before-restore-<timestamp>.dump`` in ``safety_dir`` (default: the current
    directory). Returns None only when there was no database to save (a missing SQLite file).
    """
    source_path = Path(source)
    info = check_backup(source_path)
    db_path = sqlite_path(url)
    if db_path is not None:
        if info.kind != "sqlite":
            raise BackupError(t("backup.kind_mismatch", path=source_path, kind="SQLite"))
        if db_path.exists() and db_path.resolve() == source_path.resolve():
            raise BackupError(t("backup.same_file", path=source_path))
        return _sqlite_restore(db_path, source_path)
    if is_postgres_url(url):
        if info.kind != "postgresql":
            raise BackupError(t("backup.kind_mismatch", path=source_path, kind="PostgreSQL"))
        return _pg_restore(url, source_path, Path(safety_dir) if safety_dir else Path.cwd())
    make_database(url)
    raise DatabaseUrlError(url)  # pragma: no cover
