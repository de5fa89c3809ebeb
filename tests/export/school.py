"""A small school whose reports are computed by hand in the tests (see the numbers in
``tests/services/test_reports.py``).

7А (class teacher ``ct``): pupils А…Ж on the roll all year except Егорова (left 10.10),
Жуков (arrived 05.10 from another school) and Зайцева (moved from 7Б on 01.10). English
is taught in two groups; Григорьева is in none. Quarter 1 has period marks built for the
indicators' edge cases (everybody exempt, everybody н/а, a subject without marks, a pupil
who left); quarter 2 has lessons on 09–11.11.2026 with attendance and current marks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tests.factories.rows import (
    actors_of,
    add_periods,
    assign,
    enrol,
    join_group,
    link_parent,
    make_class,
    make_group,
    make_lesson,
    make_mark,
    make_period_mark,
    make_plan,
    make_pupil,
    make_school,
    make_slot,
    make_subject,
    make_user,
    make_work_type,
    make_year,
    mark_absent,
)
from tui_journal.db.models import (
    AcademicYear,
    Curriculum,
    Group,
    Lesson,
    Period,
    School,
    SchoolClass,
    Student,
    Subject,
    User,
    WorkType,
)
from tui_journal.services.actor import Actor

D = dt.date
TODAY = D(2026, 11, 28)
Q1 = "1 четверть"
Q2 = "2 четверть"
DAY1, DAY2, DAY3 = D(2026, 11, 9), D(2026, 11, 10), D(2026, 11, 11)


@dataclass
class School7:
    school: School
    year: AcademicYear
    actors: dict[str, Actor] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    pupils: dict[str, Student] = field(default_factory=dict)
    subjects: dict[str, Subject] = field(default_factory=dict)
    classes: dict[str, SchoolClass] = field(default_factory=dict)
    lessons: dict[str, Lesson] = field(default_factory=dict)
    periods: dict[str, Period] = field(default_factory=dict)


PUPILS = (
    # key, last, first, middle, sex
    ("A", "Алексеев", "Артём", "Андреевич", "м"),
    ("B", "Борисова", "Вера", "Викторовна", "ж"),
    ("C", "Васильев", "Глеб", "Геннадьевич", "м"),
    ("D", "Григорьева", "Дарья", "Денисовна", "ж"),
    ("E", "Дмитриев", "Егор", "Евгеньевич", "м"),
    ("F", "Егорова", "Жанна", "Игоревна", "ж"),
    ("G", "Жуков", "Захар", "Ильич", "м"),
    ("H", "Зайцева", "Ирина", "Кирилловна", "ж"),
    ("I", "Ильин", "Кирилл", "Львович", "м"),
)


def build() -> School7:
    school = make_school(
        "МБОУ «Средняя школа № 5»", "СШ № 5", director_name="Директорова Дарья Дмитриевна",
        week_days=5, rounding="half_up", min_marks=3,
    )
    year = make_year(school)
    w = School7(school=school, year=year)
    periods = add_periods(year, Q1, "Осенние каникулы", Q2)
    w.periods.update({Q1: periods[Q1], Q2: periods[Q2]})

    U = w.users
    for key, last, first, middle, role in (
        ("admin", "Админов", "Андрей", "", "admin"),
        ("director", "Директорова", "Дарья", "Дмитриевна", "director"),
        ("deputy", "Завучева", "Зоя", "Захаровна", "deputy"),
        ("secretary", "Секретарёва", "Софья", "", "secretary"),
        ("ct", "Классова", "Клара", "Карловна", "teacher"),
        ("math", "Математиков", "Марк", "Максимович", "teacher"),
        ("eng1", "Английская", "Анна", "", "teacher"),
        ("eng2", "Британова", "Белла", "", "teacher"),
        ("mother", "Алексеева", "Мария", "Петровна", "parent"),
        ("alekseev", "Алексеев", "Артём", "Андреевич", "student"),
        ("borisova", "Борисова", "Вера", "Викторовна", "student"),
    ):
        U[key] = make_user(school, key, last, first, middle, role, can_log_in=False)

    c7 = make_class(school, year, 7, "А", class_teacher=U["ct"])
    c7b = make_class(school, year, 7, "Б")
    w.classes.update({"7А": c7, "7Б": c7b})
    S = w.subjects
    S["math"] = make_subject(school, "Математика", "Матем.")
    S["rus"] = make_subject(school, "Русский язык", "Рус. яз.")
    S["pe"] = make_subject(school, "Физическая культура", "Физ-ра")
    S["eng"] = make_subject(school, "Английский язык", "Англ. яз.", split_into_groups=True)
    for key, hours in (("math", 5), ("rus", 4), ("pe", 2), ("eng", 3)):
        Curriculum.create(school_class=c7, subject=S[key], hours_per_week=hours)
    g1 = make_group(c7, S["eng"], "1 группа")
    g2 = make_group(c7, S["eng"], "2 группа")
    assign(U["math"], c7, S["math"])
    assign(U["ct"], c7, S["rus"])
    assign(U["ct"], c7, S["pe"])
    assign(U["eng1"], c7, S["eng"], g1)
    assign(U["eng2"], c7, S["eng"], g2)

    P = w.pupils
    accounts = {"A": U["alekseev"], "B": U["borisova"]}
    for key, last, first, middle, sex in PUPILS:
        P[key] = make_pupil(school, last, first, middle, sex=sex, user=accounts.get(key))
    start = D(2026, 9, 1)
    for key in "ABCDE":
        enrol(P[key], c7, start, order_in="Приказ № 45-у")
    enrol(
        P["F"], c7, start, end=D(2026, 10, 10), order_in="Приказ № 45-у",
        order_out="Приказ № 50-у от 10.10.2026", went_to="МБОУ СОШ № 7 г. Новоалтайска",
    )
    enrol(P["G"], c7, D(2026, 10, 5), order_in="Приказ № 48-у от 05.10.2026", came_from="МБОУ СОШ № 3 г. Бийска")
    enrol(P["H"], c7b, start, end=D(2026, 9, 30), order_in="Приказ № 45-у", order_out="Приказ № 47-у от 30.09.2026")
    enrol(P["H"], c7, D(2026, 10, 1), order_in="Приказ № 47-у от 30.09.2026")
    enrol(P["I"], c7b, start, order_in="Приказ № 45-у")
    for key, group, since in (("A", g1, start), ("C", g1, start), ("G", g1, D(2026, 10, 5)),
                              ("B", g2, start), ("E", g2, start), ("H", g2, D(2026, 10, 1))):
        join_group(group, P[key], since)
    link_parent(P["A"], U["mother"])
    link_parent(P["B"], U["mother"])

    # quarter 1: period marks for the indicators' edge cases
    q1 = w.periods[Q1]
    def pm(key: str, subject: str, value: str, period: Period) -> None:
        make_period_mark(P[key], S[subject], c7, period, value, kind="period")
    for key, value in zip("ABCDEGHF", ("5", "4", "3", "2", "н/а", "осв", "4", "5"), strict=True):
        pm(key, "math", value, q1)
    for key in "ABCDEGH":
        pm(key, "rus", "н/а", q1)
        pm(key, "pe", "осв", q1)
    # quarter 2: for the class teacher's categories
    q2 = w.periods[Q2]
    for key, m, r in (("A", "5", "5"), ("B", "5", "4"), ("C", "4", "3"), ("D", "3", "3"), ("E", "2", "5"), ("G", "н/а", "4")):
        pm(key, "math", m, q2)
        pm(key, "rus", r, q2)
    for key in "ABCDEGH":
        pm(key, "pe", "осв", q2)

    # quarter 2 lessons, attendance, marks
    answer = make_work_type(school, "Ответ на уроке", 1, "отв.")
    control = make_work_type(school, "Контрольная работа", 2, "к/р", is_control=True)
    L = w.lessons
    def lesson(key: str, day: dt.date, number: int, subject: str, teacher: str, group: Group | None = None,
               topic: str = "", homework: str = "", roll: bool = False) -> None:
        L[key] = make_lesson(
            c7, S[subject], day, number, U[teacher], group=group, topic=topic, homework=homework,
            roll_taken_at=dt.datetime.combine(day, dt.time(9)) if roll else None,
        )
    lesson("d1math", DAY1, 1, "math", "math", topic="Дроби", homework="§ 1, № 5", roll=True)
    lesson("d1rus", DAY1, 2, "rus", "ct", topic="Причастие", homework="упр. 10")
    lesson("d1pe", DAY1, 3, "pe", "ct", topic="Бег", homework="")
    lesson("d2math", DAY2, 1, "math", "math")
    lesson("d2rus", DAY2, 2, "rus", "ct", topic="Деепричастие", homework="упр. 12")
    lesson("d2eng1", DAY2, 3, "eng", "eng1", group=g1, topic="Present Simple", homework="ex. 3")
    lesson("d2eng2", DAY2, 3, "eng", "eng2", group=g2, topic="Present Simple", homework="ex. 4")
    lesson("d3math", DAY3, 1, "math", "math", topic="Проценты")
    lesson("d3rus", DAY3, 2, "rus", "ct", topic="Наречие", homework="упр. 15")

    def absent(key: str, lesson_key: str, code: str, corrected: str | None = None) -> None:
        mark_absent(P[key], L[lesson_key], code, corrected_code=corrected)
    absent("A", "d1math", "н", "б")
    absent("A", "d1rus", "н")
    absent("A", "d1pe", "н")
    for lk in ("d2math", "d2rus", "d2eng1"):
        absent("A", lk, "б")
    for lk in ("d2math", "d2rus", "d3math", "d3rus"):
        absent("B", lk, "у")
    absent("D", "d2math", "н")
    absent("D", "d2rus", "н")
    absent("C", "d3math", "о")
    absent("C", "d3rus", "н")

    def mark(key: str, lesson_key: str, value: str, wt: WorkType = answer, position: int = 0) -> None:
        make_mark(P[key], L[lesson_key], value, wt, position)
    mark("A", "d1math", "5")
    mark("A", "d3math", "4", control, 0)
    mark("A", "d3math", "5", answer, 1)
    mark("B", "d1math", "4")
    mark("B", "d3math", "4")
    mark("C", "d1math", "3")
    mark("C", "d2math", "3")
    mark("C", "d3math", "2")

    # the timetable (blank forms) and a thematic plan (monitoring)
    slots: tuple[tuple[int, int, str, str, Group | None], ...] = (
        (1, 1, "math", "math", None), (1, 2, "rus", "ct", None),
        (2, 3, "eng", "eng1", g1), (2, 3, "eng", "eng2", g2),
    )
    for weekday, number, subject, teacher, slot_group in slots:
        make_slot(c7, S[subject], U[teacher], weekday, number, group=slot_group, valid_from=start)
    make_plan(c7, S["math"], (f"Тема {i}" for i in range(1, 11)))

    w.actors.update(actors_of(U))
    return w
