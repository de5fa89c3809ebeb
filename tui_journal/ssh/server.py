"""The built-in SSH server: ``tui-journal serve ssh`` (asyncssh), for schools that do not
want system accounts.

- Users log in with their journal login as the SSH user name and their journal password
  (through :func:`~tui_journal.services.auth.authenticate`, origin ``ssh``, the client's
  address: the account's delay and lock and the login log apply), or with a public key
  registered by ``tui-journal user key add`` (:mod:`tui_journal.services.ssh_keys`).
- An address that keeps failing is slowed down, then blocked for a while
  (:mod:`tui_journal.ssh.throttle`, in memory).
- Each session gets a pseudo-terminal and a process of its own, already logged in through
  a one-time ticket (:mod:`tui_journal.ssh.tickets`), so a crash in one session never
  touches another. The process is forked by the warm session server
  (:mod:`tui_journal.ssh.warm`, started by ``serve ssh`` itself or given with
  ``--warm-socket``), which has Textual and the app imported already; without one, a fresh
  ``python -m tui_journal.ssh`` is started (slower). Window size changes reach it as
  SIGWINCH: the pty is the child's controlling terminal.
- Password checks (argon2) run in a pool of worker processes, one per core
  (:mod:`tui_journal.ssh.authpool`), so that 30 logins at once do not stall the server.
- A connection that has logged in but opens no session (``ssh -N``) is closed after the
  login timeout, as is one whose sessions have all ended.
- Only an interactive shell with a pty is accepted: commands (exec), subsystems (sftp),
  port, socket, agent and X11 forwarding are refused.
- Sessions end when the app ends (idle timeout, F10), when the client goes away (the child
  gets SIGHUP, then SIGKILL if it lingers), and as a last resort after
  ``idle_minutes`` + 1 without a single byte from the client.
- The host key is created on first start (Ed25519, mode 0600) and kept in the state folder.

This module: the configuration, the host key, what the connections share and :func:`serve`;
one connection is :mod:`.connection`, one session :mod:`.pty_session`, the warm server's
handling :mod:`.warm_link`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import asyncssh

from tui_journal.config import Settings
from tui_journal.private import write_private
from tui_journal.ssh import tickets
from tui_journal.ssh.connection import JournalSSHServer, plain_address
from tui_journal.ssh.pty_session import KILL_AFTER, MAX_INPUT_BACKLOG, READ_CHUNK, PtySession, safe_term
from tui_journal.ssh.throttle import AddressThrottle, ThrottlePolicy
from tui_journal.ssh.warm_link import (
    WarmChild,
    WarmKeeper,
    start_warm_server,
    stop_warm_server,
    warm_server_ready,
)

__all__ = [
    "KILL_AFTER",
    "MAX_INPUT_BACKLOG",
    "READ_CHUNK",
    "JournalSSHServer",
    "PtySession",
    "ServerConfig",
    "ServerState",
    "WarmChild",
    "WarmKeeper",
    "load_or_create_host_key",
    "plain_address",
    "safe_term",
    "serve",
    "start_warm_server",
    "stop_warm_server",
    "warm_server_ready",
]

log = logging.getLogger("tui_journal.ssh.server")

HOST_KEY_NAME = "ssh_host_ed25519_key"
COMPRESSION = ("zlib@openssh.com", "zlib", "none")
T = TypeVar("T")


@dataclass
class ServerConfig:
    settings: Settings
    state_dir: Path
    host: str = "0.0.0.0"
    port: int = 2222
    throttle: ThrottlePolicy = field(default_factory=ThrottlePolicy)
    max_sessions: int = 100
    child_args: tuple[str, ...] = ()  # --db/--config passed on to the sessions
    python: str = sys.executable
    login_timeout: float = 60.0
    keepalive_interval: float = 30.0
    warm_socket: Path | None = None  # an existing warm server's socket
    start_warm: bool = True  # else: without one given, every session is a fresh process
    auth_workers: int = 0  # password-check processes (0: one per core; negative: threads)

    @property
    def own_warm_socket(self) -> Path:
        return self.state_dir / "warm.sock"

    @property
    def ticket_dir(self) -> Path:
        return self.state_dir / "tickets"

    @property
    def host_key_path(self) -> Path:
        return self.state_dir / HOST_KEY_NAME

    @property
    def idle_backstop(self) -> float:
        """Seconds without a byte from the client after which the server ends a session
        (0: never). The app's own idle timeout (``idle_minutes``) comes first."""
        minutes = float(self.settings.idle_minutes)
        return minutes * 60.0 + 60.0 if minutes > 0 else 0.0


def load_or_create_host_key(path: Path) -> asyncssh.SSHKey:
    """The server's host key; on first start an Ed25519 key is made and saved (mode 0600)."""
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        key = asyncssh.generate_private_key("ssh-ed25519", comment="tui-journal")
        data = key.export_private_key("openssh")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return asyncssh.read_private_key(path)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        write_private(path.with_name(path.name + ".pub"), key.export_public_key("openssh"))
        log.info("создан ключ сервера %s", path)
        return key
    mode = path.stat().st_mode
    if mode & 0o077:
        os.chmod(path, 0o600)
    return asyncssh.read_private_key(path)


