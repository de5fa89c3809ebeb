"""Certifying exported journals and reports (R-DIR-1): a detached Ed25519 signature.

The school's key pair lives in :class:`SchoolKey` on the server; the admin creates it
(``tui-journal sign keygen``), anybody may have the public part (``tui-journal sign pubkey``).
The director signs a file: ``FILE.sig`` is a small UTF-8 JSON document holding the file's
name, size and SHA-256, the signer, the time, the school, the key's id, and the Ed25519
signature over all of these (canonical JSON). :func:`verify_file` needs only the file, its
``.sig`` and the public key (a PEM file, or the database), so anyone can check later that the
file is exactly what was signed, by whom and when.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from tui_journal.db.models import School, SchoolKey, now
from tui_journal.services import access, audit
from tui_journal.services import roles as R
from tui_journal.services.actor import Actor
from tui_journal.services.errors import Conflict, InvalidInput, NotFound
from tui_journal.services.tx import write_tx

SIG_FORMAT = "tui-journal-signature/1"
SIG_SUFFIX = ".sig"
ALGORITHM = "Ed25519"
_CHUNK = 1 << 20
_SIGNED_FIELDS = (
    "format",
    "algorithm",
    "file",
    "size",
    "sha256",
    "signed_at",
    "signer",
    "signer_login",
    "signer_role",
    "school",
    "key_id",
)


@dataclass(frozen=True)
class KeyInfo:
    id: int
    key_id: str
    created_at: dt.datetime
    created_by: str
    public_pem: str


@dataclass(frozen=True)
class SignatureInfo:
    file: Path
    sig_file: Path
    sha256: str
    size: int
    signer: str
    signer_login: str
    signer_role: str
    school: str
    signed_at: str
    key_id: str


@dataclass(frozen=True)
class Verification:
    valid: bool  # the file is exactly what was signed, and the signature is the key's
    file_matches: bool
    signature_ok: bool
    file: str
    sha256: str
    signed_sha256: str
    signer: str
    signer_login: str
    signer_role: str
    school: str
    signed_at: str
    key_id: str
    message: str  # one Russian sentence saying the outcome


# --- keys --------------------------------------------------------------------------------------


def generate_key_pair() -> tuple[str, str]:
    """A new Ed25519 key pair as (private PKCS#8 PEM, public SubjectPublicKeyInfo PEM)."""
    private = Ed25519PrivateKey.generate()
    private_pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")
    return private_pem, public_pem


def _public_key(public_pem: str) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(public_pem.encode("ascii"))
    except (ValueError, UnicodeEncodeError) as exc:
        raise InvalidInput(f"Это не открытый ключ в формате PEM: {exc}") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise InvalidInput("Открытый ключ не Ed25519")
    return key


def key_id(public_pem: str) -> str:
    """A short fingerprint of a public key: the first 16 bytes of SHA-256 of its raw bytes, hex."""
    raw = _public_key(public_pem).public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:32]


def _info(row: SchoolKey) -> KeyInfo:
    return KeyInfo(row.id, key_id(row.public_pem), row.created_at, row.created_by, row.public_pem)


def _current(school_id: int) -> SchoolKey | None:
    row: SchoolKey | None = (
        SchoolKey.select()
        .where(SchoolKey.school == school_id)
        .order_by(SchoolKey.created_at.desc(), SchoolKey.id.desc())
        .first()
    )
    return row


def create_key(school_id: int, created_by: str) -> KeyInfo:
    """Store a new key pair for the school (no permission check: for the demo builder and
    :func:`keygen`). Older keys stay, so old signatures still verify."""
    private_pem, public_pem = generate_key_pair()
    row = SchoolKey.create(school=school_id, private_pem=private_pem, public_pem=public_pem, created_by=created_by)
    return _info(row)


def keygen(actor: Actor, *, replace: bool = False) -> KeyInfo:
    """The admin creates the school's signing key. A second key needs ``replace`` (the old
    ones are kept to verify what they signed)."""
    access.require_any_role(actor, R.ADMIN, what="создание ключа подписи школы")
    with write_tx():
        existing = _current(actor.school_id)
        if existing is not None and not replace:
            raise Conflict(
                f"У школы уже есть ключ подписи {key_id(existing.public_pem)} "
                f"(создан {existing.created_at:%d.%m.%Y}). Новый ключ: tui-journal sign keygen --force"
            )
        info = create_key(actor.school_id, actor.audit_name)
        audit.record(actor, "create", "school_key", info.id, "key_id", key_id(existing.public_pem) if existing else None, info.key_id)
    return info


def public_key(actor: Actor) -> KeyInfo:
    """The school's current key (its public part is for anybody who checks a signature)."""
    row = _current(actor.school_id)
    if row is None:
        raise NotFound("У школы ещё нет ключа подписи. Администратор создаёт его: tui-journal sign keygen")
    return _info(row)


# --- files -------------------------------------------------------------------------------------


def sig_path_for(path: Path) -> Path:
    return path.with_name(path.name + SIG_SUFFIX)


