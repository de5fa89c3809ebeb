"""Russian formatting of names, class names and numbers.

Kept in one place so every screen, report and PDF writes «Иванов П. С.»,
«7А» and «3,65» the same way.
"""

import math
import re
from decimal import ROUND_HALF_UP, Decimal

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


def class_label(grade: int, letter: str) -> str:
    """A stored class's name: «7А», or a preschool group's own name (grade 0, «Солнышко»)."""
    return letter if grade == 0 else f"{grade}{letter}"


def class_order(grade: int, letter: str) -> tuple[bool, int, str]:
    """Where a class goes in every list: by grade, then letter; the preschool groups (grade 0)
    after the school classes."""
    return (grade == 0, grade, letter)


def class_group(class_name: str, group: str | None) -> str:
    """Who a lesson is for: «7А», or «7А (1 гр.)» when it is one group of the class."""
    return f"{class_name} ({group})" if group else class_name


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


#: Float noise is absorbed at this many places before the real rounding (see round_half_up).
_NOISE_PLACES = 9


def round_half_up(x: float | int | Decimal, places: int = 2) -> Decimal:
    """The one rounding of figures in reports and on screens: half away from zero, as the
    school's paper forms do (58,125 → 58,13; 2,675 → 2,68; −0,125 → −0,13), in Decimal.

    A float is read by its shortest decimal form (``repr``), then first rounded at 9
    places so that computed values carrying binary noise (66,66499999999999 for 66,665)
    round as the person checking by hand expects. Python's ``round``/``:.2f`` round a
    binary tie to even (58.125 → 58.12) and must not be used for shown figures.
    """
    if places < 0:
        raise ValueError("Число знаков после запятой не может быть отрицательным.")
    if isinstance(x, Decimal):
        value = x
    else:
        if isinstance(x, float) and not math.isfinite(x):
            raise ValueError(f"{x!r} — не число.")
        value = Decimal(repr(x)) if isinstance(x, float) else Decimal(int(x))
    if not value.is_finite():
        raise ValueError(f"{x!r} — не число.")
    value = value.quantize(Decimal(1).scaleb(-max(places, _NOISE_PLACES)), rounding=ROUND_HALF_UP)
    result = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return result if result else abs(result)  # never «-0,00»


def rounded(x: float, places: int = 2) -> float:
    """:func:`round_half_up` as a float: the value a table model stores for a cell shown with
    ``places`` decimals (its shortest form is then exactly the shown figure)."""
    return float(round_half_up(x, places))


def format_decimal(x: float, places: int = 2) -> str:
    """Return ``x`` with a comma separator and exactly ``places`` decimals: «3,65».

    Rounded by :func:`round_half_up` (half away from zero), so 2.675 (stored as
    2.67499…) prints «2,68» as a person rounding by hand expects, and never
    prints «-0,00».
    """
    return f"{round_half_up(x, places):f}".replace(".", ",")


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
