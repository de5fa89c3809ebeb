"""Classes and what is planned for them: groups and their members, the enrollment log,
the curriculum, who teaches what, the timetable and the thematic plans (КТП).
"""

from __future__ import annotations

from peewee import (
    CharField,
    DateField,
    DateTimeField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from tui_journal.db.models.base import BaseModel, now
from tui_journal.db.models.people import Student, User
from tui_journal.db.models.school import AcademicYear, Room, School, Subject


class SchoolClass(BaseModel):
    """A class (grade + letter) of one academic year, or a preschool group (grade 0)."""

    school = ForeignKeyField(School, backref="classes", on_delete="CASCADE")
    school_id: int
    year = ForeignKeyField(AcademicYear, backref="classes", on_delete="CASCADE")
    year_id: int
    grade = IntegerField()  # 0 for a preschool group (ГКП)
    letter = CharField()
    class_teacher = ForeignKeyField(User, null=True, backref="led_classes", on_delete="SET NULL")
    class_teacher_id: int | None
    kind = CharField(default="class")  # class | preschool

    class Meta:
        indexes = ((("year", "grade", "letter"), True),)


class Group(BaseModel):
    """A subgroup of a class for a split subject (R-SETUP-3)."""

    school_class = ForeignKeyField(SchoolClass, backref="groups", on_delete="CASCADE")
    school_class_id: int
    subject = ForeignKeyField(Subject, null=True, backref="groups", on_delete="CASCADE")
    subject_id: int | None
    name = CharField()


class GroupMember(BaseModel):
    group = ForeignKeyField(Group, backref="members", on_delete="CASCADE")
    group_id: int
    student = ForeignKeyField(Student, backref="group_memberships", on_delete="CASCADE")
    student_id: int
    start = DateField()
    end = DateField(null=True)


class Enrollment(BaseModel):
    """A pupil in a class from a date to a date: this table is the movement log (R-SEC-1)."""

    student = ForeignKeyField(Student, backref="enrollments", on_delete="CASCADE")
    student_id: int
    school_class = ForeignKeyField(SchoolClass, backref="enrollments", on_delete="CASCADE")
    school_class_id: int
    start = DateField()
    end = DateField(null=True)
    order_in = CharField(default="")  # приказ о зачислении / переводе
    order_out = CharField(default="")
    came_from = CharField(default="")  # where from (another school), empty for moves inside
    went_to = CharField(default="")


class Curriculum(BaseModel):
    """учебный план: hours per week for a class and subject (R-SETUP-2)."""

    school_class = ForeignKeyField(SchoolClass, backref="curriculum", on_delete="CASCADE")
    school_class_id: int
    subject = ForeignKeyField(Subject, backref="curriculum", on_delete="CASCADE")
    subject_id: int
    hours_per_week = FloatField()

    class Meta:
        indexes = ((("school_class", "subject"), True),)


class Assignment(BaseModel):
    """Which teacher teaches which subject in which class or subgroup."""

    teacher = ForeignKeyField(User, backref="assignments", on_delete="CASCADE")
    teacher_id: int
    school_class = ForeignKeyField(SchoolClass, backref="assignments", on_delete="CASCADE")
    school_class_id: int
    group = ForeignKeyField(Group, null=True, backref="assignments", on_delete="CASCADE")
    group_id: int | None
    subject = ForeignKeyField(Subject, backref="assignments", on_delete="CASCADE")
    subject_id: int


class TimetableSlot(BaseModel):
    """A weekly lesson of the timetable, valid over a date range (R-SETUP-5)."""

    school_class = ForeignKeyField(SchoolClass, backref="slots", on_delete="CASCADE")
    school_class_id: int
    group = ForeignKeyField(Group, null=True, backref="slots", on_delete="CASCADE")
    group_id: int | None
    subject = ForeignKeyField(Subject, backref="slots", on_delete="CASCADE")
    subject_id: int
    teacher = ForeignKeyField(User, backref="slots", on_delete="CASCADE")
    teacher_id: int
    room = ForeignKeyField(Room, null=True, backref="slots", on_delete="SET NULL")
    room_id: int | None
    weekday = IntegerField()  # 1 = Monday
    number = IntegerField()  # lesson number in the day
    valid_from = DateField()
    valid_to = DateField(null=True)


class PlanItem(BaseModel):
    """One topic of the thematic plan (КТП) of a subject in a class or group (R-J-6)."""

    school_class = ForeignKeyField(SchoolClass, backref="plan_items", on_delete="CASCADE")
    school_class_id: int
    group = ForeignKeyField(Group, null=True, backref="plan_items", on_delete="CASCADE")
    group_id: int | None
    subject = ForeignKeyField(Subject, backref="plan_items", on_delete="CASCADE")
    subject_id: int
    ordinal = IntegerField()
    topic = TextField()
    hours = FloatField(default=1.0)
    kind = CharField(default="обычный")  # обычный | практическая | лабораторная | контрольная


class PlanArchive(BaseModel):
    """The topics a plan replacement removed (import, paste, restore), kept so that the
    previous КТП can be brought back (R-J-6). ``topics`` is a JSON list of
    ``{"ordinal", "topic", "hours", "kind"}``; the newest row per journal is restored first."""

    school_class = ForeignKeyField(SchoolClass, backref="plan_archives", on_delete="CASCADE")
    school_class_id: int
    group = ForeignKeyField(Group, null=True, backref="plan_archives", on_delete="CASCADE")
    group_id: int | None
    subject = ForeignKeyField(Subject, backref="plan_archives", on_delete="CASCADE")
    subject_id: int
    topics = TextField()
    reason = CharField(default="import")  # import | restore
    archived_at = DateTimeField(default=now)
    archived_by = CharField(default="")  # the actor's audit name
