"""The class teacher's, the deputy's, the director's, the educator's screens and messages at
80x24, driven by keys as a user would."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.widgets import DataTable, Input, OptionList

from tests.export.helpers import pdf_text
from tests.factories.rows import mark_absent
from tests.services.world import World
from tests.ui.conftest import SIZE, make_app, screen_text, settle, type_text
from tests.ui.pilot import app_with_exports, fits, open_section, press, push, wait_for_text
from tui_journal.db.models import (
    Announcement,
    Assignment,
    Attendance,
    AuditEntry,
    Lesson,
    Message,
    SchoolClass,
    Subject,
)
from tui_journal.screens import classteacher as ct_screens
from tui_journal.screens import control as control_screens
from tui_journal.screens import diary as diary_screens
from tui_journal.screens import educator as educator_screens
from tui_journal.screens.classteacher import ClassTeacherScreen
from tui_journal.screens.control import ControlScreen, SignScreen
from tui_journal.screens.educator import EducatorScreen
from tui_journal.screens.messages import AnnouncementsScreen, MessagesScreen
from tui_journal.screens.reports import ReportsScreen
from tui_journal.services import messages, signing
from tui_journal.services.actor import Actor

TODAY = dt.date(2026, 11, 27)


def chosen_report(app: App[None]) -> str | None:
    """The name of the report highlighted on the reports screen (None on another screen)."""
    screen = app.screen
    if not isinstance(screen, ReportsScreen):
        return None
    index = screen.query_one("#report-list", OptionList).highlighted
    return screen.specs[index].name if index is not None else None


@pytest.fixture
def w(world: World, with_role_sections: None, monkeypatch: pytest.MonkeyPatch) -> World:
    for module in (diary_screens, ct_screens, control_screens, educator_screens):
        monkeypatch.setattr(module, "today", lambda: TODAY)
    mark_absent(world.students["8Б"], world.lessons["8Б"], "н", entered_by=world.users["class_teacher"])
    return world


async def test_the_class_teacher_turns_n_into_b_and_both_codes_are_kept(w: World) -> None:
    app = make_app(actor=w.actors["class_teacher"])
    async with app.run_test(size=SIZE) as pilot:
        await open_section(pilot, "section.classteacher")
        assert isinstance(app.screen, ClassTeacherScreen)
        before = screen_text(app)
        prompt = await press(pilot, "б")
        await type_text(pilot, "справка [b]№ 5[/b]")
        after = await press(pilot, "enter")
        pupils = await press(pilot, "2")
        warnings = await press(pilot, "3")
    fits(before)
    assert "8Б · посещаемость: неделя 23.11 – 27.11.2026" in before
    assert "Другой Д." in before and "Математика" in before
    assert "н→б (отсутствие по болезни), причина:" in prompt
    fits(after)
    assert "н→б" in after and "справка [b]№ 5[/b]" in after
    assert "код учителя сохранён" in after
    record = Attendance.get()
    assert (record.code, record.corrected_code, record.reason) == ("н", "б", "справка [b]№ 5[/b]")
    fits(pupils)
    assert "Другой Денис" in pupils and "Чужая Чара" in pupils
    fits(warnings)
    assert "ранние предупреждения" in warnings


async def test_the_class_teacher_issues_credential_slips(
    w: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    app = make_app(actor=w.actors["class_teacher"], settings={"exports_dir": str(tmp_path / "exports"),
                                                               "ssh_address": "10.0.0.5"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(ClassTeacherScreen())  # not awaited: awaiting its mount leaves settle() a cancelled loader
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        armed = " ".join(screen_text(app).split())
        slips = await press(pilot, "enter")
        await pilot.press("f7")
        await settle(pilot)
        armed, slips, saved = armed, slips, screen_text(app)
    assert "Новые пароли всему классу 8Б: 2 уч. записей (учащихся 1, родителей 1)?" in armed
    fits(slips)
    assert "otherstudent" in slips and "otherparent" in slips
    assert not list(tmp_path.glob("*.txt"))  # no text file in the working directory any more
    files = list((tmp_path / "exports").glob("credentials_8Б_*.pdf"))
    assert len(files) == 1, files
    text = pdf_text(files[0].read_bytes())
    assert "otherparent" in text and "otherstudent" in text and "ssh otherparent@10.0.0.5" in text
    assert files[0].stat().st_mode & 0o077 == 0
    assert "Листки сохранены" in saved


async def test_the_deputy_opens_the_control_screen(w: World) -> None:
    app = make_app(actor=w.actors["deputy"])
    async with app.run_test(size=SIZE) as pilot:
        await open_section(pilot, "section.control")
        assert isinstance(app.screen, ControlScreen)
        teachers = screen_text(app)
        await pilot.press("down", "down", "down")  # by name: Воспитателева, Забытов, Классная, Учителев
        journals = await press(pilot, "enter")
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("enter")  # 7А
        await settle(pilot)
        objectivity = await press(pilot, "3")
        await pilot.press("r")
        await settle(pilot)
        reports: tuple[str | None, ...] = (
            type(app.screen).__name__,
            chosen_report(app),
            app.screen.query_one("#report-class", Input).value,
            app.screen.query_one("#report-period", Input).value,
        )
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        weekly = chosen_report(app)
        teachers, journals, objectivity, reports = teachers, journals, objectivity, (*reports, weekly)
    fits(teachers)
    assert "Учителев Иван Иванович" in teachers and "2 четверть (05.11 – 28.12.2026)" in teachers
    fits(journals)
    assert "Журналы: Учителев Иван Иванович" in journals and "7А Математика" in journals
    assert "Без темы: 27.11" in journals
    fits(objectivity)
    assert "Объективность итоговых отметок 7А" in objectivity and "нет контрольной" in objectivity
    # the reports engine's screen with the report chosen and the class and period filled in
    assert reports == ("ReportsScreen", "monitoring", "7А", "2 четверть", "parent-weekly")


async def test_the_director_signs_a_file_in_the_app(
    w: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file is chosen from the exports folder's list; a typed path is never opened."""
    from tui_journal.screens import control

    signing.create_key(w.school.id, "admin")
    exports = tmp_path / "exports"
    exports.mkdir()
    report = exports / "журнал-7А.pdf"
    report.write_bytes(b"%PDF-1.4 test\n")
    (exports / "старый.xlsx").write_bytes(b"PK")
    os.utime(exports / "старый.xlsx", (1_700_000_000, 1_700_000_000))
    outside = tmp_path / "secret.txt"
    outside.write_text("SECRET-LINE\n", encoding="utf-8")
    (exports / "link.pdf").symlink_to(outside)
    signed_paths: list[Path] = []
    real_sign = signing.sign_file

    def spy(actor: Actor, path: str | Path, **kwargs: Any) -> Any:
        signed_paths.append(Path(path))
        return real_sign(actor, path, **kwargs)

    monkeypatch.setattr(control.signing, "sign_file", spy)

    async def main() -> tuple[str, str, str]:
        app = app_with_exports(tmp_path, w.actors["director"])
        async with app.run_test(size=SIZE) as pilot:
            await open_section(pilot, "section.sign")
            assert isinstance(app.screen, SignScreen)
            await settle(pilot)
            listed = screen_text(app)
            await type_text(pilot, str(outside))  # typing a path does nothing
            await settle(pilot)
            signed = await press(pilot, "enter")  # signs the highlighted (newest) file
            await pilot.press("f3")
            await settle(pilot)
            return listed, signed, screen_text(app)

    listed, signed, verified = await main()
    assert "журнал-7А.pdf" in listed and "старый.xlsx" in listed and "link.pdf" not in listed
    assert listed.index("журнал-7А.pdf") < listed.index("старый.xlsx")
    assert signed_paths == [report]
    assert "SECRET-LINE" not in signed + verified and not outside.with_name("secret.txt.sig").exists()
    fits(signed)
    assert "Подпись записана" in signed and "Директорова Дарья Дмитриевна (директор)" in signed
    assert report.with_name(report.name + ".sig").is_file()
    assert "Подпись верна" in verified
    assert AuditEntry.select().where(AuditEntry.action == "sign").count() == 1


