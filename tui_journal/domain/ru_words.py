"""Russian words that depend on a number or on a person's sex, and the names of days and months.

One place for «1 урок / 2 урока / 5 уроков», «выбыл / выбыла», «учащийся / учащаяся» and the
weekday and month names, so that no screen or report rolls its own.

Why not Babel: Babel's CLDR data only says which plural *category* a number falls into
(one/few/many/other); the word forms themselves still have to be written here, and Russian
cardinal plurals are one fixed rule (n mod 10, n mod 100) that never changes. Babel would add a
~30 MB dependency to every session process for three lines of arithmetic, and it knows nothing
of grammatical gender. So this module is pure and small; the test suite pins the rule.
"""

from __future__ import annotations

import datetime as dt

MALE = "м"
FEMALE = "ж"

# --- plurals ----------------------------------------------------------------------------------

#: (one, few, many): 1 урок, 2 урока, 5 уроков.
Forms = tuple[str, str, str]

LESSONS: Forms = ("урок", "урока", "уроков")
MARKS: Forms = ("отметка", "отметки", "отметок")
DAYS: Forms = ("день", "дня", "дней")
PUPILS: Forms = ("учащийся", "учащихся", "учащихся")
CHILDREN: Forms = ("ребёнок", "ребёнка", "детей")
MESSAGES: Forms = ("сообщение", "сообщения", "сообщений")
FIVES: Forms = ("пятёрка", "пятёрки", "пятёрок")
FOURS: Forms = ("четвёрка", "четвёрки", "четвёрок")
HOURS: Forms = ("час", "часа", "часов")
ABSENCES: Forms = ("пропуск", "пропуска", "пропусков")


def plural(n: int, forms: Forms) -> str:
    """The form of the noun that goes with the number ``n`` (Russian cardinal rule)."""
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return forms[0]
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return forms[1]
    return forms[2]


def count(n: int, forms: Forms) -> str:
    """«1 урок», «4 урока», «11 уроков»."""
    return f"{n} {plural(n, forms)}"


# --- grammatical gender -----------------------------------------------------------------------

_FEMALE_ENDINGS = ("вна", "ична", "инична", "кызы", "гызы")
_MALE_ENDINGS = ("вич", "ич", "оглы", "улы", "уулу")


def sex_of(middle_name: str = "", sex: str = "") -> str:
    """``"м"``, ``"ж"`` or ``""`` (unknown): a stored sex wins, else the patronymic's ending."""
    stored = (sex or "").strip().lower()[:1]
    if stored in (MALE, FEMALE):
        return stored
    patronymic = (middle_name or "").strip().lower().replace("ё", "е")
    if patronymic.endswith(_FEMALE_ENDINGS):
        return FEMALE
    if patronymic.endswith(_MALE_ENDINGS):
        return MALE
    return ""


#: masculine → feminine of the words that say a pupil's state.
_FEMININE = {
    "выбыл": "выбыла",
    "прибыл": "прибыла",
    "переведён": "переведена",
    "зачислен": "зачислена",
    "отчислен": "отчислена",
    "учащийся": "учащаяся",
    "обучающийся": "обучающаяся",
    "ученик": "ученица",
    "воспитанник": "воспитанница",
    "отсутствовал": "отсутствовала",
    "был": "была",
    "болел": "болела",
    "опоздал": "опоздала",
}


def gendered(word: str, sex: str) -> str:
    """``word`` (masculine) in the person's gender; unknown sex keeps the masculine form
    (the form the forms use for «учащийся» in general)."""
    if sex == FEMALE:
        feminine = _FEMININE.get(word.lower())
        if feminine is not None:
            return feminine.capitalize() if word[:1].isupper() else feminine
    return word


# --- days and months --------------------------------------------------------------------------

WEEKDAYS = ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье")
WEEKDAYS_SHORT = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")
ON_WEEKDAY = ("в понедельник", "во вторник", "в среду", "в четверг", "в пятницу", "в субботу", "в воскресенье")
MONTHS = (
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
)
MONTHS_GENITIVE = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)


def weekday_name(day: dt.date | int, *, short: bool = False, capital: bool = False) -> str:
    """«понедельник» / «Пн» for a date or a Python weekday number (Monday = 0)."""
    index = day.weekday() if isinstance(day, dt.date) else int(day) % 7
    name = (WEEKDAYS_SHORT if short else WEEKDAYS)[index]
    return name.capitalize() if capital else name


def month_name(month: int, *, genitive: bool = False, capital: bool = False) -> str:
    name = (MONTHS_GENITIVE if genitive else MONTHS)[month - 1]
    return name.capitalize() if capital else name


def long_date(day: dt.date) -> str:
    """«4 декабря 2026»."""
    return f"{day.day} {MONTHS_GENITIVE[day.month - 1]} {day.year}"