def _digest(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
    except OSError as exc:
        raise InvalidInput(f"Не удалось прочитать {path}: {exc.strerror or exc}") from exc
    return digest.hexdigest(), size


def _payload(fields: dict[str, Any]) -> bytes:
    signed = {k: fields[k] for k in _SIGNED_FIELDS}
    return json.dumps(signed, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _check_file(path: Path) -> Path:
    path = Path(path)
    if not path.exists():
        raise InvalidInput(f"Файл не найден: {path}")
    if not path.is_file():
        raise InvalidInput(f"Это не файл: {path}")
    return path


def _write_atomically(target: Path, text: str) -> None:
    try:
        fd, tmp = tempfile.mkstemp(prefix=".sig-", dir=str(target.parent))
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except OSError as exc:
        raise InvalidInput(f"Не удалось записать {target}: {exc.strerror or exc}") from exc


def sign_file(
    actor: Actor, path: str | Path, *, sig_path: str | Path | None = None, at: dt.datetime | None = None
) -> SignatureInfo:
    """The director certifies a file (R-DIR-1): writes ``FILE.sig`` signed with the school's key.
    The signing is recorded in the audit (file name and SHA-256)."""
    access.require_any_role(actor, R.DIRECTOR, what="заверение выгрузок подписью школы (только директор)")
    file = _check_file(Path(path))
    target = Path(sig_path) if sig_path is not None else sig_path_for(file)
    row = _current(actor.school_id)
    if row is None:
        raise NotFound("У школы ещё нет ключа подписи. Администратор создаёт его: tui-journal sign keygen")
    sha, size = _digest(file)
    moment = (at or now()).astimezone()
    fields: dict[str, Any] = {
        "format": SIG_FORMAT,
        "algorithm": ALGORITHM,
        "file": file.name,
        "size": size,
        "sha256": sha,
        "signed_at": moment.isoformat(timespec="seconds"),
        "signer": actor.name,
        "signer_login": actor.login,
        "signer_role": "директор",
        "school": School.get_by_id(actor.school_id).name,
        "key_id": key_id(row.public_pem),
    }
    private = serialization.load_pem_private_key(row.private_pem.encode("ascii"), password=None)
    if not isinstance(private, Ed25519PrivateKey):  # pragma: no cover - only Ed25519 keys are stored
        raise InvalidInput("Ключ школы не Ed25519")
    fields["signature"] = base64.b64encode(private.sign(_payload(fields))).decode("ascii")
    with write_tx():  # the file is written inside: no audit row without a signature, and no
        audit.record(actor, "sign", "file", file.name, "sha256", None, sha)  # signature without one
        _write_atomically(target, json.dumps(fields, ensure_ascii=False, indent=2) + "\n")
    return SignatureInfo(
        file=file,
        sig_file=target,
        sha256=sha,
        size=size,
        signer=fields["signer"],
        signer_login=fields["signer_login"],
        signer_role=fields["signer_role"],
        school=fields["school"],
        signed_at=fields["signed_at"],
        key_id=fields["key_id"],
    )


def read_signature(sig_path: str | Path) -> dict[str, Any]:
    """The fields of a ``.sig`` file; InvalidInput when it is not one."""
    path = Path(sig_path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput(f"Файл подписи не найден: {path}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"{path} — не файл подписи журнала: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != SIG_FORMAT:
        raise InvalidInput(f"{path} — не файл подписи журнала (ожидается формат {SIG_FORMAT})")
    missing = [k for k in (*_SIGNED_FIELDS, "signature") if k not in data]
    if missing:
        raise InvalidInput(f"В файле подписи {path} нет полей: {', '.join(missing)}")
    return data


def _key_from_database(wanted: str) -> str:
    for row in SchoolKey.select():
        if key_id(row.public_pem) == wanted:
            return str(row.public_pem)
    raise NotFound(f"Ключ {wanted} не найден в базе журнала: укажите файл открытого ключа (--pubkey)")


def verify_file(
    path: str | Path, *, sig_path: str | Path | None = None, public_pem: str | None = None
) -> Verification:
    """Check ``FILE`` against ``FILE.sig``. With ``public_pem`` no database is needed; without
    it the key is looked up in the database by the signature's key id."""
    file = _check_file(Path(path))
    sig = Path(sig_path) if sig_path is not None else sig_path_for(file)
    data = read_signature(sig)
    pem = public_pem if public_pem is not None else _key_from_database(str(data["key_id"]))
    key = _public_key(pem)
    sha, _size = _digest(file)
    try:
        key.verify(base64.b64decode(str(data["signature"]), validate=True), _payload(data))
        signature_ok = True
    except (InvalidSignature, ValueError):
        signature_ok = False
    if signature_ok and key_id(pem) != data["key_id"]:  # pragma: no cover - would need a hash collision
        signature_ok = False
    file_matches = sha == data["sha256"]
    if not signature_ok:
        message = (
            "ПОДПИСЬ НЕДЕЙСТВИТЕЛЬНА: она сделана не этим ключом или сведения в файле подписи изменены"
        )
    elif not file_matches:
        message = "ФАЙЛ ИЗМЕНЁН после подписания: подпись к нему не относится"
    else:
        message = f"Подпись верна: файл не изменялся после подписания ({data['signer']}, {data['signed_at']})"
    return Verification(
        valid=signature_ok and file_matches,
        file_matches=file_matches,
        signature_ok=signature_ok,
        file=str(file),
        sha256=sha,
        signed_sha256=str(data["sha256"]),
        signer=str(data["signer"]),
        signer_login=str(data["signer_login"]),
        signer_role=str(data["signer_role"]),
        school=str(data["school"]),
        signed_at=str(data["signed_at"]),
        key_id=str(data["key_id"]),
        message=message,
    )
