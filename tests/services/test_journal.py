"""The teacher's journal through the services (R-J-1..8)."""

from __future__ import annotations

import datetime as dt

import pytest
from peewee import Database

from tests.factories.rows import assign, make_class
from tui_journal.db.models import (
    Attendance,
    AuditEntry,
    Lesson,
    Mark,
    PeriodMark,
    PlanItem,
    SchoolClass,
    WorkType,
)
from tui_journal.services import journal
from tui_journal.services.errors import InvalidInput, PermissionDenied

from .world import World, build_world, make_student

TODAY = dt.date(2026, 11, 27)


@pytest.fixture
def w(any_db: Database) -> World:
    return build_world(marks=False)  # start from an empty journal


def _grid(w: World, actor: str = "teacher") -> journal.Grid:
    return journal.open_grid(w.actors[actor], w.classes["7А"].id, w.subjects["math"].id, today=TODAY)


def test_marks_and_absences_are_saved_with_audit(w: World) -> None:
    t, lesson, pupil = w.actors["teacher"], w.lessons["7А"], w.students["7А"]
    assert journal.set_cell(t, lesson.id, pupil.id, "5", today=TODAY).text == "5"
    assert journal.set_cell(t, lesson.id, pupil.id, "4/5", today=TODAY).text == "4/5"
    assert [m.value for m in Mark.select().order_by(Mark.position)] == ["4", "5"]
    assert journal.set_cell(t, lesson.id, pupil.id, "н", today=TODAY).text == "н"
    assert Mark.select().count() == 0 and Attendance.get().code == "н"
    assert journal.set_cell(t, lesson.id, pupil.id, "o5", today=TODAY).text == "о5"  # Latin twin
    assert journal.set_cell(t, lesson.id, pupil.id, "", today=TODAY).text == ""
    trail = [(e.old_value, e.new_value) for e in AuditEntry.select().where(AuditEntry.entity == "cell").order_by(AuditEntry.id)]
    assert trail == [("", "5"), ("5", "4/5"), ("4/5", "н"), ("н", "о5"), ("о5", "")]
    assert all(e.actor_name == "teacher" for e in AuditEntry.select().where(AuditEntry.entity == "cell"))


def test_bad_cell_text_changes_nothing(w: World) -> None:
    t, lesson, pupil = w.actors["teacher"], w.lessons["7А"], w.students["7А"]
    journal.set_cell(t, lesson.id, pupil.id, "5", today=TODAY)
    before = AuditEntry.select().count()
    for bad in ("7", "5x", "нн", "[b]"):
        with pytest.raises(InvalidInput):
            journal.set_cell(t, lesson.id, pupil.id, bad, today=TODAY)
    assert [m.value for m in Mark.select()] == ["5"] and AuditEntry.select().count() == before


def test_other_teacher_and_deputy_cannot_write(w: World) -> None:
    for role in ("class_teacher", "deputy", "parent"):
        with pytest.raises(PermissionDenied):
            journal.set_cell(w.actors[role], w.lessons["7А"].id, w.students["7А"].id, "5", today=TODAY)
    assert Mark.select().count() == 0


def test_pupil_not_in_class_is_refused(w: World) -> None:
    with pytest.raises(InvalidInput, match="не числится"):
        journal.set_cell(w.actors["teacher"], w.lessons["7А"].id, w.students["8Б"].id, "5", today=TODAY)


def test_attendance_after_the_day_is_accepted_and_flagged_late(w: World) -> None:
    t = w.actors["teacher"]
    journal.set_cell(t, w.lessons["7А"].id, w.students["7А"].id, "б", today=TODAY + dt.timedelta(days=3))
    assert Attendance.get().late is True


