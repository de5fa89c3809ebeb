"""Daily use at 80x24: nothing lost by a wrong key, a lesson in few keys, readable screens
(Pilot, real SQLite). Each test fails on the code before issue 11."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from tests.services.world import World
from tests.ui.conftest import SIZE, Person, screen_text, settle, type_text
from tests.ui.pilot import app_with_exports, current, press, push, wait_until
from tui_journal.db.models import Lesson
from tui_journal.screens.lesson_panel import LessonPanelScreen
from tui_journal.services.actor import Actor
from tui_journal.widgets.confirm import ConfirmLine
from tui_journal.widgets.status import StatusLine

make_app = app_with_exports


# --- the lesson panel ---------------------------------------------------------------------


@pytest.mark.parametrize("answer", ["escape", "n", "enter"])
async def test_lesson_panel_esc_with_edited_homework_asks(world: World, tmp_path: Path, answer: str) -> None:
    lesson = world.lessons["7А"]
    out: dict[str, object] = {}

    app = make_app(tmp_path, world.actors["teacher"])
    async with app.run_test(size=SIZE) as pilot:
        await push(pilot, LessonPanelScreen(lesson.id))
        panel = app.screen
        field = panel.query_one("#lesson-homework", Input)
        field.focus()
        await type_text(pilot, "§ 15")
        await pilot.press("escape")
        await settle(pilot)
        out["asked"] = " ".join(screen_text(app).split())
        out["still_panel"] = app.screen is panel
        out["after"] = await press(pilot, answer)
        out["panel_after"] = app.screen is panel
        out["value"] = field.value
    assert out["still_panel"]
    assert "Сохранить изменения? Enter — сохранить, N — не сохранять, Esc — остаться" in str(out["asked"])
    saved = Lesson.get_by_id(lesson.id).homework
    if answer == "escape":  # stay: the text is still in the field
        assert out["panel_after"] and out["value"] == "§ 15" and saved == ""
    elif answer == "n":  # leave without saving, as asked
        assert not out["panel_after"] and saved == ""
    else:  # save, then leave
        assert not out["panel_after"] and saved == "§ 15"


async def test_lesson_panel_offers_the_next_plan_topic_and_fits_24_rows(world: World, tmp_path: Path) -> None:
    # «Дроби» was held on an earlier lesson: the panel offers «Проценты» for one key
    earlier = Lesson.create(
        school_class=world.classes["7А"], subject=world.subjects["math"], date=dt.date(2026, 11, 20),
        number=1, teacher=world.users["teacher"], topic="Дроби", plan_item=world.plan[0],
        topic_set_at=dt.datetime(2026, 11, 20, 9),
    )
    assert earlier.id
    lesson = world.lessons["7А"]
    pupils = [(world.students["7А"].id, f"Ученик {i}") for i in range(1)]
    out: dict[str, object] = {}

    app = make_app(tmp_path, world.actors["teacher"])
    async with app.run_test(size=SIZE) as pilot:
        await push(pilot, LessonPanelScreen(lesson.id, pupils=pupils))
        out["open"] = screen_text(app)
        out["plan_row"] = app.screen.query_one("#lesson-plan", OptionList).highlighted
        out["pupil_row"] = app.screen.query_one("#lesson-individual", OptionList).highlighted
        await pilot.press("enter")  # the empty topic takes the offered one
        await pilot.press("f2")
        await settle(pilot)
    text = str(out["open"])
    assert "2. Проценты" in text.splitlines()[3]  # offered in the topic field
    assert "7А · Математика · 27.11.2026" in text  # the header is on screen
    assert "Индивидуальные задания" in text and "Ученик 0" in text  # the whole form fits
    assert out["plan_row"] == 1 and out["pupil_row"] == 0  # lists open on a row
    saved = Lesson.get_by_id(lesson.id)
    assert (saved.topic, saved.plan_item_id) == ("Проценты", world.plan[1].id)


async def test_confirm_line_swallows_other_keys(world: World, tmp_path: Path) -> None:
    app = make_app(tmp_path, world.actors["teacher"])
    async with app.run_test(size=SIZE) as pilot:
        await push(pilot, LessonPanelScreen(world.lessons["7А"].id))
        hits: list[str] = []
        current(app, LessonPanelScreen).confirm("Сделать?", lambda: hits.append("yes"))
        await pilot.pause()
        await type_text(pilot, "xy")
        await pilot.press("f2")
        await settle(pilot)
        line = app.screen.query_one(ConfirmLine)
        still_open, topic = line.is_open and not hits, app.screen.query_one("#lesson-topic", Input).value
    assert still_open and topic == ""


# --- enrollment -----------------------------------------------------------------------------


async def test_departure_asks_esc_keeps_the_pupil_and_the_selection_stays_on_him(admin: Actor) -> None:
    from textual.widgets import DataTable

    from tests.factories.school import build_school
    from tests.ui.conftest import make_app as make_plain_app
    from tui_journal.db.models import Enrollment
    from tui_journal.screens.enrollment import EnrollmentScreen

    school = build_school(admin)
    pupil = school.pupils["Выпускников"]
    out: dict[str, object] = {}

    def still_enrolled() -> bool:
        return Enrollment.get(Enrollment.student == pupil).end is None

    app = make_plain_app(actor=school.actors["sekretar"])
    async with app.run_test(size=SIZE) as pilot:
        await push(pilot, EnrollmentScreen())
        screen = current(app, EnrollmentScreen)
        await type_text(pilot, "в")
        await wait_until(pilot, lambda: any(h.id == pupil for h in screen.hits), "the debounced search")
        await settle(pilot)
        table = screen.query_one(DataTable)
        await pilot.press("down")  # into the list
        row = next(i for i, h in enumerate(screen.hits) if h.id == pupil)
        table.move_cursor(row=row)
        await pilot.press("f4")
        await settle(pilot)
        screen.query_one("#enr-f-order").focus()
        await type_text(pilot, "№ 50-у")
        out["asked"] = await press(pilot, "enter")
        out["enrolled_while_asking"] = still_enrolled()
        await pilot.press("escape")
        await settle(pilot)
        out["kept"] = still_enrolled()
        out["form_open"] = screen.mode == "depart"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        out["selected"] = screen.hits[table.cursor_row].id if 0 <= table.cursor_row < len(screen.hits) else None
        out["focus_table"] = app.focused is table
        out["after"] = screen_text(app)
    asked = " ".join(str(out["asked"]).split())  # the question may wrap onto a second line
    assert "Выбытие: Выпускников Вадим, 11А" in asked and "№ 50-у?" in asked and "Enter — да, Esc — нет" in asked
    assert out["enrolled_while_asking"] and out["kept"] and out["form_open"]
    assert not still_enrolled()
    assert out["selected"] == pupil and out["focus_table"]


# --- users: roles are edited, never replaced -----------------------------------------------


async def test_roles_plus_deputy_keeps_teacher_and_asks_first(
    admin: Actor, people: dict[str, Person]
) -> None:
    from textual.widgets import DataTable

    from tests.ui.conftest import make_app as make_plain_app
    from tui_journal.screens.users import UsersScreen, roles_edit
    from tui_journal.services import accounts
    from tui_journal.services import roles as R

    assert roles_edit((R.TEACHER,), "+завуч") == ([R.DEPUTY], [])
    assert roles_edit((R.TEACHER,), ", завуч") == ([R.DEPUTY], [])
    assert roles_edit((R.TEACHER, R.PARENT), "+завуч -учитель") == ([R.DEPUTY], [R.TEACHER])
    out: dict[str, object] = {}

    app = make_plain_app(actor=admin)
    async with app.run_test(size=SIZE) as pilot:
        await push(pilot, UsersScreen())
        screen = app.screen
        table = screen.query_one("#users-table", DataTable)
        row = next(i for i in range(table.row_count) if table.get_row_at(i)[0].plain == "teacher")
        table.focus()
        table.move_cursor(row=row)
        await pilot.press("f5")
        await settle(pilot)
        await type_text(pilot, "+завуч")
        await pilot.press("enter")
        await settle(pilot)
        out["asked"] = " ".join(screen_text(app).split())
        out["roles_while_asking"] = accounts.get_user(admin, "teacher").roles
        await pilot.press("enter")
        await settle(pilot)
    assert "Роли teacher станут: учитель, зам. по УВР (+зам. по УВР)?" in str(out["asked"])
    assert out["roles_while_asking"] == (R.TEACHER,)
    assert set(accounts.get_user(admin, "teacher").roles) == {R.TEACHER, R.DEPUTY}


# --- class teacher: passwords for one or for all, asked with the count ----------------------


async def test_class_teacher_reissues_one_parent_or_asks_for_the_whole_class(
    world: World, tmp_path: Path
) -> None:
    from tui_journal.db.models import User
    from tui_journal.screens.classteacher import ClassTeacherScreen

    def hashes() -> dict[str, str]:
        return {u.login: str(u.password_hash) for u in User.select().where(User.login.in_(["otherstudent", "otherparent"]))}

    before = hashes()
    out: dict[str, object] = {}

    app = make_app(tmp_path, world.actors["class_teacher"])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(ClassTeacherScreen())  # not awaited: awaiting its mount leaves settle() a cancelled loader
        await settle(pilot)
        await pilot.press("f6")  # the whole class: asked with the count; Esc keeps every password
        await settle(pilot)
        out["all"] = " ".join(screen_text(app).split())
        await pilot.press("escape")
        await settle(pilot)
        out["after_esc"] = hashes()
        await pilot.press("2")  # the class list: the pupil, then his parent
        await settle(pilot)
        screen = current(app, ClassTeacherScreen)
        row = next(i for i, (_, idx) in enumerate(screen.pupil_rows) if idx == 0)
        screen.table.move_cursor(row=row)
        await pilot.press("f6")
        await settle(pilot)
        out["one"] = " ".join(screen_text(app).split())
        out["slips"] = await press(pilot, "enter")
    assert "Новые пароли всему классу 8Б: 2 уч. записей" in str(out["all"])
    assert out["after_esc"] == before
    assert "Новый пароль для Чужая Чара (otherparent)?" in str(out["one"])
    after = hashes()
    assert after["otherstudent"] == before["otherstudent"] and after["otherparent"] != before["otherparent"]
    assert "otherparent" in str(out["slips"]) and "otherstudent" not in str(out["slips"])


# --- the grade grid: marks move on, Ctrl+Z says what it undid, a code over a mark asks ---------


async def test_grid_mark_moves_to_the_next_pupil_undo_says_what_and_code_over_mark_asks(
    world: World, tmp_path: Path
) -> None:
    from tests.services.world import make_student
    from tests.ui.test_grid import cell_marks, code_of, open_grid, ref_of

    lesson = world.lessons["7А"]
    first = world.students["7А"]  # «Учеников К.», «4» in the cell
    second = make_student(world.school, world.classes["7А"], "Яковлев", "Яков")
    third = make_student(world.school, world.classes["7А"], "Яшин", "Лев")
    ref, teacher = ref_of(world)
    out: dict[str, object] = {}
    asked: tuple[str, str | None] = ("", None)

    app = make_app(tmp_path, teacher)
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(pilot, ref)
        status = app.screen.query_one(StatusLine)
        await pilot.press("5")  # Учеников: 5, then on to Яковлев
        await pilot.press("4", "slash", "3")  # Яковлев: «4/3» (the «/» goes back to his cell)
        await settle(pilot)
        out["row"] = grid.row
        await pilot.press("ctrl+z")
        await settle(pilot)
        out["undo"] = status.message
        await pilot.press("up", "up")  # Учеников, «5»
        await pilot.press("н")
        await settle(pilot)
        asked = (status.message, code_of(lesson.id, first.id))
        await pilot.press("н")
        await settle(pilot)
    assert cell_marks(lesson.id, first.id) == ["5"]
    assert cell_marks(lesson.id, second.id) == ["4"]  # «4/3» undone to «4»
    assert cell_marks(lesson.id, third.id) == []
    assert out["row"] == 2  # on Яшин after «4/3»
    assert out["undo"] == "Отменено: Яковлев Я., 27.11 — снова «4» (было «4/3»)"
    message, code = asked
    assert "В клетке отметка «5»: поставить «н» вместе с ней?" in message and code is None
    assert code_of(lesson.id, first.id) == "н"


# --- readable at 80x24 ----------------------------------------------------------------------


async def test_school_setup_is_visible_on_the_admins_home_without_scrolling(admin: Actor) -> None:
    from tests.ui.conftest import log_in
    from tests.ui.conftest import make_app as make_plain_app
    from tui_journal.app import register_sections

    register_sections()

    app = make_plain_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await log_in(pilot, "admin", "Admin-pass-2026")
        text = screen_text(app)
    assert "Настройка школы" in text and "Пользователи" in text


async def test_the_demo_schools_login_screen_shows_all_eight_logins(tmp_path: Path) -> None:
    from tests.conftest import _open
    from tests.ui.conftest import make_app as make_plain_app
    from tui_journal.db.database import sqlite_url
    from tui_journal.db.demo import build_demo, demo_logins

    url = sqlite_url(tmp_path / "demo.db")
    build_demo(url, size="tiny")
    database = _open(url)

    async def main() -> str:
        app = make_plain_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            return screen_text(app)

    try:
        text = await main()
    finally:
        database.close()
    for entry in demo_logins(1):
        assert f"{entry.login} / {entry.password}" in text, entry.role


async def test_timetable_opens_on_a_class_picks_by_part_of_a_name_and_shows_subject_and_room(
    admin: Actor
) -> None:
    from tests.factories.school import build_school
    from tests.ui.conftest import make_app as make_plain_app
    from tui_journal.db.models import TimetableSlot
    from tui_journal.screens.admin_timetable import TimetableScreen
    from tui_journal.services import setup
    from tui_journal.widgets.picker import Picker

    build_school(admin)
    setup.add_room(admin, "каб. 217")
    setup.add_subject(admin, "Физическая культура")
    out: dict[str, str] = {}

    app = make_plain_app(actor=admin)
    async with app.run_test(size=SIZE) as pilot:
        await push(pilot, TimetableScreen())
        screen = app.screen
        out["open"] = screen_text(app)
        out["class"] = screen.query_one("#tt-class", Picker).text
        await type_text(pilot, "7а")  # replaces the class shown
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        for key, text in (("subject", "физ"), ("teacher", "иван"), ("room", "217")):
            screen.query_one(f"#tt-f-{key}", Picker).input.focus()
            await type_text(pilot, text)
        out["form"] = screen_text(app)
        out["added"] = await press(pilot, "enter")
    assert out["class"] == "1А" and "Класс:    1А" in out["open"]  # a real class, shown at once
    assert "→ Физическая культура" in out["form"] and "→ Иванова" in out["form"]
    slot = TimetableSlot.get()
    assert slot.room is not None
    assert (slot.subject.name, slot.teacher.login, slot.room.name) == ("Физическая культура", "ivanova", "каб. 217")
    assert "Физ-ра 217" in out["added"]
    assert all(len(line) <= 80 for line in out["added"].splitlines())


def test_setup_lines_take_a_teacher_or_room_by_part_of_the_name(admin: Actor) -> None:
    from tests.factories.school import build_school
    from tui_journal.screens.admin_setup_parts import WeekPart, teacher_login
    from tui_journal.services.errors import InvalidInput, NotFound

    build_school(admin)
    assert teacher_login(admin, "ivanova") == "ivanova"
    assert teacher_login(admin, "иван") == "ivanova"  # part of the surname was enough
    with pytest.raises(NotFound):
        teacher_login(admin, "космонавт")
    with pytest.raises(InvalidInput) as many:
        teacher_login(admin, "ов")  # Иванова, Петров, Сидорова, Орлова…
    assert "Уточните" in many.value.message
    week = WeekPart()
    with pytest.raises(InvalidInput):
        week.add(admin, "2")  # rooms «12» and «21»: which one?
    assert week.state.get("who", "") == ""
    week.add(admin, "21")
    assert "21" in week.listing(admin).note
    week.add(admin, "петр")
    assert "petrov" in week.listing(admin).note


async def test_plan_opens_on_the_first_topic_not_held(world: World, tmp_path: Path) -> None:
    from tui_journal.screens.plan import PlanScreen
    from tui_journal.services import journal

    Lesson.update(plan_item=world.plan[0].id, topic="Дроби", topic_set_at=dt.datetime(2026, 11, 27, 9)).where(
        Lesson.id == world.lessons["7А"].id
    ).execute()
    cls = world.classes["7А"]
    ref = journal.JournalRef(cls.id, "7А", world.subjects["math"].id, "Математика", writable=True)

    async def main() -> str:
        app = make_app(tmp_path, world.actors["teacher"])
        async with app.run_test(size=SIZE) as pilot:
            await push(pilot, PlanScreen(ref))
            row = current(app, PlanScreen).current()
            return row.topic if row else ""

    assert (await main()) == "Проценты"


def test_lesson_info_offers_the_item_laid_onto_the_lesson_else_the_first_not_given(world: World) -> None:
    from tui_journal.services import journal

    teacher, lesson = world.actors["teacher"], world.lessons["7А"]
    assert journal.lesson_info(teacher, lesson.id).next_plan_item_id == world.plan[0].id
    # a later lesson laid onto «Дроби» (no topic given yet) does not hold it
    Lesson.create(
        school_class=world.classes["7А"], subject=world.subjects["math"], date=dt.date(2026, 12, 1),
        number=1, teacher=world.users["teacher"], plan_item=world.plan[0],
    )
    assert journal.lesson_info(teacher, lesson.id).next_plan_item_id == world.plan[0].id
    # the plan laid «Проценты» onto this lesson: that one is offered
    Lesson.update(plan_item=world.plan[1].id).where(Lesson.id == lesson.id).execute()
    assert journal.lesson_info(teacher, lesson.id).next_plan_item_id == world.plan[1].id


async def test_enrollment_form_esc_with_typed_lines_asks_first(admin: Actor) -> None:
    from tests.factories.school import build_school
    from tests.ui.conftest import make_app as make_plain_app
    from tui_journal.screens.enrollment import EnrollmentScreen

    school = build_school(admin)
    out: dict[str, object] = {}

    app = make_plain_app(actor=school.actors["sekretar"])
    async with app.run_test(size=SIZE) as pilot:
        await push(pilot, EnrollmentScreen())
        screen = current(app, EnrollmentScreen)
        await pilot.press("f2")
        await settle(pilot)
        await type_text(pilot, "Новикова")
        await pilot.press("escape")
        await settle(pilot)
        out["asked"] = screen.asking
        await pilot.press("escape")  # stay
        await settle(pilot)
        out["kept"] = (screen.mode, screen.query_one("#enr-f-last", Input).value)
        await pilot.press("escape", "n")  # leave without saving
        await settle(pilot)
        out["closed"] = screen.mode
    assert out["asked"] and out["kept"] == ("new", "Новикова") and out["closed"] is None
