"""A one-line question docked above the footer: the journal's one way to ask before doing
something that cannot be taken back, and before leaving a form with unsaved changes.

It costs one line on the wire (a modal screen costs ~50 KB to open and ~37 KB to close,
FACTS.md). The question says what will happen and to how many («Выбыл: Смирнова Дарья, 7А,
04.12.2026? Enter — да, Esc — нет»). Keys while it is shown:

- Enter: ``on_yes`` (do it / save and leave);
- N (``т`` on the Russian layout): ``on_no``, when given (leave without saving);
- Esc: ``on_cancel``, when given; nothing happens otherwise (stay).

Every other key is swallowed while it asks, so a key typed ahead cannot act behind it.
Focus goes back to where it was when the question closes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Static

from tui_journal.i18n import t

Callback = Callable[[], Any]


class ConfirmLine(Static, can_focus=True):
    DEFAULT_CSS = """
    ConfirmLine {
        height: auto;
        max-height: 2;
        width: 100%;
        padding: 0 1;
        display: none;
        text-style: bold;
        background: $warning-muted;
        &:ansi {
            background: ansi_yellow;
            color: ansi_black;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "yes", t("key.confirm.yes"), key_display="Enter", priority=True),
        Binding("escape", "cancel", t("key.confirm.no"), key_display="Esc", priority=True),
    ]

    def __init__(self, *, id: str | None = "confirm") -> None:
        super().__init__("", id=id)
        self._on_yes: Callback | None = None
        self._on_no: Callback | None = None
        self._on_cancel: Callback | None = None
        self._return_focus: Widget | None = None
        self.question = ""

    @property
    def is_open(self) -> bool:
        return bool(self.display)

    def ask(
        self,
        question: str,
        on_yes: Callback,
        *,
        on_no: Callback | None = None,
        on_cancel: Callback | None = None,
        keys: str | None = None,
    ) -> None:
        """Show ``question`` followed by the keys' help and wait for Enter/N/Esc."""
        if keys is None:
            keys = t("confirm.keys_save") if on_no is not None else t("confirm.keys")
        self.question = question
        self._on_yes, self._on_no, self._on_cancel = on_yes, on_no, on_cancel
        focused = self.screen.focused if self.is_attached else None
        self._return_focus = focused if focused is not self else self._return_focus
        self.update(Text(f"{question} {keys}"))
        self.display = True
        self.focus()

    def close(self) -> None:
        self.display = False
        self.question = ""
        target, self._return_focus = self._return_focus, None
        if target is not None and target.is_attached and target.focusable:
            target.focus()

    def _answer(self, callback: Callback | None) -> None:
        self.close()
        if callback is not None:
            callback()

    def action_yes(self) -> None:
        if self.is_open:
            self._answer(self._on_yes)

    def action_cancel(self) -> None:
        if self.is_open:
            self._answer(self._on_cancel)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # the priority bindings act only while the question is shown
        return self.is_open if action in ("yes", "cancel") else True

    async def on_key(self, event: events.Key) -> None:
        if not self.is_open:
            return
        event.stop()
        event.prevent_default()
        if self._on_no is not None and event.character in ("n", "N", "т", "Т"):
            self._answer(self._on_no)
