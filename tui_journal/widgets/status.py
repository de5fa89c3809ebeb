"""A one-line status message: errors and confirmations in place, instead of toasts (a toast
is animated, bordered and repaints twice).

A new message on a one-line status repaints only as many cells as the longer of the old and
the new message cover: the rest of the line is blank already, and resending it costs a
space and its colour per cell (about 60 bytes on an 80-column line).
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.geometry import Region
from textual.widgets import Static


class MessageLine(Static):
    """A line of text that repaints only what a new text needs (see the module doc)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.message = ""
        self._span: Region | None = None

    def show(self, message: str | Text, *, error: bool = False) -> None:
        """Show ``message`` as plain text (never as markup: it may quote what a user typed)."""
        text = message if isinstance(message, Text) else Text(message)
        plain = text.plain
        if plain == self.message and self.has_class("-error") == error:
            return  # nothing changed: send nothing to the terminal
        old = self.message
        self.message = plain
        if self.has_class("-error") != error:
            self.set_class(error, "-error")  # another colour: the whole line repaints anyway
            self.update(text)
            return
        height = self.styles.height
        one_line = self.is_mounted and height is not None and height.is_cells and height.value == 1
        if not one_line:
            self.update(text)  # a wrapping status (forms) may change its height
            return
        width = self.styles.padding.left + max(cell_len(old), cell_len(plain)) + 1
        self._span = Region(0, 0, min(width, self.size.width), 1)
        try:
            self.update(text, layout=False)
        finally:
            self._span = None

    def refresh(
        self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False
    ) -> MessageLine:
        if not regions and self._span is not None and not layout and not recompose:
            regions = (self._span,)
        super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
        return self

    def clear(self) -> None:
        self.show("")


class StatusLine(MessageLine):
    """The screen's status line (``#status``)."""

    def __init__(self, *, id: str | None = "status") -> None:
        super().__init__(id=id)
