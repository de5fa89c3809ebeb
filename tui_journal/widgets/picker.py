"""A one-line picker with search: type part of a name, the best match shows beside the field,
↑/↓ go through the other matches, Enter takes the one shown.

Used wherever a class, a teacher, a room or a subject used to be typed exactly («каб. 217»,
a login): «217», «иван» or «алг» is enough. One line, no pop-up (a pop-up list costs a
repaint of what it covers on every key over SSH). The screen feeds it the choices (from the
services' lists) with :meth:`Picker.set_choices` and reads :attr:`Picker.value` — the
picked choice's value (a login, a class name), or the text as typed when nothing matches.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.widgets import Static

from tui_journal.i18n import t
from tui_journal.keymap import bind
from tui_journal.widgets.inputs import JournalInput


@dataclass(frozen=True)
class Choice:
    label: str  # what the field shows once picked («Иванова М. И.», «7А», «каб. 217»)
    value: str  # what the screen passes on (a login, a class name, a room name)
    detail: str = ""  # shown after the label and searched too (a login, «делится на группы»)


def matches(choices: Sequence[Choice], text: str) -> list[Choice]:
    """The choices containing ``text`` (case and ё/е aside); those starting with it first."""
    needle = text.strip().casefold().replace("ё", "е")
    if not needle:
        return list(choices)
    first: list[Choice] = []
    rest: list[Choice] = []
    for choice in choices:
        hay = f"{choice.label} {choice.value} {choice.detail}".casefold().replace("ё", "е")
        if needle not in hay:
            continue
        (first if any(w.startswith(needle) for w in hay.split()) or hay.startswith(needle) else rest).append(choice)
    return first + rest


class Picker(Horizontal):
    DEFAULT_CSS = """
    Picker { height: 1; width: 1fr; }
    Picker > JournalInput { width: 1fr; }
    Picker > .picker-match { width: 1fr; height: 1; padding: 0 0 0 1; color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("picker.cycle_next", "down", "cycle(1)", show=False),
        bind("picker.cycle_prev", "up", "cycle(-1)", show=False),
    ]

    def __init__(self, *, id: str | None = None, placeholder: str = "", max_length: int = 100) -> None:
        super().__init__(id=id)
        self._placeholder = placeholder
        self._max_length = max_length
        self.choices: list[Choice] = []
        self.found: list[Choice] = []
        self.index = 0
        self._chosen: Choice | None = None  # taken with Enter (two teachers may share a label)

    def compose(self) -> Iterable[JournalInput | Static]:
        yield JournalInput(placeholder=self._placeholder, max_length=self._max_length)
        yield Static("", classes="picker-match")

    @property
    def input(self) -> JournalInput:
        return self.query_one(JournalInput)

    @property
    def text(self) -> str:
        return self.input.value

    def set_choices(self, choices: Iterable[Choice]) -> None:
        self.choices = list(choices)
        self._refilter()

    def set_text(self, text: str, *, select: bool = False) -> None:
        """Put ``text`` in the field (``select``: selected, so that typing replaces it)."""
        self.input.value = text
        self.input.cursor_position = len(text)
        if select and text:
            self.input.select_all()
        self._refilter()

    def picked(self) -> Choice | None:
        """The choice the field stands for: typed exactly, else the match shown."""
        if self._chosen is not None and self.text == self._chosen.label:
            return self._chosen
        text = self.text.strip().casefold()
        if not text:
            return None
        exact = [c for c in self.choices if text in (c.label.casefold(), c.value.casefold())]
        if exact:
            return exact[0]
        return self.found[self.index] if self.found else None

    @property
    def value(self) -> str:
        choice = self.picked()
        return choice.value if choice is not None else self.text.strip()

    def _refilter(self) -> None:
        self.found = matches(self.choices, self.text) if self.text.strip() else []
        self.index = 0
        self._show()

    def _show(self) -> None:
        match = self.query_one(".picker-match", Static)
        if not self.text.strip() or not self.choices:
            match.update("")
            return
        if not self.found:
            match.update(Text(t("picker.none")))
            return
        choice = self.found[self.index]
        line = Text("→ ")
        line.append(choice.label, style="bold")
        if choice.detail:
            line.append(f" ({choice.detail})")
        if len(self.found) > 1:
            line.append(f"  {self.index + 1}/{len(self.found)} ↑↓")
        match.update(line)

    def on_input_changed(self, event: JournalInput.Changed) -> None:
        self._refilter()

    def on_input_submitted(self, event: JournalInput.Submitted) -> None:
        """Enter takes the match shown into the field, then the form goes on as before."""
        choice = self.picked()
        if choice is not None and self.text != choice.label:
            with self.input.prevent(JournalInput.Changed):
                self.input.value = choice.label
            self.found, self.index = [choice], 0
            self._show()
        self._chosen = choice

    def action_cycle(self, step: int) -> None:
        if len(self.found) > 1:
            self.index = (self.index + step) % len(self.found)
            self._show()
