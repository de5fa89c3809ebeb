"""Files the program writes are its owner's only (0600, folders 0700), whatever the umask;
``tui-journal doctor`` lists what is wider and prints the fix. Real files, real umasks."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui_journal.db.database import open_database, sqlite_url
from tui_journal.export import save
from tui_journal.export.model import Column, TableModel
from tui_journal.services.pending import PendingChange, PendingQueue

from .helpers import ADMIN_PASSWORD, Cli, init_args


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(params=[0o022, 0o000], ids=["umask022", "umask000"])
def umask(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """A permissive umask, and the platform folders inside the test's folder."""
    for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_STATE_HOME", "state"), ("XDG_CONFIG_HOME", "config")):
        monkeypatch.setenv(var, str(tmp_path / "home" / sub))
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def test_init_creates_a_private_database_and_folder(umask: int, cli: Cli, db_file: Path) -> None:
    assert cli(*init_args(), stdin=ADMIN_PASSWORD + "\n").code == 0
    assert mode(db_file.parent) == 0o700
    assert mode(db_file) == 0o600
    # open it the way the app does while another connection keeps the WAL alive
    db = open_database(sqlite_url(db_file))
    db.execute_sql("CREATE TABLE IF NOT EXISTS t_probe (x)")
    db.execute_sql("INSERT INTO t_probe VALUES (1)")
    for suffix in ("-wal", "-shm"):
        side = db_file.with_name(db_file.name + suffix)
        assert side.exists() and mode(side) == 0o600, suffix
    db.close()


def test_existing_wal_and_shm_are_no_wider_than_the_database(umask: int, tmp_path: Path) -> None:
    path = tmp_path / "old" / "journal.db"
    path.parent.mkdir()
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=wal")
    con.execute("CREATE TABLE t (x)")
    os.chmod(path, 0o600)
    for suffix in ("-wal", "-shm"):
        os.chmod(path.with_name(path.name + suffix), 0o644)
    db = open_database(sqlite_url(path), check_schema=False)
    for suffix in ("-wal", "-shm"):
        assert mode(path.with_name(path.name + suffix)) == 0o600
    db.close()
    con.close()


def test_demo_database_and_key_file_are_private(umask: int, cli: Cli, db_file: Path) -> None:
    r = cli("demo", "--size", "tiny")
    assert r.code == 0, r.err
    assert mode(db_file) == 0o600 and mode(db_file.parent) == 0o700
    keys = list(db_file.parent.glob("school-*.key"))
    assert keys and all(mode(k) == 0o600 for k in keys)
    doctor = cli("doctor")
    assert doctor.code == 0, doctor.out


def test_backup_and_report_exports_are_private(umask: int, school: Cli, tmp_path: Path) -> None:
    r = school("backup", "-o", str(tmp_path / "copy.db"))
    assert r.code == 0, r.err
    assert mode(tmp_path / "copy.db") == 0o600
    model = TableModel(name="probe", title="Проба", columns=(Column("a", "А", 5),), rows=[["1"]])
    path = save(model, "csv", tmp_path / "exports" / "deep")
    assert mode(path) == 0o600 and mode(path.parent) == 0o700
    out = school("report", "list")
    assert out.code == 0


def test_pending_queue_is_private(umask: int, tmp_path: Path) -> None:
    queue = PendingQueue(tmp_path / "data" / "pending", "teacher")
    queue.add(PendingChange.cell(1, 2, "5"))
    assert mode(tmp_path / "data" / "pending") == 0o700
    assert mode(queue.path) == 0o600
    assert all(mode(p) == 0o600 for p in queue.path.parent.iterdir())


def test_doctor_lists_wide_files_with_the_fix(umask: int, school: Cli, db_file: Path) -> None:
    assert school("doctor").code == 0
    os.chmod(db_file, 0o644)
    key = db_file.with_name("school-1-deadbeef.key")
    key.write_text("x")
    os.chmod(key, 0o640)
    r = school("doctor")
    assert r.code == 1
    assert f"chmod 0600 {db_file}" in r.out
    assert f"chmod 0600 {key}" in r.out
    os.chmod(db_file, 0o600)
    os.chmod(key, 0o600)
    assert school("doctor").code == 0


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_doctor_lists_a_file_of_another_owner(school: Cli, db_file: Path, tmp_path: Path) -> None:
    import pwd

    log = tmp_path / "log" / "journal.log"  # written by the commands above (TUI_JOURNAL_LOG_DIR)
    assert log.exists()
    os.chown(log, 4242, -1)
    r = school("doctor")
    owner = pwd.getpwuid(db_file.stat().st_uid).pw_name
    assert r.code == 1 and f"chown {owner} {log}" in r.out
