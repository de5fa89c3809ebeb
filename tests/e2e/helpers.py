"""What the end-to-end tests share: a private tmux, free ports, demo databases, waiting.

Everything listens on and connects to 127.0.0.1 only. Each tmux runs on a socket of its
own, so parallel test workers never see each other's sessions; processes are stopped by
their own id.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest

from tui_journal.db.database import sqlite_url

REPO = Path(__file__).resolve().parents[2]
WAIT = 25.0  # seconds: generous, the CI machine has 2 cores and runs tests in parallel
# The letters Textual draws input borders, scrollbars and the header icon with; the Linux
# console cannot show them (textual issue 5011).
BLOCK_GLYPHS = set("▁▂▃▄▅▆▇█▉▊▋▌▍▎▏▔▕▐▀")
# SGR colours beyond the 16 basic ones: 256-colour (38;5 / 48;5) and truecolor (38;2 / 48;2).
RICH_COLOUR = re.compile(r"\x1b\[[0-9;]*(?:38|48);[25];")


def require_binaries(*names: str) -> dict[str, str]:
    """Absolute paths of the tools, or skip the test (the CI installs them all)."""
    found: dict[str, str] = {}
    for name in names:
        path = shutil.which(name) or (f"/usr/sbin/{name}" if Path(f"/usr/sbin/{name}").exists() else None)
        if path is None:
            pytest.skip(f"{name} is not installed (apt-get install openssh-server openssh-client tmux)")
        found[name] = path
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


T = TypeVar("T")


def wait_until(check: Callable[[], T], timeout: float = WAIT, step: float = 0.1, what: str = "") -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what or check}")
        time.sleep(step)


def shared_tmp(prefix: str) -> Path:
    """A scratch folder that other local accounts may enter (the forced account reads the
    database and writes its journal there); pytest's own tmp folders are private."""
    path = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    path.chmod(0o755)
    return path


# --- the demo school -------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoSchool:
    path: Path
    url: str
    teacher: str
    teacher_password: str


def build_demo_school(folder: Path) -> DemoSchool:
    """A ``tiny`` demo school in ``folder/journal.db``; its 7А teacher (math) logs in."""
    from tui_journal.db.demo import build_demo, demo_logins

    path = folder / "journal.db"
    url = sqlite_url(path)
    build_demo(url, size="tiny")
    teacher = next(x for x in demo_logins() if x.role == "teacher")
    return DemoSchool(path=path, url=url, teacher=teacher.login, teacher_password=teacher.password)


def query(path: Path, sql: str, *params: object) -> list[tuple]:
    """Read the database file directly, not through the code under test."""
    con = sqlite3.connect(path, timeout=10)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


# --- tmux ------------------------------------------------------------------------------------


