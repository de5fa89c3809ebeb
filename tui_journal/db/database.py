"""Opening the database from a URL, and keeping its schema current.

SQLite (the default) runs in WAL mode with foreign keys on and a busy timeout, and every
transaction begins IMMEDIATE: a deferred transaction that reads and then writes fails at once
with «database is locked» under concurrent writers, whatever the busy timeout (FACTS.md).
PostgreSQL is chosen by a ``postgresql://`` URL.
"""

from __future__ import annotations

import glob
import os
from contextlib import suppress
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

from peewee import Database, PostgresqlDatabase, SqliteDatabase
from playhouse.migrations import Runner

from tui_journal.db.models import database_proxy
from tui_journal.private import prepare_sqlite_file

MIGRATIONS_DIR = str(Path(__file__).parent / "migrations")
HISTORY_TABLE = "schema_migration"
SQLITE_BUSY_TIMEOUT_MS = 10_000
#: Set on every SQLite connection (the tests add ``query_only`` or ``max_page_count`` here to
#: make a real read-only or full database).
SQLITE_PRAGMAS: dict[str, object] = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": SQLITE_BUSY_TIMEOUT_MS,
    "synchronous": "normal",
}


class DatabaseUrlError(ValueError):
    """The database URL cannot be understood."""


class SchemaOutdated(RuntimeError):
    """The database schema is older than this program: `tui-journal db upgrade` is needed."""


def sqlite_url(path: str | os.PathLike[str]) -> str:
    return f"sqlite:///{Path(path).resolve()}"


def make_database(url: str) -> Database:
    """Build (but do not connect) a peewee database for ``url``."""
    parsed = urlparse(url)
    scheme = parsed.scheme.lower()
    if scheme == "sqlite":
        # As in SQLAlchemy: sqlite:///relative.db, sqlite:////absolute/path.db
        path = unquote(url.split("://", 1)[1])[1:]
        if path in ("", ":memory:"):
            raise DatabaseUrlError("SQLite в памяти не поддерживается: укажите файл базы")
        # The file is created 0600 before SQLite opens it: its -wal/-shm get the same mode.
        prepare_sqlite_file(path)
        return SqliteDatabase(
            path,
            pragmas=dict(SQLITE_PRAGMAS),
            timeout=SQLITE_BUSY_TIMEOUT_MS / 1000,
            lock_type="IMMEDIATE",
            check_same_thread=False,
        )
    if scheme in ("postgres", "postgresql"):
        query = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
        kwargs: dict[str, Any] = {
            "host": parsed.hostname or None,
            "port": parsed.port or None,
            "user": unquote(parsed.username) if parsed.username else None,
            "password": unquote(parsed.password) if parsed.password else None,
        }
        if "schema" in query:
            # A private schema (used by the tests to keep parallel runs apart).
            kwargs["options"] = f"-csearch_path={query.pop('schema')}"
        kwargs.update(query)
        name = parsed.path.lstrip("/")
        if not name:
            raise DatabaseUrlError("В адресе PostgreSQL не указано имя базы данных")
        return PostgresqlDatabase(name, **{k: v for k, v in kwargs.items() if v is not None})
    raise DatabaseUrlError(
        f"Неизвестный адрес базы данных «{url}»: нужен sqlite:///путь или postgresql://…"
    )


def open_database(url: str, *, check_schema: bool = True) -> Database:
    """Open the database at ``url``, bind the models to it and (by default) check the schema.

    Raises :class:`SchemaOutdated` when migrations are pending, naming the command to run.
    """
    db = make_database(url)
    db.connect(reuse_if_open=True)
    database_proxy.initialize(db)
    if check_schema:
        ensure_current(db)
    return db


@dataclass(frozen=True)
class SchemaState:
    applied: tuple[str, ...]
    pending: tuple[str, ...]
    unknown: tuple[str, ...] = ()  # applied by a newer program: their files are not here
    has_tables: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.applied

    @property
    def is_current(self) -> bool:
        return not self.pending


def _runner(db: Database) -> Runner:
    return Runner(db, MIGRATIONS_DIR, table_name=HISTORY_TABLE)


def schema_state(db: Database) -> SchemaState:
    rows = _runner(db).status()
    return SchemaState(
        applied=tuple(m.name for m in rows if m.applied),
        pending=tuple(m.name for m in rows if not m.applied),
        unknown=tuple(m.name for m in rows if m.applied and m.path is None),
        has_tables="school" in db.get_tables(),
    )


def upgrade(db: Database) -> list[str]:
    """Apply pending migrations; returns their names."""
    applied: list[str] = _runner(db).up()
    return applied


@cache
def migration_names() -> frozenset[str]:
    """This program's migrations (its files do not change under a running process)."""
    return frozenset(Path(p).stem for p in glob.glob(os.path.join(MIGRATIONS_DIR, "[0-9]*.py")))


def _is_current_fast(db: Database) -> bool:
    """True when the history holds exactly this program's migrations: one query, no
    migration runner (~5 ms of CPU per session saved, issue 13). Anything else (no history
    table, a failure) answers False and :func:`ensure_current` looks closer."""
    try:
        rows = db.execute_sql(f"SELECT name FROM {HISTORY_TABLE}").fetchall()
    except Exception:
        with suppress(Exception):  # PostgreSQL: leave no failed transaction behind
            db.rollback()
        return False
    return bool(rows) and {str(row[0]) for row in rows} == migration_names()


def ensure_current(db: Database) -> None:
    if not db.in_transaction() and _is_current_fast(db):
        return
    state = schema_state(db)
    if state.unknown:
        raise SchemaOutdated(
            "База данных обновлена более новой версией tui-journal (миграции: "
            + ", ".join(state.unknown)
            + "). Установите эту версию программы"
        )
    if state.is_empty and state.has_tables:
        raise SchemaOutdated(
            "В базе нет истории миграций. Выполните: tui-journal db upgrade"
        )
    if state.is_empty:
        raise SchemaOutdated(
            "База данных пуста. Создайте её: tui-journal init (или tui-journal demo)"
        )
    if state.pending:
        raise SchemaOutdated(
            "Схема базы данных устарела (не применено: "
            + ", ".join(state.pending)
            + "). Выполните: tui-journal db upgrade"
        )


def is_sqlite(db: Database) -> bool:
    return isinstance(db, SqliteDatabase)
