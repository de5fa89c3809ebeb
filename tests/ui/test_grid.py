"""The grade grid at 80x24, driven with Pilot against a real SQLite file (tests/services/world.py)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from peewee import Database
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from tests.services import world as world_module
from tests.services.world import World, fingerprint, make_student
from tests.ui.conftest import SIZE, screen_text, settle, type_text
from tests.ui.pilot import (
    app_with_exports,
    log_in,
    open_section,
    press,
    push,
    status,
    wait_for_text,
    wait_until,
)
from tui_journal.config import Settings
from tui_journal.db.models import (
    AcademicYear,
    Assignment,
    Attendance,
    AuditEntry,
    Lesson,
    Mark,
    PeriodMark,
    SchoolClass,
    WorkType,
    database_proxy,
)
from tui_journal.i18n import t
from tui_journal.screens import sections
from tui_journal.screens.grid_lane import pending_dir
from tui_journal.screens.journal_grid import JournalGridScreen
from tui_journal.screens.journal_pick import JournalPickScreen
from tui_journal.services import journal
from tui_journal.services.actor import Actor
from tui_journal.services.pending import PendingChange, PendingQueue
from tui_journal.widgets.grade_grid import GradeGrid

DAY = dt.date(2026, 11, 28)  # «today» inside the world's period (5.11–28.12.2026)


def settings_for(tmp_path: Path) -> Settings:
    return Settings(
        db_url="sqlite:///unused-by-the-app.db", idle_minutes=60, lock_after=5, exports_dir=str(tmp_path / "exports")
    )


make_app = app_with_exports


def ref_of(w: World, role: str = "teacher", class_name: str = "7А") -> tuple[journal.JournalRef, Actor]:
    actor = w.actors[role]
    cls = w.classes[class_name]
    return journal.JournalRef(cls.id, class_name, w.subjects["math"].id, "Математика", writable=True), actor


async def open_grid(pilot: Pilot[None], ref: journal.JournalRef, **kwargs: Any) -> GradeGrid:
    await push(pilot, JournalGridScreen(ref, today=DAY, **kwargs))
    return pilot.app.screen.query_one(GradeGrid)


def cell_marks(lesson_id: int, student_id: int) -> list[str]:
    return [
        m.value
        for m in Mark.select().where((Mark.lesson == lesson_id) & (Mark.student == student_id)).order_by(Mark.position)
    ]


def code_of(lesson_id: int, student_id: int) -> str | None:
    row = Attendance.get_or_none((Attendance.lesson == lesson_id) & (Attendance.student == student_id))
    return row.code if row else None


# --- typing marks ----------------------------------------------------------------------------


async def test_teacher_logs_in_opens_the_journal_and_types_a_double_mark(
    world: World, tmp_path: Path, journal_sections: None
) -> None:
    lesson, pupil = world.lessons["7А"], world.students["7А"]

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "teacher", world_module.PASSWORD)
        await open_section(pilot, "section.journal")
        assert isinstance(app.screen, JournalPickScreen)
        pick = screen_text(app)
        await pilot.press("enter")  # the first (his only) journal: 7А — Математика
        await settle(pilot)
        assert isinstance(app.screen, JournalGridScreen)
        await pilot.press("5", "slash", "4")
        await settle(pilot)
        pick, grid = pick, screen_text(app)
    assert "7А — Математика" in pick
    assert cell_marks(lesson.id, pupil.id) == ["5", "4"]
    audit = list(
        AuditEntry.select().where((AuditEntry.entity == "cell") & (AuditEntry.entity_id == f"{lesson.id}:{pupil.id}"))
    )
    assert [(a.old_value, a.new_value) for a in audit] == [("4", "5"), ("5", "5/4")]
    assert all(a.actor_id == world.users["teacher"].id for a in audit)
    assert "5/4" in grid and "5/4*" not in grid
    assert "Сохранено: 5/4" in grid  # short: the cell shows where (fewer bytes a mark)


async def test_attendance_letters_in_both_layouts_and_delete(world: World, tmp_path: Path) -> None:
    ref, teacher = ref_of(world)
    lesson, pupil = world.lessons["7А"], world.students["7А"]
    seen: dict[str, object] = {}

    app = make_app(tmp_path, actor=teacher)
    async with app.run_test(size=SIZE) as pilot:
        await open_grid(pilot, ref)
        await pilot.press("н")  # over «4»: asked once, the second «н» puts them together
        await settle(pilot)
        seen["asked"] = (code_of(lesson.id, pupil.id), cell_marks(lesson.id, pupil.id))
        await pilot.press("н")
        await settle(pilot)
        seen["н"] = (code_of(lesson.id, pupil.id), cell_marks(lesson.id, pupil.id))
        await pilot.press("delete")
        await settle(pilot)
        seen["delete"] = (code_of(lesson.id, pupil.id), cell_marks(lesson.id, pupil.id))
        await pilot.press("n")
        await settle(pilot)
        seen["n"] = code_of(lesson.id, pupil.id)
        for latin, _ in (("b", "б"), ("u", "у"), ("o", "о")):
            await pilot.press(latin)
            await settle(pilot)
            seen[latin] = code_of(lesson.id, pupil.id)
        await pilot.press("Б")  # Caps Lock on the Russian layout
        await settle(pilot)
        seen["Б"] = code_of(lesson.id, pupil.id)
        seen["screen"] = screen_text(app)
    assert seen["asked"] == (None, ["4"])
    assert seen["н"] == ("н", ["4"])  # the absence keeps the mark already there
    assert seen["delete"] == (None, [])
    assert seen["n"] == "н"
    assert (seen["b"], seen["u"], seen["o"], seen["Б"]) == ("б", "у", "о", "б")
    assert " б " in str(seen["screen"])


async def test_digit_replaces_marks_but_keeps_absence_and_backspace_removes_last(
    world: World, tmp_path: Path
) -> None:
    ref, teacher = ref_of(world)
    lesson, pupil = world.lessons["7А"], world.students["7А"]
    texts: list[str] = []

    app = make_app(tmp_path, actor=teacher)
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(pilot, ref)
        for keys in (("н", "н"), ("3",), ("slash", "5"), ("backspace",), ("б", "б", "2")):
            await pilot.press(*keys)
            await settle(pilot)
            texts.append(grid.shown_text(pupil.id, lesson.id))
    # н twice on «4» (asked once) → н4; 3 replaces the marks, keeps н; /5 adds; Backspace drops the 5;
    # б then 2: a mark replaces «б» (only н and о stay with a mark)
    assert texts == ["н4", "н3", "н3/5", "н3", "2"]
    assert cell_marks(lesson.id, pupil.id) == ["2"] and code_of(lesson.id, pupil.id) is None


async def test_ctrl_z_restores_the_previous_value_in_the_database(world: World, tmp_path: Path) -> None:
    ref, teacher = ref_of(world)
    lesson, pupil = world.lessons["7А"], world.students["7А"]
    after: list[list[str]] = []

    app = make_app(tmp_path, actor=teacher)
    async with app.run_test(size=SIZE) as pilot:
        await open_grid(pilot, ref)
        await pilot.press("5")
        await settle(pilot)
        after.append(cell_marks(lesson.id, pupil.id))
        await pilot.press("н", "н")
        await settle(pilot)
        await pilot.press("ctrl+z")
        await settle(pilot)
        after.append([*cell_marks(lesson.id, pupil.id), str(code_of(lesson.id, pupil.id))])
        await pilot.press("ctrl+z")
        await settle(pilot)
        after.append(cell_marks(lesson.id, pupil.id))
    assert after == [["5"], ["5", "None"], ["4"]]


async def test_fill_key_records_everybody_present(world: World, tmp_path: Path) -> None:
    ref, teacher = ref_of(world)
    lesson = world.lessons["7А"]
    assert Lesson.get_by_id(lesson.id).roll_taken_at is None

    app = make_app(tmp_path, actor=teacher)
    async with app.run_test(size=SIZE) as pilot:
        await open_grid(pilot, ref)
        text = await press(pilot, "plus")
    assert Lesson.get_by_id(lesson.id).roll_taken_at is not None
    assert Attendance.select().where(Attendance.lesson == lesson.id).count() == 0  # present = no code
    assert "Посещаемость 27.11 отмечена" in text


async def test_edit_line_sets_work_types_and_comment(world: World, tmp_path: Path) -> None:
    ref, teacher = ref_of(world)
    lesson, pupil = world.lessons["7А"], world.students["7А"]
    control = WorkType.create(school=world.school, name="Контрольная работа", weight=2)

    app = make_app(tmp_path, actor=teacher)
    async with app.run_test(size=SIZE) as pilot:
        await open_grid(pilot, ref)
        shown = await press(pilot, "enter")
        edit = app.screen.query_one("#grid-edit-input", Input)
        assert edit.value == "4:1"  # the cell's mark with its work type's number
        edit.value = ""
        await type_text(pilot, "о4:1/5:контр # у доски")
        await pilot.press("enter")
        await settle(pilot)
    assert "Виды работ: 1 Ответ на уроке" in shown
    marks = list(Mark.select().where((Mark.lesson == lesson.id) & (Mark.student == pupil.id)).order_by(Mark.position))
    assert [(m.value, m.work_type_id, m.comment) for m in marks] == [
        ("4", WorkType.get(WorkType.name == "Ответ на уроке").id, "у доски"),
        ("5", control.id, "у доски"),
    ]
    assert code_of(lesson.id, pupil.id) == "о"


# --- period marks ------------------------------------------------------------------------


async def test_period_mark_accepted_with_a_key_or_given_with_a_reason(world: World, tmp_path: Path) -> None:
    ref, teacher = ref_of(world)
    pupil = world.students["7А"]
    # three more marks so that the proposal is a mark, not «н/а»: 4, 5, 5, 5 → 4,75 → 5
    lessons = [
        Lesson.create(school_class=world.classes["7А"], subject=world.subjects["math"], date=dt.date(2026, 11, d), number=1,
                      teacher=world.users["teacher"])
        for d in (10, 12, 17)
    ]
    for ls in lessons:
        Mark.create(student=pupil, lesson=ls, value="5", work_type=WorkType.get(WorkType.name == "Ответ на уроке"))
    results: list[tuple[str, str, str] | None] = []

    def period_mark() -> tuple[str, str, str] | None:
        pm = PeriodMark.get_or_none(PeriodMark.student == pupil.id)
        return (pm.value, pm.proposed, pm.reason) if pm else None

    app = make_app(tmp_path, actor=teacher)
    async with app.run_test(size=SIZE) as pilot:
        await open_grid(pilot, ref)
        await pilot.press("end")  # the «Итог» column
        await pilot.press("equals_sign")
        await settle(pilot)
        results.append(period_mark())
        asking = await press(pilot, "4")  # differs from the proposal: the edit line asks why
        results.append(period_mark())
        await type_text(pilot, "пропустил контрольную")
        await pilot.press("enter")
        await settle(pilot)
        results.append(period_mark())
        await pilot.press("enter")  # the edit line for н/а, осв, зач, «год 5»
        edit = app.screen.query_one("#grid-edit-input", Input)
        edit.value = ""
        await type_text(pilot, "год 5")
        await pilot.press("enter")
        await settle(pilot)
    assert results[0] == ("5", "5", "")
    assert results[1] == ("5", "5", "")  # nothing saved before the reason
    assert "Причина (4 вместо 5)" in asking
    assert results[2] == ("4", "5", "пропустил контрольную")
    year = PeriodMark.get(PeriodMark.kind == "year")
    assert (year.value, year.period_id) == ("5", None)


# --- who may write ---------------------------------------------------------------------------


async def test_read_only_viewer_cannot_write(world: World, tmp_path: Path) -> None:
    ref, deputy = ref_of(world, "deputy")
    before = fingerprint()

    app = make_app(tmp_path, actor=deputy)
    shown = []
    async with app.run_test(size=SIZE) as pilot:
        await open_grid(pilot, ref)
        shown.append(screen_text(app))
        for key in ("5", "н", "delete", "plus", "end", "equals_sign"):
            await pilot.press(key)
            await settle(pilot)
            shown.append(status(app))
    assert fingerprint() == before
    assert "Учеников К." in shown[0] and " 4 " in shown[0]  # he reads the grid
    assert all(s == t("grid.read_only") for s in shown[1:]), shown
    assert "Только просмотр" in shown[1]


async def test_grade_one_refuses_marks_with_the_note(world: World, tmp_path: Path) -> None:
    year = AcademicYear.get()
    first = SchoolClass.create(school=world.school, year=year, grade=1, letter="А")
    Assignment.create(teacher=world.users["teacher"], school_class=first, subject=world.subjects["math"])
    pupil = make_student(world.school, first, "Малышев", "Миша")
    lesson = Lesson.create(school_class=first, subject=world.subjects["math"], date=dt.date(2026, 11, 27), number=2,
                           teacher=world.users["teacher"])
    world.classes["1А"] = first
    ref, teacher = ref_of(world, class_name="1А")

    app = make_app(tmp_path, actor=teacher)
    async with app.run_test(size=SIZE) as pilot:
        await open_grid(pilot, ref)
        opened = status(app)
        await pilot.press("5")
        await settle(pilot)
        refused = status(app)
        await pilot.press("б")  # attendance is kept in grade 1
        await settle(pilot)
    assert "В 1-х классах" in opened
    assert "В 1-х классах" in refused and "отметки" in refused
    assert cell_marks(lesson.id, pupil.id) == []
    assert code_of(lesson.id, pupil.id) == "б"


async def test_markup_in_a_pupil_name_is_shown_literally(world: World, tmp_path: Path) -> None:
    make_student(world.school, world.classes["7А"], "[b]X[/b]", "Иван")
    ref, teacher = ref_of(world)

    app = make_app(tmp_path, actor=teacher)
    async with app.run_test(size=SIZE) as pilot:
        await open_grid(pilot, ref)
        text = screen_text(app)
    assert "[b]X[/b] И." in text


# --- a big class: scrolling, fixed names and totals ----------------------------------------


async def test_big_class_starts_at_today_and_keeps_names_and_totals_visible(
    world: World, tmp_path: Path
) -> None:
    cls = world.classes["7А"]
    for i in range(30):
        make_student(world.school, cls, f"Ученик{i:02d}", "Пётр")
    days = [dt.date(2026, 11, 6) + dt.timedelta(days=d) for d in range(0, 50, 2)]  # 06.11 … 28.11 …
    for day in days:
        Lesson.create(school_class=cls, subject=world.subjects["math"], date=day, number=3, teacher=world.users["teacher"])
    ref, teacher = ref_of(world)
    out: dict[str, object] = {}

    app = make_app(tmp_path, actor=teacher)
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(pilot, ref)
        out["start"] = screen_text(app)
        column = grid.current_column
        out["column"] = column.date if column else None
        await pilot.press("pagedown", "pagedown")
        out["bottom_left"] = await press(pilot, "home")
        row = grid.current_row
        out["row"] = row.name if row else None
        await pilot.press("end")
        await settle(pilot)
        out["final"] = grid.on_final
    start = str(out["start"])
    assert out["column"] == DAY  # the last lesson up to «today»
    assert "28.11" in start and "Ср." in start and "Итог" in start
    header = start.splitlines()[1]
    assert header.index("28.11") < header.index("Итог")
    bottom = str(out["bottom_left"])
    bottom_header = bottom.splitlines()[1]
    assert "06.11" in bottom_header and "28.11" not in bottom_header  # scrolled back to the first lesson
    assert "Ученик29 П." in bottom and "Итог" in bottom  # names and totals stay put
    assert out["row"] == "Учеников К."  # the last pupil (by surname)
    assert out["final"] is True


async def test_period_keys_switch_periods(world: World, tmp_path: Path) -> None:
    from tui_journal.db.models import Period

    year = AcademicYear.get()
    Period.create(year=year, name="3 четверть", kind="quarter", ordinal=3, start=dt.date(2027, 1, 9), end=dt.date(2027, 3, 20))
    ref, teacher = ref_of(world)

    app = make_app(tmp_path, actor=teacher)
    async with app.run_test(size=SIZE) as pilot:
        await open_grid(pilot, ref)
        first = screen_text(app)
        second = await press(pilot, "ъ")  # «]» on the Russian layout
        await pilot.press("left_square_bracket")
        await settle(pilot)
        first, second, back = first, second, screen_text(app)
    assert "2 четверть" in first and "3 четверть" in second and "2 четверть" in back
    assert "В периоде «3 четверть» уроков нет" in second


# --- a busy database --------------------------------------------------------------------------


async def test_locked_database_queues_the_mark_and_saves_it_after_the_lock_is_released(
    world: World, db: Database, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref, teacher = ref_of(world)
    lesson, pupil = world.lessons["7А"], world.students["7А"]
    monkeypatch.setattr(JournalGridScreen, "RETRY_SECONDS", 0.2)
    # every connection of the app (one per worker thread) waits 50 ms for the lock, not 10 s
    database_proxy.obj.execute_sql("PRAGMA busy_timeout=50")
    database_proxy.obj.pragma("busy_timeout", 50, permanent=True)
    other = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    queue = PendingQueue(pending_dir(settings_for(tmp_path)), teacher.login)
    seen: dict[str, object] = {}

    async def main() -> None:
        app = make_app(tmp_path, actor=teacher)
        async with app.run_test(size=SIZE) as pilot:
            grid = await open_grid(pilot, ref)
            other.execute("BEGIN IMMEDIATE")  # another session holds the write lock
            seen["locked_screen"] = await press(pilot, "5")
            seen["unsaved"] = grid.is_unsaved(pupil.id, lesson.id)
            seen["queued"] = [(c.lesson_id, c.student_id, c.text) for c in queue.items()]
            seen["db_while_locked"] = cell_marks(lesson.id, pupil.id)
            other.rollback()
            await wait_until(pilot, lambda: not grid.is_unsaved(pupil.id, lesson.id), "the retried save")
            await settle(pilot)
            seen["after_screen"] = screen_text(app)
            seen["unsaved_after"] = grid.is_unsaved(pupil.id, lesson.id)

    try:
        await main()
    finally:
        other.close()
    assert seen["db_while_locked"] == ["4"]
    assert seen["unsaved"] is True
    assert "5*" in str(seen["locked_screen"])
    assert "НЕ СОХРАНЕНО" in str(seen["locked_screen"])
    assert seen["queued"] == [(lesson.id, pupil.id, "5")]
    assert cell_marks(lesson.id, pupil.id) == ["5"]
    assert seen["unsaved_after"] is False
    assert "5*" not in str(seen["after_screen"])
    assert queue.items() == []


async def test_pending_change_is_flushed_when_the_journal_opens_at_the_next_start(
    world: World, tmp_path: Path, journal_sections: None
) -> None:
    _ref, teacher = ref_of(world)
    lesson, pupil = world.lessons["7А"], world.students["7А"]
    queue = PendingQueue(pending_dir(settings_for(tmp_path)), teacher.login)
    queue.add(PendingChange.cell(lesson.id, pupil.id, "3/5"))  # left by a session that was closed

    app = make_app(tmp_path, actor=teacher)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        section = sections.get_section("journal")
        assert section is not None
        await pilot.app.push_screen(section.make_screen())
        await settle(pilot)
        text = await press(pilot, "enter")
    assert cell_marks(lesson.id, pupil.id) == ["3", "5"]
    assert queue.items() == []
    assert "3/5" in text and "3/5*" not in text
    assert AuditEntry.select().where((AuditEntry.entity == "cell") & (AuditEntry.new_value == "3/5")).count() == 1


# --- the Linux console ---------------------------------------------------------------------------


async def test_linux_console_gets_ascii_separators(world: World, tmp_path: Path) -> None:
    ref, teacher = ref_of(world)

    app = make_app(tmp_path, actor=teacher, term="linux")
    async with app.run_test(size=SIZE) as pilot:
        await open_grid(pilot, ref)
        text = screen_text(app)
    header = text.splitlines()[1]
    assert "|" in header and "│" not in header and "◂" not in header


# --- the column's work type and the lesson panel from the grid ---------------------------------


async def test_f3_sets_the_column_work_type_and_f4_opens_the_lesson_panel(
    world: World, tmp_path: Path
) -> None:
    from tui_journal.screens.lesson_panel import LessonPanelScreen

    ref, teacher = ref_of(world)
    lesson = world.lessons["7А"]
    control = WorkType.create(school=world.school, name="Контрольная работа", weight=2)
    out: dict[str, object] = {}

    app = make_app(tmp_path, actor=teacher)
    async with app.run_test(size=SIZE) as pilot:
        await open_grid(pilot, ref)
        await pilot.press("f3")
        await pilot.press("escape")  # closes the edit line, stays in the grid
        out["after_escape"] = (isinstance(app.screen, JournalGridScreen), app.screen.query_one("#grid-edit").display)
        await pilot.press("f3")
        await type_text(pilot, "контр")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        out["panel"] = isinstance(app.screen, LessonPanelScreen)
        plan = app.screen.query_one("#lesson-plan", OptionList)
        plan.focus()
        plan.highlighted = 1
        await pilot.press("enter", "f2")
        await settle(pilot)
        await pilot.press("escape")  # back to the grid, which reloads the lesson
        await settle(pilot)
        # the info line follows the cursor after a short pause
        out["grid"] = await wait_for_text(pilot, "Контрольная работа · Проценты")
    assert out["after_escape"] == (True, False)
    assert Lesson.get_by_id(lesson.id).work_type_id == control.id
    assert out["panel"] is True
    assert "27.11 1-й ур. · Контрольная работа · Проценты" in str(out["grid"])


async def test_the_info_line_says_when_the_columns_homework_is_due(world: World, tmp_path: Path) -> None:
    """Issue 11: homework set at a lesson is due at the next lesson of the subject; the
    grid's info line under the column says «ДЗ к …»."""
    ref, teacher = ref_of(world)
    lesson = world.lessons["7А"]
    Lesson.create(school_class=world.classes["7А"], subject=world.subjects["math"],
                  date=lesson.date + dt.timedelta(days=3), number=1, teacher=world.users["teacher"])
    journal.set_lesson_info(teacher, lesson.id, homework="№ 7")

    app = make_app(tmp_path, actor=teacher)
    async with app.run_test(size=SIZE) as pilot:
        await open_grid(pilot, ref)
        line = app.screen.query_one("#grid-info", Static)
        await wait_until(pilot, lambda: "ДЗ к" in str(line.render()), "the info line")  # it follows the cursor
        info = str(line.render())
    due = lesson.date + dt.timedelta(days=3)
    assert f"ДЗ к {due:%d.%m}" in info, info
