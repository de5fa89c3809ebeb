"""``tui-journal serve web`` in Debian's Chromium (Playwright): the journal in a browser.

Each test is bounded (every wait has a timeout); the server runs on 127.0.0.1 only.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.helpers import query, wait_until
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
        tab.settle()
        before = tab.received()
        for y in range(100, 400, 25):  # the pointer passes over the list: no hover repaints
            tab.page.mouse.move(200, y)
            tab.page.wait_for_timeout(30)
        tab.settle()
        assert tab.received() == before
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


def test_a_parent_on_a_phone_taps_into_the_diary(env: Env) -> None:
    tab = new_tab(env, 390, 844, is_mobile=True, has_touch=True, device_scale_factor=2)
    try:
        tab.login(*env.logins["parent"])
        tab.wait_for("Дневник")
        tab.settle()
        col, row = tab.locate("Дневник")
        box = tab.page.locator(".xterm-screen").bounding_box()
        cols, rows = tab.size
        tab.page.touchscreen.tap(box["x"] + (col + 1.5) * box["width"] / cols, box["y"] + (row + 0.5) * box["height"] / rows)
        tab.wait_for("Урок")
        tab.wait_until(lambda s: "Загрузка" not in s, "the week loaded")
        tab.settle()
        ARTIFACTS.mkdir(exist_ok=True)
        tab.page.screenshot(path=str(ARTIFACTS / "diary-390x844.png"))
    finally:
        close(tab)


def test_a_teacher_types_a_mark_in_the_grid(env: Env) -> None:
    login, password = env.logins["teacher"]
    tab = new_tab(env)
    try:
        tab.login(login, password)
        tab.wait_for("Классный журнал")
        tab.click_text("Классный журнал")
        tab.wait_for("Журналов:")
        tab.type("7а алг")
        tab.page.wait_for_timeout(300)
        tab.press("Enter")
        tab.wait_for("Ученик")
        tab.settle()
        # clear the cursor's cell first; the demo is built for today, so that cell may be
        # empty already and the Delete then saves nothing (and says nothing)
        tab.press("Delete")
        tab.settle()
        tab.type("4")
        tab.wait_for("Сохранено: 4")  # the mark's own save, not the Delete's
    finally:
        close(tab)

    def saved() -> list[tuple]:
        return query(
            env.path,
            "SELECT actor_name, origin, address, new_value FROM audit_entry "
            "WHERE entity = 'cell' AND origin = 'web' AND new_value LIKE '%4%'",
        )

    rows = wait_until(saved, 10, what="the mark in the audit log")
    assert tuple(rows[0][:3]) == (login, "web", "127.0.0.1")


def test_a_deputy_downloads_a_class_progress_pdf(env: Env) -> None:
    from pypdf import PdfReader

    tab = new_tab(env)
    try:
        tab.login(*env.logins["deputy"])
        tab.wait_for("Отчёты")
        tab.click_text("Отчёты")
        tab.wait_for("Успеваемость класса")
        tab.click_text("Успеваемость класса")
        tab.click_text("напр. 7А")
        tab.type("7А")
        tab.press("F5")
        tab.wait_for("Готово")
        with tab.page.expect_download(timeout=20_000) as info:
            tab.click_text("F2 PDF")  # a tap on the footer key
        download = info.value
        tab.wait_for("передан браузеру")
        assert download.suggested_filename.startswith("class-progress_7А_")
        assert download.suggested_filename.endswith(".pdf")
        data = Path(download.path()).read_bytes()
    finally:
        close(tab)
    assert data.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "7А" in text and "Алгебра" in text


def test_a_wrong_password_is_slowed_and_logged_with_the_address(env: Env) -> None:
    login = env.logins["secretary"][0]
    tab = new_tab(env)
    try:
        tab.login(login, "not-the-password")
        tab.wait_for("Неверный логин или пароль")
        for _ in range(4):  # at once again: within the (doubling) delay the account says "wait"
            tab.type("still-not-it")
            tab.press("Enter")
            tab.settle(quiet_ms=250)
            if "Повторите через" in tab.text():
                break
        tab.wait_for("Повторите через")
    finally:
        close(tab)
    def logged() -> list[tuple]:
        return query(env.path, "SELECT outcome, origin, address FROM login_event WHERE login = ? ORDER BY id", login)

    # the session writes its login events itself; on a loaded machine that may trail the tab
    rows = wait_until(lambda: logged() if ("wait", "web", "127.0.0.1") in logged() else [], 15, what="the login events")
    assert ("bad_password", "web", "127.0.0.1") in rows
    assert ("wait", "web", "127.0.0.1") in rows


def test_max_sessions_refuses_the_extra_one(env: Env, tmp_path: Path) -> None:
    import asyncio

    import aiohttp

    server = start_web(env.url, tmp_path, "--max-sessions", "1")
    first = None
    try:
        first = Tab(env.browser.new_context(viewport={"width": 800, "height": 600}).new_page()).open(server.url)  # type: ignore[attr-defined]
        first.wait_for("Логин")
        second = env.browser.new_context().new_page()  # type: ignore[attr-defined]
        response = second.goto(server.url)
        assert response is not None and response.status == 503
        assert "Сервер занят" in second.locator("#notice").inner_text()
        second.context.close()

        async def websocket() -> tuple[str, object]:
            async with aiohttp.ClientSession() as session, session.ws_connect(server.url + "ws") as ws:
                message = await ws.receive(timeout=20)
                text = message.data.decode("utf-8") if isinstance(message.data, bytes) else str(message.data)
                closing = await ws.receive(timeout=20)
                return text, closing.type

        with ThreadPoolExecutor(1) as pool:  # Playwright's loop runs in this thread
            text, closing = pool.submit(asyncio.run, websocket()).result(60)
        assert "Сервер занят" in text
        assert closing == aiohttp.WSMsgType.CLOSE
    finally:
        if first is not None:
            first.page.context.close()
        server.stop()


def test_a_strict_server_ends_idle_sessions_and_refuses_a_failing_address(env: Env, tmp_path: Path) -> None:
    from tui_journal.db.database import sqlite_url
    from tui_journal.db.demo import build_demo

    # A database of its own: the other tests' failed logins from 127.0.0.1 must not count here.
    path = tmp_path / "strict.db"
    build_demo(sqlite_url(path), size="tiny")
    login, password = env.logins["student"]
    server = start_web(sqlite_url(path), tmp_path, "--block-after", "2", env={"TUI_JOURNAL_IDLE_MINUTES": "0.05"})
    try:
        tab = Tab(env.browser.new_context().new_page()).open(server.url)  # type: ignore[attr-defined]
        try:
            tab.login(login, password)
            tab.wait_for("Дневник")
            # 3 s without a key: the app ends the session, the page says so
            tab.page.wait_for_selector("body.-closed", timeout=20_000)
            assert tab.page.locator("#closed").is_visible()
        finally:
            tab.page.context.close()
        rows = query(path, "SELECT outcome, origin, address FROM login_event WHERE login = ? ORDER BY id", login)
        assert rows[-1] == ("idle", "web", "127.0.0.1")

        tab = Tab(env.browser.new_context().new_page()).open(server.url)  # type: ignore[attr-defined]
        try:
            tab.login("nobody-here", "wrong")
            tab.wait_for("Неверный логин или пароль")
            tab.settle()
            tab.type("wrong again")
            tab.press("Enter")
            tab.settle()
            tab.type("and again")
            tab.press("Enter")
            tab.wait_for("Слишком много неудачных попыток с этого адреса")
        finally:
            tab.page.context.close()
        page = env.browser.new_context().new_page()  # type: ignore[attr-defined]
        response = page.goto(server.url)
        assert response is not None and response.status == 429
        assert "слишком много неудачных входов" in page.locator("#notice").inner_text()
        page.context.close()
    finally:
        server.stop()
