"""Tests of class progress indicators and pupil categories."""

import pytest

from tests.factories.domain import pupil_results as results
from tui_journal.domain.indicators import (
    FORMULAS,
    ProgressIndicators,
    PupilResult,
    classify_pupil,
    progress_indicators,
)


def test_mixed_class_by_hand() -> None:
    pupils = results("5", "5", "4", "4", "4", "3", "2", "н/а", "осв", None)
    pupils.append(PupilResult("2", on_roll=False))
    # N = 8; success 6·100/8; quality 5·100/8; СОУ (200+192+36+16+7)/8 = 451/8.
    indicators = progress_indicators(pupils)
    assert indicators == ProgressIndicators(
        n=8,
        n5=2,
        n4=3,
        n3=1,
        n2=1,
        na=1,
        exempt=1,
        no_mark=1,
        success_pct=75.0,
        quality_pct=62.5,
        sou_pct=56.375,
        avg_mark=pytest.approx(27 / 7),  # type: ignore[arg-type]
    )


def test_everybody_exempt() -> None:
    indicators = progress_indicators(results("осв", "осв", "осв"))
    assert indicators.n == 0
    assert indicators.exempt == 3
    assert indicators.success_pct is None
    assert indicators.quality_pct is None
    assert indicators.sou_pct is None
    assert indicators.avg_mark is None


def test_empty_class() -> None:
    indicators = progress_indicators([])
    assert indicators.n == 0
    assert indicators.sou_pct is None


def test_everybody_not_attested() -> None:
    indicators = progress_indicators(results("н/а", "н/а", "н/а", "н/а"))
    assert indicators.n == 4
    assert indicators.na == 4
    assert indicators.success_pct == 0.0
    assert indicators.quality_pct == 0.0
    assert indicators.sou_pct == 7.0
    assert indicators.avg_mark is None


def test_pupils_who_left_are_excluded() -> None:
    pupils = [
        PupilResult("5", on_roll=False),
        PupilResult("2", on_roll=False),
        PupilResult("осв", on_roll=False),
        PupilResult("4"),
        PupilResult("3"),
    ]
    indicators = progress_indicators(pupils)
    assert (indicators.n, indicators.n5, indicators.n2, indicators.exempt) == (2, 0, 0, 0)
    assert indicators.success_pct == 100.0
    assert indicators.quality_pct == 50.0
    assert indicators.sou_pct == 50.0  # (64 + 36) / 2
    assert indicators.avg_mark == 3.5


def test_all_fives() -> None:
    indicators = progress_indicators(results("5", "5", None))
    assert indicators.n == 2
    assert indicators.no_mark == 1
    assert (indicators.success_pct, indicators.quality_pct, indicators.sou_pct) == (
        100.0,
        100.0,
        100.0,
    )
    assert indicators.avg_mark == 5.0


@pytest.mark.parametrize("value", ["зач", "1", "6", ""])
def test_pupil_result_rejects_unknown(value: str) -> None:
    with pytest.raises(ValueError, match="не учитывается в показателях"):
        PupilResult(value)


def test_formulas_footnote() -> None:
    assert FORMULAS == (
        "% успеваемости = (N5+N4+N3)·100/N",
        "% качества = (N5+N4)·100/N",
        "СОУ = (100·N5+64·N4+36·N3+16·N2+7·Nн/а)/N",
        "N — учащиеся на конец периода без освобождённых и не имеющих отметки; н/а входят в N",
    )


@pytest.mark.parametrize(
    ("marks", "category"),
    [
        (["5", "5", "5"], "excellent"),
        (["5", "осв", None], "excellent"),
        (["5", "зач"], "excellent"),
        (["5", "4", "5"], "good"),
        (["4", "4"], "good"),
        (["5", "4", "3"], "one_three"),
        (["3", "5"], "one_three"),
        (["3"], "one_three"),
        (["4", "3", "3"], "other"),
        (["зач"], "other"),
        (["5", "5", "2"], "failing"),
        (["5", "н/а"], "failing"),
        (["3", "3", "1"], "failing"),
        (["4", "незач"], "failing"),
        ([], "unattested"),
        ([None, "осв"], "unattested"),
    ],
)
def test_classify_pupil(marks: list[str | None], category: str) -> None:
    assert classify_pupil(marks) == category


def test_classify_pupil_rejects_unknown() -> None:
    with pytest.raises(ValueError, match="не итоговая отметка"):
        classify_pupil(["5", "7"])