def test_grid_shows_cells_averages_and_proposals(w: World) -> None:
    t, pupil = w.actors["teacher"], w.students["7А"]
    control = WorkType.create(school=w.school, name="Контрольная работа", weight=2, is_control=True)
    lessons = [w.lessons["7А"]] + [
        Lesson.create(school_class=w.classes["7А"], subject=w.subjects["math"], date=dt.date(2026, 11, d), number=1, teacher=w.users["teacher"])
        for d in (10, 12)
    ]
    journal.set_cell(t, lessons[1].id, pupil.id, "3", today=TODAY)
    journal.set_cell(t, lessons[2].id, pupil.id, "4", today=TODAY)
    journal.set_cell(t, lessons[0].id, pupil.id, "5", work_type_id=control.id, today=TODAY)
    grid = _grid(w)
    assert [c.date.day for c in grid.columns] == [10, 12, 27]
    assert [r.name for r in grid.rows] == ["Учеников К."]
    assert grid.cell(pupil.id, lessons[0].id).marks[0].work_type == "Контрольная работа"
    # (3·1 + 4·1 + 5·2) / 4 = 4.25
    assert grid.averages[pupil.id] == pytest.approx(4.25)
    assert grid.proposals[pupil.id].value == "4"
    assert grid.writable and grid.marks_allowed


def test_period_mark_needs_a_reason_when_it_differs(w: World) -> None:
    t, pupil = w.actors["teacher"], w.students["7А"]
    grid = _grid(w)
    args = (t, w.classes["7А"].id, w.subjects["math"].id, pupil.id)
    with pytest.raises(InvalidInput, match="укажите причину"):
        journal.set_period_mark(*args, "5", period_id=grid.period.id, proposed="4")
    journal.set_period_mark(*args, "5", period_id=grid.period.id, proposed="4", reason="Олимпиада")
    pm = PeriodMark.get()
    assert (pm.value, pm.proposed, pm.reason) == ("5", "4", "Олимпиада")
    assert _grid(w).period_marks[pupil.id] == "5"
    journal.set_period_mark(*args, "н/а", kind="year")
    assert PeriodMark.select().where(PeriodMark.kind == "year").get().value == "н/а"
    with pytest.raises(PermissionDenied):
        journal.set_period_mark(w.actors["class_teacher"], w.classes["7А"].id, w.subjects["math"].id, pupil.id, "5", period_id=grid.period.id)


def test_first_grade_gets_no_marks_and_no_homework(w: World) -> None:
    cls = SchoolClass.create(school=w.school, year=w.classes["7А"].year, grade=1, letter="А")
    from tui_journal.db.models import Assignment

    Assignment.create(teacher=w.users["teacher"], school_class=cls, subject=w.subjects["math"])
    kid = make_student(w.school, cls, "Малышев", "Миша")
    lesson = Lesson.create(school_class=cls, subject=w.subjects["math"], date=TODAY, number=2, teacher=w.users["teacher"])
    t = w.actors["teacher"]
    with pytest.raises(InvalidInput, match=r"3\.8"):
        journal.set_cell(t, lesson.id, kid.id, "5", today=TODAY)
    with pytest.raises(InvalidInput, match="домашние задания"):
        journal.set_lesson_info(t, lesson.id, homework="Прочитать")
    assert journal.set_cell(t, lesson.id, kid.id, "б", today=TODAY).text == "б"  # attendance is kept
    assert journal.set_lesson_info(t, lesson.id, topic="Счёт до 10").topic == "Счёт до 10"


def test_topic_from_plan_homework_and_late_flag(w: World) -> None:
    t, lesson = w.actors["teacher"], w.lessons["7А"]
    item = PlanItem.create(school_class=w.classes["7А"], subject=w.subjects["math"], ordinal=1, topic="Линейные уравнения", hours=1)
    info = journal.set_lesson_info(t, lesson.id, plan_item_id=item.id, homework="§ 5", homework_tasks="№ 101, 102")
    assert info.topic == "Линейные уравнения" and info.plan_item_id == item.id
    assert info.homework == "§ 5" and info.homework_tasks == "№ 101, 102"
    assert info.homework_late  # the lesson was on 27.11, entered later than 18:00 that day
    journal.set_individual_homework(t, lesson.id, w.students["7А"].id, "Карточка № 3")
    assert journal.lesson_info(t, lesson.id).individual[0][2] == "Карточка № 3"
    fields = {e.field for e in AuditEntry.select().where(AuditEntry.entity == "lesson")}
    assert {"topic", "plan_item", "homework", "homework_tasks"} <= fields


