"""The school's structure: the school itself, its years and periods, bells, rooms,
subjects and the kinds of work marks are given for (what the setup screens edit).
"""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    TextField,
    TimeField,
)

from tui_journal.db.models.base import BaseModel, now


class School(BaseModel):
    """One school. A district database holds several."""

    name = CharField()
    short_name = CharField(default="")
    address = TextField(default="")
    director_name = CharField(default="")
    week_days = IntegerField(default=5)  # 5- or 6-day week (R-SETUP-1)
    # Grading policy of the period marks (R-J-5): "half_up" or "threshold".
    rounding = CharField(default="half_up")
    threshold_5 = FloatField(default=4.65)
    threshold_4 = FloatField(default=3.65)
    threshold_3 = FloatField(default=2.65)
    min_marks = IntegerField(default=3)
    # Shown under the login form: help-desk contacts, or the demo school's trial logins.
    login_note = TextField(default="")
    created_at = DateTimeField(default=now)


class AcademicYear(BaseModel):
    school = ForeignKeyField(School, backref="years", on_delete="CASCADE")
    school_id: int
    name = CharField()  # "2026/2027"
    start = DateField()
    end = DateField()
    closed = BooleanField(default=False)  # closed years are read-only (R-CONT-2)

    class Meta:
        indexes = ((("school", "name"), True),)


class Period(BaseModel):
    """A quarter, half, trimester, or a holiday span inside an academic year."""

    year = ForeignKeyField(AcademicYear, backref="periods", on_delete="CASCADE")
    year_id: int
    name = CharField()  # "1 четверть", "осенние каникулы"
    kind = CharField()  # quarter | half | trimester | holidays
    ordinal = IntegerField(default=0)
    start = DateField()
    end = DateField()


class BellSchedule(BaseModel):
    school = ForeignKeyField(School, backref="bell_schedules", on_delete="CASCADE")
    school_id: int
    name = CharField(default="Основное")


class Bell(BaseModel):
    schedule = ForeignKeyField(BellSchedule, backref="bells", on_delete="CASCADE")
    schedule_id: int
    number = IntegerField()  # lesson number in the day, 1-based
    starts = TimeField()
    ends = TimeField()

    class Meta:
        indexes = ((("schedule", "number"), True),)


class Room(BaseModel):
    school = ForeignKeyField(School, backref="rooms", on_delete="CASCADE")
    school_id: int
    name = CharField()

    class Meta:
        indexes = ((("school", "name"), True),)


class Subject(BaseModel):
    school = ForeignKeyField(School, backref="subjects", on_delete="CASCADE")
    school_id: int
    name = CharField()
    short_name = CharField(default="")
    split_into_groups = BooleanField(default=False)  # languages, informatics, technology
    has_control_works = BooleanField(default=True)  # off: objectivity checks skip it (Музыка, ИЗО …)

    class Meta:
        indexes = ((("school", "name"), True),)


class WorkType(BaseModel):
    """A kind of work a mark is given for; weights differ per school (stored by name)."""

    school = ForeignKeyField(School, backref="work_types", on_delete="CASCADE")
    school_id: int
    name = CharField()
    short_name = CharField(default="")
    weight = FloatField(default=1.0)
    is_control = BooleanField(default=False)  # контрольная: R-AN-2 checks a period has one

    class Meta:
        indexes = ((("school", "name"), True),)
