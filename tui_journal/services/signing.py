"""Certifying exported journals and reports (R-DIR-1): a detached Ed25519 signature.

The school's private key lives in a key file readable by its owner only (0600), optionally
encrypted with a passphrase; the database keeps only the public part (:class:`SchoolKey`), so a
copy of the database (a backup, a leaked file) cannot forge the director's signature. The key
file is ``school-<id>-<key id>.key`` in the key folder: the ``signing_key_dir`` setting, by
default the folder of the SQLite database file (for PostgreSQL the platform data folder). The
admin creates it (``tui-journal sign keygen``), anybody may have the public part
(``tui-journal sign pubkey``). Databases of older versions kept the private key in the table:
:func:`move_keys_out` (run by ``tui-journal db upgrade`` and ``tui-journal sign migrate-key``)
writes them to key files and clears them from the database.
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
from peewee import SqliteDatabase
from platformdirs import user_data_dir

from tui_journal.db.models import School, SchoolKey, database_proxy, now
from tui_journal.private import private_dir
from tui_journal.services import access, audit
from tui_journal.services import roles as R
from tui_journal.services.actor import Actor
from tui_journal.services.errors import Conflict, InvalidInput, NotFound, ServiceError
from tui_journal.services.tx import write_tx

SIG_FORMAT = "tui-journal-signature/1"
SIG_SUFFIX = ".sig"
ALGORITHM = "Ed25519"
_CHUNK = 1 << 20
KEY_SUFFIX = ".key"
PASSPHRASE_ENV = "TUI_JOURNAL_KEY_PASSPHRASE"
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


class KeyFileError(ServiceError):
    """The private key file is missing, unreadable, or its passphrase is wrong."""


# --- keys --------------------------------------------------------------------------------------


def _encryption(passphrase: str | None) -> serialization.KeySerializationEncryption:
    if passphrase:
        return serialization.BestAvailableEncryption(passphrase.encode("utf-8"))
    return serialization.NoEncryption()


def generate_key_pair(passphrase: str | None = None) -> tuple[str, str]:
    """A new Ed25519 key pair as (private PKCS#8 PEM, encrypted with ``passphrase`` if given;
    public SubjectPublicKeyInfo PEM)."""
    private = Ed25519PrivateKey.generate()
    private_pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, _encryption(passphrase)
    ).decode("ascii")
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")
    return private_pem, public_pem


def default_key_dir() -> Path:
    """``$TUI_JOURNAL_KEY_DIR``, else the folder of the SQLite database file, else (PostgreSQL)
    the platform data folder."""
    env = os.environ.get("TUI_JOURNAL_KEY_DIR")
    if env:
        return Path(env).expanduser()
    db = database_proxy.obj
    if isinstance(db, SqliteDatabase) and db.database not in ("", ":memory:"):
        return Path(db.database).resolve().parent
    return Path(user_data_dir("tui-journal"))


def key_file_path(school_id: int, kid: str, key_dir: str | Path | None = None) -> Path:
    """Where the private key ``kid`` of school ``school_id`` is kept."""
    folder = Path(key_dir).expanduser() if key_dir else default_key_dir()
    return folder / f"school-{school_id}-{kid}{KEY_SUFFIX}"


def _write_key_file(path: Path, private_pem: str) -> None:
    """A new key file, 0600 in a 0700 folder; an existing file is never overwritten."""
    try:
        private_dir(path.parent)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(private_pem)
            handle.flush()
            os.fsync(handle.fileno())
    except FileExistsError:
        raise KeyFileError(f"Файл ключа {path} уже существует: он не перезаписывается") from None
    except OSError as exc:
        raise KeyFileError(f"Не удалось записать файл ключа {path}: {exc.strerror or exc}") from None


def load_private_key(path: str | Path, passphrase: str | None = None) -> Ed25519PrivateKey:
    """The private key of a key file; :class:`KeyFileError` says clearly what is wrong."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise KeyFileError(
            f"Нет файла закрытого ключа школы {path}. Укажите его (--key-file, настройка signing_key_dir) "
            "или создайте новый ключ: tui-journal sign keygen --force"
        ) from None
    except OSError as exc:
        raise KeyFileError(f"Не удалось прочитать файл ключа {path}: {exc.strerror or exc}") from None
    encrypted = b"ENCRYPTED" in data.split(b"\n", 1)[0]
    if encrypted and not passphrase:
        raise KeyFileError(
            f"Ключ {path} защищён паролем: введите его (--passphrase-stdin или переменная {PASSPHRASE_ENV})"
        )
    try:
        key = serialization.load_pem_private_key(
            data, password=passphrase.encode("utf-8") if (passphrase and encrypted) else None
        )
    except ValueError:
        if encrypted:
            raise KeyFileError(f"Неверный пароль ключа {path}") from None
        raise KeyFileError(f"Файл {path} — не закрытый ключ в формате PEM") from None
    except TypeError:
        raise KeyFileError(f"Неверный пароль ключа {path}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"Ключ в файле {path} не Ed25519")
    return key


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


def create_key(
    school_id: int, created_by: str, *, key_dir: str | Path | None = None, passphrase: str | None = None
) -> KeyInfo:
    """Make a new key pair for the school: the private key into its key file (0600), the
    public one into the database (no permission check: for the demo builder and :func:`keygen`).
    Older keys stay, so old signatures still verify."""
    private_pem, public_pem = generate_key_pair(passphrase)
    path = key_file_path(school_id, key_id(public_pem), key_dir)
    _write_key_file(path, private_pem)
    try:
        row = SchoolKey.create(school=school_id, private_pem=None, public_pem=public_pem, created_by=created_by)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return _info(row)


def keygen(
    actor: Actor, *, replace: bool = False, key_dir: str | Path | None = None, passphrase: str | None = None
) -> KeyInfo:
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
        info = create_key(actor.school_id, actor.audit_name, key_dir=key_dir, passphrase=passphrase)
        audit.record(actor, "create", "school_key", info.id, "key_id", key_id(existing.public_pem) if existing else None, info.key_id)
    return info


def move_keys_out(key_dir: str | Path | None = None) -> list[Path]:
    """Write every private key still kept in the database (older versions did) to its key file
    and clear it from the database; returns the files written. Run by ``db upgrade``.

    A key file that already holds the same key is kept; one with another content stops the
    move (nothing is cleared for that key).
    """
    written: list[Path] = []
    rows = list(SchoolKey.select().where(SchoolKey.private_pem.is_null(False) & (SchoolKey.private_pem != "")))
    db = database_proxy.obj
    sqlite = isinstance(db, SqliteDatabase)
    if rows and sqlite:
        db.execute_sql("PRAGMA secure_delete = 1")  # the old text is overwritten, not left in free space
    for row in rows:
        path = key_file_path(row.school_id, key_id(row.public_pem), key_dir)
        if path.exists():
            if path.read_text(encoding="ascii", errors="replace") != row.private_pem:
                raise KeyFileError(
                    f"Файл ключа {path} уже есть и хранит другой ключ: закрытый ключ {key_id(row.public_pem)} "
                    "оставлен в базе. Переместите файл и повторите команду"
                )
        else:
            _write_key_file(path, str(row.private_pem))
            written.append(path)
        with write_tx():
            SchoolKey.update(private_pem=None).where(SchoolKey.id == row.id).execute()
    if rows and sqlite:
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # nor in the write-ahead log
    return written


def keys_in_database() -> int:
    """How many private keys the database still holds (0 after ``db upgrade``)."""
    count: int = (
        SchoolKey.select().where(SchoolKey.private_pem.is_null(False) & (SchoolKey.private_pem != "")).count()
    )
    return count


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
    actor: Actor,
    path: str | Path,
    *,
    sig_path: str | Path | None = None,
    at: dt.datetime | None = None,
    key_dir: str | Path | None = None,
    key_file: str | Path | None = None,
    passphrase: str | None = None,
) -> SignatureInfo:
    """The director certifies a file (R-DIR-1): writes ``FILE.sig`` signed with the school's key
    (its key file: ``key_file``, else the one of the current key in ``key_dir``). The signing is
    recorded in the audit (file name and SHA-256)."""
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
    kid = key_id(row.public_pem)
    key_path = Path(key_file) if key_file else key_file_path(actor.school_id, kid, key_dir)
    private = load_private_key(key_path, passphrase)
    own_public = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")
    if key_id(own_public) != kid:
        raise KeyFileError(f"Ключ в файле {key_path} — не текущий ключ школы {kid}")
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
