"""``tui-journal sign keygen|pubkey|FILE`` and ``tui-journal verify`` (R-DIR-1).

The parser is built here with ``sign.register`` added, so these tests do not depend on
the command being wired into ``cli/core.py`` yet.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from tui_journal.cli import core, sign

from .helpers import ADMIN_PASSWORD, Cli, query

DIRECTOR_PASSWORD = "Direktor-pass-2026"


@pytest.fixture(autouse=True)
def _with_sign_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    """Add ``sign`` and ``verify`` to the parser unless core already has them."""
    build = core.build_parser

    def build_with_sign() -> argparse.ArgumentParser:
        parser = build()
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        if "sign" not in sub.choices:
            sign.register(sub)
        return parser

    monkeypatch.setattr(core, "build_parser", build_with_sign)


@pytest.fixture
def school_with_director(school: Cli) -> Cli:
    result = school(
        "user", "add", "direktor", "--name", "Сергеева Анна Павловна", "--role", "director",
        "--password-stdin", stdin=DIRECTOR_PASSWORD + "\n",
    )
    assert result.code == 0, result.err
    return school


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "journal-7A.pdf"
    path.write_bytes(b"%PDF-1.4\n" + "Журнал 7А".encode() * 50)
    return path


def test_keygen_pubkey_sign_and_verify_with_the_public_key_only(school_with_director: Cli, report: Path, tmp_path: Path, db_file: Path) -> None:
    cli = school_with_director
    made = cli("sign", "keygen")
    assert made.code == 0, made.err
    assert "Создан ключ подписи школы" in made.out
    again = cli("sign", "keygen")
    assert again.code == 1 and "уже есть ключ" in again.err

    pem = tmp_path / "school.pem"
    out = cli("sign", "pubkey", "-o", str(pem))
    assert out.code == 0 and pem.read_text().startswith("-----BEGIN PUBLIC KEY-----")
    printed = cli("sign", "pubkey")
    assert printed.out == pem.read_text()

    signed = cli("sign", str(report), "--login", "direktor", "--password-stdin", stdin=DIRECTOR_PASSWORD + "\n")
    assert signed.code == 0, signed.err
    assert f"Подпись записана: {report}.sig" in signed.out and "Сергеева Анна Павловна (директор)" in signed.out
    data = json.loads(Path(f"{report}.sig").read_text(encoding="utf-8"))
    assert data["signer_login"] == "direktor" and data["file"] == "journal-7A.pdf"
    assert query(db_file, "SELECT actor_name, action, entity_id FROM audit_entry WHERE action = 'sign'") == [
        ("direktor", "sign", "journal-7A.pdf")
    ]

    # anyone with the public key: no database at all (the URL points nowhere)
    nowhere = f"sqlite:///{tmp_path / 'no-such-dir' / 'none.db'}"
    ok = cli("verify", str(report), "--pubkey", str(pem), "--db", nowhere, db=False)
    assert ok.code == 0, ok.err
    assert "Подпись верна" in ok.out and "Сергеева Анна Павловна" in ok.out
    # with the database: the key is found by its id
    assert cli("verify", str(report)).code == 0

    report.write_bytes(report.read_bytes() + b"!")
    bad = cli("verify", str(report), "--pubkey", str(pem), "--db", nowhere, db=False)
    assert bad.code == 1 and "ФАЙЛ ИЗМЕНЁН" in bad.out


def test_only_the_director_signs_and_a_password_is_needed(school_with_director: Cli, report: Path) -> None:
    cli = school_with_director
    assert cli("sign", "keygen").code == 0
    admin = cli("sign", str(report), "--login", "admin", "--password-stdin", stdin=ADMIN_PASSWORD + "\n")
    assert admin.code == 1 and "только директор" in admin.err
    wrong = cli("sign", str(report), "--login", "direktor", "--password-stdin", stdin="wrong-password\n")
    assert wrong.code == 1 and "Неверный логин или пароль" in wrong.err
    no_login = cli("sign", str(report))
    assert no_login.code == 2 and "--login" in no_login.err
    missing = cli("sign", str(report.with_name("nothing.pdf")), "--login", "direktor")
    assert missing.code == 1 and "Файл не найден" in missing.err
    assert not Path(f"{report}.sig").exists()


def test_signing_without_a_key_says_how_to_make_one(school_with_director: Cli, report: Path) -> None:
    result = school_with_director(
        "sign", str(report), "--login", "direktor", "--password-stdin", stdin=DIRECTOR_PASSWORD + "\n"
    )
    assert result.code == 1 and "tui-journal sign keygen" in result.err
    assert school_with_director("sign", "pubkey").code == 1


def test_verify_without_a_signature_file(school_with_director: Cli, report: Path, tmp_path: Path) -> None:
    result = school_with_director("verify", str(report))
    assert result.code == 1 and "Файл подписи не найден" in result.err
    pem = tmp_path / "missing.pem"
    result = school_with_director("verify", str(report), "--pubkey", str(pem))
    assert result.code == 1 and "Не удалось прочитать" in result.err


def test_help_mentions_keygen_and_pubkey(cli: Cli) -> None:
    result = cli("sign", "--help", db=False)
    assert result.code == 0 and "keygen" in result.out and "pubkey" in result.out


def test_keygen_writes_a_private_key_file_and_sign_needs_it(school_with_director: Cli, report: Path, db_file: Path) -> None:
    cli = school_with_director
    made = cli("sign", "keygen")
    assert made.code == 0, made.err
    keys = list(db_file.parent.glob("school-*.key"))
    assert len(keys) == 1 and f"записан в файл {keys[0]}" in made.out
    assert keys[0].stat().st_mode & 0o777 == 0o600
    assert query(db_file, "SELECT private_pem IS NULL FROM school_key") == [(1,)]
    moved = keys[0].rename(keys[0].with_suffix(".moved"))
    missing = cli("sign", str(report), "--login", "direktor", "--password-stdin", stdin=DIRECTOR_PASSWORD + "\n")
    assert missing.code == 1 and "Нет файла закрытого ключа" in missing.err
    signed = cli(
        "sign", str(report), "--login", "direktor", "--password-stdin", "--key-file", str(moved),
        stdin=DIRECTOR_PASSWORD + "\n",
    )
    assert signed.code == 0, signed.err


def test_an_encrypted_key_from_the_console(school_with_director: Cli, report: Path, tmp_path: Path) -> None:
    cli = school_with_director
    keys = tmp_path / "keys"
    made = cli("sign", "keygen", "--encrypt", "--passphrase-stdin", "--key-dir", str(keys), stdin="пароль ключа\n")
    assert made.code == 0, made.err
    (key,) = keys.glob("school-*.key")
    assert "ENCRYPTED" in key.read_text()
    args = ("sign", str(report), "--login", "direktor", "--password-stdin", "--passphrase-stdin", "--key-dir", str(keys))
    wrong = cli(*args, stdin=DIRECTOR_PASSWORD + "\nне тот\n")
    assert wrong.code == 1 and "Неверный пароль ключа" in wrong.err
    ok = cli(*args, stdin=DIRECTOR_PASSWORD + "\nпароль ключа\n")
    assert ok.code == 0, ok.err
    assert cli("verify", str(report)).code == 0


def test_db_upgrade_moves_a_stored_private_key_out_of_the_database(cli: Cli, db_file: Path, report: Path) -> None:
    """A database of the version before 0002: the private key in ``school_key``."""
    from playhouse.migrations import Runner

    from tui_journal.db.database import HISTORY_TABLE, MIGRATIONS_DIR, open_database, sqlite_url
    from tui_journal.services import signing
    from tui_journal.services.school import create_school_with_admin

    db = open_database(sqlite_url(db_file), check_schema=False)
    Runner(db, MIGRATIONS_DIR, table_name=HISTORY_TABLE).up(target="0001_initial")
    create_school_with_admin("Школа", "admin", ("Петров", "Пётр", ""), ADMIN_PASSWORD, origin="cli")
    private_pem, public_pem = signing.generate_key_pair()
    db.execute_sql(
        "INSERT INTO school_key (school_id, private_pem, public_pem, created_at, created_by) VALUES (1, ?, ?, '2026-01-01', 'old')",
        (private_pem, public_pem),
    )
    db.close()
    assert cli("db", "status").code == 1
    up = cli("db", "upgrade")
    assert up.code == 0, up.err
    key = signing.key_file_path(1, signing.key_id(public_pem), db_file.parent)
    assert f"перенесён из базы в файл {key}" in up.out
    assert key.read_text() == private_pem and key.stat().st_mode & 0o777 == 0o600
    assert query(db_file, "SELECT private_pem FROM school_key") == [(None,)]
    for name in (db_file.name, db_file.name + "-wal"):  # not left in a free page or the log
        side = db_file.with_name(name)
        assert not side.exists() or private_pem.encode()[40:80] not in side.read_bytes()
    (safety,) = db_file.parent.glob("journal.db.before-upgrade-*")
    assert private_pem.encode()[40:80] not in safety.read_bytes()  # nor in the safety copy
    assert cli("db", "upgrade").code == 0  # nothing pending, nothing to move
