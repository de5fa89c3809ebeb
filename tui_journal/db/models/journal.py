"""The journal itself: lessons held, with their marks, attendance and individual
homework, and the period marks.
"""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from tui_journal.db.models.base import BaseModel, now
from tui_journal.db.models.classes import Group, PlanItem, SchoolClass, TimetableSlot
from tui_journal.db.models.people import Student, User
from tui_journal.db.models.school import Period, Room, Subject, WorkType


class Lesson(BaseModel):
    """A lesson held (or to be held) on a date: the journal's column."""

    school_class = ForeignKeyField(SchoolClass, backref="lessons", on_delete="CASCADE")
    school_class_id: int
    group = ForeignKeyField(Group, null=True, backref="lessons", on_delete="CASCADE")
    group_id: int | None
    subject = ForeignKeyField(Subject, backref="lessons", on_delete="CASCADE")
    subject_id: int
    date = DateField(index=True)
    number = IntegerField()  # lesson number in the day
    teacher = ForeignKeyField(User, backref="lessons", on_delete="CASCADE")  # who actually taught
    teacher_id: int
    replaced_teacher = ForeignKeyField(
        User, null=True, backref="replaced_lessons", on_delete="SET NULL"
    )  # set when this is a substitution (R-J-7)
    replaced_teacher_id: int | None
    slot = ForeignKeyField(TimetableSlot, null=True, backref="lessons", on_delete="SET NULL")
    slot_id: int | None
    room = ForeignKeyField(Room, null=True, backref="lessons", on_delete="SET NULL")
    room_id: int | None
    plan_item = ForeignKeyField(PlanItem, null=True, backref="lessons", on_delete="SET NULL")
    plan_item_id: int | None
    work_type = ForeignKeyField(WorkType, null=True, backref="lessons", on_delete="SET NULL")
    work_type_id: int | None
    topic = TextField(default="")
    work_done = TextField(default="")  # kinds of work done in the lesson
    homework = TextField(default="")
    homework_pages = CharField(default="")
    homework_tasks = CharField(default="")
    topic_set_at = DateTimeField(null=True)
    homework_set_at = DateTimeField(null=True)
    homework_due = DateField(null=True)  # None: due at the next lesson of the subject (see services.diary)
    roll_taken_at = DateTimeField(null=True)
    transferred_from_paper = BooleanField(default=False)  # R-CONT-1

    class Meta:
        indexes = ((("school_class", "subject", "date"), False),)


class IndividualHomework(BaseModel):
    lesson = ForeignKeyField(Lesson, backref="individual_homework", on_delete="CASCADE")
    lesson_id: int
    student = ForeignKeyField(Student, backref="individual_homework", on_delete="CASCADE")
    student_id: int
    text = TextField()


class Mark(BaseModel):
    """A current mark: pupil × lesson × work type (R-J-1). Several per lesson are allowed."""

    student = ForeignKeyField(Student, backref="marks", on_delete="CASCADE")
    student_id: int
    lesson = ForeignKeyField(Lesson, backref="marks", on_delete="CASCADE")
    lesson_id: int
    work_type = ForeignKeyField(WorkType, null=True, backref="marks", on_delete="SET NULL")
    work_type_id: int | None
    value = CharField()  # "1".."5", "н/а", "осв", "зач", "незач"
    position = IntegerField(default=0)  # order inside the cell ("4/5")
    comment = TextField(default="")
    created_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    created_by_id: int | None
    created_at = DateTimeField(default=now)
    late = BooleanField(default=False)

    class Meta:
        indexes = ((("lesson", "student"), False),)


class Attendance(BaseModel):
    """Attendance of a pupil at a lesson (R-J-2).

    The subject teacher's code and the class teacher's correction are kept apart (R-CT-1).
    """

    student = ForeignKeyField(Student, backref="attendance", on_delete="CASCADE")
    student_id: int
    lesson = ForeignKeyField(Lesson, backref="attendance", on_delete="CASCADE")
    lesson_id: int
    code = CharField(null=True)  # н | б | у | о, as the teacher entered it
    corrected_code = CharField(null=True)  # the class teacher's correction
    reason = TextField(default="")
    entered_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    entered_by_id: int | None
    entered_at = DateTimeField(default=now)
    corrected_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    corrected_by_id: int | None
    corrected_at = DateTimeField(null=True)
    late = BooleanField(default=False)  # entered after the lesson's day

    class Meta:
        indexes = ((("lesson", "student"), True),)


class PeriodMark(BaseModel):
    """A period, year, exam or final mark (R-J-5)."""

    student = ForeignKeyField(Student, backref="period_marks", on_delete="CASCADE")
    student_id: int
    subject = ForeignKeyField(Subject, backref="period_marks", on_delete="CASCADE")
    subject_id: int
    school_class = ForeignKeyField(SchoolClass, backref="period_marks", on_delete="CASCADE")
    school_class_id: int
    period = ForeignKeyField(Period, null=True, backref="marks", on_delete="CASCADE")
    period_id: int | None
    kind = CharField(default="period")  # period | year | exam | final
    value = CharField()
    proposed = CharField(default="")
    reason = TextField(default="")  # the teacher's reason when value differs from proposed
    # not "set_by": peewee would shadow Model.set_by_id with the field's id accessor
    entered_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    entered_by_id: int | None
    set_at = DateTimeField(default=now)
