"""What every model shares: the database proxy the models are bound to, the base model, and
the two helpers the field defaults and the services use (:func:`now`, :func:`search_key_for`).
"""

from __future__ import annotations

import datetime as dt

from peewee import AutoField, DatabaseProxy, Model

from tui_journal import clock

database_proxy = DatabaseProxy()


def now() -> dt.datetime:
    """Current local time without microseconds (what the audit and the UI show)."""
    return clock.now().replace(microsecond=0)


def search_key_for(*parts: str) -> str:
    """Lower-cased words for substring search.

    SQLite's lower() folds only ASCII, so the services keep this key in Python's casefold,
    with ё folded to е as people type it.
    """
    return " ".join(p.casefold().replace("ё", "е") for p in parts if p)


class BaseModel(Model):
    id = AutoField()

    class Meta:
        database = database_proxy
        legacy_table_names = False
