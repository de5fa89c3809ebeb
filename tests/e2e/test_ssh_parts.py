"""The SSH pieces on their own (fast, no sshd): the per-address throttle, the one-time
session tickets, the sshd block, and the console commands ``ssh-config`` and
``user key``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import asyncssh
import pytest

from tui_journal.db.database import open_database, sqlite_url, upgrade
from tui_journal.services.school import create_school_with_admin
from tui_journal.ssh import openssh, tickets
from tui_journal.ssh.server import plain_address, safe_term
from tui_journal.ssh.throttle import AddressThrottle, ThrottlePolicy

from . import cli
from .helpers import REPO

# --- the throttle -------------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_throttle_slows_then_blocks_then_forgets() -> None:
    clock = Clock()
    throttle = AddressThrottle(
        ThrottlePolicy(slow_after=2, base_delay=1.0, max_delay=4.0, block_after=6, block_seconds=60, window=300),
        clock=clock,
    )
    delays = []
    for _ in range(5):
        assert not throttle.failed("10.0.0.1")
        delays.append(throttle.delay("10.0.0.1"))
    assert delays == [0.0, 0.0, 1.0, 2.0, 4.0]
    assert throttle.delay("10.0.0.2") == 0.0  # another address is not affected
    assert throttle.failed("10.0.0.1")  # the sixth failure blocks
    assert throttle.is_blocked("10.0.0.1") and not throttle.is_blocked("10.0.0.2")
    clock.now += 61
    assert not throttle.is_blocked("10.0.0.1")
    clock.now += 300
    assert throttle.failures("10.0.0.1") == 0 and throttle.delay("10.0.0.1") == 0.0


def test_throttle_memory_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(AddressThrottle, "MAX_ADDRESSES", 50)
    throttle = AddressThrottle(ThrottlePolicy(block_after=100))
    for i in range(500):
        throttle.failed(f"10.0.{i // 256}.{i % 256}")
    assert len(throttle._records) <= 50


def test_safe_term() -> None:
    assert safe_term("putty-256color") == "putty-256color"
    assert safe_term("linux") == "linux"
    assert safe_term("") == "xterm"
    assert safe_term("xterm\x1b[31m") == "xterm"
    assert safe_term("x" * 100) == "xterm"


def test_plain_address() -> None:
    assert plain_address("::ffff:192.168.1.5") == "192.168.1.5"
    assert plain_address("2001:db8::1") == "2001:db8::1"


# --- tickets ------------------------------------------------------------------------------------


def test_ticket_works_once(tmp_path: Path) -> None:
    folder = tmp_path / "tickets"
    name = tickets.issue(folder, "ivanova", "10.0.0.7", "password")
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    assert oct((folder / name).stat().st_mode & 0o777) == "0o600"
    ticket = tickets.redeem(folder, name)
    assert (ticket.login, ticket.address, ticket.method) == ("ivanova", "10.0.0.7", "password")
    with pytest.raises(tickets.TicketError):
        tickets.redeem(folder, name)


def test_ticket_refusals(tmp_path: Path) -> None:
    folder = tmp_path / "tickets"
    name = tickets.issue(folder, "ivanova", "", "publickey")
    with pytest.raises(tickets.TicketError):
        tickets.redeem(folder, "../../etc/passwd")
    with pytest.raises(tickets.TicketError):
        tickets.redeem(folder, "0" * 64)  # a name nobody issued
    with pytest.raises(tickets.TicketError):
        tickets.redeem(folder, name, now=10**10)  # stale
    name = tickets.issue(folder, "ivanova", "", "publickey")
    folder.chmod(0o755)  # a folder others may read is not trusted
    with pytest.raises(tickets.TicketError):
        tickets.redeem(folder, name)
    folder.chmod(0o700)
    (folder / name).chmod(0o644)
    with pytest.raises(tickets.TicketError):
        tickets.redeem(folder, name)
    target = tmp_path / "planted"
    target.write_text('{"login": "admin", "address": "", "method": "password", "created": 0}')
    link = "a" * 64
    os.symlink(target, folder / link)
    with pytest.raises(tickets.TicketError):
        tickets.redeem(folder, link)


def test_ticket_name_travels_through_a_pipe(tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    os.write(write_end, b"ab" * 32)
    os.close(write_end)
    assert tickets.read_name(read_end) == "ab" * 32


def _session(args: list[str], *, pass_fds: tuple[int, ...] = (), tty: bool = True) -> tuple[int, str]:
    """Run ``python -m tui_journal.ssh`` (on a pty when ``tty``); its exit status and output."""
    import pty

    if not tty:
        result = subprocess.run(
            [sys.executable, "-m", "tui_journal.ssh", *args], pass_fds=pass_fds, capture_output=True,
            text=True, timeout=60, stdin=subprocess.DEVNULL,
        )
        return result.returncode, result.stdout + result.stderr
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui_journal.ssh", *args], pass_fds=pass_fds, stdin=slave, stdout=slave,
        stderr=slave, start_new_session=True,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    return proc.wait(30), b"".join(chunks).decode("utf-8", "replace")


def test_the_session_refuses_a_forged_ticket(tmp_path: Path) -> None:
    folder = tickets.prepare_dir(tmp_path / "tickets")
    read_end, write_end = os.pipe()
    os.write(write_end, b"f" * 64)  # a well-formed name that the server never issued
    os.close(write_end)
    code, output = _session(["--ticket-fd", str(read_end), "--ticket-dir", str(folder)], pass_fds=(read_end,))
    os.close(read_end)
    assert code == 1
    assert "Сеанс не начат" in output


def test_the_session_needs_a_terminal() -> None:
    code, output = _session(["--db", "sqlite:////nonexistent/x.db"], tty=False)
    assert code == 1 and "терминал" in output


# --- the sshd block ---------------------------------------------------------------------------


def test_block_quotes_the_command_and_rejects_odd_accounts() -> None:
    command = openssh.session_command("/opt/tui journal/bin/python", config="/etc/tui-journal/config.toml")
    assert command == "'/opt/tui journal/bin/python' -m tui_journal.ssh --config /etc/tui-journal/config.toml"
    block = openssh.sshd_block("journal", command)
    assert "Match User journal" in block and f"ForceCommand {command}" in block
    assert block.rstrip().endswith("Match all")  # lines appended later are global again
    with pytest.raises(ValueError):
        openssh.sshd_block("journal teachers")
    command = openssh.attach_command("/opt/tj/bin/python", socket="/run/tui-journal/warm.sock", config="/etc/tj.toml")
    assert command == "exec /opt/tj/bin/python -m tui_journal attach --socket /run/tui-journal/warm.sock --config /etc/tj.toml"
    assert "-m tui_journal attach" in openssh.sshd_block("journal")  # the default: through the warm server


def test_closed_folders(tmp_path: Path) -> None:
    closed = tmp_path / "closed"
    (closed / "bin").mkdir(parents=True)
    closed.chmod(0o700)
    assert closed in openssh.closed_folders(closed / "bin" / "python")
    closed.chmod(0o755)


def test_sshd_accepts_the_block(tmp_path: Path) -> None:
    sshd = Path("/usr/sbin/sshd")
    if not sshd.exists() or os.geteuid() != 0:
        pytest.skip("needs /usr/sbin/sshd and root")
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(tmp_path / "hk")], check=True)
    config = tmp_path / "sshd_config"
    config.write_text(f"HostKey {tmp_path / 'hk'}\nPidFile none\n" + openssh.sshd_block("journal"))
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    result = subprocess.run([str(sshd), "-t", "-f", str(config)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# --- the console commands -------------------------------------------------------------------------


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def test_ssh_config_prints_the_block(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run_cli(capsys, "ssh-config", "--user", "uchitel", "--python", "/opt/tj/bin/python",
                           "--db", "sqlite:////srv/journal.db")
    assert code == 0
    assert "Match User uchitel" in out
    assert (
        "ForceCommand exec /opt/tj/bin/python -m tui_journal attach --socket /run/tui-journal/warm.sock"
        " --db sqlite:////srv/journal.db" in out
    )
    code, out, _ = run_cli(capsys, "ssh-config", "--python", "/opt/tj/bin/python", "--socket", "/run/tj/w.sock")
    assert "ForceCommand exec /opt/tj/bin/python -m tui_journal attach --socket /run/tj/w.sock\n" in out
    code, out, _ = run_cli(capsys, "ssh-config", "--python", "/opt/tj/bin/python", "--direct")
    assert "ForceCommand /opt/tj/bin/python -m tui_journal.ssh\n" in out
    code, out, _ = run_cli(capsys, "ssh-config", "--command", "/usr/local/sbin/journal-session")
    assert "ForceCommand /usr/local/sbin/journal-session" in out
    code, _, _ = run_cli(capsys, "ssh-config", "--user", "a b")
    assert code == 2


def test_help_lists_the_commands() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tests.e2e.cli", "--help"], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert "ssh-config" in result.stdout and "serve" in result.stdout
    result = subprocess.run(
        [sys.executable, "-m", "tests.e2e.cli", "user", "key", "--help"], cwd=REPO, capture_output=True, text=True,
        timeout=60,
    )
    assert "add" in result.stdout and "remove" in result.stdout


def test_user_key_commands(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUI_JOURNAL_CONFIG", str(tmp_path / "none.toml"))
    url = sqlite_url(tmp_path / "journal.db")
    db = open_database(url, check_schema=False)
    upgrade(db)
    create_school_with_admin("СОШ № 7", "admin", ("Петров", "Пётр", "Петрович"), "Admin-pass-2026")
    db.close()
    key = asyncssh.generate_private_key("ssh-ed25519", comment="дом")
    pub = tmp_path / "id.pub"
    pub.write_bytes(key.export_public_key("openssh"))
    code, out, _ = run_cli(capsys, "user", "key", "add", "admin", str(pub), "--db", url)
    assert code == 0 and "SHA256:" in out
    code, out, _ = run_cli(capsys, "user", "key", "list", "admin", "--db", url)
    assert code == 0 and key.get_fingerprint() in out and "дом" in out
    code, _, err = run_cli(capsys, "user", "key", "add", "admin", str(pub), "--db", url)
    assert code == 1 and "уже есть" in err
    private = tmp_path / "id"
    private.write_bytes(key.export_private_key())
    code, _, err = run_cli(capsys, "user", "key", "add", "admin", str(private), "--db", url)
    assert code == 1 and "закрытый" in err
    code, out, _ = run_cli(capsys, "user", "key", "remove", "admin", key.get_fingerprint(), "--db", url)
    assert code == 0
    code, out, _ = run_cli(capsys, "user", "key", "list", "admin", "--db", url)
    assert code == 0 and "нет ключей" in out
