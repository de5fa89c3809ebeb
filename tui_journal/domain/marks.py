"""Mark values, weighted averages and the grade grid's cell mini-language.

Marks are stored as strings because the journal mixes the 1–5 scale with
special values (н/а, осв., зач., незач.). Teachers type fast and often with
the wrong keyboard layout, so input is normalised here once instead of in
every screen, and rejected with a Russian message the UI can show unchanged.
"""

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from tui_journal.domain.attendance import ATTENDANCE_CODES, LATIN_TWINS

NUMERIC_MARKS: tuple[str, ...] = ("5", "4", "3", "2", "1")
"""The point scale, best first."""

NOT_ATTESTED = "н/а"
EXEMPT = "осв"
PASS = "зач"
FAIL = "незач"

SPECIAL_MARKS: tuple[str, ...] = (NOT_ATTESTED, EXEMPT, PASS, FAIL)
"""Values that are marks but not points; they never enter an average."""

ALL_MARKS: tuple[str, ...] = NUMERIC_MARKS + SPECIAL_MARKS

MAX_MARKS_PER_CELL = 4
"""A lesson can carry several works (answer, test, homework); more is a typo."""

_ALLOWED_HINT = "Допустимы 1–5, н/а, осв., зач., незач."

# Latin letters that look like the Cyrillic ones in our mark words, plus the
# transliteration "n" so that "na" / "n/a" work.
_MARK_LOOKALIKES = str.maketrans(
    {
        "a": "а",
        "b": "в",
        "c": "с",
        "e": "е",
        "h": "н",
        "k": "к",
        "m": "м",
        "n": "н",
        "o": "о",
        "p": "р",
        "t": "т",
        "x": "х",
    }
)

_MARK_ALIASES = MappingProxyType(
    {
        **{mark: mark for mark in ALL_MARKS},
        "на": NOT_ATTESTED,
        "н\\а": NOT_ATTESTED,
        "н.а": NOT_ATTESTED,
        "н-а": NOT_ATTESTED,
        "освоб": EXEMPT,
        "освобожден": EXEMPT,
        "освобождён": EXEMPT,
        "зачет": PASS,
        "зачёт": PASS,
        "незачет": FAIL,
        "незачёт": FAIL,
    }
)


class InvalidMark(ValueError):
    """User input that is not a mark; ``str(exc)`` is a Russian message for the UI."""


class InvalidCell(ValueError):
    """Grade grid cell text that cannot be read; the message is Russian."""


def point_marks_allowed(grade: int, kind: str = "class") -> bool:
    """No point marks and no homework in grade 1 and preschool groups (grade 0)
    (Ministry letter of 25.09.2000 № 2021/11-13; regulation 3.8)."""
    return grade >= 2 and kind != "preschool"


def is_numeric(value: str) -> bool:
    """Tell whether a stored mark value is a point mark that enters averages."""
    return value in NUMERIC_MARKS


def numeric_value(value: str) -> int | None:
    """Return the points of a stored mark value, ``None`` for special marks."""
    return int(value) if is_numeric(value) else None


def normalize_mark(text: str) -> str:
    """Return the canonical mark for typed input such as ``" 5 "``, ``"n/a"``, ``"осв."``.

    Spaces and trailing dots are dropped and Latin look-alikes are read as
    Cyrillic, because teachers type with whichever layout is on.
    """
    shown = text.strip()
    if not shown:
        raise InvalidMark(f"Отметка не указана. {_ALLOWED_HINT}")
    key = "".join(shown.lower().split()).rstrip(".").translate(_MARK_LOOKALIKES)
    try:
        return _MARK_ALIASES[key]
    except KeyError:
        raise InvalidMark(f"«{shown}» — не отметка. {_ALLOWED_HINT}") from None


@dataclass(frozen=True)
class WeightedMark:
    """A point mark with the weight of its work type (контрольная may weigh 2)."""

    value: int
    weight: float = 1.0

    def __post_init__(self) -> None:
        """Refuse values that would silently skew an average."""
        if isinstance(self.value, bool) or self.value not in (1, 2, 3, 4, 5):
            raise ValueError(f"Отметка {self.value!r} вне шкалы 1–5.")
        if not math.isfinite(self.weight) or self.weight < 0:
            raise ValueError(f"Вес {self.weight!r} должен быть неотрицательным числом.")


def weighted_average(marks: Iterable[WeightedMark]) -> float | None:
    """Return the weighted mean, or ``None`` when there is nothing to average.

    ``None`` rather than 0 so that "no marks" is never shown or rounded as a
    failing average.
    """
    total = 0.0
    weight = 0.0
    for mark in marks:
        total += mark.value * mark.weight
        weight += mark.weight
    if weight <= 0:
        return None
    return total / weight


