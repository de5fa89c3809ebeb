"""`init` and `user …` in-process: outputs, exit codes, refusals and the audit trail."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tui_journal.db.database import open_database
from tui_journal.db.models import Student
from tui_journal.services.passwords import verify_password

from .helpers import ADMIN_PASSWORD, SCHOOL, Cli, init_args, query

TEACHER_PASSWORD = "Teacher-pass-7"


def audit_rows(cli: Cli, *extra: str) -> list[dict[str, str]]:
    result = cli("audit", "--limit", "0", "--format", "csv", *extra)
    assert result.code == 0, result.err
    return list(csv.DictReader(io.StringIO(result.out)))


def test_init_creates_schema_school_and_admin(cli: Cli, db_file: Path) -> None:
    result = cli(*init_args(), stdin=ADMIN_PASSWORD + "\n")
    assert result.code == 0, result.err
    assert SCHOOL in result.out
    assert "admin" in result.out and "tui-journal run" in result.out
    assert query(db_file, "SELECT name FROM school") == [(SCHOOL,)]
    (hash_,) = query(db_file, "SELECT password_hash FROM user WHERE login = 'admin'")[0]
    assert verify_password(hash_, ADMIN_PASSWORD)
    rows = audit_rows(cli)
    assert {(r["Объект"], r["Поле"]) for r in rows} >= {("школа 1", "name"), ("пользователь admin", "login")}


def test_init_asks_the_password_twice_without_echo(cli: Cli, db_file: Path) -> None:
    shown = cli.prompts(ADMIN_PASSWORD, ADMIN_PASSWORD)
    result = cli("init", "--school-name", SCHOOL, "--admin-name", "Петров Пётр")
    assert result.code == 0, result.err
    assert len(shown) == 2
    assert query(db_file, "SELECT login FROM user") == [("admin",)]


def test_init_refuses_a_mismatched_confirmation(cli: Cli, db_file: Path) -> None:
    cli.prompts(ADMIN_PASSWORD, ADMIN_PASSWORD + "x")
    result = cli("init", "--school-name", SCHOOL, "--admin-name", "Петров Пётр")
    assert result.code == 1
    assert "Пароли не совпадают" in result.err
    assert not db_file.exists() or query(db_file, "SELECT name FROM sqlite_master WHERE name = 'school'") == []


def test_init_refuses_when_the_database_has_a_school(school: Cli, db_file: Path) -> None:
    result = school(*init_args(), stdin=ADMIN_PASSWORD + "\n")
    assert result.code == 1
    assert "уже есть школа" in result.err and SCHOOL in result.err
    assert query(db_file, "SELECT COUNT(*) FROM school") == [(1,)]


def test_init_refuses_a_weak_admin_password(cli: Cli, db_file: Path) -> None:
    result = cli(*init_args(), stdin="qwerty123\n")
    assert result.code == 1
    assert "распространён" in result.err


def test_init_in_a_script_needs_the_options(cli: Cli) -> None:
    result = cli("init", "--password-stdin", stdin=ADMIN_PASSWORD + "\n")
    assert result.code == 2
    assert "--school-name" in result.err


def test_user_lifecycle_each_step_is_audited(school: Cli, db_file: Path) -> None:
    cli = school
    shown = cli.prompts(TEACHER_PASSWORD, TEACHER_PASSWORD)
    r = cli(
        "user", "add", "ivanova", "--name", "Иванова Мария Ивановна", "--role", "teacher",
        "--role", "educator", "--phone", "8 900 111-22-33", "--email", "m@school.ru",
    )
    assert r.code == 0, r.err
    assert len(shown) == 2
    assert "ivanova" in r.out and "учитель, воспитатель ГКП" in r.out

    r = cli("user", "list")
    assert r.code == 0
    line = next(x for x in r.out.splitlines() if x.startswith("ivanova"))
    assert "Иванова Мария Ивановна" in line and "активен" in line

    r = cli("user", "show", "ivanova")
    assert r.code == 0
    assert "8 900 111-22-33" in r.out and "m@school.ru" in r.out and "учитель" in r.out

    r = cli("user", "passwd", "ivanova", "--password-stdin", "--one-time", stdin="Second-pass-8\n")
    assert r.code == 0, r.err
    (hash_, must_change) = query(db_file, "SELECT password_hash, must_change_password FROM user WHERE login='ivanova'")[0]
    assert verify_password(hash_, "Second-pass-8") and must_change == 1

    r = cli("user", "lock", "ivanova")
    assert r.code == 0 and "заблокирована" in r.out
    assert query(db_file, "SELECT state FROM user WHERE login='ivanova'") == [("locked",)]
    r = cli("user", "unlock", "ivanova")
    assert r.code == 0 and "разблокирована" in r.out
    assert query(db_file, "SELECT state FROM user WHERE login='ivanova'") == [("active",)]

    r = cli("user", "roles", "ivanova", "--add", "deputy", "--remove", "educator")
    assert r.code == 0, r.err
    assert "заместитель директора по УВР, учитель" in r.out
    roles = {x for (x,) in query(db_file, "SELECT role FROM user_role JOIN user ON user.id = user_id WHERE login='ivanova'")}
    assert roles == {"deputy", "teacher"}

    r = cli("user", "remove", "ivanova")
    assert r.code == 0
    assert "ivanova" not in cli("user", "list").out
    assert "ivanova" in cli("user", "list", "--all").out

    changes = {(r["Объект"], r["Поле"], r["Стало"]) for r in audit_rows(cli)}
    assert ("пользователь ivanova", "login", "ivanova") in changes
    assert ("пользователь ivanova", "phone", "8 900 111-22-33") in changes
    assert ("пользователь ivanova", "password", "(одноразовый)") in changes
    assert ("пользователь ivanova", "state", "locked") in changes
    assert ("пользователь ivanova", "state", "active") in changes
    assert ("пользователь ivanova", "roles", "deputy, teacher") in changes
    assert ("пользователь ivanova", "state", "removed") in changes
    assert all(r["Кто"].startswith("консоль") and r["Откуда"] == "cli" for r in audit_rows(cli))


def test_duplicate_login_is_refused_and_changes_nothing(school: Cli, db_file: Path) -> None:
    cli = school
    r = cli("user", "add", "ivanova", "--name", "Иванова Мария", "--role", "teacher", "--password-stdin",
            stdin=TEACHER_PASSWORD + "\n")
    assert r.code == 0, r.err
    users = query(db_file, "SELECT id, login, last_name FROM user ORDER BY id")
    audit = query(db_file, "SELECT COUNT(*) FROM audit_entry")
    # Different case, and no password prompt: the refusal comes before it (no_tty would fail).
    r = cli("user", "add", "IVANOVA", "--name", "Другая Анна", "--role", "student")
    assert r.code == 1
    assert "Логин «IVANOVA» уже занят" in r.err
    assert query(db_file, "SELECT id, login, last_name FROM user ORDER BY id") == users
    assert query(db_file, "SELECT COUNT(*) FROM audit_entry") == audit


def test_short_or_common_password_is_refused(school: Cli, db_file: Path) -> None:
    r = school("user", "add", "petrov", "--name", "Петров Иван", "--role", "teacher", "--password-stdin",
               stdin="Ab1\n")
    assert r.code == 1 and "короче 8" in r.err
    r = school("user", "add", "petrov", "--name", "Петров Иван", "--role", "teacher", "--password-stdin",
               stdin="qwerty123\n")
    assert r.code == 1 and "распространён" in r.err
    r = school("user", "add", "petrov", "--name", "Петров Иван", "--role", "teacher", "--password-stdin",
               stdin="petrov\n")
    assert r.code == 1
    assert query(db_file, "SELECT COUNT(*) FROM user WHERE login = 'petrov'") == [(0,)]


def test_password_confirmation_mismatch_on_passwd(school: Cli, db_file: Path) -> None:
    before = query(db_file, "SELECT password_hash FROM user WHERE login='admin'")
    school.prompts("Brand-new-pass-1", "Brand-new-pass-2")
    r = school("user", "passwd", "admin")
    assert r.code == 1 and "Пароли не совпадают" in r.err
    assert query(db_file, "SELECT password_hash FROM user WHERE login='admin'") == before


def test_passwd_generate_prints_a_one_time_password(school: Cli, db_file: Path) -> None:
    school("user", "add", "sidorov", "--name", "Сидоров Пётр", "--role", "student", "--no-password")
    assert query(db_file, "SELECT password_hash FROM user WHERE login='sidorov'") == [(None,)]
    r = school("user", "passwd", "sidorov", "--generate")
    assert r.code == 0, r.err
    password = r.out.strip().rsplit(" ", 1)[-1]
    (hash_, must_change) = query(db_file, "SELECT password_hash, must_change_password FROM user WHERE login='sidorov'")[0]
    assert verify_password(hash_, password)
    assert must_change == 1


def test_add_generate_prints_the_password(school: Cli, db_file: Path) -> None:
    r = school("user", "add", "kuznetsova", "--name", "Кузнецова Ольга", "--role", "parent", "--generate")
    assert r.code == 0, r.err
    password = r.out.strip().splitlines()[-1].rsplit(" ", 1)[-1]
    (hash_,) = query(db_file, "SELECT password_hash FROM user WHERE login='kuznetsova'")[0]
    assert verify_password(hash_, password)


def test_the_last_admin_cannot_be_locked(school: Cli, db_file: Path) -> None:
    r = school("user", "lock", "admin")
    assert r.code == 1 and "последнего администратора" in r.err
    assert query(db_file, "SELECT state FROM user WHERE login='admin'") == [("active",)]


def test_unknown_user_and_unknown_role(school: Cli) -> None:
    r = school("user", "show", "nobody")
    assert r.code == 1 and "«nobody» не найден" in r.err
    r = school("user", "add", "x-user", "--name", "Икс Игрек", "--role", "boss")
    assert r.code == 2 and "недопустимое значение 'boss'" in r.err
    r = school("user", "roles", "admin")
    assert r.code == 2 and "--add" in r.err


def test_list_filters_by_role_and_search(school: Cli) -> None:
    school("user", "add", "ivanova", "--name", "Иванова Мария", "--role", "teacher", "--no-password")
    school("user", "add", "semenov", "--name", "Семёнов Олег", "--role", "student", "--no-password")
    out = school("user", "list", "--role", "teacher").out
    assert "ivanova" in out and "semenov" not in out and "admin" not in out
    out = school("user", "list", "--search", "семен").out  # ё typed as е
    assert "semenov" in out and "ivanova" not in out
    r = school("user", "list", "--search", "никого")
    assert r.code == 0 and "не найдены" in r.out


def test_link_parent_to_student(school: Cli, url: str) -> None:
    school("user", "add", "mama", "--name", "Смирнова Анна", "--role", "parent", "--no-password")
    r = school("user", "link", "mama", "--student", "999", "--relation", "мать")
    assert r.code == 1 and "Учащийся не найден" in r.err
    db = open_database(url)
    try:
        student = Student.create(school=1, last_name="Смирнов", first_name="Илья")
    finally:
        db.close()
    r = school("user", "link", "mama", "--student", str(student.id), "--relation", "мать")
    assert r.code == 0, r.err
    assert any(x["Поле"] == "relation" and x["Стало"] == "мать" for x in audit_rows(school))


def test_global_options_before_the_command_and_school_selection(school: Cli, url: str) -> None:
    r = school("--db", url, "--school", SCHOOL, "user", "list", db=False)
    assert r.code == 0 and "admin" in r.out
    r = school("--school", "1", "user", "list")
    assert r.code == 0 and "admin" in r.out
    r = school("--school", "Нет такой", "user", "list")
    assert r.code == 1 and "Школа не найдена" in r.err


def test_bad_urls_give_a_message_not_a_traceback(cli: Cli) -> None:
    r = cli("user", "list", "--db", "mysql://host/db", db=False)
    assert r.code == 2 and "Неизвестный адрес базы данных" in r.err
    r = cli("user", "list", "--db", "postgresql://who:secret@127.0.0.1:1/none", db=False)
    assert r.code == 1
    assert "Не удалось подключиться" in r.err and "secret" not in r.err


def test_missing_database_file_is_not_created(cli: Cli, db_file: Path) -> None:
    r = cli("user", "list")
    assert r.code == 2
    assert "не найден" in r.err and "tui-journal init" in r.err
    assert not db_file.exists()


def test_help_is_russian_and_lists_the_commands(cli: Cli) -> None:
    r = cli("--help", db=False)
    assert r.code == 0
    assert "Использование: tui-journal" in r.out
    for command in ("run", "init", "user", "audit", "db", "backup", "restore", "demo", "demo-logins"):
        assert f"\n    {command} " in r.out
    r = cli("user", "--help", db=False)
    for command in ("add", "list", "show", "passwd", "lock", "unlock", "roles", "remove", "link"):
        assert f"\n    {command} " in r.out
    r = cli("user", db=False)
    assert r.code == 2 and r.err.startswith("Использование: tui-journal user")


def test_audit_filters(school: Cli) -> None:
    school("user", "add", "ivanova", "--name", "Иванова Мария", "--role", "teacher", "--no-password")
    rows = audit_rows(school, "--entity", "school")
    assert rows and all(r["Объект"].startswith("школа") for r in rows)
    assert len(audit_rows(school, "--limit", "2")) == 2
    r = school("audit", "--limit", "2")
    assert r.code == 0 and len(r.out.strip().splitlines()) == 2 + 2  # header, rule, two rows
    assert audit_rows(school, "--since", "01.01.2000")
    assert audit_rows(school, "--since", "2999-01-01") == []
    assert audit_rows(school, "--user", "nobody") == []
    r = school("audit", "--since", "вчера")
    assert r.code == 2 and "неверная дата" in r.err


def test_ctrl_c_at_the_password_prompt(school: Cli, db_file: Path) -> None:
    import getpass

    def interrupted(prompt: str = "") -> str:
        raise KeyboardInterrupt

    school.monkeypatch.setattr(getpass, "getpass", interrupted)
    r = school("user", "add", "ivanova", "--name", "Иванова Мария", "--role", "teacher")
    assert r.code == 130 and "Прервано" in r.err
    assert query(db_file, "SELECT COUNT(*) FROM user WHERE login = 'ivanova'") == [(0,)]
