"""Certifying exports with the school's Ed25519 key (R-DIR-1)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tui_journal.db.models import AuditEntry, SchoolKey
from tui_journal.services import signing
from tui_journal.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied

from .world import World, build_world


@pytest.fixture
def w(any_db) -> World:
    return build_world()


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "журнал 7А.pdf"
    path.write_bytes(b"%PDF-1.4 journal of 7A\n" * 100)
    return path


def test_the_admin_creates_the_key_once_and_may_replace_it(w) -> None:
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


def test_the_director_signs_and_anybody_verifies_with_the_public_key_alone(w, report: Path) -> None:
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


def test_the_key_is_found_in_the_database_without_a_pem(w, report: Path) -> None:
    signing.keygen(w.actors["admin"])
    signing.sign_file(w.actors["director"], report)
    assert signing.verify_file(report).valid


def test_a_changed_file_is_detected(w, report: Path) -> None:
    key = signing.keygen(w.actors["admin"])
    signing.sign_file(w.actors["director"], report)
    report.write_bytes(report.read_bytes().replace(b"7A", b"7B"))
    result = signing.verify_file(report, public_pem=key.public_pem)
    assert not result.valid and result.signature_ok and not result.file_matches
    assert "ФАЙЛ ИЗМЕНЁН" in result.message


def test_a_forged_signer_or_another_key_is_detected(w, report: Path) -> None:
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


def test_only_the_director_signs(w, report: Path) -> None:
    signing.keygen(w.actors["admin"])
    for role in ("admin", "deputy", "teacher", "parent"):
        with pytest.raises(PermissionDenied):
            signing.sign_file(w.actors[role], report)
    assert not report.with_name(report.name + ".sig").exists()


def test_bad_inputs(w, report: Path, tmp_path: Path) -> None:
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


def test_a_key_created_for_the_demo(w) -> None:
    info = signing.create_key(w.school.id, "демо-генератор")
    assert signing.public_key(w.actors["director"]).key_id == info.key_id
    assert SchoolKey.get().created_by == "демо-генератор"
