"""The permission-matrix machinery shared by every ``test_permissions*.py`` module.

Each such module defines ``OPERATIONS`` (and optionally ``NOT_OPERATIONS``) and runs
:func:`check_operation` for each; ``test_permissions.test_every_service_operation_is_covered``
collects them all, so a new public service function that takes an ``actor`` fails the suite
until somebody states who may call it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from tui_journal.db.models import AuditEntry, database_proxy
from tui_journal.services.actor import Actor
from tui_journal.services.errors import NotFound, PermissionDenied

from .world import World, build_world, fingerprint

ACTORS = (
    "admin",
    "director",
    "deputy",
    "secretary",
    "teacher",
    "class_teacher",
    "educator",
    "student",
    "parent",
    "other_admin",
)
EVERYONE = frozenset(ACTORS)
MANAGERS = frozenset({"admin", "director", "deputy", "secretary", "other_admin"})


@dataclass(frozen=True)
class Op:
    name: str  # "module.function"
    call: Callable[[Actor, World], object]
    allowed: frozenset[str]
    writes: bool = True


TEACHER = frozenset({"teacher"})
JOURNAL_READERS = frozenset({"admin", "director", "deputy", "teacher"})




def check_operation(op: Op) -> None:
    """Run ``op`` as every actor of a fresh world: allowed ones succeed (and write audit rows
    when the op writes); the others are refused and change nothing. Each call is rolled back."""
    world = build_world()
    db = database_proxy.obj
    for role in ACTORS:
        actor = world.actors[role]
        before = fingerprint()
        audit_before = AuditEntry.select().count()
        with db.atomic() as txn:
            if role in op.allowed:
                op.call(actor, world)
                if op.writes:
                    assert fingerprint() != before, f"{op.name} as {role} changed nothing"
                    assert AuditEntry.select().count() > audit_before, f"{op.name} as {role} left no audit row"
            else:
                with pytest.raises((PermissionDenied, NotFound)):
                    op.call(actor, world)
                assert fingerprint() == before, f"{op.name} refused for {role} but changed data"
            txn.rollback()
