"""OpenSSH, the supported path: a private ``sshd`` on 127.0.0.1 with the block that
``tui-journal ssh-config`` prints, the real ``ssh`` client inside tmux at 80x24.

The forced command is ``tui-journal attach``, which hands the session's pty to a warm
session server (``python -m tui_journal.ssh.warm``) running as the forced account, as in
production.

The forced account is ``tjtest`` (created here when missing), a system account that is not
root. This checkout's virtual environment may lie where it cannot go (inside root's home,
FACTS.md), so the test makes a Python it can run: a venv of the system ``python3`` (same
minor version) that sees this checkout and the packages of the running environment through
a ``.pth`` file. Only when that is impossible does the test fall back to root: the block
under test is the same, only its ``Match User`` differs.
"""

from __future__ import annotations

import fcntl
import os
import pwd
import shlex
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from .helpers import (
    REPO,
    DemoSchool,
    Tmux,
    build_demo_school,
    children_of,
    enter_mark,
    free_port,
    journal_section_listed,
    login_through_form,
    query,
    require_binaries,
    shared_tmp,
    ssh_command,
    tmux_server,
    wait_until,
)

pytestmark = pytest.mark.e2e

ACCOUNT = "tjtest"


@dataclass
class OpenSsh:
    folder: Path
    port: int
    account: str
    school: DemoSchool
    mux: Tmux
    key: Path
    block: str
    warm: subprocess.Popen[str]

    def ssh(self, *extra: str, tty: bool = True) -> str:
        args = ["-F", "/dev/null", "-p", str(self.port), "-i", str(self.key), "-o", "BatchMode=yes"]
        if tty:
            args.append("-tt")
        return ssh_command(*args, f"{self.account}@127.0.0.1", *extra)


def _ensure_account() -> None:
    """``useradd`` the test account once (under a lock: test workers run in parallel)."""
    with open("/tmp/tj-e2e-useradd.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            pwd.getpwnam(ACCOUNT)
        except KeyError:
            subprocess.run(
                ["useradd", "--system", "--create-home", "--shell", "/bin/sh", ACCOUNT],
                check=True,
                capture_output=True,
            )
        # "*": no password, but not locked ("!"), which sshd without PAM would refuse.
        subprocess.run(["usermod", "-p", "*", ACCOUNT], check=True, capture_output=True)


SYSTEM_PYTHON = "/usr/bin/python3"


def _readable_python(folder: Path) -> str | None:
    """A Python another account can run, seeing this checkout first: a venv of the system
    python3 in ``folder/py`` whose ``.pth`` adds this checkout and the running environment's
    packages (compiled ones need the same minor version). None when there is none."""
    if not Path(SYSTEM_PYTHON).exists():
        return None
    version = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import sys;print('%d.%d' % sys.version_info[:2])"], capture_output=True, text=True
    ).stdout.strip()
    if version != f"{sys.version_info[0]}.{sys.version_info[1]}":
        return None
    venv = folder / "py"
    made = subprocess.run([SYSTEM_PYTHON, "-m", "venv", "--without-pip", str(venv)], capture_output=True)
    if made.returncode != 0:
        return None
    site = venv / "lib" / f"python{version}" / "site-packages"
    (site / "tj-e2e.pth").write_text(f"{REPO}\n{sysconfig.get_paths()['purelib']}\n")
    subprocess.run(["chmod", "-R", "a+rX", str(venv)], check=True)
    return str(venv / "bin" / "python")


def _forced_account(python: str) -> str:
    """tjtest when it can run ``python`` and import the journal, else root."""
    _ensure_account()
    check = subprocess.run(
        ["runuser", "-u", ACCOUNT, "--", python, "-c", "import tui_journal.app, tui_journal.ssh.warm"],
        capture_output=True,
        cwd="/",
        timeout=60,
    )
    return ACCOUNT if check.returncode == 0 else "root"


def _start_warm(python: str, account: str, socket_path: Path, config: Path) -> subprocess.Popen[str]:
    """The warm session server, run as the forced account (the socket is its alone)."""
    pw = pwd.getpwnam(account)
    proc = subprocess.Popen(
        [python, "-m", "tui_journal.ssh.warm", "--socket", str(socket_path), "--config", str(config)],
        cwd="/", stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        user=pw.pw_uid, group=pw.pw_gid, extra_groups=[],
        env={"PATH": "/usr/bin:/bin", "HOME": pw.pw_dir, "USER": account, "LANG": "C.UTF-8"},
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith("READY"), f"the warm server did not start: {line!r}"
    return proc


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tests.e2e.cli", *args], cwd=REPO, capture_output=True, text=True, timeout=60
    )