async def test_a_message_is_written_read_and_the_unread_count_drops(w: World) -> None:
    app = make_app(actor=w.actors["teacher"])
    async with app.run_test(size=SIZE) as pilot:
        await open_section(pilot, "section.messages")
        assert isinstance(app.screen, MessagesScreen)
        await pilot.press("f2")
        await settle(pilot)
        await type_text(pilot, "Родителева")
        await wait_for_text(pilot, "Родителева Рита Романовна")  # the debounced search
        choosing = screen_text(app)
        await pilot.press("enter")  # add the highlighted person
        await settle(pilot)
        await pilot.press("enter")  # an empty «Кому»: on to the subject
        await type_text(pilot, "Дроби")
        await pilot.press("enter")
        await type_text(pilot, "[red]Коля[/red] молодец")
        await pilot.press("enter")  # a new line: the text is multi-line
        await type_text(pilot, "Спасибо!")
        writing = screen_text(app)
        await pilot.press("f2")  # F2 sends (Ctrl+Enter does not cross every SSH client)
        await settle(pilot)
        choosing, writing, sent = choosing, writing, screen_text(app)
    fits(choosing)
    assert "Родителева Рита Романовна" in choosing
    fits(writing)
    assert "F2 Отправить" in writing and "Спасибо!" in writing
    assert "Отправлено, получателей: 1" in sent
    assert Message.get().body == "[red]Коля[/red] молодец\nСпасибо!"
    assert messages.unread_counts(w.actors["parent"]) == (1, 0)

    app = make_app(actor=w.actors["parent"])
    async with app.run_test(size=SIZE) as pilot:
        await open_section(pilot, "section.messages")
        before = screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        before, opened = before, screen_text(app)
    assert "непрочитанных: 1" in before
    fits(opened)
    assert "непрочитанных: 0" in opened and "[red]Коля[/red] молодец" in opened and "Спасибо!" in opened
    assert messages.unread_counts(w.actors["parent"]) == (0, 0)


