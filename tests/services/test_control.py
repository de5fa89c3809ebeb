"""The deputy's control of the journals (R-DEP-1, R-DEP-2, R-AN-2)."""

from __future__ import annotations

import datetime as dt

import pytest
from peewee import Database

from tests.factories.rows import make_lesson, make_mark
from tui_journal.db.models import (
    Attendance,
    Lesson,
    LoginEvent,
    Mark,
    Period,
    PeriodMark,
    PlanItem,
    WorkType,
)
from tui_journal.services import control
from tui_journal.services.errors import InvalidInput, NotFound, PermissionDenied

from .world import World, build_world

TODAY = dt.date(2026, 11, 27)
START = dt.date(2026, 11, 5)


@pytest.fixture
def w(any_db: Database) -> World:
    """7А math: the Friday lesson (no topic, no homework, no roll, one mark) and two more."""
    w = build_world()
    c7, t, math = w.classes["7А"], w.users["teacher"], w.subjects["math"]
    w.lessons["done"] = make_lesson(
        c7, math, dt.date(2026, 11, 20), 1, t, topic="Дроби", plan_item=w.plan[0], homework="§ 1",
        topic_set_at=dt.datetime(2026, 11, 20, 12), homework_set_at=dt.datetime(2026, 11, 20, 20),
        roll_taken_at=dt.datetime(2026, 11, 20, 9),
    )
    w.lessons["future"] = make_lesson(c7, math, dt.date(2026, 12, 4), 1, t)
    make_mark(w.students["7А"], w.lessons["done"], "5", late=True)
    return w


def test_a_class_journal_counts_what_the_deputy_controls(w: World) -> None:
    [journal] = control.class_control(w.actors["deputy"], w.classes["7А"].id, START, dt.date(2026, 12, 28), TODAY)
    assert journal.title == "7А Математика" and journal.teachers == "Учителев И. И."
    assert journal.lessons == 2  # the lesson of 4 December is not held yet
    assert journal.no_topic == (TODAY,) and journal.no_homework == (TODAY,) and journal.no_roll == (TODAY,)
    assert journal.late == 2  # a mark typed late and homework after 18:00
    assert (journal.pupils, journal.marks, journal.fill_text) == (1, 2, "1,00")
    assert (journal.plan_hours, journal.held_on_plan, journal.held_year) == (2.0, 1, 2)


def test_a_roll_with_an_absence_counts_as_taken(w: World) -> None:
    Attendance.create(student=w.students["7А"], lesson=w.lessons["7А"], code="н", late=True)
    [journal] = control.class_control(w.actors["director"], w.classes["7А"].id, START, TODAY, TODAY)
    assert journal.no_roll == () and journal.late == 3


def test_a_teachers_journals_and_the_overview(w: World) -> None:
    journals = control.teacher_control(w.actors["deputy"], w.users["teacher"].id, START, TODAY, TODAY)
    assert [j.title for j in journals] == ["7А Математика"]
    lines = {line.name: line for line in control.teachers_overview(w.actors["deputy"], START, TODAY, TODAY)}
    mine = lines["Учителев Иван Иванович"]
    assert (mine.journals, mine.lessons, mine.no_topic, mine.marks, mine.fill_text) == (1, 2, 1, 2, "1,00")
    assert lines["Классная Клара Карловна"].lessons == 1
    assert "Воспитателева Вера Викторовна" in lines


def test_objectivity_flags_marks_far_from_the_current_ones_and_periods_without_control_work(w: World) -> None:
    period = Period.get(Period.kind == "quarter")
    s7, math, c7 = w.students["7А"], w.subjects["math"], w.classes["7А"]
    for lesson in (w.lessons["7А"], w.lessons["done"]):
        Mark.create(student=s7, lesson=lesson, value="3")
    PeriodMark.create(student=s7, subject=math, school_class=c7, period=period, value="5", reason="олимпиада")
    _, flags = control.objectivity(w.actors["deputy"], c7.id, period.id, TODAY)
    rules = [(f.rule, f.pupil, f.subject) for f in flags]
    assert rules == [("no_control", "", "Математика"), ("far", "Учеников К.", "Математика")]
    far = flags[1]
    assert far.rule_text == control.OBJECTIVITY_RULES["far"]
    assert far.detail == "итоговая 5, средний балл 3,75, предложено 4; причина учителя: олимпиада"