@pytest.fixture(scope="module")
def openssh() -> Iterator[OpenSsh]:
    tools = require_binaries("sshd", "ssh", "ssh-keygen", "tmux")
    if os.geteuid() != 0:
        pytest.skip("a private sshd needs root to switch to the forced account (CI runs as root)")
    folder = shared_tmp("tj-e2e-openssh-")
    python = _readable_python(folder) or sys.executable
    account = _forced_account(python)
    school = build_demo_school(folder)
    config = folder / "config.toml"
    config.write_text(f'db_url = "{school.url}"\nexports_dir = "{folder / "exports"}"\n', encoding="utf-8")
    pw = pwd.getpwnam(account)
    for path in [folder, *folder.iterdir()]:
        os.chown(path, pw.pw_uid, pw.pw_gid)
    for name in ("hostkey", "client"):
        subprocess.run([tools["ssh-keygen"], "-q", "-t", "ed25519", "-N", "", "-f", str(folder / name)], check=True)
    (folder / "authorized_keys").write_text((folder / "client.pub").read_text())
    warm_socket = folder / "run" / "warm.sock"
    printed = _cli("ssh-config", "--user", account, "--config", str(config), "--python", python,
                   "--socket", str(warm_socket))
    assert printed.returncode == 0, printed.stderr
    block = printed.stdout
    port = free_port()
    sshd_config = folder / "sshd_config"
    sshd_config.write_text(
        "\n".join(
            [
                f"Port {port}",
                "ListenAddress 127.0.0.1",
                f"HostKey {folder / 'hostkey'}",
                "PidFile none",
                f"AuthorizedKeysFile {folder / 'authorized_keys'}",
                "StrictModes no",
                "UsePAM no",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PubkeyAuthentication yes",
                "PermitRootLogin prohibit-password",
                f"AllowUsers {account}",
                "LogLevel VERBOSE",
                "",
                block,
            ]
        )
    )
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege-separation folder
    checked = subprocess.run([tools["sshd"], "-t", "-f", str(sshd_config)], capture_output=True, text=True)
    assert checked.returncode == 0, f"sshd -t refused the printed block: {checked.stderr}"
    warm = _start_warm(python, account, warm_socket, config)
    log = open(folder / "sshd.log", "wb")
    sshd = subprocess.Popen([tools["sshd"], "-D", "-e", "-f", str(sshd_config)], stdout=log, stderr=log)
    try:
        import socket

        def listening() -> bool:
            with socket.socket() as sock:
                return sock.connect_ex(("127.0.0.1", port)) == 0

        wait_until(listening, 15, what="sshd to listen")
        with tmux_server(folder) as mux:
            yield OpenSsh(folder, port, account, school, mux, folder / "client", block, warm)
    finally:
        for proc in (sshd, warm):
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


def test_the_printed_block_forbids_what_it_should(openssh: OpenSsh) -> None:
    block = openssh.block
    assert f"Match User {openssh.account}" in block
    for line in (
        "ForceCommand ",
        "DisableForwarding yes",
        "AllowTcpForwarding no",
        "AllowAgentForwarding no",
        "X11Forwarding no",
        "PermitTunnel no",
        "PermitUserRC no",
        "PermitTTY yes",
        "Compression yes",
    ):
        assert line in block
    assert "-m tui_journal attach --socket " in block


def test_teacher_logs_in_and_leaving_ends_the_session(openssh: OpenSsh) -> None:
    """Also: a command given to ssh is not run — the session is the journal all the same."""
    mux, school = openssh.mux, openssh.school
    name = mux.start(openssh.ssh("echo", "SHELL-REACHED;", "id"))
    shown = mux.wait_for(name, "Пароль")
    assert "SHELL-REACHED" not in shown and "uid=" not in shown
    # Ctrl+C, Ctrl+Z, Ctrl+\ on the login screen: no signal, no prompt, still the form.
    mux.keys(name, "C-c", "C-z", "C-\\")
    time.sleep(0.5)
    assert "Пароль" in mux.screen(name)
    home = login_through_form(mux, name, school.teacher, school.teacher_password)
    assert "Полякова" in home or "Роли" in home
    mux.keys(name, "C-z", "C-c")
    time.sleep(0.5)
    assert "Разделы" in mux.screen(name)
    mux.text(name, "\x1b[21~")  # F10 as PuTTY sends it
    assert mux.exit_code(name) == 0  # the app ended, and with it the SSH session
    assert "SHELL-REACHED" not in mux.screen(name)
    rows = query(
        school.path,
        "SELECT outcome, origin, address FROM login_event WHERE login = ? ORDER BY id",
        school.teacher,
    )
    assert ("ok", "ssh", "127.0.0.1") in rows
    assert rows[-1] == ("logout", "ssh", "127.0.0.1")


