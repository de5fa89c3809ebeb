"""peewee models for the whole school domain.

The models are bound to :data:`database_proxy`; :func:`tui_journal.db.database.open_database`
initialises it from a URL. Every table that holds one school's data reaches a ``school``
column directly or through its parent, so that a district database keeps schools apart.

Later features add behaviour, not tables: the schema here covers everything listed in
ARCHITECTURE.md ("Data, roughly"). Schema changes go through ``db/migrations``.
"""

from __future__ import annotations

import datetime as dt

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DatabaseProxy,
    DateField,
    DateTimeField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
    TimeField,
)

from tui_journal import clock

database_proxy = DatabaseProxy()


def now() -> dt.datetime:
    """Current local time without microseconds (what the audit and the UI show)."""
    return clock.now().replace(microsecond=0)


def search_key_for(*parts: str) -> str:
    """Lower-cased words for substring search.

    SQLite's lower() folds only ASCII, so the services keep this key in Python's casefold,
    with ё folded to е as people type it.
    """
    return " ".join(p.casefold().replace("ё", "е") for p in parts if p)


class BaseModel(Model):
    id = AutoField()

    class Meta:
        database = database_proxy
        legacy_table_names = False


# --- school structure ------------------------------------------------------------------


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


# --- people and accounts ---------------------------------------------------------------


class User(BaseModel):
    """A person who may log in: staff, pupils with accounts and parents.

    A user without a password hash exists (a parent whose contacts are known) but
    cannot log in until credentials are issued (R-ACC-2).
    """

    school = ForeignKeyField(School, backref="users", on_delete="CASCADE")
    school_id: int
    login = CharField(unique=True)
    last_name = CharField()
    first_name = CharField()
    middle_name = CharField(default="")
    password_hash = CharField(null=True)
    must_change_password = BooleanField(default=False)
    state = CharField(default="active")  # active | locked | removed
    failed_logins = IntegerField(default=0)
    locked_at = DateTimeField(null=True)
    last_failed_at = DateTimeField(null=True)
    last_login_at = DateTimeField(null=True)
    phone = CharField(default="")
    email = CharField(default="")
    search_key = CharField(default="", index=True)  # see search_key_for()
    created_at = DateTimeField(default=now)


class UserRole(BaseModel):
    user = ForeignKeyField(User, backref="role_rows", on_delete="CASCADE")
    user_id: int
    role = CharField()  # admin | director | deputy | secretary | teacher | educator | student | parent

    class Meta:
        indexes = ((("user", "role"), True),)


class SshKey(BaseModel):
    """A public key a user may log in with through the built-in SSH server."""

    user = ForeignKeyField(User, backref="ssh_keys", on_delete="CASCADE")
    user_id: int
    key = TextField()
    comment = CharField(default="")
    created_at = DateTimeField(default=now)


class Student(BaseModel):
    """A pupil's personal card. The login account, if any, is ``user``."""

    school = ForeignKeyField(School, backref="students", on_delete="CASCADE")
    school_id: int
    user = ForeignKeyField(User, null=True, backref="student_cards", on_delete="SET NULL")
    user_id: int | None
    last_name = CharField(index=True)
    first_name = CharField()
    middle_name = CharField(default="")
    birth_date = DateField(null=True)
    sex = CharField(default="")  # "м" | "ж"
    personal_file_no = CharField(default="")  # номер личного дела (alphabetical book)
    address = TextField(default="")
    notes = TextField(default="")
    contacts_checked_at = DateField(null=True)  # R-CT-2: verified monthly
    search_key = CharField(default="", index=True)  # see search_key_for()
    created_at = DateTimeField(default=now)


class GuardianLink(BaseModel):
    """A parent (or legal representative) linked to a child (R-ROLE-PARENT)."""

    student = ForeignKeyField(Student, backref="guardian_links", on_delete="CASCADE")
    student_id: int
    parent = ForeignKeyField(User, backref="children_links", on_delete="CASCADE")
    parent_id: int
    relation = CharField(default="")  # мать, отец, опекун

    class Meta:
        indexes = ((("student", "parent"), True),)


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