def test_substitute_writes_the_replaced_lesson(w: World) -> None:
    lesson = w.lessons["8Б"]
    Lesson.update(teacher=w.users["teacher"], replaced_teacher=w.users["class_teacher"]).where(Lesson.id == lesson.id).execute()
    journal.set_cell(w.actors["teacher"], lesson.id, w.students["8Б"].id, "4", today=TODAY)
    assert Mark.get().created_by_id == w.users["teacher"].id
    refs = journal.my_journals(w.actors["teacher"])
    assert [(r.title, r.writable) for r in refs] == [("7А — Математика", True), ("8Б (замена) — Математика", True)]
    grid = journal.open_grid(w.actors["teacher"], w.classes["8Б"].id, w.subjects["math"].id, today=TODAY)
    assert grid.writable and grid.cell(w.students["8Б"].id, lesson.id).text == "4"


def test_take_roll_is_recorded(w: World) -> None:
    moment = journal.take_roll(w.actors["teacher"], w.lessons["7А"].id)
    assert Lesson.get_by_id(w.lessons["7А"].id).roll_taken_at == moment
    assert _grid(w).columns[0].roll_taken


def test_lesson_roll_serves_the_substitute(w: World) -> None:
    lesson = w.lessons["8Б"]
    Lesson.update(teacher=w.users["teacher"], replaced_teacher=w.users["class_teacher"]).where(Lesson.id == lesson.id).execute()
    roll = journal.lesson_roll(w.actors["teacher"], lesson.id)
    assert [r.name for r in roll.rows] == ["Другой Д."] and roll.writable
    assert [c.lesson_id for c in roll.columns] == [lesson.id]
    with pytest.raises(PermissionDenied):
        journal.lesson_roll(w.actors["parent"], lesson.id)


def test_class_teacher_lists_his_class_only_besides_his_own_journals(w: World) -> None:
    from tui_journal.db.models import Assignment, Subject

    physics = Subject.create(school=w.school, name="Физика")
    Assignment.create(teacher=w.users["teacher"], school_class=w.classes["8Б"], subject=physics)
    Assignment.create(teacher=w.users["teacher"], school_class=w.classes["7А"], subject=physics)
    titles = {(r.title, r.writable) for r in journal.my_journals(w.actors["class_teacher"])}
    # his own subject in his class, and read-only the other subject of his class (8Б)
    assert titles == {("8Б — Математика", True), ("8Б — Физика", False)}
    teacher = {r.title for r in journal.my_journals(w.actors["teacher"])}
    assert teacher == {"7А — Математика", "7А — Физика", "8Б — Физика"}


def test_cell_details_give_the_marks_work_types_and_comment_in_one_change(w: World) -> None:
    t, lesson, pupil = w.actors["teacher"], w.lessons["7А"], w.students["7А"]
    control = WorkType.create(school=w.school, name="Контрольная работа", weight=2, is_control=True)
    journal.set_cell(t, lesson.id, pupil.id, "5/4", today=TODAY)
    before = AuditEntry.select().count()
    view = journal.set_cell_details(t, lesson.id, pupil.id, [control.id, None], "у доски")
    assert [(m.value, m.work_type, m.comment) for m in view.marks] == [
        ("5", "Контрольная работа", "у доски"),
        ("4", "Ответ на уроке", "у доски"),  # None keeps the mark's own work type
    ]
    rows = AuditEntry.select().where(AuditEntry.id > before).order_by(AuditEntry.id)
    assert [(r.entity, r.field, r.old_value, r.new_value) for r in rows] == [
        ("mark", "work_type", "Ответ на уроке", "Контрольная работа"),
        ("mark", "comment", "", "у доски"),
        ("mark", "comment", "", "у доски"),
    ]
    again = journal.set_cell_details(t, lesson.id, pupil.id, [control.id], "у доски")
    assert again == view and AuditEntry.select().count() == before + 3  # nothing changed: no rows


