"""The diary at 80x24 (R-D-1, R-D-2): a parent opens it from the home screen, sees the week's
marks and homework, moves to the next week and switches child; a pupil sees his own."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from tests.services.test_diary import TODAY, build_diary_world
from tests.ui.conftest import SIZE, make_app, screen_text, settle
from tui_journal.i18n import t
from tui_journal.screens import diary as diary_screens
from tui_journal.screens import role_sections, sections
from tui_journal.screens.diary import DiaryScreen, MarksScreen, SubjectScreen, TimetableScreen


@pytest.fixture
def w(db, monkeypatch):
    monkeypatch.setattr(sections, "SECTIONS", list(sections.SECTIONS))
    role_sections.register_all()
    monkeypatch.setattr(diary_screens, "today", lambda: TODAY)
    return build_diary_world()


async def open_section(pilot, title_key: str) -> None:
    await settle(pilot)
    options = pilot.app.screen.query_one("#sections")
    titles = [str(options.get_option_at_index(i).prompt).split(" (новых:")[0] for i in range(options.option_count)]
    options.focus()
    options.highlighted = titles.index(t(title_key))
    await pilot.press("enter")
    await settle(pilot)


def fits(text: str) -> None:
    lines = text.split("\n")
    assert len(lines) == 24 and all(len(line) <= 80 for line in lines)


def test_a_parent_reads_the_week_moves_on_and_switches_child(w) -> None:
    async def main():
        app = make_app(actor=w.actors["parent"])
        async with app.run_test(size=SIZE) as pilot:
            await open_section(pilot, "section.diary")
            assert isinstance(app.screen, DiaryScreen)
            first = screen_text(app)
            await pilot.press("up", "up", "up", "up", "up", "up")  # to Monday's lesson
            await settle(pilot)
            monday = screen_text(app)
            await pilot.press("right_square_bracket")
            await settle(pilot)
            next_week = screen_text(app)
            await pilot.press("х")  # the Russian layout's [
            await settle(pilot)
            await pilot.press("c")
            await settle(pilot)
            other_child = screen_text(app)
            return first, monday, next_week, other_child

    first, monday, next_week, other_child = asyncio.run(main())
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


def test_a_pupil_sees_his_own_diary_and_the_subject_forecast(w) -> None:
    async def main():
        app = make_app(actor=w.actors["student"])
        async with app.run_test(size=SIZE) as pilot:
            await open_section(pilot, "section.diary")
            week = screen_text(app)
            await pilot.press("enter")  # the highlighted lesson: Friday's math
            await settle(pilot)
            subject = screen_text(app)
            on_subject = isinstance(app.screen, SubjectScreen)
            await pilot.press("escape")
            await pilot.press("s")
            await settle(pilot)
            marks = screen_text(app)
            on_marks = isinstance(app.screen, MarksScreen)
            await pilot.press("escape")
            await pilot.press("к")  # R on the Russian layout
            await settle(pilot)
            timetable = screen_text(app)
            on_timetable = isinstance(app.screen, TimetableScreen)
            return week, subject, on_subject, marks, on_marks, timetable, on_timetable

    week, subject, on_subject, marks, on_marks, timetable, on_timetable = asyncio.run(main())
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


def test_a_class_teacher_opens_a_pupils_diary_by_id_but_a_parent_cannot_reach_a_stranger(w) -> None:
    async def main():
        app = make_app(actor=w.actors["parent"])
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.push_screen(DiaryScreen(w.students["8Б"].id, day=TODAY))
            await settle(pilot)
            return screen_text(app)

    text = asyncio.run(main())
    assert "Недостаточно прав" in text and "Другой" not in text


def test_the_diary_of_an_empty_week_says_so(w) -> None:
    async def main():
        app = make_app(actor=w.actors["student"])
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.push_screen(DiaryScreen(day=dt.date(2026, 11, 2)))
            await settle(pilot)
            return screen_text(app)

    text = asyncio.run(main())
    assert "осенние кани" in text  # the holidays, cut to the column


def test_the_parents_home_shows_each_childs_news_since_the_last_visit(w) -> None:
    """Issue 11: the parent's home lists his children with their new marks and absences."""
    async def main():
        app = make_app(actor=w.actors["parent"])
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            return screen_text(app)

    home = asyncio.run(main())
    fits(home)
    assert "Нового с прошлого входа" in home
    assert "Учеников Коля, 7А: новые отметки: Математика 5, 4 · пропуски: 1 урок" in home
    assert "Родителева Аня, 7А: новые отметки: Математика 3" in home
