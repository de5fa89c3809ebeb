"""Proposal of a period mark from current marks, with the school's rounding rule.

Schools disagree on how an average becomes a period mark (ordinary rounding
at .5, or thresholds such as 3,65 → 4) and on the least number of marks, so
the rule is a value the school configures, not code. The teacher still sets
the mark; this module only proposes it and explains why in Russian.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from tui_journal.domain import ru_words as words
from tui_journal.domain.marks import (
    EXEMPT,
    NOT_ATTESTED,
    WeightedMark,
    weighted_average,
)
from tui_journal.domain.text import format_decimal

EPSILON = 1e-9
"""Tolerance for float noise: 3.6499999999 must count as 3,65."""

LOWEST_PERIOD_MARK = 2
HIGHEST_PERIOD_MARK = 5

RoundingMode = Literal["half_up", "threshold"]


@dataclass(frozen=True)
class RoundingPolicy:
    """How a school turns an average into a period mark.

    ``thresholds`` are the least averages for 5, 4 and 3 in ``threshold``
    mode (below the last one gives 2). With fewer than ``min_marks`` point
    marks the proposal is «н/а».
    """

    mode: RoundingMode = "half_up"
    thresholds: tuple[float, float, float] = (4.65, 3.65, 2.65)
    min_marks: int = 3

    def __post_init__(self) -> None:
        """Refuse a configuration that would give nonsense marks."""
        if self.mode not in ("half_up", "threshold"):
            raise ValueError(f"Неизвестный способ округления «{self.mode}»: допустимы half_up и threshold.")
        if len(self.thresholds) != 3:
            raise ValueError("Нужно ровно три порога: для «5», «4» и «3».")
        for value in self.thresholds:
            if not math.isfinite(value) or not 1 < value <= 5:
                raise ValueError(f"Порог {value!r} должен быть больше 1 и не больше 5.")
        five, four, three = self.thresholds
        if not five > four > three:
            raise ValueError("Пороги должны строго убывать: для «5» > для «4» > для «3».")
        if isinstance(self.min_marks, bool) or self.min_marks < 0:
            raise ValueError("Наименьшее число отметок не может быть отрицательным.")


DEFAULT_POLICY = RoundingPolicy()


@dataclass(frozen=True)
class Proposal:
    """A proposed period mark with what it was computed from.

    ``value`` is "5".."2", «н/а» or «осв»; ``average`` is the raw weighted
    mean (``None`` without marks); ``reason`` is a Russian sentence for the
    teacher and for the objectivity check.
    """

    value: str
    average: float | None
    count: int
    reason: str
    min_marks: int = field(default=0, compare=False)  # set when the proposal is «н/а» only because there are too few marks

    @property
    def too_few(self) -> bool:
        """«н/а» only because fewer than the school's least number of marks stand yet."""
        return self.value == NOT_ATTESTED and self.count < self.min_marks

    @property
    def label(self) -> str:
        """What a pupil or a parent reads: «мало отметок (2 из 3)» rather than «н/а», which
        on a paper form means «не аттестован»."""
        if self.too_few:
            return f"мало отметок ({self.count} из {self.min_marks})"
        return self.value

    @property
    def short_label(self) -> str:
        """The label for a narrow column: «2 из 3» rather than «н/а»."""
        if self.too_few:
            return f"{self.count} из {self.min_marks}"
        return self.value


def _clamp(mark: int) -> int:
    """Period marks live on the 2–5 scale."""
    return max(LOWEST_PERIOD_MARK, min(HIGHEST_PERIOD_MARK, mark))


def round_average(avg: float, policy: RoundingPolicy = DEFAULT_POLICY) -> int:
    """Turn an average into a period mark 2–5 by the school's rule.

    ``half_up`` is rounding as taught at school (2,5 → 3, 3,5 → 4), not
    Python's banker's rounding; ``threshold`` compares against the policy's
    thresholds. Both allow EPSILON of float noise in the pupil's favour.
    """
    if not math.isfinite(avg):
        raise ValueError(f"{avg!r} — не средний балл.")
    if policy.mode == "half_up":
        return _clamp(math.floor(avg + 0.5 + EPSILON))
    for mark, threshold in zip((5, 4, 3), policy.thresholds, strict=True):
        if avg + EPSILON >= threshold:
            return mark
    return LOWEST_PERIOD_MARK


