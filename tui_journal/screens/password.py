"""Changing one's own password: after a one-time password (forced) or with F2."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual import work
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Label, Static

from tui_journal.i18n import t
from tui_journal.screens.base import FAILED, JournalScreen
from tui_journal.services import accounts
from tui_journal.widgets.inputs import JournalInput
from tui_journal.widgets.status import StatusLine


class PasswordScreen(JournalScreen):
    TITLE_KEY: ClassVar[str] = "passwd.title"
    HELP_KEY: ClassVar[str] = "passwd"
    STATUS_IN_BODY: ClassVar[bool] = True

    def __init__(self, *, forced: bool = False) -> None:
        super().__init__()
        self.forced = forced
        self.busy = False

    def compose_body(self) -> Iterable[Widget]:
        with Vertical(id="passwd-form", classes="form"):
            if self.forced:
                yield Static(t("passwd.forced"), id="passwd-forced", classes="warning")
            with Horizontal(classes="field"):
                yield Label(t("passwd.new"), classes="field-label wide")
                yield JournalInput(id="new", password=True, max_length=128)
            with Horizontal(classes="field"):
                yield Label(t("passwd.repeat"), classes="field-label wide")
                yield JournalInput(id="repeat", password=True, max_length=128)
            yield StatusLine()
            yield Static(t("passwd.rules"), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#new", JournalInput).focus()

    def on_input_submitted(self, event: JournalInput.Submitted) -> None:
        event.stop()
        if event.input.id == "new":
            if event.value:
                self.query_one("#repeat", JournalInput).focus()
        elif event.input.id == "repeat":
            self.submit()

    def _clear(self) -> None:
        new = self.query_one("#new", JournalInput)
        new.value = ""
        self.query_one("#repeat", JournalInput).value = ""
        new.focus()

    def submit(self) -> None:
        if self.busy:
            return
        new = self.query_one("#new", JournalInput).value
        repeat = self.query_one("#repeat", JournalInput).value
        if not new or not repeat:
            self.set_status(t("passwd.empty"), error=True)
            return
        if new != repeat:
            self.set_status(t("passwd.mismatch"), error=True)
            self._clear()
            return
        self.busy = True
        self.set_status(t("passwd.saving"))
        self.save(new)

    @work(thread=True, exclusive=True, group="passwd")
    def save(self, new: str) -> None:
        """Hashing takes ~60 ms: in a thread."""
        done = self.call_service(accounts.change_own_password, self.actor, new)
        self.deliver(self._saved, done is not FAILED)

    def _saved(self, ok: bool) -> None:
        self.busy = False
        if not ok:
            self._clear()  # the reason is on the status line already
            return
        if self.forced:
            self.journal.show_home(message=t("passwd.done"))
            return
        self.app.pop_screen()
        self.app.screen.query_one(StatusLine).show(t("passwd.done"))

    def go_back(self) -> None:
        """Esc: after a one-time password, refusing to change it means logging out."""
        if self.forced:
            self.journal.logout()
        else:
            super().go_back()
