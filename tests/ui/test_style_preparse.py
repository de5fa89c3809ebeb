"""The warm server parses the stylesheets before it forks (issue 13): a session then parses none."""

from __future__ import annotations

import importlib
import pkgutil
import threading

import pytest
from peewee import Database
from textual.app import App

from tests.ui.conftest import make_app, settle
from tui_journal.widgets import css_cache


def _import_all_screens() -> None:
    import tui_journal.screens
    import tui_journal.widgets

    for package in (tui_journal.screens, tui_journal.widgets):
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package.__name__}.{module.name}")


async def _run(app: App[None]) -> str:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        return type(app.screen).__name__


@pytest.mark.parametrize("term", ["xterm-256color", "linux"])
async def test_a_session_after_preparse_parses_no_stylesheet(db: Database, term: str) -> None:
    _import_all_screens()  # as the warm server's preload does
    css_cache.install()
    css_cache._parsed.clear()
    threads = threading.active_count()
    parsed = css_cache.preparse(make_app(environ={"TERM": term}))
    assert parsed > 20
    assert threading.active_count() == threads  # nothing left running before a fork
    before, keys = css_cache.misses, set(css_cache._parsed)
    app = make_app(environ={"TERM": term})
    assert (await _run(app)) == "LoginScreen"
    missed = [(key[1], key[4]) for key in set(css_cache._parsed) - keys]
    assert css_cache.misses == before, missed


async def test_without_preparse_a_session_parses(db: Database) -> None:
    """The test above can fail: an empty cache is filled by the session itself."""
    css_cache.install()
    css_cache._parsed.clear()
    before = css_cache.misses
    await _run(make_app())
    assert css_cache.misses > before
