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

from tui_journal.db.models import (
    AcademicYear,
    Assignment,
    Attendance,
    Curriculum,
    Enrollment,
    Group,
    GroupMember,
    GuardianLink,
    Lesson,
    Mark,
    Period,
    PeriodMark,
    PlanItem,
    School,
    SchoolClass,
    Student,
    Subject,
    TimetableSlot,
    User,
    UserRole,
    WorkType,
    search_key_for,
)
from tui_journal.services.actor import Actor
from tui_journal.services.auth import actor_for

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


def _user(school: School, login: str, last: str, first: str, middle: str, *roles: str) -> User:
    user = User.create(
        school=school, login=login, last_name=last, first_name=first, middle_name=middle,
        password_hash=None, search_key=search_key_for(last, first, middle, login),
    )
    for role in roles:
        UserRole.create(user=user, role=role)
    return user


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
    school = School.create(
        name="МБОУ «Средняя школа № 5»", short_name="СШ № 5", director_name="Директорова Дарья Дмитриевна",
        week_days=5, rounding="half_up", min_marks=3,
    )
    year = AcademicYear.create(school=school, name="2026/2027", start=D(2026, 9, 1), end=D(2027, 5, 31))
    w = School7(school=school, year=year)
    w.periods[Q1] = Period.create(year=year, name=Q1, kind="quarter", ordinal=1, start=D(2026, 9, 1), end=D(2026, 10, 24))
    Period.create(year=year, name="Осенние каникулы", kind="holidays", ordinal=1, start=D(2026, 10, 25), end=D(2026, 11, 4))
    w.periods[Q2] = Period.create(year=year, name=Q2, kind="quarter", ordinal=2, start=D(2026, 11, 5), end=D(2026, 12, 28))

    U = w.users
    U["admin"] = _user(school, "admin", "Админов", "Андрей", "", "admin")
    U["director"] = _user(school, "director", "Директорова", "Дарья", "Дмитриевна", "director")
    U["deputy"] = _user(school, "deputy", "Завучева", "Зоя", "Захаровна", "deputy")
    U["secretary"] = _user(school, "secretary", "Секретарёва", "Софья", "", "secretary")
    U["ct"] = _user(school, "ct", "Классова", "Клара", "Карловна", "teacher")
    U["math"] = _user(school, "math", "Математиков", "Марк", "Максимович", "teacher")
    U["eng1"] = _user(school, "eng1", "Английская", "Анна", "", "teacher")
    U["eng2"] = _user(school, "eng2", "Британова", "Белла", "", "teacher")
    U["mother"] = _user(school, "mother", "Алексеева", "Мария", "Петровна", "parent")
    U["alekseev"] = _user(school, "alekseev", "Алексеев", "Артём", "Андреевич", "student")
    U["borisova"] = _user(school, "borisova", "Борисова", "Вера", "Викторовна", "student")

    c7 = SchoolClass.create(school=school, year=year, grade=7, letter="А", class_teacher=U["ct"])
    c7b = SchoolClass.create(school=school, year=year, grade=7, letter="Б")
    w.classes.update({"7А": c7, "7Б": c7b})
    S = w.subjects
    S["math"] = Subject.create(school=school, name="Математика", short_name="Матем.")
    S["rus"] = Subject.create(school=school, name="Русский язык", short_name="Рус. яз.")
    S["pe"] = Subject.create(school=school, name="Физическая культура", short_name="Физ-ра")
    S["eng"] = Subject.create(school=school, name="Английский язык", short_name="Англ. яз.", split_into_groups=True)
    for key, hours in (("math", 5), ("rus", 4), ("pe", 2), ("eng", 3)):
        Curriculum.create(school_class=c7, subject=S[key], hours_per_week=hours)
    g1 = Group.create(school_class=c7, subject=S["eng"], name="1 группа")
    g2 = Group.create(school_class=c7, subject=S["eng"], name="2 группа")
    Assignment.create(teacher=U["math"], school_class=c7, subject=S["math"])
    Assignment.create(teacher=U["ct"], school_class=c7, subject=S["rus"])
    Assignment.create(teacher=U["ct"], school_class=c7, subject=S["pe"])
    Assignment.create(teacher=U["eng1"], school_class=c7, group=g1, subject=S["eng"])
    Assignment.create(teacher=U["eng2"], school_class=c7, group=g2, subject=S["eng"])

    P = w.pupils
    accounts = {"A": U["alekseev"], "B": U["borisova"]}
    for key, last, first, middle, sex in PUPILS:
        P[key] = Student.create(
            school=school, user=accounts.get(key), last_name=last, first_name=first, middle_name=middle, sex=sex,
            search_key=search_key_for(last, first, middle),
        )
    start = D(2026, 9, 1)
    for key in "ABCDE":
        Enrollment.create(student=P[key], school_class=c7, start=start, order_in="Приказ № 45-у")
    Enrollment.create(
        student=P["F"], school_class=c7, start=start, end=D(2026, 10, 10), order_in="Приказ № 45-у",
        order_out="Приказ № 50-у от 10.10.2026", went_to="МБОУ СОШ № 7 г. Новоалтайска",
    )
    Enrollment.create(
        student=P["G"], school_class=c7, start=D(2026, 10, 5), order_in="Приказ № 48-у от 05.10.2026",
        came_from="МБОУ СОШ № 3 г. Бийска",
    )
    Enrollment.create(
        student=P["H"], school_class=c7b, start=start, end=D(2026, 9, 30), order_in="Приказ № 45-у",
        order_out="Приказ № 47-у от 30.09.2026",
    )
    Enrollment.create(student=P["H"], school_class=c7, start=D(2026, 10, 1), order_in="Приказ № 47-у от 30.09.2026")
    Enrollment.create(student=P["I"], school_class=c7b, start=start, order_in="Приказ № 45-у")
    for key, group, since in (("A", g1, start), ("C", g1, start), ("G", g1, D(2026, 10, 5)),
                              ("B", g2, start), ("E", g2, start), ("H", g2, D(2026, 10, 1))):
        GroupMember.create(group=group, student=P[key], start=since)
    GuardianLink.create(student=P["A"], parent=U["mother"], relation="мать")
    GuardianLink.create(student=P["B"], parent=U["mother"], relation="мать")

    # quarter 1: period marks for the indicators' edge cases
    q1 = w.periods[Q1]
    def pm(key: str, subject: str, value: str, period: Period) -> None:
        PeriodMark.create(student=P[key], subject=S[subject], school_class=c7, period=period, kind="period", value=value)
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
    answer = WorkType.create(school=school, name="Ответ на уроке", short_name="отв.", weight=1)
    control = WorkType.create(school=school, name="Контрольная работа", short_name="к/р", weight=2, is_control=True)
    L = w.lessons
    def lesson(key: str, day: dt.date, number: int, subject: str, teacher: str, group: Group | None = None,
               topic: str = "", homework: str = "", roll: bool = False) -> None:
        L[key] = Lesson.create(
            school_class=c7, group=group, subject=S[subject], date=day, number=number, teacher=U[teacher],
            topic=topic, homework=homework, roll_taken_at=dt.datetime.combine(day, dt.time(9)) if roll else None,
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
        Attendance.create(student=P[key], lesson=L[lesson_key], code=code, corrected_code=corrected)
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
        Mark.create(student=P[key], lesson=L[lesson_key], work_type=wt, value=value, position=position)
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
        TimetableSlot.create(school_class=c7, group=slot_group, subject=S[subject], teacher=U[teacher],
                             weekday=weekday, number=number, valid_from=start)
    for i in range(1, 11):
        PlanItem.create(school_class=c7, subject=S["math"], ordinal=i, topic=f"Тема {i}", hours=1)

    for key, user in U.items():
        w.actors[key] = actor_for(user, origin="tui")
    return w
