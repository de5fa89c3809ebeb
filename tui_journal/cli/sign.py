"""``tui-journal sign …`` and ``tui-journal verify …``: certifying exports (R-DIR-1).

- ``sign keygen [--force] [--encrypt]``: the school's Ed25519 key (the console acts as the
  admin): the private key into a 0600 key file (``--key-dir``, the ``signing_key_dir``
  setting, by default beside the SQLite database), optionally encrypted with a passphrase;
  the database keeps only the public key;
- ``sign migrate-key``: private keys an older version kept in the database go to key files
  (``db upgrade`` does the same);
- ``sign pubkey [-o FILE]``: the public key (PEM) for whoever checks signatures;
- ``sign FILE --login LOGIN``: the director signs ``FILE`` into ``FILE.sig`` (his password is
  asked, or read with ``--password-stdin``);
- ``verify FILE [--sig SIG] [--pubkey PEM]``: is the file exactly what was signed, by whom and
  when; with ``--pubkey`` no database is opened. Exit code 0: valid, 1: not valid.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from tui_journal.cli.base import CliError, Context, add_command, add_password_stdin
from tui_journal.cli.output import clean, print_card
from tui_journal.i18n import t
from tui_journal.private import write_private
from tui_journal.services import auth, signing
from tui_journal.services.actor import Actor
from tui_journal.services.errors import ServiceError

KEYGEN = "keygen"
PUBKEY = "pubkey"
MIGRATE_KEY = "migrate-key"


def register(subparsers: argparse._SubParsersAction) -> None:
    p = add_command(subparsers, "sign", "cli.help.sign", cmd_sign, epilog=t("cli.epilog.sign"))
    p.add_argument("target", metavar="FILE|keygen|pubkey", help=t("cli.arg.sign_target"))
    p.add_argument("--login", metavar="LOGIN", help=t("cli.opt.sign_login"))
    add_password_stdin(p)
    p.add_argument("-o", "--output", metavar="FILE", help=t("cli.opt.sign_output"))
    p.add_argument("--force", action="store_true", help=t("cli.opt.sign_force"))
    p.add_argument("--key-dir", metavar="DIR", help=t("cli.opt.key_dir"))
    p.add_argument("--key-file", metavar="FILE", help=t("cli.opt.key_file"))
    p.add_argument("--encrypt", action="store_true", help=t("cli.opt.key_encrypt"))
    p.add_argument("--passphrase-stdin", action="store_true", help=t("cli.opt.passphrase_stdin"))

    v = add_command(subparsers, "verify", "cli.help.verify", cmd_verify, epilog=t("cli.epilog.verify"))
    v.add_argument("file", metavar="FILE", help=t("cli.arg.verify_file"))
    v.add_argument("--sig", metavar="SIG", help=t("cli.opt.verify_sig"))
    v.add_argument("--pubkey", metavar="PEM", help=t("cli.opt.verify_pubkey"))


def cmd_sign(ctx: Context, args: argparse.Namespace) -> int:
    if args.target == KEYGEN:
        return _keygen(ctx, args)
    if args.target == PUBKEY:
        return _pubkey(ctx, args)
    if args.target == MIGRATE_KEY:
        return _migrate_key(ctx, args)
    return _sign(ctx, args)


def key_dir(ctx: Context, args: argparse.Namespace) -> str | None:
    """``--key-dir``, else the ``signing_key_dir`` setting, else None (beside the database)."""
    return getattr(args, "key_dir", None) or ctx.settings.signing_key_dir or None


def _passphrase(args: argparse.Namespace, *, new: bool) -> str | None:
    """The key's passphrase: a line of stdin (``--passphrase-stdin``), the environment, or a
    prompt (for a new key only with ``--encrypt``; for signing when the key file is encrypted)."""
    if args.passphrase_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise CliError(t("cli.sign.passphrase_empty"))
        return line
    env = os.environ.get(signing.PASSPHRASE_ENV)
    if env:
        return env
    if new and not args.encrypt:
        return None
    try:
        first = getpass.getpass(t("cli.sign.passphrase_prompt"))
        if new:
            if not first:
                raise CliError(t("cli.sign.passphrase_empty"))
            if getpass.getpass(t("cli.password_repeat")) != first:
                raise CliError(t("cli.sign.passphrase_mismatch"))
    except EOFError:
        raise CliError(t("cli.password_no_tty")) from None
    return first or None


def _keygen(ctx: Context, args: argparse.Namespace) -> int:
    ctx.open()
    passphrase = _passphrase(args, new=True)
    info = signing.keygen(ctx.actor(), replace=args.force, key_dir=key_dir(ctx, args), passphrase=passphrase)
    print(t("cli.sign.key_created", key=info.key_id))
    print(t("cli.sign.key_file", path=signing.key_file_path(ctx.actor().school_id, info.key_id, key_dir(ctx, args))))
    print(t("cli.sign.pubkey_hint"))
    return 0


def move_keys(ctx: Context, args: argparse.Namespace) -> list[Path]:
    written = signing.move_keys_out(key_dir(ctx, args))
    for path in written:
        print(t("cli.sign.key_moved", path=path))
    return written


def _migrate_key(ctx: Context, args: argparse.Namespace) -> int:
    ctx.open()
    if not move_keys(ctx, args):
        print(t("cli.sign.nothing_to_move"))
    return 0


def _pubkey(ctx: Context, args: argparse.Namespace) -> int:
    ctx.open()
    info = signing.public_key(ctx.actor())
    if args.output:
        target = Path(args.output)
        try:
            write_private(target, info.public_pem, encoding="ascii")
        except OSError as exc:
            raise CliError(t("cli.sign.cannot_write", path=target, error=exc.strerror or exc)) from None
        print(t("cli.sign.pubkey_saved", path=target, key=info.key_id), file=sys.stderr)
    else:
        sys.stdout.write(info.public_pem)
    return 0


def _read_password(args: argparse.Namespace, login: str) -> str:
    """The signer's password: the first line of stdin, or asked once on the terminal."""
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise CliError(t("cli.password_stdin_empty"))
        return password
    try:
        password = getpass.getpass(t("cli.password_prompt", login=login))
    except EOFError:
        raise CliError(t("cli.password_no_tty")) from None
    if not password:
        raise CliError(t("cli.password_empty"))
    return password