@dataclass(frozen=True)
class CellEntry:
    """What one grade grid cell holds: a few point marks and at most one attendance code."""

    marks: tuple[int, ...] = ()
    attendance: str | None = None

    def __post_init__(self) -> None:
        """Keep impossible cells out so that formatting is always reversible."""
        if self.attendance is not None and self.attendance not in ATTENDANCE_CODES:
            raise InvalidCell(f"«{self.attendance}» — не отметка посещаемости. Допустимы н, б, у, о.")
        if len(self.marks) > MAX_MARKS_PER_CELL:
            raise InvalidCell(f"В одной клетке не больше {MAX_MARKS_PER_CELL} отметок.")
        for mark in self.marks:
            if isinstance(mark, bool) or mark not in (1, 2, 3, 4, 5):
                raise InvalidCell(f"«{mark}» — не отметка. Допустимы 1–5.")

    @property
    def is_empty(self) -> bool:
        """True for a cell with neither marks nor attendance."""
        return not self.marks and self.attendance is None

    @property
    def text(self) -> str:
        """The canonical cell text, as :func:`format_cell` writes it."""
        return format_cell(self.marks, self.attendance)


_CELL_HINT = "Примеры: 5, 4/5, н, б, н5, о5."
_SEPARATORS = re.compile(r"\s*[/,;\\]\s*|\s+")
_EDGE_SEPARATORS = " \t/,;\\"


def _parse_marks(token_text: str, shown: str) -> tuple[int, ...]:
    """Read the marks part of a cell ("4/5", "4 5", "4,5")."""
    if not token_text:
        return ()
    marks: list[int] = []
    for token in _SEPARATORS.split(token_text):
        if not token or not re.fullmatch(r"[0-9]+", token):
            raise InvalidCell(f"«{shown}» — непонятная запись. {_CELL_HINT}")
        if len(token) > 1 and all(ch in "12345" for ch in token):
            raise InvalidCell(f"«{shown}» — несколько отметок пишутся через косую черту, например 4/5.")
        if token not in NUMERIC_MARKS:
            raise InvalidCell(f"«{token}» — не отметка. Допустимы 1–5.")
        marks.append(int(token))
    if len(marks) > MAX_MARKS_PER_CELL:
        raise InvalidCell(f"В одной клетке не больше {MAX_MARKS_PER_CELL} отметок.")
    return tuple(marks)


def parse_cell(text: str) -> CellEntry:
    """Read what a teacher typed into a grade grid cell.

    Grammar: an optional attendance letter (н, б, у, о or their Latin twins
    n, b, u, o) before or after up to four marks 1–5 separated by ``/``
    (also ``,``, ``;``, ``\\`` or spaces). ``"н5"`` is an absent pupil who
    still got a mark (written later for the missed work), ``"о5"`` a late one.
    Joined digits such as ``"45"`` are refused: they are far more often a
    typo than two marks.
    """
    shown = text.strip()
    if not shown:
        return CellEntry()
    body = "".join(LATIN_TWINS.get(ch, ch) for ch in shown.lower())
    attendance: str | None = None
    if body[0] in ATTENDANCE_CODES:
        attendance, body = body[0], body[1:].lstrip(_EDGE_SEPARATORS)
    elif body[-1] in ATTENDANCE_CODES:
        attendance, body = body[-1], body[:-1].rstrip(_EDGE_SEPARATORS)
    if any(ch in ATTENDANCE_CODES for ch in body):
        raise InvalidCell(f"«{shown}» — в клетке может быть только одна отметка посещаемости.")
    return CellEntry(marks=_parse_marks(body.strip(), shown), attendance=attendance)


def format_cell(marks: Sequence[int], attendance: str | None) -> str:
    """Write a cell the canonical way: attendance first, marks joined by ``/``.

    The inverse of :func:`parse_cell`; it validates through :class:`CellEntry`
    so nothing unparseable can be written.
    """
    entry = CellEntry(marks=tuple(marks), attendance=attendance)
    return (entry.attendance or "") + "/".join(str(mark) for mark in entry.marks)


def cell_text(values: Sequence[str], code: str | None) -> str:
    """A cell as shown and printed: the attendance code, the numeric marks joined by «/»,
    then special marks («н5», «4/5», «н/а»)."""
    numeric = [int(v) for v in values if v.isdigit()]
    special = [v for v in values if not v.isdigit()]
    try:
        base = format_cell(numeric, code)
    except ValueError:
        base = (code or "") + "/".join(str(v) for v in numeric)
    return "/".join(p for p in (base, *special) if p)
