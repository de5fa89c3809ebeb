"""The built-in server (``tui-journal serve ssh``) with the real ``ssh`` client in tmux:
a password login on a PuTTY terminal, a key login on the Linux console, refusals, and an
address that keeps failing being slowed down and then blocked."""

from __future__ import annotations

import io
import os
import re
import shlex
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from . import cli
from .helpers import (
    BLOCK_GLYPHS,
    REPO,
    RICH_COLOUR,
    DemoSchool,
    Tmux,
    askpass,
    build_demo_school,
    enter_mark,
    journal_section_listed,
    query,
    require_binaries,
    ssh_command,
    tmux_server,
    wait_until,
)

pytestmark = pytest.mark.e2e

LISTENING = re.compile(r"слушает 127\.0\.0\.1:(\d+); отпечаток ключа сервера (SHA256:\S+)")


@dataclass
class Server:
    proc: subprocess.Popen[str]
    port: int
    fingerprint: str

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)


def start_server(url: str, state_dir: Path, *extra: str, env: dict[str, str] | None = None) -> Server:
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "tests.e2e.cli", "serve", "ssh", "--host", "127.0.0.1", "--port", "0",
            "--state-dir", str(state_dir), "--db", url, *extra,
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, **(env or {})},
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        match = LISTENING.search(line)
        if match:
            return Server(proc, int(match.group(1)), match.group(2))
    proc.kill()
    raise AssertionError("the server did not start")


@dataclass
class Env:
    folder: Path
    school: DemoSchool
    server: Server
    mux: Tmux

    def ssh(self, login: str, *extra: str, env: dict[str, str] | None = None, key: Path | None = None,
            tty: bool = True) -> str:
        args = ["-F", "/dev/null", "-p", str(self.server.port)]
        if key is not None:
            args += ["-i", str(key), "-o", "BatchMode=yes", "-o", "PreferredAuthentications=publickey"]
        else:
            args += ["-o", "PubkeyAuthentication=no", "-o", "PreferredAuthentications=password",
                     "-o", "NumberOfPasswordPrompts=1"]
        if tty:
            args.append("-tt")
        return ssh_command(*args, f"{login}@127.0.0.1", *extra, env=env)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    require_binaries("ssh", "ssh-keygen", "tmux")
    folder = tmp_path_factory.mktemp("builtin")
    school = build_demo_school(folder)
    server = start_server(school.url, folder / "state")
    try:
        with tmux_server(folder) as mux:
            yield Env(folder, school, server, mux)
    finally:
        server.stop()


def _run(command: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        shlex.split(command), capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL
    )


def _teacher_key(env: Env) -> Path:
    key = env.folder / "teacher_key"
    if not key.exists():
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key), "-C", "каб. 12"], check=True)
        assert cli.main(["user", "key", "add", env.school.teacher, f"{key}.pub", "--db", env.school.url]) == 0
    return key


def test_host_key_is_created_private(env: Env) -> None:
    key = env.folder / "state" / "ssh_host_ed25519_key"
    assert key.is_file()
    assert key.stat().st_mode & 0o077 == 0


def test_password_login_on_putty_starts_logged_in(env: Env) -> None:
    """PuTTY (TERM=putty): 16 colours only; the window grows and the app follows."""
    mux, school = env.mux, env.school
    secret = askpass(env.folder, school.teacher_password)
    name = mux.start(env.ssh(school.teacher, env={**secret, "TERM": "putty"}))
    home = mux.wait_for(name, "Разделы")
    assert "Пароль" not in home  # no second login: the server's check was the login
    assert not RICH_COLOUR.search(mux.screen(name, escapes=True)), "more than 16 colours on a putty terminal"
    mux.resize(name, 100, 30)

    def footer_at_the_bottom() -> bool:
        lines = mux.screen(name).rstrip("\n").split("\n")
        return len(lines) == 30 and "F10" in lines[29]

    wait_until(footer_at_the_bottom, 15, what="the app to take the new window size")
    mux.text(name, "\x1b[21~")  # F10 as PuTTY sends it
    assert mux.exit_code(name) == 0
    rows = query(school.path, "SELECT outcome, origin, address FROM login_event WHERE login = ?", school.teacher)
    assert ("ok", "ssh", "127.0.0.1") in rows
    assert rows[-1] == ("logout", "ssh", "127.0.0.1")


