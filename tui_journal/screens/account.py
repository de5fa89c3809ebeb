"""«Моя учётная запись»: login, name, roles, last login, classes led; F2 changes the password."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import work
from textual.binding import BindingType
from textual.widget import Widget
from textual.widgets import Static

from tui_journal.i18n import t
from tui_journal.keymap import bind
from tui_journal.screens.base import FAILED, JournalScreen
from tui_journal.services import accounts
from tui_journal.services.accounts import UserInfo


def format_moment(value: object) -> str:
    if value is None:
        return t("account.never")
    strftime = getattr(value, "strftime", None)
    return strftime("%d.%m.%Y %H:%M") if strftime else str(value)


class AccountScreen(JournalScreen):
    TITLE_KEY: ClassVar[str] = "section.account"
    HELP_KEY: ClassVar[str] = "account"

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("account.change_password", "f2", "change_password", t("key.passwd"), key_display="F2"),
    ]

    def compose_body(self) -> Iterable[Widget]:
        yield Static(t("loading"), id="account-card")

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="account")
    def load(self) -> None:
        info = self.call_service(accounts.get_user, self.actor, self.actor.login)
        if info is not FAILED:
            self.deliver(self._show, info)

    def _show(self, info: UserInfo) -> None:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        rows = [
            ("account.login", info.login),
            ("account.name", info.full_name),
            ("account.roles", ", ".join(t(f"role.{r}") for r in info.roles)),
            ("account.previous_login", format_moment(info.previous_login_at)),
        ]
        if {"teacher", "educator"} & set(info.roles):
            rows.append(("account.classes", ", ".join(info.led_classes) or t("account.none")))
        for key, value in rows:
            table.add_row(Text(t(key)), Text(value))
        self.query_one("#account-card", Static).update(table)

    def action_change_password(self) -> None:
        from tui_journal.screens.password import PasswordScreen

        self.app.push_screen(PasswordScreen(forced=False))
