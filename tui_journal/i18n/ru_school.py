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
    "key.ct.table": "Таблица",
    "ct.table_head": "посещаемость {start} – {end}: ученики × дни",
    "ct.col.table.days": "Дн",
    "ct.col.table.lessons": "Ур",
    "ct.table_legend": "В инверсии — исправлено классным руководителем. Знак на урок: · был, о опоздал, н б у пропуск; Дн/Ур — пропущено дней и уроков за неделю.",
    "ct.table_status": "[ ] — неделя, 1 — список пропусков (исправление причин), 5 — эта таблица",
    "key.edu.day_sheet": "Табель",
    "home.news_since": "Нового с прошлого входа ({since}):",
    "enr.f.file": "№ л. дела",
    "enr.file_hint": "пусто — следующий по букве фамилии",
    "enr.saved_as": "{verb}: {name}, {cls}",
    "enr.saved_file": "; личное дело № {number}",
}
