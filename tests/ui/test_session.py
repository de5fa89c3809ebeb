"""The session around the screens: quitting, the idle timeout, the cost of idling, run_app,
and the choices made for the terminal (colours, glyphs, mouse)."""

from __future__ import annotations

from pathlib import Path

import pytest
from peewee import Database
from textual.pilot import Pilot
from textual.widgets import Input

from tests.ui.conftest import SIZE, make_app, screen_text, settle, type_text
from tests.ui.pilot import Wire, log_in, open_section_at, wait_until
from tui_journal import app as app_module
from tui_journal.app import JournalApp, has_few_colours, run_app, ssh_client_address, wants_safe_glyphs
from tui_journal.config import Settings
from tui_journal.db.database import sqlite_url
from tui_journal.db.models import LoginEvent
from tui_journal.i18n import t
from tui_journal.screens.home import HomeScreen
from tui_journal.services.actor import Actor
from tui_journal.widgets.inputs import JournalInput

ADMIN_PASSWORD = "Admin-pass-2026"


async def _log_in(pilot: Pilot[None]) -> None:
    await log_in(pilot, "admin", ADMIN_PASSWORD)


def _outcomes(login: str = "admin") -> list[str]:
    return [e.outcome for e in LoginEvent.select().where(LoginEvent.login == login).order_by(LoginEvent.id)]


async def test_f10_quits_and_records_the_logout(admin: Actor) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _log_in(pilot)
        home = isinstance(app.screen, HomeScreen)
        await pilot.press("f10")
        await settle(pilot)
    assert home
    assert app.return_code == 0
    assert _outcomes() == ["ok", "logout"]


async def test_ctrl_q_quits_from_the_login_form(admin: Actor) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_text(pilot, "adm")
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert app.return_code == 0
    assert _outcomes() == []  # nobody was logged in


class FakeMonotonic:
    """The app's idle clock (``JournalApp(idle_clock=…)``), moved by the test, not by time."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


IDLE_MINUTES = 1.0  # the app's own idle check runs every few seconds: never during a test


async def test_idle_timeout_ends_the_session_and_records_it(
    admin: Actor, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = FakeMonotonic()
    app = make_app(idle_minutes=IDLE_MINUTES, idle_clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _log_in(pilot)
        home = isinstance(app.screen, HomeScreen) and app.return_code is None
        clock.now += 59  # nobody touches a key for 59 s: not yet
        await app.end_if_idle()
        alive = app.return_code is None
        clock.now += 1
        await app.end_if_idle()
        await wait_until(pilot, lambda: app.return_code is not None, "the app to leave")
    assert home and alive
    assert app.ended_by_idle and app.return_code is not None
    assert t("idle.bye") in capsys.readouterr().err  # printed after the app has left the screen
    assert _outcomes() == ["ok", "idle"]


async def test_keys_keep_the_session_alive(admin: Actor) -> None:
    clock = FakeMonotonic()
    app = make_app(idle_minutes=IDLE_MINUTES, idle_clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(10):  # 5 minutes of typing on the idle clock, a key every 30 s
            clock.now += 30
            await pilot.press("a")
            await app.end_if_idle()
        alive = app.return_code is None and not app.ended_by_idle
        clock.now += 60
        await app.end_if_idle()
        await wait_until(pilot, lambda: app.return_code is not None, "the app to leave")
    assert alive
    assert app.ended_by_idle


# Textual's Input blinks every 0.5 s: twice that without a byte is a steady screen.
QUIET_SECONDS = 1.0


async def test_an_idle_session_draws_nothing(admin: Actor) -> None:
    """A focused input must not blink: nothing is sent to the terminal while nobody types.

    The one test that lets time pass: that nothing happens has no event to wait for. The
    control (textual's own blinking Input) shows the wire sees a blink within the window."""

    async def bytes_while_idle(blinking: bool) -> str:
        app, wire = make_app(), Wire()
        wire.attach(app)
        async with app.run_test(size=SIZE, headless=False) as pilot:
            await settle(pilot)
            if blinking:  # the control: textual's own Input blinks and redraws twice a second
                field = Input(id="blinker")
                await app.screen.mount(field)
                field.focus()
            await settle(pilot)
            wire.take()
            await pilot.pause(QUIET_SECONDS)
            return wire.take()

    assert await bytes_while_idle(blinking=True) != ""
    assert await bytes_while_idle(blinking=False) == ""


async def test_inputs_are_compact_and_steady(admin: Actor) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        inputs, animation_level = list(app.screen.query(JournalInput)), app.animation_level
    assert len(inputs) == 2
    assert all(i.compact and not i.cursor_blink and i.outer_size.height == 1 for i in inputs)
    assert [i.password for i in inputs] == [False, True]
    assert animation_level == "none"


def test_terminal_choices() -> None:
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


async def test_linux_console_gets_ansi_theme_and_safe_glyphs(admin: Actor) -> None:
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


async def test_ssh_login_is_recorded_with_the_client_address(admin: Actor) -> None:
    app = make_app(
        origin="ssh", environ={"TERM": "xterm-256color", "SSH_CONNECTION": "192.0.2.5 5000 10.0.0.1 22"}
    )
    async with app.run_test(size=SIZE) as pilot:
        await _log_in(pilot)
    event = LoginEvent.get(LoginEvent.login == "admin")
    assert (event.origin, event.address) == ("ssh", "192.0.2.5")


async def test_started_with_an_actor_opens_home(admin: Actor) -> None:
    app = make_app(actor=admin)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen, text = app.screen, screen_text(app)
    assert isinstance(screen, HomeScreen)
    assert "Петров Пётр Петрович" in text


def test_run_app_refuses_an_empty_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run_app(Settings(db_url=sqlite_url(tmp_path / "empty.db")))
    assert code == 2
    assert "tui-journal init" in capsys.readouterr().err


def test_run_app_refuses_a_bad_url(capsys: pytest.CaptureFixture[str]) -> None:
    code = run_app(Settings(db_url="mysql://nowhere/journal"))
    assert code == 2
    assert "Не удалось открыть базу данных" in capsys.readouterr().err


def test_run_app_runs_without_mouse_by_default(
    db_url: str, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: dict[str, object] = {}

    def fake_run(self: JournalApp, **kwargs: object) -> None:
        calls.update(kwargs)
        self._return_code = 0

    monkeypatch.setattr(app_module.JournalApp, "run", fake_run)
    assert run_app(Settings(db_url=db_url)) == 0
    assert calls == {"mouse": False}
    assert run_app(Settings(db_url=db_url, mouse=True)) == 0
    assert calls == {"mouse": True}


async def test_linux_console_scrollbars_use_whole_cells(admin: Actor) -> None:
    from tui_journal.services import accounts

    for i in range(40):  # more rows than fit: the table gets a scrollbar
        accounts.add_user(admin, f"pupil{i:02d}", f"Учеников{i}", "Ученик", roles=["student"])

    async def main(environ: dict[str, str]) -> str:
        app = make_app(environ=environ)
        async with app.run_test(size=SIZE) as pilot:
            await _log_in(pilot)
            await open_section_at(pilot, 1)  # «Пользователи»
            await pilot.press("down", "pagedown")
            await settle(pilot)
            return screen_text(app)

    eighths = set("▁▂▃▄▅▆▇▉▊▋▌▍▎▏")
    assert eighths & set(await main({"TERM": "xterm-256color"}))  # the control
    linux = await main({"TERM": "linux"})
    assert "Учеников" in linux
    assert not eighths & set(linux)
