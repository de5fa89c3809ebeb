"""The permission-matrix machinery shared by every ``test_permissions*.py`` module.

Each such module defines ``OPERATIONS`` (and optionally ``NOT_OPERATIONS``: a dict of
function → the reason it is not an operation) and runs :func:`check_operation` for each;
``test_permissions.test_every_service_operation_is_covered`` collects them all. Functions are
discovered by MODULE (:func:`service_functions`): every public function defined in every
module of the services package, whatever its parameters are called, so a function without an
actor cannot slip past the matrix.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

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


def service_functions(package: ModuleType) -> set[str]:
    """``module.function`` for every public function defined in every module of ``package``
    (subpackages too: ``reports.journal_print.journal_print``)."""
    names: set[str] = set()
    prefix = package.__name__ + "."
    for info in pkgutil.walk_packages(package.__path__, prefix):
        module = importlib.import_module(info.name)
        relative = info.name[len(prefix):]
        if any(part.startswith("_") for part in relative.split(".")):
            continue
        for fname, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__ and not fname.startswith("_"):
                names.add(f"{relative}.{fname}")
    return names


def uncovered(package: ModuleType, declared: set[str]) -> set[str]:
    """The public functions of ``package`` that neither the matrix nor an allow-list names
    (an operation may be declared as ``name:variant``)."""
    names = {d.split(":", 1)[0] for d in declared}
    return service_functions(package) - names


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