def test_key_login_on_the_linux_console(env: Env) -> None:
    """A key registered with ``tui-journal user key add``; TERM=linux: no block glyphs."""
    mux, school = env.mux, env.school
    key = _teacher_key(env)
    name = mux.start(env.ssh(school.teacher, key=key, env={"TERM": "linux"}))
    home = mux.wait_for(name, "Разделы")
    assert not BLOCK_GLYPHS & set(home)
    if journal_section_listed(home):
        grid = enter_mark(mux, name, home)
        assert not BLOCK_GLYPHS & set(grid), f"block glyphs on the Linux console:\n{grid}"
    mux.keys(name, "F10")
    assert mux.exit_code(name) == 0
    rows = query(school.path, "SELECT outcome, origin, address FROM login_event WHERE login = ?", school.teacher)
    assert rows.count(("ok", "ssh", "127.0.0.1")) >= 1
    if journal_section_listed(home):
        marks = query(
            school.path,
            "SELECT actor_name, address FROM audit_entry WHERE entity = 'cell' AND origin = 'ssh' AND new_value LIKE '%4%'",
        )
        assert (school.teacher, "127.0.0.1") in marks


def test_a_one_time_password_leads_to_the_change_screen(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server accepts a one-time password; the session opens on the change screen, and
    Esc there logs out to the journal's login form (no way around the change)."""
    mux, school = env.mux, env.school
    secretary = "avdeeva.ev"
    monkeypatch.setattr(sys, "stdin", io.StringIO("Odin-raz-2026\n"))
    assert cli.main(["user", "passwd", secretary, "--one-time", "--password-stdin", "--db", school.url]) == 0
    name = mux.start(env.ssh(secretary, env=askpass(env.folder, "Odin-raz-2026")))
    mux.wait_for(name, "Пароль одноразовый")
    time.sleep(0.3)
    mux.keys(name, "Escape")
    mux.wait_for(name, "Логин")
    mux.keys(name, "F10")
    assert mux.exit_code(name) == 0
    rows = query(school.path, "SELECT outcome, origin FROM login_event WHERE login = ?", secretary)
    assert ("must_change", "ssh") in rows


def test_a_wrong_password_is_refused(env: Env) -> None:
    director = "nosova.sm"  # not the teacher: his account's own delay would slow the other tests
    result = _run(env.ssh(director, "true", env=askpass(env.folder, "not-the-password"), tty=False))
    assert result.returncode == 255
    assert "Permission denied" in result.stderr
    rows = query(env.school.path, "SELECT outcome, origin, address FROM login_event WHERE login = ?", director)
    assert rows[-1] == ("bad_password", "ssh", "127.0.0.1")


def test_commands_sftp_and_forwarding_are_refused(env: Env) -> None:
    key = _teacher_key(env)
    teacher = env.school.teacher
    result = _run(env.ssh(teacher, "echo", "SHELL-REACHED", key=key, tty=False))
    assert result.returncode == 255 and "SHELL-REACHED" not in result.stdout
    assert "exec request failed" in result.stderr
    result = _run(env.ssh(teacher, "-s", "sftp", key=key, tty=False))
    assert result.returncode == 255 and "subsystem request failed" in result.stderr
    result = _run(env.ssh(teacher, "-N", "-o", "ExitOnForwardFailure=yes", "-R", "0:127.0.0.1:9", key=key, tty=False))
    assert result.returncode != 0 and "forwarding failed" in result.stderr.lower()
    result = _run(env.ssh(teacher, key=key, tty=False))  # a shell without a pty
    assert result.returncode == 1 and "терминал" in result.stdout + result.stderr


def test_a_strict_server_ends_idle_sessions_and_blocks_failing_addresses(env: Env) -> None:
    """A second server on the same state folder (so the host key must be the same one), with
    a 3-second idle limit and stricter address limits: answers slow down after the first
    failure, the fourth failure blocks the address."""
    key = _teacher_key(env)
    server = start_server(
        env.school.url, env.folder / "state", "--slow-after", "1", "--block-after", "4",
        env={"TUI_JOURNAL_IDLE_MINUTES": "0.05"},
    )
    try:
        assert server.fingerprint == env.server.fingerprint
        probe = Env(env.folder, env.school, server, env.mux)
        # idle: the app ends the session by itself, and records why
        name = env.mux.start(probe.ssh(env.school.teacher, key=key))
        env.mux.wait_for(name, "Разделы")
        assert env.mux.exit_code(name, timeout=30) == 0
        rows = query(env.school.path, "SELECT outcome FROM login_event WHERE login = ?", env.school.teacher)
        assert rows[-1] == ("idle",)

        wrong = askpass(env.folder, "guess-123")
        took = []
        for _ in range(4):
            started = time.monotonic()
            result = _run(probe.ssh("nobody.here", "true", env=wrong, tty=False))
            took.append(time.monotonic() - started)
            assert result.returncode == 255
        # the held-back answers: 1 s after the second failure, 2 s after the third
        assert took[1] >= 1.0 and took[2] >= 2.0, f"not slowed down: {took}"
        # Blocked: even the right password of a real account is refused, at once, unchecked.
        count = "SELECT COUNT(*) FROM login_event WHERE login = ?"
        before = query(env.school.path, count, env.school.teacher)[0][0]
        result = _run(probe.ssh(env.school.teacher, "true", env=askpass(env.folder, env.school.teacher_password), tty=False))
        assert result.returncode == 255
        assert query(env.school.path, count, env.school.teacher)[0][0] == before
        # an unknown login is kept by its length only (it may be a password typed there)
        assert query(env.school.path, count, "неизвестный (11 знаков)")[0][0] == 4
        assert query(env.school.path, count, "nobody.here")[0][0] == 0
    finally:
        server.stop()


def _warm_server_of(server: Server) -> int:
    from .helpers import children_of

    for pid in children_of(server.proc.pid):
        if b"tui_journal.ssh.warm" in Path(f"/proc/{pid}/cmdline").read_bytes():
            return pid
    raise AssertionError("serve ssh started no warm session server")


def test_sessions_are_forked_by_the_warm_server(env: Env) -> None:
    """The session process is a child of the warm server that ``serve ssh`` started, not a
    fresh interpreter: its parent is the warm server, its command line the warm server's."""
    from .helpers import children_of

    mux, school = env.mux, env.school
    warm = _warm_server_of(env.server)
    before = set(children_of(warm))
    name = mux.start(env.ssh(school.teacher, key=_teacher_key(env)))
    mux.wait_for(name, "Разделы")
    sessions = set(children_of(warm)) - before
    assert len(sessions) == 1
    (pid,) = sessions
    assert Path(f"/proc/{pid}/cmdline").read_bytes() == Path(f"/proc/{warm}/cmdline").read_bytes()
    mux.keys(name, "F10")
    assert mux.exit_code(name) == 0


def test_a_logged_in_connection_without_a_session_is_closed(env: Env) -> None:
    """``ssh -N``: authenticated, no session. The server closes it after the login timeout
    (here 2 s) instead of keeping it forever."""
    import asyncio

    import asyncssh

    server = start_server(env.school.url, env.folder / "state-timeout", "--login-timeout", "2", "--no-warm")

    async def connect_and_wait() -> bool:
        conn = await asyncssh.connect(
            "127.0.0.1", server.port, username=env.school.teacher, password=env.school.teacher_password,
            known_hosts=None, client_keys=None, agent_path=None, preferred_auth="password",
        )
        try:
            await asyncio.wait_for(conn.wait_closed(), 30)
            return True
        except asyncio.TimeoutError:
            return False
        finally:
            conn.close()

    try:
        assert asyncio.run(connect_and_wait()), "the connection without a session stayed open"
    finally:
        server.stop()


def test_password_checks_survive_their_worker_processes_being_killed(env: Env) -> None:
    """The password workers (a process pool) are killed; the next password login still
    works (that check in a thread, new workers started meanwhile)."""
    import contextlib
    import signal

    def pool_workers() -> list[int]:
        # Children of any of the server's threads (new workers come from a helper thread).
        found = []
        for task in Path(f"/proc/{env.server.proc.pid}/task").iterdir():
            with contextlib.suppress(OSError):
                found += [int(x) for x in (task / "children").read_text().split()]
        return [pid for pid in found if b"multiprocessing.spawn" in Path(f"/proc/{pid}/cmdline").read_bytes()]

    workers = pool_workers()
    assert workers, "no password worker processes"
    for pid in workers:
        os.kill(pid, signal.SIGKILL)
    mux, school = env.mux, env.school
    name = mux.start(env.ssh(school.teacher, env=askpass(env.folder, school.teacher_password)))
    mux.wait_for(name, "Разделы")
    mux.keys(name, "F10")
    assert mux.exit_code(name) == 0

    def new_workers() -> list[int]:
        return [pid for pid in pool_workers() if pid not in workers]

    wait_until(new_workers, 30, what="new password workers")


def test_a_killed_warm_server_leaves_its_sessions_running_and_comes_back(env: Env) -> None:
    import signal

    from .helpers import children_of

    mux, school = env.mux, env.school
    key = _teacher_key(env)
    warm = _warm_server_of(env.server)
    name = mux.start(env.ssh(school.teacher, key=key))
    mux.wait_for(name, "Разделы")
    os.kill(warm, signal.SIGKILL)
    time.sleep(1.0)
    mux.resize(name, 90, 28)  # the session still answers, on its own now

    def footer_at_the_bottom() -> bool:
        lines = mux.screen(name).rstrip("\n").split("\n")
        return len(lines) == 28 and "F10" in lines[27]

    wait_until(footer_at_the_bottom, 15, what="the orphaned session to redraw")
    mux.keys(name, "F10")
    assert mux.exit_code(name) == 0

    def new_warm() -> int | None:
        try:
            pid = _warm_server_of(env.server)
        except AssertionError:
            return None
        return pid if pid != warm else None

    again = wait_until(new_warm, 30, what="a new warm server")
    assert again is not None
    def listening() -> bool:
        from tui_journal.ssh import attach

        try:
            attach.connect(str(env.folder / "state" / "warm.sock")).close()
        except OSError:
            return False
        return True

    wait_until(listening, 60, what="the new warm server to listen")
    time.sleep(1.0)  # serve ssh reads its READY line
    before = set(children_of(again))
    name = mux.start(env.ssh(school.teacher, key=key))
    mux.wait_for(name, "Разделы")
    assert set(children_of(again)) - before, "the new session is not the new warm server's"
    mux.keys(name, "F10")
    assert mux.exit_code(name) == 0


def test_a_killed_server_leaves_no_warm_server_behind(env: Env) -> None:
    import signal

    from .helpers import children_of

    server = start_server(env.school.url, env.folder / "state-killed")
    warm = _warm_server_of(server)
    helpers = [pid for pid in children_of(server.proc.pid) if pid != warm]
    server.proc.send_signal(signal.SIGKILL)
    server.proc.wait(10)

    def gone() -> bool:
        return not any(Path(f"/proc/{pid}").exists() for pid in [warm, *helpers])

    wait_until(gone, 30, what="the warm server and the password workers to stop with their parent")
