"""Every service operation as every role: in scope it works, out of scope it is refused
and changes nothing (R-ROLE-*, R-ACC-4).

Each operation lists the actors that may perform it on the world's targets (see
``perm.py``). Other areas keep their operations in ``test_permissions_<area>.py`` modules
with the same shape; ``test_every_service_operation_is_covered`` collects them all.
"""

from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path

import pytest
from peewee import Database

import tui_journal.services as services_pkg
from tui_journal.services import accounts, audit, auth, journal, plan

from .perm import (
    EVERYONE,
    JOURNAL_READERS,
    MANAGERS,
    TEACHER,
    Op,
    check_operation,
    service_functions,
    uncovered,
)
from .world import World


def _ids(w: World) -> tuple[int, int, int]:
    return w.lessons["7А"].id, w.students["7А"].id, w.classes["7А"].id


OPERATIONS: tuple[Op, ...] = (
    Op(
        "accounts.add_user",
        lambda a, w: accounts.add_user(a, "newbie", "Новиков", "Никита", roles=["teacher"]),
        frozenset({"admin", "other_admin"}),
    ),
    Op("accounts.list_users", lambda a, w: accounts.list_users(a), MANAGERS, writes=False),
    Op(
        "accounts.get_user",
        lambda a, w: accounts.get_user(a, "teacher"),
        frozenset({"admin", "director", "deputy", "secretary", "teacher"}),
        writes=False,
    ),
    Op(
        "accounts.set_password",
        # a pupil of 8Б, whose class teacher is `class_teacher` (R-ACC-2)
        lambda a, w: accounts.set_password(a, "otherstudent"),
        frozenset({"admin", "class_teacher"}),
    ),
    Op(
        "accounts.change_own_password",
        lambda a, w: accounts.change_own_password(a, "Another-pass-77"),
        EVERYONE,
    ),
    Op("accounts.lock_user", lambda a, w: accounts.lock_user(a, "teacher"), frozenset({"admin"})),
    Op("accounts.unlock_user", lambda a, w: accounts.unlock_user(a, "lockeduser"), frozenset({"admin"})),
    Op("accounts.remove_user", lambda a, w: accounts.remove_user(a, "teacher"), frozenset({"admin"})),
    Op(
        "accounts.change_roles",
        lambda a, w: accounts.change_roles(a, "teacher", add=["deputy"]),
        frozenset({"admin"}),
    ),
    Op(
        "accounts.update_contacts",
        lambda a, w: accounts.update_contacts(a, "teacher", phone="+7 900 000-00-00"),
        frozenset({"admin", "teacher"}),
    ),
    Op(
        "accounts.link_parent",
        # the 8Б pupil: his class teacher may link parents too (R-CT-2)
        lambda a, w: accounts.link_parent(a, "parent", w.students["8Б"].id, "мать"),
        frozenset({"admin", "secretary", "class_teacher"}),
    ),
    Op(
        "accounts.unlink_parent",
        lambda a, w: accounts.unlink_parent(a, "parent", w.students["7А"].id),
        frozenset({"admin", "secretary"}),
    ),
    Op(
        "audit.list_entries",
        lambda a, w: audit.list_entries(a),
        frozenset({"admin", "director", "deputy", "other_admin"}),
        writes=False,
    ),
    Op(
        "auth.login_events",
        lambda a, w: auth.login_events(a),
        frozenset({"admin", "other_admin"}),
        writes=False,
    ),
)

