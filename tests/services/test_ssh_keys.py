"""Public keys for the built-in SSH server: adding, listing, removing, the server's lookup
and the login record of a key login."""

from __future__ import annotations

import asyncssh
import pytest

from tests.factories.school import Staff, actor_of, add_staff
from tui_journal.db.models import AuditEntry, LoginEvent, SshKey, User
from tui_journal.services import accounts, ssh_keys
from tui_journal.services.actor import Actor
from tui_journal.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied


def _key(comment: str = "teacher@pc", alg: str = "ssh-ed25519", **kw: object) -> tuple[str, bytes]:
    key = asyncssh.generate_private_key(alg, comment=comment, **kw)
    return key.export_public_key("openssh").decode(), bytes(key.public_data)


@pytest.fixture
def teacher(admin: Actor) -> Actor:
    add_staff(admin, [Staff("ivanova", "Иванова", "Ирина", "Ивановна", password="Teacher-pass-2026")])
    return actor_of("ivanova")


def test_add_list_remove_by_the_user_himself(teacher: Actor) -> None:
    text, _ = _key()
    info = ssh_keys.add_key(teacher, "ivanova", text)
    assert info.algorithm == "ssh-ed25519" and info.fingerprint.startswith("SHA256:")
    assert info.comment == "teacher@pc"
    assert [k.id for k in ssh_keys.list_keys(teacher, "ivanova")] == [info.id]
    stored = SshKey.get_by_id(info.id)
    assert stored.key.count(" ") == 1  # "type base64": the comment is kept apart
    removed = ssh_keys.remove_key(teacher, "ivanova", info.fingerprint)
    assert removed.id == info.id
    assert ssh_keys.list_keys(teacher, "ivanova") == []


def test_changes_are_audited(admin: Actor, teacher: Actor) -> None:
    text, _ = _key()
    info = ssh_keys.add_key(admin, "ivanova", text, comment="кабинет 12")
    ssh_keys.remove_key(admin, "ivanova", str(info.id))
    rows = list(AuditEntry.select().where(AuditEntry.entity == "ssh_key").order_by(AuditEntry.id))
    assert [r.action for r in rows] == ["create", "delete"]
    assert info.fingerprint in (rows[0].new_value or "") and "кабинет 12" in (rows[0].new_value or "")
    assert info.fingerprint in (rows[1].old_value or "") and rows[1].new_value is None
    assert rows[0].actor_name == "admin"


def test_a_teacher_cannot_touch_somebody_elses_keys(admin: Actor, teacher: Actor) -> None:
    text, _ = _key()
    with pytest.raises(PermissionDenied):
        ssh_keys.add_key(teacher, "admin", text)
    with pytest.raises(PermissionDenied):
        ssh_keys.list_keys(teacher, "admin")
    with pytest.raises(NotFound):
        ssh_keys.add_key(admin, "nobody", text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not a key",
        "ssh-ed25519 AAAAbroken",
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----",
        "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none",
    ],
)
def test_refused_texts(teacher: Actor, text: str) -> None:
    with pytest.raises(InvalidInput):
        ssh_keys.add_key(teacher, "ivanova", text)
    assert SshKey.select().count() == 0


def test_short_rsa_and_dsa_are_refused(teacher: Actor) -> None:
    text, _ = _key(alg="ssh-rsa", key_size=1024)
    with pytest.raises(InvalidInput, match="1024"):
        ssh_keys.add_key(teacher, "ivanova", text)
    text, _ = _key(alg="ssh-rsa", key_size=2048)
    assert ssh_keys.add_key(teacher, "ivanova", text).algorithm == "ssh-rsa"


def test_putty_rfc4716_and_cyrillic_comments(teacher: Actor) -> None:
    key = asyncssh.generate_private_key("ssh-ed25519", comment="rsa-key-20260101")
    block = key.export_public_key("rfc4716").decode().replace("\n", "\r\n")  # saved on Windows
    info = ssh_keys.add_key(teacher, "ivanova", block)
    assert info.comment == "rsa-key-20260101"
    text, _ = _key(comment="x")
    line = text.rsplit(" ", 1)[0] + " Иванова И. И., каб. 12"
    assert ssh_keys.add_key(teacher, "ivanova", line).comment == "Иванова И. И., каб. 12"


def test_the_same_key_twice_is_a_conflict(teacher: Actor) -> None:
    text, _ = _key()
    ssh_keys.add_key(teacher, "ivanova", text)
    with pytest.raises(Conflict):
        ssh_keys.add_key(teacher, "ivanova", text.rsplit(" ", 1)[0] + " other comment")


def test_remove_refs(teacher: Actor) -> None:
    a, _ = _key()
    b, _ = _key()
    ka = ssh_keys.add_key(teacher, "ivanova", a)
    ssh_keys.add_key(teacher, "ivanova", b)
    with pytest.raises(InvalidInput):
        ssh_keys.remove_key(teacher, "ivanova", "SHA256:ab")  # too short to be sure
    with pytest.raises(NotFound):
        ssh_keys.remove_key(teacher, "ivanova", "999999")
    with pytest.raises(InvalidInput):
        ssh_keys.remove_key(teacher, "ivanova", " ")
    assert ssh_keys.remove_key(teacher, "ivanova", ka.fingerprint[len("SHA256:") :][:12]).id == ka.id


def test_server_lookup_follows_the_account_state(admin: Actor, teacher: Actor) -> None:
    text, data = _key()
    ssh_keys.add_key(teacher, "ivanova", text)
    _, other_data = _key()
    assert ssh_keys.key_matches("ivanova", data)
    assert ssh_keys.key_matches("IVANOVA", data)  # logins are looked up regardless of case
    assert not ssh_keys.key_matches("ivanova", other_data)
    assert not ssh_keys.key_matches("admin", data)
    assert not ssh_keys.key_matches("nobody", data)
    accounts.lock_user(admin, "ivanova")
    assert not ssh_keys.key_matches("ivanova", data)
    accounts.unlock_user(admin, "ivanova")
    assert ssh_keys.key_matches("ivanova", data)


def test_key_login_is_recorded(admin: Actor, teacher: Actor) -> None:
    assert ssh_keys.record_key_login("ivanova", address="10.0.0.7") == "ok"
    event = LoginEvent.select().order_by(LoginEvent.id.desc()).get()
    assert (event.login, event.outcome, event.origin, event.address) == ("ivanova", "ok", "ssh", "10.0.0.7")
    assert User.get(User.login == "ivanova").last_login_at is not None
    accounts.set_password(admin, "ivanova", "One-time-pass-1", one_time=True)
    assert ssh_keys.record_key_login("ivanova", address="10.0.0.7") == "must_change"
    accounts.lock_user(admin, "ivanova")
    assert ssh_keys.record_key_login("ivanova", address="10.0.0.7") is None
    assert LoginEvent.select().order_by(LoginEvent.id.desc()).get().outcome == "locked"
    assert ssh_keys.record_key_login("nobody", address="10.0.0.7") is None
