"""The edit line: a one-line editor docked under a table, used by the journal screens
instead of modal dialogs (a modal costs 40–50 KB to open over SSH; this costs a line)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Label

from tui_journal.i18n import t
from tui_journal.keymap import bind
from tui_journal.widgets.inputs import JournalInput


class EditLine(Horizontal):
    """A one-line editor docked under a table: a prompt and a compact input.

    Hidden until :meth:`open`; Enter posts :class:`EditLine.Done`, Esc posts
    :class:`EditLine.Cancelled` — after asking once when the line was changed (the first Esc
    says so on the prompt; typing on takes the question back). It replaces modal dialogs (a modal costs 40–50 KB to open
    over SSH; this costs a line).
    """

    DEFAULT_CSS = """
    EditLine {
        height: 1;
        width: 100%;
        display: none;
    }
    EditLine > Label {
        width: auto;
        max-width: 40;
        padding: 0 1 0 0;
        text-style: bold;
    }
    EditLine > JournalInput {
        width: 1fr;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("edit_line.cancel", "escape", "cancel", t("key.cancel"), key_display="Esc"),
    ]

    class Done(Message):
        def __init__(self, edit_line: EditLine, purpose: str, value: str) -> None:
            super().__init__()
            self.edit_line = edit_line
            self.purpose = purpose
            self.value = value

    class Cancelled(Message):
        def __init__(self, edit_line: EditLine, purpose: str) -> None:
            super().__init__()
            self.edit_line = edit_line
            self.purpose = purpose

    def __init__(self, *, id: str | None = None, max_length: int = 500) -> None:
        super().__init__(id=id)
        self.purpose = ""
        self._max_length = max_length
        self._prompt = ""
        self._opened_with = ""
        self._asked = False

    def compose(self) -> Iterable[Label | JournalInput]:
        yield Label("", id=f"{self.id or 'edit'}-prompt")
        yield JournalInput(id=f"{self.id or 'edit'}-input", max_length=self._max_length)

    @property
    def input(self) -> JournalInput:
        return self.query_one(JournalInput)

    @property
    def is_open(self) -> bool:
        return bool(self.display)

    def open(self, purpose: str, prompt: str, value: str = "") -> None:
        self.purpose = purpose
        self._prompt, self._opened_with, self._asked = prompt, value, False
        self.query_one(Label).update(Text(prompt))
        field = self.input
        field.value = value
        field.cursor_position = len(value)
        self.display = True
        field.focus()

    def close(self) -> None:
        self.display = False
        self.purpose = ""

    def on_input_submitted(self, event: JournalInput.Submitted) -> None:
        event.stop()
        self.post_message(self.Done(self, self.purpose, event.value))

    def action_cancel(self) -> None:
        if self.input.value != self._opened_with and not self._asked:
            self._asked = True
            self.query_one(Label).update(Text(t("edit_line.esc_again")))
            return
        self.post_message(self.Cancelled(self, self.purpose))

    def on_input_changed(self, event: JournalInput.Changed) -> None:
        """Typing after the question takes it back: the prompt is shown again."""
        if self._asked:
            self._asked = False
            self.query_one(Label).update(Text(self._prompt))
