"""Accounts (R-ACC-1..3): validation, uniqueness, roles, passwords, audit."""

from __future__ import annotations

import pytest

from tui_journal.db.models import AuditEntry, User
from tui_journal.services import accounts, audit, auth
from tui_journal.services.actor import Actor
from tui_journal.services.errors import Conflict, InvalidInput
from tui_journal.services.passwords import verify_password


def test_add_user_stores_roles_and_audits_each_field(admin: Actor) -> None:
    info = accounts.add_user(
        admin, "ivanova.mp", "Иванова", "Мария", "Петровна", roles=["teacher", "deputy"], password="Good-pass-12"
    )
    assert info.roles == ("deputy", "teacher")
    assert info.full_name == "Иванова Мария Петровна"
    assert info.short_name == "Иванова М. П."
    rows = [r for r in audit.list_entries(admin) if r.entity_id == "ivanova.mp"]
    fields = {r.field: r.new for r in rows}
    assert fields["name"] == "Иванова Мария Петровна"
    assert fields["roles"] == "teacher, deputy"
    assert fields["password"] == "(задан)"  # never the password itself
    assert all(r.actor == "admin" and r.origin == "tui" for r in rows)
    user = User.get(User.login == "ivanova.mp")
    assert verify_password(user.password_hash, "Good-pass-12")
    assert "Good-pass-12" not in (user.password_hash or "")


@pytest.mark.parametrize(
    ("login", "password", "message"),
    [
        ("ab", None, "недопустим"),
        ("иванов", None, "недопустим"),
        ("good.login", "short1", "короче 8"),
        ("good.login", "good.login", "совпадать с логином"),
        ("good.login", "qwerty123", "распространён"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(admin: Actor, login: str, password: str | None, message: str) -> None:
    before = User.select().count(), AuditEntry.select().count()
    with pytest.raises(InvalidInput, match=message):
        accounts.add_user(admin, login, "Петров", "Пётр", roles=["teacher"], password=password)
    assert (User.select().count(), AuditEntry.select().count()) == before


def test_duplicate_login_is_refused_case_insensitively(admin: Actor) -> None:
    accounts.add_user(admin, "sidorov", "Сидоров", "Пётр", roles=["teacher"])
    with pytest.raises(Conflict, match="уже занят"):
        accounts.add_user(admin, "Sidorov", "Сидоров", "Павел", roles=["teacher"])
    assert User.select().where(User.last_name == "Сидоров").count() == 1


def test_unknown_role_is_refused(admin: Actor) -> None:
    with pytest.raises(InvalidInput, match="Неизвестная роль «boss»"):
        accounts.add_user(admin, "petrov", "Петров", "Пётр", roles=["boss"])


def test_markup_in_names_is_stored_as_typed_control_chars_refused(admin: Actor) -> None:
    info = accounts.add_user(admin, "markup", "[bold]Иванов[/bold]", "Иван", roles=["teacher"])
    assert info.last_name == "[bold]Иванов[/bold]"
    with pytest.raises(InvalidInput):
        accounts.add_user(admin, "escape", "Иванов\x1b[31m", "Иван", roles=["teacher"])


def test_search_finds_cyrillic_in_any_case_and_yo(admin: Actor) -> None:
    accounts.add_user(admin, "fyodorov", "Фёдоров", "Фёдор", roles=["teacher"])
    accounts.add_user(admin, "sidorov", "Сидоров", "Сидор", roles=["parent"])
    assert [u.login for u in accounts.list_users(admin, search="федор")] == ["fyodorov"]
    assert [u.login for u in accounts.list_users(admin, search="СИДОР")] == ["sidorov"]
    assert [u.login for u in accounts.list_users(admin, role="parent")] == ["sidorov"]


def test_roles_lock_unlock_remove(admin: Actor) -> None:
    accounts.add_user(admin, "petrov", "Петров", "Пётр", roles=["teacher"], password="Good-pass-12")
    assert accounts.change_roles(admin, "petrov", add=["deputy"], remove=["teacher"]).roles == ("deputy",)
    assert accounts.lock_user(admin, "petrov").state == "locked"
    assert auth.authenticate("petrov", "Good-pass-12").outcome == "locked"
    assert accounts.unlock_user(admin, "petrov").state == "active"
    assert auth.authenticate("petrov", "Good-pass-12").ok
    accounts.remove_user(admin, "petrov")
    assert not auth.authenticate("petrov", "Good-pass-12").ok
    changes = [(r.field, r.old, r.new) for r in audit.list_entries(admin) if r.action == "update"]
    assert ("state", "active", "removed") in changes
    assert ("roles", "teacher", "deputy") in changes


def test_last_admin_cannot_be_removed_or_demoted(admin: Actor) -> None:
    accounts.add_user(admin, "second", "Второв", "Вадим", roles=["teacher"])
    with pytest.raises(InvalidInput, match="последнего администратора"):
        accounts.change_roles(admin, "admin", remove=["admin"])
    with pytest.raises(InvalidInput):
        accounts.remove_user(admin, "admin")


def test_one_time_password_must_be_changed(admin: Actor) -> None:
    accounts.add_user(admin, "petrov", "Петров", "Пётр", roles=["teacher"])
    slip = accounts.set_password(admin, "petrov", one_time=True)
    result = auth.authenticate("petrov", slip)
    assert result.outcome == "must_change" and result.actor is not None
    with pytest.raises(InvalidInput, match="отличаться"):
        accounts.change_own_password(result.actor, slip)
    accounts.change_own_password(result.actor, "My-own-pass-9")
    assert auth.authenticate("petrov", "My-own-pass-9").outcome == "ok"
    assert not auth.authenticate("petrov", slip).ok
