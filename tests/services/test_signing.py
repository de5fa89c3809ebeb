"""Certifying exports with the school's Ed25519 key (R-DIR-1)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tui_journal.db.models import AuditEntry, SchoolKey
from tui_journal.services import signing
from tui_journal.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied

from .world import World


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "журнал 7А.pdf"
    path.write_bytes(b"%PDF-1.4 journal of 7A\n" * 100)
    return path


def test_the_admin_creates_the_key_once_and_may_replace_it(w: World) -> None:
    with pytest.raises(NotFound):
        signing.public_key(w.actors["director"])
    first = signing.keygen(w.actors["admin"])
    assert first.public_pem.startswith("-----BEGIN PUBLIC KEY-----") and len(first.key_id) == 32
    assert signing.public_key(w.actors["parent"]).key_id == first.key_id
    with pytest.raises(Conflict):
        signing.keygen(w.actors["admin"])
    second = signing.keygen(w.actors["admin"], replace=True)
    assert second.key_id != first.key_id and signing.public_key(w.actors["teacher"]).key_id == second.key_id
    assert SchoolKey.select().count() == 2  # the old key stays to verify what it signed
    with pytest.raises(PermissionDenied):
        signing.keygen(w.actors["director"], replace=True)
    rows = list(AuditEntry.select().where(AuditEntry.entity == "school_key"))
    assert [(r.old_value, r.new_value) for r in rows] == [(None, first.key_id), (first.key_id, second.key_id)]


def test_the_director_signs_and_anybody_verifies_with_the_public_key_alone(w: World, report: Path) -> None:
    key = signing.keygen(w.actors["admin"])
    at = dt.datetime(2026, 12, 28, 15, 30)
    info = signing.sign_file(w.actors["director"], report, at=at)
    assert info.sig_file == report.with_name("журнал 7А.pdf.sig")
    data = json.loads(info.sig_file.read_text(encoding="utf-8"))
    assert data["signer"] == "Директорова Дарья Дмитриевна" and data["signer_login"] == "director"
    assert data["school"] == "МБОУ СОШ № 1" and data["file"] == "журнал 7А.pdf"
    assert data["signed_at"].startswith("2026-12-28T15:30:00") and data["key_id"] == key.key_id
    assert data["size"] == report.stat().st_size
    result = signing.verify_file(report, public_pem=key.public_pem)
    assert result.valid and result.file_matches and result.signature_ok
    assert result.signer == "Директорова Дарья Дмитриевна" and "Подпись верна" in result.message
    audit = AuditEntry.get(AuditEntry.action == "sign")
    assert (audit.actor_name, audit.entity_id, audit.new_value) == ("director", "журнал 7А.pdf", info.sha256)


def test_the_key_is_found_in_the_database_without_a_pem(w: World, report: Path) -> None:
    signing.keygen(w.actors["admin"])
    signing.sign_file(w.actors["director"], report)
    assert signing.verify_file(report).valid


def test_a_changed_file_is_detected(w: World, report: Path) -> None:
    key = signing.keygen(w.actors["admin"])
    signing.sign_file(w.actors["director"], report)
    report.write_bytes(report.read_bytes().replace(b"7A", b"7B"))
    result = signing.verify_file(report, public_pem=key.public_pem)
    assert not result.valid and result.signature_ok and not result.file_matches
    assert "ФАЙЛ ИЗМЕНЁН" in result.message


def test_a_forged_signer_or_another_key_is_detected(w: World, report: Path) -> None:
    key = signing.keygen(w.actors["admin"])
    info = signing.sign_file(w.actors["director"], report)
    data = json.loads(info.sig_file.read_text(encoding="utf-8"))
    data["signer"] = "Иванов Иван Иванович"
    info.sig_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    forged = signing.verify_file(report, public_pem=key.public_pem)
    assert not forged.valid and not forged.signature_ok and "НЕДЕЙСТВИТЕЛЬНА" in forged.message
    signing.sign_file(w.actors["director"], report)
    _private, other_public = signing.generate_key_pair()
    assert not signing.verify_file(report, public_pem=other_public).valid


def test_only_the_director_signs(w: World, report: Path) -> None:
    signing.keygen(w.actors["admin"])
    for role in ("admin", "deputy", "teacher", "parent"):
        with pytest.raises(PermissionDenied):
            signing.sign_file(w.actors[role], report)
    assert not report.with_name(report.name + ".sig").exists()


def test_bad_inputs(w: World, report: Path, tmp_path: Path) -> None:
    with pytest.raises(NotFound):  # no key yet
        signing.sign_file(w.actors["director"], report)
    signing.keygen(w.actors["admin"])
    with pytest.raises(InvalidInput):
        signing.sign_file(w.actors["director"], tmp_path / "missing.pdf")
    with pytest.raises(InvalidInput):
        signing.sign_file(w.actors["director"], tmp_path)
    with pytest.raises(InvalidInput):
        signing.verify_file(report)  # no .sig
    report.with_name(report.name + ".sig").write_text("not json", encoding="utf-8")
    with pytest.raises(InvalidInput):
        signing.verify_file(report)
    with pytest.raises(InvalidInput):
        signing.verify_file(report, sig_path=report, public_pem="garbage")
    assert AuditEntry.select().where(AuditEntry.action == "sign").count() == 0


def test_a_key_created_for_the_demo(w: World) -> None:
    info = signing.create_key(w.school.id, "демо-генератор")
    assert signing.public_key(w.actors["director"]).key_id == info.key_id
    assert SchoolKey.get().created_by == "демо-генератор"


# --- the private key lives in a key file, not in the database ---------------------------------


def test_the_private_key_is_a_0600_file_and_the_database_keeps_only_the_public_key(w: World, tmp_path: Path, report: Path) -> None:
    keys = tmp_path / "keys"
    info = signing.keygen(w.actors["admin"], key_dir=keys)
    path = signing.key_file_path(w.school.id, info.key_id, keys)
    assert path.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    assert path.stat().st_mode & 0o777 == 0o600 and keys.stat().st_mode & 0o777 == 0o700
    row = SchoolKey.get()
    assert row.private_pem is None and row.public_pem == info.public_pem
    assert signing.keys_in_database() == 0
    signing.sign_file(w.actors["director"], report, key_dir=keys)
    assert signing.verify_file(report).valid  # only the public key is needed
    path.unlink()
    with pytest.raises(signing.KeyFileError, match="Нет файла закрытого ключа"):
        signing.sign_file(w.actors["director"], report, key_dir=keys)


def test_an_encrypted_key_needs_its_passphrase(w: World, tmp_path: Path, report: Path) -> None:
    info = signing.keygen(w.actors["admin"], key_dir=tmp_path, passphrase="тайна школы 7")
    path = signing.key_file_path(w.school.id, info.key_id, tmp_path)
    assert "ENCRYPTED" in path.read_text()
    with pytest.raises(signing.KeyFileError, match="защищён паролем"):
        signing.sign_file(w.actors["director"], report, key_dir=tmp_path)
    with pytest.raises(signing.KeyFileError, match="Неверный пароль ключа"):
        signing.sign_file(w.actors["director"], report, key_dir=tmp_path, passphrase="не тот")
    signing.sign_file(w.actors["director"], report, key_dir=tmp_path, passphrase="тайна школы 7")
    assert signing.verify_file(report, public_pem=info.public_pem).valid


def test_another_key_file_or_garbage_is_refused(w: World, tmp_path: Path, report: Path) -> None:
    signing.keygen(w.actors["admin"], key_dir=tmp_path)
    other_private, _public = signing.generate_key_pair()
    other = tmp_path / "other.key"
    other.write_text(other_private)
    with pytest.raises(signing.KeyFileError, match="не текущий ключ школы"):
        signing.sign_file(w.actors["director"], report, key_file=other)
    other.write_text("garbage")
    with pytest.raises(signing.KeyFileError, match="не закрытый ключ"):
        signing.sign_file(w.actors["director"], report, key_file=other)
    assert not signing.sig_path_for(report).exists()


def test_keys_an_older_version_kept_in_the_database_move_out(w: World, tmp_path: Path, report: Path) -> None:
    private_pem, public_pem = signing.generate_key_pair()
    SchoolKey.create(school=w.school.id, private_pem=private_pem, public_pem=public_pem, created_by="old")
    assert signing.keys_in_database() == 1
    written = signing.move_keys_out(tmp_path)
    assert written == [signing.key_file_path(w.school.id, signing.key_id(public_pem), tmp_path)]
    assert written[0].read_text() == private_pem and written[0].stat().st_mode & 0o777 == 0o600
    assert signing.keys_in_database() == 0 and SchoolKey.get().private_pem is None
    assert signing.move_keys_out(tmp_path) == []  # nothing left
    signing.sign_file(w.actors["director"], report, key_dir=tmp_path)
    assert signing.verify_file(report).valid
