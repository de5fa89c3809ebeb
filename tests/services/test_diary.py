"""The pupil's and the parent's diary through the services (R-D-1, R-D-2, R-AN-1)."""

from __future__ import annotations

import datetime as dt

import pytest
from peewee import Database

from tests.factories.rows import (
    link_parent,
    make_bells,
    make_lesson,
    make_mark,
    make_period,
    make_slot,
    make_student,
    make_subject,
    make_work_type,
    mark_absent,
)
from tui_journal.db.models import (
    AcademicYear,
    Attendance,
    Group,
    GroupMember,
    GuardianLink,
    IndividualHomework,
    Lesson,
    Mark,
    Period,
    PeriodMark,
    SchoolClass,
)
from tui_journal.domain.marks import WeightedMark
from tui_journal.services import diary
from tui_journal.services.errors import NotFound, PermissionDenied

from .world import World, build_world

TODAY = dt.date(2026, 11, 27)  # a Friday
MONDAY = dt.date(2026, 11, 23)


def build_diary_world() -> World:
    """The 7А pupil's week of 23–27 November 2026, and a second child of the same parent."""
    w = build_world()
    school, c7 = w.school, w.classes["7А"]
    teacher = w.users["teacher"]
    math = w.subjects["math"]
    rus = make_subject(school, "Русский язык")
    w.subjects["rus"] = rus
    control = make_work_type(school, "Контрольная работа", 2, is_control=True)
    make_bells(school, ((dt.time(8, 30), dt.time(9, 15)), (dt.time(9, 25), dt.time(10, 10)), (dt.time(10, 20), dt.time(11, 5))))
    make_period(AcademicYear.get(), "осенние каникулы", "holidays", dt.date(2026, 10, 26), dt.date(2026, 11, 4))
    make_slot(c7, math, teacher, 1, 1)
    make_slot(c7, rus, teacher, 3, 2)
    monday = make_lesson(
        c7, math, MONDAY, 1, teacher, topic="Сложение дробей",
        homework="§ 3 [b]выучить[/b]", homework_pages="45", homework_tasks="1–5",
    )
    wednesday = make_lesson(c7, rus, MONDAY + dt.timedelta(days=2), 2, teacher, topic="Причастие")
    w.lessons["monday"], w.lessons["wednesday"] = monday, wednesday
    s7 = w.students["7А"]
    make_mark(s7, monday, "5", control)
    mark_absent(s7, wednesday, "н")
    IndividualHomework.create(lesson=monday, student=s7, text="карточка № 2")
    # the parent's second child, in 7А too
    sister = make_student(school, c7, "Родителева", "Аня")
    link_parent(sister, w.users["parent"])
    w.students["sister"] = sister
    make_mark(sister, monday, "3")
    return w


@pytest.fixture
def w(any_db: Database) -> World:
    return build_diary_world()


def test_the_week_shows_every_lesson_with_time_topic_homework_marks_and_absences(w: World) -> None:
    week = diary.week(w.actors["parent"], w.students["7А"].id, TODAY, today=TODAY)
    assert (week.start, week.end) == (MONDAY, TODAY)
    assert [d.weekday for d in week.days] == ["Понедельник", "Вторник", "Среда", "Четверг", "Пятница"]
    monday = week.days[0].lessons[0]
    assert (monday.time, monday.subject, monday.topic) == ("08:30–09:15", "Математика", "Сложение дробей")
    # set on Monday, due at the next mathematics lesson (Friday): shown there, as every diary does
    assert monday.homework_set == "§ 3 [b]выучить[/b]; стр. 45; № 1–5; индивидуально: карточка № 2"
    assert monday.homework == "" and monday.homework_due == TODAY
    assert [(m.value, m.work_type, m.weight) for m in monday.marks] == [("5", "Контрольная работа", 2.0)]
    wednesday = week.days[2].lessons[0]
    assert (wednesday.subject, wednesday.attendance, wednesday.teacher_code) == ("Русский язык", "н", "н")
    friday = week.days[4].lessons[0]
    assert friday.marks_text == "4" and friday.marks[0].work_type == "Ответ на уроке"
    assert friday.homework == "§ 3 [b]выучить[/b]; стр. 45; № 1–5; индивидуально: карточка № 2"
    assert week.days[1].lessons == () and week.student.class_name == "7А"


