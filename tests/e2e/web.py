"""Driving ``tui-journal serve web`` with Debian's Chromium through Playwright.

The page draws the terminal on a canvas, so the tests read the screen the way the browser
does: an init script keeps every byte the websocket brings, and :mod:`pyte` (a terminal
emulator) replays them into a screen of the size the page asked for. Clicks go to the
middle of a cell, found from that screen and the terminal's box on the page.
"""

from __future__ import annotations

import base64
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.helpers import REPO

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WAIT = 45.0  # generous: the suite runs two workers on two cores
PORTS = range(8100, 8200)  # this branch's ports on the shared machine

# Keeps the websocket's bytes (base64 chunks) and the size the page asked for.
CAPTURE = """
(() => {
  const Native = window.WebSocket;
  window.__tj = {chunks: [], size: null};
  function Capturing(url, protocols) {
    const ws = protocols === undefined ? new Native(url) : new Native(url, protocols);
    const query = new URL(url).searchParams;
    if (query.get("width")) window.__tj.size = [+query.get("width"), +query.get("height")];
    ws.addEventListener("message", (event) => {
      if (typeof event.data === "string") return;
      const bytes = new Uint8Array(event.data);
      let text = "";
      for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
      window.__tj.chunks.push(btoa(text));
    });
    const send = ws.send.bind(ws);
    ws.send = (data) => {
      try { const m = JSON.parse(data); if (m[0] === "resize") window.__tj.size = [m[1].width, m[1].height]; } catch (e) {}
      return send(data);
    };
    return ws;
  }
  Capturing.prototype = Native.prototype;
  Object.assign(Capturing, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
  window.WebSocket = Capturing;
})();
"""


def require_browser() -> Any:
    """Playwright's sync API, or skip (the CI installs chromium and playwright)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install playwright)")
    return sync_playwright


def free_port() -> int:
    """A free port in this branch's range."""
    for port in PORTS:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8100-8199")


@dataclass
class WebServer:
    proc: subprocess.Popen[str]
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)


def start_web(db_url: str, folder: Path, *extra: str, env: dict[str, str] | None = None) -> WebServer:
    log = folder / f"web-{time.monotonic_ns()}.log"
    for _ in range(5):
        port = free_port()
        with log.open("w") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "tui_journal", "serve", "web", "--db", db_url,
                 "--host", "127.0.0.1", "--port", str(port), *extra],
                cwd=REPO,
                stdout=out,
                stderr=subprocess.STDOUT,
                text=True,
                env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
            )  # fmt: skip
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline and proc.poll() is None:
            if "Журнал в браузере" in log.read_text():
                return WebServer(proc, port, log)
            time.sleep(0.1)
        proc.kill()
        proc.wait(5)
    raise AssertionError(f"serve web did not start: {log.read_text()}")


@dataclass
class Tab:
    """One browser tab on the journal; :meth:`screen` is what it shows, as text lines."""

    page: Any
    _seen: int = 0
    _screen: Any = None
    _stream: Any = None
    size: tuple[int, int] = (0, 0)
    downloads: list[Any] = field(default_factory=list)

    def open(self, url: str) -> Tab:
        self.page.add_init_script(CAPTURE)
        self.page.on("download", lambda download: self.downloads.append(download))
        self.page.goto(url)
        return self

    def _feed(self) -> None:
        import pyte

        chunks: list[str] = self.page.evaluate(f"window.__tj ? window.__tj.chunks.slice({self._seen}) : []")
        size = self.page.evaluate("window.__tj ? window.__tj.size : null")
        if size and (self._screen is None or tuple(size) != self.size):
            if self._screen is None:
                self._screen = pyte.Screen(*size)
                self._stream = pyte.ByteStream(self._screen)
            else:
                self._screen.resize(size[1], size[0])
            self.size = (size[0], size[1])
        if self._stream is None:
            return
        for chunk in chunks:
            self._stream.feed(base64.b64decode(chunk))
        self._seen += len(chunks)

    def screen(self) -> list[str]:
        self._feed()
        return list(self._screen.display) if self._screen is not None else []

    def text(self) -> str:
        return "\n".join(self.screen())

    def wait_for(self, pattern: str, timeout: float = WAIT) -> re.Match[str]:
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            found = regex.search(self.text())
            if found:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"«{pattern}» not on the screen after {timeout:.0f} s:\n{self.text()}")
            self.page.wait_for_timeout(100)

    def wait_until(self, check: Callable[[str], bool], what: str, timeout: float = WAIT) -> None:
        deadline = time.monotonic() + timeout
        while not check(self.text()):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}:\n{self.text()}")
            self.page.wait_for_timeout(100)

    def settle(self, quiet_ms: int = 400, timeout: float = WAIT) -> None:
        """Wait until the page has received nothing for ``quiet_ms`` (the app finished drawing)."""
        deadline = time.monotonic() + timeout
        count = -1
        while time.monotonic() < deadline:
            now = self.page.evaluate("window.__tj ? window.__tj.chunks.length : 0")
            if now == count:
                return
            count = now
            self.page.wait_for_timeout(quiet_ms)

    def received(self) -> int:
        """Bytes the websocket has brought so far."""
        return int(self.page.evaluate("window.__tj.chunks.map(c => atob(c).length).reduce((a, b) => a + b, 0)"))

    def locate(self, text: str) -> tuple[int, int]:
        """(column, row) of the first cell of ``text`` on the screen."""
        for row, line in enumerate(self.screen()):
            col = line.find(text)
            if col >= 0:
                return col, row
        raise AssertionError(f"«{text}» is not on the screen:\n{self.text()}")

    def click_cell(self, col: int, row: int) -> None:
        box = self.page.locator(".xterm-screen").bounding_box()
        cols, rows = self.size
        self.page.mouse.click(
            box["x"] + (col + 0.5) * box["width"] / cols, box["y"] + (row + 0.5) * box["height"] / rows
        )

    def click_text(self, text: str) -> None:
        self.settle()
        col, row = self.locate(text)
        self.click_cell(col + 1, row)

    def focus(self) -> None:
        self.page.locator(".xterm-helper-textarea").focus()

    def type(self, text: str) -> None:
        self.page.keyboard.type(text, delay=10)

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)

    def login(self, login: str, password: str) -> None:
        self.wait_for("Логин")
        self.focus()
        self.type(login)
        self.press("Enter")
        self.page.wait_for_timeout(300)
        self.type(password)
        self.press("Enter")
