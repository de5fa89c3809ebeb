"""Logging in through the form, as a user would type it, at 80x24."""

from __future__ import annotations

import pytest
from textual.widget import Widget

from tests.ui.conftest import PEOPLE, SIZE, Person, make_app, screen_text, settle, type_text
from tests.ui.pilot import log_in, press
from tui_journal.db.models import LoginEvent, User, now
from tui_journal.i18n import t
from tui_journal.screens.home import HomeScreen
from tui_journal.screens.login import LoginScreen
from tui_journal.screens.password import PasswordScreen
from tui_journal.services import accounts, auth
from tui_journal.services import roles as R
from tui_journal.services.actor import Actor
from tui_journal.widgets.inputs import JournalInput

SECTION_ROLES = {
    "section.account": set(R.ALL_ROLES),
    "section.users": {R.ADMIN, R.DIRECTOR, R.DEPUTY, R.SECRETARY},
    "section.audit": {R.ADMIN, R.DIRECTOR, R.DEPUTY},
}


@pytest.mark.parametrize("role", R.ALL_ROLES)
async def test_each_role_logs_in_and_sees_only_his_sections(people: dict[str, Person], role: str) -> None:
    person = people[role]

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, person.login, person.password)
        text, screen = screen_text(app), app.screen
    assert isinstance(screen, HomeScreen), text
    assert person.full_name in text
    assert t(f"role.{role}") in text
    assert "МКОУ «Тестовая СШ»" in text
    for title_key, roles in SECTION_ROLES.items():
        if role in roles:
            assert t(title_key) in text, f"{role} should see {t(title_key)}"
        else:
            assert t(title_key) not in text, f"{role} must not see {t(title_key)}"
    assert (
        LoginEvent.select().where((LoginEvent.login == person.login) & (LoginEvent.outcome == "ok")).exists()
    )


async def test_parent_does_not_see_users(people: dict[str, Person]) -> None:
    person = people[R.PARENT]

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, person.login, person.password)
        text = screen_text(app)
    assert person.full_name in text
    assert "Пользователи" not in text
    assert "Журнал изменений" not in text


async def test_wrong_password_shows_message_clears_field_and_is_recorded(people: dict[str, Person]) -> None:
    person = people[R.TEACHER]

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, person.login, "Not-his-password")
        password = app.screen.query_one("#password", JournalInput)
        text, screen, password_value, focused = screen_text(app), app.screen, password.value, app.focused
    assert isinstance(screen, LoginScreen)
    assert "Неверный логин или пароль" in text
    assert password_value == ""
    assert getattr(focused, "id", None) == "password"
    events = list(LoginEvent.select().where(LoginEvent.login == person.login))
    assert [e.outcome for e in events] == ["bad_password"]


async def test_unknown_login_gets_the_same_message(people: dict[str, Person]) -> None:
    async def main() -> str:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await log_in(pilot, "nobody", "Whatever-123")
            return screen_text(app)

    assert "Неверный логин или пароль" in (await main())


async def test_attempt_during_the_delay_is_told_to_wait(people: dict[str, Person]) -> None:
    person = people[R.TEACHER]
    # three failures just now: the server asks for 4 s of patience before the next try
    User.update(failed_logins=3, last_failed_at=now()).where(User.login == person.login).execute()

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, person.login, person.password)
        text = screen_text(app)
    assert "Слишком много неудачных попыток. Повторите через" in text
    assert LoginEvent.get(LoginEvent.login == person.login).outcome == "wait"


async def test_locked_and_no_password_messages(admin: Actor, people: dict[str, Person]) -> None:
    accounts.lock_user(admin, people[R.STUDENT].login)
    accounts.add_user(admin, "nopass", "Беспарольный", "Борис", roles=[R.PARENT])

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, people[R.STUDENT].login, people[R.STUDENT].password)
        locked = screen_text(app)
        login = app.screen.query_one("#login", JournalInput)
        login.value = ""
        login.focus()
        await pilot.pause()
        await log_in(pilot, "nopass", "Anything-1234")
        locked, no_password = locked, screen_text(app)
    assert "Учётная запись заблокирована" in locked
    assert "ещё не выдан пароль" in no_password.replace("\n", " ")


