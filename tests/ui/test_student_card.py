"""The pupil's personal card at 80x24 (R-CT-2): the secretary and the class teacher edit fields
on the docked line, every change audited field by field; F5 marks the contacts verified;
another teacher only reads."""

from __future__ import annotations

import datetime as dt

from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from tests.factories.school import build_school
from tests.ui.conftest import SIZE, make_app, screen_text, settle, type_text
from tests.ui.pilot import fits, push, status
from tui_journal.db.models import AuditEntry, Student, User
from tui_journal.i18n import t
from tui_journal.screens.student_card import StudentCardScreen
from tui_journal.services import accounts, enrollment
from tui_journal.services import roles as R
from tui_journal.services.actor import Actor
from tui_journal.services.auth import actor_for


async def _open(pilot: Pilot[None], student_id: int) -> StudentCardScreen:
    return await push(pilot, StudentCardScreen(student_id))


async def _edit(pilot: Pilot[None], key: str, text: str) -> None:
    table = pilot.app.screen.query_one("#card-table", DataTable)
    table.focus()
    table.move_cursor(row=table.get_row_index(key))
    await pilot.press("enter")
    await pilot.pause()
    pilot.app.screen.query_one("#card-edit-input", Input).value = ""
    await type_text(pilot, text)
    await pilot.press("enter")
    await settle(pilot)


async def test_the_secretary_and_the_class_teacher_edit_the_card(admin: Actor) -> None:
    school = build_school(admin)
    pupil = school.pupils["Воронов"]
    mother = enrollment.add_guardian(
        admin, pupil, enrollment.ParentData("Воронова", "Вера", "", "+7 900 000-00-01", "мать")
    )

    app = make_app(actor=school.actors["sekretar"])
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, pupil)
        shown = screen_text(app)
        await _edit(pilot, "student:address", "ул. Ленина, 1")
        saved = (status(app), screen_text(app))
        await _edit(pilot, "student:sex", "оно")  # refused by the service
        refused = status(app)
        await pilot.press("escape")
        await _edit(pilot, "student:birth_date", "01.03.2013")
    fits(shown)
    assert "Воронов" in shown and "7Б" in shown and "Воронова Вера" in shown and "+7 900 000-00-01" in shown
    assert "№ личного дела" in shown  # issue 11: the personal-file number heads the card
    assert saved[0] == t("saved") and "ул. Ленина, 1" in saved[1]
    fits(saved[1])
    assert "оно" in refused and Student.get_by_id(pupil).sex == "м"
    student = Student.get_by_id(pupil)
    assert student.address == "ул. Ленина, 1" and student.birth_date == dt.date(2013, 3, 1)
    rows = AuditEntry.select().where((AuditEntry.entity == "student") & (AuditEntry.entity_id == str(pupil)))
    assert {(r.field, r.new_value) for r in rows} >= {("address", "ул. Ленина, 1")}
    assert "birth_date" in {r.field for r in rows}

    app = make_app(actor=school.actors["petrov"])  # 7Б's class teacher
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, pupil)
        await _edit(pilot, f"guardian:{mother.login}:phone", "+7 900 123-45-67")
        phoned = status(app)
        await pilot.press("f5")
        await settle(pilot)
        phoned, confirmed, text = phoned, status(app), screen_text(app)
    assert phoned == t("saved")
    assert User.get(User.login == mother.login).phone == "+7 900 123-45-67"
    assert AuditEntry.select().where(
        (AuditEntry.entity == "user") & (AuditEntry.entity_id == mother.login) & (AuditEntry.field == "phone")
    ).exists()
    today = dt.date.today()
    assert confirmed == t("card.confirmed", date=f"{today:%d.%m.%Y}")
    assert Student.get_by_id(pupil).contacts_checked_at == today
    assert f"{today:%d.%m.%Y}" in text


async def test_the_deputy_only_reads_and_another_teacher_is_refused(admin: Actor) -> None:
    school = build_school(admin)
    pupil = school.pupils["Воронов"]
    accounts.add_user(admin, "zavuch", "Завучева", "Зоя", roles=[R.DEPUTY], password="Dep-pass-2026x")
    deputy = actor_for(User.get(User.login == "zavuch"), origin="tui")

    async def main(actor: Actor) -> tuple[str, int, bool, str]:
        app = make_app(actor=actor)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _open(pilot, pupil)
            first = screen.status.message
            table = screen.query_one("#card-table", DataTable)
            rows = table.row_count
            if rows:
                table.focus()
                table.move_cursor(row=table.get_row_index("student:address"))
                await pilot.press("enter")
                await pilot.pause()
            opened = screen.edit_line.is_open
            await pilot.press("f5")
            await settle(pilot)
            return first, rows, opened, screen.status.message

    first, rows, opened, confirm = await main(deputy)
    assert first == t("card.not_editable") and rows > 0 and not opened
    assert confirm.startswith("Недостаточно прав")
    first, rows, opened, confirm = await main(school.actors["ivanova"])  # 7А's, not 7Б's
    assert first.startswith("Недостаточно прав") and rows == 0 and not opened
    assert Student.get_by_id(pupil).contacts_checked_at is None
