"""The thematic plan (КТП, R-J-6): editing, import with line-numbered errors, laying onto lessons."""

from __future__ import annotations

import datetime as dt

import pytest

from tui_journal.db.models import Curriculum, Lesson, PlanItem
from tui_journal.services import journal, plan
from tui_journal.services.errors import InvalidInput, PermissionDenied

from .world import build_world


@pytest.fixture
def w(any_db):
    world = build_world()
    Lesson.update(plan_item=None).execute()
    PlanItem.delete().execute()  # start without a plan
    return world


def _lessons(w, days):
    return [
        Lesson.create(school_class=w.classes["7А"], subject=w.subjects["math"], date=dt.date(2026, 12, d), number=1, teacher=w.users["teacher"])
        for d in days
    ]


def test_edit_order_and_hours_against_curriculum(w) -> None:
    t, c, s = w.actors["teacher"], w.classes["7А"].id, w.subjects["math"].id
    Curriculum.create(school_class=c, subject=s, hours_per_week=0.1)  # 3.4 h a year
    plan.add_item(t, c, s, "Дроби", hours=2)
    plan.add_item(t, c, s, "Проценты", hours=1, kind="контрольная")
    first = plan.add_item(t, c, s, "Повторение", after_ordinal=0)
    summary = plan.plan_summary(t, c, s)
    assert [r.topic for r in summary.rows] == ["Повторение", "Дроби", "Проценты"]
    assert summary.plan_hours == 4 and summary.curriculum_hours == pytest.approx(3.4)
    assert not summary.hours_match
    plan.update_item(t, first.id, hours=0.4)
    assert plan.plan_summary(t, c, s).hours_match
    plan.move_item(t, first.id, +2)
    assert [r.topic for r in plan.plan_summary(t, c, s).rows] == ["Дроби", "Проценты", "Повторение"]
    with pytest.raises(InvalidInput, match="Вид урока"):
        plan.add_item(t, c, s, "X", kind="экскурсия")
    with pytest.raises(PermissionDenied):
        plan.add_item(w.actors["class_teacher"], c, s, "Чужая тема")


def test_import_reports_every_bad_line_and_saves_nothing(w, tmp_path) -> None:
    t, c, s = w.actors["teacher"], w.classes["7А"].id, w.subjects["math"].id
    bad = tmp_path / "plan.csv"
    bad.write_text("тема;часы;вид\nДроби;2;обычный\n;1;\nПроценты;два;\nОпыты;1;экскурсия\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as err:
        plan.read_plan_file(t, bad)
    text = err.value.message
    assert "строка 3: Тема не может быть пустой" in text
    assert "строка 4: «два» — не число часов" in text
    assert "строка 5" in text and "экскурсия" in text
    assert PlanItem.select().count() == 0
    good = tmp_path / "plan.xlsx"
    from openpyxl import Workbook

    wb = Workbook()
    for row in (["Тема", "Часы", "Вид"], ["Дроби", 2, "обычный"], ["Контрольная работа № 1", 1, "контрольная"]):
        wb.active.append(row)
    wb.save(good)
    assert plan.import_plan(t, c, s, plan.read_plan_file(t, good)) == 2
    assert [(r.topic, r.hours) for r in plan.plan_summary(t, c, s).rows] == [("Дроби", 2.0), ("Контрольная работа № 1", 1.0)]


def test_lay_onto_lessons_moves_topics_forward(w) -> None:
    t, c, s = w.actors["teacher"], w.classes["7А"].id, w.subjects["math"].id
    Lesson.delete().where(Lesson.id == w.lessons["7А"].id).execute()
    a = plan.add_item(t, c, s, "Дроби", hours=2)
    b = plan.add_item(t, c, s, "Проценты", hours=1)
    lessons = _lessons(w, [1, 3, 8, 10])
    assert plan.lay_onto_lessons(t, c, s) == 3
    got = [Lesson.get_by_id(ls.id).plan_item_id for ls in lessons]
    assert got == [a.id, a.id, b.id, None]
    # the first lesson is held on its topic; the second falls out (cancelled)
    journal.set_lesson_info(t, lessons[0].id, plan_item_id=a.id)
    Lesson.delete().where(Lesson.id == lessons[1].id).execute()
    plan.lay_onto_lessons(t, c, s)
    got = [Lesson.get_by_id(ls.id).plan_item_id for ls in (lessons[0], lessons[2], lessons[3])]
    assert got == [a.id, a.id, b.id]
    summary = plan.plan_summary(t, c, s)
    assert summary.rows[0].held == 1 and summary.lessons_held == 1
