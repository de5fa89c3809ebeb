"""Russian plurals, grammatical gender, day and month names (issue 11)."""

from __future__ import annotations

import datetime as dt

import pytest

from tui_journal.domain import ru_words as words
from tui_journal.domain.grading import RoundingPolicy, WeightedMark, propose_period_mark


@pytest.mark.parametrize(
    ("n", "text"),
    [(0, "0 уроков"), (1, "1 урок"), (2, "2 урока"), (4, "4 урока"), (5, "5 уроков"), (11, "11 уроков"),
     (12, "12 уроков"), (14, "14 уроков"), (21, "21 урок"), (22, "22 урока"), (101, "101 урок"),
     (111, "111 уроков"), (1004, "1004 урока")],
)
def test_lessons_plural(n: int, text: str) -> None:
    assert words.count(n, words.LESSONS) == text


@pytest.mark.parametrize(
    ("middle", "sex", "expected"),
    [("Петровна", "", "ж"), ("Ильинична", "", "ж"), ("Кузьминична", "", "ж"), ("Петрович", "", "м"),
     ("Ильич", "", "м"), ("Алиевна", "м", "м"), ("", "ж", "ж"), ("", "", ""),
     ("Мамед кызы", "", "ж"), ("Мамед оглы", "", "м")],
)
def test_sex_from_patronymic_or_card(middle: str, sex: str, expected: str) -> None:
    assert words.sex_of(middle, sex) == expected


def test_gendered_words() -> None:
    assert words.gendered("выбыл", "ж") == "выбыла"
    assert words.gendered("Учащийся", "ж") == "Учащаяся"
    assert words.gendered("переведён", "ж") == "переведена"
    assert words.gendered("выбыл", "м") == "выбыл"
    assert words.gendered("выбыл", "") == "выбыл"


def test_day_and_month_names() -> None:
    monday = dt.date(2026, 11, 30)
    assert words.weekday_name(monday) == "понедельник"
    assert words.weekday_name(monday, short=True, capital=True) == "Пн"
    assert words.month_name(12, genitive=True) == "декабря"
    assert words.long_date(dt.date(2026, 12, 4)) == "4 декабря 2026"


def test_too_few_marks_is_not_said_as_not_attested() -> None:
    """A parent reads «н/а» as «не аттестован»: the forecast says how many marks are missing."""
    proposal = propose_period_mark([WeightedMark(5, 1.0), WeightedMark(4, 1.0)], RoundingPolicy(min_marks=3))
    assert proposal.value == "н/а"  # the journal's value for the teacher stays
    assert proposal.label == "мало отметок (2 из 3)"
    assert proposal.short_label == "2 из 3"
    enough = propose_period_mark([WeightedMark(5, 1.0)] * 3, RoundingPolicy(min_marks=3))
    assert enough.label == "5"


def test_no_requirement_ids_in_the_catalogue() -> None:
    """«R-REP-1: …» means nothing to a teacher: requirement ids stay in code comments and docs."""
    import re

    from tui_journal.i18n import RU

    shown = {key: text for key, text in RU.items() if re.search(r"\bR-[A-Z]+(-[A-Z0-9*]+)?\b", text)}
    assert shown == {}
