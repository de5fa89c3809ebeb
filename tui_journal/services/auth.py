"""Logging in (R-ACC-3): password checks, a growing delay after failures, then a lock.

Every attempt is recorded in :class:`LoginEvent` with its time, origin and the client's
address. The delay is enforced here, on the server, from the time of the last failure, so
reconnecting does not reset it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from tui_journal.db.models import LoginEvent, User, now
from tui_journal.domain.user_text import safe
from tui_journal.i18n import t
from tui_journal.services import access
from tui_journal.services.access import roles_of
from tui_journal.services.accounts import find_user
from tui_journal.services.actor import Actor
from tui_journal.services.passwords import verify_password
from tui_journal.services.tx import write_tx


@dataclass(frozen=True)
class LoginPolicy:
    lock_after: int = 5  # failures in a row that lock the account (only an admin unlocks)
    base_delay: float = 1.0  # seconds after the first failure; doubles each time
    max_delay: float = 30.0

    def delay_after(self, failures: int) -> float:
        if failures <= 0:
            return 0.0
        return float(min(self.base_delay * 2 ** (failures - 1), self.max_delay))


@dataclass(frozen=True)
class LoginResult:
    outcome: str  # ok | must_change | bad_password | locked | wait | no_password
    message: str
    actor: Actor | None = None
    retry_after: float = 0.0

    @property
    def ok(self) -> bool:
        return self.actor is not None


def actor_for(user: User, origin: str = "tui", address: str = "") -> Actor:
    """Build the acting-user value for a logged-in account."""
    name = " ".join(p for p in (user.last_name, user.first_name, user.middle_name) if p)
    base = Actor(
        school_id=user.school_id,
        login=user.login,
        name=name,
        roles=frozenset(roles_of(user.id)),
        origin=origin,
        user_id=user.id,
        address=address,
    )
    return replace(base, led_class_ids=frozenset(access.led_class_ids(base)))


def unknown_login(typed: str) -> str:
    """What the login log keeps of a login nobody has: its length only («неизвестный (N знаков)»),
    never the text, which may be a password typed into the wrong field."""
    return t("login.unknown_login", n=len(typed))


def _event(
    user: User | None, login: str, outcome: str, origin: str, address: str, at: dt.datetime | None = None
) -> None:
    LoginEvent.create(
        user=user, login=safe(login)[:64], outcome=outcome, origin=origin, address=address, at=at or now()
    )


def authenticate(
    login: str,
    password: str,
    *,
    origin: str = "tui",
    address: str = "",
    policy: LoginPolicy | None = None,
    at: dt.datetime | None = None,
) -> LoginResult:
    """Check a login and password; returns the outcome and, on success, the :class:`Actor`.

    An unknown login and a wrong password give the same message, so logins cannot be probed.
    """
    policy = policy or LoginPolicy()
    moment = at or now()
    user = find_user(login)
    if user is None or user.state == "removed":
        # Spend the same time as a real check so that unknown logins are not told apart.
        verify_password(_DUMMY_HASH, password)
        with write_tx():
            _event(None, login if user is not None else unknown_login(login), "unknown", origin, address, moment)
        return LoginResult("bad_password", t("login.bad"))
    if user.state == "locked":
        with write_tx():
            _event(user, user.login, "locked", origin, address, moment)
        return LoginResult("locked", t("login.locked"))
    if user.failed_logins and user.last_failed_at is not None:
        wait_until = user.last_failed_at + dt.timedelta(seconds=policy.delay_after(user.failed_logins))
        if moment < wait_until:
            seconds = (wait_until - moment).total_seconds()
            with write_tx():
                _event(user, user.login, "wait", origin, address, moment)
            return LoginResult("wait", t("login.wait", seconds=int(seconds + 0.999)), retry_after=seconds)
    if not user.password_hash:
        with write_tx():
            _event(user, user.login, "no_password", origin, address, moment)
        return LoginResult("no_password", t("login.no_password"))
    if not verify_password(user.password_hash, password):
        failures = user.failed_logins + 1
        locked = failures >= policy.lock_after
        with write_tx():
            User.update(
                failed_logins=failures,
                last_failed_at=moment,
                state="locked" if locked else user.state,
                locked_at=moment if locked else user.locked_at,
            ).where(User.id == user.id).execute()
            _event(user, user.login, "locked_now" if locked else "bad_password", origin, address, moment)
        if locked:
            return LoginResult("locked", t("login.locked_now", n=failures))
        return LoginResult("bad_password", t("login.bad"), retry_after=policy.delay_after(failures))
    with write_tx():
        User.update(failed_logins=0, last_failed_at=None, last_login_at=moment).where(
            User.id == user.id
        ).execute()
        _event(user, user.login, "must_change" if user.must_change_password else "ok", origin, address, moment)
    actor = actor_for(User.get_by_id(user.id), origin, address)
    if user.must_change_password:
        return LoginResult("must_change", t("login.must_change"), actor=actor)
    return LoginResult("ok", "", actor=actor)


def record_logout(actor: Actor, reason: str = "logout") -> None:
    """Record the end of a session (``logout`` or ``idle``)."""
    if actor.user_id is None:
        return
    with write_tx():
        LoginEvent.create(
            user=actor.user_id, login=actor.login, outcome=reason, origin=actor.origin, address=actor.address
        )


def login_events(actor: Actor, *, login: str | None = None, limit: int = 200) -> list[LoginEvent]:
    """Recent login events of the school (admin only)."""
    access.require_any_role(actor, "admin", what="журнал входов")
    query = (
        LoginEvent.select()
        .join(User, on=(LoginEvent.user == User.id))
        .where(User.school == actor.school_id)
    )
    if login:
        query = query.where(LoginEvent.login == login)
    return list(query.order_by(LoginEvent.id.desc()).limit(limit))


# A valid argon2id hash of a random string, used to equalise timing for unknown logins.
_DUMMY_HASH = (
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$"
    "2Wc6H0eKxbo7tbDVJxCp8cpZxS9pmjm9Kx5pX2D2xvU"
)


#: Login-log outcomes that count as a failed attempt from an address.
FAILED_OUTCOMES = ("unknown", "bad_password", "locked_now", "locked", "wait", "no_password")


def address_failures(address: str, *, origin: str, window_seconds: float) -> int:
    """Failed login attempts from ``address`` through ``origin`` in the last ``window_seconds``.

    The browser route throttles per client address with this: its logins happen in one
    process per tab, so the count must come from the shared log, not from memory.
    """
    if not address:
        return 0
    since = now() - dt.timedelta(seconds=window_seconds)
    return int(
        LoginEvent.select()
        .where(
            (LoginEvent.address == address)
            & (LoginEvent.origin == origin)
            & (LoginEvent.at >= since)
            & (LoginEvent.outcome.in_(FAILED_OUTCOMES))
        )
        .count()
    )
