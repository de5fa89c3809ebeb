"""The attendance roll, the lesson panel and the thematic plan at 80x24 (Pilot, real SQLite)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.widgets import Input, Label, OptionList

from tests.services.world import World, fingerprint, make_student
from tests.ui.conftest import SIZE, screen_text, settle, type_text
from tests.ui.pilot import app_with_exports, press, push
from tui_journal.db.models import Attendance, IndividualHomework, Lesson, Mark, PlanItem
from tui_journal.i18n import t
from tui_journal.screens import sections
from tui_journal.screens.journal_pick import PlanPickScreen
from tui_journal.screens.journal_sections import JOURNAL_SECTIONS
from tui_journal.screens.lesson_panel import LessonPanelScreen
from tui_journal.screens.plan import PlanScreen, parse_item
from tui_journal.screens.roll import RollScreen
from tui_journal.services import journal
from tui_journal.services import roles as R
from tui_journal.services.errors import InvalidInput
from tui_journal.widgets.edit_line import EditLine

make_app = app_with_exports


def ref_of(w: World) -> journal.JournalRef:
    cls = w.classes["7А"]
    return journal.JournalRef(cls.id, "7А", w.subjects["math"].id, "Математика", writable=True)


# --- sections --------------------------------------------------------------------------------


def test_sections_are_registered_for_the_right_roles(journal_sections: None) -> None:
    by_key = {s.key: s for s in JOURNAL_SECTIONS}
    assert {s.key for s in sections.sections_for([R.TEACHER])} >= {"journal", "roll", "plan"}
    assert "journal" in {s.key for s in sections.sections_for([R.DEPUTY])}
    assert not {"roll", "plan"} & {s.key for s in sections.sections_for([R.DEPUTY])}
    assert {"journal", "roll"} <= {s.key for s in sections.sections_for([R.EDUCATOR])}
    assert not {"journal", "roll", "plan"} & {s.key for s in sections.sections_for([R.STUDENT, R.PARENT, R.SECRETARY])}
    assert all(s.exists() for s in by_key.values())
    assert by_key["plan"].title == "Тематическое планирование"


# --- the roll ------------------------------------------------------------------------------


async def test_roll_marks_pupils_with_keys_and_enter_records_it(world: World, tmp_path: Path) -> None:
    teacher = world.actors["teacher"]
    lesson = world.lessons["7А"]
    first = world.students["7А"]  # «Учеников»
    second = make_student(world.school, world.classes["7А"], "Яковлев", "Яков")
    out: dict[str, str] = {}

    app = make_app(tmp_path, teacher)
    async with app.run_test(size=SIZE) as pilot:
        await push(pilot, RollScreen(day=dt.date(2026, 11, 27)))
        out["day"] = screen_text(app)
        out["list"] = await press(pilot, "enter")  # his one lesson of the day
        await pilot.press("space")  # Учеников: absent; the cursor goes to the next pupil
        await settle(pilot)
        out["marked"] = await press(pilot, "b")  # Яковлев: ill (Latin layout)
        assert Lesson.get_by_id(lesson.id).roll_taken_at is None
        out["taken"] = await press(pilot, "enter")
    assert "1-й урок · 7А · Математика" in out["day"]
    assert "Учеников К." in out["list"] and "Яковлев Я." in out["list"]
    codes = {a.student_id: a.code for a in Attendance.select().where(Attendance.lesson == lesson.id)}
    assert codes == {first.id: "н", second.id: "б"}
    marks = [m.value for m in Mark.select().where(Mark.lesson == lesson.id)]
    assert marks == ["4"]  # the mark in Учеников's cell is kept
    assert Lesson.get_by_id(lesson.id).roll_taken_at is not None
    assert "б — болеет" in out["marked"]
    assert "Посещаемость записана" in out["taken"] and "отсутствуют 2" in out["taken"]


async def test_roll_says_when_there_are_no_lessons(world: World, tmp_path: Path) -> None:
    app = make_app(tmp_path, world.actors["teacher"])
    async with app.run_test(size=SIZE) as pilot:
        await push(pilot, RollScreen(day=dt.date(2026, 11, 26)))
        empty = screen_text(app)
        await pilot.press("right_square_bracket")  # next day: 27.11 has his lesson
        await settle(pilot)
        empty, text = empty, screen_text(app)
    assert "На 26.11.2026 (четверг) у вас нет уроков" in empty
    assert "1-й урок · 7А · Математика" in text and "27.11.2026" in text


# --- the lesson panel -------------------------------------------------------------------------


async def test_lesson_panel_saves_a_topic_from_the_plan_and_homework(world: World, tmp_path: Path) -> None:
    teacher = world.actors["teacher"]
    lesson = world.lessons["7А"]
    pupil = world.students["7А"]
    second_topic = world.plan[1]

    app = make_app(tmp_path, teacher)
    async with app.run_test(size=SIZE) as pilot:
        await push(pilot, LessonPanelScreen(lesson.id, pupils=[(pupil.id, "Учеников К.")]))
        screen = app.screen
        plan = screen.query_one("#lesson-plan", OptionList)
        plan.focus()
        plan.highlighted = 1  # «Проценты»
        await pilot.press("enter")
        await settle(pilot)
        assert screen.query_one("#lesson-topic", Input).value == "Проценты"
        screen.query_one("#lesson-homework").focus()
        await type_text(pilot, "Выучить правило")
        await pilot.press("tab")
        await type_text(pilot, "45-46")
        await pilot.press("tab")
        await type_text(pilot, "№ 12, 14")
        await pilot.press("tab")
        await type_text(pilot, "4.12")  # «к дате»: due in a week, not at the next lesson
        await pilot.press("f2")
        await settle(pilot)
        individual = screen.query_one("#lesson-individual", OptionList)
        individual.focus()
        individual.highlighted = 0
        await pilot.press("enter")
        await type_text(pilot, "Карточка 5")
        text = await press(pilot, "enter")
    saved = Lesson.get_by_id(lesson.id)
    assert (saved.topic, saved.plan_item_id) == ("Проценты", second_topic.id)
    assert saved.topic_set_at is not None
    assert (saved.homework, saved.homework_pages, saved.homework_tasks) == ("Выучить правило", "45-46", "№ 12, 14")
    assert saved.homework_due == saved.date.replace(month=12, day=4)
    assert "К дате" in text
    assert [(h.student_id, h.text) for h in IndividualHomework.select()] == [(pupil.id, "Карточка 5")]
    assert "Учеников К. — Карточка 5" in text


async def test_lesson_panel_is_read_only_for_the_deputy(world: World, tmp_path: Path) -> None:
    before = fingerprint()

    app = make_app(tmp_path, world.actors["deputy"])
    async with app.run_test(size=SIZE) as pilot:
        await push(pilot, LessonPanelScreen(world.lessons["7А"].id))
        text = await press(pilot, "f2")
    assert fingerprint() == before
    assert t("lesson.read_only") in text


# --- the plan ---------------------------------------------------------------------------------


async def test_plan_screen_adds_a_topic_and_lays_the_plan_onto_lessons(world: World, tmp_path: Path) -> None:
    teacher = world.actors["teacher"]
    lesson = world.lessons["7А"]
    out: dict[str, str] = {}

    app = make_app(tmp_path, teacher)
    async with app.run_test(size=SIZE) as pilot:
        await push(pilot, PlanScreen(ref_of(world)))
        out["start"] = screen_text(app)
        await pilot.press("down")  # after «Проценты»
        await pilot.press("insert")
        await type_text(pilot, "Уравнения; 2; контр")
        out["added"] = await press(pilot, "enter")
        await pilot.press("f6")  # asks first, with the count of lessons
        await settle(pilot)
        out["asked"] = " ".join(screen_text(app).split())
        plan_item_while_asking = Lesson.get_by_id(lesson.id).plan_item_id
        out["laid"] = await press(pilot, "enter")
    assert "Разложить темы плана по урокам: тему получат уроков — 1? Enter — да, Esc — нет" in out["asked"]
    assert plan_item_while_asking is None
    items = [(p.ordinal, p.topic, p.hours, p.kind) for p in PlanItem.select().order_by(PlanItem.ordinal)]
    assert items == [(1, "Дроби", 1, "обычный"), (2, "Проценты", 1, "обычный"), (3, "Уравнения", 2, "контрольная")]
    assert Lesson.get_by_id(lesson.id).plan_item_id == world.plan[0].id
    assert "Дроби" in out["start"] and "Часов по плану: 2" in out["start"]
    assert "Уравнения" in out["added"] and "контр." in out["added"] and "Часов по плану: 4" in out["added"]
    assert "Темы разложены по урокам: назначено уроков — 1" in out["laid"]


async def test_esc_on_a_typed_edit_line_asks_once_and_typing_on_takes_the_question_back(
    world: World, tmp_path: Path
) -> None:
    """An untouched line closes on Esc; a typed one says «Esc ещё раз — отменить ввод» first;
    typing on brings the prompt back, Enter still saves; the second Esc drops the line."""
    app = make_app(tmp_path, world.actors["teacher"])
    async with app.run_test(size=SIZE) as pilot:
        await push(pilot, PlanScreen(ref_of(world)))
        line = app.screen.query_one(EditLine)
        prompt = app.screen.query_one("#plan-edit-prompt", Label)
        await pilot.press("insert", "escape")
        await settle(pilot)
        untouched_closed = not line.is_open
        await pilot.press("insert")
        opened_prompt = str(prompt.render())
        await type_text(pilot, "Уравнения")
        await pilot.press("escape")
        await settle(pilot)
        asked = (line.is_open, str(prompt.render()))
        await type_text(pilot, "; 2")
        await settle(pilot)
        back = str(prompt.render())
        await pilot.press("escape", "escape")
        await settle(pilot)
        dropped_closed = not line.is_open
        await pilot.press("insert")
        await type_text(pilot, "Неравенства")
        await pilot.press("escape")
        saved = await press(pilot, "enter")  # the question does not stop Enter from saving
    assert untouched_closed and dropped_closed
    assert asked == (True, t("edit_line.esc_again")) and back == opened_prompt != asked[1]
    topics = [p.topic for p in PlanItem.select().order_by(PlanItem.ordinal)]
    assert "Уравнения" not in topics and "Неравенства" in topics and "Неравенства" in saved

async def test_plan_edit_move_delete(world: World, tmp_path: Path) -> None:
    teacher = world.actors["teacher"]
    steps: list[list[str]] = []

    def topics() -> list[str]:
        return [p.topic for p in PlanItem.select().order_by(PlanItem.ordinal)]

    app = make_app(tmp_path, teacher)
    async with app.run_test(size=SIZE) as pilot:
        await push(pilot, PlanScreen(ref_of(world)))
        await pilot.press("f2")  # edit «Дроби»
        edit = app.screen.query_one("#plan-edit-input", Input)
        assert edit.value == "Дроби; 1"
        edit.value = ""
        await type_text(pilot, "Обыкновенные дроби; 2")
        await pilot.press("enter")
        await settle(pilot)
        steps.append(topics())
        await pilot.press("ctrl+down")
        await settle(pilot)
        steps.append(topics())
        await pilot.press("delete")  # asks first
        await settle(pilot)
        steps.append(topics())
        await pilot.press("delete")
        await settle(pilot)
        steps.append(topics())
        text = screen_text(app)
    assert steps[0] == ["Обыкновенные дроби", "Проценты"]
    assert steps[1] == ["Проценты", "Обыкновенные дроби"]
    assert steps[2] == steps[1]
    assert steps[3] == ["Проценты"]
    assert "Тема удалена: Обыкновенные дроби" in text


def test_parse_item_reads_topic_hours_and_kind() -> None:
    assert parse_item("Дроби") == ("Дроби", 1.0, "обычный")
    assert parse_item("Дроби; 1,5; лаб") == ("Дроби", 1.5, "лабораторная")
    with pytest.raises(InvalidInput):
        parse_item("Дроби; много")
    with pytest.raises(InvalidInput):
        parse_item("Дроби; 1; экскурсия")


async def test_plan_chooser_lists_only_his_own_journals(
    world: World, tmp_path: Path, journal_sections: None
) -> None:
    app = make_app(tmp_path, world.actors["teacher"])
    async with app.run_test(size=SIZE) as pilot:
        section = sections.get_section("plan")
        assert section is not None
        await push(pilot, section.make_screen())
        assert isinstance(app.screen, PlanPickScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        text = screen_text(app)
    assert "7А — Математика" in text and "Проценты" in text
