"""Helpers for the Pilot tests: a school with one user per role (``people``), the shared
world (``world``), a way to wait for the thread workers, and the screen's rendered text."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from peewee import Database
from textual import events
from textual.app import App
from textual.pilot import Pilot

from tests.factories.school import Staff, add_staff
from tests.services.world import World, build_world
from tui_journal import logs
from tui_journal.app import JournalApp
from tui_journal.config import Settings
from tui_journal.screens import role_sections, sections
from tui_journal.screens.journal_sections import register_all
from tui_journal.services import roles as R
from tui_journal.services.actor import Actor

SIZE = (80, 24)
ENV_256 = {"TERM": "xterm-256color"}


@dataclass(frozen=True)
class Person:
    login: str
    password: str
    last_name: str
    first_name: str
    middle_name: str
    role: str

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)


PEOPLE = {
    R.ADMIN: Person("admin2", "Adm-pass-2026x", "Админова", "Анна", "Андреевна", R.ADMIN),
    R.DIRECTOR: Person("director", "Dir-pass-2026x", "Директоров", "Дмитрий", "Денисович", R.DIRECTOR),
    R.DEPUTY: Person("deputy", "Dep-pass-2026x", "Завучева", "Зоя", "Захаровна", R.DEPUTY),
    R.SECRETARY: Person("secretary", "Sec-pass-2026x", "Секретарёва", "Светлана", "", R.SECRETARY),
    R.TEACHER: Person("teacher", "Tea-pass-2026x", "Учителев", "Устин", "Ульянович", R.TEACHER),
    R.EDUCATOR: Person("educator", "Edu-pass-2026x", "Воспиталова", "Вера", "", R.EDUCATOR),
    R.STUDENT: Person("student", "Stu-pass-2026x", "Ученикова", "Юлия", "", R.STUDENT),
    R.PARENT: Person("parent", "Par-pass-2026x", "Родителев", "Роман", "", R.PARENT),
}


@pytest.fixture
def people(admin: Actor) -> dict[str, Person]:
    """One account per role, each with its own password (created through the services)."""
    add_staff(
        admin,
        [Staff(p.login, p.last_name, p.first_name, p.middle_name, roles=(p.role,), password=p.password) for p in PEOPLE.values()],
    )
    return PEOPLE


@pytest.fixture
def world(db: Database) -> World:
    """The shared world of ``tests/services/world.py`` (one actor per role) on SQLite."""
    return build_world()


@pytest.fixture
def journal_sections() -> Iterator[None]:
    """The journal sections on the home screen, removed again after the test."""
    saved = list(sections.SECTIONS)
    register_all()
    yield
    sections.SECTIONS[:] = saved


@pytest.fixture
def with_role_sections(monkeypatch: pytest.MonkeyPatch) -> None:
    """The role sections (diary, messages, class teacher, control…) on the home screen, for
    this test only."""
    monkeypatch.setattr(sections, "SECTIONS", list(sections.SECTIONS))
    role_sections.register_all()


def make_app(
    *, idle_minutes: float = 60.0, environ: dict[str, str] | None = None, settings: dict[str, object] | None = None,
    **kwargs: Any,
) -> JournalApp:
    """The app at 80x24; ``settings`` overrides config keys (exports_dir, ssh_address, …)."""
    base = Settings(db_url="sqlite:///unused-by-the-app.db", idle_minutes=idle_minutes, lock_after=5)
    return JournalApp(base.with_overrides(**(settings or {})), environ=ENV_256 if environ is None else environ, **kwargs)


async def settle(pilot: Pilot, rounds: int = 6) -> None:
    """Wait until thread workers and the navigation they trigger have finished."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in pilot.app.workers):
            await pilot.pause()
            if not any(w.is_running for w in pilot.app.workers):
                return


_SVG_TEXT = re.compile(
    r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="([\d.]+)" clip-path="url\(#[\w-]+-line-(\d+)\)">(.*?)</text>'
)


def screen_text(app: App) -> str:
    """What the terminal would show, as plain text (one line per row), read from Textual's
    public ``App.export_screenshot()`` (the SVG places every run of text at its cell)."""
    width, height = app.size
    rows = [[" "] * width for _ in range(height)]
    svg = app.export_screenshot()
    cell = 0.0
    for x, length, line, raw in _SVG_TEXT.findall(svg):
        text = html.unescape(raw).replace("\xa0", " ")
        if not cell and text:
            cell = float(length) / len(text)
        column = round(float(x) / cell) if cell else 0
        row = int(line)
        if row < height:
            for i, char in enumerate(text):
                if column + i < width:
                    rows[row][column + i] = char
    return "\n".join("".join(r) for r in rows)


def _key_name(char: str) -> str:
    """Textual's key name of a typed character ("a", "minus", "full_stop", …)."""
    if char.isalnum():
        return char
    return unicodedata.name(char, char).lower().replace(" ", "_").replace("-", "_")


async def type_text(pilot: Pilot, text: str) -> None:
    """Type ``text`` as key events posted to the app, like ``pilot.press`` but as one burst
    (keys over SSH arrive in bursts too; ``pilot.press`` waits for idle after every key,
    which costs ~80 ms a key)."""
    app = pilot.app
    for char in text:
        app.post_message(events.Key(_key_name(char), char))
    await pilot.pause()


async def log_in(pilot: Pilot, login: str, password: str) -> None:
    await type_text(pilot, login)
    await pilot.press("enter")
    await type_text(pilot, password)
    await pilot.press("enter")
    await settle(pilot)


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    """The app's log in a temporary folder, reset after the test (errors are read back from it)."""
    path = logs.setup_logging(tmp_path / "log", "INFO")
    assert path is not None
    yield path
    logs.reset_logging()


@pytest.fixture
def any_db(db: Database) -> Database:
    """The screens are tested on SQLite only: PostgreSQL is covered by the service tests,
    and running every Pilot test twice would double the slowest part of the suite."""
    return db
