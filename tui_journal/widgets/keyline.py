"""The bottom line with the screen's keys («F1 Справка  Esc Назад …»).

Replaces textual's Footer, which composes no keys at first and recomposes a widget per key
after the screen's first paint: every screen switch sent the line twice (about 1.4 kB), and
the ~8 widgets per screen had to be styled and laid out. This is one widget that renders the
screen's active bindings as one line of text, and repaints only when that text changes.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
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

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen and self._signature(self._line()) != self._shown:
            self.refresh()

    @staticmethod
    def _signature(line: Text) -> tuple[object, ...]:
        """The text and where it is dimmed (a key disabled or enabled again repaints)."""
        return (line.plain, tuple((span.start, span.end, str(span.style)) for span in line.spans))

    def _line(self) -> Text:
        key_style = self.get_component_rich_style("key-line--key", partial=True)
        disabled = self.get_component_rich_style("key-line--disabled", partial=True)
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        seen: set[str] = set()
        try:
            active = self.screen.active_bindings
        except Exception:  # not attached yet
            return text
        for _node, binding, enabled, _tooltip in active.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            if text:
                text.append(" ")
            text.append(self.app.get_key_display(binding), style=key_style if enabled else key_style + disabled)
            text.append(" " + binding.description, style=None if enabled else disabled)
        return text

    def render(self) -> Text:
        line = self._line()
        self._shown = self._signature(line)
        return line
