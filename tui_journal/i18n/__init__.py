"""The catalogue of user-facing strings.

The regulation requires the journal's records in Russian, so Russian is the default and
the complete locale. Every message shown to a user comes from here through :func:`t`, so
that an English locale (``TUI_JOURNAL_LANG=en``) can be filled in without touching code;
keys missing from a locale fall back to Russian.

The Russian catalogue is kept in parts by area (``ru.py`` is the core, ``ru_<area>.py``
the rest) so that work on one area does not touch another's file; :data:`RU` is their
union, and a key defined in two parts is an error found at import time.
"""

from __future__ import annotations

import os

from tui_journal.i18n import (
    ru,
    ru_daily,
    ru_health,
    ru_imports,
    ru_ops,
    ru_reading,
    ru_school,
    ru_security,
    ru_serve,
    ru_web,
    ru_wire,
)
from tui_journal.i18n.en import EN

_RU_PARTS = (
    ru,
    ru_security,
    ru_ops,
    ru_imports,
    ru_serve,
    ru_wire,
    ru_web,
    ru_daily,
    ru_school,
    ru_health,
    ru_reading,
)


def _merge(parts: tuple[object, ...]) -> dict[str, str]:
    merged: dict[str, str] = {}
    for part in parts:
        strings: dict[str, str] = part.RU  # type: ignore[attr-defined]
        twice = merged.keys() & strings.keys()
        if twice:
            raise RuntimeError(f"catalogue keys defined twice ({part.__name__}): {sorted(twice)}")  # type: ignore[attr-defined]
        merged.update(strings)
    return merged


RU: dict[str, str] = _merge(_RU_PARTS)

LOCALES: dict[str, dict[str, str]] = {"ru": RU, "en": EN}


def current_locale() -> str:
    lang = os.environ.get("TUI_JOURNAL_LANG", "ru").lower()[:2]
    return lang if lang in LOCALES else "ru"


def t(key: str, /, **params: object) -> str:
    """The text for ``key`` in the current locale, with ``{name}`` placeholders filled."""
    text = LOCALES[current_locale()].get(key) or RU.get(key)
    if text is None:
        return key
    return text.format(**params) if params else text
