"""Database failures a user can do nothing about get their own message, from real conditions:
a full database (``PRAGMA max_page_count``: SQLITE_FULL for real), a read-only connection
(``PRAGMA query_only``), a PostgreSQL connection that the server killed."""

from __future__ import annotations

import os

import pytest
from peewee import Database, IntegrityError, OperationalError

from tui_journal.db.models import User, database_proxy
from tui_journal.services import db_errors, journal
from tui_journal.services.pending import is_retryable

from .world import World, build_world


def fill_to_the_limit(w: World) -> None:
    """Cap the database at its size (every connection), then write until SQLite says it is
    full: the next audited change needs a new page and fails with SQLITE_FULL."""
    db = database_proxy.obj
    db.execute_sql("VACUUM")
    pages = db.execute_sql("PRAGMA page_count").fetchone()[0]
    db.pragma("max_page_count", pages, permanent=True)
    teacher, lesson, pupil = w.actors["teacher"], w.lessons["7А"], w.students["7А"]
    for i in range(5000):
        try:
            journal.set_cell(teacher, lesson.id, pupil.id, "54"[i % 2])
        except OperationalError as exc:
            assert "database or disk is full" in str(exc), exc
            return
    raise AssertionError("the database never filled up")


def test_a_full_database_says_so_not_cannot_rollback(db: Database) -> None:
    w = build_world()
    fill_to_the_limit(w)
    with pytest.raises(OperationalError) as caught:
        journal.set_cell(w.actors["teacher"], w.lessons["7А"].id, w.students["7А"].id, "3")
    assert "cannot rollback" not in str(caught.value)
    assert db_errors.kind(caught.value) == "disk_full" and is_retryable(caught.value)
    assert db_errors.message(caught.value) == "Диск сервера заполнен: изменение не сохранено. Сообщите администратору"


def test_a_read_only_database(db: Database) -> None:
    w = build_world()
    database_proxy.obj.execute_sql("PRAGMA query_only = 1")
    with pytest.raises(OperationalError) as caught:
        journal.set_cell(w.actors["teacher"], w.lessons["7А"].id, w.students["7А"].id, "3")
    assert db_errors.kind(caught.value) == "read_only" and is_retryable(caught.value)
    assert "только для чтения" in (db_errors.message(caught.value) or "")


def test_a_bug_is_not_a_database_failure(db: Database) -> None:
    build_world()
    with pytest.raises(IntegrityError) as caught:
        User.create(school=1, login="admin", last_name="x", first_name="y")  # a duplicate login
    assert db_errors.kind(caught.value) is None and not is_retryable(caught.value)


@pytest.mark.skipif(not os.environ.get("TUI_JOURNAL_TEST_PG"), reason="needs TUI_JOURNAL_TEST_PG")
def test_a_lost_postgresql_connection(any_db: Database) -> None:
    if database_proxy.obj.__class__.__name__ != "PostgresqlDatabase":
        pytest.skip("PostgreSQL only")
    w = build_world()
    import psycopg2

    db = database_proxy.obj
    pid = db.execute_sql("SELECT pg_backend_pid()").fetchone()[0]
    other = psycopg2.connect(dbname=db.database, **db.connect_params)
    other.autocommit = True
    with other.cursor() as cur:  # the server ends the app's session, as a restart would
        cur.execute("SELECT pg_terminate_backend(%s)", (pid,))
    other.close()
    with pytest.raises(Exception) as caught:
        journal.set_cell(w.actors["teacher"], w.lessons["7А"].id, w.students["7А"].id, "3")
    assert db_errors.kind(caught.value) == "connection_lost", repr(caught.value)
    assert "связь с сервером базы данных" in (db_errors.message(caught.value) or "")
