"""A one-line question over the status line: the journal's one way to ask before doing
something that cannot be taken back, and before leaving a form with unsaved changes.

It costs about 1–2 KB on the wire (a modal screen costs ~50 KB to open and ~37 KB to
close, FACTS.md; a line shown in the flow, or a change of focus, repainted the whole screen:
~20 KB): it is two lines drawn over the status line and the row above it (a layer of its own,
shown and hidden with ``visibility``, so no layout happens) and the focus stays where it was. The
question says what will happen and to how many («Выбытие: Смирнова Дарья, 7А, 04.12.2026?
Enter — да, Esc — нет»). While it is shown the app hands it every key
(:meth:`tui_journal.app.JournalApp.on_event`):

- Enter: ``on_yes`` (do it / save and leave);
- N (``т`` on the Russian layout): ``on_no``, when given (leave without saving);
- Esc: ``on_cancel``, when given; nothing happens otherwise (stay);
- any other key is swallowed, so a key typed ahead cannot act behind the question.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.widgets import Static

from tui_journal.i18n import t

Callback = Callable[[], Any]


class ConfirmLine(Static):
    DEFAULT_CSS = """
    ConfirmLine {
        /* A layer of its own is laid out apart: the screen's layout never makes room for it.
           (Drawn over the rest because it comes last; a widget's CSS is scoped to the widget,
           so it cannot declare the screen's layers.) */
        layer: confirm;
        dock: bottom;
        offset: 0 -1;  /* over the status line and the row above it, not the footer */
        height: 2;
        width: 100%;
        padding: 0 1;
        visibility: hidden;
        text-style: bold;
        background: $warning-muted;
        &:ansi {
            background: ansi_yellow;
            color: ansi_black;
        }
    }
    """

    def __init__(self, *, id: str | None = "confirm") -> None:
        super().__init__("", id=id)
        self._on_yes: Callback | None = None
        self._on_no: Callback | None = None
        self._on_cancel: Callback | None = None
        self.question = ""

    @property
    def is_open(self) -> bool:
        return bool(self.visible)

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
        width = self.screen.size.width if self.is_attached else 80
        # the question on the first line and the keys under it; a long one runs on
        short = cell_len(question) <= width - 2
        self.update(Text(f"{question}\n{keys}" if short else f"{question} {keys}"))
        self.visible = True

    def close(self) -> None:
        self.visible = False
        self.question = ""

    def _answer(self, callback: Callback | None) -> None:
        self.close()
        if callback is not None:
            callback()

    def answer_key(self, event: events.Key) -> None:
        """A key while the question is shown: Enter, N or Esc answer it, others are swallowed."""
        if not self.is_open:
            return
        if event.key == "enter":
            self._answer(self._on_yes)
        elif event.key == "escape":
            self._answer(self._on_cancel)
        elif self._on_no is not None and event.character in ("n", "N", "т", "Т"):
            self._answer(self._on_no)
