"""Short names for narrow cells (the timetable's days at 80 columns): «Русский язык» → «Рус.яз»,
«Физическая культура» → «Физ-ра», «каб. 217» → «217». Pure functions, no I/O."""

from __future__ import annotations

#: The abbreviations a school timetable uses for the common subjects.
KNOWN = {
    "русский язык": "Рус.яз",
    "литература": "Литер",
    "литературное чтение": "Лит.чт",
    "родной язык": "Род.яз",
    "математика": "Матем",
    "алгебра": "Алгебра",
    "геометрия": "Геом",
    "вероятность и статистика": "Вер.ст",
    "информатика": "Информ",
    "история": "История",
    "обществознание": "Общест",
    "география": "Геогр",
    "биология": "Биол",
    "физика": "Физика",
    "химия": "Химия",
    "окружающий мир": "Окр.мир",
    "изобразительное искусство": "ИЗО",
    "музыка": "Музыка",
    "технология": "Технол",
    "труд (технология)": "Труд",
    "физическая культура": "Физ-ра",
    "основы безопасности и защиты родины": "ОБЗР",
    "основы безопасности жизнедеятельности": "ОБЖ",
    "английский язык": "Англ",
    "немецкий язык": "Нем",
    "французский язык": "Франц",
    "иностранный язык": "Ин.яз",
    "иностранный язык (английский)": "Англ",
    "иностранный язык (немецкий)": "Нем",
}


def short_subject(name: str, width: int) -> str:
    """``name`` in at most ``width`` characters: as is when it fits, the school's usual
    abbreviation, else the first letters of each word («Мировая художественная культура» →
    «Мир.худ.к»)."""
    name = " ".join(name.split())
    if len(name) <= width:
        return name
    known = KNOWN.get(name.casefold())
    if known and len(known) <= width:
        return known
    words = name.replace("(", " ").replace(")", " ").split()
    if len(words) > 1:
        per = max(1, (width - (len(words) - 1)) // len(words))
        short = ".".join(w[:per] for w in words)
        if len(short) <= width:
            return short
    return name[: max(1, width - 1)] + "."


def short_room(name: str) -> str:
    """«каб. 217» → «217», «кабинет 5» → «5»; other names as they are."""
    text = " ".join(name.split())
    for prefix in ("кабинет ", "каб. ", "каб.", "каб "):
        if text.casefold().startswith(prefix):
            return text[len(prefix):].strip() or text
    return text
