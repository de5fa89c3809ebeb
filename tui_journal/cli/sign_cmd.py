"""``tui-journal sign …`` and ``tui-journal verify …``: certifying exports (R-DIR-1).

- ``sign keygen [--force]``: the school's Ed25519 key (the console acts as the admin);
- ``sign pubkey [-o FILE]``: the public key (PEM) for whoever checks signatures;
- ``sign FILE --login LOGIN``: the director signs ``FILE`` into ``FILE.sig`` (his password is
  asked, or read with ``--password-stdin``);
- ``verify FILE [--sig SIG] [--pubkey PEM]``: is the file exactly what was signed, by whom and
  when; with ``--pubkey`` no database is opened. Exit code 0: valid, 1: not valid.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from tui_journal.cli.base import CliError, Context, add_command, add_password_stdin
from tui_journal.cli.output import clean, print_card
from tui_journal.i18n import t
from tui_journal.services import auth, signing

KEYGEN = "keygen"
PUBKEY = "pubkey"


def register(subparsers: argparse._SubParsersAction) -> None:
    p = add_command(subparsers, "sign", "cli.help.sign", cmd_sign, epilog=t("cli.epilog.sign"))
    p.add_argument("target", metavar="FILE|keygen|pubkey", help=t("cli.arg.sign_target"))
    p.add_argument("--login", metavar="LOGIN", help=t("cli.opt.sign_login"))
    add_password_stdin(p)
    p.add_argument("-o", "--output", metavar="FILE", help=t("cli.opt.sign_output"))
    p.add_argument("--force", action="store_true", help=t("cli.opt.sign_force"))

    v = add_command(subparsers, "verify", "cli.help.verify", cmd_verify, epilog=t("cli.epilog.verify"))
    v.add_argument("file", metavar="FILE", help=t("cli.arg.verify_file"))
    v.add_argument("--sig", metavar="SIG", help=t("cli.opt.verify_sig"))
    v.add_argument("--pubkey", metavar="PEM", help=t("cli.opt.verify_pubkey"))


def cmd_sign(ctx: Context, args: argparse.Namespace) -> int:
    if args.target == KEYGEN:
        return _keygen(ctx, args)
    if args.target == PUBKEY:
        return _pubkey(ctx, args)
    return _sign(ctx, args)


def _keygen(ctx: Context, args: argparse.Namespace) -> int:
    ctx.open()
    info = signing.keygen(ctx.actor(), replace=args.force)
    print(t("cli.sign.key_created", key=info.key_id))
    print(t("cli.sign.pubkey_hint"))
    return 0


def _pubkey(ctx: Context, args: argparse.Namespace) -> int:
    ctx.open()
    info = signing.public_key(ctx.actor())
    if args.output:
        target = Path(args.output)
        try:
            target.write_text(info.public_pem, encoding="ascii")
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
    info = signing.sign_file(result.actor, path, sig_path=args.output)
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
