"""The test factories build what they say: a school of another shape through the services, and
the calendar rows the worlds are made of (``tests/factories``)."""

from __future__ import annotations

import datetime as dt

from peewee import Database

from tests.factories.rows import add_periods, make_school, make_year
from tests.factories.school import ClassSpec, Slot, build_school, set_cells
from tui_journal.db.models import AuditEntry, Lesson, Mark, Student
from tui_journal.services import enrollment
from tui_journal.services.actor import Actor

D = dt.date


def test_a_school_of_another_shape(admin: Actor) -> None:
    school = build_school(
        admin,
        classes=(ClassSpec("5А", "ivanova"), ClassSpec("5Б")),
        pupils_per_class=25,
        rooms=("101",),
        assignments=(("5А", "Математика", "petrov"),),
        slots=(Slot("5А", "Математика", "petrov", 1, 1, room="101"), Slot("5А", "Математика", "petrov", 3, 2)),
        lessons=(D(2026, 9, 7), D(2026, 9, 13)),  # one week: Monday and Wednesday
    )
    assert set(school.classes) == {"5А", "5Б"} and set(school.rooms) == {"101"}
    sec = school.actors["sekretar"]
    for name in ("5А", "5Б"):
        listed = enrollment.class_list(sec, school.classes[name])
        assert sorted(p.id for p in listed) == sorted(school.roster[name]) and len(listed) == 25
    assert len(school.pupils) == Student.select().count() == 50  # every generated name is distinct
    born = Student.get_by_id(school.roster["5А"][0]).birth_date
    assert born == D(2015, 3, 1)  # a fifth-former's year
    assert school.actors["ivanova"].led_class_ids == frozenset({school.classes["5А"]})
    lessons = list(Lesson.select().order_by(Lesson.date))
    assert [(x.date, x.number) for x in lessons] == [(D(2026, 9, 7), 1), (D(2026, 9, 9), 2)]
    assert lessons[0].room_id == school.rooms["101"]
    # the set-up went through the services: every step left its audit rows
    assert AuditEntry.select().where(AuditEntry.entity == "student").count() >= 50
    pupils = school.roster["5А"][:2]
    set_cells(school.actors["petrov"], lessons[0].id, {pupils[0]: "5", pupils[1]: "4/3"})
    assert sorted(m.value for m in Mark.select()) == ["3", "4", "5"]


def test_the_default_school_is_the_administration_tests_one(admin: Actor) -> None:
    school = build_school(admin)
    assert set(school.classes) == {"7А", "7Б", "11А", "1А"}
    assert set(school.pupils) == {"Алексеев", "Борисова", "Ёлкин", "Воронов", "Выпускников", "Первоклашкин"}
    assert set(school.actors) == {"ivanova", "petrov", "sidorova", "orlova", "sekretar"}
    assert [p.kind for p in school.year.periods].count("quarter") == 4


def test_calendar_periods_carry_their_dates_and_ordinals(any_db: Database) -> None:
    year = make_year(make_school("Школа"))
    periods = add_periods(year, "1 четверть", "Осенние каникулы", "2 четверть", "Зимние каникулы")
    got = [(p.name, p.kind, p.ordinal, p.start, p.end) for p in periods.values()]
    assert got == [
        ("1 четверть", "quarter", 1, D(2026, 9, 1), D(2026, 10, 24)),
        ("Осенние каникулы", "holidays", 1, D(2026, 10, 25), D(2026, 11, 4)),
        ("2 четверть", "quarter", 2, D(2026, 11, 5), D(2026, 12, 28)),
        ("Зимние каникулы", "holidays", 2, D(2026, 12, 29), D(2027, 1, 11)),
    ]
