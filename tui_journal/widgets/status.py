"""A one-line status message: errors and confirmations in place, instead of toasts (a toast
is animated, bordered and repaints twice)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class StatusLine(Static):
    def __init__(self, *, id: str | None = "status") -> None:
        super().__init__("", id=id)
        self.message = ""

    def show(self, message: str, *, error: bool = False) -> None:
        """Show ``message`` as plain text (never as markup: it may quote what a user typed)."""
        if message == self.message and self.has_class("-error") == error:
            return  # nothing changed: send nothing to the terminal
        self.message = message
        self.set_class(error, "-error")
        self.update(Text(message))

    def clear(self) -> None:
        self.show("")
