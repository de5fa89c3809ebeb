"""The ``sshd_config`` block for OpenSSH, the supported way to reach the journal
(``tui-journal ssh-config``; the installation steps are in ``docs/ssh.md``).

One shared system account (``journal`` by default) whose every session is forced into the
journal: the client's command, sftp and ``~/.ssh/rc`` are never run, nothing is forwarded
(ports, sockets, the agent, X11, tunnels), a terminal is allowed, and compression is on.
The journal then shows its own login screen; the client's address comes from
``SSH_CONNECTION`` into the login record.

The forced command is ``tui-journal attach`` (:mod:`tui_journal.ssh.attach`): it hands the
session's terminal to the warm session server (``tui-journal serve warm``, running as the
same account), which forks a ready session in a fraction of the time a fresh Python takes;
without a warm server it starts the app itself.
"""

from __future__ import annotations

import os
import shlex
import stat
import sys
from pathlib import Path

DEFAULT_ACCOUNT = "journal"


def attach_command(
    python: str | None = None,
    *,
    socket: str | None = None,
    config: str | None = None,
    db: str | None = None,
) -> str:
    """The forced command through the warm server:
    ``exec <python> -m tui_journal attach [--socket PATH] [--config FILE] [--db URL]``.

    ``exec``: sshd runs the command through the account's shell, which may fork it instead of
    replacing itself; only the session leader can hand its terminal over to the session
    process (then the kernel's SIGWINCH and SIGHUP reach that process directly)."""
    parts = [python or sys.executable, "-m", "tui_journal", "attach"]
    if socket:
        parts += ["--socket", socket]
    if config:
        parts += ["--config", config]
    if db:
        parts += ["--db", db]
    return "exec " + " ".join(shlex.quote(p) for p in parts)


def session_command(
    python: str | None = None, *, config: str | None = None, db: str | None = None
) -> str:
    """The forced command without a warm server:
    ``<python> -m tui_journal.ssh [--config FILE] [--db URL]``."""
    parts = [python or sys.executable, "-m", "tui_journal.ssh"]
    if config:
        parts += ["--config", config]
    if db:
        parts += ["--db", db]
    return " ".join(shlex.quote(p) for p in parts)


def closed_folders(path: str | os.PathLike[str]) -> list[Path]:
    """Folders on the way to ``path`` (links followed) that other accounts cannot enter:
    a program there cannot be run by the shared account (FACTS: a venv in root's home)."""
    closed: list[Path] = []
    try:
        real = Path(path).resolve()
    except OSError:
        return closed
    for folder in reversed(real.parents):
        try:
            mode = folder.stat().st_mode
        except OSError:
            continue
        if not mode & stat.S_IXOTH:
            closed.append(folder)
    return closed


def sshd_block(account: str = DEFAULT_ACCOUNT, command: str | None = None) -> str:
    """The ready ``sshd_config`` text: a global ``Compression`` line and a ``Match`` block."""
    if not account or any(c.isspace() or c in "\"'," for c in account):
        raise ValueError(f"недопустимое имя учётной записи: {account!r}")
    forced = command or attach_command()
    return f"""\
# --- tui-journal: вход в электронный журнал по SSH («tui-journal ssh-config») ---
# Допишите в конец /etc/ssh/sshd_config (после других блоков Match), затем проверьте и
# перечитайте настройки: sshd -t && systemctl reload ssh. Порядок установки: docs/ssh.md.

# Сжатие: по медленному каналу экран журнала уходит в 10-20 раз меньшим.
# (Так и по умолчанию; включите сжатие и в клиенте: ssh -C, в PuTTY «Enable compression».)
Compression yes

Match User {account}
    # Любой сеанс этой учётной записи — только журнал: команда клиента, sftp и ~/.ssh/rc
    # не выполняются. Журнал показывает свой вход (логин и пароль учителя).
    ForceCommand {forced}
    PermitUserRC no
    PermitTTY yes
    # Никаких пересылок: ни портов, ни сокетов, ни агента, ни X11, ни туннелей.
    DisableForwarding yes
    AllowTcpForwarding no
    AllowStreamLocalForwarding no
    AllowAgentForwarding no
    X11Forwarding no
    PermitTunnel no
    GatewayPorts no
    PermitOpen none
    PermitListen none
    # Оборванная связь замечается за 2 минуты; журнал записывает конец сеанса.
    ClientAliveInterval 30
    ClientAliveCountMax 4
    MaxSessions 1
    MaxAuthTries 4
# Конец блока tui-journal: строки ниже снова относятся ко всем.
Match all
"""
