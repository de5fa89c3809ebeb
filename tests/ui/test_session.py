"""The session around the screens: quitting, the idle timeout, the cost of idling, run_app,
and the choices made for the terminal (colours, glyphs, mouse)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.ui.conftest import SIZE, make_app, screen_text, settle, type_text
from tui_journal import app as app_module
from tui_journal.app import JournalApp, has_few_colours, run_app, ssh_client_address, wants_safe_glyphs
from tui_journal.config import Settings
from tui_journal.db.database import sqlite_url
from tui_journal.db.models import LoginEvent
from tui_journal.i18n import t
from tui_journal.screens.home import HomeScreen
from tui_journal.widgets.inputs import JournalInput

ADMIN_PASSWORD = "Admin-pass-2026"


async def _log_in(pilot, login: str = "admin", password: str = ADMIN_PASSWORD) -> None:
    await settle(pilot)
    await type_text(pilot, login)
    await pilot.press("enter")
    await type_text(pilot, password)
    await pilot.press("enter")
    await settle(pilot)


def _outcomes(login: str = "admin") -> list[str]:
    return [e.outcome for e in LoginEvent.select().where(LoginEvent.login == login).order_by(LoginEvent.id)]


async def test_f10_quits_and_records_the_logout(admin):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _log_in(pilot)
        home = isinstance(app.screen, HomeScreen)
        await pilot.press("f10")
        await settle(pilot)
    assert home
    assert app.return_code == 0
    assert _outcomes() == ["ok", "logout"]


async def test_ctrl_q_quits_from_the_login_form(admin):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_text(pilot, "adm")
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert app.return_code == 0
    assert _outcomes() == []  # nobody was logged in


class FakeMonotonic:
    """The app's idle clock (``tui_journal.app.monotonic``), moved by the test, not by time."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def idle_clock(monkeypatch) -> FakeMonotonic:
    clock = FakeMonotonic()
    monkeypatch.setattr(app_module, "monotonic", clock)
    return clock


# 0.24 s of idleness ends the session; the idle check runs every 0.06 s of real time, but the
# idle time is counted on the fake clock, so nothing ends while the test does not move it.
TINY_IDLE_MINUTES = 0.004


async def _until_ended(pilot, app: JournalApp) -> None:
    """Wait for the event (the app leaving), not for a span of time: a few idle checks."""
    for _ in range(200):
        if app.return_code is not None:
            return
        await pilot.pause(0.01)


async def test_idle_timeout_ends_the_session_and_records_it(admin, capsys, idle_clock):
    app = make_app(idle_minutes=TINY_IDLE_MINUTES)
    async with app.run_test(size=SIZE) as pilot:
        await _log_in(pilot)
        home = isinstance(app.screen, HomeScreen) and app.return_code is None
        idle_clock.now += 10  # nobody touches a key for 10 s
        await _until_ended(pilot, app)
    assert home
    assert app.ended_by_idle and app.return_code is not None
    assert t("idle.bye") in capsys.readouterr().err  # printed after the app has left the screen
    assert _outcomes() == ["ok", "idle"]


async def test_keys_keep_the_session_alive(admin, idle_clock):
    app = make_app(idle_minutes=TINY_IDLE_MINUTES)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(10):  # 2 s of typing on the idle clock, a key every 0.2 s
            idle_clock.now += 0.2
            await pilot.press("a")
        await pilot.pause(0.15)  # a couple of idle checks run
        alive = app.return_code is None and not app.ended_by_idle
        idle_clock.now += 0.3
        await _until_ended(pilot, app)
    assert alive
    assert app.ended_by_idle


async def test_an_idle_session_draws_nothing(admin):
    """A focused input must not blink: nothing is sent to the terminal while nobody types."""

    async def frames_while_idle(blinking: bool) -> int:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            if blinking:  # the control: textual's own Input blinks and redraws twice a second
                field = Input(id="blinker")
                await app.screen.mount(field)
                field.focus()
            await settle(pilot)
            await asyncio.sleep(0.3)
            frames: list[object] = []
            original = app._display

            def counting(screen, renderable):
                if renderable is not None:
                    frames.append(renderable)
                return original(screen, renderable)

            app._display = counting  # type: ignore[method-assign]
            await asyncio.sleep(1.6)
            return len(frames)

    assert (await frames_while_idle(blinking=True)) > 0
    assert (await frames_while_idle(blinking=False)) == 0


