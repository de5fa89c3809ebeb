"""OpenSSH, the supported path: a private ``sshd`` on 127.0.0.1 with the block that
``tui-journal ssh-config`` prints, the real ``ssh`` client inside tmux at 80x24.

The forced account is ``tjtest`` (created here when missing), or root when ``tjtest`` cannot
run this checkout's Python (a virtual environment inside root's home, FACTS.md): the block
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


def _forced_account() -> str:
    """tjtest when it can run this Python and import the journal, else root."""
    _ensure_account()
    check = subprocess.run(
        ["runuser", "-u", ACCOUNT, "--", sys.executable, "-c", "import tui_journal.ssh.session"],
        capture_output=True,
        cwd="/",
        timeout=60,
    )
    return ACCOUNT if check.returncode == 0 else "root"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tests.e2e.cli", *args], cwd=REPO, capture_output=True, text=True, timeout=60
    )


@pytest.fixture(scope="module")
def openssh() -> Iterator[OpenSsh]:
    tools = require_binaries("sshd", "ssh", "ssh-keygen", "tmux")
    if os.geteuid() != 0:
        pytest.skip("a private sshd needs root to switch to the forced account (CI runs as root)")
    account = _forced_account()
    folder = shared_tmp("tj-e2e-openssh-")
    school = build_demo_school(folder)
    config = folder / "config.toml"
    config.write_text(f'db_url = "{school.url}"\nexports_dir = "{folder / "exports"}"\n', encoding="utf-8")
    pw = pwd.getpwnam(account)
    for path in [folder, *folder.iterdir()]:
        os.chown(path, pw.pw_uid, pw.pw_gid)
    for name in ("hostkey", "client"):
        subprocess.run([tools["ssh-keygen"], "-q", "-t", "ed25519", "-N", "", "-f", str(folder / name)], check=True)
    (folder / "authorized_keys").write_text((folder / "client.pub").read_text())
    printed = _cli("ssh-config", "--user", account, "--config", str(config))
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
    log = open(folder / "sshd.log", "wb")
    sshd = subprocess.Popen([tools["sshd"], "-D", "-e", "-f", str(sshd_config)], stdout=log, stderr=log)
    try:
        import socket

        def listening() -> bool:
            with socket.socket() as sock:
                return sock.connect_ex(("127.0.0.1", port)) == 0

        wait_until(listening, 15, what="sshd to listen")
        with tmux_server(folder) as mux:
            yield OpenSsh(folder, port, account, school, mux, folder / "client", block)
    finally:
        sshd.send_signal(signal.SIGTERM)
        try:
            sshd.wait(10)
        except subprocess.TimeoutExpired:
            sshd.kill()
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
    assert "-m tui_journal.ssh" in block


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
    assert (school.teacher, "ssh", "127.0.0.1") == tuple(rows[0][:3])  # type: ignore[index]


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
