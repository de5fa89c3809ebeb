"""The F1 help panel: docked inside the screen and toggled, never a modal (a modal repaints
the whole terminal twice)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui_journal.i18n import t


def help_text(help_key: str) -> Text:
    """The help of one screen (``help.<key>``) followed by the keys that work everywhere."""
    text = Text()
    text.append(t("help.title"), style="bold")
    text.append("\n")
    if help_key:
        text.append(t(f"help.{help_key}"))
        text.append("\n")
    text.append(t("help.global"))
    text.append("\n")
    text.append(t("help.close"))
    return text


class HelpPanel(Static):
    """Hidden until F1; shows plain text only."""

    def __init__(self, help_key: str, *, id: str | None = "help") -> None:
        super().__init__(help_text(help_key), id=id)
        self.help_key = help_key
        self.display = False

    @property
    def shown(self) -> bool:
        return bool(self.display)

    def toggle(self) -> None:
        self.display = not self.display