async def test_inputs_are_compact_and_steady(admin):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        inputs, animation_level = list(app.screen.query(JournalInput)), app.animation_level
    assert len(inputs) == 2
    assert all(i.compact and not i.cursor_blink and i.outer_size.height == 1 for i in inputs)
    assert [i.password for i in inputs] == [False, True]
    assert animation_level == "none"


def test_terminal_choices():
    assert has_few_colours({"TERM": "linux"})
    assert has_few_colours({"TERM": "xterm"})
    assert has_few_colours({"TERM": "putty", "COLORTERM": "truecolor"})
    assert has_few_colours({"TERM": "rxvt"})
    assert not has_few_colours({"TERM": "xterm-256color"})
    assert not has_few_colours({"TERM": "rxvt", "COLORTERM": "truecolor"})
    assert wants_safe_glyphs(None, {"TERM": "linux"})
    assert not wants_safe_glyphs(None, {"TERM": "xterm"})
    assert wants_safe_glyphs(True, {"TERM": "xterm-256color"})
    assert not wants_safe_glyphs(False, {"TERM": "linux"})
    assert ssh_client_address({"SSH_CONNECTION": "10.0.0.7 51234 10.0.0.1 22"}) == "10.0.0.7"
    assert ssh_client_address({}) == ""


async def test_linux_console_gets_ansi_theme_and_safe_glyphs(admin):
    app = make_app(environ={"TERM": "linux", "SSH_CONNECTION": "10.1.2.3 5000 10.0.0.1 22"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        app, text = app, screen_text(app)
    assert app.theme == "ansi-dark"
    assert app.has_class("-safe-glyphs")
    assert app.address == "10.1.2.3"
    help_border = [line for line in text.splitlines() if line.strip() and set(line.strip()) <= set("-─")]
    assert help_border and set(help_border[0].strip()) == {"-"}  # ASCII, not box drawing
    assert not any(ch in text for ch in "▁▂▃▄▅▆▇▉▊▋▌▍▎▏█▐▔")


async def test_ssh_login_is_recorded_with_the_client_address(admin):
    app = make_app(
        origin="ssh", environ={"TERM": "xterm-256color", "SSH_CONNECTION": "192.0.2.5 5000 10.0.0.1 22"}
    )
    async with app.run_test(size=SIZE) as pilot:
        await _log_in(pilot)
    event = LoginEvent.get(LoginEvent.login == "admin")
    assert (event.origin, event.address) == ("ssh", "192.0.2.5")


async def test_started_with_an_actor_opens_home(admin):
    app = make_app(actor=admin)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen, text = app.screen, screen_text(app)
    assert isinstance(screen, HomeScreen)
    assert "Петров Пётр Петрович" in text


def test_run_app_refuses_an_empty_database(tmp_path: Path, capsys):
    code = run_app(Settings(db_url=sqlite_url(tmp_path / "empty.db")))
    assert code == 2
    assert "tui-journal init" in capsys.readouterr().err


def test_run_app_refuses_a_bad_url(capsys):
    code = run_app(Settings(db_url="mysql://nowhere/journal"))
    assert code == 2
    assert "Не удалось открыть базу данных" in capsys.readouterr().err


def test_run_app_runs_without_mouse_by_default(db_url, db, monkeypatch):
    calls: dict[str, object] = {}

    def fake_run(self: JournalApp, **kwargs: object) -> None:
        calls.update(kwargs)
        self._return_code = 0

    monkeypatch.setattr(app_module.JournalApp, "run", fake_run)
    assert run_app(Settings(db_url=db_url)) == 0
    assert calls == {"mouse": False}
    assert run_app(Settings(db_url=db_url, mouse=True)) == 0
    assert calls == {"mouse": True}


async def test_linux_console_scrollbars_use_whole_cells(admin):
    from tui_journal.services import accounts

    for i in range(40):  # more rows than fit: the table gets a scrollbar
        accounts.add_user(admin, f"pupil{i:02d}", f"Учеников{i}", "Ученик", roles=["student"])

    async def main(environ):
        app = make_app(environ=environ)
        async with app.run_test(size=SIZE) as pilot:
            await _log_in(pilot)
            sections = app.screen.query_one("#sections")
            sections.focus()
            sections.highlighted = 1  # «Пользователи»
            await pilot.press("enter")
            await settle(pilot)
            await pilot.press("down", "pagedown")
            await settle(pilot)
            return screen_text(app)

    eighths = set("▁▂▃▄▅▆▇▉▊▋▌▍▎▏")
    assert eighths & set(await main({"TERM": "xterm-256color"}))  # the control
    linux = await main({"TERM": "linux"})
    assert "Учеников" in linux
    assert not eighths & set(linux)
