"""Write transactions.

On SQLite the database is opened with ``lock_type='IMMEDIATE'`` so every transaction takes
the write lock at BEGIN; a deferred read-then-write transaction would fail at once under
concurrent writers (FACTS.md). Keep these transactions short: one user action each.
"""

from __future__ import annotations

from typing import Any

from tui_journal.db.models import database_proxy


def write_tx() -> Any:
    """A context manager for one atomic, audited change (nested calls become savepoints)."""
    return database_proxy.atomic()
