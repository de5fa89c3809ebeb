"""What a Russian school is made of: subjects, work types, bells, the federal curriculum.

The curriculum is the federal basic one (ФОП НОО/ООО/СОО, five-day week): hours per week
by grade. Each subject belongs to a teaching «area» that says which kind of teacher
teaches it (in grades 1–4 the class teacher teaches most subjects).
"""

from __future__ import annotations

import datetime as dt

YEAR_START = dt.date(2026, 9, 1)
YEAR_END = dt.date(2027, 5, 31)
YEAR_NAME = "2026/2027"
WEEKS = 34  # weeks of the thematic plan: plan hours = hours per week × 34

# key: (name, short name, split into groups)
SUBJECTS: dict[str, tuple[str, str, bool]] = {
    "rus": ("Русский язык", "Рус. яз.", False),
    "litread": ("Литературное чтение", "Лит. чт.", False),
    "lit": ("Литература", "Лит-ра", False),
    "native": ("Родной язык", "Род. яз.", False),
    "eng": ("Иностранный язык (английский)", "Англ. яз.", True),
    "math": ("Математика", "Матем.", False),
    "alg": ("Алгебра", "Алгебра", False),
    "geom": ("Геометрия", "Геом.", False),
    "prob": ("Вероятность и статистика", "Вер. и стат.", False),
    "inf": ("Информатика", "Информ.", True),
    "hist": ("История", "История", False),
    "soc": ("Обществознание", "Общ-ние", False),
    "geo": ("География", "Геогр.", False),
    "bio": ("Биология", "Биол.", False),
    "phys": ("Физика", "Физика", False),
    "chem": ("Химия", "Химия", False),
    "world": ("Окружающий мир", "Окр. мир", False),
    "art": ("Изобразительное искусство", "ИЗО", False),
    "music": ("Музыка", "Музыка", False),
    "tech": ("Труд (технология)", "Труд", True),
    "pe": ("Физическая культура", "Физ-ра", False),
    "obzr": ("Основы безопасности и защиты Родины", "ОБЗР", False),
    "orkse": ("Основы религиозных культур и светской этики", "ОРКСЭ", False),
    # занятия группы кратковременного пребывания (ГКП)
    "p_speech": ("Развитие речи", "Речь", False),
    "p_math": ("Математическое развитие", "ФЭМП", False),
    "p_world": ("Ознакомление с окружающим миром", "Окр. (ГКП)", False),
    "p_art": ("Рисование, лепка, аппликация", "ИЗО (ГКП)", False),
    "p_music": ("Музыкальное занятие", "Муз. (ГКП)", False),
    "p_pe": ("Физкультурное занятие", "Физк. (ГКП)", False),
}

# Grade from which a split subject is taught in two groups.
SPLIT_FROM: dict[str, int] = {"eng": 2, "tech": 5, "inf": 7}

# (name, short name, weight, is_control)
WORK_TYPES: tuple[tuple[str, str, float, bool], ...] = (
    ("Ответ на уроке", "Отв.", 1.0, False),
    ("Самостоятельная работа", "С/р", 1.0, False),
    ("Контрольная работа", "К/р", 2.0, True),
    ("Проверочная работа", "П/р", 1.5, False),
    ("Лабораторная работа", "Л/р", 1.5, False),
    ("Практическая работа", "Пр/р", 1.5, False),
    ("Диктант", "Дикт.", 2.0, True),
    ("Сочинение", "Соч.", 2.0, False),
    ("Изложение", "Изл.", 1.5, False),
    ("Тест", "Тест", 1.0, False),
    ("Домашняя работа", "Д/з", 1.0, False),
)

BELLS: tuple[tuple[dt.time, dt.time], ...] = (
    (dt.time(8, 30), dt.time(9, 15)),
    (dt.time(9, 25), dt.time(10, 10)),
    (dt.time(10, 30), dt.time(11, 15)),
    (dt.time(11, 35), dt.time(12, 20)),
    (dt.time(12, 30), dt.time(13, 15)),
    (dt.time(13, 25), dt.time(14, 10)),
    (dt.time(14, 20), dt.time(15, 5)),
    (dt.time(15, 15), dt.time(16, 0)),
)

_PRIMARY_2_3 = [("rus", 5), ("litread", 4), ("native", 1), ("eng", 2), ("math", 4), ("world", 2),
                ("art", 1), ("music", 1), ("tech", 1), ("pe", 2)]

# Hours per week by grade (ФОП, five-day week). Grade 0 is the preschool group (занятия).
CURRICULUM: dict[int, list[tuple[str, int]]] = {
    0: [("p_speech", 2), ("p_math", 2), ("p_world", 2), ("p_art", 2), ("p_music", 1), ("p_pe", 1)],
    1: [("rus", 5), ("litread", 4), ("native", 1), ("math", 4), ("world", 2), ("art", 1), ("music", 1),
        ("tech", 1), ("pe", 2)],
    2: list(_PRIMARY_2_3),
    3: list(_PRIMARY_2_3),
    4: [("rus", 5), ("litread", 3), ("native", 1), ("eng", 2), ("math", 4), ("world", 2), ("orkse", 1),
        ("art", 1), ("music", 1), ("tech", 1), ("pe", 2)],
    5: [("rus", 5), ("lit", 3), ("eng", 3), ("math", 5), ("hist", 2), ("geo", 1), ("bio", 1),
        ("music", 1), ("art", 1), ("tech", 2), ("pe", 2)],
    6: [("rus", 6), ("lit", 3), ("eng", 3), ("math", 5), ("hist", 2), ("soc", 1), ("geo", 1), ("bio", 1),
        ("music", 1), ("art", 1), ("tech", 2), ("pe", 2)],
    7: [("rus", 4), ("lit", 2), ("eng", 3), ("alg", 3), ("geom", 2), ("prob", 1), ("inf", 1), ("hist", 2),
        ("soc", 1), ("geo", 2), ("phys", 2), ("bio", 1), ("music", 1), ("art", 1), ("tech", 1), ("pe", 2)],
    8: [("rus", 3), ("lit", 2), ("eng", 3), ("alg", 3), ("geom", 2), ("prob", 1), ("inf", 1), ("hist", 2),
        ("soc", 1), ("geo", 2), ("phys", 2), ("chem", 2), ("bio", 2), ("music", 1), ("tech", 1),
        ("obzr", 1), ("pe", 2)],
    9: [("rus", 3), ("lit", 3), ("eng", 3), ("alg", 3), ("geom", 2), ("prob", 1), ("inf", 1), ("hist", 2),
        ("soc", 1), ("geo", 2), ("phys", 3), ("chem", 2), ("bio", 2), ("tech", 1), ("obzr", 1), ("pe", 2)],
}
_SENIOR = [("rus", 2), ("lit", 3), ("eng", 3), ("alg", 3), ("geom", 2), ("prob", 1), ("inf", 1), ("hist", 2),
           ("soc", 2), ("geo", 1), ("bio", 1), ("phys", 2), ("chem", 1), ("pe", 2), ("obzr", 1)]
