"""Daily use (issue 11): a subject's «has control works» flag, a homework due date, the
pupil's personal-file number (номер личного дела).

- ``subject.has_control_works``: objectivity checks skip subjects without control works
  (Музыка, ИЗО, Физкультура, Технология …); existing subjects keep True except those names.
- ``lesson.homework_due``: the day the homework is due; NULL means the next lesson of the
  subject for the same class/group.
- ``student.personal_file_no``: the number of the personal file (alphabetical book).
"""
from peewee import *

NO_CONTROL_WORKS = ("Музыка", "ИЗО", "Изобразительное искусство", "Физкультура", "Физическая культура",
                    "Технология", "ОБЖ", "ОДНКНР", "Труд (технология)", "Искусство",
                    "Основы религиозных культур и светской этики")


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("subject", "has_control_works", BooleanField(default=True)),
        migrator.add_column("lesson", "homework_due", DateField(null=True)),
        migrator.add_column("student", "personal_file_no", CharField(default="")),
    )

    class Subject(Model):  # frozen: only what this migration touches
        name = CharField()
        has_control_works = BooleanField(default=True)

        class Meta:
            database = db
            table_name = "subject"

    Subject.update(has_control_works=False).where(Subject.name.in_(NO_CONTROL_WORKS)).execute()

def down(migrator, db):
    migrator.migrate(
        migrator.drop_column("subject", "has_control_works"),
        migrator.drop_column("lesson", "homework_due"),
        migrator.drop_column("student", "personal_file_no"),
    )
