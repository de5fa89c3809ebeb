"""The admin's timetable editor (class by class, conflicts named on the status line) and the
curriculum grid, at 80x24, keyboard only."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from tests.factories.school import build_school
from tests.ui.conftest import SIZE, make_app, screen_text, settle, type_text
from tests.ui.pilot import press, push, question
from tui_journal.db.models import Curriculum, TimetableSlot
from tui_journal.i18n import t
from tui_journal.screens.admin_curriculum import CurriculumScreen
from tui_journal.screens.admin_timetable import TimetableScreen
from tui_journal.services import timetable
from tui_journal.services.actor import Actor
from tui_journal.widgets.picker import Picker


async def _fill(pilot: Pilot[None], values: dict[str, str]) -> None:
    for key, text in values.items():
        field = pilot.app.screen.query_one(f"#tt-f-{key}")
        (field.input if isinstance(field, Picker) else field).focus()
        await type_text(pilot, text)


async def test_timetable_editor_adds_lessons_and_names_the_conflict(admin: Actor) -> None:
    school = build_school(admin)
    timetable.add_slot(admin, school.classes["7Б"], school.subjects["Русский язык"], "petrov", 1, 2)

    app = make_app(actor=admin)
    async with app.run_test(size=SIZE) as pilot:
        await push(pilot, TimetableScreen())
        await type_text(pilot, "7а")
        await pilot.press("enter")
        await settle(pilot)
        # the cursor starts on Monday, lesson 1
        await pilot.press("f2")
        await settle(pilot)
        await _fill(pilot, {"subject": "математика", "teacher": "ivanova", "room": "12"})
        form = screen_text(app)
        added = await press(pilot, "enter")
        # Monday, lesson 2: petrov already teaches 7Б then
        await pilot.press("down", "f2")
        await settle(pilot)
        await _fill(pilot, {"subject": "Русский язык", "teacher": "petrov"})
        refused = await press(pilot, "enter")
    assert "7А, понедельник, 1-й урок" in form and "Учитель" in form
    assert "Матем 12" in added
    assert "Учитель Петров П. занят (пн, 2-й урок): 7Б, Русский язык" in refused, refused
    assert TimetableSlot.select().count() == 2


async def test_timetable_form_asks_before_throwing_typed_fields_away(admin: Actor) -> None:
    school = build_school(admin)

    app = make_app(actor=admin)
    async with app.run_test(size=SIZE) as pilot:
        await push(pilot, TimetableScreen())
        await type_text(pilot, "7а")
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen.query_one("#tt-form")
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        untouched = (form.has_class("-open"), question(app))
        await pilot.press("f2")
        await settle(pilot)
        await _fill(pilot, {"subject": "математика", "teacher": "ivanova"})
        await pilot.press("escape")
        await settle(pilot)
        asked, still_open = question(app), form.has_class("-open")
        await pilot.press("escape")  # Esc again: the question goes, the form and its lines stay
        await settle(pilot)
        kept = (form.has_class("-open"), app.screen.query_one("#tt-f-teacher", Picker).text)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        thrown = form.has_class("-open")
    assert untouched == (False, "")
    assert asked == t("confirm.unsaved") and still_open
    assert kept == (True, "ivanova")
    assert not thrown and not TimetableSlot.select().where(TimetableSlot.school_class == school.classes["7А"]).count()

async def test_curriculum_grid_edits_hours(admin: Actor) -> None:
    school = build_school(admin)

    app = make_app(actor=admin)
    async with app.run_test(size=SIZE) as pilot:
        await push(pilot, CurriculumScreen())
        # subjects are sorted by name: Английский язык, Математика, Русский язык; rows 1А, 7А…
        await pilot.press("down", "right", "right", "enter")
        await settle(pilot)
        await type_text(pilot, "5")
        text = await press(pilot, "enter")
    row = Curriculum.get(Curriculum.school_class == school.classes["7А"])
    assert (row.subject_id, row.hours_per_week) == (school.subjects["Математика"], 5)
    assert "Сохранено" in text
    assert len(text.splitlines()) == 24


async def test_substitutions_offer_only_free_teachers(admin: Actor) -> None:
    import datetime as dt

    from tui_journal.db.models import Lesson
    from tui_journal.screens.admin_substitutions import SubstitutionsScreen

    school = build_school(admin)
    monday = dt.date(2026, 9, 7)
    timetable.add_slot(admin, school.classes["7А"], school.subjects["Математика"], "ivanova", 1, 1)
    timetable.add_slot(admin, school.classes["7Б"], school.subjects["Русский язык"], "petrov", 1, 1)
    timetable.generate_lessons(admin, monday, monday)

    app = make_app(actor=admin)
    async with app.run_test(size=SIZE) as pilot:
        await push(pilot, SubstitutionsScreen())
        field = app.screen.query_one("#sub-date", Input)
        field.value = ""
        await type_text(pilot, "07.09.2026")
        await pilot.press("enter")
        await settle(pilot)
        offered = await press(pilot, "enter")  # the first lesson: 7А, Математика, ivanova
        free = app.screen.query_one("#sub-free", OptionList)
        logins = [str(free.get_option_at_index(i).id) for i in range(free.option_count)]
        await pilot.press("enter")  # the first free teacher
        await settle(pilot)
        logins, offered, done = logins, offered, screen_text(app)
    assert sorted(logins) == ["orlova", "sidorova"]  # petrov teaches 7Б then: not offered
    assert "Орлова О." in offered and "Сидорова С." in offered
    lesson = Lesson.get((Lesson.school_class == school.classes["7А"]) & (Lesson.date == monday))
    assert lesson.replaced_teacher is not None and lesson.replaced_teacher.login == "ivanova" and lesson.teacher.login in ("orlova", "sidorova")
    assert "Замена:" in done