class ServerState:
    """What the connections share: the throttle, the executor, the live sessions."""

    def __init__(self, config: ServerConfig, auth_pool: Executor | None = None) -> None:
        self.config = config
        self.throttle = AddressThrottle(config.throttle)
        self.executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="tj-ssh-db")
        self.auth_pool = auth_pool
        self._pool_restarting = False
        self.warm_socket: Path | None = config.warm_socket
        self.sessions: set[PtySession] = set()
        self.connections: set[JournalSSHServer] = set()

    async def check_password(self, username: str, password: str, address: str) -> tuple[str | None, str]:
        """(login or None, outcome) of the journal's password check, in a worker process
        when there is a pool, else in a thread."""
        from tui_journal.ssh import authpool

        lock_after = self.config.settings.lock_after
        answer = None
        if self.auth_pool is not None:
            loop = asyncio.get_running_loop()
            try:
                answer = await loop.run_in_executor(
                    self.auth_pool, authpool.authenticate, username, password, address, lock_after
                )
            except BrokenProcessPool:  # a worker died (killed, out of memory): start new ones
                self._restart_auth_pool()
        if answer is None:
            from tui_journal.services import auth

            result = await self.in_thread(
                auth.authenticate, username, password, origin="ssh", address=address,
                policy=auth.LoginPolicy(lock_after=lock_after),
            )
            answer = authpool.AuthAnswer(result.actor.login if result.actor else None, result.outcome)
        return answer.login, answer.outcome

    def _restart_auth_pool(self) -> None:
        """Checks go to threads until a fresh pool of workers is ready."""
        from tui_journal.ssh import authpool

        broken, self.auth_pool = self.auth_pool, None
        if broken is None or self._pool_restarting:
            return
        log.error("процесс проверки паролей завершился аварийно: запускаются новые")
        broken.shutdown(wait=False, cancel_futures=True)
        self._pool_restarting = True

        def started(future: asyncio.Future[Any]) -> None:
            self._pool_restarting = False
            if future.exception() is None:
                self.auth_pool = future.result()
            else:
                log.warning("процессы проверки паролей не запущены: проверка в потоках")

        loop = asyncio.get_running_loop()
        pending = loop.run_in_executor(
            None, authpool.start_pool, self.config.settings.db_url, self.config.auth_workers or None
        )
        pending.add_done_callback(started)

    async def in_thread(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, lambda: fn(*args, **kwargs))


async def serve(config: ServerConfig, *, ready: Callable[[str, int, str], None] | None = None) -> None:
    """Run the server until SIGTERM or SIGINT; ``ready(host, port, fingerprint)`` once listening."""
    from tui_journal.db.database import open_database

    db = open_database(config.settings.db_url)  # refuse a missing or outdated database now
    config.state_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    tickets.prepare_dir(config.ticket_dir)
    for stale in config.ticket_dir.iterdir():  # tickets of an earlier run are worthless
        with contextlib.suppress(OSError):
            stale.unlink()
    host_key = load_or_create_host_key(config.host_key_path)
    warm_proc = None
    if config.warm_socket is None and config.start_warm:
        warm_proc = start_warm_server(config)  # it loads while the password workers start
    auth_pool: Executor | None = None
    if config.auth_workers >= 0:
        from tui_journal.ssh import authpool

        try:
            auth_pool = authpool.start_pool(config.settings.db_url, config.auth_workers or None)
        except Exception as exc:
            log.warning("процессы проверки паролей не запущены (%s): проверка в потоках", exc)
    if warm_proc is not None and not warm_server_ready(warm_proc):
        warm_proc = None
    state = ServerState(config, auth_pool)
    if warm_proc is not None:
        state.warm_socket = config.own_warm_socket
        log.info("тёплый сервер: процесс %d, %s", warm_proc.pid, config.own_warm_socket)
    keeper: WarmKeeper | None = None
    keeping: asyncio.Task[None] | None = None
    if config.warm_socket is None and config.start_warm:
        keeper = WarmKeeper(config, state, warm_proc)
        keeping = asyncio.get_running_loop().create_task(keeper.run())
    acceptor = await asyncssh.create_server(
        lambda: JournalSSHServer(state),
        config.host,
        config.port,
        server_host_keys=[host_key],
        server_version="tui-journal",
        encoding=None,
        line_editor=False,
        agent_forwarding=False,
        x11_forwarding=False,
        allow_scp=False,
        compression_algs=list(COMPRESSION),
        login_timeout=config.login_timeout,
        keepalive_interval=config.keepalive_interval,
        keepalive_count_max=4,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    if ready is not None:
        ready(config.host, acceptor.get_port(), host_key.get_fingerprint("sha256"))
    try:
        await stop.wait()
    finally:
        log.info("сервер останавливается: сеансов %d", len(state.sessions))
        acceptor.close()
        for conn in list(state.connections):
            if conn.conn is not None:
                conn.conn.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(acceptor.wait_closed(), 5.0)
        for session in list(state.sessions):
            session._hang_up()
        state.executor.shutdown(wait=False, cancel_futures=True)
        if state.auth_pool is not None:
            state.auth_pool.shutdown(wait=False, cancel_futures=True)
        if keeping is not None:
            keeping.cancel()
        if keeper is not None:
            await asyncio.get_running_loop().run_in_executor(None, keeper.stop)
        db.close()
