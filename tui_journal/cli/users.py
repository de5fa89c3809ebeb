"""``tui-journal user …``: accounts, roles, passwords (R-ACC-1, R-ACC-2)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from tui_journal.cli.base import (
    CliError,
    Context,
    add_command,
    add_format,
    add_group,
    read_new_password,
    role_names,
)
from tui_journal.cli.output import emit, print_card
from tui_journal.i18n import t
from tui_journal.services import accounts
from tui_journal.services.accounts import UserInfo
from tui_journal.services.errors import Conflict, InvalidInput
from tui_journal.services.passwords import one_time_password
from tui_journal.services.roles import ALL_ROLES


def state_text(user: UserInfo) -> str:
    parts = [t(f"state.{user.state}")]
    if not user.has_password:
        parts.append(t("state.no_password"))
    elif user.must_change_password:
        parts.append(t("state.one_time"))
    return ", ".join(parts)


def _when(value: object) -> str:
    return value.strftime("%d.%m.%Y %H:%M") if hasattr(value, "strftime") else ""


def register(sub: argparse._SubParsersAction) -> None:
    roles = ", ".join(ALL_ROLES)
    user = add_command(sub, "user", "cli.help.user", epilog=t("cli.epilog.user", roles=roles))
    usub = add_group(user)

    p = add_command(usub, "add", "cli.help.user_add", cmd_add)
    p.add_argument("login", metavar="LOGIN", help=t("cli.arg.login"))
    p.add_argument("--name", required=True, metavar="ФИО", help=t("cli.opt.name"))
    p.add_argument(
        "--role", action="append", required=True, choices=ALL_ROLES, metavar="ROLE",
        help=t("cli.opt.role", roles=roles),
    )
    p.add_argument("--one-time", action="store_true", help=t("cli.opt.one_time"))
    p.add_argument("--phone", default="", help=t("cli.opt.phone"))
    p.add_argument("--email", default="", help=t("cli.opt.email"))
    how = p.add_mutually_exclusive_group()
    how.add_argument("--password-stdin", action="store_true", help=t("cli.opt.password_stdin"))
    how.add_argument("--generate", action="store_true", help=t("cli.opt.generate"))
    how.add_argument("--no-password", action="store_true", help=t("cli.opt.no_password"))

    p = add_command(usub, "list", "cli.help.user_list", cmd_list)
    p.add_argument("--role", choices=ALL_ROLES, metavar="ROLE", help=t("cli.opt.role_filter"))
    p.add_argument("--search", metavar="TEXT", help=t("cli.opt.search"))
    p.add_argument("--all", action="store_true", help=t("cli.opt.all_users"))
    add_format(p)

    p = add_command(usub, "show", "cli.help.user_show", cmd_show)
    p.add_argument("login", metavar="LOGIN", help=t("cli.arg.login"))

    p = add_command(usub, "passwd", "cli.help.user_passwd", cmd_passwd)
    p.add_argument("login", metavar="LOGIN", help=t("cli.arg.login"))
    p.add_argument("--one-time", action="store_true", help=t("cli.opt.one_time"))
    how = p.add_mutually_exclusive_group()
    how.add_argument("--generate", action="store_true", help=t("cli.opt.generate"))
    how.add_argument("--password-stdin", action="store_true", help=t("cli.opt.password_stdin"))

    for name in STATE_COMMANDS:
        p = add_command(usub, name, f"cli.help.user_{name}", cmd_state)
        p.set_defaults(state_command=name)
        p.add_argument("login", metavar="LOGIN", help=t("cli.arg.login"))

    p = add_command(usub, "roles", "cli.help.user_roles", cmd_roles)
    p.add_argument("login", metavar="LOGIN", help=t("cli.arg.login"))
    p.add_argument("--add", action="append", default=[], choices=ALL_ROLES, metavar="ROLE", help=t("cli.opt.role_add"))
    p.add_argument(
        "--remove", action="append", default=[], choices=ALL_ROLES, metavar="ROLE", help=t("cli.opt.role_remove")
    )

    p = add_command(usub, "link", "cli.help.user_link", cmd_link)
    p.add_argument("login", metavar="PARENT_LOGIN", help=t("cli.arg.parent_login"))
    p.add_argument("--student", type=_student_id, required=True, metavar="ID", help=t("cli.opt.student"))
    p.add_argument("--relation", default="", metavar="мать", help=t("cli.opt.relation"))


def _student_id(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(t("cli.bad_number", value=text)) from None
    if value <= 0:
        raise argparse.ArgumentTypeError(t("cli.bad_number", value=text))
    return value


def cmd_add(ctx: Context, args: argparse.Namespace) -> int:
    last, first, middle = accounts.split_full_name(args.name)
    login = args.login.strip()
    actor = ctx.actor()
    # Refuse a taken or malformed login before asking for a password (the service checks again).
    if not accounts.LOGIN_RE.match(login):
        raise InvalidInput(t("err.login_bad", login=login))
    if accounts.find_user(login) is not None:
        raise Conflict(t("err.login_taken", login=login))
    generated: str | None = None
    password: str | None
    if args.generate:
        password = generated = one_time_password()
    elif args.no_password:
        password = None
    else:
        password = read_new_password(args, login=login)
    info = accounts.add_user(
        actor,
        login,
        last,
        first,
        middle,
        roles=args.role,
        password=password,
        one_time=args.one_time or args.generate,
        phone=args.phone,
        email=args.email,
    )
    print(t("cli.user_added", login=info.login, name=info.full_name, roles=role_names(info.roles)))
    if generated is not None:
        print(t("cli.password_generated", login=info.login, password=generated))
    return 0


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    users = accounts.list_users(ctx.actor(), role=args.role, search=args.search, include_removed=args.all)
    headers = [t("users.login"), t("users.name"), t("users.roles"), t("users.state")]
    if args.format == "csv":
        headers += [t("cli.col.phone"), t("cli.col.email"), t("account.last_login")]
        rows = [
            [u.login, u.full_name, role_names(u.roles), state_text(u), u.phone, u.email, _when(u.last_login_at)]
            for u in users
        ]
        emit("csv", headers, rows)
        return 0
    if not users:
        print(t("cli.no_users"))
        return 0
    emit("table", headers, [[u.login, u.full_name, role_names(u.roles), state_text(u)] for u in users])
    print(t("cli.total", n=len(users)))
    return 0


def cmd_show(ctx: Context, args: argparse.Namespace) -> int:
    u = accounts.get_user(ctx.actor(), args.login)
    if not u.has_password:
        password = t("state.no_password")
    elif u.must_change_password:
        password = t("state.one_time")
    else:
        password = t("cli.password_set_state")
    print_card(
        [
            (t("account.login"), u.login),
            (t("account.name"), u.full_name),
            (t("account.roles"), role_names(u.roles) or "—"),
            (t("users.state"), t(f"state.{u.state}")),
            (t("login.password"), password),
            (t("account.last_login"), _when(u.last_login_at) or "—"),
            (t("cli.col.phone"), u.phone or "—"),
            (t("cli.col.email"), u.email or "—"),
            (t("account.classes"), ", ".join(u.led_classes) or "—"),
        ]
    )
    return 0


def cmd_passwd(ctx: Context, args: argparse.Namespace) -> int:
    actor = ctx.actor()
    if args.generate:
        password = accounts.set_password(actor, args.login, None, one_time=True)
        print(t("cli.password_generated", login=args.login, password=password))
        return 0
    user = accounts.get_user(actor, args.login)  # a missing login is refused before the prompt
    password = read_new_password(args, login=user.login)
    accounts.set_password(actor, user.login, password, one_time=args.one_time)
    print(t("cli.password_changed_one_time" if args.one_time else "cli.password_changed", login=user.login))
    return 0


#: ``user lock|unlock|remove LOGIN``: the service operation and the message saying it is done.
STATE_COMMANDS: dict[str, tuple[Callable[..., UserInfo], str]] = {
    "lock": (accounts.lock_user, "cli.user_locked"),
    "unlock": (accounts.unlock_user, "cli.user_unlocked"),
    "remove": (accounts.remove_user, "cli.user_removed"),
}


def cmd_state(ctx: Context, args: argparse.Namespace) -> int:
    """One account locked, unlocked or removed (``args.state_command``), and said so."""
    change, done = STATE_COMMANDS[args.state_command]
    info = change(ctx.actor(), args.login)
    print(t(done, login=info.login))
    return 0


def cmd_roles(ctx: Context, args: argparse.Namespace) -> int:
    if not args.add and not args.remove:
        raise CliError(t("cli.roles_nothing"), 2)
    both = set(args.add) & set(args.remove)
    if both:
        raise CliError(t("cli.roles_both", roles=", ".join(sorted(both))), 2)
    info = accounts.change_roles(ctx.actor(), args.login, add=args.add, remove=args.remove)
    print(t("cli.roles_now", login=info.login, roles=role_names(info.roles) or "—"))
    return 0


def cmd_link(ctx: Context, args: argparse.Namespace) -> int:
    accounts.link_parent(ctx.actor(), args.login, args.student, args.relation.strip())
    print(t("cli.parent_linked", login=args.login, student=args.student))
    return 0
