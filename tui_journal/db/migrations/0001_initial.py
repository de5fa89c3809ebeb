"""Initial schema: every table of the school domain (frozen copy of db/models.py at v1).

Python-side defaults such as `now()` are not part of the schema; the models supply them.
"""
from peewee import *


def up(migrator, db):
    class School(Model):
        name = CharField()
        short_name = CharField(default='')
        address = TextField(default='')
        director_name = CharField(default='')
        week_days = IntegerField(default=5)
        rounding = CharField(default='half_up')
        threshold_5 = FloatField(default=4.65)
        threshold_4 = FloatField(default=3.65)
        threshold_3 = FloatField(default=2.65)
        min_marks = IntegerField(default=3)
        login_note = TextField(default='')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'school'
    db.create_tables([School])

    class AcademicYear(Model):
        school = ForeignKeyField(School, on_delete='CASCADE')
        name = CharField()
        start = DateField()
        end = DateField()
        closed = BooleanField(default=False)
        class Meta:
            database = db
            table_name = 'academic_year'
            indexes = ((('school', 'name'), True),)
    db.create_tables([AcademicYear])

    class User(Model):
        school = ForeignKeyField(School, on_delete='CASCADE')
        login = CharField(unique=True)
        last_name = CharField()
        first_name = CharField()
        middle_name = CharField(default='')
        password_hash = CharField(null=True)
        must_change_password = BooleanField(default=False)
        state = CharField(default='active')
        failed_logins = IntegerField(default=0)
        locked_at = DateTimeField(null=True)
        last_failed_at = DateTimeField(null=True)
        last_login_at = DateTimeField(null=True)
        phone = CharField(default='')
        email = CharField(default='')
        search_key = CharField(index=True, default='')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'user'
    db.create_tables([User])

    class SchoolClass(Model):
        school = ForeignKeyField(School, on_delete='CASCADE')
        year = ForeignKeyField(AcademicYear, on_delete='CASCADE')
        grade = IntegerField()
        letter = CharField()
        class_teacher = ForeignKeyField(User, null=True, on_delete='SET NULL')
        kind = CharField(default='class')
        class Meta:
            database = db
            table_name = 'school_class'
            indexes = ((('year', 'grade', 'letter'), True),)
    db.create_tables([SchoolClass])

    class Announcement(Model):
        school = ForeignKeyField(School, on_delete='CASCADE')
        school_class = ForeignKeyField(SchoolClass, null=True, on_delete='CASCADE')
        author = ForeignKeyField(User, null=True, on_delete='SET NULL')
        title = CharField()
        body = TextField(default='')
        published_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'announcement'
    db.create_tables([Announcement])

    class AnnouncementRead(Model):
        announcement = ForeignKeyField(Announcement, on_delete='CASCADE')
        user = ForeignKeyField(User, on_delete='CASCADE')
        read_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'announcement_read'
    db.create_tables([AnnouncementRead])

    class Subject(Model):
        school = ForeignKeyField(School, on_delete='CASCADE')
        name = CharField()
        short_name = CharField(default='')
        split_into_groups = BooleanField(default=False)
        class Meta:
            database = db
            table_name = 'subject'
            indexes = ((('school', 'name'), True),)
    db.create_tables([Subject])

    class Group(Model):
        school_class = ForeignKeyField(SchoolClass, on_delete='CASCADE')
        subject = ForeignKeyField(Subject, null=True, on_delete='CASCADE')
        name = CharField()
        class Meta:
            database = db
            table_name = 'group'
    db.create_tables([Group])

    class Assignment(Model):
        teacher = ForeignKeyField(User, on_delete='CASCADE')
        school_class = ForeignKeyField(SchoolClass, on_delete='CASCADE')
        group = ForeignKeyField(Group, null=True, on_delete='CASCADE')
        subject = ForeignKeyField(Subject, on_delete='CASCADE')
        class Meta:
            database = db
            table_name = 'assignment'
    db.create_tables([Assignment])

    class Student(Model):
        school = ForeignKeyField(School, on_delete='CASCADE')
        user = ForeignKeyField(User, null=True, on_delete='SET NULL')
        last_name = CharField(index=True)
        first_name = CharField()
        middle_name = CharField(default='')
        birth_date = DateField(null=True)
        sex = CharField(default='')
        address = TextField(default='')
        notes = TextField(default='')
        contacts_checked_at = DateField(null=True)
        search_key = CharField(index=True, default='')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'student'
    db.create_tables([Student])

    class Room(Model):
        school = ForeignKeyField(School, on_delete='CASCADE')
        name = CharField()
        class Meta:
            database = db
            table_name = 'room'
            indexes = ((('school', 'name'), True),)
    db.create_tables([Room])

    class TimetableSlot(Model):
        school_class = ForeignKeyField(SchoolClass, on_delete='CASCADE')
        group = ForeignKeyField(Group, null=True, on_delete='CASCADE')
        subject = ForeignKeyField(Subject, on_delete='CASCADE')
        teacher = ForeignKeyField(User, on_delete='CASCADE')
        room = ForeignKeyField(Room, null=True, on_delete='SET NULL')
        weekday = IntegerField()
        number = IntegerField()
        valid_from = DateField()
        valid_to = DateField(null=True)
        class Meta:
            database = db
            table_name = 'timetable_slot'
    db.create_tables([TimetableSlot])

    class PlanItem(Model):
        school_class = ForeignKeyField(SchoolClass, on_delete='CASCADE')
        group = ForeignKeyField(Group, null=True, on_delete='CASCADE')
        subject = ForeignKeyField(Subject, on_delete='CASCADE')
        ordinal = IntegerField()
        topic = TextField()
        hours = FloatField(default=1.0)
        kind = CharField(default='обычный')
        class Meta:
            database = db
            table_name = 'plan_item'
    db.create_tables([PlanItem])

    class WorkType(Model):
        school = ForeignKeyField(School, on_delete='CASCADE')
        name = CharField()
        short_name = CharField(default='')
        weight = FloatField(default=1.0)
        is_control = BooleanField(default=False)
        class Meta:
            database = db
            table_name = 'work_type'
            indexes = ((('school', 'name'), True),)
    db.create_tables([WorkType])

    class Lesson(Model):
        school_class = ForeignKeyField(SchoolClass, on_delete='CASCADE')
        group = ForeignKeyField(Group, null=True, on_delete='CASCADE')
        subject = ForeignKeyField(Subject, on_delete='CASCADE')
        date = DateField(index=True)
        number = IntegerField()
        teacher = ForeignKeyField(User, on_delete='CASCADE')
        replaced_teacher = ForeignKeyField(User, null=True, on_delete='SET NULL')
        slot = ForeignKeyField(TimetableSlot, null=True, on_delete='SET NULL')
        room = ForeignKeyField(Room, null=True, on_delete='SET NULL')
        plan_item = ForeignKeyField(PlanItem, null=True, on_delete='SET NULL')
        work_type = ForeignKeyField(WorkType, null=True, on_delete='SET NULL')
        topic = TextField(default='')
        work_done = TextField(default='')
        homework = TextField(default='')
        homework_pages = CharField(default='')
        homework_tasks = CharField(default='')
        topic_set_at = DateTimeField(null=True)
        homework_set_at = DateTimeField(null=True)
        roll_taken_at = DateTimeField(null=True)
        transferred_from_paper = BooleanField(default=False)
        class Meta:
            database = db
            table_name = 'lesson'
            indexes = ((('school_class', 'subject', 'date'), False),)
    db.create_tables([Lesson])

    class Attendance(Model):
        student = ForeignKeyField(Student, on_delete='CASCADE')
        lesson = ForeignKeyField(Lesson, on_delete='CASCADE')
        code = CharField(null=True)
        corrected_code = CharField(null=True)
        reason = TextField(default='')
        entered_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        entered_at = DateTimeField()
        corrected_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        corrected_at = DateTimeField(null=True)
        late = BooleanField(default=False)
        class Meta:
            database = db
            table_name = 'attendance'
            indexes = ((('lesson', 'student'), True),)
    db.create_tables([Attendance])

    class AuditEntry(Model):
        school = ForeignKeyField(School, null=True, on_delete='SET NULL')
        at = DateTimeField(index=True)
        actor = ForeignKeyField(User, null=True, on_delete='SET NULL')
        actor_name = CharField()
        origin = CharField()
        address = CharField(default='')
        action = CharField()
        entity = CharField()
        entity_id = CharField(default='')
        field = CharField(default='')
        old_value = TextField(null=True)
        new_value = TextField(null=True)
        class Meta:
            database = db
            table_name = 'audit_entry'
    db.create_tables([AuditEntry])

    class BellSchedule(Model):
        school = ForeignKeyField(School, on_delete='CASCADE')
        name = CharField(default='Основное')
        class Meta:
            database = db
            table_name = 'bell_schedule'
    db.create_tables([BellSchedule])

    class Bell(Model):
        schedule = ForeignKeyField(BellSchedule, on_delete='CASCADE')
        number = IntegerField()
        starts = TimeField()
        ends = TimeField()
        class Meta:
            database = db
            table_name = 'bell'
            indexes = ((('schedule', 'number'), True),)
    db.create_tables([Bell])

    class Curriculum(Model):
        school_class = ForeignKeyField(SchoolClass, on_delete='CASCADE')
        subject = ForeignKeyField(Subject, on_delete='CASCADE')
        hours_per_week = FloatField()
        class Meta:
            database = db
            table_name = 'curriculum'
            indexes = ((('school_class', 'subject'), True),)
    db.create_tables([Curriculum])

    class Enrollment(Model):
        student = ForeignKeyField(Student, on_delete='CASCADE')
        school_class = ForeignKeyField(SchoolClass, on_delete='CASCADE')
        start = DateField()
        end = DateField(null=True)
        order_in = CharField(default='')
        order_out = CharField(default='')
        came_from = CharField(default='')
        went_to = CharField(default='')
        class Meta:
            database = db
            table_name = 'enrollment'
    db.create_tables([Enrollment])

    class GroupMember(Model):
        group = ForeignKeyField(Group, on_delete='CASCADE')
        student = ForeignKeyField(Student, on_delete='CASCADE')
        start = DateField()
        end = DateField(null=True)
        class Meta:
            database = db
            table_name = 'group_member'
    db.create_tables([GroupMember])

    class GuardianLink(Model):
        student = ForeignKeyField(Student, on_delete='CASCADE')
        parent = ForeignKeyField(User, on_delete='CASCADE')
        relation = CharField(default='')
        class Meta:
            database = db
            table_name = 'guardian_link'
            indexes = ((('student', 'parent'), True),)
    db.create_tables([GuardianLink])

    class IndividualHomework(Model):
        lesson = ForeignKeyField(Lesson, on_delete='CASCADE')
        student = ForeignKeyField(Student, on_delete='CASCADE')
        text = TextField()
        class Meta:
            database = db
            table_name = 'individual_homework'
    db.create_tables([IndividualHomework])

    class LoginEvent(Model):
        at = DateTimeField(index=True)
        user = ForeignKeyField(User, null=True, on_delete='SET NULL')
        login = CharField()
        outcome = CharField()
        origin = CharField(default='tui')
        address = CharField(default='')
        class Meta:
            database = db
            table_name = 'login_event'
    db.create_tables([LoginEvent])

    class Mark(Model):
        student = ForeignKeyField(Student, on_delete='CASCADE')
        lesson = ForeignKeyField(Lesson, on_delete='CASCADE')
        work_type = ForeignKeyField(WorkType, null=True, on_delete='SET NULL')
        value = CharField()
        position = IntegerField(default=0)
        comment = TextField(default='')
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        late = BooleanField(default=False)
        class Meta:
            database = db
            table_name = 'mark'
            indexes = ((('lesson', 'student'), False),)
    db.create_tables([Mark])

    class Message(Model):
        school = ForeignKeyField(School, on_delete='CASCADE')
        sender = ForeignKeyField(User, null=True, on_delete='SET NULL')
        subject = CharField(default='')
        body = TextField()
        sent_at = DateTimeField()
        about_student = ForeignKeyField(Student, null=True, on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'message'
    db.create_tables([Message])

    class MessageRecipient(Model):
        message = ForeignKeyField(Message, on_delete='CASCADE')
        user = ForeignKeyField(User, on_delete='CASCADE')
        read_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'message_recipient'
    db.create_tables([MessageRecipient])

    class Period(Model):
        year = ForeignKeyField(AcademicYear, on_delete='CASCADE')
        name = CharField()
        kind = CharField()
        ordinal = IntegerField(default=0)
        start = DateField()
        end = DateField()
        class Meta:
            database = db
            table_name = 'period'
    db.create_tables([Period])

    class PeriodMark(Model):
        student = ForeignKeyField(Student, on_delete='CASCADE')
        subject = ForeignKeyField(Subject, on_delete='CASCADE')
        school_class = ForeignKeyField(SchoolClass, on_delete='CASCADE')
        period = ForeignKeyField(Period, null=True, on_delete='CASCADE')
        kind = CharField(default='period')
        value = CharField()
        proposed = CharField(default='')
        reason = TextField(default='')
        entered_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        set_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'period_mark'
    db.create_tables([PeriodMark])

    class SchoolKey(Model):
        school = ForeignKeyField(School, on_delete='CASCADE')
        private_pem = TextField()
        public_pem = TextField()
        created_at = DateTimeField()
        created_by = CharField(default='')
        class Meta:
            database = db
            table_name = 'school_key'
    db.create_tables([SchoolKey])

    class SshKey(Model):
        user = ForeignKeyField(User, on_delete='CASCADE')
        key = TextField()
        comment = CharField(default='')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'ssh_key'
    db.create_tables([SshKey])

    class UserRole(Model):
        user = ForeignKeyField(User, on_delete='CASCADE')
        role = CharField()
        class Meta:
            database = db
            table_name = 'user_role'
            indexes = ((('user', 'role'), True),)
    db.create_tables([UserRole])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('user_role'))
    migrator.migrate(migrator.drop_table('ssh_key'))
    migrator.migrate(migrator.drop_table('school_key'))
    migrator.migrate(migrator.drop_table('period_mark'))
    migrator.migrate(migrator.drop_table('period'))
    migrator.migrate(migrator.drop_table('message_recipient'))
    migrator.migrate(migrator.drop_table('message'))
    migrator.migrate(migrator.drop_table('mark'))
    migrator.migrate(migrator.drop_table('login_event'))
    migrator.migrate(migrator.drop_table('individual_homework'))
    migrator.migrate(migrator.drop_table('guardian_link'))
    migrator.migrate(migrator.drop_table('group_member'))
    migrator.migrate(migrator.drop_table('enrollment'))
    migrator.migrate(migrator.drop_table('curriculum'))
    migrator.migrate(migrator.drop_table('bell'))
    migrator.migrate(migrator.drop_table('bell_schedule'))
    migrator.migrate(migrator.drop_table('audit_entry'))
    migrator.migrate(migrator.drop_table('attendance'))
    migrator.migrate(migrator.drop_table('lesson'))
    migrator.migrate(migrator.drop_table('work_type'))
    migrator.migrate(migrator.drop_table('plan_item'))
    migrator.migrate(migrator.drop_table('timetable_slot'))
    migrator.migrate(migrator.drop_table('room'))
    migrator.migrate(migrator.drop_table('student'))
    migrator.migrate(migrator.drop_table('assignment'))
    migrator.migrate(migrator.drop_table('group'))
    migrator.migrate(migrator.drop_table('subject'))
    migrator.migrate(migrator.drop_table('announcement_read'))
    migrator.migrate(migrator.drop_table('announcement'))
    migrator.migrate(migrator.drop_table('school_class'))
    migrator.migrate(migrator.drop_table('user'))
    migrator.migrate(migrator.drop_table('academic_year'))
    migrator.migrate(migrator.drop_table('school'))