# --- communication -----------------------------------------------------------------------


class Message(BaseModel):
    school = ForeignKeyField(School, backref="messages", on_delete="CASCADE")
    school_id: int
    sender = ForeignKeyField(User, null=True, backref="sent_messages", on_delete="SET NULL")
    sender_id: int | None
    subject = CharField(default="")
    body = TextField()
    sent_at = DateTimeField(default=now)
    about_student = ForeignKeyField(Student, null=True, backref="+", on_delete="SET NULL")
    about_student_id: int | None


class MessageRecipient(BaseModel):
    message = ForeignKeyField(Message, backref="recipients", on_delete="CASCADE")
    message_id: int
    user = ForeignKeyField(User, backref="inbox", on_delete="CASCADE")
    user_id: int
    read_at = DateTimeField(null=True)


class Announcement(BaseModel):
    school = ForeignKeyField(School, backref="announcements", on_delete="CASCADE")
    school_id: int
    school_class = ForeignKeyField(SchoolClass, null=True, backref="announcements", on_delete="CASCADE")
    school_class_id: int | None
    author = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    author_id: int | None
    title = CharField()
    body = TextField(default="")
    published_at = DateTimeField(default=now)


class AnnouncementRead(BaseModel):
    announcement = ForeignKeyField(Announcement, backref="reads", on_delete="CASCADE")
    announcement_id: int
    user = ForeignKeyField(User, backref="+", on_delete="CASCADE")
    user_id: int
    read_at = DateTimeField(default=now)


# --- accountability --------------------------------------------------------------------


class AuditEntry(BaseModel):
    """One change: who, when, from where, what entity and field, old → new (R-ACC-4).

    Append-only: nothing in the application updates or deletes these rows.
    """

    school = ForeignKeyField(School, null=True, backref="+", on_delete="SET NULL")
    school_id: int | None
    at = DateTimeField(default=now, index=True)
    actor = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    actor_id: int | None
    actor_name = CharField()  # kept even if the account goes away
    origin = CharField()  # tui | cli | import | ssh | demo
    address = CharField(default="")
    action = CharField()  # create | update | delete | export | …
    entity = CharField()
    entity_id = CharField(default="")
    field = CharField(default="")
    old_value = TextField(null=True)
    new_value = TextField(null=True)


class LoginEvent(BaseModel):
    """Every login attempt, success, failure and lock, with time and origin (R-ACC-3)."""

    at = DateTimeField(default=now, index=True)
    user = ForeignKeyField(User, null=True, backref="login_events", on_delete="SET NULL")
    user_id: int | None
    login = CharField()
    outcome = CharField()  # ok | must_change | bad_password | wait | locked_now | locked | unknown | no_password | logout | idle | lost
    origin = CharField(default="tui")
    address = CharField(default="")


class SchoolKey(BaseModel):
    """The school's Ed25519 signing key for certifying exports (R-DIR-1)."""

    school = ForeignKeyField(School, backref="keys", on_delete="CASCADE")
    school_id: int
    private_pem = TextField(null=True)  # kept by versions before 0002; now always NULL (a key file)
    public_pem = TextField()
    created_at = DateTimeField(default=now)
    created_by = CharField(default="")


ALL_MODELS: tuple[type[BaseModel], ...] = (
    School,
    AcademicYear,
    Period,
    BellSchedule,
    Bell,
    Room,
    Subject,
    WorkType,
    User,
    UserRole,
    SshKey,
    Student,
    GuardianLink,
    SchoolClass,
    Group,
    GroupMember,
    Enrollment,
    Curriculum,
    Assignment,
    TimetableSlot,
    PlanItem,
    PlanArchive,
    Lesson,
    IndividualHomework,
    Mark,
    Attendance,
    PeriodMark,
    Message,
    MessageRecipient,
    Announcement,
    AnnouncementRead,
    AuditEntry,
    LoginEvent,
    SchoolKey,
)
