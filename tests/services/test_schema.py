"""Migrations: they build exactly the schema the models describe, and old schemas are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from peewee import Database
from playhouse.schema_diff import diff_models

from tui_journal.db.database import SchemaOutdated, ensure_current, make_database, schema_state, sqlite_url
from tui_journal.db.models import ALL_MODELS, database_proxy


def test_migrations_match_models(any_db: Database) -> None:
    diff = diff_models(any_db, list(ALL_MODELS))
    assert not diff, f"models and migrations differ; add a migration: {diff}"


def test_sqlite_runs_wal_with_foreign_keys(db: Database) -> None:
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_empty_and_outdated_schemas_are_refused(tmp_path: Path) -> None:
    db = make_database(sqlite_url(tmp_path / "old.db"))
    db.connect()
    database_proxy.initialize(db)
    with pytest.raises(SchemaOutdated, match="tui-journal init"):
        ensure_current(db)
    from tui_journal.db.database import upgrade

    upgrade(db)
    ensure_current(db)
    db.execute_sql("DELETE FROM schema_migration")
    state = schema_state(db)
    assert state.pending[:2] == ("0001_initial", "0002_signing_key_file") and "0004_school_words" in state.pending
    with pytest.raises(SchemaOutdated, match="tui-journal db upgrade"):
        ensure_current(db)


def test_newer_schema_is_refused(db: Database) -> None:
    db.execute_sql("INSERT INTO schema_migration (name, applied) VALUES ('0099_future', '2027-01-01')")
    with pytest.raises(SchemaOutdated, match="более новой версией"):
        ensure_current(db)


def test_a_database_before_the_plan_archive_upgrades(tmp_path: Path) -> None:
    from tui_journal.db.database import upgrade

    db = make_database(sqlite_url(tmp_path / "v1.db"))
    db.connect()
    database_proxy.initialize(db)
    upgrade(db)
    db.execute_sql('DROP TABLE "plan_archive"')
    db.execute_sql("DELETE FROM schema_migration WHERE name = '0003_plan_archive'")
    with pytest.raises(SchemaOutdated, match="0003_plan_archive"):
        ensure_current(db)
    assert upgrade(db) == ["0003_plan_archive"]
    ensure_current(db)
    assert "plan_archive" in db.get_tables()


def test_0004_upgrades_an_old_database_and_turns_off_control_works_of_music(tmp_path: Path) -> None:
    """An existing database (0001 only) upgrades with `db upgrade`: subjects without control
    works by their nature get the flag off, the others keep it; new columns have defaults."""
    from tui_journal.db.database import _runner, upgrade

    db = make_database(sqlite_url(tmp_path / "old.db"))
    db.connect()
    database_proxy.initialize(db)
    _runner(db).up(target="0001_initial")
    db.execute_sql("INSERT INTO school (name, short_name, address, director_name, week_days, rounding, threshold_5, "
                   "threshold_4, threshold_3, min_marks, login_note, created_at) "
                   "VALUES ('Школа', '', '', '', 5, 'half_up', 4.65, 3.65, 2.65, 3, '', '2026-09-01')")
    for name in ("Музыка", "Физическая культура", "Математика"):
        db.execute_sql("INSERT INTO subject (school_id, name, short_name, split_into_groups) VALUES (1, ?, '', 0)", (name,))
    assert "0004_school_words" in upgrade(db)
    ensure_current(db)
    flags = dict(db.execute_sql("SELECT name, has_control_works FROM subject").fetchall())
    assert flags == {"Музыка": 0, "Физическая культура": 0, "Математика": 1}
    assert db.execute_sql("SELECT personal_file_no FROM student").fetchall() == []
