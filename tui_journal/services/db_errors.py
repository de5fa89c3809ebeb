"""Database failures the user can do nothing about but should understand: each gets its own
Russian message instead of the driver's English (or a misleading follow-up error).

- ``disk_full``: SQLite «database or disk is full» (SQLITE_FULL), PostgreSQL «No space left»;
- ``read_only``: SQLite «attempt to write a readonly database», PostgreSQL read-only transaction;
- ``connection_lost``: psycopg2's OperationalError/InterfaceError (server gone, connection closed);
- ``busy``: SQLite «database is locked» after the busy timeout.

All four are retryable: the grade grid queues the change on disk (services/pending.py). Any
other database error (an IntegrityError, «no such table») is a bug and is logged as one.
"""

from __future__ import annotations

from peewee import DatabaseError, InterfaceError, OperationalError

from tui_journal.i18n import t

KINDS = ("disk_full", "read_only", "connection_lost", "busy")

_SQLITE_TEXT = (
    ("disk_full", ("database or disk is full", "no space left on device", "could not extend file")),
    ("read_only", ("readonly database", "read-only transaction", "read-only database", "query_only")),
    ("busy", ("database is locked", "database is busy", "database table is locked")),
    ("connection_lost", ("connection already closed", "server closed the connection", "terminating connection",
                         "could not connect to server", "connection refused", "connection to server")),
)


def _from_psycopg(exc: BaseException) -> bool:
    original = exc.args[0] if exc.args else None
    candidates = (exc, original, exc.__cause__, exc.__context__)
    return any(c is not None and type(c).__module__.split(".")[0] in ("psycopg2", "psycopg") for c in candidates)


def kind(exc: BaseException) -> str | None:
    """Which of :data:`KINDS` ``exc`` is, or None for any other error."""
    if not isinstance(exc, (DatabaseError, InterfaceError)):
        return None
    text = str(exc).lower()
    for name, needles in _SQLITE_TEXT:
        if any(n in text for n in needles):
            return name
    if _from_psycopg(exc) and isinstance(exc, (OperationalError, InterfaceError)):
        return "connection_lost"
    return None


def message(exc: BaseException) -> str | None:
    """The user's message for a known failure, else None."""
    found = kind(exc)
    return t(f"err.db.{found}") if found else None