async def test_empty_form_is_not_submitted(people: dict[str, Person]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one("#password", JournalInput).focus()
        await pilot.press("enter")
        await settle(pilot)
        text, events = screen_text(app), LoginEvent.select().count()
    assert t("login.empty") in text
    assert events == 0


async def test_one_time_password_forces_a_change_then_the_new_one_works(admin: Actor) -> None:
    accounts.add_user(
        admin, "newbie", "Новиков", "Николай", roles=[R.TEACHER], password="Temp-pass-2026", one_time=True
    )
    new_password = "Brand-new-pass-7"

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "newbie", "Temp-pass-2026")
        forced_screen, forced_text = app.screen, screen_text(app)
        # a mismatch first: refused, nothing saved
        await type_text(pilot, new_password)
        await pilot.press("enter")
        await type_text(pilot, new_password + "x")
        mismatch = await press(pilot, "enter")
        await type_text(pilot, new_password)
        await pilot.press("enter")
        await type_text(pilot, new_password)
        await pilot.press("enter")
        await settle(pilot)
        forced_screen, forced_text, mismatch, screen, text = forced_screen, forced_text, mismatch, app.screen, screen_text(app)
    assert isinstance(forced_screen, PasswordScreen)
    assert t("passwd.forced") in forced_text
    assert t("passwd.mismatch") in mismatch
    assert isinstance(screen, HomeScreen), text
    assert t("passwd.done") in text
    assert "Новиков Николай" in text
    assert auth.authenticate("newbie", new_password).outcome == "ok"
    assert not User.get(User.login == "newbie").must_change_password


async def test_weak_new_password_shows_the_service_message(admin: Actor) -> None:
    accounts.add_user(
        admin, "newbie", "Новиков", "Николай", roles=[R.TEACHER], password="Temp-pass-2026", one_time=True
    )

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "newbie", "Temp-pass-2026")
        await type_text(pilot, "short")
        await pilot.press("enter")
        await type_text(pilot, "short")
        await pilot.press("enter")
        await settle(pilot)
        screen, text = app.screen, screen_text(app)
    assert isinstance(screen, PasswordScreen)
    assert t("err.password_short", n=8)[:12] in text  # «Пароль короче …»
    assert User.get(User.login == "newbie").must_change_password


async def test_escape_on_the_forced_change_logs_out(admin: Actor) -> None:
    accounts.add_user(
        admin, "newbie", "Новиков", "Николай", roles=[R.TEACHER], password="Temp-pass-2026", one_time=True
    )

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "newbie", "Temp-pass-2026")
        await pilot.press("escape")
        await settle(pilot)
        screen, actor = app.screen, app.actor
    assert isinstance(screen, LoginScreen)
    assert actor is None
    assert (
        LoginEvent.select().where((LoginEvent.login == "newbie") & (LoginEvent.outcome == "logout")).exists()
    )


async def test_login_note_is_shown_as_plain_text(admin: Actor) -> None:
    from tui_journal.db.models import School

    School.update(login_note="Помощь: каб. 12 [bold]не жирно[/bold]").execute()

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
    assert "Помощь: каб. 12 [bold]не жирно[/bold]" in text
    assert "МКОУ «Тестовая СШ»" in text.splitlines()[0]


async def test_login_screen_fits_80x24(admin: Actor) -> None:
    from tui_journal.db.models import School

    School.update(login_note="Справки по телефону 2-34-56. " * 12).execute()

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        widgets = [w for w in app.screen.walk_children(Widget) if w.display]
        regions = [(w, w.region) for w in widgets]
        regions, text = regions, screen_text(app)
    for widget, region in regions:
        assert region.width <= 80 and region.right <= 80, widget
        assert region.bottom <= 24, widget
    lines = text.splitlines()
    assert len(lines) == 24
    assert all(len(line) <= 80 for line in lines)
    # the form and the footer's keys are all on screen, not cut
    for needle in (t("login.login"), t("login.password"), t("login.hint"), "F1 Справка", "F10 Выход"):
        assert needle in text, needle


def test_people_fixture_covers_every_role() -> None:
    assert set(PEOPLE) == set(R.ALL_ROLES)
