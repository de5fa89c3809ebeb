"""The one boundary every user-typed text passes: on the way in, and on the way out.

On the way in (:func:`clean`) text is trimmed, checked against the length limit of its
field kind (:data:`LIMITS`, defined here once, the same on SQLite and PostgreSQL and never
longer than the database column) and refused when it carries characters that could drive a
terminal or reorder what is shown around it:

- control characters: C0 (except a line break and a tab in fields that allow several lines),
  DEL and C1 (ESC, BEL, CSI… are how a topic could set a pupil's terminal title or clear it);
- bidi overrides and isolates (U+202A–U+202E, U+2066–U+2069), the direction marks U+200E,
  U+200F, U+061C: they reorder the text that follows, including a grid's borders;
- zero-width characters (U+200B–U+200D, U+2060, U+FEFF): invisible, they make two equal
  names differ and shift column widths;
- line and paragraph separators (U+2028, U+2029) and lone surrogates (broken decoding).

``mode="remove"`` drops those characters instead of refusing (file imports, where the caller
names the line). On the way out (:func:`safe`) stored text, whatever is in the database, is
made safe to show on a terminal or write to a file: the same characters are dropped or
replaced, never passed on.
"""

from __future__ import annotations

import re
from typing import Literal

from tui_journal.i18n import t

# --- what is forbidden ---------------------------------------------------------------------

_C0_BUT_BREAKS = "\x00-\x08\x0b-\x1f"  # keeps \t (09) and \n (0a)
_C0_BREAKS = "\t\n"
_DEL_C1 = "\x7f-\x9f"
_BIDI = "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
_ZERO_WIDTH = "\u200b-\u200d\u2060\ufeff"
_SEPARATORS = "\u2028\u2029"
_SURROGATES = "\ud800-\udfff"

_INVISIBLE = _BIDI + _ZERO_WIDTH + _SEPARATORS + _SURROGATES
#: Everything refused in a field of one line.
FORBIDDEN_ONE_LINE = re.compile(f"[{_C0_BUT_BREAKS}{_C0_BREAKS}{_DEL_C1}{_INVISIBLE}]")
#: Everything refused in a field of several lines (line breaks and tabs are allowed).
FORBIDDEN_MULTILINE = re.compile(f"[{_C0_BUT_BREAKS}{_DEL_C1}{_INVISIBLE}]")
_CONTROL = re.compile(f"[{_C0_BUT_BREAKS}{_DEL_C1}]")
_DROPPED = re.compile(f"[{_INVISIBLE}]")

# --- field kinds: the length limits, once --------------------------------------------------

# Every CharField is VARCHAR(255) on PostgreSQL: no limit below may exceed it for a field
# stored in one. Text fields (TextField) have no column limit; theirs are sane sizes.
COLUMN_MAX = 255


class Kind:
    """A field kind: its limit and whether it may hold several lines."""

    __slots__ = ("limit", "multiline", "name")

    def __init__(self, name: str, limit: int, *, multiline: bool = False) -> None:
        self.name = name
        self.limit = limit
        self.multiline = multiline

    def __repr__(self) -> str:
        return f"Kind({self.name!r}, {self.limit}, multiline={self.multiline})"


LIMITS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("name", 100),  # a person's name part, a subject, a room, a period, a work type
        Kind("short_name", 20),
        Kind("login", 32),
        Kind("year_name", 20),
        Kind("group_name", 40),
        Kind("relation", 30),
        Kind("order", 60),  # приказ №
        Kind("place", 200),  # откуда прибыл / куда выбыл
        Kind("address", 300, multiline=True),
        Kind("notes", 2000, multiline=True),
        Kind("phone", 40),
        Kind("email", 100),
        Kind("topic", 500, multiline=True),
        Kind("plan_kind", 40),
        Kind("work_done", 1000, multiline=True),
        Kind("homework", 1000, multiline=True),
        Kind("homework_ref", 100),  # pages, tasks
        Kind("comment", 500, multiline=True),  # a mark's comment, an individual task
        Kind("reason", 1000, multiline=True),  # an absence reason, a period mark's reason
        Kind("subject", 200),  # a message's subject, an announcement's title
        Kind("message", 5000, multiline=True),
        Kind("key_comment", 120),
        Kind("school_name", 200),
        Kind("login_note", 2000, multiline=True),
        Kind("line", 255),  # any other one-line value stored in a VARCHAR column
    )
}


class UserTextError(ValueError):
    """The text is refused; the message names the field (Russian, for the user)."""

    @property
    def message(self) -> str:
        return str(self.args[0])


def _kind(kind: str | Kind) -> Kind:
    return kind if isinstance(kind, Kind) else LIMITS[kind]


def _describe(ch: str) -> str:
    code = ord(ch)
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return t("text.char_control", code=f"{code:02X}")
    return t("text.char_invisible", code=f"{code:04X}")


def clean(
    text: str | None,
    kind: str | Kind,
    *,
    field: str,
    required: bool = False,
    mode: Literal["refuse", "remove"] = "refuse",
) -> str:
    """The text as it will be stored: trimmed, line breaks as ``\\n``, within its limit.

    ``field`` is what the user calls the field («тема урока»): every refusal names it.
    ``mode="refuse"`` raises :class:`UserTextError` on a forbidden character;
    ``mode="remove"`` drops them (an imported file, where the caller names the line).
    """
    spec = _kind(kind)
    value = (text or "").replace("\r\n", "\n")
    value = value.replace("\r", "\n") if spec.multiline else value
    forbidden = FORBIDDEN_MULTILINE if spec.multiline else FORBIDDEN_ONE_LINE
    if mode == "remove":
        if not spec.multiline:
            value = value.replace("\t", " ").replace("\n", " ").replace("\r", " ")
        value = forbidden.sub("", value)
    else:
        bad = forbidden.search(value)
        if bad is not None:
            if bad.group() in "\n\r" and not spec.multiline:
                raise UserTextError(t("text.one_line", field=field))
            raise UserTextError(t("text.bad_char", field=field, char=_describe(bad.group())))
    value = value.strip()
    if required and not value:
        raise UserTextError(t("text.required", field=field))
    if len(value) > spec.limit:
        raise UserTextError(t("text.too_long", field=field, limit=spec.limit, length=len(value)))
    return value


def is_clean(text: str, *, multiline: bool = False) -> bool:
    """True when ``text`` has none of the forbidden characters."""
    forbidden = FORBIDDEN_MULTILINE if multiline else FORBIDDEN_ONE_LINE
    return forbidden.search(text) is None


# --- on the way out --------------------------------------------------------------------------


def safe(value: object, *, multiline: bool = False, replacement: str = "?") -> str:
    """Stored text made safe to show or write, whatever the database holds.

    Control characters become ``replacement`` (so that something visibly was there), bidi,
    zero-width, separator characters and lone surrogates are dropped. Line breaks and tabs
    are kept with ``multiline``; otherwise a line break (``\\r\\n``, ``\\n``, ``\\r``) and a
    tab become one space.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    else:
        text = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("\t", " ")
    text = _DROPPED.sub("", text)
    return _CONTROL.sub(replacement, text)
