"""The append-only audit log (R-ACC-4): one row per changed field, in the same transaction.

Nothing here updates or deletes audit rows; the only writers are :func:`record` and
:func:`record_changes`, called by other services inside their transactions
(:func:`save_changes` is the edit forms' usual pair: update the row, audit each field).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tui_journal.db.models import AuditEntry, User
from tui_journal.i18n import t
from tui_journal.services import roles as R
from tui_journal.services.actor import Actor
from tui_journal.services.errors import PermissionDenied


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return str(value)


def record(
    actor: Actor,
    action: str,
    entity: str,
    entity_id: object = "",
    field: str = "",
    old: object = None,
    new: object = None,
) -> None:
    """Write one audit row for ``actor``. Call inside the change's transaction."""
    AuditEntry.create(
        school=actor.school_id,
        actor=actor.user_id,
        actor_name=actor.audit_name,
        origin=actor.origin,
        address=actor.address,
        action=action,
        entity=entity,
        entity_id=_text(entity_id) or "",
        field=field,
        old_value=_text(old),
        new_value=_text(new),
    )


def record_changes(
    actor: Actor,
    entity: str,
    entity_id: object,
    before: Mapping[str, object],
    after: Mapping[str, object],
) -> int:
    """Audit each field whose value differs between ``before`` and ``after``; returns the count."""
    count = 0
    for name, new in after.items():
        old = before.get(name)
        if _text(old) != _text(new):
            record(actor, "update", entity, entity_id, name, old, new)
            count += 1
    return count


def save_changes(
    actor: Actor,
    entity: str,
    row: Any,
    after: Mapping[str, object],
    *,
    entity_id: object = None,
    derived: Mapping[str, object] | None = None,
) -> int:
    """Write ``after`` into ``row``'s fields and audit each one that changes; returns the count.

    The edit forms' one way of saving: the old values are read from ``row`` (as loaded
    before the change), so the audit shows what was replaced. Call inside the change's
    transaction; ``entity_id`` names the row in the log when not its id (a user's login).
    ``derived`` columns follow from the edited ones (a person's search key, the time an
    account was locked): they are written in the same update and not audited, since nobody
    typed them.
    """
    model = type(row)
    before = {name: getattr(row, name) for name in after}
    if after:
        model.update(**after, **(derived or {})).where(model.id == row.id).execute()
    return record_changes(actor, entity, row.id if entity_id is None else entity_id, before, after)


def record_creation(actor: Actor, entity: str, entity_id: object, values: Mapping[str, object]) -> None:
    """Audit a new object: one row per non-empty field, so the log shows what was typed."""
    for name, value in values.items():
        if value not in (None, ""):
            record(actor, "create", entity, entity_id, name, None, value)


@dataclass(frozen=True)
class AuditRow:
    at: dt.datetime
    actor: str
    origin: str
    address: str
    action: str
    entity: str
    entity_id: str
    field: str
    old: str | None
    new: str | None


def list_entries(
    actor: Actor,
    *,
    since: dt.date | None = None,
    login: str | None = None,
    entity: str | None = None,
    limit: int | None = None,
) -> list[AuditRow]:
    """The school's audit log, newest first. Admin, director and deputy only."""
    if not actor.has(R.ADMIN, R.DIRECTOR, R.DEPUTY):
        raise PermissionDenied(t("err.denied", what="журнал изменений"))
    query = AuditEntry.select().where(AuditEntry.school == actor.school_id)
    if since is not None:
        query = query.where(AuditEntry.at >= dt.datetime.combine(since, dt.time()))
    if login:
        user = User.get_or_none(User.login == login)
        query = query.where(
            (AuditEntry.actor_name == login) | (AuditEntry.actor == (user.id if user else -1))
        )
    if entity:
        query = query.where(AuditEntry.entity == entity)
    query = query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if limit:
        query = query.limit(limit)
    return [
        AuditRow(
            at=e.at,
            actor=e.actor_name,
            origin=e.origin,
            address=e.address,
            action=e.action,
            entity=e.entity,
            entity_id=e.entity_id,
            field=e.field,
            old=e.old_value,
            new=e.new_value,
        )
        for e in query
    ]