OPERATIONS += (
    Op("journal.grid.my_journals", lambda a, w: journal.my_journals(a), EVERYONE, writes=False),
    Op("journal.cells.lessons_of_day", lambda a, w: journal.lessons_of_day(a), EVERYONE, writes=False),
    Op(
        "journal.grid.open_grid",
        lambda a, w: journal.open_grid(a, w.classes["7А"].id, w.subjects["math"].id),
        JOURNAL_READERS,
        writes=False,
    ),
    Op(
        "journal.lessons.lesson_info",
        lambda a, w: journal.lesson_info(a, w.lessons["7А"].id),
        JOURNAL_READERS | {"secretary", "parent", "student"},
        writes=False,
    ),
    Op(
        "journal.grid.lesson_roll",
        lambda a, w: journal.lesson_roll(a, w.lessons["7А"].id),
        JOURNAL_READERS,
        writes=False,
    ),
    Op("journal.cells.set_cell", lambda a, w: journal.set_cell(a, *_ids(w)[:2], "5"), TEACHER),
    Op(
        "journal.cells.set_mark_details",
        lambda a, w: journal.set_mark_details(a, w.marks["7А"].id, comment="у доски"),
        TEACHER,
    ),
    Op(
        "journal.cells.set_cell_details",
        lambda a, w: journal.set_cell_details(a, *_ids(w)[:2], [w.marks["7А"].work_type_id], "у доски"),
        TEACHER,
    ),
    Op(
        "journal.week.week_sessions",
        lambda a, w: journal.week_sessions(a, dt.date(2026, 11, 23), dt.date(2026, 11, 28)),
        EVERYONE,
        writes=False,
    ),
    Op("journal.cells.set_column_work_type", lambda a, w: journal.set_column_work_type(a, w.lessons["7А"].id, w.marks["7А"].work_type_id), TEACHER),
    Op("journal.cells.take_roll", lambda a, w: journal.take_roll(a, w.lessons["7А"].id), TEACHER),
    Op(
        "journal.lessons.set_lesson_info",
        lambda a, w: journal.set_lesson_info(a, w.lessons["7А"].id, topic="Дроби", homework="§ 3"),
        TEACHER,
    ),
    Op(
        "journal.lessons.set_individual_homework",
        lambda a, w: journal.set_individual_homework(a, *_ids(w)[:2], "Карточка"),
        TEACHER,
    ),
    Op(
        "journal.period_marks.set_period_mark",
        lambda a, w: journal.set_period_mark(
            a, w.classes["7А"].id, w.subjects["math"].id, w.students["7А"].id, "4", kind="year"
        ),
        TEACHER,
    ),
)


def _math7(w: World) -> tuple[int, int]:
    return w.classes["7А"].id, w.subjects["math"].id


PLAN_WRITERS = TEACHER | {"admin"}

OPERATIONS += (
    Op("plan.plan_summary", lambda a, w: plan.plan_summary(a, *_math7(w)), JOURNAL_READERS, writes=False),
    Op("plan.add_item", lambda a, w: plan.add_item(a, *_math7(w), "Уравнения"), PLAN_WRITERS),
    Op("plan.update_item", lambda a, w: plan.update_item(a, w.plan[0].id, hours=2), PLAN_WRITERS),
    Op("plan.delete_item", lambda a, w: plan.delete_item(a, w.plan[0].id), PLAN_WRITERS),
    Op("plan.move_item", lambda a, w: plan.move_item(a, w.plan[0].id, 1), PLAN_WRITERS),
    Op(
        "plan.import_plan",
        lambda a, w: plan.import_plan(a, *_math7(w), [plan.ImportedTopic("Степени", 1, "обычный")]),
        PLAN_WRITERS,
    ),
    Op("plan.lay_onto_lessons", lambda a, w: plan.lay_onto_lessons(a, *_math7(w)), PLAN_WRITERS),
    Op("plan.restore_previous_plan", lambda a, w: plan.restore_previous_plan(a, *_math7(w)), PLAN_WRITERS),
    # a server file only for the console (tui-journal import plan FILE): no user of the app
    Op(
        "plan.read_plan_file",
        lambda a, w: plan.read_plan_file(a, Path(__file__)),
        frozenset(),
        writes=False,
    ),
)

# Functions that take an actor but are not operations on the school's data.
NOT_OPERATIONS = {
    "audit.record": "called by services inside their transactions, after their check",
    "audit.record_changes": "called by services inside their transactions, after their check",
    "audit.record_creation": "called by services inside their transactions, after their check",
    "auth.record_logout": "records the actor's own session end",
    "journal.grid.require_journal_visible": "a predicate used by the operations",
    "pending.apply_change": "replays journal.set_cell, which is checked above",
}


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.name)
def test_operation_as_every_role(any_db: Database, op: Op) -> None:
    check_operation(op)


def _declared() -> set[str]:
    """Operations and exclusions declared by every test_permissions*.py module."""
    names: set[str] = set()
    for path in Path(__file__).parent.glob("test_permissions*.py"):
        module = importlib.import_module(f"{__package__}.{path.stem}")
        names |= {op.name for op in getattr(module, "OPERATIONS", ())}
        names |= set(getattr(module, "NOT_OPERATIONS", ()))
    return names


def test_every_service_operation_is_covered() -> None:
    missing = uncovered(services_pkg, _declared())
    assert not missing, (
        f"add these to OPERATIONS in a test_permissions*.py module (or, for a pure helper that"
        f" touches no data, to NOT_OPERATIONS with the reason): {sorted(missing)}"
    )


def test_every_declared_name_is_a_service_function() -> None:
    """No stale entry: an operation or an exclusion names a function that exists."""
    real = service_functions(services_pkg)
    stale = {d.split(":", 1)[0] for d in _declared()} - real
    assert not stale, sorted(stale)
