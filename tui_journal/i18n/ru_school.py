"""Russian strings of one area (see the package docstring for how parts are merged)."""

from __future__ import annotations

RU: dict[str, str] = {
    "setup.col.control_works": "есть контрольные работы",
    "lesson.due": "К дате",
    "lesson.due_next": "след. урок",
    "lesson.due_bad": "«{value}» — не дата: нужно дд.мм или дд.мм.гггг (пусто — к следующему уроку)",
    "grid.homework_due": "ДЗ к {day}",
    "diary.homework_set": "задано к {day}:",
    "card.f.personal_file_no": "№ личного дела",
    "home.news_since": "Нового с прошлого входа ({since}):",
    "enr.f.file": "№ л. дела",
    "enr.file_hint": "пусто — следующий по букве фамилии",
    "enr.saved_as": "{verb}: {name}, {cls}",
    "enr.saved_file": "; личное дело № {number}",
}
