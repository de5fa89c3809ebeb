"""A small school with one actor per role, for the permission and service tests.

Set-up data is written with the models directly: it is the test's world, not a user's
change. What the tests then do goes through the services.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from tui_journal.db.models import (
    ALL_MODELS,
    AcademicYear,
    Assignment,
    Enrollment,
    GuardianLink,
    Lesson,
    Mark,
    Period,
    PlanArchive,
    PlanItem,
    School,
    SchoolClass,
    Student,
    Subject,
    User,
    UserRole,
    WorkType,
    database_proxy,
    search_key_for,
)
from tui_journal.services.actor import Actor
from tui_journal.services.auth import actor_for
from tui_journal.services.passwords import hash_password

PASSWORD = "Strong-pass-2026"
_HASH: list[str] = []


def _hash() -> str:
    if not _HASH:
        _HASH.append(hash_password(PASSWORD))
    return _HASH[0]


@dataclass
class World:
    school: School
    other_school: School
    actors: dict[str, Actor] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    classes: dict[str, SchoolClass] = field(default_factory=dict)
    students: dict[str, Student] = field(default_factory=dict)
    subjects: dict[str, Subject] = field(default_factory=dict)
    lessons: dict[str, Lesson] = field(default_factory=dict)
    marks: dict[str, Mark] = field(default_factory=dict)
    plan: list[PlanItem] = field(default_factory=list)


def make_user(school: School, login: str, last: str, first: str, middle: str, *roles: str) -> User:
    user = User.create(
        school=school,
        login=login,
        last_name=last,
        first_name=first,
        middle_name=middle,
        password_hash=_hash(),
        search_key=search_key_for(last, first, middle, login),
    )
    for role in roles:
        UserRole.create(user=user, role=role)
    return user


def make_student(school: School, cls: SchoolClass, last: str, first: str, user: User | None = None) -> Student:
    student = Student.create(
        school=school, user=user, last_name=last, first_name=first, search_key=search_key_for(last, first)
    )
    Enrollment.create(student=student, school_class=cls, start=dt.date(2026, 9, 1))
    return student


def build_world() -> World:
    school = School.create(name="МБОУ СОШ № 1", short_name="СОШ № 1")
    other = School.create(name="МБОУ СОШ № 9", short_name="СОШ № 9")
    w = World(school=school, other_school=other)
    year = AcademicYear.create(school=school, name="2026/2027", start=dt.date(2026, 9, 1), end=dt.date(2027, 5, 31))
    Period.create(year=year, name="2 четверть", kind="quarter", ordinal=2, start=dt.date(2026, 11, 5), end=dt.date(2026, 12, 28))
    math = Subject.create(school=school, name="Математика")
    w.subjects["math"] = math
    answer = WorkType.create(school=school, name="Ответ на уроке", weight=1)

    U = w.users
    U["admin"] = make_user(school, "admin", "Админов", "Андрей", "Андреевич", "admin")
    U["director"] = make_user(school, "director", "Директорова", "Дарья", "Дмитриевна", "director")
    U["deputy"] = make_user(school, "deputy", "Завучева", "Зоя", "Захаровна", "deputy")
    U["secretary"] = make_user(school, "secretary", "Секретарёва", "Софья", "Сергеевна", "secretary")
    U["teacher"] = make_user(school, "teacher", "Учителев", "Иван", "Иванович", "teacher")
    U["class_teacher"] = make_user(school, "classteacher", "Классная", "Клара", "Карловна", "teacher")
    U["educator"] = make_user(school, "educator", "Воспитателева", "Вера", "Викторовна", "educator")
    U["student"] = make_user(school, "student", "Учеников", "Коля", "", "student")
    U["parent"] = make_user(school, "parent", "Родителева", "Рита", "Романовна", "parent")
    U["other_parent"] = make_user(school, "otherparent", "Чужая", "Чара", "", "parent")
    U["other_student"] = make_user(school, "otherstudent", "Другой", "Денис", "", "student")
    U["locked"] = make_user(school, "lockeduser", "Забытов", "Захар", "", "teacher")
    U["locked"].state = "locked"
    U["locked"].save()
    U["other_admin"] = make_user(other, "otheradmin", "Соседов", "Семён", "", "admin")

    c7 = SchoolClass.create(school=school, year=year, grade=7, letter="А")
    c8 = SchoolClass.create(school=school, year=year, grade=8, letter="Б", class_teacher=U["class_teacher"])
    gkp = SchoolClass.create(school=school, year=year, grade=0, letter="ГКП", kind="preschool", class_teacher=U["educator"])
    w.classes.update({"7А": c7, "8Б": c8, "ГКП": gkp})
    Assignment.create(teacher=U["teacher"], school_class=c7, subject=math)
    Assignment.create(teacher=U["class_teacher"], school_class=c8, subject=math)

    s7 = make_student(school, c7, "Учеников", "Коля", user=U["student"])
    s8 = make_student(school, c8, "Другой", "Денис", user=U["other_student"])
    w.students.update({"7А": s7, "8Б": s8})
    GuardianLink.create(student=s7, parent=U["parent"], relation="мать")
    GuardianLink.create(student=s8, parent=U["other_parent"], relation="мать")

    w.lessons["7А"] = Lesson.create(school_class=c7, subject=math, date=dt.date(2026, 11, 27), number=1, teacher=U["teacher"])
    w.lessons["8Б"] = Lesson.create(school_class=c8, subject=math, date=dt.date(2026, 11, 27), number=2, teacher=U["class_teacher"])

    w.plan = [
        PlanItem.create(school_class=c7, subject=math, ordinal=i, topic=topic, hours=1)
        for i, topic in enumerate(("Дроби", "Проценты"), start=1)
    ]
    # a plan replaced once: its topics can be restored (plan.restore_previous_plan)
    PlanArchive.create(
        school_class=c7, subject=math, topics='[{"ordinal": 1, "topic": "Старая тема", "hours": 1, "kind": "обычный"}]'
    )
    w.marks["7А"] = Mark.create(student=s7, lesson=w.lessons["7А"], work_type=answer, value="4")

    for role, user in U.items():
        w.actors[role] = actor_for(user, origin="tui")
    return w


def fingerprint() -> str:
    """A hash of every row of every table: equal before and after means nothing changed."""
    digest = hashlib.sha256()
    db = database_proxy.obj
    for model in ALL_MODELS:
        table = model._meta.table_name
        cursor = db.execute_sql(f'SELECT * FROM "{table}" ORDER BY 1')
        for row in cursor.fetchall():
            digest.update(repr(row).encode())
    return digest.hexdigest()
