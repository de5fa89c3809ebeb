"""Changes that could not be saved yet: a queue on disk that survives closing the app.

When the database is busy or unreachable, a typed mark must not be lost silently. The grid
puts the change here, shows the cell as "not saved", and retries; the queue lives in a file
per login (one JSON object per line, rewritten atomically under a lock), so a crash, a
dropped SSH link or closing the app keeps it until the next session flushes it.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from peewee import DatabaseError, InterfaceError, OperationalError

from tui_journal import clock
from tui_journal.private import open_private, private_dir
from tui_journal.services import db_errors
from tui_journal.services.actor import Actor
from tui_journal.services.errors import ServiceError

#: Exception types that may mean "try again later" rather than "this change is wrong";
#: :func:`is_retryable` says whether one really does (busy, disk full, read-only, connection
#: lost: services/db_errors.py); any other database error is a bug and is not queued.
RETRYABLE = (OperationalError, InterfaceError, DatabaseError)


def is_retryable(exc: BaseException) -> bool:
    return db_errors.kind(exc) is not None


@dataclass(frozen=True)
class PendingChange:
    id: str
    kind: str  # "set_cell"
    lesson_id: int
    student_id: int
    text: str
    work_type_id: int | None
    typed_at: str  # ISO time the teacher typed it
    error: str = ""  # the last refusal, when the service refused it for good

    @classmethod
    def cell(cls, lesson_id: int, student_id: int, text: str, work_type_id: int | None = None) -> PendingChange:
        return cls(
            id=uuid.uuid4().hex,
            kind="set_cell",
            lesson_id=lesson_id,
            student_id=student_id,
            text=text,
            work_type_id=work_type_id,
            typed_at=clock.now().replace(microsecond=0).isoformat(),
        )


class PendingQueue:
    """The on-disk queue of one login."""

    def __init__(self, directory: Path, login: str) -> None:
        safe = "".join(ch for ch in login if ch.isalnum() or ch in "._-") or "_"
        private_dir(directory, tighten=True)  # marks not saved yet: the owner's only
        self.path = directory / f"{safe}.jsonl"
        self._lock_path = directory / f"{safe}.lock"

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with open_private(self._lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _read(self) -> list[PendingChange]:
        if not self.path.exists():
            return []
        result = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                result.append(PendingChange(**json.loads(line)))
        return result

    def _write(self, items: list[PendingChange]) -> None:
        tmp = self.path.with_suffix(".tmp")
        with open_private(tmp, "w", encoding="utf-8") as fh:
            for item in items:
                fh.write(json.dumps(asdict(item), ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)

    def items(self) -> list[PendingChange]:
        with self._locked():
            return self._read()

    def add(self, change: PendingChange) -> None:
        """Queue a change; a newer change of the same cell replaces the older one."""
        with self._locked():
            items = [
                i
                for i in self._read()
                if not (i.kind == change.kind and i.lesson_id == change.lesson_id and i.student_id == change.student_id)
            ]
            items.append(change)
            self._write(items)

    def __len__(self) -> int:
        return len(self.items())

    def flush(self, actor: Actor, apply: Callable[[Actor, PendingChange], object]) -> tuple[int, list[PendingChange]]:
        """Try every queued change in order; returns (saved, refused).

        A change the service refuses for good (bad input, no right any more) leaves the
        queue with its reason, returned to the caller to show; one that fails for a
        retryable reason stays, and the flush stops there to keep the order.
        """
        saved = 0
        refused: list[PendingChange] = []
        with self._locked():
            items = self._read()
            remaining = list(items)
            for item in items:
                try:
                    apply(actor, item)
                    saved += 1
                except RETRYABLE as exc:
                    if not is_retryable(exc):
                        raise
                    break
                except ServiceError as exc:
                    refused.append(PendingChange(**{**asdict(item), "error": exc.message}))
                remaining.remove(item)
                self._write(remaining)
        return saved, refused


def apply_change(actor: Actor, change: PendingChange) -> object:
    """Replay a queued change through the journal service."""
    from tui_journal.services import journal

    if change.kind == "set_cell":
        return journal.set_cell(
            actor, change.lesson_id, change.student_id, change.text, work_type_id=change.work_type_id
        )
    raise ValueError(f"unknown pending change kind: {change.kind}")