def test_a_control_work_and_a_fitting_mark_raise_nothing(w: World) -> None:
    period = Period.get(Period.kind == "quarter")
    control_work = WorkType.create(school=w.school, name="Контрольная работа", weight=2, is_control=True)
    Mark.create(student=w.students["7А"], lesson=w.lessons["7А"], value="4", work_type=control_work)
    PeriodMark.create(student=w.students["7А"], subject=w.subjects["math"], school_class=w.classes["7А"], period=period, value="4")
    _, flags = control.objectivity(w.actors["deputy"], w.classes["7А"].id, period.id, TODAY)
    assert flags == []


def test_a_planned_control_lesson_counts_as_a_control_work(w: World) -> None:
    PlanItem.update(kind="контрольная").where(PlanItem.id == w.plan[0].id).execute()
    _, flags = control.objectivity(w.actors["deputy"], w.classes["7А"].id, today=TODAY)
    assert [f.rule for f in flags] == []


def test_a_mark_unlike_the_proposal_is_a_mismatch(w: World) -> None:
    period = Period.get(Period.kind == "quarter")
    Mark.create(student=w.students["7А"], lesson=w.lessons["7А"], value="4")  # 5, 4, 4 → 4,33 → 4
    PeriodMark.create(student=w.students["7А"], subject=w.subjects["math"], school_class=w.classes["7А"], period=period, value="5")
    _, flags = control.objectivity(w.actors["deputy"], w.classes["7А"].id, period.id, TODAY)
    assert [f.rule for f in flags if f.student_id] == ["mismatch"]


def test_activity_of_pupils_and_parents(w: World) -> None:
    LoginEvent.create(user=w.users["parent"], login="parent", outcome="ok", at=dt.datetime(2026, 11, 20, 19))
    LoginEvent.create(user=w.users["student"], login="student", outcome="bad_password", at=dt.datetime(2026, 11, 20, 19))
    lines = {line.class_name: line for line in control.activity(w.actors["deputy"], START, TODAY)}
    seven = lines["7А"]
    assert (seven.pupils, seven.pupils_with_account, seven.pupils_active, seven.parents, seven.parents_active) == (1, 1, 0, 1, 1)


def test_refusals_and_bad_spans(w: World) -> None:
    for role in ("teacher", "class_teacher", "parent", "secretary"):
        with pytest.raises(PermissionDenied):
            control.class_control(w.actors[role], w.classes["7А"].id, START, TODAY)
    with pytest.raises(InvalidInput):
        control.class_control(w.actors["deputy"], w.classes["7А"].id, TODAY, START)
    with pytest.raises(NotFound):
        control.teacher_control(w.actors["deputy"], w.users["other_admin"].id, START, TODAY)
    assert [c.name for c in control.classes(w.actors["deputy"])] == ["7А", "8Б", "ГКП"]
    assert [p.name for p in control.periods(w.actors["deputy"], TODAY)] == ["2 четверть"]
    assert control.periods(w.actors["other_admin"], TODAY) == []


def test_objectivity_skips_subjects_without_control_works(w: World) -> None:
    """Музыка, ИЗО, Физкультура have no control works: no «нет контрольной» flag for them."""
    from tui_journal.db.models import Subject

    c7, t = w.classes["7А"], w.users["teacher"]
    music = Subject.create(school=w.school, name="Музыка", has_control_works=False)
    Lesson.create(school_class=c7, subject=music, date=dt.date(2026, 11, 18), number=2, teacher=t)
    _, flags = control.objectivity(w.actors["deputy"], c7.id, today=TODAY)
    assert [(f.rule, f.subject) for f in flags] == [("no_control", "Математика")]
    no_control = flags[0]
    assert "2 урока," in no_control.detail  # not «2 уроков»
    Subject.update(has_control_works=True).where(Subject.id == music.id).execute()
    _, flags = control.objectivity(w.actors["deputy"], c7.id, today=TODAY)
    assert ("no_control", "Музыка") in [(f.rule, f.subject) for f in flags]
