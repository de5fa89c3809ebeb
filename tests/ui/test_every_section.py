"""Every role of the test world logs in through the form and opens every section its home
screen lists: each opens without an error and shows its title (a renamed module or a screen
that breaks on mount fails here, never vanishes)."""

from __future__ import annotations

from pathlib import Path

from peewee import Database

from tests.services.world import PASSWORD, build_world
from tests.ui.conftest import SIZE, make_app, screen_text, settle
from tests.ui.pilot import log_in, open_section_at, section_keys
from tui_journal.i18n import t
from tui_journal.screens.base import JournalScreen
from tui_journal.screens.home import HomeScreen

ROLES = ("admin", "director", "deputy", "secretary", "teacher", "class_teacher", "educator", "student", "parent")


async def test_every_role_opens_every_section_of_its_home_screen(db: Database, log_file: Path) -> None:
    w = build_world()
    opened: dict[str, list[str]] = {}
    problems: list[str] = []

    for role in ROLES:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await log_in(pilot, w.users[role].login, PASSWORD)
            assert isinstance(app.screen, HomeScreen), (role, screen_text(app))
            keys = section_keys(app)
            opened[role] = []
            for index, key in enumerate(keys):
                await open_section_at(pilot, index)
                screen = app.screen
                text = screen_text(app)
                if not isinstance(screen, JournalScreen) or isinstance(screen, HomeScreen):
                    problems.append(f"{role}/{key}: did not open ({text.splitlines()[-2:]})")
                else:
                    title = t(screen.TITLE_KEY) if screen.TITLE_KEY else ""
                    if title and title[:30] not in text:
                        problems.append(f"{role}/{key}: title «{title}» not shown")
                    if "Внутренняя ошибка" in text:
                        problems.append(f"{role}/{key}: internal error shown")
                opened[role].append(str(key))
                while not isinstance(app.screen, HomeScreen) and len(app.screen_stack) > 2:
                    await app.pop_screen()
                await settle(pilot)
    assert not problems, "\n".join(problems)
    assert all(opened[role] for role in ROLES)
    assert "account" in opened["student"] and "users" in opened["admin"]
    assert sum(len(v) for v in opened.values()) >= 40
    errors = [line for line in log_file.read_text(encoding="utf-8").splitlines() if " ERROR " in line]
    assert not errors, "\n".join(errors)
