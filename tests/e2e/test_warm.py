"""The warm session server (``python -m tui_journal.ssh.warm``) as real processes: sessions
forked from it on ptys the test opens, a session killed or crashing while the others go on,
the socket's mode and its refusals, and ``tui-journal attach`` (light, and its fallback)."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import socket
import stat
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pytest

from tui_journal.ssh import attach
from tui_journal.ssh.warm import EXIT_CRASH, peer_allowed

from .helpers import (
    REPO,
    WAIT,
    DemoSchool,
    build_demo_school,
    children_of,
    shared_tmp,
    tmux_server,
    wait_until,
)

pytestmark = pytest.mark.e2e


@dataclass
class Warm:
    proc: subprocess.Popen[str]
    socket: Path
    school: DemoSchool
    folder: Path


def start_warm(folder: Path, url: str) -> tuple[subprocess.Popen[str], Path]:
    path = folder / "run" / "warm.sock"
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui_journal.ssh.warm", "--socket", str(path), "--db", url],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith("READY"), f"the warm server did not start: {line!r}"
    return proc, path


@pytest.fixture(scope="module")
def warm() -> Iterator[Warm]:
    folder = shared_tmp("tj-e2e-warm-")
    school = build_demo_school(folder)
    proc, path = start_warm(folder, school.url)
    try:
        yield Warm(proc, path, school, folder)
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


class Session:
    """One session requested the way ``attach`` does, on a pty the test holds."""

    def __init__(self, path: Path, extra: dict[str, object] | None = None) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.sock = attach.connect(str(path))
        header = {**attach.request({"TERM": "xterm-256color", "SSH_CONNECTION": "10.9.8.7 5000 127.0.0.1 22"},
                                   size=(80, 24)), **(extra or {})}
        attach.send_request(self.sock, header, [slave, slave, slave])
        os.close(slave)
        answer = attach.read_message(self.sock)
        assert answer is not None and "pid" in answer, answer
        self.pid = int(answer["pid"])
        self.seen = b""

    def read_until(self, needle: str, timeout: float = WAIT) -> bytes:
        want = needle.encode()
        deadline = time.monotonic() + timeout
        while want not in self.seen:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {needle!r} from session {self.pid}; got {self.seen[-400:]!r}")
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    self.seen += os.read(self.master, 65536)
                except OSError:
                    break
        assert want in self.seen
        return self.seen

    def resize(self, cols: int, rows: int) -> None:
        self.seen = b""
        fcntl.ioctl(self.master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def exit_message(self, timeout: float = WAIT) -> dict[str, object]:
        self.sock.settimeout(timeout)
        while True:
            message = attach.read_message(self.sock)
            assert message is not None, "the warm server closed the connection without an exit"
            if "exit" in message:
                return message

    def close(self) -> None:
        self.sock.close()
        os.close(self.master)


def parent_of(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("PPid:"):
            return int(line.split()[1])
    raise AssertionError("no PPid")


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def gone(pid: int) -> bool:
    return not alive(pid)


def test_the_socket_is_private(warm: Warm) -> None:
    info = warm.socket.lstat()
    assert stat.S_ISSOCK(info.st_mode)
    assert stat.S_IMODE(info.st_mode) == 0o600
    assert info.st_uid == os.geteuid()
    assert peer_allowed(os.geteuid(), own=os.geteuid())
    assert peer_allowed(0, own=1000)  # root may ask
    assert not peer_allowed(1001, own=1000)


def test_sessions_are_forked_by_the_warm_server_and_own_their_terminal(warm: Warm) -> None:
    session = Session(warm.socket)
    try:
        assert parent_of(session.pid) == warm.proc.pid
        session.read_until("Пароль")  # the journal's login screen
        assert os.getsid(session.pid) == session.pid  # a session of its own
        # The pty is its controlling terminal: a window-size change reaches it (SIGWINCH).
        session.resize(100, 30)
        session.read_until("Пароль")
    finally:
        session.close()
    wait_until(lambda: not alive(session.pid), 15, what="the hung-up session to end")


def test_a_killed_or_crashing_session_takes_down_only_itself(warm: Warm) -> None:
    first, second = Session(warm.socket), Session(warm.socket)
    try:
        first.read_until("Пароль")
        second.read_until("Пароль")
        os.kill(first.pid, signal.SIGKILL)
        assert first.exit_message() == {"exit": 128 + signal.SIGKILL}
        # A session that raises (a NUL byte in the ticket folder's name: ValueError from
        # the path functions, nothing catches it) ends with its own status and a traceback.
        crashing = Session(warm.socket, {"ticket": "a" * 64, "ticket_dir": "/tmp/x\0y"})
        assert crashing.exit_message() == {"exit": EXIT_CRASH}
        assert b"Traceback" in crashing.read_until("ValueError")
        crashing.close()
        assert warm.proc.poll() is None, "the warm server died with its session"
        assert alive(second.pid)
        second.resize(90, 28)  # and it still answers
        second.read_until("Пароль")
        third = Session(warm.socket)  # new sessions still start
        third.read_until("Пароль")
        third.close()
    finally:
        first.close()
        second.close()
    wait_until(lambda: not alive(second.pid), 15, what="the hung-up session to end")
    # Every ended session is reaped: no zombies left under the warm server (the last ones
    # hung up just now; on a loaded machine their ending takes a moment).
    wait_until(
        lambda: not [pid for pid in children_of(warm.proc.pid) if Path(f"/proc/{pid}").exists()],
        15,
        what="every ended session to be reaped",
    )


def test_requests_beyond_the_start_slots_wait_their_turn_and_all_start(warm: Warm) -> None:
    """More requests at once than cores: the later ones wait for a slot, none is lost."""
    sessions = [Session(warm.socket) for _ in range(6)]
    try:
        for session in sessions:
            session.read_until("Пароль")
            assert parent_of(session.pid) == warm.proc.pid
    finally:
        for session in sessions:
            session.close()
    for session in sessions:
        wait_until(partial(gone, session.pid), 15, what="the hung-up sessions to end")


def test_a_request_without_a_terminal_is_refused(warm: Warm) -> None:
    read_end, write_end = os.pipe()
    sock = attach.connect(str(warm.socket))
    try:
        attach.send_request(sock, attach.request({"TERM": "xterm"}, size=(80, 24)), [read_end, write_end, write_end])
        assert attach.read_message(sock) == {"error": "no terminal"}
    finally:
        sock.close()
        os.close(read_end)
        os.close(write_end)
    assert warm.proc.poll() is None


def test_another_account_is_refused_even_when_the_socket_is_open(warm: Warm) -> None:
    if os.geteuid() != 0 or not Path("/usr/bin/python3").exists():
        pytest.skip("needs root (runuser) and a system python3")
    folder = warm.socket.parent
    old_dir, old_sock = folder.stat().st_mode, warm.socket.stat().st_mode
    os.chmod(folder, 0o755)
    os.chmod(warm.socket, 0o666)  # a mistake by the administrator: the uid check still holds
    try:
        probe = (
            "import socket,sys\n"
            "s=socket.socket(socket.AF_UNIX,socket.SOCK_SEQPACKET)\n"
            f"s.connect({str(warm.socket)!r})\n"
            "s.settimeout(10)\n"
            "print(s.recv(4096).decode() or 'closed')\n"
        )
        result = subprocess.run(
            ["runuser", "-u", "nobody", "--", "/usr/bin/python3", "-c", probe],
            capture_output=True, text=True, timeout=30, cwd="/",
        )
    finally:
        os.chmod(warm.socket, stat.S_IMODE(old_sock))
        os.chmod(folder, stat.S_IMODE(old_dir))
    assert "forbidden" in result.stdout, result.stdout + result.stderr
    assert warm.proc.poll() is None


def test_attach_imports_neither_textual_nor_the_app() -> None:
    code = "import sys;from tui_journal.cli import main;sys.exit(main(['attach','--help']))"
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True, text=True, timeout=60, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 0, result.stderr
    assert "--socket" in result.stdout
    imported = [line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line]
    assert "tui_journal.ssh.attach" in imported
    heavy = [m for m in imported if m.split(".")[0] in ("textual", "rich", "peewee", "asyncssh", "argon2")
             or m in ("tui_journal.app", "tui_journal.cli.core", "tui_journal.db")]
    assert not heavy, heavy


def test_attach_runs_the_session_through_the_warm_server_and_ends_with_it(warm: Warm) -> None:
    with tmux_server(warm.folder) as mux:
        python = f"PYTHONPATH={REPO} {sys.executable}"
        name = mux.start(f"{python} -m tui_journal attach --socket {warm.socket}")
        mux.wait_for(name, "Пароль")
        mux.keys(name, "F10")
        assert mux.exit_code(name) == 0
        # No warm server at that socket: the app is started directly (the old way).
        name = mux.start(f"{python} -m tui_journal attach --socket {warm.folder}/none.sock --db {warm.school.url}")
        mux.wait_for(name, "Пароль")
        mux.keys(name, "F10")
        assert mux.exit_code(name) == 0


def test_a_dead_warm_server_leaves_a_stale_socket_that_a_new_one_replaces(warm: Warm) -> None:
    folder = shared_tmp("tj-e2e-warm2-")
    try:
        proc, path = start_warm(folder, warm.school.url)
        proc.kill()
        proc.wait(10)
        assert path.exists()  # killed: no clean-up
        with pytest.raises(OSError):
            attach.connect(str(path)).close()
        proc, path = start_warm(folder, warm.school.url)
        attach.connect(str(path)).close()
        proc.terminate()
        proc.wait(15)
        assert not path.exists()  # stopped: the socket is removed
    finally:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


def test_the_peer_check_reads_the_kernel_credentials(tmp_path: Path) -> None:
    from tui_journal.ssh.warm import peer_uid

    a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    with a, b:
        assert peer_uid(a) == os.geteuid()


def test_attach_sessions_outlive_a_killed_warm_server(warm: Warm) -> None:
    folder = shared_tmp("tj-e2e-warm3-")
    try:
        proc, path = start_warm(folder, warm.school.url)
        with tmux_server(folder) as mux:
            name = mux.start(f"PYTHONPATH={REPO} {sys.executable} -m tui_journal attach --socket {path}")
            mux.wait_for(name, "Пароль")
            proc.kill()
            proc.wait(10)
            time.sleep(0.5)
            assert "EXIT=" not in mux.screen(name)  # attach waits for the session, not the server
            # the session still answers: F1 opens its help, F10 ends it cleanly
            mux.keys(name, "F1")
            mux.wait_for(name, "выданные администратором")
            mux.keys(name, "F10")
            assert mux.exit_code(name) == 0
    finally:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
