"""Logging in (R-ACC-3): growing delay, lock, login records with origin and address."""

from __future__ import annotations

import datetime as dt

from tui_journal.db.models import LoginEvent, User
from tui_journal.services import accounts, auth
from tui_journal.services.actor import Actor
from tui_journal.services.auth import LoginPolicy

T0 = dt.datetime(2026, 11, 28, 10, 0, 0)


def _events(login: str) -> list[str]:
    return [e.outcome for e in LoginEvent.select().where(LoginEvent.login == login).order_by(LoginEvent.id)]


def test_growing_delay_then_lock(admin: Actor) -> None:
    accounts.add_user(admin, "petrov", "Петров", "Пётр", roles=["teacher"], password="Good-pass-12")
    policy = LoginPolicy(lock_after=3, base_delay=1.0)
    r1 = auth.authenticate("petrov", "wrong", policy=policy, at=T0, address="10.0.0.5")
    assert r1.outcome == "bad_password" and r1.retry_after == 1.0
    # too soon: refused without even checking the password
    r2 = auth.authenticate("petrov", "Good-pass-12", policy=policy, at=T0 + dt.timedelta(seconds=0.5))
    assert r2.outcome == "wait" and "Повторите через 1 с" in r2.message
    r3 = auth.authenticate("petrov", "wrong", policy=policy, at=T0 + dt.timedelta(seconds=2))
    assert r3.retry_after == 2.0
    r4 = auth.authenticate("petrov", "wrong", policy=policy, at=T0 + dt.timedelta(seconds=10))
    assert r4.outcome == "locked" and "заблокирована" in r4.message
    # even the right password is refused now, until an admin unlocks
    assert auth.authenticate("petrov", "Good-pass-12", policy=policy, at=T0 + dt.timedelta(hours=1)).outcome == "locked"
    assert _events("petrov") == ["bad_password", "wait", "bad_password", "locked_now", "locked"]
    assert LoginEvent.get(LoginEvent.login == "petrov").address == "10.0.0.5"
    accounts.unlock_user(admin, "petrov")
    assert auth.authenticate("petrov", "Good-pass-12", policy=policy, at=T0 + dt.timedelta(hours=2)).ok


def test_success_resets_failures_and_records_login(admin: Actor) -> None:
    accounts.add_user(admin, "petrov", "Петров", "Пётр", roles=["teacher"], password="Good-pass-12")
    auth.authenticate("petrov", "wrong", at=T0)
    result = auth.authenticate("PETROV", "Good-pass-12", at=T0 + dt.timedelta(seconds=5), origin="ssh", address="192.0.2.7")
    assert result.ok and result.actor is not None
    assert result.actor.roles == frozenset({"teacher"}) and result.actor.origin == "ssh"
    user = User.get(User.login == "petrov")
    assert user.failed_logins == 0 and user.last_login_at == T0 + dt.timedelta(seconds=5)
    ok = LoginEvent.get((LoginEvent.login == "petrov") & (LoginEvent.outcome == "ok"))
    assert (ok.origin, ok.address) == ("ssh", "192.0.2.7")


def test_unknown_login_looks_like_a_wrong_password(admin: Actor) -> None:
    result = auth.authenticate("nobody", "whatever")
    assert result.outcome == "bad_password" and result.message == "Неверный логин или пароль"
    assert _events("неизвестный (6 знаков)") == ["unknown"]
    assert _events("nobody") == []


def test_a_password_typed_as_the_login_is_not_kept(admin: Actor) -> None:
    """Only an existing login is stored; anything else keeps its length only."""
    auth.authenticate("polyakova.nidemo-zv79yy", "")
    rows = [(e.login, e.outcome) for e in LoginEvent.select().where(LoginEvent.outcome == "unknown")]
    assert rows == [("неизвестный (23 знаков)", "unknown")]
    assert not LoginEvent.select().where(LoginEvent.login.contains("zv79yy")).exists()
    auth.authenticate("admin", "wrong-password")  # an existing login is kept as typed
    assert _events("admin")[-1] == "bad_password"


def test_account_without_password_cannot_log_in(admin: Actor) -> None:
    accounts.add_user(admin, "parent1", "Родителев", "Роман", roles=["parent"])
    result = auth.authenticate("parent1", "")
    assert result.outcome == "no_password" and not result.ok


def test_logout_and_idle_are_recorded(admin: Actor) -> None:
    auth.record_logout(admin, "idle")
    assert _events("admin")[-1] == "idle"
