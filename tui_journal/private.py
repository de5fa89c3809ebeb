"""Files and folders readable by their owner only (0600 / 0700), whatever the umask.

The database holds password hashes and pupils' personal data, backups and exports copy them,
the pending queue holds marks not saved yet, the key file holds the school's signing key: the
program creates every file it writes through this module. A umask only ever removes bits, so
``os.open(path, flags, 0o600)`` and ``mkdir(mode=0o700)`` are enough for new paths;
:func:`private_umask` covers files that a library creates itself (SQLite's -wal/-shm,
logging's rotated files).

:func:`check_paths` is what ``tui-journal doctor`` reports: paths with a wider mode or
another owner, with the ``chmod``/``chown`` that fixes each.

This module sits outside the layers (like ``config``): db, services, export and the CLI use it.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import stat
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


@contextlib.contextmanager
def private_umask() -> Iterator[None]:
    """Files and folders created meanwhile (by this thread or a library) get no group/other bits.

    The umask is per process: keep the block short (one creation).
    """
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


def private_dir(path: str | os.PathLike[str], *, tighten: bool = False) -> Path:
    """Create the folder (and missing parents) 0700; ``tighten`` also chmods an existing one
    to 0700 when this user owns it (the program's own folders, never one a user named)."""
    folder = Path(path)
    if not folder.is_dir():
        with private_umask():
            folder.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    elif tighten:
        with contextlib.suppress(OSError):
            st = folder.stat()
            if st.st_uid == os.geteuid() and stat.S_IMODE(st.st_mode) & 0o077:
                os.chmod(folder, DIR_MODE)
    return folder


def create_private_file(path: str | os.PathLike[str], *, exclusive: bool = False) -> None:
    """Make sure ``path`` exists; a new file is created empty and 0600. An existing file is
    left as it is (``exclusive``: FileExistsError instead)."""
    flags = os.O_CREAT | os.O_WRONLY | (os.O_EXCL if exclusive else 0)
    os.close(os.open(path, flags, FILE_MODE))


def open_private(path: str | os.PathLike[str], mode: str = "w", **kwargs: object):  # type: ignore[no-untyped-def]
    """``open(path, mode)`` for writing, a new file being 0600 (an existing one is chmodded)."""
    flags = os.O_CREAT | os.O_WRONLY
    if "a" in mode:
        flags |= os.O_APPEND
    elif "x" in mode:
        flags |= os.O_EXCL
    else:
        flags |= os.O_TRUNC
    fd = os.open(path, flags, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
    except OSError:  # not ours (root's file in a shared folder): keep writing
        pass
    return os.fdopen(fd, mode.replace("x", "w"), **kwargs)  # type: ignore[call-overload]


def write_private(path: str | os.PathLike[str], data: bytes | str, *, encoding: str = "utf-8") -> Path:
    """Write ``data`` to ``path`` atomically (a 0600 temporary file renamed over it)."""
    target = Path(path)
    payload = data.encode(encoding) if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=str(target.parent))  # mkstemp: 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target


def prepare_sqlite_file(path: str | os.PathLike[str]) -> None:
    """Before SQLite opens ``path``: its folder exists (0700 when created), the file exists
    (0600 when created), and leftover -wal/-shm files are no wider than the database file.

    SQLite creates -wal/-shm with the database file's mode, so a 0600 database keeps them 0600.
    """
    db = Path(path)
    private_dir(db.parent)
    if not db.exists():
        create_private_file(db)
    with contextlib.suppress(OSError):
        allowed = stat.S_IMODE(db.stat().st_mode)
        for suffix in SQLITE_SIDE_FILES:
            side = db.with_name(db.name + suffix)
            if side.exists() and stat.S_IMODE(side.stat().st_mode) & ~allowed:
                os.chmod(side, stat.S_IMODE(side.stat().st_mode) & allowed)


def sqlite_files(path: str | os.PathLike[str]) -> list[Path]:
    db = Path(path)
    return [db, *(db.with_name(db.name + s) for s in SQLITE_SIDE_FILES)]


# --- checking ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    path: Path
    what: str  # "mode" | "owner"
    found: str  # «0644», «www-data»
    wanted: str  # «0600», «journal»
    fix: str  # the shell command that fixes it

    def __str__(self) -> str:
        return f"{self.path}: {self.found} → {self.wanted}   ({self.fix})"


def _user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _quote(path: Path) -> str:
    import shlex

    return shlex.quote(str(path))


def check_path(path: Path, *, owner: int) -> list[Problem]:
    """Problems of one existing path (a missing one has none): group/other bits, another owner."""
    try:
        st = path.lstat()
    except OSError:
        return []
    if stat.S_ISLNK(st.st_mode):
        return []
    problems = []
    is_dir = stat.S_ISDIR(st.st_mode)
    mode = stat.S_IMODE(st.st_mode)
    if mode & 0o077:
        wanted = (mode & 0o700) | (0o700 if is_dir else 0o600)
        problems.append(Problem(path, "mode", f"{mode:04o}", f"{wanted:04o}", f"chmod {wanted:04o} {_quote(path)}"))
    if st.st_uid != owner:
        name = _user_name(owner)
        problems.append(
            Problem(path, "owner", _user_name(st.st_uid), name, f"chown {name} {_quote(path)}")
        )
    return problems


def check_paths(paths: Iterable[Path], *, owner: int | None = None, recurse: Iterable[Path] = ()) -> list[Problem]:
    """Problems of ``paths`` and of everything inside the folders ``recurse`` (one level of
    files and the folders below, walked). ``owner`` defaults to this process's user."""
    uid = os.geteuid() if owner is None else owner
    seen: set[Path] = set()
    problems: list[Problem] = []

    def one(p: Path) -> None:
        if p in seen:
            return
        seen.add(p)
        problems.extend(check_path(p, owner=uid))

    for p in paths:
        one(Path(p))
    for folder in recurse:
        folder = Path(folder)
        if not folder.is_dir():
            continue
        one(folder)
        for root, dirs, files in os.walk(folder):
            for name in (*dirs, *files):
                one(Path(root) / name)
    return problems
