"""Russian strings of one area (see the package docstring for how parts are merged)."""

from __future__ import annotations

RU: dict[str, str] = {
    # the multi-line compose area of messages (F2 sends: Ctrl+Enter does not cross every SSH client)
    "key.compose.send": "Отправить",
    "key.compose.cancel": "Отменить",
    "msg.writing_hint": "Текст письма: Enter — новая строка, F2 — отправить, Esc — отменить",
    "msg.drop_ask": "Текст не отправлен. Выбросить его?",
    "ann.writing_hint": "Текст объявления «{title}»: Enter — новая строка, F2 — опубликовать, Esc — отменить",
    "msg.read_hint": "Tab — к тексту письма, PageDown/End — прокрутка, F4 — ответить",
}
