"""One-time session tickets: how the built-in server tells its child who has logged in.

The server authenticates the client (password or key), then starts one child process per
session: ``python -m tui_journal.ssh --ticket-fd N --ticket-dir DIR``. The child must start
already logged in, and nobody else may start a child that way without a password. So:

1. The server writes the session's facts (login, client address, how he logged in) into a
   file named by 32 random bytes (hex) in its private ticket folder: the folder is the
   server account's, mode 0700; the file is created with ``O_EXCL``, mode 0600.
2. The file's *name* — the secret — reaches the child only through a pipe inherited as
   file descriptor N. It is never on the command line (``ps`` shows that to every local
   user) nor in the environment.
3. The child reads the name from the pipe, opens the file without following links, checks
   that the folder and the file belong to its own account and nobody else may read or
   write them, that the ticket is fresh (:data:`MAX_AGE` seconds), and deletes it before
   using it: a ticket works once.

A local user without the server's account cannot read the folder, so he can neither learn
nor plant a ticket, and guessing 256 bits is hopeless; pointing ``--ticket-dir`` at his own
folder makes the child run as *him*, with his own (no) access to the database. Anyone who
does hold the server's account can read the database itself, so the ticket gives him
nothing more.
"""

from __future__ import annotations

import json
import os
import secrets
import stat
import time
from dataclasses import asdict, dataclass
from pathlib import Path

MAX_AGE = 60.0  # seconds from the server's writing to the child's reading
NAME_BYTES = 32
MAX_TICKET_SIZE = 4096


class TicketError(Exception):
    """The ticket is missing, forged, stale or already used."""


@dataclass(frozen=True)
class Ticket:
    login: str
    address: str
    method: str  # "password" | "publickey"
    created: float  # time.time() of writing


def prepare_dir(folder: Path) -> Path:
    """Create the ticket folder (mode 0700) or check that an existing one is private."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = folder.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid():
        raise TicketError(f"{folder}: не папка или чужая папка")
    if info.st_mode & 0o077:
        os.chmod(folder, 0o700)
    return folder


def _check_private(info: os.stat_result, what: str) -> None:
    if info.st_uid != os.geteuid():
        raise TicketError(f"{what}: владелец не совпадает")
    if info.st_mode & 0o077:
        raise TicketError(f"{what}: доступ есть не только у владельца")


def issue(folder: Path, login: str, address: str, method: str) -> str:
    """Write a ticket; returns its secret name (give it to the child through a pipe)."""
    prepare_dir(folder)
    name = secrets.token_hex(NAME_BYTES)
    ticket = Ticket(login=login, address=address, method=method, created=time.time())
    fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        os.write(fd, json.dumps(asdict(ticket)).encode("utf-8"))
    finally:
        os.close(fd)
    return name


def discard(folder: Path, name: str) -> None:
    """Remove a ticket the child did not take (it failed to start)."""
    try:
        (folder / name).unlink()
    except OSError:
        pass


def read_name(fd: int) -> str:
    """Read the ticket's name from the inherited pipe and close it."""
    chunks: list[bytes] = []
    try:
        while True:
            chunk = os.read(fd, 256)
            if not chunk:
                break
            chunks.append(chunk)
            if sum(len(c) for c in chunks) > 256:
                raise TicketError("слишком длинное имя билета")
    except OSError as exc:
        raise TicketError(f"канал билета: {exc}") from None
    finally:
        try:
            os.close(fd)
        except OSError:
            pass
    return b"".join(chunks).decode("ascii", "replace").strip()


def redeem(folder: Path, name: str, *, now: float | None = None) -> Ticket:
    """Check, delete and return the ticket called ``name`` in ``folder``."""
    if len(name) != NAME_BYTES * 2 or any(c not in "0123456789abcdef" for c in name):
        raise TicketError("неверное имя билета")
    try:
        _check_private(folder.lstat(), str(folder))
        if not stat.S_ISDIR(folder.lstat().st_mode):
            raise TicketError(f"{folder}: не папка")
        path = folder / name
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError as exc:
        raise TicketError(f"билет не найден: {exc.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise TicketError("билет не обычный файл")
        _check_private(info, "билет")
        data = os.read(fd, MAX_TICKET_SIZE + 1)
    finally:
        os.close(fd)
    try:
        path.unlink()  # one use only, and before anything else
    except OSError as exc:
        raise TicketError(f"билет нельзя удалить: {exc.strerror}") from None
    if len(data) > MAX_TICKET_SIZE:
        raise TicketError("билет слишком большой")
    try:
        fields = json.loads(data.decode("utf-8"))
        ticket = Ticket(
            login=str(fields["login"]),
            address=str(fields["address"]),
            method=str(fields["method"]),
            created=float(fields["created"]),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise TicketError(f"билет испорчен: {exc}") from None
    age = (time.time() if now is None else now) - ticket.created
    if not -5.0 <= age <= MAX_AGE:
        raise TicketError("билет просрочен")
    return ticket
