"""Communication: messages with their recipients, announcements and who has read them.
"""

from __future__ import annotations

from peewee import (
    CharField,
    DateTimeField,
    ForeignKeyField,
    TextField,
)

from tui_journal.db.models.base import BaseModel, now
from tui_journal.db.models.classes import SchoolClass
from tui_journal.db.models.people import Student, User
from tui_journal.db.models.school import School


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
