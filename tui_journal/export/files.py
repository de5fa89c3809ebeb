"""Writing a finished file into the exports folder: folder 0700, file 0600, a free name."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui_journal import clock
from tui_journal.private import private_dir


def save_export(folder: str | Path, name: str, data: bytes) -> Path:
    """Write ``data`` as ``folder/name`` (``name (2).ext`` … when taken); returns the path.

    ``name`` is the program's own file name: only its last component is used.
    """
    target = private_dir(Path(folder).expanduser())
    base = Path(Path(name).name)
    path = target / base
    n = 2
    while path.exists():
        path = target / f"{base.stem} ({n}){base.suffix}"
        n += 1
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return path


@dataclass(frozen=True)
class ExportedFile:
    name: str
    size: int
    modified: dt.datetime
    signed: bool


#: The most files the sign screen lists (newest first).
MAX_LISTED = 200


def exported_files(folder: Path) -> list[ExportedFile]:
    """The regular files of the program's exports folder, newest first (signatures and links
    left out): the only files the sign screen offers, so that no path is ever typed."""
    found: list[ExportedFile] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    names = {e.name for e in entries}
    for entry in entries:
        if entry.name.endswith(".sig") or entry.name.startswith(".") or not entry.is_file(follow_symlinks=False):
            continue
        info = entry.stat(follow_symlinks=False)
        found.append(
            ExportedFile(entry.name, info.st_size, dt.datetime.fromtimestamp(info.st_mtime), entry.name + ".sig" in names)
        )
    found.sort(key=lambda f: f.modified, reverse=True)
    return found[:MAX_LISTED]


def school_export_zip(actor: Any, when: dt.datetime | None = None) -> tuple[str, bytes]:
    """The whole school (``export school``: documented CSV files and a manifest) as one zip;
    returns its file name and bytes. Only the school's admin may (the service checks)."""
    import io
    import tempfile
    import zipfile

    from tui_journal.services import school_data

    moment = when or clock.now()
    with tempfile.TemporaryDirectory(prefix="tj-school-") as tmp:
        folder = Path(tmp) / "school"
        school_data.export_school(actor, folder)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(folder).as_posix())
    return f"school-export-{moment:%Y-%m-%d_%H%M%S}.zip", buffer.getvalue()