def _sign(ctx: Context, args: argparse.Namespace) -> int:
    path = Path(args.target)
    if not path.is_file():
        raise CliError(t("cli.sign.no_file", path=path))
    if not args.login:
        raise CliError(t("cli.sign.login_required"), 2)
    ctx.open()
    password = _read_password(args, args.login)
    result = auth.authenticate(args.login, password, origin="cli")
    if result.actor is None:
        raise CliError(result.message)
    if result.outcome == "must_change":
        raise CliError(t("cli.sign.must_change"))
    key_file = Path(args.key_file) if args.key_file else None
    passphrase = None
    if _key_is_encrypted(ctx, args, result.actor.school_id, key_file):
        passphrase = _passphrase(args, new=False)
    info = signing.sign_file(
        result.actor, path, sig_path=args.output, key_dir=key_dir(ctx, args), key_file=key_file, passphrase=passphrase
    )
    print(t("cli.sign.done", path=info.sig_file))
    print_card(
        [
            (t("cli.sign.col.file"), info.file.name),
            (t("cli.sign.col.sha256"), info.sha256),
            (t("cli.sign.col.signer"), f"{info.signer} ({info.signer_role})"),
            (t("cli.sign.col.school"), info.school),
            (t("cli.sign.col.when"), info.signed_at),
            (t("cli.sign.col.key"), info.key_id),
        ]
    )
    return 0


def _key_is_encrypted(ctx: Context, args: argparse.Namespace, school_id: int, key_file: Path | None) -> bool:
    """Whether the key file to sign with asks for a passphrase (read: its PEM header)."""
    if key_file is None:
        try:
            current = signing.public_key(Actor.console(school_id, origin="cli"))
        except ServiceError:
            return False  # sign_file says there is no key
        key_file = signing.key_file_path(school_id, current.key_id, key_dir(ctx, args))
    try:
        with key_file.open("rb") as handle:
            return b"ENCRYPTED" in handle.readline()
    except OSError:
        return False  # sign_file says what is wrong with the file


def cmd_verify(ctx: Context, args: argparse.Namespace) -> int:
    pem: str | None = None
    if args.pubkey:
        try:
            pem = Path(args.pubkey).read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError) as exc:
            raise CliError(t("cli.sign.cannot_read", path=args.pubkey, error=getattr(exc, "strerror", None) or exc)) from None
    else:
        ctx.open()  # the key is looked up in the journal's database by its id
    result = signing.verify_file(args.file, sig_path=args.sig, public_pem=pem)
    print_card(
        [
            (t("cli.sign.col.file"), result.file),
            (t("cli.sign.col.sha256"), result.sha256),
            (t("cli.sign.col.signed_sha256"), result.signed_sha256),
            (t("cli.sign.col.signer"), f"{result.signer} ({result.signer_role}, {result.signer_login})"),
            (t("cli.sign.col.school"), result.school),
            (t("cli.sign.col.when"), result.signed_at),
            (t("cli.sign.col.key"), result.key_id),
        ]
    )
    print(clean(result.message))
    return 0 if result.valid else 1
