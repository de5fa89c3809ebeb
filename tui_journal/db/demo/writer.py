"""Writing the builder's rows in bulk: multi-row INSERTs in chunks, in foreign-key order."""

from __future__ import annotations

from typing import Any

from peewee import Database, PostgresqlDatabase, chunked, fn

from tui_journal.db import models as m
from tui_journal.db.demo.builder import IdAlloc, Rows

# SQLite allows 32,766 bound variables per statement (3.32+); PostgreSQL 65,535.
MAX_VARIABLES = 30_000
MAX_ROWS = 1_000


def start_ids() -> IdAlloc:
    """Ids continue after whatever the tables already hold."""
    return IdAlloc({model: int(model.select(fn.MAX(model.id)).scalar() or 0) + 1 for model in m.ALL_MODELS})


def _default(field: Any) -> Any:
    default = field.default
    return default() if callable(default) else default


def write_rows(db: Database, rows: Rows) -> dict[str, int]:
    """Insert every row; returns the number of rows per table. Call inside a transaction.

    The statements are assembled here rather than by peewee's query builder, which spends
    most of the time on a bulk insert building one node per value; the values still pass
    through each field's ``db_value``, so they are stored exactly as peewee would store them.
    """
    counts: dict[str, int] = {}
    param = db.param
    for model in m.ALL_MODELS:
        data = rows.data[model]
        if not data:
            continue
        names: dict[str, None] = {}
        for row in data:
            for name in row:
                names.setdefault(name)
        keys = list(names)
        fields = [model._meta.fields[name] for name in keys]
        missing = [_default(f) for f in fields]
        convert = [f.db_value for f in fields]
        table = model._meta.table_name
        head = f'INSERT INTO "{table}" (' + ", ".join(f'"{f.column_name}"' for f in fields) + ") VALUES "
        one = "(" + ", ".join([param] * len(fields)) + ")"
        per = max(1, min(MAX_ROWS, MAX_VARIABLES // len(fields)))
        for chunk in chunked(data, per):
            params: list[Any] = []
            for row in chunk:
                for name, conv, default in zip(keys, convert, missing, strict=True):
                    value = row[name] if name in row else default
                    params.append(None if value is None else conv(value))
            db.execute_sql(head + ", ".join([one] * len(chunk)), params)
        counts[table] = len(data)
    return counts


def fix_sequences(db: Database, tables: list[str]) -> None:
    """PostgreSQL: move each table's id sequence past the ids written explicitly."""
    if not isinstance(db, PostgresqlDatabase):
        return
    for table in tables:
        db.execute_sql(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "
            f'GREATEST(COALESCE((SELECT MAX(id) FROM "{table}"), 0), 1), '
            f'(SELECT MAX(id) FROM "{table}") IS NOT NULL)',
            (f'"{table}"',),
        )
