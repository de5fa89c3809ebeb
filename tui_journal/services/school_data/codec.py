"""A field's value as the text of a CSV cell and back: ``\\N`` for NULL, ISO dates, 0/1 for
booleans; a text that starts with a backslash is escaped so that it never reads as NULL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from peewee import (
    BooleanField,
    DateField,
    DateTimeField,
    Field,
    FloatField,
    ForeignKeyField,
    IntegerField,
    TimeField,
)

from tui_journal.services.school_data.base import NULL

# --- encoding of values -------------------------------------------------------------------

#: How a cell of a non-text field is read, tried in this order: (the fields, the parser, what
#: the cell should have been, for the error).
_PARSERS: tuple[tuple[tuple[type[Field], ...], Callable[[str], Any], str], ...] = (
    ((IntegerField, ForeignKeyField), int, "не целое число"),
    ((FloatField,), float, "не число"),
    ((DateTimeField,), dt.datetime.fromisoformat, "не дата и время ГГГГ-ММ-ДД ЧЧ:ММ:СС"),
    ((DateField,), dt.date.fromisoformat, "не дата ГГГГ-ММ-ДД"),
    ((TimeField,), dt.time.fromisoformat, "не время ЧЧ:ММ:СС"),
)


def _is_text(f: Field) -> bool:
    return not isinstance(f, (IntegerField, FloatField, BooleanField, DateField, DateTimeField, TimeField, ForeignKeyField))


def encode_value(f: Field, value: Any) -> str:
    """The value as the text of its CSV cell (``\\N`` for NULL)."""
    if value is None:
        return NULL
    if isinstance(f, BooleanField):
        return "1" if value else "0"
    if isinstance(f, FloatField):
        return repr(float(value))
    if isinstance(f, (DateTimeField, DateField, TimeField)) and hasattr(value, "isoformat"):
        return str(value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat())
    text = str(value)
    if _is_text(f) and text.startswith("\\"):
        return "\\" + text  # «\N» typed by somebody stays text
    return text


def decode_value(f: Field, text: str) -> Any:
    """The cell as the field's value; raises ValueError with a Russian reason."""
    if text == NULL:
        if not f.null:
            raise ValueError("пусто (\\N), а значение обязательно")
        return None
    if _is_text(f):
        return text[1:] if text.startswith("\\") else text
    if isinstance(f, BooleanField):
        if text not in ("0", "1"):
            raise ValueError(f"«{text}» — не 0 и не 1")
        return text == "1"
    for kinds, parse, expected in _PARSERS:
        if isinstance(f, kinds):
            try:
                return parse(text)
            except ValueError:
                raise ValueError(f"«{text}» — {expected}") from None
    return text