def test_cell_details_are_refused_whole(w: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui_journal.services import audit

    t, lesson, pupil = w.actors["teacher"], w.lessons["7А"], w.students["7А"]
    journal.set_cell(t, lesson.id, pupil.id, "5/4", today=TODAY)
    before = AuditEntry.select().count()
    for role in ("class_teacher", "deputy", "parent"):
        with pytest.raises(PermissionDenied):
            journal.set_cell_details(w.actors[role], lesson.id, pupil.id, (), "у доски")
    with pytest.raises(InvalidInput, match="Вид работы"):
        journal.set_cell_details(t, lesson.id, pupil.id, [999_999], "у доски")
    real = audit.record_changes
    calls: list[object] = []

    def fail_second(*args: object, **kwargs: object) -> int:
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("the disk failed on the second mark")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(audit, "record_changes", fail_second)
    with pytest.raises(RuntimeError):
        journal.set_cell_details(t, lesson.id, pupil.id, (), "у доски")
    assert [m.comment for m in Mark.select()] == ["", ""]  # the first mark's change was rolled back too
    assert AuditEntry.select().count() == before


def test_lessons_of_day_are_typed_values(w: World) -> None:
    lessons = journal.lessons_of_day(w.actors["teacher"], TODAY)
    assert lessons == [journal.RollLesson(w.lessons["7А"].id, "7А", 1, "Математика")]
    assert lessons[0].class_name == "7А"
    assert journal.lessons_of_day(w.actors["parent"], TODAY) == []


def test_week_sessions_list_the_preschool_group_week_with_the_absent(w: World) -> None:
    from tui_journal.db.models import Assignment

    gkp, educator = w.classes["ГКП"], w.users["educator"]
    Assignment.create(teacher=educator, school_class=gkp, subject=w.subjects["math"])
    kid = make_student(w.school, gkp, "Малышев", "Миша")
    monday = dt.date(2026, 11, 23)
    held = Lesson.create(school_class=gkp, subject=w.subjects["math"], date=monday + dt.timedelta(days=1), number=1,
                         teacher=educator, topic="Счёт до пяти")
    Lesson.create(school_class=gkp, subject=w.subjects["math"], date=monday - dt.timedelta(days=3), number=1,
                  teacher=educator)  # the week before: not listed
    Attendance.create(student=kid, lesson=held, code="б", entered_by=educator)
    sessions = journal.week_sessions(w.actors["educator"], monday, monday + dt.timedelta(days=5))
    assert sessions == [
        journal.WeekSession(held.id, held.date, 1, "ГКП", "Математика", "Счёт до пяти", ("Малышев М. (б)",), True)
    ]
    # nobody else's journals: a parent has none, a teacher sees only his own class's week
    assert journal.week_sessions(w.actors["parent"], monday, monday + dt.timedelta(days=5)) == []
    assert all(s.group != "ГКП" for s in journal.week_sessions(w.actors["teacher"], monday, monday + dt.timedelta(days=5)))


def test_journals_are_listed_in_the_school_order_of_classes(w: World) -> None:
    """By grade as a number (10А after 8Б, not before 7А as text would put it), then the
    preschool group — the order of every other class list."""
    c10 = make_class(w.school, w.classes["7А"].year, 10, "А")
    assign(w.users["teacher"], c10, w.subjects["math"])
    assign(w.users["educator"], w.classes["ГКП"], w.subjects["math"])
    names = [r.class_name for r in journal.my_journals(w.actors["deputy"])]
    assert names == ["7А", "8Б", "10А", "ГКП"]
