"""The two worlds most service tests start from, as fixtures (a module that needs more
defines its own ``w`` or ``school`` on top of the same builders)."""

from __future__ import annotations

import pytest
from peewee import Database

from tests.factories.school import BuiltSchool, build_school
from tui_journal.services.actor import Actor

from .world import World, build_world


@pytest.fixture
def w(any_db: Database) -> World:
    """The shared world of ``world.py``: one actor per role, two schools."""
    return build_world()


@pytest.fixture
def school(admin: Actor) -> BuiltSchool:
    """The administration tests' school, set up through the services (``build_school``)."""
    return build_school(admin)