CURRICULUM[10] = list(_SENIOR)
CURRICULUM[11] = list(_SENIOR)

_PRIMARY_BY_CLASS_TEACHER = {"rus", "litread", "native", "math", "world", "art", "tech", "orkse"}
_AREA_5_11 = {
    "rus": "rus", "lit": "rus", "eng": "eng", "math": "math", "alg": "math", "geom": "math",
    "prob": "math", "inf": "inf", "hist": "hist", "soc": "hist", "geo": "geo", "bio": "bio",
    "phys": "phys", "chem": "chem", "music": "music", "art": "art", "tech": "tech", "pe": "pe",
    "obzr": "obzr",
}

# How an area's teacher is described: «учитель математики».
AREA_TITLE: dict[str, str] = {
    "primary": "учитель начальных классов",
    "rus": "учитель русского языка и литературы",
    "eng": "учитель английского языка",
    "math": "учитель математики",
    "inf": "учитель информатики",
    "hist": "учитель истории и обществознания",
    "geo": "учитель географии",
    "bio": "учитель биологии",
    "chem": "учитель химии",
    "phys": "учитель физики",
    "music": "учитель музыки",
    "art": "учитель ИЗО",
    "tech": "учитель труда (технологии)",
    "pe": "учитель физической культуры",
    "obzr": "преподаватель-организатор ОБЗР",
    "preschool": "воспитатель ГКП",
}


def area_of(subject: str, grade: int) -> str:
    """Which kind of teacher teaches ``subject`` in ``grade``."""
    if grade == 0:
        return "preschool"
    if grade <= 4:
        if subject in _PRIMARY_BY_CLASS_TEACHER:
            return "primary"
        return {"eng": "eng", "music": "music", "pe": "pe"}[subject]
    return _AREA_5_11[subject]


def is_split(subject: str, grade: int) -> bool:
    return subject in SPLIT_FROM and grade >= SPLIT_FROM[subject]


# Subject teachers by size: one entry per teacher, the areas he teaches (primary class
# teachers and the educator come on top, one per class).
def _times(n: int, *areas: str) -> list[tuple[str, ...]]:
    return [tuple(areas)] * n


ROSTER: dict[str, list[tuple[str, ...]]] = {
    "school": (
        _times(5, "rus") + _times(6, "eng") + _times(4, "math") + _times(2, "inf") + _times(2, "hist")
        + _times(1, "geo") + _times(1, "bio") + _times(1, "chem") + _times(1, "phys") + _times(1, "music")
        + _times(1, "art") + _times(2, "tech") + _times(2, "pe") + _times(1, "obzr")
    ),
    "tiny": [
        ("math",), ("rus",), ("eng",), ("eng",), ("phys", "inf"), ("tech", "inf"), ("tech", "art"),
        ("hist",), ("geo", "bio"), ("chem",), ("music",), ("pe", "obzr"),
    ],
}

# Rooms the areas' teachers work in: named specially, otherwise «каб. NNN».
AREA_ROOMS: dict[str, list[str]] = {
    "pe": ["спортзал", "малый спортзал"],
    "inf": ["каб. 305 (информатика)", "каб. 306 (информатика)"],
    "tech": ["мастерская", "каб. 115 (технология)"],
    "music": ["каб. 112 (музыка)"],
    "art": ["каб. 113 (ИЗО)"],
    "phys": ["каб. 301 (физика)"],
    "chem": ["каб. 302 (химия)"],
    "bio": ["каб. 303 (биология)"],
    "obzr": ["каб. 114 (ОБЗР)"],
    "preschool": ["группа ГКП"],
}
SPARE_ROOMS = ("актовый зал", "библиотека")

# Who teaches the subject's works: control, laboratory, practical (see topics.py).
CONTROL_WORK: dict[str, str] = {
    "rus": "Диктант",
    "lit": "Сочинение",
}
LAB_SUBJECTS = frozenset({"phys", "chem", "bio"})
PRACTICE_SUBJECTS = frozenset({"geo", "inf", "tech", "obzr"})
NO_CONTROL_SUBJECTS = frozenset(
    {"music", "art", "pe", "tech", "native", "orkse", "p_speech", "p_math", "p_world", "p_art", "p_music",
     "p_pe"}
)
# Subjects that get no homework (besides grade 1 and the preschool group).
NO_HOMEWORK_SUBJECTS = frozenset({"music", "art", "pe", "tech", "orkse", "obzr"})
