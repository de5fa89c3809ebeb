"""The diary at 80x24 (R-D-1, R-D-2): a parent opens it from the home screen, sees the week's
marks and homework, moves to the next week and switches child; a pupil sees his own."""

from __future__ import annotations

import datetime as dt

import pytest
from peewee import Database

from tests.services.test_diary import TODAY, build_diary_world
from tests.services.world import World
from tests.ui.conftest import SIZE, make_app, screen_text, settle
from tests.ui.pilot import fits, open_section, press
from tui_journal.screens import diary as diary_screens
from tui_journal.screens.diary import DiaryScreen, MarksScreen, SubjectScreen, TimetableScreen


@pytest.fixture
def w(db: Database, with_role_sections: None, monkeypatch: pytest.MonkeyPatch) -> World:
    monkeypatch.setattr(diary_screens, "today", lambda: TODAY)
    return build_diary_world()


async def test_a_parent_reads_the_week_moves_on_and_switches_child(w: World) -> None:
    app = make_app(actor=w.actors["parent"])
    async with app.run_test(size=SIZE) as pilot:
        await open_section(pilot, "section.diary")
        assert isinstance(app.screen, DiaryScreen)
        first = screen_text(app)
        monday = await press(pilot, "up", "up", "up", "up", "up", "up")  # to Monday's lesson
        next_week = await press(pilot, "right_square_bracket")
        await pilot.press("х")  # the Russian layout's [
        await settle(pilot)
        other_child = await press(pilot, "c")
    fits(first)
    assert "Родителева Аня, 7А" in first  # the first child alphabetically
    assert "неделя 23.11 – 27.11.2026" in first and "ребёнок 1 из 2" in first
    assert "Пн 23.11" in first and "Математика" in first and "Сложение дробей" in first
    assert "3" in first  # Аня's mark on Monday
    # set on Monday for Friday's lesson: shown as «задано к 27.11», as typed (markup literally)
    assert "Задание: — · задано к 27.11: § 3 [b]выучить[/b]; стр. 45" in monday
    assert "Отметки: 3 — Контрольная работа" not in monday and "Отметки: 3" in monday
    assert "неделя 30.11 – 04.12.2026" in next_week and "(по расписанию)" in next_week
    assert "Учеников Коля, 7А" in other_child and "ребёнок 2 из 2" in other_child
    assert "н" in other_child and "Причастие" in other_child


async def test_a_pupil_sees_his_own_diary_and_the_subject_forecast(w: World) -> None:
    app = make_app(actor=w.actors["student"])
    async with app.run_test(size=SIZE) as pilot:
        await open_section(pilot, "section.diary")
        week = screen_text(app)
        subject = await press(pilot, "enter")  # the highlighted lesson: Friday's math
        on_subject = isinstance(app.screen, SubjectScreen)
        await pilot.press("escape")
        marks = await press(pilot, "s")
        on_marks = isinstance(app.screen, MarksScreen)
        await pilot.press("escape")
        timetable = await press(pilot, "к")  # R on the Russian layout
        on_timetable = isinstance(app.screen, TimetableScreen)
    fits(week)
    assert "Учеников Коля, 7А" in week and "ребёнок" not in week
    assert on_subject and on_marks and on_timetable
    fits(subject)
    assert "(5×2 + 4×1) / (2 + 1) = 14 / 3 = 4,66" in subject
    assert "мало отметок (2 из 3)" in subject and "н/а" not in subject
    assert "На «5» нужно ещё 1 пятёрка" in subject
    fits(marks)
    assert "Математика" in marks and "4,66" in marks
    fits(timetable)
    assert "08:30–09:15" in timetable and "Русский язык" in timetable


async def test_a_class_teacher_opens_a_pupils_diary_by_id_but_a_parent_cannot_reach_a_stranger(
    w: World
) -> None:
    app = make_app(actor=w.actors["parent"])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(DiaryScreen(w.students["8Б"].id, day=TODAY))  # not awaited: awaiting its mount leaves settle() a cancelled loader
        await settle(pilot)
        text = screen_text(app)
    assert "Недостаточно прав" in text and "Другой" not in text


async def test_the_diary_of_an_empty_week_says_so(w: World) -> None:
    app = make_app(actor=w.actors["student"])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(DiaryScreen(day=dt.date(2026, 11, 2)))  # not awaited: awaiting its mount leaves settle() a cancelled loader
        await settle(pilot)
        text = screen_text(app)
    assert "осенние кани" in text  # the holidays, cut to the column


LONG_TOPIC = "Сложение дробей с разными знаменателями: приведение к общему знаменателю и примеры КОНЕЦ_ТЕМЫ"
LONG_HOMEWORK = " ".join(f"упражнение {i} из сборника задач, письменно с проверкой;" for i in range(1, 16)) + " КОНЕЦ_ЗАДАНИЯ"
LONG_COMMENT = "Решение верное, но " + "оформление неаккуратное, " * 8 + "КОНЕЦ_КОММЕНТАРИЯ"


