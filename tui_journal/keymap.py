"""One keymap: every binding is written once with its Latin key and an id.

Teachers type on PCs whose layout is often left in Russian (ЙЦУКЕН), so a
letter key must also fire from the Cyrillic letter on the same physical key.
`bind()` generates those twins, so no binding string lists a Cyrillic letter
by hand, and gives each binding an `id` (e.g. ``"diary.week_prev"``) so that
`App.set_keymap` can remap it.  Keys that are not letters (F-keys, escape,
enter, delete, ctrl+z, ...) get no twin.
"""

from __future__ import annotations

from typing import Any

from textual.binding import Binding

# Latin key (Textual key name) -> the Cyrillic letter on the same physical key.
_LOWER = dict(zip("qwertyuiopasdfghjklzxcvbnm", "йцукенгшщзфывапролдячсмить", strict=True))
_PUNCT = {
    "left_square_bracket": "х",
    "right_square_bracket": "ъ",
    "semicolon": "ж",
    "apostrophe": "э",
    "comma": "б",
    "full_stop": "ю",
}

RU_TWIN: dict[str, str] = {
    **_LOWER,
    **{k.upper(): v.upper() for k, v in _LOWER.items()},
}


def twins(latin: str) -> list[str]:
    """The Russian-layout keys on the same physical key as `latin` (maybe none).

    A letter gives its Cyrillic twin in the same case; a punctuation key that
    carries a Cyrillic letter gives both cases of it (in the Russian layout
    Shift on that key types the capital, while the Latin Shift form is a
    different Textual key such as ``left_curly_bracket``).
    """
    if latin in RU_TWIN:
        return [RU_TWIN[latin]]
    if latin in _PUNCT:
        letter = _PUNCT[latin]
        return [letter, letter.upper()]
    return []


def with_twins(keys: str) -> str:
    """`keys` ("r,R") with each key followed by its twins ("r,к,R,К")."""
    out: list[str] = []
    for latin in keys.split(","):
        latin = latin.strip()
        if any("\u0400" <= ch <= "\u04ff" for ch in latin):
            raise ValueError(f"write the Latin key, not {latin!r}: twins are generated")
        out.append(latin)
        out.extend(twins(latin))
    return ",".join(out)


def bind(binding_id: str, keys: str, action: str, description: str = "", **kw: Any) -> Binding:
    """A Binding with id `binding_id` whose letter keys also fire in the Russian layout."""
    return Binding(with_twins(keys), action, description, id=binding_id, **kw)


def bind_code(
    binding_id: str, code: str, latin: str, action: str, description: str = "", **kw: Any
) -> Binding:
    """A binding typed by its meaning letter: the code letter itself (``н``) in both cases,
    then the Latin letter that spells it (``n``) in both cases; `action` is called
    with the code, e.g. ``mark('н')``.  The Latin letter gets no layout twin on purpose:
    its twin would be another code's letter."""
    keys = ",".join([code, code.upper(), latin, latin.upper()])
    return Binding(keys, f"{action}('{code}')", description, id=binding_id, **kw)


def hidden(prefix: str, *rows: tuple[str, str, str]) -> list[Binding]:
    """Bindings kept out of the footer (cursor keys and the like), one ``(id, keys, action)``
    row each, their ids under ``prefix``."""
    return [bind(f"{prefix}.{name}", keys, action, show=False) for name, keys, action in rows]


#: The attendance codes typed by their letter: the code and the Latin letter that spells it.
ATTENDANCE_KEYS = (("н", "n"), ("б", "b"), ("у", "u"), ("о", "o"))


def bind_codes(prefix: str, action: str) -> list[Binding]:
    """The attendance codes н б у о (see :func:`bind_code`), hidden from the footer, with the
    ids ``{prefix}_n``, ``{prefix}_b``…; `action` is called with the code."""
    return [bind_code(f"{prefix}_{latin}", code, latin, action, show=False) for code, latin in ATTENDANCE_KEYS]