async def test_a_pupil_cannot_write_to_the_director(w: World) -> None:
    app = make_app(actor=w.actors["student"])
    async with app.run_test(size=SIZE) as pilot:
        await push(pilot, MessagesScreen())
        await pilot.press("f2")
        await type_text(pilot, "Директорова")
        text = await wait_for_text(pilot, "Никого не найдено")  # the debounced search
    assert "Никого не найдено" in text


async def test_announcements_are_read_and_counted(w: World) -> None:
    Announcement.create(school=w.school, title="Каникулы [b]зимние[/b]", body="С 29 декабря", author=w.users["director"])

    app = make_app(actor=w.actors["parent"])
    async with app.run_test(size=SIZE) as pilot:
        await open_section(pilot, "section.announcements")
        assert isinstance(app.screen, AnnouncementsScreen)
        before = screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        before, after = before, screen_text(app)
    assert "непрочитанных: 1" in before
    fits(after)
    assert "Каникулы [b]зимние[/b]" in after and "С 29 декабря" in after
    assert messages.unread_counts(w.actors["parent"]) == (0, 0)


async def test_the_educator_sets_a_session_topic(w: World) -> None:
    gkp = w.classes["ГКП"]
    SchoolClass.update(class_teacher=w.users["educator"]).where(SchoolClass.id == gkp.id).execute()
    world_subject = Subject.create(school=w.school, name="Рисование, лепка")
    Assignment.create(teacher=w.users["educator"], school_class=gkp, subject=world_subject)
    lesson = Lesson.create(school_class=gkp, subject=world_subject, date=TODAY, number=1, teacher=w.users["educator"])

    app = make_app(actor=w.actors["educator"])
    async with app.run_test(size=SIZE) as pilot:
        await open_section(pilot, "section.educator")
        assert isinstance(app.screen, EducatorScreen)
        before = screen_text(app)
        await pilot.press("enter")
        await type_text(pilot, "Осенние листья")
        await pilot.press("enter")
        await settle(pilot)
        before, after = before, screen_text(app)
    fits(before)
    assert "Рисование, лепка" in before
    assert "Осенние листья" in after
    assert Lesson.get_by_id(lesson.id).topic == "Осенние листья"


async def test_the_educator_opens_the_day_sheet_of_his_group(w: World) -> None:
    """Issue 11: T on the educator's screen shows the group's day sheet of the month (the
    basis of the parents' fee) on screen; F2 makes its PDF like any report."""
    from tui_journal.screens.reports import ReportsScreen

    gkp = w.classes["ГКП"]
    talk = Subject.create(school=w.school, name="Развитие речи")
    Assignment.create(teacher=w.users["educator"], school_class=gkp, subject=talk)
    from tests.services.world import make_student

    child = make_student(w.school, gkp, "Малышева", "Маша")
    lesson = Lesson.create(school_class=gkp, subject=talk, date=TODAY, number=1, teacher=w.users["educator"])
    Attendance.create(student=child, lesson=lesson, code="б", entered_by=w.users["educator"])

    app = make_app(actor=w.actors["educator"])
    async with app.run_test(size=SIZE) as pilot:
        await open_section(pilot, "section.educator")
        await pilot.press("t")
        await settle(pilot)
        await settle(pilot)
        screen = app.screen
        model = screen.model if isinstance(screen, ReportsScreen) else None
        text, model = screen_text(app), model
    fits(text)
    assert model is not None and model.name == "day-sheet", text
    assert "Табель посещаемости" in text
    assert [r[1:] for r in model.rows] == [["Малышева Маша", "б", 0, 1, 0, 0]]