def test_next_week_shows_the_timetable_of_lessons_not_yet_held(w: World) -> None:
    week = diary.week(w.actors["student"], w.students["7А"].id, TODAY + dt.timedelta(days=7), today=TODAY)
    assert week.start == dt.date(2026, 11, 30)
    planned = [(d.date, ls.subject, ls.time, ls.planned) for d in week.days for ls in d.lessons]
    assert planned == [
        (dt.date(2026, 11, 30), "Математика", "08:30–09:15", True),
        (dt.date(2026, 12, 2), "Русский язык", "09:25–10:10", True),
    ]


def test_holidays_are_named_and_have_no_lessons(w: World) -> None:
    week = diary.week(w.actors["student"], w.students["7А"].id, dt.date(2026, 10, 28), today=dt.date(2026, 10, 20))
    assert all(d.holiday == "осенние каникулы" for d in week.days[:5])
    assert all(d.lessons == () for d in week.days)


def test_a_parent_switches_between_his_children_and_sees_each_ones_marks(w: World) -> None:
    parent = w.actors["parent"]
    children = diary.diary_students(parent)
    assert [c.name for c in children] == ["Родителева Аня", "Учеников Коля"]
    assert all(c.class_name == "7А" for c in children)
    sister = diary.week(parent, w.students["sister"].id, TODAY, today=TODAY)
    assert [m.value for m in sister.days[0].lessons[0].marks] == ["3"]
    assert sister.days[4].lessons[0].homework == "§ 3 [b]выучить[/b]; стр. 45; № 1–5"  # not the brother's card


