"""The parser, the dispatch and the one place where errors become messages and exit codes.

Exit codes: 0 done; 1 refused (a service error, a failed backup, an unreachable database, a
full disk…); 2 bad usage (argparse, a bad URL) or a schema that needs ``tui-journal db
upgrade``/``init``; 3 an internal error (a bug: logged with its traceback in the program's log,
whose path the message names); 130 interrupted. No error shows a Python traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import os
import sys
from collections.abc import Iterator, Sequence

import peewee

from tui_journal import __version__
from tui_journal.cli import app
from tui_journal.cli.base import CliError, Context, HelpFormatter, common_options
from tui_journal.cli.early import is_session
from tui_journal.db.backup import BackupError
from tui_journal.db.database import DatabaseUrlError, SchemaOutdated
from tui_journal.domain.user_text import safe
from tui_journal.i18n import current_locale, t
from tui_journal.logs import internal_error, setup_logging
from tui_journal.services import db_errors
from tui_journal.services.errors import ServiceError

INTERNAL_ERROR = 3

# argparse's own messages, in Russian (it looks them up through gettext at call time).
_ARGPARSE_RU = {
    "usage: ": "Использование: ",
    "positional arguments": "аргументы",
    "options": "параметры",
    "show this help message and exit": "показать эту справку и выйти",
    "show program's version number and exit": "показать версию программы и выйти",
    "the following arguments are required: %s": "не указаны обязательные аргументы: %s",
    "unrecognized arguments: %s": "непонятные аргументы: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "недопустимое значение %(value)r (возможны: %(choices)s)",
    "argument %(argument_name)s: %(message)s": "аргумент %(argument_name)s: %(message)s",
    "expected one argument": "нужно значение",
    "expected at most one argument": "нужно не больше одного значения",
    "expected at least one argument": "нужно хотя бы одно значение",
    "invalid %(type)s value: %(value)r": "недопустимое значение %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "неоднозначный параметр %(option)s: подходят %(matches)s",
    "not allowed with argument %s": "нельзя вместе с %s",
    "one of the arguments %s is required": "нужен один из аргументов: %s",
    "ignored explicit argument %r": "лишнее значение %r",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "неизвестная команда %(parser_name)r (есть: %(choices)s)",
    "%(prog)s: error: %(message)s\n": "%(prog)s: ошибка: %(message)s\n",
}


@contextlib.contextmanager
def _argparse_in_russian() -> Iterator[None]:
    if current_locale() != "ru":
        yield
        return
    original, original_n = argparse._, argparse.ngettext  # type: ignore[attr-defined]

    def gettext(message: str) -> str:
        return _ARGPARSE_RU.get(message) or original(message)

    def ngettext(singular: str, plural: str, n: int) -> str:
        if singular == "expected %s argument":
            return "нужно значений: %s"
        return original_n(singular, plural, n)

    argparse._ = gettext  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = original  # type: ignore[attr-defined]
        argparse.ngettext = original_n  # type: ignore[attr-defined]


#: Command groups of the other areas; each module has ``register(subparsers)``. A missing
#: module is an error (ImportError), never a command that silently disappears.
EXTENSION_MODULES = (
    "tui_journal.cli.report",
    "tui_journal.cli.school",
    "tui_journal.cli.sign",
    "tui_journal.cli.ssh",
    "tui_journal.cli.doctor",
    "tui_journal.cli.web",
)


def build_parser(*, session_only: bool = False) -> argparse.ArgumentParser:
    """The whole parser; ``session_only``: ``run`` alone (a session imports none of the
    other commands' modules, see :mod:`tui_journal.cli.early`)."""
    parser = argparse.ArgumentParser(
        prog="tui-journal",
        description=t("cli.description"),
        epilog=t("cli.epilog"),
        parents=[common_options(suppress=False)],
        formatter_class=HelpFormatter,
    )
    parser.add_argument(
        "--version", action="version", version=f"tui-journal {__version__}", help=t("cli.opt.version")
    )
    sub = parser.add_subparsers(
        dest="command", metavar=t("cli.metavar.command"), title=t("cli.group.commands")
    )
    app.register_run(sub)
    parser.set_defaults(func=app.cmd_run)
    if session_only:
        return parser
    from tui_journal.cli import admin, users

    admin.register_init(sub)
    users.register(sub)
    admin.register_audit(sub)
    admin.register_db(sub)
    admin.register_backup(sub)
    app.register_demo(sub)
    for name in EXTENSION_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def _utf8_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            with contextlib.suppress(Exception):
                stream.reconfigure(encoding="utf-8", errors="replace")


def _fail(message: str, code: int) -> int:
    # a refusal may quote what was typed or read from a file: never let it drive the terminal
    print(safe(message, multiline=True), file=sys.stderr)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``tui-journal`` with ``argv`` (default: the command line); returns the exit status."""
    _utf8_streams()
    with _argparse_in_russian():
        session = is_session(sys.argv[1:] if argv is None else list(argv))
        parser = build_parser(session_only=True) if session else build_parser()
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # --help, --version, or a usage error (already printed)
            return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        return _dispatch(args)


def _dispatch(args: argparse.Namespace) -> int:
    ctx: Context | None = None
    try:
        ctx = Context(args)
        setup_logging(ctx.settings.log_dir, ctx.settings.log_level)
        logging.getLogger("tui_journal.cli").debug("command %s", getattr(args, "command", None))
        return int(args.func(ctx, args) or 0)
    except CliError as exc:
        return _fail(exc.message, exc.code)
    except SchemaOutdated as exc:
        return _fail(str(exc), 2)
    except DatabaseUrlError as exc:
        return _fail(str(exc), 2)
    except ServiceError as exc:
        return _fail(exc.message, 1)
    except BackupError as exc:
        return _fail(exc.message, 1)
    except (peewee.DatabaseError, peewee.InterfaceError) as exc:
        known = db_errors.message(exc)
        if known is not None:  # disk full, read-only, connection lost, busy
            logging.getLogger("tui_journal.db").warning("%s", exc)
            return _fail(known, 1)
        return _fail(internal_error(exc, f"command {getattr(args, 'command', '')}"), INTERNAL_ERROR)
    except KeyboardInterrupt:
        return _fail("\n" + t("cli.interrupted"), 130)
    except BrokenPipeError:
        # The reader went away (`… | head`): stop quietly.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except PermissionError as exc:  # a file the system refused: one line, no traceback
        return _fail(t("err.permission", path=exc.filename or "", error=exc.strerror or exc), 1)
    except Exception as exc:  # a bug: its traceback goes to the program's log
        return _fail(internal_error(exc, f"command {getattr(args, 'command', '')}"), INTERNAL_ERROR)
    finally:
        if ctx is not None:
            with contextlib.suppress(Exception):  # a lost connection must not hide the message
                ctx.close()
