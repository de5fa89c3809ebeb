"""The bottom line with the screen's keys («F1 Справка  Esc Назад …»).

Replaces textual's Footer, which composes no keys at first and recomposes a widget per key
after the screen's first paint: every screen switch sent the line twice (about 1.4 kB), and
the ~8 widgets per screen had to be styled and laid out. This is one widget that renders the
screen's active bindings as one line of text, and repaints only when that text changes.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget


class KeyLine(Widget):
    DEFAULT_CSS = """
    KeyLine {
        dock: bottom;
        height: 1;
        width: 100%;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        color: $footer-description-foreground;
        background: $footer-background;
    }
    KeyLine > .key-line--key {
        color: $footer-key-foreground;
        text-style: bold;
    }
    KeyLine > .key-line--disabled {
        text-style: dim;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-line--key", "key-line--disabled"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: tuple[object, ...] = ()
        self._rows = 1
        # (row, first column, end column, the binding, the node it belongs to): what a tap hits
        self._targets: list[tuple[int, int, int, Binding, DOMNode]] = []

    #: Every key must stay reachable: keys that do not fit on one row go on a second one
    #: (a phone in the browser, a screen with many keys at 80 columns) instead of being cut.
    wraps = True

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.styles.height = "auto"

    async def on_click(self, event: events.Click) -> None:
        """A tap on a key runs its action, as the key itself would."""
        for row, start, end, binding, node in self._targets:
            if event.y == row and start <= event.x < end:
                event.stop()
                await self.app.run_action(binding.action, node)
                return

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen:
            line = self._line()
            if self._signature(line) != self._shown:
                # a key more or less may take a row more or less
                rows_changed = line.plain.count("\n") != self._rows - 1
                self.refresh(layout=rows_changed)

    @staticmethod
    def _signature(line: Text) -> tuple[object, ...]:
        """The text and where it is dimmed (a key disabled or enabled again repaints)."""
        return (line.plain, tuple((span.start, span.end, str(span.style)) for span in line.spans))

    def _line(self, width: int | None = None) -> Text:
        key_style = self.get_component_rich_style("key-line--key", partial=True)
        disabled = self.get_component_rich_style("key-line--disabled", partial=True)
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        targets: list[tuple[int, int, int, Binding, DOMNode]] = []
        self._targets = targets
        seen: set[str] = set()
        try:
            active = self.screen.active_bindings
        except Exception:  # not attached yet
            return text
        if width is None:
            width = self.size.width
        width = width if self.wraps else 0
        row, column = 0, 0
        for node, binding, enabled, _tooltip in active.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            key = self.app.get_key_display(binding)
            length = len(key) + 1 + len(binding.description)
            if column and width and column + 1 + length > width:
                text.append("\n")
                row, column = row + 1, 0
            elif column:
                text.append(" ")
                column += 1
            targets.append((row, column, column + length, binding, node))
            text.append(key, style=key_style if enabled else key_style + disabled)
            text.append(" " + binding.description, style=None if enabled else disabled)
            column += length
        return text

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return self._line(width).plain.count("\n") + 1 if self.wraps else 1

    def render(self) -> Text:
        line = self._line()
        self._shown = self._signature(line)
        self._rows = line.plain.count("\n") + 1
        return line