def test_a_parent_never_reaches_another_familys_child(w: World) -> None:
    stranger = w.students["8Б"].id
    for call in (
        lambda: diary.week(w.actors["parent"], stranger, TODAY),
        lambda: diary.marks_summary(w.actors["parent"], stranger, today=TODAY),
        lambda: diary.subject_view(w.actors["parent"], stranger, w.subjects["math"].id, today=TODAY),
        lambda: diary.timetable(w.actors["parent"], stranger, TODAY),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert all(c.id != stranger for c in diary.diary_students(w.actors["parent"]))


def test_a_pupil_never_reaches_another_pupil(w: World) -> None:
    assert [s.id for s in diary.diary_students(w.actors["student"])] == [w.students["7А"].id]
    with pytest.raises(PermissionDenied):
        diary.week(w.actors["student"], w.students["sister"].id, TODAY)  # a classmate
    with pytest.raises(PermissionDenied):
        diary.week(w.actors["student"], w.students["8Б"].id, TODAY)
    with pytest.raises(NotFound):
        diary.week(w.actors["student"], 999_999, TODAY)


def test_another_schools_admin_does_not_find_the_pupil(w: World) -> None:
    with pytest.raises(NotFound):
        diary.week(w.actors["other_admin"], w.students["7А"].id, TODAY)


def test_the_marks_of_the_period_per_subject(w: World) -> None:
    summary = diary.marks_summary(w.actors["student"], w.students["7А"].id, today=TODAY)
    assert summary.period.name == "2 четверть" and [p.name for p in summary.periods] == ["2 четверть"]
    by_subject = {line.subject: line for line in summary.lines}
    math = by_subject["Математика"]
    assert math.marks == ("5", "4")
    assert math.average_text == "4,66"  # (5×2 + 4×1) / 3, cut to hundredths
    assert math.proposal == "2 из 3" and math.period_mark == ""  # two marks, the school wants three (not «н/а»)
    assert by_subject["Русский язык"].missed == 1 and by_subject["Русский язык"].proposal == "0 из 3"


def test_the_subject_view_explains_the_average_and_the_forecast(w: World) -> None:
    view = diary.subject_view(w.actors["parent"], w.students["7А"].id, w.subjects["math"].id, today=TODAY)
    assert [(m.date, m.value, m.work_type) for m in view.marks] == [
        (MONDAY, "5", "Контрольная работа"),
        (TODAY, "4", "Ответ на уроке"),
    ]
    assert view.formula == "(5×2 + 4×1) / (2 + 1) = 14 / 3 = 4,66"
    assert view.proposal.value == "н/а" and view.proposal.reason == "Меньше 3 отметок → н/а"
    assert [(f.target, f.with_value, f.needed) for f in view.forecasts] == [(5, 5, 1), (4, 5, 1), (4, 4, 1)]
    assert view.forecasts[0].text == (
        "На «5» нужно ещё 1 пятёрка (вес 1): (5×2 + 4×1 + 5×1) / (2 + 1 + 1) = 19 / 4 = 4,75 → 5"
    )
    Mark.create(student=w.students["7А"], lesson=w.lessons["monday"], value="5", position=1)
    again = diary.subject_view(w.actors["parent"], w.students["7А"].id, w.subjects["math"].id, today=TODAY)
    assert again.proposal.value == "5" and again.forecasts[0].needed == 0
    assert again.forecasts[0].text.startswith("На «5» уже хватает: Средний балл 4,75 по 3 отметкам")
    assert len(again.forecasts) == 2  # 5 reached, so 4 is reached too: one line each
    assert "не меньше 3 отметок" in view.rule


def test_the_forecast_counts_the_marks_still_needed() -> None:
    from tui_journal.domain.grading import RoundingPolicy

    policy = RoundingPolicy()
    current = [WeightedMark(4), WeightedMark(3)]
    five = diary.forecast(current, 5, policy)
    assert [(f.with_value, f.needed) for f in five] == [(5, 4)]
    assert five[0].text == (
        "На «5» нужно ещё 4 пятёрки (вес 1): (4×1 + 3×1 + 5×1 + 5×1 + 5×1 + 5×1) / "
        "(1 + 1 + 1 + 1 + 1 + 1) = 27 / 6 = 4,50 → 5"
    )
    four = diary.forecast(current, 4, policy)
    assert [(f.with_value, f.needed) for f in four] == [(5, 1), (4, 1)]
    hopeless = diary.forecast([WeightedMark(2, 10)] * 3, 5, policy)
    assert hopeless[0].needed is None and "не хватит" in hopeless[0].text


def test_exempt_pupil_gets_no_forecast(w: World) -> None:
    period = Period.get(Period.kind == "quarter")
    PeriodMark.create(student=w.students["7А"], subject=w.subjects["math"], school_class=w.classes["7А"], period=period, value="осв")
    view = diary.subject_view(w.actors["student"], w.students["7А"].id, w.subjects["math"].id, today=TODAY)
    assert view.proposal.value == "осв" and view.forecasts == ()


def test_a_group_lesson_is_only_in_its_members_diaries(w: World) -> None:
    group = Group.create(school_class=w.classes["7А"], subject=w.subjects["rus"], name="1 группа")
    GroupMember.create(group=group, student=w.students["sister"], start=dt.date(2026, 9, 1))
    Lesson.create(school_class=w.classes["7А"], group=group, subject=w.subjects["rus"], date=TODAY, number=3, teacher=w.users["teacher"])
    kolya = diary.week(w.actors["parent"], w.students["7А"].id, TODAY, today=TODAY)
    anya = diary.week(w.actors["parent"], w.students["sister"].id, TODAY, today=TODAY)
    assert [ls.number for ls in kolya.days[4].lessons] == [1]
    assert [ls.number for ls in anya.days[4].lessons] == [1, 3]


def test_first_graders_get_no_homework_in_the_diary(w: World) -> None:
    first = SchoolClass.create(school=w.school, year=AcademicYear.get(), grade=1, letter="А")
    kid = make_student(w.school, first, "Малышев", "Миша")
    GuardianLink.create(student=kid, parent=w.users["parent"])
    Lesson.create(school_class=first, subject=w.subjects["rus"], date=TODAY, number=1, teacher=w.users["teacher"], homework="прописи")
    week = diary.week(w.actors["parent"], kid.id, TODAY, today=TODAY)
    assert week.days[4].lessons[0].homework == ""


def test_the_timetable_with_bell_times(w: World) -> None:
    entries = diary.timetable(w.actors["student"], w.students["7А"].id, TODAY)
    assert [(e.weekday, e.number, e.time, e.subject) for e in entries] == [
        (1, 1, "08:30–09:15", "Математика"),
        (3, 2, "09:25–10:10", "Русский язык"),
    ]


def test_the_class_teachers_correction_is_what_the_diary_counts(w: World) -> None:
    Attendance.update(corrected_code="б", reason="справка").execute()
    lesson = diary.week(w.actors["student"], w.students["7А"].id, TODAY, today=TODAY).days[2].lessons[0]
    assert (lesson.attendance, lesson.teacher_code, lesson.corrected_code, lesson.reason) == ("б", "н", "б", "справка")


def test_staff_of_the_class_read_the_diary_and_others_do_not(w: World) -> None:
    assert diary.week(w.actors["deputy"], w.students["7А"].id, TODAY, today=TODAY).days
    assert diary.week(w.actors["teacher"], w.students["7А"].id, TODAY, today=TODAY).days
    for role in ("secretary", "class_teacher", "educator"):
        with pytest.raises(PermissionDenied):
            diary.week(w.actors[role], w.students["7А"].id, TODAY)


def test_homework_is_shown_on_the_day_it_is_due(w: World) -> None:
    """Issue 11: homework set on Friday is due at the next lesson of the subject (Monday's
    timetable slot, not held yet); a date set by the teacher wins."""
    from tui_journal.services import journal

    friday = w.lessons["7А"]
    journal.set_lesson_info(w.actors["teacher"], friday.id, homework="№ 100")
    next_week = diary.week(w.actors["parent"], w.students["7А"].id, dt.date(2026, 11, 30), today=TODAY)
    monday = next_week.days[0].lessons[0]
    assert (monday.subject, monday.planned, monday.homework) == ("Математика", True, "№ 100")
    this_week = diary.week(w.actors["parent"], w.students["7А"].id, TODAY, today=TODAY)
    assert this_week.days[4].lessons[0].homework_set == "№ 100"
    assert this_week.days[4].lessons[0].homework_due == dt.date(2026, 11, 30)
    # the teacher gives a week for it
    info = journal.set_lesson_info(w.actors["teacher"], friday.id, homework_due=dt.date(2026, 12, 4))
    assert info.homework_due == dt.date(2026, 12, 4) and info.homework_next_lesson == dt.date(2026, 11, 30)
    next_week = diary.week(w.actors["parent"], w.students["7А"].id, dt.date(2026, 11, 30), today=TODAY)
    assert next_week.days[0].lessons[0].homework == ""
    due_day = [ls for ls in next_week.days[4].lessons if ls.subject == "Математика"]
    assert [ls.homework for ls in due_day] == ["№ 100"]  # no mathematics that Friday: a line of its own
    with pytest.raises(Exception, match="позже дня урока"):
        journal.set_lesson_info(w.actors["teacher"], friday.id, homework_due=friday.date)
    journal.set_lesson_info(w.actors["teacher"], friday.id, homework_due=None)  # back to the next lesson
    assert journal.lesson_info(w.actors["teacher"], friday.id).homework_due is None


def test_news_since_the_last_visit_for_each_child(w: World) -> None:
    """Issue 11: the parent's home lists each child's new marks and absences since his last visit."""
    from tui_journal.db.models import LoginEvent

    parent = w.actors["parent"]
    user = w.users["parent"]
    long_ago = dt.datetime(2026, 11, 1, 8)
    LoginEvent.create(user=user, login=user.login, at=long_ago, outcome="ok", origin="tui")
    LoginEvent.create(user=user, login=user.login, at=dt.datetime(2030, 1, 1), outcome="ok", origin="tui")  # this one
    assert diary.previous_visit(parent) == long_ago
    by_child = {n.student.name: n for n in diary.news(parent, today=TODAY)}
    assert set(by_child) == {"Учеников Коля", "Родителева Аня"}
    kolya = by_child["Учеников Коля"]
    assert [(m.subject, m.value) for m in kolya.marks] == [("Математика", "5"), ("Математика", "4")]
    assert [(d, s, c) for d, s, c in kolya.absences] == [(MONDAY + dt.timedelta(days=2), "Русский язык", "н")]
    assert kolya.text == "новые отметки: Математика 5, 4 · пропуски: 1 урок"
    assert by_child["Родителева Аня"].text == "новые отметки: Математика 3"
    later = diary.news(parent, since=dt.datetime(2100, 1, 1), today=TODAY)
    assert [n.text for n in later] == ["нового нет", "нового нет"]
    assert diary.news(w.actors["teacher"], today=TODAY) == []
