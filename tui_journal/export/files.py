"""Writing a finished file into the exports folder: folder 0700, file 0600, a free name."""

from __future__ import annotations

import os
from pathlib import Path


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
