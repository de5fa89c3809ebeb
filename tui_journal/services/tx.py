"""Write transactions.

On SQLite the database is opened with ``lock_type='IMMEDIATE'`` so every transaction takes
the write lock at BEGIN; a deferred read-then-write transaction would fail at once under
concurrent writers (FACTS.md). Keep these transactions short: one user action each.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

from peewee import OperationalError

from tui_journal.db.models import database_proxy

# After SQLITE_FULL or an I/O error SQLite has rolled the transaction back itself; peewee's
# ROLLBACK then fails with one of these and would hide the real cause («cannot rollback - no
# transaction is active» instead of «database or disk is full»).
_ALREADY_ROLLED_BACK = ("no transaction is active", "no such savepoint")


class _WriteTx:
    def __init__(self) -> None:
        self._atomic = database_proxy.atomic()

    def __enter__(self) -> Any:
        return self._atomic.__enter__()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> Any:
        try:
            return self._atomic.__exit__(exc_type, exc, tb)
        except OperationalError as failed:
            if any(text in str(failed) for text in _ALREADY_ROLLED_BACK):
                cause = exc if exc is not None else failed.__context__
                if cause is not None and cause is not failed:
                    raise cause.with_traceback(cause.__traceback__) from None
            raise


def write_tx() -> Any:
    """A context manager for one atomic, audited change (nested calls become savepoints).

    When the database rolled the transaction back by itself (disk full), the error raised is
    the one that caused it, not the failed ROLLBACK.
    """
    return _WriteTx()
