"""The admin's accounts in the app at 80x24 (R-ACC-1..2): create, one-time password and its
slip, lock/unlock, roles, a parent linked to a pupil, Del twice; the deputy only looks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.text import Text
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from tests.export.helpers import pdf_text
from tests.factories.school import build_school
from tests.ui.conftest import SIZE, Person, make_app, screen_text, settle, type_text
from tests.ui.pilot import current, fits, push, question, status, wait_until
from tui_journal.db.models import AuditEntry, GuardianLink, User
from tui_journal.i18n import t
from tui_journal.screens.users import UsersScreen, parse_roles
from tui_journal.services import accounts, auth
from tui_journal.services import roles as R
from tui_journal.services.actor import Actor
from tui_journal.services.auth import actor_for
from tui_journal.services.passwords import verify_password

PASSWORD_ON_STATUS = re.compile(r"одноразовый пароль:? (\S+)")


async def _open(pilot: Pilot[None]) -> UsersScreen:
    return await push(pilot, UsersScreen())


async def _select(pilot: Pilot[None], login: str) -> None:
    screen = pilot.app.screen
    table = screen.query_one("#users-table", DataTable)
    table.focus()
    table.move_cursor(row=table.get_row_index(login))
    await pilot.pause()


async def _field(pilot: Pilot[None], key: str, text: str) -> None:
    pilot.app.screen.query_one(f"#users-f-{key}").focus()
    await type_text(pilot, text)


async def _find_pupil(pilot: Pilot[None], text: str) -> None:
    """Type ``text`` into the pupil line of F6 and wait for the (debounced) pupils found."""
    screen = current(pilot.app, UsersScreen)
    await type_text(pilot, text)
    key = text.casefold()
    await wait_until(pilot, lambda: any(key in h.full_name.casefold() for h in screen.pupil_hits), repr(text))
    await settle(pilot)


def _row(app: App[None], login: str) -> list[str]:
    table: DataTable[Text] = app.screen.query_one("#users-table", DataTable)
    return [cell.plain for cell in table.get_row(login)]


def _password_on(status_line: str) -> str:
    found = PASSWORD_ON_STATUS.search(status_line)
    assert found, status_line
    return found.group(1)


def test_role_names_are_read_in_russian_and_english() -> None:
    assert parse_roles("Учитель, parent,  зам. по УВР") == [R.TEACHER, R.PARENT, R.DEPUTY]
    assert parse_roles(" ") == []


def SLIP_SETTINGS(tmp_path: Path) -> dict[str, object]:
    return {"exports_dir": str(tmp_path / "exports"), "ssh_address": "journal.school.ru:2222",
            "web_url": "http://journal.school.ru/"}


async def test_the_admin_creates_a_user_and_resets_his_password(
    admin: Actor, people: dict[str, Person], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    app = make_app(actor=admin, settings=SLIP_SETTINGS(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot)
        await pilot.press("f2")
        await settle(pilot)
        await type_text(pilot, "novikova")
        await _field(pilot, "name", "Новикова Нина Петровна")
        await _field(pilot, "roles", "учитель, parent")
        await _field(pilot, "phone", "+7 900 111-22-33")
        form = screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        await settle(pilot)
        created_status, created_text = status(app), screen_text(app)
        created_row = _row(app, "novikova")
        # a bad role is refused with the screen's message, nothing created
        await pilot.press("f2")
        await settle(pilot)
        await type_text(pilot, "badrole")
        await _field(pilot, "name", "Плохов Пётр")
        await _field(pilot, "roles", "космонавт")
        await pilot.press("enter")
        await settle(pilot)
        bad = status(app)
        await pilot.press("escape")  # typed lines: asked first
        await settle(pilot)
        asked = question(app)
        await pilot.press("n")  # leave without saving
        # F3: a new one-time password for the selected row
        await _select(pilot, "teacher")
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("enter")  # «Новый одноразовый пароль для teacher …? Enter — да»
        await settle(pilot)
        reset_status, reset_text = status(app), screen_text(app)
        reset_row = _row(app, "teacher")
        await pilot.press("f7")
        await settle(pilot)
    assert asked == t("confirm.unsaved")
    fits(form)
    fits(created_text)
    assert t("users.form.new").split(" (")[0] in form and "Логин" in form
    user = User.get(User.login == "novikova")
    assert (user.last_name, user.first_name, user.middle_name, user.phone) == (
        "Новикова", "Нина", "Петровна", "+7 900 111-22-33",
    )
    info = accounts.get_user(admin, "novikova")
    assert info.roles == (R.TEACHER, R.PARENT) and info.must_change_password
    assert AuditEntry.select().where(
        (AuditEntry.action == "create") & (AuditEntry.entity == "user") & (AuditEntry.entity_id == "novikova")
    ).exists()
    created_password = _password_on(created_status)
    assert created_password in created_text  # shown on the screen, not only kept in the widget
    assert created_row[0] == "novikova" and "учитель" in created_row[2] and created_row[3] == "одноразовый"
    assert auth.authenticate("novikova", created_password).outcome == "must_change"
    assert "космонавт" in bad and not User.select().where(User.login == "badrole").exists()
    # the reset
    password = _password_on(reset_status)
    assert password in reset_text
    assert reset_row[3] == "одноразовый"
    assert auth.authenticate("teacher", password).outcome == "must_change"
    assert not verify_password(User.get(User.login == "teacher").password_hash, "Tea-pass-2026x")
    # F7: the slip is the «credentials» PDF in the exports folder, with how to connect
    assert not list(tmp_path.glob("*.txt"))
    slips = list((tmp_path / "exports").glob("credentials_teacher_*.pdf"))
    assert len(slips) == 1, slips
    text = pdf_text(slips[0].read_bytes())
    assert password in text and "teacher" in text
    assert "ssh -p 2222 teacher@journal.school.ru" in text and "http://journal.school.ru/" in text
    assert slips[0].stat().st_mode & 0o077 == 0


async def test_lock_unlock_roles_and_remove(admin: Actor, people: dict[str, Person]) -> None:
    app = make_app(actor=admin)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot)
        await _select(pilot, "teacher")
        await pilot.press("f4")
        await settle(pilot)
        locked = (status(app), _row(app, "teacher"), User.get(User.login == "teacher").state)
        await pilot.press("f4")
        await settle(pilot)
        unlocked = (status(app), _row(app, "teacher"), User.get(User.login == "teacher").state)
        # F5: the line opens empty; a role typed is added, the result asked once
        await pilot.press("f5")
        await settle(pilot)
        prefilled = app.screen.query_one("#users-f-roles", Input).value
        await type_text(pilot, "родитель")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        roles = (status(app), _row(app, "teacher"))
        # and take «учитель» away again
        await pilot.press("f5")
        await settle(pilot)
        app.screen.query_one("#users-f-roles", Input).value = "-учитель"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        fewer = _row(app, "teacher")
        # the admin cannot lock himself: the service's refusal on the status line
        await _select(pilot, "admin")
        await pilot.press("f4")
        await settle(pilot)
        self_lock = status(app)
        # Del asks on the docked line, Enter removes and the row leaves the list
        await _select(pilot, "educator")
        await pilot.press("delete")
        await settle(pilot)
        asked = (question(app), User.get(User.login == "educator").state)
        await pilot.press("enter")
        await settle(pilot)
        table = app.screen.query_one("#users-table", DataTable)
        gone = "educator" not in [table.get_row_at(i)[0].plain for i in range(table.row_count)]
        locked, unlocked, prefilled, roles, fewer, self_lock, asked, gone, text = locked, unlocked, prefilled, roles, fewer, self_lock, asked, gone, screen_text(app)
    assert locked[0] == t("users.locked", login="teacher") and locked[1][3] == "заблокирован" and locked[2] == "locked"
    assert unlocked[1][3] == "активен" and unlocked[2] == "active"
    assert prefilled == ""
    assert "учитель, родитель" in roles[0] and roles[1][2] == "учитель, родитель"
    assert accounts.get_user(admin, "teacher").roles == (R.PARENT,) and fewer[2] == "родитель"
    assert self_lock == t("err.self_remove") and User.get(User.login == "admin").state == "active"
    assert asked == (t("users.remove_ask", login="educator", name="Воспиталова Вера"), "active")
    assert gone and User.get(User.login == "educator").state == "removed"
    fits(text)
    changes = AuditEntry.select().where((AuditEntry.entity_id == "teacher") & (AuditEntry.field == "state"))
    assert [e.new_value for e in changes.order_by(AuditEntry.id)] == ["locked", "active"]


async def test_the_role_filter_cycles_with_f8(admin: Actor, people: dict[str, Person]) -> None:
    app = make_app(actor=admin)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot)
        await pilot.press("f8")  # администратор
        await settle(pilot)
        table = app.screen.query_one("#users-table", DataTable)
        admins = sorted(table.get_row_at(i)[0].plain for i in range(table.row_count))
        admins, text = admins, screen_text(app)
    assert admins == ["admin", "admin2"]
    assert "F8 роль: администратор" in text.splitlines()[2], text


async def test_the_admin_links_a_parent_to_a_pupil(admin: Actor, people: dict[str, Person]) -> None:
    school = build_school(admin)

    app = make_app(actor=admin)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot)
        await _select(pilot, "parent")
        await pilot.press("f6")
        await settle(pilot)
        await _find_pupil(pilot, "вор")
        picked = screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        linked = status(app)
        # a non-parent row is refused by the service
        await _select(pilot, "teacher")
        await pilot.press("f6")
        await settle(pilot)
        await _find_pupil(pilot, "алекс")
        await pilot.press("enter")
        await settle(pilot)
        picked, linked, refused = picked, linked, status(app)
    fits(picked)
    assert "Воронов Виктор" in picked
    parent = User.get(User.login == "parent")
    assert GuardianLink.select().where(
        (GuardianLink.parent == parent.id) & (GuardianLink.student == school.pupils["Воронов"])
    ).exists()
    assert linked == t("users.linked", parent="parent", pupil="Воронов Виктор")
    assert refused == t("err.not_parent", login="teacher")
    teacher = User.get(User.login == "teacher")
    assert not GuardianLink.select().where(GuardianLink.parent == teacher.id).exists()


async def test_the_deputy_sees_the_list_but_cannot_change_it(admin: Actor, people: dict[str, Person]) -> None:
    deputy = actor_for(User.get(User.login == "deputy"), origin="tui")
    before = User.select().count()

    app = make_app(actor=deputy)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        rows = screen.query_one("#users-table", DataTable).row_count
        await pilot.press("f2")
        await settle(pilot)
        form_open = screen.query_one("#users-form").has_class("-open")
        refused_new = status(app)
        await _select(pilot, "teacher")
        await pilot.press("f4")
        await settle(pilot)
        refused_lock = status(app)
        await pilot.press("f3")
        await settle(pilot)
        rows, form_open, refused_new, refused_lock, refused_reset, text = rows, form_open, refused_new, refused_lock, status(app), screen_text(app)
    assert rows == 9 and "Завучева Зоя" in text
    assert not form_open
    assert refused_new == t("err.denied", what="создание учётных записей")
    assert refused_lock == t("err.denied", what="блокировка учётных записей")
    assert refused_reset.startswith("Недостаточно прав")
    assert User.select().count() == before
    assert User.get(User.login == "teacher").state == "active"
    assert auth.authenticate("teacher", "Tea-pass-2026x").outcome == "ok"
