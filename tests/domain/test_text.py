"""Tests of Russian names, class names and number formatting."""

import pytest

from tui_journal.domain.text import (
    class_name,
    format_decimal,
    full_name,
    parse_class_name,
    surname_initials,
)


def test_surname_initials() -> None:
    assert surname_initials("Иванов", "Пётр", "Сергеевич") == "Иванов П. С."
    assert surname_initials(" Иванова ", "анна") == "Иванова А."
    assert surname_initials("Смит", "Джон", "") == "Смит Д."
    assert surname_initials("Петрова", "Анна-Мария", "Ивановна") == "Петрова А.-М. И."
    assert surname_initials("Ёлкин", "Ёрш", "Ёлкович") == "Ёлкин Ё. Ё."


def test_full_name() -> None:
    assert full_name("Иванов", "Пётр", "Сергеевич") == "Иванов Пётр Сергеевич"
    assert full_name("Смит", " Джон ", None) == "Смит Джон"


def test_class_name() -> None:
    assert class_name(7, "а") == "7А"
    assert class_name(11, "Б") == "11Б"
    assert class_name(7, "A") == "7А"  # Latin A becomes Cyrillic


@pytest.mark.parametrize(("grade", "letter"), [(0, "А"), (12, "А"), (7, "АБ"), (7, ""), (7, "Z")])
def test_class_name_rejects(grade: int, letter: str) -> None:
    with pytest.raises(ValueError):
        class_name(grade, letter)


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("7а", (7, "А")),
        ("7А", (7, "А")),
        (" 10 б ", (10, "Б")),
        ("10-б", (10, "Б")),
        ("7A", (7, "А")),
        ("1ё", (1, "Ё")),
    ],
)
def test_parse_class_name(text: str, parsed: tuple[int, str]) -> None:
    assert parse_class_name(text) == parsed
    assert class_name(*parsed) == f"{parsed[0]}{parsed[1]}"


@pytest.mark.parametrize("text", ["", "А7", "7", "7аб", "7Z", "abc"])
def test_parse_class_name_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="не название класса"):
        parse_class_name(text)


@pytest.mark.parametrize("text", ["12А", "0А"])
def test_parse_class_name_rejects_grade(text: str) -> None:
    with pytest.raises(ValueError, match="вне диапазона 1–11"):
        parse_class_name(text)


@pytest.mark.parametrize(
    ("x", "places", "text"),
    [
        (3.65, 2, "3,65"),
        (2.675, 2, "2,68"),  # f"{2.675:.2f}" gives "2.67"
        (1.005, 2, "1,01"),  # 1.005 * 100 == 100.49999999999999
        (0.285, 2, "0,29"),
        (4, 2, "4,00"),
        (0.0, 2, "0,00"),
        (-0.001, 2, "0,00"),
        (-1.5, 0, "-2"),
        (62.5, 0, "63"),
        (56.375, 1, "56,4"),
        (1234.5, 2, "1234,50"),
        (0.05, 1, "0,1"),
    ],
)
def test_format_decimal(x: float, places: int, text: str) -> None:
    assert format_decimal(x, places) == text


def test_format_decimal_rejects() -> None:
    with pytest.raises(ValueError):
        format_decimal(float("nan"))
    with pytest.raises(ValueError):
        format_decimal(1.0, -1)


def test_homework_line_does_not_repeat_what_the_text_says() -> None:
    from tui_journal.domain.text import homework_line

    assert homework_line("п. 13, № 395, 397", "п. 13", "№ 395, 397") == "п. 13, № 395, 397"
    assert homework_line("Выучить правило", "45", "12, 14") == "Выучить правило; стр. 45; № 12, 14"
    assert homework_line("", "§ 12", "упр. 5") == "§ 12; упр. 5"
    assert homework_line("Читать", "", "", "Карточка 3") == "Читать; индивидуально: Карточка 3"
    assert homework_line("", "", "") == ""


def test_class_label_and_order() -> None:
    from tui_journal.domain.text import class_label, class_order

    assert class_label(7, "А") == "7А" and class_label(0, "Солнышко") == "Солнышко"
    shuffled = [(0, "ГКП"), (10, "А"), (7, "Б"), (7, "А"), (11, "А")]
    assert [class_label(*c) for c in sorted(shuffled, key=lambda c: class_order(*c))] == ["7А", "7Б", "10А", "11А", "ГКП"]
