"""What every command shares: the errors, the context (settings, database, school, actor),
the prompts and the helpers that declare commands."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import shlex
import sys
from collections.abc import Callable
from pathlib import Path

import peewee
from peewee import Database

from tui_journal.config import Settings, SettingsError, load_settings
from tui_journal.db.backup import display_url, sqlite_path
from tui_journal.db.database import SchemaOutdated, ensure_current, open_database, schema_state
from tui_journal.i18n import t
from tui_journal.services.actor import Actor
from tui_journal.services.passwords import check_password_rules
from tui_journal.services.school import SchoolInfo, resolve_school

Handler = Callable[["Context", argparse.Namespace], int]


class CliError(Exception):
    """A refusal printed to stderr as it is; ``code`` is the exit status (1, or 2 for usage)."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def db_error_text(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
    return "; ".join(lines[:2]) or exc.__class__.__name__


def tr(key: str, fallback: str) -> str:
    """``t(key)``, or ``fallback`` when the catalogue has no such key."""
    text = t(key)
    return fallback if text == key else text


def run_hint(ctx: Context) -> str:
    return t("cli.run_hint", command=f"tui-journal run --db {shlex.quote(ctx.url)}")


def role_names(roles: tuple[str, ...] | list[str]) -> str:
    return ", ".join(tr(f"role.{r}", r) for r in roles)


def has_journal_tables(db: Database) -> bool:
    """Whether the journal's tables are there, whatever the migration history says."""
    return bool(db.table_exists("school"))


def ensure_schema(db: Database) -> None:
    """:func:`ensure_current`, except that tables without a migration history are «outdated»
    (run ``db upgrade``), not «empty» (run ``init``)."""
    state = schema_state(db)
    if state.is_empty and has_journal_tables(db):
        raise SchemaOutdated(t("cli.schema_outdated", names=", ".join(state.pending)))
    ensure_current(db)


