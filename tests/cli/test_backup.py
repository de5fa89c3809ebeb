"""`backup` and `restore` on SQLite: a live WAL database, corrupt files, the safety copy."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import sqlite3
import stat
import threading
from pathlib import Path

import pytest

from tui_journal.db import backup as backups
from tui_journal.db.backup import BackupError, check_backup, known_migrations

from .helpers import Cli, query


def _schools(path: Path) -> list[str]:
    return [name for (name,) in query(path, "SELECT name FROM school ORDER BY id")]


def _add_school(con: sqlite3.Connection, name: str) -> None:
    con.execute("INSERT INTO school (name, short_name, address, director_name, week_days, rounding,"
                " threshold_5, threshold_4, threshold_3, min_marks, login_note, created_at)"
                " VALUES (?, '', '', '', 5, 'half_up', 4.65, 3.65, 2.65, 3, '', '2026-09-01 08:00:00')", (name,))


def test_backup_of_a_live_wal_database_has_the_committed_rows(school: Cli, url: str, db_file: Path, tmp_path: Path) -> None:
    writer = sqlite3.connect(db_file, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint=0")  # committed pages stay in the -wal file
    _add_school(writer, "Школа из WAL")
    holder = sqlite3.connect(db_file, isolation_level=None, timeout=30, check_same_thread=False)
    try:
        holder.execute("BEGIN IMMEDIATE")
        _add_school(holder, "Незакоммиченная школа")

        # The committed row lives only in the WAL: a plain copy of the main file misses it.
        raw = tmp_path / "raw-copy.db"
        shutil.copyfile(db_file, raw)
        assert "Школа из WAL" not in _schools(raw)

        target = backups.backup(url, tmp_path / "live.db")
        assert _schools(target)[-1] == "Школа из WAL"
        assert "Незакоммиченная школа" not in _schools(target)
        assert query(target, "PRAGMA integrity_check") == [("ok",)]
        assert query(target, "PRAGMA journal_mode") == [("delete",)]  # one self-contained file
        assert not Path(str(target) + "-wal").exists()
        assert stat.S_IMODE(os.stat(target).st_mode) == 0o600  # it holds password hashes
        info = check_backup(target)
        assert info.applied == known_migrations() and info.pending == ()
        assert info.users == 1 and "Школа из WAL" in info.schools

        # Through the CLI: it waits for the writer to finish, then records the export.
        threading.Timer(0.5, holder.execute, ("ROLLBACK",)).start()
        r = school("backup", "-o", str(tmp_path / "cli.db"))
        assert r.code == 0, r.err
        assert "Школа из WAL" in _schools(tmp_path / "cli.db")
    finally:
        holder.close()
        writer.close()
    # Two schools now: commands must say which one, and each school's log shows the export,
    # since a copy of the database holds them all (R-ACC-5).
    r = school("audit", "--entity", "database")
    assert r.code == 1 and "несколько школ" in r.err
    for school_id in ("1", "2"):
        r = school("audit", "--entity", "database", "--format", "csv", "--school", school_id)
        rows = list(csv.DictReader(io.StringIO(r.out)))
        assert [(x["Действие"], x["Поле"], x["Стало"]) for x in rows] == [
            ("выгрузка", "backup", str((tmp_path / "cli.db").resolve()))
        ]


def test_backup_default_name_and_no_overwrite(school: Cli, tmp_path: Path) -> None:
    r = school("backup")
    assert r.code == 0, r.err
    made = [p for p in tmp_path.iterdir() if re.fullmatch(r"journal-\d{8}-\d{6}\.db", p.name)]
    assert len(made) == 1
    before = made[0].read_bytes()
    r = school("backup", "-o", made[0].name)
    assert r.code == 1 and "уже существует" in r.err
    assert made[0].read_bytes() == before


def test_backup_of_a_missing_database(cli: Cli, tmp_path: Path) -> None:
    r = cli("backup", "-o", str(tmp_path / "x.db"))
    assert r.code == 1 and "не найден" in r.err
    assert not (tmp_path / "x.db").exists()


def test_check_backup_refuses_garbage(school: Cli, tmp_path: Path, db_file: Path) -> None:
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(os.urandom(64 * 1024))
    with pytest.raises(BackupError, match="не резервная копия"):
        check_backup(garbage)
    before = db_file.read_bytes()
    r = school("restore", str(garbage), "--yes")
    assert r.code == 1 and "не резервная копия журнала" in r.err
    assert db_file.read_bytes() == before
    assert not list(db_file.parent.glob("*.before-restore-*"))


def test_check_backup_refuses_a_damaged_sqlite_file(school: Cli, url: str, tmp_path: Path) -> None:
    good = backups.backup(url, tmp_path / "good.db")
    data = bytearray(good.read_bytes())
    page = 4096
    assert len(data) > 6 * page
    data[page : 6 * page] = os.urandom(5 * page)  # pages 2–6 overwritten, the header intact
    bad = tmp_path / "bad.db"
    bad.write_bytes(bytes(data))
    with pytest.raises(BackupError, match="повреждена"):
        check_backup(bad)
    r = school("restore", str(bad), "--yes")
    assert r.code == 1 and "повреждена" in r.err


def test_check_backup_refuses_a_foreign_database_and_a_newer_one(url: str, school: Cli, tmp_path: Path) -> None:
    foreign = tmp_path / "foreign.db"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    with pytest.raises(BackupError, match="нет таблиц schema_migration, school"):
        check_backup(foreign)

    newer = backups.backup(url, tmp_path / "newer.db")
    con = sqlite3.connect(newer)
    con.execute("INSERT INTO schema_migration (name, applied) VALUES ('0099_from_the_future', '2030-01-01')")
    con.commit()
    con.close()
    with pytest.raises(BackupError, match="более новой версией"):
        check_backup(newer)
    r = school("restore", str(newer), "--yes")
    assert r.code == 1 and "0099_from_the_future" in r.err


def test_restore_brings_back_a_deleted_user_and_keeps_a_safety_copy(school: Cli, db_file: Path, tmp_path: Path) -> None:
    r = school("user", "add", "ivanova", "--name", "Иванова Мария", "--role", "teacher", "--no-password")
    assert r.code == 0, r.err
    assert school("backup", "-o", str(tmp_path / "b.db")).code == 0
    con = sqlite3.connect(db_file)
    con.execute("PRAGMA foreign_keys = ON")
    con.execute("DELETE FROM user WHERE login = 'ivanova'")
    con.commit()
    con.close()
    assert school("user", "show", "ivanova").code == 1

    r = school("restore", str(tmp_path / "b.db"), stdin="нет\n")
    assert r.code == 1 and "Отменено" in r.err
    assert school("user", "show", "ivanova").code == 1

    r = school("restore", str(tmp_path / "b.db"), stdin="да\n")
    assert r.code == 0, r.err
    r = school("user", "show", "ivanova")
    assert r.code == 0 and "Иванова Мария" in r.out
    (safety,) = db_file.parent.glob("journal.db.before-restore-*")
    assert query(safety, "SELECT COUNT(*) FROM user WHERE login = 'ivanova'") == [(0,)]
    assert query(safety, "PRAGMA integrity_check") == [("ok",)]
    assert query(db_file, "PRAGMA journal_mode") == [("wal",)]
    rows = list(csv.DictReader(io.StringIO(school("audit", "--entity", "database", "--format", "csv").out)))
    fields = {x["Поле"]: x["Стало"] for x in rows if x["Действие"] == "восстановление"}
    assert fields == {"restore": str((tmp_path / "b.db").resolve()), "safety_copy": str(safety.resolve())}


def test_restore_while_another_session_reads(school: Cli, url: str, db_file: Path, tmp_path: Path) -> None:
    backups.backup(url, tmp_path / "b.db")
    con = sqlite3.connect(db_file)
    con.execute("UPDATE school SET name = 'Переименована'")
    con.commit()
    con.close()
    reader = sqlite3.connect(db_file, isolation_level=None)
    try:
        reader.execute("BEGIN")
        assert reader.execute("SELECT name FROM school").fetchall() == [("Переименована",)]
        safety = backups.restore(url, tmp_path / "b.db")
        # The reader keeps its snapshot until it ends its transaction, then sees the backup.
        assert reader.execute("SELECT name FROM school").fetchall() == [("Переименована",)]
        reader.execute("COMMIT")
        assert reader.execute("SELECT name FROM school").fetchall() != [("Переименована",)]
    finally:
        reader.close()
    assert safety is not None and _schools(safety) == ["Переименована"]


def test_restore_into_a_missing_database_creates_it(school: Cli, url: str, tmp_path: Path) -> None:
    backups.backup(url, tmp_path / "b.db")
    target = tmp_path / "new" / "journal.db"
    assert backups.restore(f"sqlite:///{target}", tmp_path / "b.db") is None
    assert _schools(target) == _schools(tmp_path / "b.db")


def test_a_pg_url_without_pg_dump_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(BackupError, match="Не найдена программа pg_dump"):
        backups.backup("postgresql://u:p@localhost/db", tmp_path / "x.dump")
    assert not (tmp_path / "x.dump").exists()
    assert backups.default_backup_name("postgresql://localhost/db").endswith(".dump")


def test_restoring_an_older_backup_asks_for_db_upgrade(school: Cli, url: str, tmp_path: Path) -> None:
    old = backups.backup(url, tmp_path / "old.db")
    con = sqlite3.connect(old)
    con.execute("DELETE FROM schema_migration")  # as if made before 0001_initial was recorded
    con.commit()
    con.close()
    assert check_backup(old).pending == known_migrations()
    r = school("restore", str(old), "--yes")
    assert r.code == 0, r.err
    assert "tui-journal db upgrade" in r.out
    r = school("user", "list")
    assert r.code == 2 and "tui-journal db upgrade" in r.err
    assert school("db", "upgrade").code == 0
    r = school("user", "list")
    assert r.code == 0 and "admin" in r.out
