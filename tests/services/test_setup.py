"""School setup by the admin (R-SETUP-1..3): years, periods, bells, rooms, subjects, work
types, grading policy, classes, curriculum, assignments and subgroups."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories.school import SEPT1, BuiltSchool
from tui_journal.db.models import (
    AcademicYear,
    AuditEntry,
    Curriculum,
    GroupMember,
    Lesson,
    Mark,
    Period,
    School,
    SchoolClass,
)
from tui_journal.services import accounts, setup
from tui_journal.services.actor import Actor
from tui_journal.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied

D = dt.date


def test_a_year_gets_its_quarters_and_holidays(admin: Actor) -> None:
    year = setup.add_year(admin, "2026/2027", SEPT1, D(2027, 5, 31))
    kinds = [p.kind for p in year.periods]
    assert kinds.count("quarter") == 4 and kinds.count("holidays") == 3
    assert [p.ordinal for p in year.periods if p.kind == "quarter"] == [1, 2, 3, 4]
    halves = setup.add_year(admin, "2027/2028", D(2027, 9, 1), D(2028, 5, 31), layout="half")
    assert [p.name for p in halves.periods if p.kind == "half"] == ["1 полугодие", "2 полугодие"]
    tri = setup.add_year(admin, "2028/2029", D(2028, 9, 1), D(2029, 5, 31), layout="trimester")
    assert sum(p.kind == "trimester" for p in tri.periods) == 3
    assert AuditEntry.select().where(AuditEntry.entity == "period").count() > 10


def test_periods_are_checked(admin: Actor) -> None:
    year = setup.add_year(admin, "2026/2027", SEPT1, D(2027, 5, 31), layout=None)
    with pytest.raises(InvalidInput, match="выходит за границы"):
        setup.add_period(admin, year.id, "1 четверть", "quarter", D(2026, 8, 1), D(2026, 10, 24))
    setup.add_period(admin, year.id, "1 четверть", "quarter", SEPT1, D(2026, 10, 24))
    with pytest.raises(InvalidInput, match="пересекаются"):
        setup.add_period(admin, year.id, "2 четверть", "quarter", D(2026, 10, 20), D(2026, 12, 28))
    with pytest.raises(InvalidInput, match="одновременно"):
        setup.add_period(admin, year.id, "2 полугодие", "half", D(2027, 1, 12), D(2027, 5, 26))
    with pytest.raises(InvalidInput, match="раньше"):
        setup.add_period(admin, year.id, "Каникулы", "holidays", D(2026, 11, 4), D(2026, 10, 25))
    info = setup.add_period(admin, year.id, "Осенние каникулы", "holidays", D(2026, 10, 25), D(2026, 11, 4))
    assert [p.name for p in info.periods] == ["1 четверть", "Осенние каникулы"]
    with pytest.raises(Conflict):
        setup.add_year(admin, "2026/2027", SEPT1, D(2027, 5, 31))


def test_update_and_delete_periods_audit_each_field(admin: Actor) -> None:
    year = setup.add_year(admin, "2026/2027", SEPT1, D(2027, 5, 31))
    first = year.periods[0]
    setup.update_period(admin, first.id, name="Первая четверть", end=D(2026, 10, 23))
    rows = AuditEntry.select().where((AuditEntry.entity == "period") & (AuditEntry.action == "update"))
    assert {(r.field, r.old_value, r.new_value) for r in rows} == {
        ("name", "1 четверть", "Первая четверть"),
        ("end", "2026-10-24", "2026-10-23"),
    }
    info = setup.delete_period(admin, first.id)
    assert first.id not in {p.id for p in info.periods}


def test_week_days_and_grading_policy(admin: Actor) -> None:
    setup.set_week_days(admin, 6)
    assert School.get_by_id(admin.school_id).week_days == 6
    with pytest.raises(InvalidInput):
        setup.set_week_days(admin, 7)
    setup.set_grading_policy(admin, rounding="threshold", threshold_4=3.6, min_marks=2)
    school = School.get_by_id(admin.school_id)
    assert (school.rounding, school.threshold_4, school.min_marks) == ("threshold", 3.6, 2)
    with pytest.raises(InvalidInput, match="Пороги"):
        setup.set_grading_policy(admin, threshold_3=3.7)
    with pytest.raises(InvalidInput):
        setup.set_grading_policy(admin, rounding="banker")
    fields = {r.field for r in AuditEntry.select().where(AuditEntry.entity == "school", AuditEntry.action == "update")}
    assert fields == {"week_days", "rounding", "threshold_4", "min_marks"}


def test_bells(admin: Actor) -> None:
    t = dt.time
    schedule = setup.add_bell_schedule(admin, "Основное", [(1, t(8, 30), t(9, 15)), (2, t(9, 25), t(10, 10))])
    assert schedule.detail == "1: 08:30–09:15; 2: 09:25–10:10"
    with pytest.raises(InvalidInput, match="раньше конца"):
        setup.set_bells(admin, schedule.id, [(1, t(8, 30), t(9, 15)), (2, t(9, 0), t(9, 45))])
    with pytest.raises(InvalidInput, match="повторяется"):
        setup.set_bells(admin, schedule.id, [(1, t(8, 30), t(9, 15)), (1, t(9, 30), t(10, 15))])
    changed = setup.set_bells(admin, schedule.id, [(1, t(8, 0), t(8, 45))])
    assert changed.detail == "1: 08:00–08:45"


def test_main_bells_create_the_schedule_then_replace_its_bells(admin: Actor, school: BuiltSchool) -> None:
    t = dt.time
    first = setup.set_main_bells(admin, [(1, t(8, 30), t(9, 15))], name="Основное")
    assert (first.name, first.detail) == ("Основное", "1: 08:30–09:15")
    setup.add_bell_schedule(admin, "Сокращённое", [(1, t(8, 30), t(9, 0))])
    again = setup.set_main_bells(admin, [(1, t(8, 0), t(8, 45)), (2, t(8, 55), t(9, 40))], name="Другое")
    assert (again.id, again.name) == (first.id, "Основное")  # the first schedule, not a new one
    assert [b.detail for b in setup.list_bell_schedules(admin)] == ["1: 08:00–08:45; 2: 08:55–09:40", "1: 08:30–09:00"]
    rows = AuditEntry.select().where(
        (AuditEntry.entity == "bell_schedule") & (AuditEntry.entity_id == str(first.id))
    ).order_by(AuditEntry.id)
    assert [(r.action, r.field) for r in rows] == [("create", "name"), ("update", "bells"), ("update", "bells")]
    with pytest.raises(PermissionDenied):
        setup.set_main_bells(school.actors["ivanova"], [(1, t(8, 0), t(8, 45))])
    with pytest.raises(InvalidInput, match="не позже начала"):  # refused whole: the bells stay
        setup.set_main_bells(admin, [(1, t(9, 0), t(8, 45))])
    assert setup.list_bell_schedules(admin)[0].detail == again.detail


def test_main_bells_refused_leave_no_schedule(admin: Actor) -> None:
    t = dt.time
    with pytest.raises(InvalidInput):
        setup.set_main_bells(admin, [(1, t(9, 0), t(8, 45))])
    assert setup.list_bell_schedules(admin) == []


def test_names_with_markup_are_kept_and_control_characters_refused(admin: Actor) -> None:
    room = setup.add_room(admin, "[b]Актовый[/b]")
    assert setup.list_rooms(admin)[0].name == "[b]Актовый[/b]"
    setup.rename_room(admin, room.id, "Спортзал [2]")
    with pytest.raises(InvalidInput):
        setup.add_subject(admin, "Физика\x1b[31m")
    with pytest.raises(Conflict):
        setup.add_room(admin, "Спортзал [2]")


def test_subjects_and_work_types(admin: Actor) -> None:
    subject = setup.add_subject(admin, "Информатика", "Инф", split_into_groups=True)
    setup.update_subject(admin, subject.id, name="Информатика и ИКТ")
    assert setup.list_subjects(admin)[0].detail == "делится на группы"
    music = setup.add_subject(admin, "Музыка", has_control_works=False)
    assert {s.name: s.detail for s in setup.list_subjects(admin)}["Музыка"] == "без контрольных"
    setup.update_subject(admin, music.id, has_control_works=True)
    assert {s.name: s.detail for s in setup.list_subjects(admin)}["Музыка"] == ""
    setup.update_subject(admin, subject.id, has_control_works=False)
    assert setup.list_subjects(admin)[0].detail == "делится на группы, без контрольных"
    wt = setup.add_work_type(admin, "Диктант", 1.5)
    setup.update_work_type(admin, wt.id, weight=2, is_control=True)
    assert setup.list_work_types(admin)[0].detail == "вес 2, контрольная"
    with pytest.raises(InvalidInput, match="Вес"):
        setup.add_work_type(admin, "Зачёт", 0)


def test_classes_and_class_teachers(school: BuiltSchool) -> None:
    admin = school.admin
    classes = {c.name: c for c in setup.list_classes(admin)}
    assert classes["7А"].class_teacher == "Иванова М." and classes["7А"].pupils == 3
    assert list(classes) == ["1А", "7А", "7Б", "11А"]
    setup.set_class_teacher(admin, school.classes["7А"], "sidorova")
    teacher = SchoolClass.get_by_id(school.classes["7А"]).class_teacher
    assert teacher is not None and teacher.login == "sidorova"
    with pytest.raises(InvalidInput, match="не учитель"):
        setup.set_class_teacher(admin, school.classes["7А"], "sekretar")
    with pytest.raises(Conflict):
        setup.add_class(admin, school.year.id, "7 а")
    with pytest.raises(InvalidInput):
        setup.add_class(admin, school.year.id, "7АБ")
    gkp = setup.add_class(admin, school.year.id, "ГКП", preschool=True)
    assert gkp.name == "ГКП" and gkp.kind == "preschool"
    assert setup.find_class(admin, "гкп").id == gkp.id
    assert setup.find_class(admin, "7a").id == school.classes["7А"]
    with pytest.raises(InvalidInput, match="учащиеся"):
        setup.delete_class(admin, school.classes["7А"])
    setup.delete_class(admin, gkp.id)


def test_curriculum_grid(school: BuiltSchool) -> None:
    admin = school.admin
    c7, math = school.classes["7А"], school.subjects["Математика"]
    setup.set_hours(admin, c7, math, 5)
    setup.set_hours(admin, c7, school.subjects["Русский язык"], 4.5)
    grid = setup.curriculum_grid(admin)
    assert grid.hours[(c7, math)] == 5 and grid.total(c7) == 9.5
    setup.set_hours(admin, c7, math, 0)
    assert not Curriculum.select().where(Curriculum.subject == math).exists()
    with pytest.raises(InvalidInput):
        setup.set_hours(admin, c7, math, 2.3)
    rows = AuditEntry.select().where(AuditEntry.entity == "curriculum").order_by(AuditEntry.id)
    assert [(r.old_value, r.new_value) for r in rows][:1] == [(None, "5")]


def test_assignments(school: BuiltSchool) -> None:
    admin = school.admin
    c7, math = school.classes["7А"], school.subjects["Математика"]
    info = setup.assign_teacher(admin, c7, math, "ivanova")
    assert (info.class_name, info.subject, info.teacher_login) == ("7А", "Математика", "ivanova")
    with pytest.raises(Conflict):
        setup.assign_teacher(admin, c7, math, "ivanova")
    setup.unassign_teacher(admin, info.id)
    assert setup.list_assignments(admin, c7) == []


def test_hand_over_moves_the_subject_to_another_teacher_in_one_change(school: BuiltSchool) -> None:
    admin = school.admin
    c7, math = school.classes["7А"], school.subjects["Математика"]
    old = setup.assign_teacher(admin, c7, math, "ivanova")
    before = AuditEntry.select().count()
    new = setup.hand_over(admin, old.id, "petrov")
    assert (new.class_name, new.subject, new.teacher_login) == ("7А", "Математика", "petrov")
    assert [a.teacher_login for a in setup.list_assignments(admin, c7)] == ["petrov"]
    rows = AuditEntry.select().where(AuditEntry.id > before).order_by(AuditEntry.id)
    assert [(r.action, r.entity, r.field) for r in rows] == [
        ("create", "assignment", "teacher"),
        ("create", "assignment", "class"),
        ("create", "assignment", "subject"),
        ("delete", "assignment", "teacher"),
    ]
    with pytest.raises(PermissionDenied):
        setup.hand_over(school.actors["ivanova"], new.id, "sidorova")
    with pytest.raises(NotFound):
        setup.hand_over(admin, new.id + 100, "sidorova")


def test_hand_over_refused_or_failed_keeps_the_old_teacher(school: BuiltSchool, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui_journal.services import audit

    admin = school.admin
    c7, math = school.classes["7А"], school.subjects["Математика"]
    old = setup.assign_teacher(admin, c7, math, "ivanova")
    with pytest.raises(Conflict):  # he already teaches it
        setup.hand_over(admin, old.id, "ivanova")
    with pytest.raises(NotFound):
        setup.hand_over(admin, old.id, "nobody")
    real = audit.record

    def fail_on_delete(actor: Actor, action: str, *args: object, **kwargs: object) -> None:
        if action == "delete":
            raise RuntimeError("the disk failed while the old assignment was being removed")
        real(actor, action, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(audit, "record", fail_on_delete)
    audit_before = AuditEntry.select().count()
    with pytest.raises(RuntimeError):
        setup.hand_over(admin, old.id, "petrov")
    assert [(a.id, a.teacher_login) for a in setup.list_assignments(admin, c7)] == [(old.id, "ivanova")]
    assert AuditEntry.select().count() == audit_before


def test_groups_split_once_and_move_only_at_a_period_end(school: BuiltSchool) -> None:
    admin = school.admin
    c7, eng = school.classes["7А"], school.subjects["Английский язык"]
    g1 = setup.add_group(admin, c7, eng, "1 группа")
    g2 = setup.add_group(admin, c7, eng, "2 группа")
    a, b = school.pupils["Алексеев"], school.pupils["Борисова"]
    assert setup.add_to_group(admin, g1.id, [a, b], SEPT1) == 2
    with pytest.raises(InvalidInput, match="конце периода"):
        setup.add_to_group(admin, g2.id, [a], D(2026, 10, 1))
    with pytest.raises(InvalidInput, match="не числится"):
        setup.add_to_group(admin, g2.id, [school.pupils["Воронов"]], SEPT1)
    quarters = [p for p in school.year.periods if p.kind == "quarter"]
    holidays = [p for p in school.year.periods if p.kind == "holidays"]
    with pytest.raises(InvalidInput, match="конце учебного периода"):
        setup.move_to_group(admin, a, g2.id, holidays[0].id)
    setup.move_to_group(admin, a, g2.id, quarters[0].id)
    rows = {(m.group_id, m.start, m.end) for m in GroupMember.select().where(GroupMember.student == a)}
    assert rows == {(g1.id, SEPT1, quarters[0].end), (g2.id, quarters[0].end + dt.timedelta(days=1), None)}


def test_a_move_is_refused_when_marks_follow_the_period_end(school: BuiltSchool) -> None:
    admin = school.admin
    c7, eng = school.classes["7А"], school.subjects["Английский язык"]
    g1 = setup.add_group(admin, c7, eng, "1 группа")
    g2 = setup.add_group(admin, c7, eng, "2 группа")
    a = school.pupils["Алексеев"]
    setup.add_to_group(admin, g1.id, [a], SEPT1)
    teacher = accounts.require_user("orlova")
    lesson = Lesson.create(school_class=c7, group=g1.id, subject=eng, date=D(2026, 11, 10), number=1, teacher=teacher)
    Mark.create(student=a, lesson=lesson, value="5")
    first = next(p for p in school.year.periods if p.kind == "quarter")
    with pytest.raises(InvalidInput, match="отметки"):
        setup.move_to_group(admin, a, g2.id, first.id)


def test_a_closed_year_refuses_changes(school: BuiltSchool) -> None:
    AcademicYear.update(closed=True).where(AcademicYear.id == school.year.id).execute()
    with pytest.raises(InvalidInput, match="закрыт"):
        setup.add_class(school.admin, school.year.id, "8А")
    with pytest.raises(InvalidInput, match="закрыт"):
        setup.set_hours(school.admin, school.classes["7А"], school.subjects["Математика"], 3)


def test_only_the_admin_sets_up(school: BuiltSchool) -> None:
    teacher = school.actors["ivanova"]
    with pytest.raises(PermissionDenied):
        setup.add_room(teacher, "99")
    with pytest.raises(PermissionDenied):
        setup.set_hours(school.actors["sekretar"], school.classes["7А"], school.subjects["Математика"], 3)
    assert setup.list_classes(school.actors["sekretar"])  # the staff read the structure
    with pytest.raises(NotFound):
        setup.find_subject(school.admin, "Астрология")
    assert Period.select().count() == 7
