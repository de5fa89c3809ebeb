"""Writing a finished file into the exports folder: folder 0700, file 0600, a free name."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def save_export(folder: str | Path, name: str, data: bytes) -> Path:
    """Write ``data`` as ``folder/name`` (``name (2).ext`` … when taken); returns the path.

    ``name`` is the program's own file name: only its last component is used.
    """
    target = Path(folder).expanduser()
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
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
class ExportFile:
    path: Path
    modified: dt.datetime
    signed: bool  # a FILE.sig lies beside it


def list_exports(folder: str | Path, limit: int = 200) -> list[ExportFile]:
    """The files of the exports folder, newest first (signatures and hidden files left out)."""
    target = Path(folder).expanduser()
    if not target.is_dir():
        return []
    found = []
    for path in target.iterdir():
        if path.name.startswith(".") or path.suffix == ".sig" or not path.is_file():
            continue
        stat = path.stat()
        signed = path.with_name(path.name + ".sig").is_file()
        found.append(ExportFile(path, dt.datetime.fromtimestamp(stat.st_mtime), signed))
    found.sort(key=lambda f: f.modified, reverse=True)
    return found[:limit]


def school_export_zip(actor: Any, when: dt.datetime | None = None) -> tuple[str, bytes]:
    """The whole school (``export school``: documented CSV files and a manifest) as one zip;
    returns its file name and bytes. Only the school's admin may (the service checks)."""
    import io
    import tempfile
    import zipfile

    from tui_journal.services import school_data

    moment = when or dt.datetime.now()
    with tempfile.TemporaryDirectory(prefix="tj-school-") as tmp:
        folder = Path(tmp) / "school"
        school_data.export_school(actor, folder)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(folder).as_posix())
    return f"school-export-{moment:%Y-%m-%d_%H%M%S}.zip", buffer.getvalue()