@pytest.mark.parametrize("size", [SIZE, (40, 30)])
async def test_the_whole_topic_homework_and_mark_comment_are_reachable(
    w: World, size: tuple[int, int]
) -> None:
    """A long topic and homework are cut in the week's table (or not in it at all on a phone)
    but shown in full under it; the pane scrolls to their end (Tab, End). The same for a
    teacher's long comment on the subject screen."""
    from tui_journal.db.models import Lesson, Mark
    from tui_journal.widgets.reading import ReadingPane

    lesson = Lesson.get(Lesson.topic == "Сложение дробей")
    Lesson.update(topic=LONG_TOPIC, homework=LONG_HOMEWORK).where(Lesson.id == lesson.id).execute()
    Mark.update(comment=LONG_COMMENT).where(Mark.lesson == lesson.id).execute()

    app = make_app(actor=w.actors["parent"])
    async with app.run_test(size=size) as pilot:
        await open_section(pilot, "section.diary")
        screen = app.screen
        narrow = screen.has_class("-narrow")
        first = await press(pilot, "up", "up", "up", "up", "up", "up")  # to Monday's lesson
        await pilot.press("tab")
        focused = isinstance(app.focused, ReadingPane)
        pages = []
        for _ in range(8):  # PageDown through the pane: every part of it shows on some page
            await pilot.press("pagedown")
            await pilot.pause()
            pages.append(screen_text(app))
        await pilot.press("home")
        await pilot.press("end")
        await pilot.pause()
        end = screen_text(app)
        shown = screen.query_one("#diary-detail", ReadingPane).text.plain
        subject = await press(pilot, "shift+tab", "enter")  # back to the table; the subject
        await pilot.press("tab", "end")
        await pilot.pause()
        last = app.screen.query_one("#subject-summary", ReadingPane).text.plain.split("\n")[-1]
        narrow, first, focused, pages, end, shown, subject, subject_end, last = narrow, first, focused, pages, end, shown, subject, screen_text(app), last
    assert narrow == (size[0] < 60)
    for text in (first, end, subject, subject_end):
        lines = text.split("\n")
        assert len(lines) == size[1] and all(len(line) <= size[0] for line in lines)
    assert "Математика" in first and "Тема: Сложение дробей" in first
    assert focused
    assert LONG_TOPIC in shown and LONG_HOMEWORK in shown  # the pane holds all of it…
    assert "КОНЕЦ_ЗАДАНИЯ" not in first and any("КОНЕЦ_ЗАДАНИЯ" in page for page in pages)  # …PageDown
    assert "КОНЕЦ_КОММЕНТАРИЯ" not in first and "КОНЕЦ_КОММЕНТАРИЯ" in end  # …and End reach the rest
    assert "Решение верное" in subject
    # the table's cell is cut, the highlighted mark's comment is in full under it
    assert any(line.lstrip().startswith("23.11 ") and line.rstrip().endswith("…") for line in subject.split("\n"))
    assert "КОНЕЦ_КОММЕНТАРИЯ" in subject
    # and the end of the average's explanation is reached with End
    # the pane's last line, over the status line and the keys (one row, or two on a phone)
    assert any(last.split()[-1] in line for line in subject_end.split("\n")[-4:-2])


async def test_the_diary_switches_layout_when_the_terminal_narrows(w: World) -> None:
    app = make_app(actor=w.actors["parent"])
    async with app.run_test(size=SIZE) as pilot:
        await open_section(pilot, "section.diary")
        wide = screen_text(app)
        await pilot.resize_terminal(40, 30)
        await settle(pilot)
        narrow = screen_text(app)
        is_narrow = app.screen.has_class("-narrow")
        await pilot.resize_terminal(120, 30)
        await settle(pilot)
        wide, narrow, is_narrow, still_narrow, wider = wide, narrow, is_narrow, app.screen.has_class("-narrow"), screen_text(app)
    assert "Тема" in wide.split("\n")[2] and "Задание" in wide.split("\n")[2]
    assert is_narrow and not still_narrow
    assert all(len(line) <= 40 for line in narrow.split("\n"))
    assert "Тема" not in narrow.split("\n")[3] and "Математика" in narrow
    assert "Сложение дробей" in wider  # rows show as much as fits


async def test_the_marks_of_the_period_and_the_timetable_fit_a_phone(w: World) -> None:
    app = make_app(actor=w.actors["student"])
    async with app.run_test(size=(40, 30)) as pilot:
        await open_section(pilot, "section.diary")
        await pilot.press("s")
        await settle(pilot)
        on_marks, marks = isinstance(app.screen, MarksScreen), screen_text(app)
        await pilot.press("escape", "r")
        await settle(pilot)
        on_marks, marks, on_timetable, timetable = on_marks, marks, isinstance(app.screen, TimetableScreen), screen_text(app)
    assert on_timetable
    assert all(len(line) <= 40 for line in timetable.split("\n")) and "08:30" in timetable
    assert "Русский язык" in timetable
    assert on_marks
    lines = marks.split("\n")
    assert len(lines) == 30 and all(len(line) <= 40 for line in lines)
    assert "Математика" in marks and "4,66" in marks


async def test_a_screen_below_follows_a_resize_made_while_it_was_covered(w: World) -> None:
    app = make_app(actor=w.actors["parent"])
    async with app.run_test(size=SIZE) as pilot:
        await open_section(pilot, "section.diary")
        diary_screen = app.screen
        await pilot.press("enter")  # the subject screen on top
        await settle(pilot)
        await pilot.resize_terminal(40, 30)
        await settle(pilot)
        subject_narrow = app.screen.has_class("-narrow")
        await pilot.press("escape")
        await settle(pilot)
        subject_narrow, back, narrow, text = subject_narrow, app.screen is diary_screen, diary_screen.has_class("-narrow"), screen_text(app)
    assert subject_narrow and back and narrow
    assert all(len(line) <= 40 for line in text.split("\n")) and "Тема" not in text.split("\n")[3]


async def test_the_parents_home_shows_each_childs_news_since_the_last_visit(w: World) -> None:
    """Issue 11: the parent's home lists his children with their new marks and absences."""
    app = make_app(actor=w.actors["parent"])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        home = screen_text(app)
    fits(home)
    assert "Нового с прошлого входа" in home
    assert "Учеников Коля, 7А: новые отметки: Математика 5, 4 · пропуски: 1 урок" in home
    assert "Родителева Аня, 7А: новые отметки: Математика 3" in home
