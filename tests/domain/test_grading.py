"""Tests of period mark proposals under both rounding policies."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.factories.domain import plain_marks as plain
from tui_journal.domain.grading import (
    DEFAULT_POLICY,
    Proposal,
    RoundingPolicy,
    format_average,
    marks_needed,
    propose_period_mark,
    round_average,
)
from tui_journal.domain.marks import WeightedMark

HALF_UP = RoundingPolicy()
THRESHOLD = RoundingPolicy(mode="threshold")


def test_default_policy() -> None:
    assert DEFAULT_POLICY == RoundingPolicy("half_up", (4.65, 3.65, 2.65), 3)


@pytest.mark.parametrize(
    ("avg", "mark"),
    [
        (2.5, 3),
        (3.5, 4),
        (4.49, 4),
        (4.5, 5),
        (4.4999999999, 5),  # float noise of 4.5
        (3.4999, 3),
        (2.49, 2),
        (5.0, 5),
        (1.0, 2),  # period marks never go below 2
        (1.6, 2),
        (4.65, 5),
        (3.65, 4),
    ],
)
def test_round_half_up(avg: float, mark: int) -> None:
    assert round_average(avg, HALF_UP) == mark


@pytest.mark.parametrize("whole", [1, 2, 3, 4])
def test_half_up_is_not_bankers_rounding(whole: int) -> None:
    # Python's round(2.5) == 2; the school rounds it to 3.
    assert round_average(whole + 0.5, HALF_UP) == max(2, whole + 1)


@pytest.mark.parametrize(
    ("avg", "mark"),
    [
        (4.65, 5),
        (4.64, 4),
        (4.6499999999, 5),  # float noise of 4.65
        (3.65, 4),
        (3.6499999999, 4),
        (3.6499, 3),
        (3.64, 3),
        (2.65, 3),
        (2.64, 2),
        (4.5, 4),  # 4,5 is not enough under thresholds
        (5.0, 5),
        (1.0, 2),
    ],
)
def test_round_threshold(avg: float, mark: int) -> None:
    assert round_average(avg, THRESHOLD) == mark


def test_round_threshold_custom() -> None:
    policy = RoundingPolicy(mode="threshold", thresholds=(4.5, 3.5, 2.5))
    assert round_average(3.5, policy) == 4
    assert round_average(3.49, policy) == 3


def test_round_average_rejects_nan() -> None:
    with pytest.raises(ValueError):
        round_average(float("nan"), HALF_UP)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"thresholds": (3.65, 4.65, 2.65)}, "Пороги должны строго убывать"),
        ({"thresholds": (4.65, 4.65, 2.65)}, "Пороги должны строго убывать"),
        ({"thresholds": (5.5, 3.65, 2.65)}, "больше 1 и не больше 5"),
        ({"thresholds": (4.65, 3.65, 1.0)}, "больше 1 и не больше 5"),
        ({"min_marks": -1}, "не может быть отрицательным"),
        ({"mode": "bankers"}, "Неизвестный способ округления"),
    ],
)
def test_policy_validation(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RoundingPolicy(**kwargs)  # type: ignore[arg-type]


def test_policy_allows_threshold_five() -> None:
    assert RoundingPolicy(mode="threshold", thresholds=(5.0, 4.0, 3.0)).min_marks == 3


def test_proposal_threshold_exact_boundary() -> None:
    # 13 fours and 7 threes: 73 / 20 = 3,65 exactly (as far as floats go).
    marks = plain(*([4] * 13 + [3] * 7))
    proposal = propose_period_mark(marks, THRESHOLD)
    assert proposal == Proposal(
        value="4",
        average=3.65,
        count=20,
        reason="Средний балл 3,65 по 20 отметкам; порог 3,65 → 4",
    )


def test_proposal_threshold_below_last() -> None:
    proposal = propose_period_mark(plain(2, 3, 2), THRESHOLD)
    assert proposal.value == "2"
    assert proposal.reason == "Средний балл 2,33 по 3 отметкам; ниже порога 2,65 → 2"


def test_proposal_threshold_five() -> None:
    proposal = propose_period_mark(plain(5, 5, 5, 4), THRESHOLD)  # 4,75
    assert proposal.value == "5"
    assert proposal.reason == "Средний балл 4,75 по 4 отметкам; порог 4,65 → 5"


def test_proposal_half_up_exact_half() -> None:
    proposal = propose_period_mark(plain(4, 3, 4, 3), HALF_UP)
    assert proposal == Proposal(
        value="4",
        average=3.5,
        count=4,
        reason="Средний балл 3,50 по 4 отметкам; округление (0,5 вверх) → 4",
    )


def test_same_marks_differ_by_policy() -> None:
    # 4,5 is a five when rounding, a four under the 4,65 threshold.
    marks = plain(5, 4, 5, 4)
    assert propose_period_mark(marks, HALF_UP).value == "5"
    assert propose_period_mark(marks, THRESHOLD).value == "4"


def test_proposal_weights_count() -> None:
    # Контрольная «2» with weight 2: (4 + 12) / 5 = 3,2 → 3; unweighted 3,5 → 4.
    marks = [WeightedMark(2, 2.0), *plain(4, 4, 4)]
    proposal = propose_period_mark(marks, HALF_UP)
    assert proposal.value == "3"
    assert proposal.average == pytest.approx(3.2)
    assert proposal.count == 4
    assert propose_period_mark(plain(2, 4, 4, 4), HALF_UP).value == "4"


def test_proposal_too_few_marks() -> None:
    proposal = propose_period_mark(plain(5, 5), HALF_UP)
    assert proposal == Proposal("н/а", 5.0, 2, "Меньше 3 отметок → н/а")


def test_proposal_empty() -> None:
    assert propose_period_mark([]) == Proposal("н/а", None, 0, "Меньше 3 отметок → н/а")


def test_proposal_min_marks_zero_and_empty() -> None:
    policy = RoundingPolicy(min_marks=0)
    assert propose_period_mark([], policy) == Proposal("н/а", None, 0, "Нет отметок → н/а")


def test_proposal_all_zero_weight() -> None:
    marks = [WeightedMark(5, 0.0)] * 3
    proposal = propose_period_mark(marks, HALF_UP)
    assert proposal == Proposal("н/а", None, 3, "Все отметки с нулевым весом → н/а")


def test_proposal_russian_plurals() -> None:
    one = RoundingPolicy(min_marks=1)
    assert propose_period_mark([], one).reason == "Меньше 1 отметки → н/а"
    assert propose_period_mark(plain(5), one).reason == (
        "Средний балл 5,00 по 1 отметке; округление (0,5 вверх) → 5"
    )
    assert propose_period_mark(plain(*[4] * 21), one).reason.startswith("Средний балл 4,00 по 21 отметке;")
    assert "по 11 отметкам" in propose_period_mark(plain(*[4] * 11), one).reason


def test_proposal_exempt_wins() -> None:
    proposal = propose_period_mark(plain(2, 2, 2), HALF_UP, exempt=True)
    assert proposal.value == "осв"
    assert proposal.count == 3
    assert proposal.reason == "Освобождён от предмета → осв"
    assert propose_period_mark([], exempt=True).value == "осв"


def test_shown_average_never_contradicts_the_mark() -> None:
    # 3,6496 must not print as «3,65» next to a 3 under the 3,65 threshold.
    assert format_average(3.6496) == "3,64"
    assert round_average(3.6496, THRESHOLD) == 3
    assert format_average(3.6499999999) == "3,65"
    assert format_average(4.4999) == "4,49"
    assert format_average(26 / 7) == "3,71"
    assert format_average(4.0) == "4,00"


def test_marks_needed_half_up() -> None:
    # (9 + 5k) / (3 + k) >= 3,5  ⇔  k >= 1
    assert marks_needed(plain(3, 3, 3), 4, HALF_UP) == 1
    # (9 + 5k) / (3 + k) >= 4,5  ⇔  k >= 9
    assert marks_needed(plain(3, 3, 3), 5, HALF_UP) == 9


def test_marks_needed_threshold() -> None:
    # (9 + 5k) / (3 + k) >= 3,65  ⇔  k >= 1,44
    assert marks_needed(plain(3, 3, 3), 4, THRESHOLD) == 2
    # (9 + 5k) / (3 + k) >= 4,65  ⇔  k >= 14,14: not within 10
    assert marks_needed(plain(3, 3, 3), 5, THRESHOLD) is None
    assert marks_needed(plain(3, 3, 3), 5, THRESHOLD, max_extra=20) == 15


def test_marks_needed_with_weight() -> None:
    # (9 + 10k) / (3 + 2k) >= 4,5  ⇔  k >= 4,5
    assert marks_needed(plain(3, 3, 3), 5, HALF_UP, weight=2.0) == 5


def test_marks_needed_already_there() -> None:
    assert marks_needed(plain(5, 5, 5), 5) == 0
    assert marks_needed(plain(5, 5, 5), 3) == 0


def test_marks_needed_counts_min_marks() -> None:
    assert marks_needed([], 2) == 3
    # Needs the third mark anyway; (4 + 5k) / (2 + k) >= 3,5  ⇔  k >= 2.
    assert marks_needed(plain(2, 2), 4) == 2


@pytest.mark.parametrize("target", [1, 6, 0])
def test_marks_needed_rejects_bad_target(target: int) -> None:
    with pytest.raises(ValueError, match="вне шкалы 2–5"):
        marks_needed(plain(5), target)


policies = st.sampled_from([HALF_UP, THRESHOLD])
mark_lists = st.lists(
    st.builds(WeightedMark, st.integers(1, 5), st.sampled_from([1.0, 2.0, 0.5])),
    max_size=15,
)


@given(mark_lists, st.integers(2, 5), policies)
def test_marks_needed_is_the_least(marks: list[WeightedMark], target: int, policy: RoundingPolicy) -> None:
    def reaches(extra: int) -> bool:
        value = propose_period_mark(marks + plain(*[5] * extra), policy).value
        return value.isdigit() and int(value) >= target

    needed = marks_needed(marks, target, policy, max_extra=12)
    if needed is None:
        assert not reaches(12)
        return
    assert reaches(needed)
    assert needed == 0 or not reaches(needed - 1)


@given(st.floats(1.0, 5.0), st.floats(1.0, 5.0), policies)
def test_rounding_is_monotonic(a: float, b: float, policy: RoundingPolicy) -> None:
    low, high = sorted((a, b))
    assert 2 <= round_average(low, policy) <= round_average(high, policy) <= 5
