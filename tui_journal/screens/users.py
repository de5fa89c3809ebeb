"""«Пользователи»: the school's accounts with a search that runs as you type."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import DataTable, Label

from tui_journal.i18n import t
from tui_journal.screens.base import FAILED, JournalScreen
from tui_journal.services import accounts
from tui_journal.services.accounts import UserInfo
from tui_journal.widgets.inputs import JournalInput

SEARCH_DEBOUNCE_SECONDS = 0.15


# Column widths that fit 80 columns with the 1-column scrollbar (each cell has 1 space of
# padding on each side): 12 + 33 + 14 + 12 + 4 × 2 = 79.
COLUMNS = (("login", 12), ("name", 33), ("roles", 14), ("state", 12))


def state_text(user: UserInfo) -> str:
    """The one state that matters most: removed, locked, no password, one-time, active."""
    if user.state == "active" and not user.has_password:
        return t("state.short.no_password")
    if user.state == "active" and user.must_change_password:
        return t("state.short.one_time")
    return t(f"state.{user.state}")


def roles_short(roles: tuple[str, ...]) -> str:
    return ", ".join(t(f"role.short.{r}") for r in roles)


class UsersScreen(JournalScreen):
    TITLE_KEY: ClassVar[str] = "section.users"
    HELP_KEY: ClassVar[str] = "users"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "to_table", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._debounce: Timer | None = None
        self.shown_search: str | None = None  # the search whose results are on screen

    def compose_body(self) -> Iterable[Widget]:
        with Horizontal(classes="field", id="users-filter-row"):
            yield Label(t("key.search"), classes="field-label")
            yield JournalInput(id="users-filter", placeholder=t("users.search"), max_length=64)
        table: DataTable[Text] = DataTable(id="users-table", cursor_type="row", zebra_stripes=False)
        yield table

    def on_mount(self) -> None:
        table = self.query_one("#users-table", DataTable)
        for key, width in COLUMNS:
            table.add_column(t(f"users.{key}"), key=key, width=width)
        self.query_one("#users-filter", JournalInput).focus()
        self.search("")

    def on_input_changed(self, event: JournalInput.Changed) -> None:
        if event.input.id != "users-filter":
            return
        event.stop()
        if self._debounce is not None:
            self._debounce.stop()
        value = event.value
        self._debounce = self.set_timer(SEARCH_DEBOUNCE_SECONDS, lambda: self.search(value))

    def on_input_submitted(self, event: JournalInput.Submitted) -> None:
        event.stop()
        self.action_to_table()

    def action_to_table(self) -> None:
        self.query_one("#users-table", DataTable).focus()

    @work(thread=True, exclusive=True, group="users-search")
    def search(self, text: str) -> None:
        users = self.call_service(accounts.list_users, self.actor, search=text or None)
        if users is not FAILED:
            self.deliver(self._show, text, users)

    def _show(self, text: str, users: list[UserInfo]) -> None:
        table = self.query_one("#users-table", DataTable)
        with self.app.batch_update():
            table.clear()
            for user in users:
                table.add_row(
                    Text(user.login),
                    Text(user.full_name),
                    Text(roles_short(user.roles)),
                    Text(state_text(user)),
                    key=user.login,
                )
        self.shown_search = text
        self.set_status(t("users.count", n=len(users)) if users else t("users.none"))