def format_average(avg: float) -> str:
    """Print an average as «3,64», cut (not rounded) to hundredths.

    Cutting keeps the shown figure consistent with the mark: 3,6496 rounds
    to 3 under a 3,65 threshold, and showing «3,65» next to a 3 would look
    like a bug. Float noise (3,6499999999) still shows as «3,65».
    """
    cut = math.floor(avg * 100 + EPSILON * 100) / 100
    return format_decimal(cut, 2)


def _plural_genitive(count: int) -> str:
    """«меньше 1 отметки», «меньше 3 отметок»."""
    return words.plural(count, ("отметки", "отметок", "отметок"))


def _plural_dative(count: int) -> str:
    """«по 1 отметке», «по 7 отметкам»."""
    return words.plural(count, ("отметке", "отметкам", "отметкам"))


def _threshold_text(value: float) -> str:
    """Thresholds print with two decimals, more only when configured finer."""
    text = format_decimal(value, 6).rstrip("0")
    decimals = len(text.split(",")[1])
    return format_decimal(value, max(2, decimals))


def _rule_text(mark: int, policy: RoundingPolicy) -> str:
    """Explain which rule produced the mark."""
    if policy.mode == "half_up":
        return "округление (0,5 вверх)"
    if mark == LOWEST_PERIOD_MARK:
        return f"ниже порога {_threshold_text(policy.thresholds[-1])}"
    return f"порог {_threshold_text(policy.thresholds[5 - mark])}"


def propose_period_mark(
    marks: Sequence[WeightedMark],
    policy: RoundingPolicy = DEFAULT_POLICY,
    exempt: bool = False,
) -> Proposal:
    """Propose a period mark from a pupil's current point marks in one subject.

    Exemption wins over everything; too few marks or no weight gives «н/а».
    The average is kept even then, because the teacher may still want it.
    """
    count = len(marks)
    average = weighted_average(marks)
    if exempt:
        return Proposal(EXEMPT, average, count, "Освобождён от предмета → осв")
    if count < policy.min_marks:
        return Proposal(
            NOT_ATTESTED,
            average,
            count,
            f"Меньше {policy.min_marks} {_plural_genitive(policy.min_marks)} → н/а",
            policy.min_marks,
        )
    if average is None:
        reason = "Нет отметок → н/а" if count == 0 else "Все отметки с нулевым весом → н/а"
        return Proposal(NOT_ATTESTED, None, count, reason)
    mark = round_average(average, policy)
    reason = (
        f"Средний балл {format_average(average)} по {count} {_plural_dative(count)}; "
        f"{_rule_text(mark, policy)} → {mark}"
    )
    return Proposal(str(mark), average, count, reason)


def marks_needed(
    current: Sequence[WeightedMark],
    target: int,
    policy: RoundingPolicy = DEFAULT_POLICY,
    weight: float = 1.0,
    max_extra: int = 10,
) -> int | None:
    """Return the least number of extra fives (of ``weight``) that lift the proposal to ``target``.

    0 when the proposal already reaches it, ``None`` when ``max_extra`` fives
    are not enough. Fives are the best case, so the answer is the honest
    minimum for the diary's "what do I still need" forecast.
    """
    if isinstance(target, bool) or not LOWEST_PERIOD_MARK <= target <= HIGHEST_PERIOD_MARK:
        raise ValueError(f"Желаемая отметка {target!r} вне шкалы 2–5.")
    five = WeightedMark(5, weight)
    marks = list(current)
    for extra in range(max(0, max_extra) + 1):
        proposal = propose_period_mark(marks, policy)
        if proposal.value.isdigit() and int(proposal.value) >= target:
            return extra
        marks.append(five)
    return None
