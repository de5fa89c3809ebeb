"""«Пользователи»: the school's accounts with a search that runs as you type (R-ACC-1..2).

Everybody who may list accounts (admin, director, deputy, secretary) sees the list and the
role filter (F8 cycles the roles). The admin also gets the actions, each a key and, where it
needs text, a form docked under the list (Enter saves, Esc closes; no modal screens):

F2 a new user (login, «Фамилия Имя Отчество», roles as a comma list in Russian or English,
phone) with a generated one-time password; F3 a new one-time password; F7 saves the last
issued password's slip to a text file; F4 lock / unlock; F5 roles (+role/-role, the result asked once); F6 links a parent to a
pupil found by part of his surname; Del removes after a question. Refusals come from the services and
show on the status line; the changed row is updated in place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.coordinate import Coordinate
from textual.widget import Widget
from textual.widgets import DataTable, Label, Static

from tui_journal.i18n import t
from tui_journal.keymap import bind
from tui_journal.screens.base import FAILED, Outcome
from tui_journal.screens.common import (
    Debounce,
    SearchWithForm,
    add_columns,
    row_table,
    save_credentials,
    select_row,
)
from tui_journal.services import access, accounts, enrollment
from tui_journal.services import roles as R
from tui_journal.services.accounts import UserInfo
from tui_journal.services.enrollment import StudentHit
from tui_journal.services.errors import InvalidInput, ServiceError
from tui_journal.services.passwords import one_time_password
from tui_journal.services.reports import diary as report_diary
from tui_journal.services.reports.diary import Credential
from tui_journal.widgets.inputs import JournalInput

SEARCH_DEBOUNCE_SECONDS = 0.15


# Column widths that fit 80 columns with the 1-column scrollbar (each cell has 1 space of
# padding on each side): 12 + 33 + 14 + 12 + 4 × 2 = 79.
COLUMNS = (("login", 12), ("name", 33), ("roles", 14), ("state", 12))

FIELDS = ("login", "name", "roles", "phone", "pupil")
MODES: dict[str, tuple[str, ...]] = {
    "new": ("login", "name", "roles", "phone"),
    "roles": ("roles",),
    "link": ("pupil",),
}
#: What the role filter (F8) cycles through: every role, then all of them again.
ROLE_FILTERS: tuple[str | None, ...] = (None, *R.ALL_ROLES)
#: Spellings of the roles people type besides the English names and the catalogue's ones.
ROLE_SYNONYMS = {
    "админ": R.ADMIN, "зам": R.DEPUTY, "завуч": R.DEPUTY, "заместитель": R.DEPUTY,
    "ученик": R.STUDENT, "ученица": R.STUDENT, "воспитатель": R.EDUCATOR,
}


def state_text(user: UserInfo) -> str:
    """The one state that matters most: removed, locked, no password, one-time, active."""
    if user.state == "active" and not user.has_password:
        return t("state.short.no_password")
    if user.state == "active" and user.must_change_password:
        return t("state.short.one_time")
    return t(f"state.{user.state}")


def roles_short(roles: tuple[str, ...]) -> str:
    return ", ".join(t(f"role.short.{r}") for r in roles)


def _role_names() -> dict[str, str]:
    names = dict(ROLE_SYNONYMS)
    for role in R.ALL_ROLES:
        names[role] = role
        names[t(f"role.{role}").lower()] = role
        names[t(f"role.short.{role}").lower()] = role
    return names


def parse_roles(text: str) -> list[str]:
    """«учитель, parent» → ["teacher", "parent"]; an unknown name is an InvalidInput."""
    names = _role_names()
    result: list[str] = []
    for part in text.split(","):
        word = " ".join(part.split()).lower()
        if not word:
            continue
        role = names.get(word)
        if role is None:
            raise InvalidInput(
                t("users.role_unknown", role=part.strip(), roles=", ".join(t(f"role.short.{r}") for r in R.ALL_ROLES))
            )
        if role not in result:
            result.append(role)
    return result


def roles_edit(current: tuple[str, ...], text: str) -> tuple[list[str], list[str]]:
    """«+завуч, -учитель» → (added, removed) against ``current``.

    A role typed without a sign is added too: a list of roles is edited item by item and
    is never replaced as a whole (typing «завуч» over «учитель» used to drop «учитель»).
    """
    add: list[str] = []
    remove: list[str] = []
    for chunk in text.split(","):
        for part in re.split(r"\s+(?=[+-])", chunk.strip()):
            part = part.strip()
            if not part:
                continue
            sign, name = (part[0], part[1:]) if part[0] in "+-" else ("+", part)
            roles = parse_roles(name)
            for role in roles:
                if sign == "-":
                    if role in current and role not in remove:
                        remove.append(role)
                    if role in add:
                        add.remove(role)
                elif role not in current and role not in add:
                    add.append(role)
    return add, remove


class UsersScreen(SearchWithForm):
    SEARCH_ID = "users-filter"
    FORM_ID = "users-form"
    FOCUS_AFTER_FORM = "users-table"
    TITLE_KEY: ClassVar[str] = "section.users"
    HELP_KEY: ClassVar[str] = "users_keys"

    DEFAULT_CLASSES = "full-width"  # app.tcss: the table takes the whole width

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("users.open_form_new", "f2", "open_form('new')", t("key.user_new"), key_display="F2"),
        bind("users.reset_password", "f3", "reset_password", t("key.user_reset"), key_display="F3"),
        bind("users.toggle_lock", "f4", "toggle_lock", t("key.user_lock"), key_display="F4"),
        bind("users.open_form_roles", "f5", "open_form('roles')", t("key.user_roles"), key_display="F5"),
        bind("users.open_form_link", "f6", "open_form('link')", t("key.user_link"), key_display="F6"),
        bind("users.save_slip", "f7", "save_slip", t("key.user_slip"), key_display="F7"),
        bind("users.cycle_role", "f8", "cycle_role", t("key.user_role_filter"), key_display="F8"),
        bind("users.remove", "delete", "remove", t("key.user_remove"), key_display="Del"),
        bind("users.down", "down", "down", show=False),
        bind("users.up", "up", "up", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._search_later = Debounce(self, SEARCH_DEBOUNCE_SECONDS, self.search)
        self._find_pupils_later = Debounce(self, SEARCH_DEBOUNCE_SECONDS, self.find_pupils)
        self.shown_search: str | None = None  # the search whose results are on screen
        self.role_filter: str | None = None
        self.users: dict[str, UserInfo] = {}
        self.target: UserInfo | None = None  # the user the open form acts on
        self.pupil_hits: list[StudentHit] = []
        self.pupil_index = 0
        self.slip: tuple[UserInfo, str] | None = None  # the last one-time password issued here
        self._remove_armed: str | None = None
        self._message: tuple[str, str | None] | None = None  # (status, login to select) after a re-search

    # --- layout -------------------------------------------------------------------------

    def compose_body(self) -> Iterable[Widget]:
        with Horizontal(classes="filter-row", id="users-filter-row"):
            yield Label(t("key.search"), classes="field-label")
            yield JournalInput(id="users-filter", placeholder=t("users.search"), max_length=64)
            yield Label(t("users.role_label", role=t("users.role_all")), id="users-role")
        yield row_table("users-table")
        with Vertical(id="users-form", classes="docked-form"):
            yield Static("", id="users-form-title", classes="form-title")
            for key in FIELDS:
                with Horizontal(classes="form-row", id=f"users-row-{key}"):
                    yield Label(t(f"users.f.{key}"))
                    yield JournalInput(id=f"users-f-{key}", max_length=200)
            yield Static("", id="users-matches")

    def on_mount(self) -> None:
        add_columns(self.table, COLUMNS, "users")
        self.query_one("#users-f-name", JournalInput).placeholder = t("users.name_hint")
        self.query_one("#users-f-roles", JournalInput).placeholder = t("users.roles_hint")
        self.query_one("#users-f-pupil", JournalInput).placeholder = t("users.pupil_hint")
        self.query_one("#users-filter", JournalInput).focus()
        self.search("")

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#users-table", DataTable)

    # --- search and the role filter --------------------------------------------------------

    def on_input_changed(self, event: JournalInput.Changed) -> None:
        if event.input.id == "users-filter":
            event.stop()
            self._search_later(event.value)
        elif event.input.id == "users-f-pupil":
            event.stop()
            self._find_pupils_later(event.value)

    def action_down(self) -> None:
        if self.mode == "link":
            self._move_pick(1)
        elif self.mode is None:
            self.table.focus()

    def action_up(self) -> None:
        if self.mode == "link":
            self._move_pick(-1)

    def action_to_table(self) -> None:
        self.table.focus()

    def action_cycle_role(self) -> None:
        index = ROLE_FILTERS.index(self.role_filter)
        self.role_filter = ROLE_FILTERS[(index + 1) % len(ROLE_FILTERS)]
        role = t(f"role.short.{self.role_filter}") if self.role_filter else t("users.role_all")
        self.query_one("#users-role", Label).update(t("users.role_label", role=role))
        self.search(self.query_one("#users-filter", JournalInput).value)

    @work(thread=True, exclusive=True, group="users-search")
    def search(self, text: str) -> None:
        users = self.call_service(accounts.list_users, self.actor, role=self.role_filter, search=text or None)
        if users is not FAILED:
            self.deliver(self._show, text, users)

    def _show(self, text: str, users: list[UserInfo]) -> None:
        table = self.table
        before = self.selected()
        old_row = table.cursor_row
        with self.app.batch_update():
            table.clear()
            for user in users:
                table.add_row(*self._cells(user), key=user.login)
            # the same account stays selected after a refresh, else its neighbour
            select_row(table, [u.login for u in users], before.login if before else None, old_row)
        self.users = {u.login: u for u in users}
        self.shown_search = text
        if self._message is not None:
            message, login = self._message
            self._message = None
            if login in self.users:
                table.move_cursor(row=table.get_row_index(login))
            self.set_status(message)
            return
        self.set_status(t("users.count", n=len(users)) if users else t("users.none"))

    @staticmethod
    def _cells(user: UserInfo) -> list[Text]:
        return [Text(user.login), Text(user.full_name), Text(roles_short(user.roles)), Text(state_text(user))]

    def _put(self, user: UserInfo) -> None:
        """Show a changed account in its row (a removed one leaves the list)."""
        table = self.table
        if user.login not in self.users:
            return
        if user.state == "removed":
            table.remove_row(user.login)
            del self.users[user.login]
            return
        self.users[user.login] = user
        for (key, _), cell in zip(COLUMNS, self._cells(user), strict=True):
            table.update_cell(user.login, key, cell)

    def selected(self) -> UserInfo | None:
        table = self.table
        if not self.users or table.cursor_row < 0 or table.cursor_row >= table.row_count:
            return None
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        return self.users.get(key) if key is not None else None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._remove_armed = None

    # --- the docked form ----------------------------------------------------------------------

    def _require_admin(self, what: str) -> bool:
        """The service's own refusal, shown before a form is filled in vain."""
        try:
            access.require_any_role(self.actor, R.ADMIN, what=what)
        except ServiceError as exc:
            self.set_status(exc.message, error=True)
            return False
        return True

    def action_open_form(self, mode: str) -> None:
        self._remove_armed = None
        target = None
        if mode == "new":
            if not self._require_admin("создание учётных записей"):
                return
        else:
            target = self.selected()
            if target is None:
                self.set_status(t("users.pick"), error=True)
                return
            if mode == "roles" and not self._require_admin("изменение ролей"):
                return
        self.target = target
        self.show_form(mode)
        if mode == "new":
            title = t("users.form.new")
        elif mode == "roles":
            title = t("users.form.roles", login=target.login if target else "")
        else:
            title = t("users.form.link", name=target.short_name if target else "")
        self.query_one("#users-form-title", Static).update(Text(title))
        keys = MODES[mode]
        for key in FIELDS:
            self.query_one(f"#users-row-{key}").display = key in keys
            self.query_one(f"#users-f-{key}", JournalInput).value = ""
        if mode == "roles" and target is not None:
            # the line opens empty: what is typed adds (+) or takes away (-) a role
            self.query_one("#users-form-title", Static).update(
                Text(t("users.form.roles_edit", login=target.login, roles=roles_short(target.roles) or "—"))
            )
        self.pupil_hits, self.pupil_index = [], 0
        matches = self.query_one("#users-matches", Static)
        matches.display = mode == "link"
        matches.update("")
        self.query_one(f"#users-f-{keys[0]}", JournalInput).focus()
        self.set_status("")

    def close_form(self) -> None:
        self.target = None
        super().close_form()

    def form_changed(self) -> bool:
        """A new account's typed lines (they open empty); the other forms close on one Esc."""
        if self.mode != "new":
            return False
        return any(self.query_one(f"#users-f-{key}", JournalInput).value.strip() for key in MODES[self.mode])

    def submit_form(self) -> None:
        if self.mode is None:
            return
        if self.mode == "link":
            if not self.pupil_hits or self.target is None:
                self.set_status(t("users.pick_pupil"), error=True)
                return
            hit = self.pupil_hits[self.pupil_index]
            self.set_status(t("users.saving"))
            self.link_parent(self.target.login, hit)
            return
        values = {key: self.query_one(f"#users-f-{key}", JournalInput).value for key in MODES[self.mode]}
        if self.mode == "roles" and self.target is not None:
            self._ask_roles(self.target, values)
            return
        self.set_status(t("users.saving"))
        self.save(self.mode, values, self.target)

    def _ask_roles(self, target: UserInfo, values: dict[str, str]) -> None:
        """Show the roles as they will be after the change and ask once."""
        try:
            add, remove = roles_edit(target.roles, values["roles"])
        except InvalidInput as exc:
            self.set_status(exc.message, error=True)
            return
        if not add and not remove:
            self.set_status(t("users.roles_same"), error=True)
            return
        after = tuple(r for r in target.roles if r not in remove) + tuple(add)
        changes = ", ".join([*(f"+{t(f'role.short.{r}')}" for r in add), *(f"-{t(f'role.short.{r}')}" for r in remove)])
        mode = self.mode

        def go() -> None:
            self.set_status(t("users.saving"))
            self.save(mode or "roles", values, target)

        self.confirm(
            t("users.roles_ask", login=target.login, roles=roles_short(after) or "—", changes=changes),
            go,
            on_cancel=self.say_kept,
        )

    @work(thread=True, exclusive=True, group="users-save")
    def save(self, mode: str, values: dict[str, str], target: UserInfo | None) -> None:
        if mode == "new":
            created = self.call_service(self._create, values)
            if not isinstance(created, Outcome):
                self.deliver(self._created, *created)
            return
        assert target is not None
        changed = self.call_service(self._apply_roles, target, values["roles"])
        if changed is not FAILED:
            self.deliver(self._roles_changed, target, changed)

    def _create(self, values: dict[str, str]) -> tuple[UserInfo, str]:
        """Runs in the worker: the typed lines → accounts.add_user with a one-time password."""
        last, first, middle = accounts.split_full_name(values["name"])
        roles = parse_roles(values["roles"])
        password = one_time_password()
        user = accounts.add_user(
            self.actor, values["login"], last, first, middle,
            roles=roles, password=password, one_time=True, phone=values["phone"].strip(),
        )
        return user, password

    def _created(self, user: UserInfo, password: str) -> None:
        self.close_form()
        self.slip = (user, password)
        self._message = (t("users.created", login=user.login, password=password), user.login)
        self.search(self.query_one("#users-filter", JournalInput).value)

    def _apply_roles(self, target: UserInfo, text: str) -> UserInfo | None:
        add, remove = roles_edit(target.roles, text)
        if not add and not remove:
            return None
        return accounts.change_roles(self.actor, target.login, add=add, remove=remove)

    def _roles_changed(self, target: UserInfo, user: UserInfo | None) -> None:
        self.close_form()
        if user is None:
            self.set_status(t("users.roles_same"))
            return
        self._put(user)
        self.set_status(t("users.roles_done", login=user.login, roles=roles_short(user.roles) or "—"))

    # --- linking a parent to a pupil ------------------------------------------------------------

    @work(thread=True, exclusive=True, group="users-pupils")
    def find_pupils(self, text: str) -> None:
        if not text.strip():
            self.deliver(self._show_pupils, [])
            return
        hits = self.call_service(enrollment.search_students, self.actor, text)
        if hits is not FAILED:
            self.deliver(self._show_pupils, hits)

    def _show_pupils(self, hits: list[StudentHit]) -> None:
        if self.mode != "link":
            return
        self.pupil_hits, self.pupil_index = hits, 0
        self._render_pupils()
        if not hits and self.query_one("#users-f-pupil", JournalInput).value.strip():
            self.set_status(t("users.no_pupils"))
        else:
            self.set_status("")

    def _move_pick(self, delta: int) -> None:
        if self.pupil_hits:
            self.pupil_index = (self.pupil_index + delta) % len(self.pupil_hits)
            self._render_pupils()

    def _render_pupils(self) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        if self.pupil_hits:
            text.append(f"{self.pupil_index + 1}/{len(self.pupil_hits)} ")
        start = max(0, min(self.pupil_index - 1, len(self.pupil_hits) - 3))
        for index, hit in enumerate(self.pupil_hits[start:start + 3], start):
            label = f"{hit.full_name} ({hit.status})" if hit.status else hit.full_name
            if index == self.pupil_index:
                text.append("▸ " + label, style="reverse")
            else:
                text.append("  " + label)
            text.append("  ")
        self.query_one("#users-matches", Static).update(text)

    @work(thread=True, exclusive=True, group="users-save")
    def link_parent(self, login: str, hit: StudentHit) -> None:
        if self.call_service(accounts.link_parent, self.actor, login, hit.id) is not FAILED:
            self.deliver(self._linked, login, hit)

    def _linked(self, login: str, hit: StudentHit) -> None:
        self.close_form()
        self.set_status(t("users.linked", parent=login, pupil=hit.full_name))

    # --- actions on the selected row ---------------------------------------------------------------

    def _target(self) -> UserInfo | None:
        if self.mode is not None:
            self.close_form()
        user = self.selected()
        if user is None:
            self.set_status(t("users.pick"), error=True)
        return user

    def _ask_on_selected(self, what: str, ask_key: str, worker: Callable[[str], object]) -> None:
        """An admin's action on the selected account: refused before asking (``what``: the
        action's name in the refusal), else asked once (``ask_key``) and ``worker(login)`` run."""
        self._remove_armed = None
        user = self._target()
        if user is None or not self._require_admin(what):
            return
        login = user.login
        self.confirm(
            t(ask_key, login=login, name=user.full_name),
            lambda: worker(login),
            on_cancel=self.say_kept,
        )

    def action_reset_password(self) -> None:
        self._ask_on_selected("выдача паролей", "users.reset_ask", self.reset_password)

    @work(thread=True, exclusive=True, group="users-save")
    def reset_password(self, login: str) -> None:
        password = self.call_service(accounts.set_password, self.actor, login, one_time=True)
        if password is FAILED:
            return
        user = self.call_service(accounts.get_user, self.actor, login)
        if user is not FAILED:
            self.deliver(self._reset_done, user, password)

    def _reset_done(self, user: UserInfo, password: str) -> None:
        self._put(user)
        self.slip = (user, password)
        self.set_status(t("users.reset", login=user.login, password=password))

    def action_save_slip(self) -> None:
        if self.slip is None:
            self.set_status(t("users.no_slip"), error=True)
            return
        user, password = self.slip
        self.set_status(t("loading"))
        self._save_slip(user, password)

    @work(thread=True, exclusive=True, group="users-slip")
    def _save_slip(self, user: UserInfo, password: str) -> None:
        """The slip as the ``credentials`` PDF, offered as a file (0600 in the exports folder over SSH)."""
        who = ", ".join(t(f"role.{r}") for r in user.roles)
        save_credentials(
            self, self.app.title or "", "Доступ к электронному журналу и дневнику",
            [Credential(user.full_name, who, user.login, password)],
            name=f"{report_diary.CREDENTIALS}_{user.login}",
            saved_key="users.slip_saved", failed_key="users.slip_failed",
        )

    def action_toggle_lock(self) -> None:
        self._remove_armed = None
        user = self._target()
        if user is not None:
            self.toggle_lock(user.login, user.state == "locked")

    @work(thread=True, exclusive=True, group="users-save")
    def toggle_lock(self, login: str, locked: bool) -> None:
        fn = accounts.unlock_user if locked else accounts.lock_user
        user = self.call_service(fn, self.actor, login)
        if user is not FAILED:
            self.deliver(self._state_changed, user, "users.unlocked" if locked else "users.locked")

    def _state_changed(self, user: UserInfo, key: str) -> None:
        self._put(user)
        self.set_status(t(key, login=user.login))

    def action_remove(self) -> None:
        self._ask_on_selected("удаление учётных записей", "users.remove_ask", self.remove_account)

    @work(thread=True, exclusive=True, group="users-save")
    def remove_account(self, login: str) -> None:
        user = self.call_service(accounts.remove_user, self.actor, login)
        if user is not FAILED:
            self.deliver(self._state_changed, user, "users.removed")
