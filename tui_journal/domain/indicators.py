"""Class progress indicators for a period (report R-REP-4) and pupil categories.

The formulas are the published NetSchool ones that inspectors and
deputies compare against, so they are reproduced exactly, including the
rule for who is in N: pupils on the roll at the period's end, less the
exempt and those without a mark; «н/а» stays in N and drags the numbers down.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

FORMULAS: tuple[str, ...] = (
    "% успеваемости = (N5+N4+N3)·100/N",
    "% качества = (N5+N4)·100/N",
    "СОУ = (100·N5+64·N4+36·N3+16·N2+7·Nн/а)/N",
    "N — учащиеся на конец периода без освобождённых и не имеющих отметки; н/а входят в N",
)
"""Footnote printed under progress reports, so readers know how figures were got."""

PERIOD_RESULTS: frozenset[str] = frozenset({"5", "4", "3", "2", "н/а", "осв"})
"""Period marks the indicators understand (зачётные subjects are not counted)."""

_SOU_WEIGHTS = {"5": 100, "4": 64, "3": 36, "2": 16, "н/а": 7}


@dataclass(frozen=True)
class PupilResult:
    """One pupil's period mark in one subject and whether he is still on the roll."""

    value: str | None
    on_roll: bool = True

    def __post_init__(self) -> None:
        """A stray value (e.g. «зач») would silently vanish from N; refuse it."""
        if self.value is not None and self.value not in PERIOD_RESULTS:
            raise ValueError(f"«{self.value}» не учитывается в показателях: допустимы 5, 4, 3, 2, н/а, осв.")


@dataclass(frozen=True)
class ProgressIndicators:
    """Counts and indicators of one subject in one class for a period.

    Percentages and the average are raw floats (renderers round them);
    they are ``None`` when N is 0, printed as «—».
    """

    n: int
    n5: int
    n4: int
    n3: int
    n2: int
    na: int
    exempt: int
    no_mark: int
    success_pct: float | None
    quality_pct: float | None
    sou_pct: float | None
    avg_mark: float | None


def progress_indicators(results: Iterable[PupilResult]) -> ProgressIndicators:
    """Compute % успеваемости, % качества, СОУ and the average mark by FORMULAS."""
    counts = {"5": 0, "4": 0, "3": 0, "2": 0, "н/а": 0, "осв": 0}
    no_mark = 0
    for result in results:
        if not result.on_roll:
            continue
        if result.value is None:
            no_mark += 1
        else:
            counts[result.value] += 1
    n5, n4, n3, n2 = counts["5"], counts["4"], counts["3"], counts["2"]
    na = counts["н/а"]
    n = n5 + n4 + n3 + n2 + na
    numeric = n5 + n4 + n3 + n2
    avg_mark = (5 * n5 + 4 * n4 + 3 * n3 + 2 * n2) / numeric if numeric else None
    if n == 0:
        success = quality = sou = None
    else:
        success = (n5 + n4 + n3) * 100 / n
        quality = (n5 + n4) * 100 / n
        sou = sum(_SOU_WEIGHTS[key] * counts[key] for key in _SOU_WEIGHTS) / n
    return ProgressIndicators(
        n=n,
        n5=n5,
        n4=n4,
        n3=n3,
        n2=n2,
        na=na,
        exempt=counts["осв"],
        no_mark=no_mark,
        success_pct=success,
        quality_pct=quality,
        sou_pct=sou,
        avg_mark=avg_mark,
    )


PupilCategory = Literal["excellent", "good", "one_three", "failing", "other", "unattested"]

_KNOWN_PERIOD_MARKS = frozenset({"5", "4", "3", "2", "1", "н/а", "осв", "зач", "незач"})
_FAILING = frozenset({"2", "1", "н/а", "незач"})


def classify_pupil(period_marks: Sequence[str | None]) -> PupilCategory:
    """Put a pupil into the class teacher's report category by his period marks.

    - ``failing`` (неуспевающий): any 2, 1, н/а or незач;
    - ``excellent`` (отличник): only fives;
    - ``good`` (хорошист): only fours and fives, at least one four;
    - ``one_three`` (с одной «3»): exactly one three, the rest fours and fives;
    - ``other``: passing with two or more threes, or only «зач»;
    - ``unattested``: no marks at all.

    «осв» and missing marks are ignored; «зач» passes and does not spoil
    excellence (physical education graded pass/fail is common).
    """
    for mark in period_marks:
        if mark is not None and mark not in _KNOWN_PERIOD_MARKS:
            raise ValueError(f"«{mark}» — не итоговая отметка.")
    marks = [mark for mark in period_marks if mark is not None and mark != "осв"]
    if not marks:
        return "unattested"
    if any(mark in _FAILING for mark in marks):
        return "failing"
    points = [mark for mark in marks if mark != "зач"]
    threes = points.count("3")
    if not points or threes > 1:
        return "other"
    if threes == 1:
        return "one_three"
    if "4" in points:
        return "good"
    return "excellent"
