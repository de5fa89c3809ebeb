"""Stored text on the screen: never a terminal escape, never a reordering of the line.

Two layers. :func:`user_text` is the helper a widget uses to turn stored text (names, topics,
homework, messages) into a rich ``Text``: never markup, and without control, bidi and
zero-width characters (:func:`tui_journal.domain.user_text.safe`). :class:`SafeTextFilter`
is the last line of defence that the app installs for every widget: whatever a widget
renders, a control character (ESC, BEL, CSI…) or a bidi/zero-width character is dropped
from the line before it is written to the terminal, so text in an old database cannot set a
pupil's terminal title or clear the screen even through a widget that forgot the helper.
"""

from __future__ import annotations

import re

from rich.segment import Segment
from rich.text import Text
from textual.color import Color
from textual.filter import LineFilter

from tui_journal.domain.user_text import safe

# Characters that take no cell (rich's cell_len is 0 for them), so dropping them keeps the
# line's width: C0 and C1 controls, DEL, bidi marks and isolates, zero-width characters.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u200b-\u200d\u2060\ufeff\u2028\u2029\ud800-\udfff]"
)


def shown(value: object, *, multiline: bool = False) -> str:
    """Stored text as a widget shows it: without control, bidi and zero-width characters."""
    return safe(value, multiline=multiline)


def user_text(value: object, *, style: str = "", multiline: bool = False) -> Text:
    """Stored text as a rich ``Text`` (never markup), safe to show."""
    return Text(safe(value, multiline=multiline), style=style)


class SafeTextFilter(LineFilter):
    """Drops control, bidi and zero-width characters from every rendered segment."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        if _UNSAFE.search("".join([seg.text for seg in segments if not seg.control])) is None:
            return segments  # the usual case: one regex scan of the line
        return [
            seg if seg.control or not _UNSAFE.search(seg.text) else Segment(_UNSAFE.sub("", seg.text), seg.style)
            for seg in segments
        ]
