"""Year rollover (R-SETUP-4): preview, promotion, repeaters, graduates, the closed year."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.factories.school import BuiltSchool, build_school
from tui_journal.db.models import (
    AcademicYear,
    Assignment,
    Curriculum,
    Enrollment,
    GroupMember,
    Lesson,
    Period,
    SchoolClass,
)
from tui_journal.services import enrollment, journal, rollover, setup
from tui_journal.services.actor import Actor
from tui_journal.services.errors import Conflict, InvalidInput, PermissionDenied

from .world import fingerprint

D = dt.date


@pytest.fixture
def school(admin: Actor) -> BuiltSchool:
    return build_school(
        admin,
        hours={("7А", "Математика"): 5, ("1А", "Математика"): 4},
        assignments=(("7А", "Математика", "ivanova"),),
        groups=(("7А", "Английский язык", "1 группа", ["Алексеев"]),),
    )


def _kwargs(**extra: Any) -> dict[str, Any]:
    return dict(promotion_order="№ 120-о от 30.05.2027", graduation_order="№ 121-о от 25.06.2027", **extra)


def test_the_preview_shows_every_change_and_writes_nothing(school: BuiltSchool) -> None:
    before = fingerprint()
    plan = rollover.preview_rollover(school.admin, school.year.id, **_kwargs(repeaters=[school.pupils["Ёлкин"]]))
    assert fingerprint() == before
    assert (plan.name, plan.start, plan.end) == ("2027/2028", D(2027, 9, 1), D(2028, 5, 31))
    text = "\n".join(plan.lines())
    assert "Перевод: Алексеев Антон, 7А → 8А" in text
    assert "Повторное обучение: Ёлкин Егор, остаётся в 7А" in text
    assert "Выпуск: Выпускников Вадим, 11А" in text
    assert "Перевод: Первоклашкин Пётр, 1А → 2А" in text
    assert "будет закрыт" in text
    names = {c.name: c for c in plan.classes}
    assert set(names) == {"1А", "2А", "7А", "8А", "8Б"}  # 11А graduates; 12А does not exist
    assert names["8А"].class_teacher == "Иванова М." and names["8А"].pupils == 2
    assert names["1А"].pupils == 0 and names["1А"].curriculum == 1
    assert names["7А"].pupils == 1  # the repeater


def test_apply_promotes_keeps_repeaters_and_graduates(school: BuiltSchool) -> None:
    plan = rollover.apply_rollover(school.admin, school.year.id, **_kwargs(repeaters=[school.pupils["Ёлкин"]]))
    old = AcademicYear.get_by_id(school.year.id)
    new = AcademicYear.get_by_id(plan.new_year_id)
    assert old.closed and not new.closed
    assert Period.select().where(Period.year == new.id).count() == 7
    q1 = Period.get((Period.year == new.id) & (Period.name == "1 четверть"))
    assert (q1.start, q1.end) == (D(2027, 9, 1), D(2027, 10, 24))

    def class_of(pupil: str) -> str:
        e = Enrollment.get((Enrollment.student == school.pupils[pupil]) & Enrollment.end.is_null())
        return journal.class_label(e.school_class)

    assert class_of("Алексеев") == "8А" and class_of("Ёлкин") == "7А" and class_of("Первоклашкин") == "2А"
    assert not Enrollment.select().where(
        (Enrollment.student == school.pupils["Выпускников"]) & Enrollment.end.is_null()
    ).exists()
    graduate = Enrollment.get(Enrollment.student == school.pupils["Выпускников"])
    assert (graduate.end, graduate.went_to, graduate.order_out) == (D(2027, 5, 31), "выпуск", "№ 121-о от 25.06.2027")
    c8a = SchoolClass.get((SchoolClass.year == new.id) & (SchoolClass.grade == 8) & (SchoolClass.letter == "А"))
    assert c8a.class_teacher is not None and c8a.class_teacher.login == "ivanova"
    assert Assignment.select().where(Assignment.school_class == c8a.id).count() == 1
    member = GroupMember.get((GroupMember.student == school.pupils["Алексеев"]) & GroupMember.end.is_null())
    assert member.group.school_class_id == c8a.id and member.start == D(2027, 9, 1)
    new_1a = SchoolClass.get((SchoolClass.year == new.id) & (SchoolClass.grade == 1))
    assert Curriculum.get(Curriculum.school_class == new_1a.id).hours_per_week == 4
    # the movement log reads the promotion as a transfer, the graduation as a departure
    moves = enrollment.movements(school.admin, D(2027, 5, 1), D(2027, 9, 30))
    kinds = {(m.student, m.kind) for m in moves}
    assert ("Алексеев Антон", "переведён в следующий класс") in kinds
    assert ("Выпускников Вадим", "выбыл") in kinds
    assert ("Алексеев Антон", "выбыл") not in kinds


def test_the_closed_year_is_read_only(school: BuiltSchool) -> None:
    rollover.apply_rollover(school.admin, school.year.id, **_kwargs())
    with pytest.raises(InvalidInput, match="закрыт"):
        setup.add_class(school.admin, school.year.id, "9Б")
    with pytest.raises(InvalidInput, match="закрыт"):
        enrollment.arrive(school.admin, school.pupils["Выпускников"], school.classes["7А"], D(2027, 5, 1), "№ 1")
    lesson = Lesson.create(
        school_class=school.classes["7А"], subject=school.subjects["Математика"], date=D(2027, 5, 20),
        number=1, teacher=school.actors["ivanova"].user_id,
    )
    with pytest.raises(PermissionDenied, match="закрыт"):
        journal.set_cell(school.actors["ivanova"], lesson.id, school.pupils["Алексеев"], "5")
    with pytest.raises(InvalidInput, match="закрыт"):
        rollover.preview_rollover(school.admin, school.year.id, **_kwargs())


def test_refusals(school: BuiltSchool) -> None:
    with pytest.raises(InvalidInput, match="приказ о выпуске"):
        rollover.preview_rollover(school.admin, school.year.id, promotion_order="№ 1")
    with pytest.raises(InvalidInput, match="Не числятся"):
        rollover.preview_rollover(school.admin, school.year.id, **_kwargs(repeaters=[99999]))
    setup.add_year(school.admin, "2027/2028", D(2027, 9, 1), D(2028, 5, 31))
    with pytest.raises(Conflict):
        rollover.preview_rollover(school.admin, school.year.id, **_kwargs())
    with pytest.raises(PermissionDenied):
        rollover.preview_rollover(school.actors["sekretar"], school.year.id, **_kwargs(name="2030/2031"))
    before = fingerprint()
    with pytest.raises(InvalidInput):
        rollover.apply_rollover(school.admin, school.year.id, **_kwargs(name="2031/2032", start=D(2026, 10, 1)))
    assert fingerprint() == before
