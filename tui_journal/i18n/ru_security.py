"""Russian strings of one area (see the package docstring for how parts are merged)."""

from __future__ import annotations

RU: dict[str, str] = {
    # domain/user_text.py: the one boundary of user-typed text
    "text.char_control": "управляющий символ (код {code})",
    "text.char_invisible": "невидимый символ U+{code} (смена направления письма или нулевая ширина)",
    "text.bad_char": "Недопустимые символы в поле «{field}»: {char}. Уберите его и введите текст заново",
    "text.one_line": "{field}: текст должен быть в одну строку",
    "text.required": "Не указано: {field}",
    "text.too_long": "{field}: не длиннее {limit} знаков (сейчас {length})",
}
