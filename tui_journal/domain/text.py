"""Russian formatting of names, class names and numbers.

Kept in one place so every screen, report and PDF writes «Иванов П. С.»,
«7А» and «3,65» the same way.
"""

import math
import re

_EPSILON = 1e-9

# Latin capitals that look exactly like Cyrillic class letters.
_CLASS_LETTER_LOOKALIKES = str.maketrans(
    {
        "A": "А",
        "B": "В",
        "E": "Е",
        "K": "К",
        "M": "М",
        "H": "Н",
        "O": "О",
        "P": "Р",
        "C": "С",
        "T": "Т",
        "X": "Х",
        "Y": "У",
    }
)
_CLASS_RE = re.compile(r"(\d{1,2})\s*[-\s]?\s*([А-ЯЁ])")

MIN_GRADE = 1
MAX_GRADE = 11


def _initials(name: str) -> str:
    """«Пётр» → «П.», «Анна-Мария» → «А.-М.» (double names keep both initials)."""
    parts = [part for part in name.strip().split("-") if part]
    return "-".join(part[0].upper() + "." for part in parts)


def surname_initials(last: str, first: str, patronymic: str | None = None) -> str:
    """Return «Иванов П. С.», the short form used in grids and signatures.

    A missing patronymic (foreign pupils) simply drops the second initial.
    """
    pieces = [last.strip()]
    for name in (first, patronymic or ""):
        initial = _initials(name)
        if initial:
            pieces.append(initial)
    return " ".join(piece for piece in pieces if piece)


def full_name(last: str, first: str, patronymic: str | None = None) -> str:
    """Return «Иванов Пётр Сергеевич», skipping empty parts."""
    parts = (last, first, patronymic or "")
    return " ".join(part.strip() for part in parts if part.strip())


def _check_grade(grade: int) -> None:
    """Grades outside 1–11 are not a Russian school class."""
    if isinstance(grade, bool) or not MIN_GRADE <= grade <= MAX_GRADE:
        raise ValueError(f"Параллель {grade} вне диапазона {MIN_GRADE}–{MAX_GRADE}.")


def class_name(grade: int, letter: str) -> str:
    """Return «7А»: grade number and capital Cyrillic letter, no space."""
    _check_grade(grade)
    clean = letter.strip().upper().translate(_CLASS_LETTER_LOOKALIKES)
    if not re.fullmatch(r"[А-ЯЁ]", clean):
        raise ValueError(f"«{letter}» — буква класса должна быть одной русской буквой.")
    return f"{grade}{clean}"


def parse_class_name(text: str) -> tuple[int, str]:
    """Read «7а», «7 А», «10-б» or «7A» (Latin) into ``(7, "А")``.

    Raises ValueError with a Russian message for anything else.
    """
    shown = text.strip()
    clean = shown.upper().translate(_CLASS_LETTER_LOOKALIKES)
    match = _CLASS_RE.fullmatch(clean)
    if match is None:
        raise ValueError(f"«{shown}» — не название класса. Пример: 7А, 10Б.")
    grade = int(match.group(1))
    _check_grade(grade)
    return grade, match.group(2)


def format_decimal(x: float, places: int = 2) -> str:
    """Return ``x`` with a comma separator and exactly ``places`` decimals: «3,65».

    Rounds half away from zero with a small epsilon, so 2.675 (stored as
    2.67499…) prints «2,68» as a person rounding by hand expects, and never
    prints «-0,00».
    """
    if places < 0:
        raise ValueError("Число знаков после запятой не может быть отрицательным.")
    if not math.isfinite(x):
        raise ValueError(f"{x!r} — не число.")
    scale = 10**places
    units = math.floor(abs(x) * scale + 0.5 + _EPSILON * scale)
    sign = "-" if x < 0 and units else ""
    whole, fraction = divmod(units, scale)
    if places == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole},{fraction:0{places}d}"


def homework_line(homework: str, pages: str, tasks: str, individual: str = "") -> str:
    """The homework as one line: the text, then pages and tasks unless the text has them.

    Pages and tasks typed as bare numbers get «стр.» and «№»; typed with their own marker
    («§ 12», «упр. 5», «п. 3») they are kept as typed.
    """
    parts = [homework.strip()] if homework.strip() else []
    for value, prefix in ((pages.strip(), "стр."), (tasks.strip(), "№")):
        if not value or value in homework:
            continue
        parts.append(f"{prefix} {value}" if value[:1].isdigit() else value)
    if individual.strip():
        parts.append(f"индивидуально: {individual.strip()}")
    return "; ".join(parts)
