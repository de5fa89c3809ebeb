"""Public keys for the built-in SSH server (``tui-journal serve ssh``, R-ACC-3).

A user may log in to the built-in server with a public key registered for his account
instead of his password. The admin registers, lists and removes anybody's keys of his school;
every user may manage his own. Adding and removing are audited (R-ACC-4).

Accepted keys: Ed25519, ECDSA, RSA of at least 2048 bits and FIDO keys, in the one-line
OpenSSH format (``ssh-ed25519 AAAA… comment``, as ``ssh-keygen`` and PuTTYgen print it) or
the RFC 4716 block («---- BEGIN SSH2 PUBLIC KEY ----») that PuTTYgen saves.

For the server: :func:`key_matches` (is this key registered for this active account?) and
:func:`record_key_login` (the login record of a key login: origin and client address, like
:func:`~tui_journal.services.auth.authenticate` does for passwords).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tui_journal.db.models import LoginEvent, SshKey, User, now
from tui_journal.domain.user_text import LIMITS, safe
from tui_journal.i18n import t
from tui_journal.services import access, audit, user_text
from tui_journal.services import roles as R
from tui_journal.services.accounts import find_user
from tui_journal.services.actor import Actor
from tui_journal.services.auth import unknown_login
from tui_journal.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tui_journal.services.tx import write_tx

MAX_KEYS_PER_USER = 20
MIN_RSA_BITS = 2048
MAX_KEY_TEXT = 16_384
ALLOWED_ALGORITHMS = frozenset(
    {
        "ssh-ed25519",
        "ecdsa-sha2-nistp256",
        "ecdsa-sha2-nistp384",
        "ecdsa-sha2-nistp521",
        "ssh-rsa",
        "sk-ssh-ed25519@openssh.com",
        "sk-ecdsa-sha2-nistp256@openssh.com",
    }
)


@dataclass(frozen=True)
class ParsedKey:
    algorithm: str
    line: str  # "algorithm base64" without the comment: what is stored
    fingerprint: str  # "SHA256:…", as ssh-keygen -l and PuTTY show it
    comment: str
    public_data: bytes


@dataclass(frozen=True)
class SshKeyInfo:
    id: int
    login: str
    algorithm: str
    fingerprint: str
    comment: str
    created_at: dt.datetime


def parse_public_key(text: str) -> ParsedKey:
    """Check and normalise a public key; raises :class:`InvalidInput` with the reason."""
    text = (text or "").strip()
    if not text:
        raise InvalidInput(t("sshkey.empty"))
    if len(text) > MAX_KEY_TEXT:
        raise InvalidInput(t("sshkey.bad", error="слишком длинный текст"))
    if "PRIVATE KEY" in text or text.startswith("PuTTY-User-Key-File"):
        raise InvalidInput(t("sshkey.private"))
    comment = ""
    fields = text.split(None, 2)
    if len(text.splitlines()) == 1 and len(fields) >= 2:
        # One line: "type base64 comment". asyncssh wants ASCII; the comment may be Cyrillic.
        comment = fields[2] if len(fields) == 3 else ""
        text = f"{fields[0]} {fields[1]}"
    try:
        import asyncssh  # the 'ssh' extra: only the built-in SSH server needs keys
    except ImportError:
        raise InvalidInput(t("sshkey.no_asyncssh")) from None
    try:
        key = asyncssh.import_public_key(text)
    except (asyncssh.KeyImportError, ValueError, TypeError, UnicodeError) as exc:
        raise InvalidInput(t("sshkey.bad", error=str(exc) or exc.__class__.__name__)) from None
    algorithm = key.get_algorithm()
    if algorithm not in ALLOWED_ALGORITHMS:
        raise InvalidInput(t("sshkey.algorithm", algorithm=algorithm))
    if algorithm == "ssh-rsa":
        bits = int(getattr(getattr(key, "pyca_key", None), "key_size", 0) or 0)
        if bits < MIN_RSA_BITS:
            raise InvalidInput(t("sshkey.rsa_short", bits=bits, min=MIN_RSA_BITS))
    line = key.export_public_key("openssh").decode("ascii").split()
    # the comment comes from a file: what could drive a terminal is dropped, not refused
    comment = safe(comment or key.get_comment() or "", replacement=" ").strip()[: LIMITS["key_comment"].limit]
    return ParsedKey(
        algorithm=algorithm,
        line=f"{line[0]} {line[1]}",
        fingerprint=key.get_fingerprint("sha256"),
        comment=comment,
        public_data=bytes(key.public_data),
    )


def _parsed_stored(row: SshKey) -> ParsedKey | None:
    try:
        return parse_public_key(row.key)
    except InvalidInput:  # a key the rules refuse today (e.g. a short RSA key): never usable
        return None


def _info(row: SshKey, login: str) -> SshKeyInfo:
    parsed = _parsed_stored(row)
    return SshKeyInfo(
        id=row.id,
        login=login,
        algorithm=parsed.algorithm if parsed else row.key.split(" ", 1)[0],
        fingerprint=parsed.fingerprint if parsed else "?",
        comment=row.comment,
        created_at=row.created_at,
    )


def _target(actor: Actor, login: str, what: str) -> User:
    """The account whose keys are managed: the actor's own, or any of his school's for the admin."""
    user = access.user_in_school(actor, login)
    if user.id != actor.user_id and not actor.has(R.ADMIN):
        raise PermissionDenied(t("err.denied", what=what))
    return user


def _audit_text(login: str, parsed: ParsedKey | None, comment: str) -> str:
    if parsed is None:
        return f"{login}: ?"
    return " ".join(p for p in (f"{login}:", parsed.algorithm, parsed.fingerprint, comment) if p)


def add_key(actor: Actor, login: str, key_text: str, comment: str = "") -> SshKeyInfo:
    """Register a public key for ``login`` (the admin, or the user himself)."""
    user = _target(actor, login, "ключи SSH другого пользователя")
    if user.state == "removed":
        raise InvalidInput(t("sshkey.removed_user", login=user.login))
    parsed = parse_public_key(key_text)
    note = user_text.clean(comment, "key_comment", field="комментарий к ключу") or parsed.comment
    with write_tx():
        rows = list(SshKey.select().where(SshKey.user == user.id))
        for row in rows:
            other = _parsed_stored(row)
            if other is not None and other.public_data == parsed.public_data:
                raise Conflict(t("sshkey.duplicate", login=user.login, fingerprint=parsed.fingerprint))
        if len(rows) >= MAX_KEYS_PER_USER:
            raise Conflict(t("sshkey.too_many", login=user.login, n=MAX_KEYS_PER_USER))
        row = SshKey.create(user=user.id, key=parsed.line, comment=note, created_at=now())
        audit.record(actor, "create", "ssh_key", row.id, "key", None, _audit_text(user.login, parsed, note))
    return _info(row, user.login)


def list_keys(actor: Actor, login: str) -> list[SshKeyInfo]:
    """The keys registered for ``login``, oldest first (the admin, or the user himself)."""
    user = _target(actor, login, "ключи SSH другого пользователя")
    rows = SshKey.select().where(SshKey.user == user.id).order_by(SshKey.id)
    return [_info(row, user.login) for row in rows]


def remove_key(actor: Actor, login: str, key_ref: str) -> SshKeyInfo:
    """Remove one key of ``login``, named by its number or its fingerprint (or a unique
    beginning of it, at least 8 characters)."""
    user = _target(actor, login, "ключи SSH другого пользователя")
    ref = (key_ref or "").strip()
    if not ref:
        raise InvalidInput(t("sshkey.ref_empty"))
    with write_tx():
        rows = list(SshKey.select().where(SshKey.user == user.id).order_by(SshKey.id))
        found = _find_ref(rows, ref)
        if found is None:
            raise NotFound(t("sshkey.not_found", login=user.login, ref=ref))
        info = _info(found, user.login)
        SshKey.delete().where(SshKey.id == found.id).execute()
        audit.record(
            actor, "delete", "ssh_key", found.id, "key", _audit_text(user.login, _parsed_stored(found), found.comment), None
        )
    return info


def _find_ref(rows: list[SshKey], ref: str) -> SshKey | None:
    if ref.isdigit():
        return next((r for r in rows if r.id == int(ref)), None)
    wanted = ref if ref.startswith("SHA256:") else f"SHA256:{ref}"
    if len(wanted) < len("SHA256:") + 8:
        raise InvalidInput(t("sshkey.ref_short"))
    matches = [r for r in rows if (p := _parsed_stored(r)) is not None and p.fingerprint.startswith(wanted)]
    if len(matches) > 1:
        raise InvalidInput(t("sshkey.ref_ambiguous", ref=ref))
    return matches[0] if matches else None


# --- for the built-in server ------------------------------------------------------------------


def key_matches(login: str, public_data: bytes) -> bool:
    """Whether ``public_data`` (the SSH wire form of a public key) is registered for the
    active account ``login``. Locked and removed accounts match no key."""
    user = find_user(login)
    if user is None or user.state != "active":
        return False
    for row in SshKey.select().where(SshKey.user == user.id):
        parsed = _parsed_stored(row)
        if parsed is not None and parsed.public_data == bytes(public_data):
            return True
    return False


def record_key_login(login: str, *, address: str = "", origin: str = "ssh") -> str | None:
    """Record a successful key login in the login log (R-ACC-3) and return its outcome:
    ``"ok"``, ``"must_change"`` (a one-time password is still to be replaced), or None when
    the account is not active any more (then the refusal is recorded)."""
    user = find_user(login)
    if user is None or user.state == "removed":
        with write_tx():
            shown = login[:64] if user is not None else unknown_login(login)  # never a mistyped password
            LoginEvent.create(user=None, login=shown, outcome="unknown", origin=origin, address=address)
        return None
    if user.state != "active":
        with write_tx():
            LoginEvent.create(user=user.id, login=user.login, outcome="locked", origin=origin, address=address)
        return None
    outcome = "must_change" if user.must_change_password else "ok"
    with write_tx():
        User.update(last_login_at=now()).where(User.id == user.id).execute()
        LoginEvent.create(user=user.id, login=user.login, outcome=outcome, origin=origin, address=address)
    return outcome
