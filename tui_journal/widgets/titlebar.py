"""The top line: the school's name (the app's title) and the screen's name.

Used instead of textual's Header, whose icon is a glyph the Linux console cannot draw and
whose clock (if shown) repaints every second.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class TitleBar(Static):
    def __init__(self, screen_title: str, *, id: str | None = "titlebar") -> None:
        super().__init__("", id=id)
        self.screen_title = screen_title

    def on_mount(self) -> None:
        self.watch(self.app, "title", self._show, init=True)

    def set_screen_title(self, screen_title: str) -> None:
        self.screen_title = screen_title
        self._show(self.app.title)

    def _show(self, title: str) -> None:
        text = Text(" ")
        text.append(str(title or ""), style="bold")
        if self.screen_title:
            text.append(" — ")
            text.append(self.screen_title)
        self.update(text)
