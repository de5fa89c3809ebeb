"""The login form: login, masked password, a status line and the school's note below."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Label, Static

from tui_journal.i18n import t
from tui_journal.keymap import bind
from tui_journal.screens.base import FAILED, JournalScreen
from tui_journal.services import auth, ui_support
from tui_journal.services.auth import LoginPolicy, LoginResult
from tui_journal.widgets.inputs import JournalInput
from tui_journal.widgets.status import StatusLine


class LoginScreen(JournalScreen):
    TITLE_KEY: ClassVar[str] = "login.subtitle"
    HELP_KEY: ClassVar[str] = "login"
    STATUS_IN_BODY: ClassVar[bool] = True

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("login.back", "escape", "back", t("key.back"), show=False),  # nothing to go back to
    ]

    def __init__(self, message: str = "") -> None:
        super().__init__()
        self._first_message = message
        self.busy = False

    def compose_body(self) -> Iterable[Widget]:
        with Vertical(id="login-form", classes="form"):
            yield Static(Text(t("login.title"), style="bold"), id="login-heading")
            with Horizontal(classes="field"):
                yield Label(t("login.login"), classes="field-label")
                yield JournalInput(id="login", max_length=64)
            with Horizontal(classes="field"):
                yield Label(t("login.password"), classes="field-label")
                yield JournalInput(id="password", password=True, max_length=128)
            yield StatusLine()
            yield Static(t("login.hint"), id="login-hint", classes="hint")
        yield Static("", id="login-note")

    def on_mount(self) -> None:
        self.query_one("#login", JournalInput).focus()
        if self._first_message:
            self.set_status(self._first_message)
        self.load_notice()

    @work(thread=True, exclusive=True, group="notice")
    def load_notice(self) -> None:
        notice = self.call_service(ui_support.login_notice)
        if notice is not FAILED:
            self.deliver(self._show_notice, notice)

    def _show_notice(self, notice: ui_support.LoginNotice) -> None:
        if notice.school_name:
            self.app.title = notice.short_name or notice.school_name
        self.query_one("#login-note", Static).update(Text(notice.note))

    def go_back(self) -> None:
        """Esc on the login form: nothing to go back to."""

    # --- submitting ---------------------------------------------------------------------

    def on_input_submitted(self, event: JournalInput.Submitted) -> None:
        event.stop()
        if event.input.id == "login":
            if event.value.strip():
                self.query_one("#password", JournalInput).focus()
            return
        if event.input.id == "password":
            self.submit()

    def submit(self) -> None:
        if self.busy:
            return
        login = self.query_one("#login", JournalInput).value.strip()
        password = self.query_one("#password", JournalInput).value
        if not login or not password:
            self.set_status(t("login.empty"), error=True)
            self.query_one("#login" if not login else "#password", JournalInput).focus()
            return
        self.busy = True
        self.set_status(t("login.checking"))
        self.authenticate(login, password)

    @work(thread=True, exclusive=True, group="login")
    def authenticate(self, login: str, password: str) -> None:
        """argon2 takes ~60 ms: never on the event loop."""
        app = self.journal
        throttle = app.login_throttle
        if throttle is not None:  # the browser route: per client address, from the login log
            failures = self.call_service(
                auth.address_failures, app.address, origin=app.origin, window_seconds=throttle.window
            )
            if isinstance(failures, int) and failures >= throttle.block_after:
                minutes = max(1, round(throttle.block_seconds / 60))
                self.deliver(self._authenticated, LoginResult("locked", t("web.address_blocked", minutes=minutes)))
                return
            if isinstance(failures, int) and failures >= throttle.slow_after:
                time.sleep(min(throttle.max_delay, throttle.base_delay * 2 ** (failures - throttle.slow_after)))
        result = self.call_service(
            auth.authenticate,
            login,
            password,
            origin=app.origin,
            address=app.address,
            policy=LoginPolicy(lock_after=app.settings.lock_after),
        )
        self.deliver(self._authenticated, result)

    def _authenticated(self, result: LoginResult | object) -> None:
        self.busy = False
        if isinstance(result, LoginResult) and result.actor is not None:
            self.set_status("")
            self.journal.login_succeeded(result.actor, must_change=result.outcome == "must_change")
            return
        if isinstance(result, LoginResult):
            self.set_status(result.message, error=True)
        password = self.query_one("#password", JournalInput)
        password.value = ""
        password.focus()
