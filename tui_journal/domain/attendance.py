"""Attendance codes and the counting of missed days and lessons.

The regulation (4.4.3, 4.3.6) has the subject teacher mark attendance and the
class teacher correct the reason later (a doctor's note turns «н» into «б»).
Reports need missed *days* as well as lessons; a day only counts as missed
when every lesson held for the pupil that day was missed, and being late is
not missing a lesson.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

ABSENT = "н"
"""Absent without a valid reason."""
ILL = "б"
"""Absent because of illness."""
VALID = "у"
"""Absent for a valid reason (family, competition, order of the school)."""
LATE = "о"
"""Late for the lesson; present, so not a missed lesson."""

ATTENDANCE_CODES: Mapping[str, str] = MappingProxyType(
    {
        ABSENT: "Отсутствие без уважительной причины",
        ILL: "Отсутствие по болезни",
        VALID: "Отсутствие по уважительной причине",
        LATE: "Опоздание",
    }
)
"""Every attendance code with its Russian title, in display order."""

MISSED_CODES: frozenset[str] = frozenset({ABSENT, ILL, VALID})
"""Codes that mean the lesson was missed (late is not among them)."""

LATIN_TWINS: Mapping[str, str] = MappingProxyType({"n": ABSENT, "b": ILL, "u": VALID, "o": LATE})
"""Latin letters teachers type for the codes when the layout is not switched.

Only the transliteration twins are accepted. ``y`` is deliberately absent: it
is where «н» sits on a Latin layout but it looks like «у», so guessing would
turn an unexcused absence into an excused one.
"""


def normalize_code(text: str) -> str:
    """Return the canonical Cyrillic code for user input such as ``" Н "`` or ``"b"``.

    Raises ValueError with a Russian message so the UI can show it as is.
    """
    key = text.strip().lower()
    key = LATIN_TWINS.get(key, key)
    if key not in ATTENDANCE_CODES:
        raise ValueError(f"«{text.strip()}» — не отметка посещаемости. Допустимы н, б, у, о.")
    return key


def _check(code: str | None) -> None:
    """Reject unknown codes early: a typo must not silently count as present."""
    if code is not None and code not in ATTENDANCE_CODES:
        raise ValueError(f"«{code}» — неизвестная отметка посещаемости. Допустимы н, б, у, о.")


def is_missed(code: str | None) -> bool:
    """Tell whether the code means the lesson was missed (``None`` = present, late = not)."""
    _check(code)
    return code in MISSED_CODES


def effective_code(teacher_code: str | None, class_teacher_code: str | None) -> str | None:
    """Return the code that counts: the class teacher's correction wins when present.

    Callers keep both values (the audit trail and the teacher's own view need
    the original); only reports use the effective one. ``None`` as the
    correction means "no correction", not "present".
    """
    _check(teacher_code)
    _check(class_teacher_code)
    return class_teacher_code if class_teacher_code is not None else teacher_code


@dataclass(frozen=True)
class ReasonCounts:
    """Missed days or lessons split by reason, as the attendance reports print them."""

    ill: int = 0
    valid: int = 0
    unexcused: int = 0

    @property
    def total(self) -> int:
        """All missed, whatever the reason."""
        return self.ill + self.valid + self.unexcused


@dataclass(frozen=True)
class MissedDays:
    """One pupil's attendance summary for a span of days."""

    days: ReasonCounts
    lessons: ReasonCounts
    late: int


def day_reason(codes: Sequence[str | None]) -> str | None:
    """Return the reason code of a fully missed day, or ``None`` if the day is not missed.

    A day is missed only when lessons were held and every one was missed.
    Its reason: «н» if any lesson is «н» (one unexcused lesson makes the day
    unexcused, so a note cannot cover only half a day); else «б» if any lesson
    is «б»; else «у».
    """
    for code in codes:
        _check(code)
    if not codes or not all(code in MISSED_CODES for code in codes):
        return None
    if ABSENT in codes:
        return ABSENT
    if ILL in codes:
        return ILL
    return VALID


def _split(counts: Mapping[str, int]) -> ReasonCounts:
    """Turn per-code counts into the report's three columns."""
    return ReasonCounts(
        ill=counts.get(ILL, 0),
        valid=counts.get(VALID, 0),
        unexcused=counts.get(ABSENT, 0),
    )


def missed_days(lessons_by_day: Mapping[date, Sequence[str | None]]) -> MissedDays:
    """Count one pupil's missed full days, missed lessons and late arrivals.

    ``lessons_by_day`` holds, for every day, the effective code of every
    lesson held that day for this pupil (``None`` = present). Days without
    lessons are ignored.
    """
    day_counts: dict[str, int] = {}
    lesson_counts: dict[str, int] = {}
    late = 0
    for codes in lessons_by_day.values():
        reason = day_reason(codes)
        if reason is not None:
            day_counts[reason] = day_counts.get(reason, 0) + 1
        for code in codes:
            if code == LATE:
                late += 1
            elif code is not None:
                lesson_counts[code] = lesson_counts.get(code, 0) + 1
    return MissedDays(days=_split(day_counts), lessons=_split(lesson_counts), late=late)
