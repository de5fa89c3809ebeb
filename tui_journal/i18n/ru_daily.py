"""Russian strings of one area (see the package docstring for how parts are merged)."""

from __future__ import annotations

RU: dict[str, str] = {
    # the docked question (widgets/confirm.py)
    "key.confirm.yes": "да",
    "key.confirm.no": "нет",
    "confirm.keys": "Enter — да, Esc — нет",
    "confirm.keys_save": "Enter — сохранить, N — не сохранять, Esc — остаться",
    "confirm.unsaved": "Сохранить изменения?",
    "confirm.kept": "Ничего не изменено",
    # enrollment
    "enr.confirm.depart": "Выбытие: {name}, {cls}, {date}, приказ {order}?",
    "enr.confirm.transfer": "Перевод: {name}, {cls} → {to}, с {date}, приказ {order}?",
    "enr.no_order": "не указан",
    # the lesson panel
    "key.lesson.next_topic": "След. тема",
    "lesson.next_placeholder": "Enter или F3 — {ordinal}. {topic}",
    "lesson.no_next_topic": "В плане нет невыданных тем",
}
