"""The session around the screens: quitting, the idle timeout, the cost of idling, run_app,
and the choices made for the terminal (colours, glyphs, mouse)."""

from __future__ import annotations

import asyncio
from pathlib import Path

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


def test_f10_quits_and_records_the_logout(admin):
    async def main():
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await _log_in(pilot)
            home = isinstance(app.screen, HomeScreen)
            await pilot.press("f10")
            await settle(pilot)
        return app, home

    app, home = asyncio.run(main())
    assert home
    assert app._exit and app.return_code == 0
    assert _outcomes() == ["ok", "logout"]


def test_ctrl_q_quits_from_the_login_form(admin):
    async def main():
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await type_text(pilot, "adm")
            await pilot.press("ctrl+q")
            await settle(pilot)
        return app

    app = asyncio.run(main())
    assert app._exit and app.return_code == 0
    assert _outcomes() == []  # nobody was logged in


def test_idle_timeout_ends_the_session_and_records_it(admin, capsys):
    async def main():
        app = make_app(idle_minutes=0.05)  # 3 s, checked every 0.75 s
        async with app.run_test(size=SIZE) as pilot:
            await _log_in(pilot)
            home = isinstance(app.screen, HomeScreen) and not app._exit
            app.last_input_at -= 10  # as if nobody had touched a key for 10 s
            await asyncio.sleep(1.5)
        return app, home

    app, home = asyncio.run(main())
    assert home
    assert app.ended_by_idle and app._exit
    assert t("idle.bye") in capsys.readouterr().err  # printed after the app has left the screen
    assert _outcomes() == ["ok", "idle"]


def test_keys_keep_the_session_alive(admin):
    async def main():
        app = make_app(idle_minutes=0.05)  # 3 s
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            for _ in range(10):  # 5 s of typing, a key every 0.5 s
                await pilot.press("a")
                await asyncio.sleep(0.5)
            alive = not app._exit
            await asyncio.sleep(4.5)
        return alive, app

    alive, app = asyncio.run(main())
    assert alive
    assert app.ended_by_idle


def test_an_idle_session_draws_nothing(admin):
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

    assert asyncio.run(frames_while_idle(blinking=True)) > 0
    assert asyncio.run(frames_while_idle(blinking=False)) == 0


def test_inputs_are_compact_and_steady(admin):
    async def main():
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            return list(app.screen.query(JournalInput)), app.animation_level

    inputs, animation_level = asyncio.run(main())
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


def test_linux_console_gets_ansi_theme_and_safe_glyphs(admin):
    async def main():
        app = make_app(environ={"TERM": "linux", "SSH_CONNECTION": "10.1.2.3 5000 10.0.0.1 22"})
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("f1")
            await pilot.pause()
            return app, screen_text(app)

    app, text = asyncio.run(main())
    assert app.theme == "ansi-dark"
    assert app.has_class("-safe-glyphs")
    assert app.address == "10.1.2.3"
    help_border = [line for line in text.splitlines() if line.strip() and set(line.strip()) <= set("-─")]
    assert help_border and set(help_border[0].strip()) == {"-"}  # ASCII, not box drawing
    assert not any(ch in text for ch in "▁▂▃▄▅▆▇▉▊▋▌▍▎▏█▐▔")


def test_ssh_login_is_recorded_with_the_client_address(admin):
    async def main():
        app = make_app(
            origin="ssh", environ={"TERM": "xterm-256color", "SSH_CONNECTION": "192.0.2.5 5000 10.0.0.1 22"}
        )
        async with app.run_test(size=SIZE) as pilot:
            await _log_in(pilot)

    asyncio.run(main())
    event = LoginEvent.get(LoginEvent.login == "admin")
    assert (event.origin, event.address) == ("ssh", "192.0.2.5")


def test_started_with_an_actor_opens_home(admin):
    async def main():
        app = make_app(actor=admin)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            return app.screen, screen_text(app)

    screen, text = asyncio.run(main())
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


def test_linux_console_scrollbars_use_whole_cells(admin):
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
    assert eighths & set(asyncio.run(main({"TERM": "xterm-256color"})))  # the control
    linux = asyncio.run(main({"TERM": "linux"}))
    assert "Учеников" in linux
    assert not eighths & set(linux)