def test_teacher_enters_a_mark_in_the_grid(openssh: OpenSsh) -> None:
    mux, school = openssh.mux, openssh.school
    name = mux.start(openssh.ssh())
    home = login_through_form(mux, name, school.teacher, school.teacher_password)
    assert journal_section_listed(home), home  # the journal section must be there, not skipped
    enter_mark(mux, name, home)
    mux.keys(name, "F10")
    assert mux.exit_code(name) == 0

    def saved() -> list[tuple]:
        return query(
            school.path,
            "SELECT actor_name, origin, address, new_value FROM audit_entry "
            "WHERE entity = 'cell' AND origin = 'ssh' AND new_value LIKE '%4%'",
        )

    rows = wait_until(saved, 10, what="the mark in the audit log")
    assert (school.teacher, "ssh", "127.0.0.1") == tuple(rows[0][:3])


def test_without_a_terminal_nothing_runs(openssh: OpenSsh) -> None:
    result = subprocess.run(
        shlex.split(openssh.ssh("echo SHELL-REACHED", tty=False)),
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert "SHELL-REACHED" not in result.stdout
    assert result.returncode == 1
    assert "терминал" in result.stderr


def test_forwarding_is_refused(openssh: OpenSsh) -> None:
    command = openssh.ssh("-N", "-o", "ExitOnForwardFailure=yes", "-R", f"0:127.0.0.1:{openssh.port}", tty=False)
    result = subprocess.run(shlex.split(command), capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert result.returncode != 0
    assert "forwarding failed" in result.stderr.lower() or "prohibited" in result.stderr.lower()


def test_a_lost_connection_ends_and_records_the_session(openssh: OpenSsh) -> None:
    mux, school = openssh.mux, openssh.school
    name = mux.start(openssh.ssh())
    login_through_form(mux, name, school.teacher, school.teacher_password)
    before = query(school.path, "SELECT COUNT(*) FROM login_event WHERE outcome = 'lost'")[0][0]
    clients = children_of(mux.pane_pid(name))
    assert clients, "no ssh client under the tmux pane"
    for pid in clients:
        os.kill(pid, signal.SIGKILL)

    def recorded() -> bool:
        rows = query(
            school.path,
            "SELECT origin, address FROM login_event WHERE outcome = 'lost' AND login = ?",
            school.teacher,
        )
        return len(rows) > before and rows[-1] == ("ssh", "127.0.0.1")

    wait_until(recorded, 15, what="the lost session in the login log")


def test_sessions_are_forked_by_the_warm_server_as_the_forced_account(openssh: OpenSsh) -> None:
    """``attach`` handed the pty over: the session process is the warm server's child, runs
    as the forced account, and the pty is its controlling terminal (the window follows)."""
    mux = openssh.mux
    before = set(children_of(openssh.warm.pid))
    name = mux.start(openssh.ssh())
    mux.wait_for(name, "Пароль")
    sessions = set(children_of(openssh.warm.pid)) - before
    assert len(sessions) == 1
    (pid,) = sessions
    uid = os.stat(f"/proc/{pid}").st_uid
    assert uid == pwd.getpwnam(openssh.account).pw_uid
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    assert int(fields[3]) == pid, "the session does not lead a session of its own"
    assert int(fields[4]) != 0, "the pty is not the session's controlling terminal"
    mux.resize(name, 100, 30)

    def footer_at_the_bottom() -> bool:
        lines = mux.screen(name).rstrip("\n").split("\n")
        return len(lines) == 30 and "F10" in lines[29]

    wait_until(footer_at_the_bottom, 15, what="the session to take the new window size")
    mux.keys(name, "F10")
    assert mux.exit_code(name) == 0
