"""A small school with one actor per role, for the permission and service tests.

Built with the row builders of ``tests/factories/rows.py``: set-up data is the test's world,
not a user's change. What the tests then do goes through the services.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from tests.factories.rows import (
    PASSWORD,
    actors_of,
    add_periods,
    assign,
    link_parent,
    make_class,
    make_lesson,
    make_mark,
    make_plan,
    make_school,
    make_student,
    make_subject,
    make_user,
    make_work_type,
    make_year,
)
from tui_journal.db.models import (
    ALL_MODELS,
    Lesson,
    Mark,
    PlanArchive,
    PlanItem,
    School,
    SchoolClass,
    Student,
    Subject,
    User,
    database_proxy,
)
from tui_journal.services.actor import Actor

__all__ = ["PASSWORD", "World", "build_world", "fingerprint", "make_student", "make_user"]


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


def build_world(*, marks: bool = True, plan: bool = True) -> World:
    """The shared world; ``marks=False`` leaves the journal without its one mark, ``plan=False``
    leaves 7А's mathematics without a thematic plan (and without an archived one)."""
    school = make_school("МБОУ СОШ № 1", "СОШ № 1")
    other = make_school("МБОУ СОШ № 9", "СОШ № 9")
    w = World(school=school, other_school=other)
    year = make_year(school)
    add_periods(year, "2 четверть")
    math = make_subject(school, "Математика")
    w.subjects["math"] = math
    answer = make_work_type(school, "Ответ на уроке", 1)

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

    c7 = make_class(school, year, 7, "А")
    c8 = make_class(school, year, 8, "Б", class_teacher=U["class_teacher"])
    gkp = make_class(school, year, 0, "ГКП", class_teacher=U["educator"], kind="preschool")
    w.classes.update({"7А": c7, "8Б": c8, "ГКП": gkp})
    assign(U["teacher"], c7, math)
    assign(U["class_teacher"], c8, math)

    s7 = make_student(school, c7, "Учеников", "Коля", user=U["student"])
    s8 = make_student(school, c8, "Другой", "Денис", user=U["other_student"])
    w.students.update({"7А": s7, "8Б": s8})
    link_parent(s7, U["parent"])
    link_parent(s8, U["other_parent"])

    day = dt.date(2026, 11, 27)
    w.lessons["7А"] = make_lesson(c7, math, day, 1, U["teacher"])
    w.lessons["8Б"] = make_lesson(c8, math, day, 2, U["class_teacher"])

    if plan:
        w.plan = make_plan(c7, math, ("Дроби", "Проценты"))
        # a plan replaced once: its topics can be restored (plan.restore_previous_plan)
        PlanArchive.create(
            school_class=c7, subject=math, topics='[{"ordinal": 1, "topic": "Старая тема", "hours": 1, "kind": "обычный"}]'
        )
    if marks:
        w.marks["7А"] = make_mark(s7, w.lessons["7А"], "4", answer)

    w.actors.update(actors_of(U))
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
