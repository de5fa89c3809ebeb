"""The archive of replaced plan topics (КТП), so that a replaced plan can be restored."""
from peewee import *


def up(migrator, db):
    class SchoolClass(Model):
        class Meta:
            database = db
            table_name = 'school_class'

    class Group(Model):
        class Meta:
            database = db
            table_name = 'group'

    class Subject(Model):
        class Meta:
            database = db
            table_name = 'subject'

    class PlanArchive(Model):
        school_class = ForeignKeyField(SchoolClass, on_delete='CASCADE')
        group = ForeignKeyField(Group, null=True, on_delete='CASCADE')
        subject = ForeignKeyField(Subject, on_delete='CASCADE')
        topics = TextField()
        reason = CharField(default='import')
        archived_at = DateTimeField()
        archived_by = CharField(default='')
        class Meta:
            database = db
            table_name = 'plan_archive'
    db.create_tables([PlanArchive])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('plan_archive'))
