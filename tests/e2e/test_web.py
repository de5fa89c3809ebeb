"""``tui-journal serve web`` in Debian's Chromium (Playwright): the journal in a browser.

Each test is bounded (every wait has a timeout); the server runs on 127.0.0.1 only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.web import CHROMIUM, CHROMIUM_ARGS, Tab, WebServer, require_browser, start_web

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(__file__).parent / "artifacts"


@dataclass
class Env:
    path: Path
    url: str
    logins: dict[str, tuple[str, str]]  # role → (login, password)
    server: WebServer
    browser: object


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    sync_playwright = require_browser()
    from tui_journal.db.database import sqlite_url
    from tui_journal.db.demo import build_demo, demo_logins

    folder = tmp_path_factory.mktemp("web")
    path = folder / "journal.db"
    url = sqlite_url(path)
    build_demo(url, size="tiny")
    logins = {x.role: (x.login, x.password) for x in demo_logins()}
    server = start_web(url, folder, env={"TUI_JOURNAL_EXPORTS_DIR": str(folder / "exports")})
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=30_000)
        try:
            yield Env(path, url, logins, server, browser)
        finally:
            browser.close()
            server.stop()


def new_tab(env: Env, width: int = 1280, height: int = 800, **options: object) -> Tab:
    context = env.browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True, **options)  # type: ignore[attr-defined]
    context.set_default_timeout(20_000)
    return Tab(context.new_page()).open(env.server.url)


def close(tab: Tab) -> None:
    tab.page.context.close()


def test_a_parent_reaches_the_diary_and_a_subjects_marks(env: Env) -> None:
    tab = new_tab(env)
    try:
        tab.login(*env.logins["parent"])
        tab.wait_for("Дневник")
        tab.click_text("Дневник")  # one tap: home → the child's diary week
        found = tab.wait_for(r"неделя \d")
        tab.wait_until(lambda s: "Загрузка" not in s, "the week loaded")
        ARTIFACTS.mkdir(exist_ok=True)
        tab.page.screenshot(path=str(ARTIFACTS / "diary-1280x800.png"))
        child = tab.wait_for(r"ребёнок (\d) из (\d)")
        if child.group(2) != "1":  # the next child: a tap on the footer's C
            tab.click_text("C Ребёнок")
            tab.wait_for(rf"ребёнок {int(child.group(1)) % int(child.group(2)) + 1} из")
        assert found
        tab.click_text("S Отметки")  # the footer is clickable
        tab.wait_for("Прогн")
        tab.wait_until(lambda s: "Загрузка" not in s, "the marks loaded")
        tab.settle()
        lines = tab.screen()
        head = next(i for i, line in enumerate(lines) if "Прогн" in line)
        subject = lines[head + 1].split("  ")[0].strip()
        tab.click_text(subject)  # a tap on the highlighted row opens it
        tab.wait_for("Вид работы")
        tab.wait_for(subject[:10])
    finally:
        close(tab)
