"""The permission matrix of the SSH keys service: the admin manages the keys of anybody of
his school, every user his own; nobody else, and nobody from another school.

The world of ``world.py`` gets one key for ``teacher`` here (see :func:`build_ssh_world`).
"""

from __future__ import annotations

import asyncssh
import pytest
from peewee import Database

from tui_journal.db.models import SshKey
from tui_journal.services import ssh_keys

from . import perm
from .perm import Op, check_operation
from .world import World, build_world

SELF_OR_ADMIN = frozenset({"admin", "teacher"})


def _public_key() -> str:
    return asyncssh.generate_private_key("ssh-ed25519", comment="pc").export_public_key("openssh").decode()


def build_ssh_world() -> World:
    w = build_world()
    line = _public_key().split()
    w.teacher_key = SshKey.create(user=w.users["teacher"], key=f"{line[0]} {line[1]}", comment="pc")  # type: ignore[attr-defined]
    return w


NEW_KEY = _public_key()

OPERATIONS: tuple[Op, ...] = (
    Op("ssh_keys.add_key", lambda a, w: ssh_keys.add_key(a, "teacher", NEW_KEY), SELF_OR_ADMIN),
    Op("ssh_keys.list_keys", lambda a, w: ssh_keys.list_keys(a, "teacher"), SELF_OR_ADMIN, writes=False),
    Op(
        "ssh_keys.remove_key",
        lambda a, w: ssh_keys.remove_key(a, "teacher", str(w.teacher_key.id)),  # type: ignore[attr-defined]
        SELF_OR_ADMIN,
    ),
)


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.name)
def test_operation_as_every_role(any_db: Database, monkeypatch: pytest.MonkeyPatch, op: Op) -> None:
    monkeypatch.setattr(perm, "build_world", build_ssh_world)
    check_operation(op)


def test_everybody_manages_his_own_keys(any_db: Database) -> None:
    """Not only teachers: a pupil and a parent may register their own keys too."""
    w = build_ssh_world()
    for role in ("student", "parent", "director"):
        actor = w.actors[role]
        info = ssh_keys.add_key(actor, actor.login, _public_key())
        assert [k.id for k in ssh_keys.list_keys(actor, actor.login)] == [info.id]
        ssh_keys.remove_key(actor, actor.login, str(info.id))
