"""What the export and the imports share: the format's names and limits, the reports they
return, the refusal listing every bad line, a table's fields and a file's checksum.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from peewee import Field

from tui_journal.db import models as m
from tui_journal.services.errors import InvalidInput

FORMAT = "tui-journal-school"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
NULL = "\\N"
ENCODING = "utf-8"
MAX_ERRORS = 200
#: The school's signing key never leaves the database in a plain export (R-DIR-1).
SKIPPED_MODELS: tuple[type[m.BaseModel], ...] = (m.SchoolKey,)
EXPORTED_MODELS: tuple[type[m.BaseModel], ...] = tuple(x for x in m.ALL_MODELS if x not in SKIPPED_MODELS)


# --- values -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportResult:
    directory: Path
    school: str
    counts: dict[str, int]


@dataclass
class ImportReport:
    """What an import did (or, with ``dry_run``, would do)."""

    school: str
    counts: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def refuse(title: str, errors: Sequence[str]) -> InvalidInput:
    """The error listing every bad line (at most MAX_ERRORS of them, then how many more)."""
    shown = list(errors[:MAX_ERRORS])
    if len(errors) > MAX_ERRORS:
        shown.append(f"… и ещё ошибок: {len(errors) - MAX_ERRORS}")
    return InvalidInput(title + "\n" + "\n".join(shown))


def fields_of(model: type[m.BaseModel]) -> list[Field]:
    """The model's fields in the table's column order."""
    return list(model._meta.sorted_fields)


def columns_of(model: type[m.BaseModel]) -> list[str]:
    """The model's column names in the table's order (a file's header)."""
    return [f.column_name for f in fields_of(model)]


def sha256_of(path: Path) -> str:
    """The file's SHA-256, read in chunks (the manifest's checksum)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()
