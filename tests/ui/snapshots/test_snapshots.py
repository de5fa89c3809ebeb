"""Screenshots of every screen at 80x24 on the tiny demo school, in 256 colours and on the
Linux console (``TERM=linux``: 16 colours and safe glyphs), so that a layout regression fails.

The demo school is built once per session on a fixed date (``TUI_JOURNAL_TODAY=2026-12-03``,
see ``conftest.py``); each test opens its screen from the home screen with Pilot keys and
compares the SVG with the accepted one in ``__snapshots__/test_snapshots/``.

After a deliberate change of a screen, regenerate the screenshots and LOOK at the changed SVGs
(``git diff --stat``, open them in a browser) before committing them::

    make snapshots        # = pytest -n 2 -p no:randomly tests/ui/snapshots --snapshot-update

Stale files (a renamed test or section) are listed by pytest; ``--snapshot-update`` removes them.
The tests are plain functions (``snap_compare`` runs its own event loop: it fails inside an
``async def`` test) and do their keys in ``run_before``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from pathlib import PurePath
from typing import Any, Protocol

import pytest
from textual.app import App
from textual.pilot import Pilot

from tests.ui.conftest import settle
from tests.ui.pilot import section_keys
from tui_journal.app import JournalApp, register_sections
from tui_journal.config import Settings
from tui_journal.db.models import SchoolClass, User, UserRole
from tui_journal.screens.sections import sections_for
from tui_journal.services.auth import actor_for

SIZE = (80, 24)
TERMS = {"256": {"TERM": "xterm-256color"}, "linux": {"TERM": "linux"}}
# The printed demo accounts (the demo's teacher is also the class teacher of 7А), and a
# teacher who leads no class (found in the database).
ROLES = ("admin", "director", "deputy", "secretary", "teacher", "subject_teacher", "educator", "student", "parent")
CLASS_TEACHERS = frozenset({"teacher"})
ROLE_OF = {"subject_teacher": "teacher"}


class SnapCompare(Protocol):
    """The function the ``snap_compare`` fixture returns (pytest-textual-snapshot annotates
    the fixture as ``Callable[[str | PurePath], bool]``, without the keywords used here)."""

    def __call__(
        self,
        app: str | PurePath | App[Any],
        press: Iterable[str] = ...,
        terminal_size: tuple[int, int] = ...,
        run_before: Callable[[Pilot], Awaitable[None] | None] | None = ...,
    ) -> bool: ...


register_sections()


def _section_keys(role: str) -> list[str]:
    return [s.key for s in sections_for({ROLE_OF.get(role, role)}, leads_a_class=role in CLASS_TEACHERS)]


SECTION_CASES = [(role, key) for role in ROLES for key in _section_keys(role)]

pytestmark = pytest.mark.usefixtures("demo_db")


def _login(accounts: dict[str, str], role: str) -> str:
    if role in accounts:
        return accounts[role]
    led = SchoolClass.select(SchoolClass.class_teacher).where(SchoolClass.class_teacher.is_null(False))
    teachers = (
        User.select().join(UserRole).where((UserRole.role == "teacher") & User.id.not_in(led)).order_by(User.login)
    )
    for user in teachers:
        if {r.role for r in UserRole.select().where(UserRole.user == user)} == {"teacher"}:
            return str(user.login)
    raise AssertionError("the demo school has no teacher without a class")


def _app(term: str, login: str | None = None) -> JournalApp:
    # exports_dir relative to the test's folder (the fixture's cwd): the screens show its path
    settings = Settings(
        db_url="sqlite:///unused-by-the-app.db", idle_minutes=60.0, lock_after=5, exports_dir="exports"
    )
    actor = actor_for(User.get(User.login == login), origin="tui") if login else None
    return JournalApp(settings, actor=actor, environ=TERMS[term])


def _home_keys(pilot: Pilot) -> list[str]:
    return section_keys(pilot.app)


async def _open_section(pilot: Pilot, key: str) -> None:
    """From the home screen: down to the section, Enter, wait for its workers."""
    await settle(pilot)
    keys = _home_keys(pilot)
    assert key in keys, f"section {key!r} is not on the home screen: {keys}"
    pilot.app.screen.query_one("#sections").focus()
    if keys.index(key):
        await pilot.press(*["down"] * keys.index(key))
    await pilot.press("enter")
    await settle(pilot)


def _then(*steps: Callable[[Pilot], Awaitable[None]]) -> Callable[[Pilot], Awaitable[None]]:
    async def run_before(pilot: Pilot) -> None:
        for step in steps:
            await step(pilot)
        await settle(pilot)
        # a scroll made by the last refresh repaints the scrollbar one frame later
        await pilot.wait_for_scheduled_animations()
        for widget in pilot.app.screen.query("*"):
            widget.refresh(layout=True)
        await pilot.pause(0.1)

    return run_before


@pytest.mark.parametrize("term", TERMS)
def test_login_screen(snap_compare: SnapCompare, term: str) -> None:
    assert snap_compare(_app(term), terminal_size=SIZE, run_before=_then(settle))


@pytest.mark.parametrize("term", TERMS)
@pytest.mark.parametrize("role", ROLES)
def test_home(snap_compare: SnapCompare, demo_accounts: dict[str, str], role: str, term: str) -> None:
    async def check_list(pilot: Pilot) -> None:
        await settle(pilot)
        assert _home_keys(pilot) == _section_keys(role)  # else SECTION_CASES misses a screen

    assert snap_compare(_app(term, _login(demo_accounts, role)), terminal_size=SIZE, run_before=_then(check_list))


@pytest.mark.parametrize("term", TERMS)
@pytest.mark.parametrize(("role", "section"), SECTION_CASES, ids=[f"{r}-{k}" for r, k in SECTION_CASES])
def test_section(
    snap_compare: SnapCompare, demo_accounts: dict[str, str], role: str, section: str, term: str
) -> None:
    async def open_it(pilot: Pilot) -> None:
        await _open_section(pilot, section)

    assert snap_compare(_app(term, _login(demo_accounts, role)), terminal_size=SIZE, run_before=_then(open_it))


async def _grid(pilot: Pilot) -> None:
    await _open_section(pilot, "journal")
    await pilot.press("enter")  # the teacher's first journal
    await settle(pilot)


@pytest.mark.parametrize("term", TERMS)
def test_grade_grid(snap_compare: SnapCompare, demo_accounts: dict[str, str], term: str) -> None:
    assert snap_compare(_app(term, demo_accounts["teacher"]), terminal_size=SIZE, run_before=_then(_grid))


@pytest.mark.parametrize("term", TERMS)
def test_grade_grid_lesson_panel(snap_compare: SnapCompare, demo_accounts: dict[str, str], term: str) -> None:
    async def f4(pilot: Pilot) -> None:
        await pilot.press("f4")

    assert snap_compare(_app(term, demo_accounts["teacher"]), terminal_size=SIZE, run_before=_then(_grid, f4))


@pytest.mark.parametrize("term", TERMS)
def test_help_panel(snap_compare: SnapCompare, demo_accounts: dict[str, str], term: str) -> None:
    async def f1(pilot: Pilot) -> None:
        await pilot.press("f1")

    assert snap_compare(_app(term, demo_accounts["teacher"]), terminal_size=SIZE, run_before=_then(_grid, f1))
