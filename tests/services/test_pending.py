"""A mark typed while the database is locked waits on disk and is saved later (R-CONT-3)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from peewee import Database

from tui_journal.db.models import Mark
from tui_journal.services import journal
from tui_journal.services.pending import RETRYABLE, PendingChange, PendingQueue, apply_change

from .world import build_world


def test_locked_database_queues_then_flushes(db: Database, db_url: str, tmp_path: Path) -> None:
    w = build_world()
    Mark.delete().execute()
    teacher, lesson, pupil = w.actors["teacher"], w.lessons["7А"], w.students["7А"]
    db.execute_sql("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    other.execute("BEGIN IMMEDIATE")  # another session holds the write lock
    queue = PendingQueue(tmp_path / "pending", teacher.login)
    with pytest.raises(RETRYABLE):
        journal.set_cell(teacher, lesson.id, pupil.id, "5")
    queue.add(PendingChange.cell(lesson.id, pupil.id, "5"))
    queue.add(PendingChange.cell(lesson.id, pupil.id, "4"))  # a newer value of the same cell wins
    # a new session (the app was closed) still sees it
    reopened = PendingQueue(tmp_path / "pending", teacher.login)
    assert [c.text for c in reopened.items()] == ["4"]
    assert reopened.flush(teacher, apply_change) == (0, [])  # still locked: kept
    assert len(reopened) == 1
    other.rollback()
    other.close()
    saved, refused = reopened.flush(teacher, apply_change)
    assert (saved, refused) == (1, [])
    assert [m.value for m in Mark.select()] == ["4"]
    assert len(reopened) == 0


def test_refused_change_leaves_the_queue_with_its_reason(db: Database, tmp_path: Path) -> None:
    w = build_world()
    queue = PendingQueue(tmp_path / "pending", "teacher")
    queue.add(PendingChange.cell(w.lessons["8Б"].id, w.students["8Б"].id, "5"))  # not his class
    saved, refused = queue.flush(w.actors["teacher"], apply_change)
    assert saved == 0 and len(refused) == 1 and "Недостаточно прав" in refused[0].error
    assert len(queue) == 0
