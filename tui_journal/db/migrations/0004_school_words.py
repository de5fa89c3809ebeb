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


NEW_COLUMNS = (
    ("subject", "has_control_works", lambda: BooleanField(default=True)),
    ("lesson", "homework_due", lambda: DateField(null=True)),
    ("student", "personal_file_no", lambda: CharField(default="")),
)


def up(migrator, db):
    # idempotent: a database whose history was lost (a restored old backup) may have them
    missing = [(t, c, make) for t, c, make in NEW_COLUMNS if c not in {col.name for col in db.get_columns(t)}]
    if missing:
        migrator.migrate(*(migrator.add_column(t, c, make()) for t, c, make in missing))
    if not any(c == "has_control_works" for _, c, _ in missing):
        return  # the flags are the school's already

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
