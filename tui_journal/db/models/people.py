"""People and accounts: who may log in (users, their roles and SSH keys), the pupils'
cards and the parents linked to them.
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
from tui_journal.db.models.school import School


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