def test_every_text_of_these_screens_is_in_the_catalogue() -> None:
    """Keys written literally or built from the column and rule tables all exist in RU."""
    import re

    from tui_journal.i18n import RU
    from tui_journal.screens import messages as message_screens
    from tui_journal.services import classteacher as ct_service
    from tui_journal.services import control as control_service

    used: set[str] = set()
    root = Path(diary_screens.__file__).parent
    names = ("diary", "diary_text", "messages", "message_compose", "message_text", "recipients", "writing",
             "classteacher", "control", "educator", "role_sections")
    files = [root / f"{name}.py" for name in names]
    files.append(root.parent / "cli" / "sign.py")
    for path in files:
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'\bt\(\s*"([^"]+)"', text))
        used |= set(re.findall(r'"(section\.[a-z_]+)"', text))
        used |= {f"help.{key}" for key in re.findall(r'HELP_KEY: ClassVar\[str\] = "([^"]+)"', text)}
    tables = (
        (diary_screens.WEEK_COLUMNS, "diary.col"), (diary_screens.MARKS_COLUMNS, "diary.mcol"),
        (diary_screens.SUBJECT_COLUMNS, "diary.scol"), (diary_screens.TIMETABLE_COLUMNS, "diary.tcol"),
        (message_screens.MESSAGE_COLUMNS, "msg.col"), (message_screens.ANNOUNCEMENT_COLUMNS, "ann.col"),
        (educator_screens.COLUMNS, "edu.col"),
    )
    for columns, prefix in tables:
        used |= {f"{prefix}.{key}" for key, _ in columns}
    for mode, mode_columns in ct_screens.COLUMNS.items():
        used |= {f"ct.col.{mode}.{key}" for key, _ in mode_columns}
    for view, view_columns in control_screens.COLUMNS.items():
        used |= {f"ctl.col.{view}.{key}" for key, _ in view_columns}
    used |= {f"ct.rule.{rule}" for rule in ct_service.RULES}
    used |= {f"ctl.rule.{rule}" for rule in control_service.OBJECTIVITY_RULES}
    used |= {f"ctl.report.{p}" for p in (control_screens.PRESET_MONITORING, control_screens.PRESET_WEEKLY_PARENTS)}
    assert sorted(key for key in used if key not in RU) == []


async def test_the_class_teacher_edits_contacts_and_covers_days_with_one_note(w: World) -> None:
    from tui_journal.db.models import Student, User

    app = make_app(actor=w.actors["class_teacher"])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(ClassTeacherScreen())  # not awaited: awaiting its mount leaves settle() a cancelled loader
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("f2")
        await pilot.press("ctrl+u")  # clear the line (the old, empty contacts)
        await type_text(pilot, "+7 900 111-22-33; chara@example.ru")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("k")
        await settle(pilot)
        card = await press(pilot, "enter")  # the personal card
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("f3")
        await type_text(pilot, "23.11–27.11 у соревнования")
        await pilot.press("enter")
        await settle(pilot)
        card, days = card, screen_text(app)
    parent = User.get(User.login == "otherparent")
    assert (parent.phone, parent.email) == ("+7 900 111-22-33", "chara@example.ru")
    assert Student.get_by_id(w.students["8Б"].id).contacts_checked_at == TODAY
    assert "Другой Денис · 8Б" in card and "Движение: 8Б 01.09.2026" in card
    assert "Исправлено уроков: 1" in days and "н→у" in days


async def test_the_class_teacher_sees_pupils_by_days_with_his_corrections_apart(w: World) -> None:
    """Issue 11: key 5 shows the usual pupils × days table of the week; a code the class
    teacher corrected is drawn in reverse video, the teacher's own codes plainly."""
    from tui_journal.services import classteacher

    lesson = w.lessons["8Б"]
    classteacher.correct_attendance(w.actors["class_teacher"], lesson.id, w.students["8Б"].id, "б", "справка")

    app = make_app(actor=w.actors["class_teacher"])
    async with app.run_test(size=SIZE) as pilot:
        await open_section(pilot, "section.classteacher")
        await pilot.press("5")
        await settle(pilot)
        table = app.screen.query_one("#ct-table", DataTable)
        row = table.get_row(str(w.students["8Б"].id))
        text, row = screen_text(app), row
    fits(text)
    assert "ученики × дни" in text and "Дн" in text and "Ур" in text
    day = lesson.date
    assert f"{['Пн', 'Вт', 'Ср', 'Чт', 'Пт', 'Сб', 'Вс'][day.weekday()]}{day.day}" in text
    assert "Пн23" in text  # every school day of the week is a column
    cells = [c for c in row[1:-2] if c.plain.strip()]
    assert [c.plain for c in cells] == ["б"]
    assert any("reverse" in str(span.style) for span in cells[0].spans)  # the correction stands apart
    assert "исправлено классным руководителем" in text
