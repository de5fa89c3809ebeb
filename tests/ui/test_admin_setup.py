"""«Настройка школы» at 80x24, keyboard only: every change is checked in the database through
the services' list functions; refusals show on the status line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from tests.factories.school import build_school
from tests.ui.conftest import SIZE, make_app, screen_text, settle, type_text
from tests.ui.pilot import press, push, question
from tui_journal.db.models import User
from tui_journal.i18n import t
from tui_journal.screens import admin_sections
from tui_journal.screens.admin_setup import SchoolSetupScreen
from tui_journal.screens.sections import sections_for
from tui_journal.services import diary, setup, timetable
from tui_journal.services import roles as R
from tui_journal.services.actor import Actor
from tui_journal.services.auth import actor_for

PART_KEYS = ["years", "mode", "rooms", "subjects", "work_types", "classes", "load", "groups", "week"]


async def _open(pilot: Pilot[None]) -> None:
    await push(pilot, SchoolSetupScreen())


async def _part(pilot: Pilot[None], key: str) -> None:
    """Move the parts list to ``key`` with the arrows, then Enter to the table."""
    parts = pilot.app.screen.query_one("#su-parts", OptionList)
    parts.focus()
    await pilot.pause()
    steps = PART_KEYS.index(key) - (parts.highlighted or 0)
    await pilot.press(*(["down"] * steps if steps > 0 else ["up"] * -steps))
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def _submit(pilot: Pilot[None], text: str, *, key: str = "f2") -> None:
    """Open the form (F2, Enter or F3), replace its line with ``text`` and save with Enter."""
    await pilot.press(key)
    await settle(pilot)
    pilot.app.screen.query_one("#su-input", Input).value = ""
    await type_text(pilot, text)
    await pilot.press("enter")
    await settle(pilot)


def _status(app: App[None]) -> str:
    return str(app.screen.query_one("#status").render())


async def test_admin_adds_a_year_with_quarters_and_sees_its_periods(admin: Actor) -> None:
    app = make_app(actor=admin)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot)
        empty = screen_text(app)
        await _submit(pilot, "2026/2027; 01.09.2026; 31.05.2027; четверти")
        empty, shown = empty, screen_text(app)
    assert "Годы и периоды" in empty and "Учебные годы и периоды" in empty
    years = setup.list_years(admin)
    assert [y.name for y in years] == ["2026/2027"]
    assert [p.name for p in years[0].periods if p.kind == "quarter"] == [f"{n} четверть" for n in range(1, 5)]
    assert "1 четверть" in shown and "01.09.2026" in shown and "каникулы" in shown
    assert "Учебный год 2026/2027 добавлен" in shown
    assert len(shown.splitlines()) == 24


async def test_six_day_week_and_threshold_policy(admin: Actor) -> None:
    build_school(admin)
    before = setup.school_settings(admin)
    assert before.week_days == 5 and before.rounding == "half_up"

    app = make_app(actor=admin)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot)
        await _part(pilot, "mode")
        await _submit(pilot, "6", key="enter")  # the first row: the working week
        await pilot.press("down")
        await _submit(pilot, "threshold; 4,6; 3,6; 2,6; 4", key="enter")
        await pilot.press("down")  # «Звонки: не заданы»
        await _submit(pilot, "1 08:30-09:15; 2 09:25-10:10", key="enter")
        text = screen_text(app)
    after = setup.school_settings(admin)
    assert after.week_days == 6
    assert (after.rounding, after.threshold_5, after.threshold_4, after.threshold_3, after.min_marks) == (
        "threshold", 4.6, 3.6, 2.6, 4,
    )
    assert "6-дневная" in text and "пороги 4,6/3,6/2,6" in text
    assert diary.bell_times(admin.school_id) == {1: "08:30–09:15", 2: "09:25–10:10"}
    assert "Звонки: 2-й урок" in text


async def test_existing_bells_are_replaced(admin: Actor) -> None:
    build_school(admin)
    setup.add_bell_schedule(admin, "Основное", [(1, dt.time(8, 0), dt.time(8, 45))])

    app = make_app(actor=admin)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot)
        await _part(pilot, "mode")
        await pilot.press("down", "down")  # the week, the grading policy, then the bells
        await _submit(pilot, "1 08:30-09:15; 2 09:25-10:10", key="enter")
    assert diary.bell_times(admin.school_id) == {1: "08:30–09:15", 2: "09:25–10:10"}
    assert [s.name for s in setup.list_bell_schedules(admin)] == ["Основное"]


async def test_room_subject_and_work_type_with_weight_two(admin: Actor) -> None:
    build_school(admin)

    app = make_app(actor=admin)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot)
        await _part(pilot, "rooms")
        await _submit(pilot, "31")
        await _part(pilot, "subjects")
        await _submit(pilot, "Физика; физ; нет")
        await _submit(pilot, "Музыка; муз; нет; нет")
        await _part(pilot, "work_types")
        await _submit(pilot, "Самостоятельная работа; 2; нет")
        text = screen_text(app)
    assert "31" in [r.name for r in setup.list_rooms(admin)]
    subjects = {s.name: s.detail for s in setup.list_subjects(admin)}
    assert subjects["Физика"] == "" and subjects["Музыка"] == "без контрольных"
    work = {w.name: w.detail for w in setup.list_work_types(admin)}
    assert work["Самостоятельная работа"] == "вес 2"
    assert "Самостоятельная работа" in text


async def test_esc_asks_before_throwing_a_typed_line_away(admin: Actor) -> None:
    """Esc on an untouched form closes it; on a typed line it asks: N throws the line away,
    Enter saves it."""
    build_school(admin)
    rooms_before = {r.name for r in setup.list_rooms(admin)}

    app = make_app(actor=admin)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot)
        await _part(pilot, "rooms")
        form = app.screen.query_one("#su-form")
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        untouched = (form.has_class("-open"), question(app))
        await pilot.press("f2")
        await settle(pilot)
        await type_text(pilot, "41")
        await pilot.press("escape")
        await settle(pilot)
        asked, still_open = question(app), form.has_class("-open")
        await pilot.press("n")
        await settle(pilot)
        thrown = form.has_class("-open")
        rooms_after_n = {r.name for r in setup.list_rooms(admin)}
        await pilot.press("f2")
        await settle(pilot)
        await type_text(pilot, "42")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("enter")  # «…несохранённые изменения…? Enter — сохранить»
        await settle(pilot)
        saved = form.has_class("-open")
    assert untouched == (False, "")
    assert asked == t("confirm.unsaved") and still_open
    assert not thrown and rooms_after_n == rooms_before
    assert not saved and {r.name for r in setup.list_rooms(admin)} == rooms_before | {"42"}

async def test_class_with_a_class_teacher_and_an_assignment(admin: Actor) -> None:
    build_school(admin)

    app = make_app(actor=admin)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot)
        await _part(pilot, "classes")
        await _submit(pilot, "8В; sidorova")
        await _part(pilot, "load")
        await _submit(pilot, "8В; математика; orlova")
        text = screen_text(app)
    classes = {c.name: c for c in setup.list_classes(admin)}
    assert classes["8В"].class_teacher_login == "sidorova"
    load = setup.list_assignments(admin, classes["8В"].id)
    assert [(a.subject, a.teacher_login, a.group_id) for a in load] == [("Математика", "orlova", None)]
    assert "Орлова О." in text and "8В" in text


async def test_refusals_show_on_the_status_line(admin: Actor) -> None:
    build_school(admin)

    app = make_app(actor=admin)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot)
        await _part(pilot, "classes")
        await _submit(pilot, "7А; ivanova")
        duplicate = _status(app)
        await pilot.press("escape", "n")  # the refused line is typed work: Esc asks, N drops it
        await _part(pilot, "mode")
        await _submit(pilot, "7", key="enter")
        week = _status(app)
        await pilot.press("escape", "n")
        await _part(pilot, "work_types")
        await _submit(pilot, "Зачёт; пять; нет")
        duplicate, week, parse = duplicate, week, _status(app)
    assert "Класс 7А в 2026/2027 уже есть" in duplicate
    assert "Неделя бывает 5- или 6-дневной, а не 7-дневной" in week
    assert "«пять» — не число" in parse
    assert len(setup.list_classes(admin)) == 4
    assert setup.school_settings(admin).week_days == 5
    assert "Зачёт" not in [w.name for w in setup.list_work_types(admin)]


async def test_only_the_admin_sees_the_section_and_a_teacher_is_refused(admin: Actor) -> None:
    build_school(admin)
    admin_sections.register_all()
    assert "setup" in [s.key for s in sections_for([R.ADMIN])]
    for role in (R.TEACHER, R.DIRECTOR, R.DEPUTY, R.SECRETARY):
        assert "setup" not in [s.key for s in sections_for([role])], role
    teacher = actor_for(User.get(User.login == "ivanova"), origin="tui")

    app = make_app(actor=teacher)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot)
        await _part(pilot, "rooms")
        await _submit(pilot, "99")
        status = _status(app)
    assert "99" not in [r.name for r in setup.list_rooms(admin)]
    assert "Недостаточно прав: кабинеты" in status


async def test_groups_and_a_teachers_week(admin: Actor) -> None:
    school = build_school(admin)
    timetable.add_slot(admin, school.classes["7А"], school.subjects["Математика"], "ivanova", 2, 3)

    app = make_app(actor=admin)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot)
        await _part(pilot, "groups")
        await _submit(pilot, "7А; английский язык; 1 группа")
        await _submit(pilot, "Алексеев, Борисова; 01.09.2026", key="enter")
        await _submit(pilot, "7А; английский язык; 2 группа")
        await pilot.press("down")  # «2 группа»
        await _submit(pilot, "Ёлкин; 01.09.2026", key="enter")
        await _submit(pilot, "Алексеев; 1 четверть", key="f3")  # into «2 группа» after the 1st quarter
        moved = _status(app)
        groups = screen_text(app)
        await _part(pilot, "week")
        await _submit(pilot, "ivanova")
        moved, groups, week = moved, groups, screen_text(app)
    listed = setup.list_groups(admin, school.classes["7А"])
    assert [(g.name, g.detail) for g in listed] == [
        ("1 группа", "Английский язык, 1 уч."), ("2 группа", "Английский язык, 2 уч."),
    ]
    assert "Учащийся переведён: в новой группе с 25.10.2026" in moved
    assert "1 группа" in groups and "2 уч." in groups
    assert "7А Мат" in week and "вт" in week and "сб" not in week


async def test_periods_are_added_renamed_and_deleted_but_a_year_is_not(admin: Actor) -> None:
    setup.add_year(admin, "2026/2027", dt.date(2026, 9, 1), dt.date(2027, 5, 31), layout=None)

    app = make_app(actor=admin)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot)
        await _part(pilot, "years")
        await _submit(pilot, "1 полугодие; полугодие; 01.09.2026; 28.12.2026", key="f3")
        await _submit(pilot, "2 полугодие; полугодие; 12.01.2027; 31.05.2027", key="f3")
        await pilot.press("down")  # «1 полугодие»
        await _submit(pilot, "Первое полугодие; 01.09.2026; 27.12.2026", key="enter")
        shown = await press(pilot, "down", "delete")  # «2 полугодие»
        await pilot.press("up", "up", "delete")  # the year itself
        await settle(pilot)
        shown, refused = shown, _status(app)
    (year,) = setup.list_years(admin)
    assert [(p.name, p.kind, p.end) for p in year.periods] == [("Первое полугодие", "half", dt.date(2026, 12, 27))]
    assert "Первое полугодие" in shown and "2 полугодие" not in shown
    assert "Учебный год удалить нельзя" in refused


async def test_f9_exports_the_whole_school_as_a_zip_into_the_exports_folder(
    admin: Actor, tmp_path: Path
) -> None:
    import dataclasses
    import zipfile

    exports = tmp_path / "exports"

    app = make_app(actor=admin)
    app.settings = dataclasses.replace(app.settings, exports_dir=str(exports))
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot)
        await pilot.press("f9")
        await settle(pilot)
        status = _status(app)
    files = list(exports.glob("school-export-*.zip"))
    assert len(files) == 1, files
    assert "Сохранено" in status and files[0].name in status
    assert files[0].stat().st_mode & 0o077 == 0
    with zipfile.ZipFile(files[0]) as archive:
        names = archive.namelist()
    assert any(n.endswith(".csv") for n in names) and any("manifest" in n for n in names), names
