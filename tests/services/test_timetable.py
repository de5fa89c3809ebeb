"""The timetable (R-SETUP-5): conflicts, views, changes from a date, generated lessons and
substitutions (R-J-7)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories.school import BuiltSchool
from tui_journal.db.models import Attendance, AuditEntry, Lesson, Mark, TimetableSlot
from tui_journal.services import setup, timetable
from tui_journal.services.errors import Conflict, InvalidInput, PermissionDenied

D = dt.date
MON = D(2026, 9, 7)  # a Monday


def _slot(
    s: BuiltSchool, cls: str, subject: str, teacher: str, weekday: int, number: int,
    *, group_id: int | None = None, room_id: int | None = None,
) -> timetable.SlotView:
    result = timetable.add_slot(
        s.admin, s.classes[cls], s.subjects[subject], teacher, weekday, number, group_id=group_id, room_id=room_id
    )
    assert result.slot is not None
    return result.slot


def test_conflicts_name_the_other_lesson(school: BuiltSchool) -> None:
    _slot(school, "7А", "Математика", "ivanova", 1, 2, room_id=school.rooms["12"])
    with pytest.raises(Conflict, match=r"Учитель Иванова М\. занят \(пн, 2-й урок\): 7А, Математика, каб\. 12"):
        _slot(school, "7Б", "Математика", "ivanova", 1, 2)
    with pytest.raises(Conflict, match=r"Кабинет 12 занят \(пн, 2-й урок\): 7А, Математика"):
        _slot(school, "7Б", "Русский язык", "petrov", 1, 2, room_id=school.rooms["12"])
    with pytest.raises(Conflict, match=r"У класса 7А уже есть урок \(пн, 2-й урок\): 7А, Математика"):
        _slot(school, "7А", "Русский язык", "petrov", 1, 2)
    # another slot, another day: fine
    _slot(school, "7Б", "Математика", "ivanova", 1, 3, room_id=school.rooms["12"])
    assert TimetableSlot.select().count() == 2


def test_two_subgroups_share_a_slot_but_not_a_teacher(school: BuiltSchool) -> None:
    c7, eng = school.classes["7А"], school.subjects["Английский язык"]
    g1 = setup.add_group(school.admin, c7, eng, "1 группа")
    g2 = setup.add_group(school.admin, c7, eng, "2 группа")
    _slot(school, "7А", "Английский язык", "orlova", 2, 1, group_id=g1.id, room_id=school.rooms["14"])
    _slot(school, "7А", "Английский язык", "sidorova", 2, 1, group_id=g2.id, room_id=school.rooms["21"])
    with pytest.raises(Conflict, match="У класса 7А"):
        _slot(school, "7А", "Математика", "ivanova", 2, 1)
    with pytest.raises(Conflict, match="Учитель Сидорова"):
        _slot(school, "7Б", "Английский язык", "sidorova", 2, 1)


def test_views_by_class_teacher_and_room(school: BuiltSchool) -> None:
    _slot(school, "7А", "Математика", "ivanova", 1, 1, room_id=school.rooms["12"])
    _slot(school, "7Б", "Математика", "ivanova", 1, 2, room_id=school.rooms["12"])
    _slot(school, "7Б", "Русский язык", "petrov", 2, 1, room_id=school.rooms["14"])
    on = MON
    assert [v.what for v in timetable.class_timetable(school.admin, school.classes["7Б"], on)] == [
        "7Б, Математика", "7Б, Русский язык"]
    assert [(v.weekday, v.number) for v in timetable.teacher_timetable(school.admin, "ivanova", on)] == [(1, 1), (1, 2)]
    assert len(timetable.room_timetable(school.admin, school.rooms["12"], on)) == 2
    # a teacher sees his own week, not another's
    assert len(timetable.teacher_timetable(school.actors["petrov"], "petrov", on)) == 1
    with pytest.raises(PermissionDenied):
        timetable.class_timetable(school.actors["petrov"], school.classes["7А"], on)


def test_bad_slot_values(school: BuiltSchool) -> None:
    with pytest.raises(InvalidInput, match="рабочей недели"):
        _slot(school, "7А", "Математика", "ivanova", 6, 1)
    with pytest.raises(InvalidInput, match="Номер урока"):
        _slot(school, "7А", "Математика", "ivanova", 1, 13)
    with pytest.raises(InvalidInput, match="не учитель"):
        _slot(school, "7А", "Математика", "sekretar", 1, 1)


def test_generate_lessons_skips_weekends_and_holidays_and_is_idempotent(school: BuiltSchool) -> None:
    _slot(school, "7А", "Математика", "ivanova", 1, 1)  # Mondays
    _slot(school, "7А", "Русский язык", "petrov", 5, 2)  # Fridays
    result = timetable.generate_lessons(school.admin, D(2026, 10, 19), D(2026, 11, 8))
    dates = sorted(ls.date for ls in Lesson.select())
    # autumn holidays 25.10–04.11 are skipped: Mon 19.10, Fri 23.10, Fri 06.11
    assert dates == [D(2026, 10, 19), D(2026, 10, 23), D(2026, 11, 6)]
    assert result.created == 3
    again = timetable.generate_lessons(school.admin, D(2026, 10, 19), D(2026, 11, 8))
    assert (again.created, again.existing) == (0, 3)
    assert Lesson.select().count() == 3
    lesson = Lesson.get(Lesson.date == D(2026, 10, 19))
    assert (lesson.number, lesson.teacher.login, lesson.slot_id is not None) == (1, "ivanova", True)
    assert AuditEntry.select().where(AuditEntry.entity == "lessons").count() == 1


def test_a_change_from_a_date_keeps_lessons_with_data(school: BuiltSchool) -> None:
    slot = _slot(school, "7А", "Математика", "ivanova", 1, 1, room_id=school.rooms["12"])
    timetable.generate_lessons(school.admin, D(2026, 9, 1), D(2026, 10, 24))  # 7 Mondays
    by_date = {ls.date: ls for ls in Lesson.select()}
    assert len(by_date) == 7
    # the lesson of 12.10 already has a mark, that of 19.10 attendance: both are kept
    Mark.create(student=school.pupils["Алексеев"], lesson=by_date[D(2026, 10, 12)], value="5")
    Attendance.create(student=school.pupils["Алексеев"], lesson=by_date[D(2026, 10, 19)], code="н")
    result = timetable.change_slot(school.admin, slot.id, D(2026, 10, 5), teacher_login="petrov", number=3)
    assert result.slot is not None and result.slot.teacher_login == "petrov"
    assert (result.removed_lessons, result.kept_lessons) == (1, 2)
    lessons = {(ls.date, ls.number, ls.teacher.login) for ls in Lesson.select()}
    assert (D(2026, 10, 5), 3, "petrov") in lessons
    assert (D(2026, 10, 12), 1, "ivanova") in lessons and (D(2026, 10, 19), 1, "ivanova") in lessons
    assert (D(2026, 9, 28), 1, "ivanova") in lessons  # before the change: unchanged
    # 05.10 at the new number; 12.10 and 19.10 keep their lessons (no second lesson that week)
    assert result.created_lessons == 1
    assert Lesson.select().where(Lesson.date == D(2026, 10, 12)).count() == 1
    old = TimetableSlot.get_by_id(slot.id)
    assert old.valid_to == D(2026, 10, 4)
    # the timetable as it was before and after the change
    assert timetable.class_timetable(school.admin, school.classes["7А"], D(2026, 9, 14))[0].teacher_login == "ivanova"
    assert timetable.class_timetable(school.admin, school.classes["7А"], D(2026, 10, 14))[0].number == 3


def test_a_change_is_refused_on_conflict_and_changes_nothing(school: BuiltSchool) -> None:
    slot = _slot(school, "7А", "Математика", "ivanova", 1, 1)
    _slot(school, "7Б", "Русский язык", "petrov", 1, 2)
    timetable.generate_lessons(school.admin, D(2026, 9, 1), D(2026, 9, 30))
    before = Lesson.select().count()
    with pytest.raises(Conflict, match="Учитель Петров"):
        timetable.change_slot(school.admin, slot.id, D(2026, 9, 14), teacher_login="petrov", number=2)
    assert Lesson.select().count() == before
    assert TimetableSlot.get_by_id(slot.id).valid_to is None


def test_end_slot(school: BuiltSchool) -> None:
    slot = _slot(school, "7А", "Математика", "ivanova", 1, 1)
    timetable.generate_lessons(school.admin, D(2026, 9, 1), D(2026, 9, 30))
    result = timetable.end_slot(school.admin, slot.id, D(2026, 9, 14))
    assert result.removed_lessons == 3  # 14, 21, 28 September
    assert Lesson.select().count() == 1


def test_substitution_offers_only_free_teachers(school: BuiltSchool) -> None:
    _slot(school, "7А", "Математика", "ivanova", 1, 1)
    _slot(school, "7Б", "Русский язык", "petrov", 1, 1)
    timetable.generate_lessons(school.admin, MON, MON)
    lesson = Lesson.get((Lesson.date == MON) & (Lesson.teacher == school.actors["ivanova"].user_id))
    free = [o.login for o in timetable.free_teachers(school.admin, lesson.id)]
    assert "petrov" not in free and "ivanova" not in free
    assert set(free) == {"sidorova", "orlova"}
    with pytest.raises(Conflict, match=r"Петров П\. в это время ведёт урок: 7Б"):
        timetable.substitute(school.admin, lesson.id, "petrov")
    day = timetable.substitute(school.admin, lesson.id, "orlova")
    assert (day.teacher_login, day.replaced_login) == ("orlova", "ivanova")
    # a second substitute still replaces the planned teacher
    day = timetable.substitute(school.admin, lesson.id, "sidorova")
    assert (day.teacher_login, day.replaced_login) == ("sidorova", "ivanova")
    rows = [(r.field, r.old_value, r.new_value) for r in AuditEntry.select().where(AuditEntry.entity == "lesson")]
    assert ("teacher", "ivanova", "orlova") in rows and ("replaced_teacher", None, "ivanova") in rows
    day = timetable.cancel_substitution(school.admin, lesson.id)
    assert (day.teacher_login, day.replaced_login) == ("ivanova", "")
    listed = timetable.lessons_of_day(school.admin, MON)
    assert [(d.class_name, d.number) for d in listed] == [("7А", 1), ("7Б", 1)]


def test_only_the_admin_edits_the_timetable(school: BuiltSchool) -> None:
    with pytest.raises(PermissionDenied):
        timetable.add_slot(school.actors["sekretar"], school.classes["7А"], school.subjects["Математика"], "ivanova", 1, 1)
    with pytest.raises(PermissionDenied):
        timetable.generate_lessons(school.actors["ivanova"], MON, MON)
