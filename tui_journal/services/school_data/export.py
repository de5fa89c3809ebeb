"""The whole school written out (R-ACC-5): one CSV per table, read in one snapshot, with a
manifest of the files, their columns, row counts and checksums.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from peewee import ForeignKeyField, PostgresqlDatabase, SqliteDatabase

from tui_journal import __version__, clock
from tui_journal.db import models as m
from tui_journal.db.models import School, database_proxy
from tui_journal.private import open_private, private_dir, write_private
from tui_journal.services import access, audit
from tui_journal.services import roles as R
from tui_journal.services.actor import Actor
from tui_journal.services.errors import InvalidInput
from tui_journal.services.school_data.base import (
    ENCODING,
    EXPORTED_MODELS,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    NULL,
    ExportResult,
    columns_of,
    fields_of,
    sha256_of,
)
from tui_journal.services.school_data.codec import encode_value
from tui_journal.services.tx import write_tx

# --- which rows belong to the school ------------------------------------------------------


def _scoped(model: type[m.BaseModel], school_id: int) -> Any:
    """A query of ``model``'s rows that belong to the school (through the first scoped parent)."""
    if model is School:
        return School.select().where(School.id == school_id)
    fks = [f for f in fields_of(model) if isinstance(f, ForeignKeyField)]
    for f in fks:
        if f.rel_model is School:
            return model.select().where(f == school_id)
    for f in fks:
        if f.rel_model in EXPORTED_MODELS and f.rel_model is not model:
            parent = f.rel_model
            return model.select().where(f.in_(_scoped(parent, school_id).select(parent.id)))
    raise RuntimeError(f"{model.__name__}: no path to the school")  # pragma: no cover


# --- export ---------------------------------------------------------------------------------


@contextlib.contextmanager
def _snapshot() -> Iterator[None]:
    """A read transaction that sees one state of the database and does not block writers:
    DEFERRED on SQLite (WAL readers never wait), REPEATABLE READ on PostgreSQL."""
    db = database_proxy.obj
    if isinstance(db, SqliteDatabase):
        with db.atomic(lock_type="DEFERRED"):
            yield
        return
    top = db.transaction_depth() == 0  # inside a caller's transaction its snapshot rules
    with db.atomic():
        if top and isinstance(db, PostgresqlDatabase):
            db.execute_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def export_school(actor: Actor, directory: Path) -> ExportResult:
    """Write the whole school to ``directory`` (new or empty): one CSV per table and a manifest.

    The files hold personal data and password hashes (so that accounts survive a move): the
    directory is created readable by its owner only, and the export is audited (R-ACC-5).
    """
    access.require_any_role(actor, R.ADMIN, what="выгрузка всех данных школы")
    directory = Path(directory)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise InvalidInput(f"Каталог {directory} не пуст: выберите новый или пустой каталог")
    school = School.get_by_id(actor.school_id)
    private_dir(directory)
    os.chmod(directory, 0o700)
    files: list[dict[str, Any]] = []
    counts: dict[str, int] = {}
    with write_tx():  # first, so that the export holds its own audit row (R-ACC-5)
        audit.record(actor, "export", "school", school.id, "directory", None, str(directory.resolve()))
    with _snapshot():
        for model in EXPORTED_MODELS:
            table = model._meta.table_name
            fields = fields_of(model)
            path = directory / f"{table}.csv"
            rows = 0
            with open_private(path, "w", encoding=ENCODING, newline="") as fh:
                writer = csv.writer(fh, lineterminator="\r\n")
                writer.writerow([f.column_name for f in fields])
                query = _scoped(model, school.id).order_by(model.id).tuples()
                columns = [getattr(model, f.name) for f in fields]
                for row in query.select(*columns).iterator():
                    writer.writerow([encode_value(f, v) for f, v in zip(fields, row, strict=True)])
                    rows += 1
            counts[table] = rows
            files.append({"file": path.name, "table": table, "rows": rows, "columns": columns_of(model), "sha256": sha256_of(path)})
    manifest = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "program": f"tui-journal {__version__}",
        "exported_at": clock.now().replace(microsecond=0).isoformat(sep=" "),
        "school": {"id": school.id, "name": school.name},
        "encoding": "UTF-8",
        "null": NULL,
        "files": files,
    }
    write_private(directory / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding=ENCODING)
    return ExportResult(directory, school.name, counts)
