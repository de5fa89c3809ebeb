"""The demo school generator: deterministic, conflict-free, and true to the regulation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from peewee import Database, fn

from tests.conftest import PG_URL, _fresh_pg
from tui_journal.db.database import make_database, sqlite_url
from tui_journal.db.demo import DemoResult, build_demo, demo_logins, find_conflicts
from tui_journal.db.models import (
    AcademicYear,
    Assignment,
    Attendance,
    AuditEntry,
    Curriculum,
    Enrollment,
    Group,
    GuardianLink,
    Lesson,
    Mark,
    PlanItem,
    School,
    SchoolClass,
    Student,
    Subject,
    TimetableSlot,
    User,
    UserRole,
    database_proxy,
)
from tui_journal.services.auth import authenticate
from tui_journal.services.passwords import COMMON_PASSWORDS

TODAY = dt.date(2026, 11, 27)  # a Friday: today's lessons exist and must be left blank
WEEKS = 34


def _bind(url: str) -> Database:
    db = make_database(url)
    db.connect(reuse_if_open=True)
    database_proxy.initialize(db)
    return db


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, DemoResult]:
    url = sqlite_url(tmp_path_factory.mktemp("demo") / "tiny.db")
    return url, build_demo(url, "tiny", seed=1, today=TODAY)


@pytest.fixture
def demo(tiny: tuple[str, DemoResult]) -> Iterator[DemoResult]:
    """The tiny demo school, bound as the current database."""
    url, result = tiny
    db = _bind(url)
    yield result
    db.close()


def _school_id() -> int:
    return int(School.select(fn.MIN(School.id)).scalar())


def _class(name: str) -> SchoolClass:
    if name == "ГКП":
        return SchoolClass.get(SchoolClass.kind == "preschool")
    return SchoolClass.get((SchoolClass.grade == int(name[:-1])) & (SchoolClass.letter == name[-1]))


# --- determinism -------------------------------------------------------------------------

SNAPSHOT = {
    "user": "SELECT login, last_name, first_name, middle_name, phone, password_hash IS NOT NULL FROM \"user\" ORDER BY id",
    "student": "SELECT last_name, first_name, middle_name, birth_date, sex FROM student ORDER BY id",
    "timetable": (
        "SELECT school_class_id, group_id, subject_id, teacher_id, room_id, weekday, number "
        "FROM timetable_slot ORDER BY id"
    ),
    "lesson": "SELECT school_class_id, date, number, teacher_id, topic, homework FROM lesson ORDER BY id",
    "mark": "SELECT student_id, lesson_id, work_type_id, value, position, created_at FROM mark ORDER BY id",
    "attendance": "SELECT student_id, lesson_id, code, corrected_code FROM attendance ORDER BY id",
}


def _snapshot(url: str) -> dict[str, list[tuple[object, ...]]]:
    db = make_database(url)
    db.connect()
    try:
        return {name: [tuple(r) for r in db.execute_sql(sql).fetchall()] for name, sql in SNAPSHOT.items()}
    finally:
        db.close()


def test_same_seed_same_school_other_seed_other_school(tmp_path: Path) -> None:
    urls = [sqlite_url(tmp_path / f"{name}.db") for name in ("a", "b", "c")]
    first = build_demo(urls[0], "tiny", seed=7, today=TODAY)
    second = build_demo(urls[1], "tiny", seed=7, today=TODAY)
    other = build_demo(urls[2], "tiny", seed=8, today=TODAY)
    a, b, c = (_snapshot(u) for u in urls)
    assert a == b
    assert first.counts == second.counts
    assert first.logins == second.logins == demo_logins(7)
    assert all(a[name] for name in SNAPSHOT), "every compared table has rows"
    assert a["user"] != c["user"] and a["mark"] != c["mark"] and a["timetable"] != c["timetable"]
    assert other.logins != first.logins


def test_refuses_a_database_that_already_has_a_school(tiny: tuple[str, DemoResult]) -> None:
    url, _ = tiny
    with pytest.raises(ValueError, match="уже есть школа"):
        build_demo(url, "tiny", seed=1, today=TODAY)


def test_unknown_size_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="размер"):
        build_demo(sqlite_url(tmp_path / "x.db"), "huge", today=TODAY)  # type: ignore[arg-type]


# --- the school --------------------------------------------------------------------------


def test_tiny_school_has_the_expected_shape(demo: DemoResult) -> None:
    school = School.get_by_id(_school_id())
    assert "школа №" in school.name and school.short_name.startswith("СОШ №")
    assert school.director_name and school.week_days == 5
    year = AcademicYear.get(AcademicYear.school == school)
    assert (year.name, year.start, year.end) == ("2026/2027", dt.date(2026, 9, 1), dt.date(2027, 5, 31))
    names = sorted(f"{c.grade}{c.letter}" for c in SchoolClass.select())
    assert names == ["0ГКП", "1А", "5А", "7А", "9А"]
    gkp = _class("ГКП")
    assert gkp.kind == "preschool" and UserRole.get(UserRole.user == gkp.class_teacher).role == "educator"
    assert all(c.class_teacher_id for c in SchoolClass.select())
    entry = AuditEntry.get(AuditEntry.entity == "demo")
    assert (entry.origin, entry.action, entry.actor_id, entry.actor_name) == ("demo", "create", None, "демо-генератор")
    assert demo.counts["lesson"] == Lesson.select().count() > 0
    assert demo.schools == 1


def test_split_subjects_have_two_groups_with_their_own_teachers(demo: DemoResult) -> None:
    seven = _class("7А")
    for name in ("Иностранный язык (английский)", "Информатика", "Труд (технология)"):
        subject = Subject.get(Subject.name == name)
        assert subject.split_into_groups
        groups = list(Group.select().where((Group.school_class == seven) & (Group.subject == subject)))
        assert sorted(g.name for g in groups) == ["1 группа", "2 группа"]
        teachers = {Assignment.get(Assignment.group == g).teacher_id for g in groups}
        assert len(teachers) == 2
        slots = list(TimetableSlot.select().where((TimetableSlot.school_class == seven) & (TimetableSlot.subject == subject)))
        cells = {(s.weekday, s.number) for s in slots}
        assert len(slots) == 2 * len(cells), "both groups at the same time"


def test_timetable_has_no_conflicts(demo: DemoResult) -> None:
    assert find_conflicts(_school_id()) == []


def test_conflict_checker_sees_a_teacher_in_two_places(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "clash.db")
    build_demo(url, "tiny", seed=3, today=dt.date(2026, 8, 1))
    db = _bind(url)
    try:
        slot = TimetableSlot.get(TimetableSlot.group.is_null() & (TimetableSlot.number == 1))
        other = SchoolClass.get(SchoolClass.id != slot.school_class_id)
        TimetableSlot.create(
            school_class=other, subject=slot.subject_id, teacher=slot.teacher_id, room=None,
            weekday=slot.weekday, number=slot.number, valid_from=slot.valid_from,
        )
        problems = find_conflicts(_school_id())
        assert any("учитель" in p for p in problems) and any("два урока" in p for p in problems)
        assert Lesson.select().count() == 0, "no lessons before the year starts"
    finally:
        db.close()


def test_curriculum_hours_equal_plan_hours(demo: DemoResult) -> None:
    for row in Curriculum.select():
        groups: list[Group | None] = list(Group.select().where((Group.school_class == row.school_class_id) & (Group.subject == row.subject_id)))
        for group in groups or [None]:
            hours = (
                PlanItem.select(fn.SUM(PlanItem.hours))
                .where(
                    (PlanItem.school_class == row.school_class_id)
                    & (PlanItem.subject == row.subject_id)
                    & (PlanItem.group.is_null() if group is None else PlanItem.group == group)
                )
                .scalar()
            )
            assert hours == row.hours_per_week * WEEKS


def test_weekly_timetable_matches_the_curriculum(demo: DemoResult) -> None:
    for row in Curriculum.select():
        count = (
            TimetableSlot.select()
            .where((TimetableSlot.school_class == row.school_class_id) & (TimetableSlot.subject == row.subject_id))
            .count()
        )
        split = Group.select().where((Group.school_class == row.school_class_id) & (Group.subject == row.subject_id)).exists()
        assert count == row.hours_per_week * (2 if split else 1)


# --- lessons, marks, attendance ----------------------------------------------------------------


def test_lessons_stop_at_today_and_todays_are_left_to_the_teacher(demo: DemoResult) -> None:
    assert Lesson.select(fn.MAX(Lesson.date)).scalar() == TODAY
    assert Lesson.select(fn.MIN(Lesson.date)).scalar() == dt.date(2026, 11, 5), "tiny: weeks from 2 November"
    todays = Lesson.select().where(Lesson.date == TODAY)
    assert todays.count() > 0
    for lesson in todays:
        assert lesson.topic == "" and lesson.roll_taken_at is None and lesson.plan_item_id is None
    assert not Mark.select().join(Lesson).where(Lesson.date == TODAY).exists()
    assert not Attendance.select().join(Lesson).where(Lesson.date == TODAY).exists()
    past = Lesson.select().where(Lesson.date < TODAY)
    assert all(lesson.topic and lesson.roll_taken_at and lesson.plan_item_id for lesson in past)
    # no lessons on weekends or in the autumn holidays
    assert all(lesson.date.weekday() < 5 for lesson in Lesson.select(Lesson.date).distinct())


def test_topics_follow_the_plan_in_order(demo: DemoResult) -> None:
    seven = _class("7А")
    algebra = Subject.get(Subject.name == "Алгебра")
    ordinals = [
        lesson.plan_item.ordinal  # type: ignore[union-attr]  # a lesson without a plan row fails here
        for lesson in Lesson.select().where((Lesson.school_class == seven) & (Lesson.subject == algebra) & (Lesson.date < TODAY)).order_by(Lesson.date, Lesson.number)
    ]
    assert ordinals == list(range(ordinals[0], ordinals[0] + len(ordinals)))
    assert ordinals[0] > 1, "tiny starts mid-plan, as if September and October were held"


def test_no_marks_and_no_homework_in_first_grade_and_preschool(demo: DemoResult) -> None:
    for name in ("1А", "ГКП"):
        cls = _class(name)
        lessons = Lesson.select().where(Lesson.school_class == cls)
        assert lessons.count() > 0
        assert not Mark.select().join(Lesson).where(Lesson.school_class == cls).exists()
        assert not lessons.where(Lesson.homework != "").exists()
        assert Attendance.select().join(Lesson).where(Lesson.school_class == cls).exists()
    assert Lesson.select().join(SchoolClass).where((SchoolClass.grade >= 5) & (Lesson.homework != "")).exists()


def test_marks_are_believable(demo: DemoResult) -> None:
    values = [m.value for m in Mark.select(Mark.value)]
    assert values and set(values) <= {"2", "3", "4", "5"}
    share = {v: values.count(v) / len(values) for v in "2345"}
    assert share["4"] + share["5"] > 0.5 and 0 < share["2"] < 0.15
    # the marks are entered by the lesson's actual teacher on the lesson's day
    for mark in Mark.select().join(Lesson).limit(200):
        assert mark.created_by_id == mark.lesson.teacher_id
        assert mark.created_at.date() == mark.lesson.date
    controls = Lesson.select().where(Lesson.work_type.is_null(False) & (Lesson.date < TODAY))
    assert controls.exists()


def test_absences_are_a_few_percent(demo: DemoResult) -> None:
    codes = {a.code for a in Attendance.select(Attendance.code)}
    assert codes <= {"н", "б", "у", "о"} and "б" in {a.corrected_code or a.code for a in Attendance.select()}
    held = Lesson.select().where(Lesson.date < TODAY).count()
    assert 0 < Attendance.select().count() < held * 12 * 0.12


def test_substitutions_are_recorded(demo: DemoResult) -> None:
    subs = list(Lesson.select().where(Lesson.replaced_teacher.is_null(False)))
    assert subs
    for lesson in subs:
        assert lesson.teacher_id != lesson.replaced_teacher_id
        assert lesson.slot is not None and lesson.slot.teacher_id == lesson.replaced_teacher_id


# --- people and accounts -----------------------------------------------------------------


def test_every_printed_login_works_with_its_role(demo: DemoResult) -> None:
    logins = demo.logins
    assert logins == demo_logins(1)
    assert [d.role for d in logins] == [
        "admin", "director", "deputy", "secretary", "teacher", "educator", "student", "parent",
    ]
    assert len({d.login for d in logins}) == len(logins)
    school = School.get_by_id(_school_id())
    for d in logins:
        assert len(d.password) >= 8 and d.password.casefold() not in COMMON_PASSWORDS
        result = authenticate(d.login, d.password)
        assert result.ok, (d.login, result.message)
        assert result.actor is not None and d.role in result.actor.roles
        assert d.login in school.login_note and d.password in school.login_note
    assert User.select().where(User.password_hash.is_null(False)).count() == len(logins)


def test_the_demo_teacher_leads_7a_and_teaches_there(demo: DemoResult) -> None:
    teacher = User.get(User.login == demo.logins[4].login)
    seven = _class("7А")
    assert seven.class_teacher_id == teacher.id
    taught = {a.subject.name for a in Assignment.select().where((Assignment.teacher == teacher) & (Assignment.school_class == seven))}
    assert "Алгебра" in taught
    assert "математики" in demo.logins[4].note and "7А" in demo.logins[4].note


def test_the_demo_pupil_and_parent(demo: DemoResult) -> None:
    student_user = User.get(User.login == demo.logins[6].login)
    card = Student.get(Student.user == student_user)
    assert Enrollment.get(Enrollment.student == card).school_class_id == _class("7А").id
    parent = User.get(User.login == demo.logins[7].login)
    children = [link.student for link in GuardianLink.select().where(GuardianLink.parent == parent)]
    assert card in children and len(children) == 2


def test_parents_and_pupils_are_linked(demo: DemoResult) -> None:
    for student in Student.select():
        links = list(GuardianLink.select().where(GuardianLink.student == student))
        assert 1 <= len(links) <= 2 and {link.relation for link in links} <= {"мать", "отец"}
        assert student.search_key and student.birth_date
    parents = UserRole.select(UserRole.user).where(UserRole.role == "parent")
    for role in parents:
        assert GuardianLink.select().where(GuardianLink.parent == role.user_id).exists()
        assert role.user.phone.startswith("+7 9")
    # pupils from grade 5 have accounts, younger ones do not
    for student in Student.select():
        grade = Enrollment.get(Enrollment.student == student).school_class.grade
        assert (student.user_id is not None) == (grade >= 5)


def test_logins_are_latin_and_unique(demo: DemoResult) -> None:
    logins = [u.login for u in User.select(User.login)]
    assert len(logins) == len(set(logins))
    assert all(login.isascii() and login == login.lower() for login in logins)


def test_demo_logins_need_no_database() -> None:
    first = demo_logins(5)
    assert first == demo_logins(5) and first != demo_logins(6)
    other_school = demo_logins(5, school_index=3)
    assert all("-" in d.login for d in other_school), "district schools have suffixed logins"


# --- PostgreSQL --------------------------------------------------------------------------


@pytest.mark.pg
@pytest.mark.skipif(not PG_URL, reason="TUI_JOURNAL_TEST_PG is not set")
def test_tiny_demo_on_postgresql(tiny: tuple[str, DemoResult]) -> None:
    _, on_sqlite = tiny
    url = _fresh_pg()
    result = build_demo(url, "tiny", seed=1, today=TODAY)
    db = _bind(url)
    try:
        assert result.counts == on_sqlite.counts
        assert find_conflicts(_school_id()) == []
        login = result.logins[4]
        assert authenticate(login.login, login.password).ok
        # the id sequences moved past the demo's rows: new rows get fresh ids
        User.create(school=_school_id(), login="new.user", last_name="Новый", first_name="Пользователь")
    finally:
        db.close()