class Context:
    """Settings from the options, the database opened on demand, the school and the actor."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.settings = self._load_settings(args)
        self.db: Database | None = None
        self._school: SchoolInfo | None = None

    @staticmethod
    def _load_settings(args: argparse.Namespace) -> Settings:
        config = getattr(args, "config", None)
        path = None
        if config:
            path = Path(config)
            if not path.is_file():
                raise CliError(t("cli.config_missing", path=path), 2)
        try:
            settings = load_settings(path)
        except SettingsError as exc:  # names the key and the file (or the variable) itself
            raise CliError(exc.message, 2) from None
        except (OSError, ValueError, TypeError) as exc:
            raise CliError(t("cli.config_bad", path=path or "", error=exc), 2) from None
        return settings.with_overrides(db_url=getattr(args, "db", None), log_level=getattr(args, "log_level", None))

    @property
    def url(self) -> str:
        return self.settings.db_url

    @property
    def shown_url(self) -> str:
        return display_url(self.url)

    def sqlite_file(self) -> Path | None:
        return sqlite_path(self.url)

    def open(self, *, check_schema: bool = True, create: bool = False) -> Database:
        """Open the database (once). A missing SQLite file is not created unless ``create``."""
        if self.db is None:
            path = self.sqlite_file()
            if path is not None and not create and not path.is_file():
                raise SchemaOutdated(t("cli.db_missing", path=path))
            try:
                self.db = open_database(self.url, check_schema=False)
            except (peewee.DatabaseError, peewee.InterfaceError) as exc:
                raise CliError(t("cli.db_connect_failed", url=self.shown_url, error=db_error_text(exc))) from None
            except PermissionError as exc:  # the folder or the file is not ours
                raise CliError(t("cli.db_connect_failed", url=self.shown_url, error=exc)) from None
        if check_schema:
            ensure_schema(self.db)
        return self.db

    def school(self) -> SchoolInfo:
        if self._school is None:
            self.open()
            self._school = resolve_school(getattr(self.args, "school", None))
        return self._school

    def actor(self) -> Actor:
        """The console actor of the chosen school (recorded in the audit as «консоль (…)»)."""
        return Actor.console(self.school().id, origin="cli")

    def close(self) -> None:
        if self.db is not None:
            try:
                self.db.close()
            except peewee.PeeweeException:
                pass
            self.db = None
        self._school = None


# --- prompts ------------------------------------------------------------------------------


def read_new_password(args: argparse.Namespace, *, login: str) -> str:
    """A new password: the first line of stdin with ``--password-stdin``, else asked twice."""
    if getattr(args, "password_stdin", False):
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
        if not password:
            raise CliError(t("cli.password_stdin_empty"))
        check_password_rules(password, login)
        return password
    try:
        first = getpass.getpass(t("cli.password_prompt", login=login))
        if not first:
            raise CliError(t("cli.password_empty"))
        check_password_rules(first, login)
        second = getpass.getpass(t("cli.password_repeat"))
    except EOFError:
        raise CliError(t("cli.password_no_tty")) from None
    if first != second:
        raise CliError(t("passwd.mismatch"))
    return first


def ask(label: str, option: str) -> str:
    """Ask for a missing value on a terminal; in a script the option is required."""
    if not sys.stdin.isatty():
        raise CliError(t("cli.option_required", option=option), 2)
    try:
        value = input(f"{label}: ").strip()
    except EOFError:
        value = ""
    if not value:
        raise CliError(t("cli.option_required", option=option), 2)
    return value


def confirm(question: str) -> bool:
    """A yes/no question on stdin; anything but «да»/«yes» (or end of input) is no."""
    try:
        answer = input(f"{question} [да/нет]: ")
    except EOFError:
        return False
    return answer.strip().casefold() in {"да", "д", "yes", "y"}


# --- declaring commands ---------------------------------------------------------------------


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=30)


def common_options(*, suppress: bool) -> argparse.ArgumentParser:
    """``--db``, ``--school``, ``--config``: accepted before and after any command."""
    parent = argparse.ArgumentParser(add_help=False)
    default = argparse.SUPPRESS if suppress else None
    group = parent.add_argument_group(t("cli.group.global"))
    group.add_argument("--db", metavar="URL", default=default, help=t("cli.opt.db"))
    group.add_argument("--school", metavar="ID_OR_NAME", default=default, help=t("cli.opt.school"))
    group.add_argument("--config", metavar="FILE", default=default, help=t("cli.opt.config"))
    group.add_argument(
        "--log-level", metavar="LEVEL", default=default, type=str.upper,
        choices=("DEBUG", "INFO", "WARNING", "ERROR"), help=t("cli.opt.log_level"),
    )
    return parent


def positive(text: str) -> int:
    """argparse type: a whole number above 0."""
    return _whole_number(text, minimum=1)


def non_negative(text: str) -> int:
    """argparse type: a whole number, 0 or more."""
    return _whole_number(text, minimum=0)


def _whole_number(text: str, *, minimum: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(t("cli.bad_number", value=text)) from None
    if value < minimum:
        raise argparse.ArgumentTypeError(t("cli.bad_number", value=text))
    return value


def add_command(
    subparsers: argparse._SubParsersAction,
    name: str,
    help_key: str,
    func: Handler | None = None,
    *,
    epilog: str | None = None,
) -> argparse.ArgumentParser:
    text = t(help_key)
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name,
        help=text,
        description=text,
        epilog=epilog,
        parents=[common_options(suppress=True)],
        formatter_class=HelpFormatter,
    )
    if func is not None:
        parser.set_defaults(func=func)
    return parser


def add_group(parser: argparse.ArgumentParser) -> argparse._SubParsersAction:
    """Sub-commands of a group command (``user add``…); the group alone prints its help."""

    def need_subcommand(ctx: Context, args: argparse.Namespace) -> int:
        parser.print_help(sys.stderr)
        return 2

    parser.set_defaults(func=need_subcommand)
    return parser.add_subparsers(metavar=t("cli.metavar.command"), title=t("cli.group.commands"))


def add_password_stdin(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--password-stdin", action="store_true", help=t("cli.opt.password_stdin"))


def add_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", choices=("table", "csv"), default="table", help=t("cli.opt.format")
    )


def date_arg(text: str) -> dt.date:
    """An argparse type: a date as ГГГГ-ММ-ДД or ДД.ММ.ГГГГ."""
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(t("cli.bad_date", value=text))