class Tmux:
    """One tmux server on a private socket, one window of 80x24 per :meth:`start`."""

    def __init__(self, folder: Path, tmux: str = "tmux") -> None:
        self.tmux = tmux
        self.socket = folder / "tmux.sock"
        self.env = {
            **os.environ,
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "TERM": "xterm-256color",
        }
        self._count = 0

    def run(self, *args: str, check: bool = True) -> str:
        result = subprocess.run(
            [self.tmux, "-u", "-S", str(self.socket), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=15,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)}: {result.stderr.strip()}")
        return result.stdout

    def start(self, command: str, *, width: int = 80, height: int = 24) -> str:
        """Run ``command`` in a new window; its exit status is printed as ``EXIT=<n>`` and
        the window stays open so that the screen can still be read."""
        self._count += 1
        name = f"s{self._count}"
        wrapped = f"{command}; echo EXIT=$?; sleep 600"
        self.run("new-session", "-d", "-s", name, "-x", str(width), "-y", str(height), wrapped)
        return name

    def screen(self, name: str, *, escapes: bool = False) -> str:
        args = ["capture-pane", "-p", "-t", name]
        if escapes:
            args.insert(2, "-e")
        return self.run(*args)

    def keys(self, name: str, *keys: str) -> None:
        self.run("send-keys", "-t", name, *keys)

    def text(self, name: str, text: str) -> None:
        """Type ``text`` literally (Cyrillic too), or send raw bytes such as PuTTY's F10."""
        self.run("send-keys", "-t", name, "-l", text)

    def resize(self, name: str, width: int, height: int) -> None:
        self.run("resize-window", "-t", name, "-x", str(width), "-y", str(height))

    def wait_for(self, name: str, needle: str | Callable[[str], bool], timeout: float = WAIT) -> str:
        def check() -> str | None:
            shown = self.screen(name)
            ok = needle(shown) if callable(needle) else needle in shown
            return shown if ok else None

        try:
            return str(wait_until(check, timeout, what=repr(needle)))
        except AssertionError:
            raise AssertionError(f"waiting for {needle!r}; the screen was:\n{self.screen(name)}") from None

    def exit_code(self, name: str, timeout: float = WAIT) -> int:
        shown = self.wait_for(name, lambda s: re.search(r"EXIT=\d+", s) is not None, timeout)
        match = re.search(r"EXIT=(\d+)", shown)
        assert match is not None
        return int(match.group(1))

    def pane_pid(self, name: str) -> int:
        return int(self.run("display-message", "-p", "-t", name, "#{pane_pid}").strip())

    def close(self) -> None:
        self.run("kill-server", check=False)


@contextlib.contextmanager
def tmux_server(folder: Path) -> Iterator[Tmux]:
    paths = require_binaries("tmux")
    mux = Tmux(folder, paths["tmux"])
    try:
        yield mux
    finally:
        mux.close()


def children_of(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(x) for x in text.split()]


def ssh_command(*args: str, env: dict[str, str] | None = None) -> str:
    """A shell command line running the real ``ssh`` client with ``args``."""
    prefix = ["env", *(f"{k}={v}" for k, v in (env or {}).items())] if env else []
    common = ["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR"]
    return " ".join(shlex.quote(a) for a in [*prefix, "ssh", *common, *args])


def askpass(folder: Path, password: str) -> dict[str, str]:
    """Environment that makes ``ssh`` answer its password prompts with ``password``."""
    script = folder / f"askpass-{abs(hash(password))}.sh"
    script.write_text(f"#!/bin/sh\nprintf '%s\\n' {shlex.quote(password)}\n")
    script.chmod(0o700)
    return {"SSH_ASKPASS": str(script), "SSH_ASKPASS_REQUIRE": "force", "DISPLAY": ":0"}


def login_through_form(mux: Tmux, name: str, login: str, password: str) -> str:
    """Fill the journal's own login screen; returns the home screen."""
    mux.wait_for(name, "Пароль")
    time.sleep(0.3)  # the form takes the focus just after its first frame
    mux.text(name, login)
    mux.keys(name, "Enter")
    time.sleep(0.3)  # textual moves the focus on its next turn, not at once
    mux.text(name, password)
    mux.keys(name, "Enter")
    return mux.wait_for(name, "Разделы")


def journal_section_listed(screen: str) -> bool:
    return "Классный журнал" in screen


def enter_mark(mux: Tmux, name: str, home: str) -> str:
    """From the home screen: «Классный журнал» → 7А algebra → clear the cursor's cell and
    type 4. Returns the grid's screen after the save."""
    lines = [line.strip() for line in home.splitlines()]
    start = lines.index("Разделы") + 1
    sections = [line for line in lines[start:] if line][:10]
    index = sections.index("Классный журнал")
    for _ in range(index):
        mux.keys(name, "Down")
    mux.keys(name, "Enter")
    mux.wait_for(name, "Журналов:")
    mux.text(name, "7а алг")
    time.sleep(0.3)
    mux.keys(name, "Enter")
    mux.wait_for(name, "Ученик")
    mux.keys(name, "Delete")
    time.sleep(0.5)
    mux.text(name, "4")
    return mux.wait_for(name, "Сохранено")
