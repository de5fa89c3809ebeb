"""The journal's one-line input: compact (no border) and with a steady cursor.

A bordered Input costs about 3.5 KB per keystroke over SSH and a blinking cursor about
1.7 KB every second; this one costs about 126 bytes per keystroke and nothing while idle
(FACTS.md). In textual 8.2.8 blinking is the ``cursor_blink`` reactive, not a constructor
argument, so the default is overridden here.
"""

from __future__ import annotations

from typing import Any

from textual.reactive import reactive
from textual.widgets import Input


class JournalInput(Input):
    """``Input`` with ``compact=True`` and ``cursor_blink=False`` by default."""

    cursor_blink = reactive(False, init=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("compact", True)
        super().__init__(*args, **kwargs)
