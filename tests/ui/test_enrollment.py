"""The secretary's enrollment screen at 80x24: search as you type, a new pupil in one form
and Enter, departure of the selected pupil, errors on the status line; keyboard only."""

from __future__ import annotations

import datetime as dt

from textual.pilot import Pilot
from textual.widgets import DataTable

from tests.factories.school import build_school
from tests.ui.conftest import SIZE, make_app, screen_text, settle, type_text
from tests.ui.pilot import current, press, push, wait_until
from tui_journal.db.models import Enrollment, GuardianLink, Student
from tui_journal.screens import admin_sections, sections
from tui_journal.screens.enrollment import EnrollmentScreen
from tui_journal.services.actor import Actor


async def _field(pilot: Pilot[None], key: str, text: str) -> None:
    pilot.app.screen.query_one(f"#enr-f-{key}").focus()
    await type_text(pilot, text)


async def _search(pilot: Pilot[None], text: str) -> None:
    """Type ``text`` into the search line and wait for its (debounced) result."""
    screen = current(pilot.app, EnrollmentScreen)
    await type_text(pilot, text)
    await wait_until(pilot, lambda: screen.shown_search == text, f"the search for {text!r}")
    await settle(pilot)


def test_the_sections_are_registered_for_secretary_and_admin() -> None:
    admin_sections.register_all()
    keys = {s.key for s in sections.sections_for({"secretary"})}
    assert "enrollment" in keys and "admin_curriculum" not in keys
    assert "enrollment" not in {s.key for s in sections.sections_for({"teacher"})}


async def test_search_enrol_and_depart_from_one_screen(admin: Actor) -> None:
    school = build_school(admin)
    secretary = school.actors["sekretar"]

    app = make_app(actor=secretary)
    async with app.run_test(size=SIZE) as pilot:
        await push(pilot, EnrollmentScreen())
        await _search(pilot, "вор")
        found = screen_text(app)
        # a new pupil: F2, one line per field, Enter saves
        await pilot.press("f2")
        await settle(pilot)
        await type_text(pilot, "[Новикова]")
        for key, text in (
            ("first", "Нина"),
            ("birth", "05.04.2013"),
            ("sex", "ж"),
            ("class", "7а"),
            ("order", "№ 45-у"),
            ("parents", "Новикова Наталья Петровна, +7 900 111-22-33, мать"),
        ):
            await _field(pilot, key, text)
        form = screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        # the search line now holds her surname, and the list shows her once it has searched
        enrolment_screen = current(app, EnrollmentScreen)
        await wait_until(pilot, lambda: enrolment_screen.shown_search == "[Новикова]", "the search for her")
        await settle(pilot)
        saved = screen_text(app)
        # departure of the selected pupil (the one just found): F4, order, Enter
        app.screen.query_one(DataTable).focus()
        await pilot.press("f4")
        await settle(pilot)
        await _field(pilot, "order", "№ 50-у")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")  # «Выбытие: …? Enter — да»
        await settle(pilot)
        # an empty form is refused with a message, nothing saved
        await pilot.press("f2")
        await settle(pilot)
        refused = await press(pilot, "enter")
    assert "Воронов Виктор" in found and "7Б" in found
    assert "Фамилия" in form and "Родители" in form and "Новый ученик" in form
    assert "Зачислена: [Новикова] Нина, 7А; личное дело № Н-1" in saved, saved  # her gender, her file
    assert "[Новикова] Нина" in saved.split("Зачислен")[0]  # the list shows her, markup as typed
    pupil = Student.get(Student.last_name == "[Новикова]")
    assert pupil.personal_file_no == "Н-1"
    assert GuardianLink.select().where(GuardianLink.student == pupil.id).count() == 1
    enrolment = Enrollment.get(Enrollment.student == pupil.id)
    assert (enrolment.order_in, enrolment.order_out, enrolment.end) == ("№ 45-у", "№ 50-у", dt.date.today())
    assert "Не указан класс" in refused, refused
    assert Student.select().count() == 7
    for screen in (found, form, saved, refused):
        assert len(screen.splitlines()) == 24


async def test_f6_opens_the_selected_pupils_card(admin: Actor) -> None:
    from tui_journal.screens.student_card import StudentCardScreen

    school = build_school(admin)
    secretary = school.actors["sekretar"]

    app = make_app(actor=secretary)
    async with app.run_test(size=SIZE) as pilot:
        await push(pilot, EnrollmentScreen())
        nothing = await press(pilot, "f6")  # nothing found yet: told to pick a pupil first
        await _search(pilot, "вор")
        await pilot.press("down", "f6")
        await settle(pilot)
        assert isinstance(app.screen, StudentCardScreen)
        nothing, card = nothing, screen_text(app)
    assert "Сначала выберите учащегося" in nothing
    assert "Воронов" in card
