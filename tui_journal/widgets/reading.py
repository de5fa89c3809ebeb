"""Panes for reading and writing long texts: a scrollable reading pane under a list, a
multi-line compose area, and the narrow (phone) layout switch.

Both panes keep user text as plain text (rich ``Text``, never markup). The reading pane is
focusable (Tab reaches it) and scrolls with ↑ ↓ PageUp PageDown Home End, so a message or a
homework of any length can be read to its end on 80x24 and on a phone 40 columns wide.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static, TextArea

from tui_journal.i18n import t
from tui_journal.keymap import bind

#: Below this many columns a screen switches to its narrow layout (a phone held upright is
#: about 40 columns in the browser; an old terminal is 80).
NARROW_BELOW = 60
NARROW_CLASS = "-narrow"


def update_narrow(screen: Screen[Any], width: int) -> bool:
    """Set or clear the screen's ``-narrow`` class for ``width``; True when it changed."""
    narrow = 0 < width < NARROW_BELOW
    if screen.has_class(NARROW_CLASS) == narrow:
        return False
    screen.set_class(narrow, NARROW_CLASS)
    return True


def is_narrow(screen: Screen[Any]) -> bool:
    return screen.has_class(NARROW_CLASS)


class ReadingPane(VerticalScroll):
    """A focusable, scrollable pane showing one text that wraps (a message, a lesson's topic
    and homework). ``text`` is what it shows, for the tests and for copying."""

    DEFAULT_CSS = """
    ReadingPane {
        height: 7;
        padding: 0 1;
        scrollbar-size-vertical: 1;
    }
    ReadingPane > Static {
        width: 1fr;
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.text = Text()

    def compose(self) -> list[Widget]:
        return [Static("", id=f"{self.id or 'reading'}-text")]

    def show(self, text: Text | str) -> None:
        """Replace the text and scroll back to its beginning."""
        self.text = text if isinstance(text, Text) else Text(text)
        self.query_one(Static).update(self.text)
        self.scroll_home(animate=False)


class ComposeArea(TextArea):
    """A multi-line editor for a message body. F2 sends (Ctrl+Enter does not reach the program
    over every SSH client); Esc asks to be cancelled, and the screen decides whether the text
    may be dropped."""

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("compose_area.send", "f2", "send", t("key.compose.send"), key_display="F2"),
        bind("compose_area.cancel", "escape", "cancel", t("key.compose.cancel"), key_display="Esc"),
    ]

    class Send(Message):
        def __init__(self, area: ComposeArea) -> None:
            super().__init__()
            self.area = area

    class Cancel(Message):
        def __init__(self, area: ComposeArea) -> None:
            super().__init__()
            self.area = area

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, soft_wrap=True, tab_behavior="focus", show_line_numbers=False)
        self.cursor_blink = False

    def action_send(self) -> None:
        self.post_message(self.Send(self))

    def action_cancel(self) -> None:
        self.post_message(self.Cancel(self))
