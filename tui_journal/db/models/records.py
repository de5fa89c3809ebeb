"""Accountability: the append-only audit log, the login log and the school's signing keys.
"""

from __future__ import annotations

from peewee import (
    CharField,
    DateTimeField,
    ForeignKeyField,
    TextField,
)

from tui_journal.db.models.base import BaseModel, now
from tui_journal.db.models.people import User
from tui_journal.db.models.school import School


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
