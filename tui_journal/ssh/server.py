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
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import fcntl
import logging
import os
import pty
import signal
import socket
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import asyncssh

from tui_journal.config import Settings
from tui_journal.i18n import t
from tui_journal.private import write_private
from tui_journal.ssh import attach, tickets
from tui_journal.ssh.throttle import AddressThrottle, ThrottlePolicy

log = logging.getLogger("tui_journal.ssh.server")

HOST_KEY_NAME = "ssh_host_ed25519_key"
KILL_AFTER = 5.0  # seconds between SIGHUP and SIGKILL of a child whose client left
READ_CHUNK = 32 * 1024
MAX_INPUT_BACKLOG = 64 * 1024  # bytes typed/pasted that the child has not read yet
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


def plain_address(address: str) -> str:
    """``::ffff:10.0.0.5`` → ``10.0.0.5`` (an IPv4 client of a dual-stack socket)."""
    return address[7:] if address.startswith("::ffff:") and "." in address else address


safe_term = attach.safe_term


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


class JournalSSHServer(asyncssh.SSHServer):
    """One client connection: authentication and the session request."""

    def __init__(self, state: ServerState) -> None:
        self.state = state
        self.conn: asyncssh.SSHServerConnection | None = None
        self.address = ""
        self.login: str | None = None
        self.method = ""
        self._key_candidate: str | None = None
        self._last_method = ""
        self.open_sessions = 0
        self._no_session_timer: asyncio.TimerHandle | None = None

    # --- the connection -------------------------------------------------------------

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
        peer = conn.get_extra_info("peername") or ("", 0)
        self.address = plain_address(str(peer[0]))
        self.state.connections.add(self)
        if self.state.throttle.is_blocked(self.address):
            log.info("отказ: адрес %s заблокирован", self.address)
            conn.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.state.connections.discard(self)
        self._disarm_no_session()

    # --- logged in, but no session: closed after the login timeout ----------------------------

    def _arm_no_session(self) -> None:
        self._disarm_no_session()
        limit = self.state.config.login_timeout
        if limit > 0 and self.conn is not None:
            self._no_session_timer = asyncio.get_running_loop().call_later(limit, self._close_without_session)

    def _disarm_no_session(self) -> None:
        if self._no_session_timer is not None:
            self._no_session_timer.cancel()
            self._no_session_timer = None

    def _close_without_session(self) -> None:
        self._no_session_timer = None
        if self.open_sessions == 0 and self.conn is not None:
            log.info("%s с адреса %s: нет сеанса, соединение закрыто", self.login, self.address)
            self.conn.close()

    def session_closed(self) -> None:
        self.open_sessions = max(0, self.open_sessions - 1)
        if self.open_sessions == 0 and self.conn is not None:
            self._arm_no_session()

    def _disconnect_blocked(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(Exception):
                self.conn.disconnect(asyncssh.DISC_NO_MORE_AUTH_METHODS_AVAILABLE, t("ssh.blocked"))

    def begin_auth(self, username: str) -> bool:
        if self.state.throttle.is_blocked(self.address):
            self._disconnect_blocked()
        return True

    # --- passwords (and keyboard-interactive, which asyncssh maps onto them) ------------

    def password_auth_supported(self) -> bool:
        return True

    async def validate_password(self, username: str, password: str) -> bool:
        throttle = self.state.throttle
        if throttle.is_blocked(self.address):
            self._disconnect_blocked()
            return False
        try:
            login, outcome = await self.state.check_password(username, password, self.address)
        except Exception as exc:  # the database is unreachable: refuse, count nothing
            log.warning("проверка пароля %s не удалась: %s", username, exc)
            return False
        if login is not None:
            self.login = login
            self._last_method = "password"
            return True
        blocked = throttle.failed(self.address)
        log.info("неудачный вход %s с адреса %s: %s", username, self.address, outcome)
        if blocked:
            log.warning(
                "адрес %s заблокирован на %d мин после %d неудачных входов",
                self.address,
                round(throttle.policy.block_seconds / 60),
                throttle.failures(self.address),
            )
            self._disconnect_blocked()
            return False
        delay = throttle.delay(self.address)
        if delay > 0:
            await asyncio.sleep(delay)
        return False

    # --- public keys ------------------------------------------------------------------

    def public_key_auth_supported(self) -> bool:
        return True

    async def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        if self.state.throttle.is_blocked(self.address):
            self._disconnect_blocked()
            return False
        from tui_journal.services import ssh_keys

        try:
            ok = await self.state.in_thread(ssh_keys.key_matches, username, bytes(key.public_data))
        except Exception as exc:
            log.warning("проверка ключа %s не удалась: %s", username, exc)
            return False
        if ok:
            self._key_candidate = username
            self._last_method = "publickey"
        return bool(ok)

    async def auth_completed(self) -> None:
        if self._last_method == "publickey" and self._key_candidate is not None:
            from tui_journal.services import ssh_keys
            from tui_journal.services.accounts import find_user

            login = self._key_candidate
            self.method = "publickey"
            self.login = login  # now: the session request may come before the record is written
            try:
                outcome = await self.state.in_thread(ssh_keys.record_key_login, login, address=self.address)
                user = await self.state.in_thread(find_user, login)
            except Exception as exc:
                log.warning("вход по ключу %s не записан: %s", login, exc)
                outcome, user = None, None
            if outcome is None or user is None:
                self.login = None
                if self.conn is not None:
                    self.conn.close()
                return
            self.login = user.login
        else:
            self.method = "password"
        log.info("вход %s с адреса %s (%s)", self.login, self.address, self.method)
        if self.open_sessions == 0:
            self._arm_no_session()

    # --- what the client may open -------------------------------------------------------

    def session_requested(self) -> PtySession | bool:
        if self.login is None:
            return False
        if len(self.state.sessions) >= self.state.config.max_sessions:
            log.warning("отказ %s: сеансов уже %d", self.login, len(self.state.sessions))
            return False
        self.open_sessions += 1
        self._disarm_no_session()
        return PtySession(self)

    # Port, socket and tunnel forwarding: asyncssh refuses them unless these say otherwise.
    def connection_requested(self, dest_host: str, dest_port: int, orig_host: str, orig_port: int) -> bool:
        return False

    def server_requested(self, listen_host: str, listen_port: int) -> bool:
        return False

    def unix_connection_requested(self, dest_path: str) -> bool:
        return False

    def unix_server_requested(self, listen_path: str) -> bool:
        return False


class WarmChild:
    """A session process forked by the warm server, followed through its socket (it is not
    our child: its end is reported as ``{"exit": CODE}``)."""

    START_TIMEOUT = 15.0

    def __init__(self, sock: socket.socket, pid: int) -> None:
        self.sock = sock
        self.pid = pid
        self.returncode: int | None = None

    @classmethod
    async def start(cls, path: Path, fd: int, header: dict[str, Any]) -> WarmChild:
        loop = asyncio.get_running_loop()
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        sock.setblocking(False)
        try:
            await asyncio.wait_for(loop.sock_connect(sock, str(path)), cls.START_TIMEOUT)
            socket.send_fds(sock, [attach.encode(header)], [fd, fd, fd])
            data = await asyncio.wait_for(loop.sock_recv(sock, attach.MAX_MESSAGE), cls.START_TIMEOUT)
            answer = attach.decode(data) if data else {}
            if "pid" not in answer:
                raise OSError(errno.ECONNREFUSED, str(answer.get("error") or "нет ответа"))
            return cls(sock, int(answer["pid"]))
        except (OSError, ValueError, asyncio.TimeoutError) as exc:
            sock.close()
            raise OSError(errno.ECONNREFUSED, str(exc) or type(exc).__name__) from None

    async def wait(self) -> int:
        loop = asyncio.get_running_loop()
        try:
            while self.returncode is None:
                data = await loop.sock_recv(self.sock, attach.MAX_MESSAGE)
                if not data:
                    break
                with contextlib.suppress(ValueError):
                    answer = attach.decode(data)
                    if "exit" in answer:
                        self.returncode = int(answer["exit"])
        except OSError:
            pass
        finally:
            self.sock.close()
        if self.returncode is None:
            # The warm server went away (restarted, killed); its session runs on: follow it
            # to its end (its status is not ours to know).
            await self._gone()
            self.returncode = 0
        return self.returncode

    async def _gone(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            fd = os.pidfd_open(self.pid)
        except ProcessLookupError:
            return
        except OSError:
            fd = -1
        if fd < 0:
            with contextlib.suppress(ProcessLookupError):
                while True:
                    with contextlib.suppress(PermissionError):
                        os.kill(self.pid, 0)
                    await asyncio.sleep(0.5)
            return
        ended: asyncio.Future[None] = loop.create_future()

        def readable() -> None:
            if not ended.done():
                ended.set_result(None)

        loop.add_reader(fd, readable)
        try:
            await ended
        finally:
            loop.remove_reader(fd)
            os.close(fd)


def _set_controlling_tty() -> None:  # pragma: no cover - runs in the child before exec
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def _winsize(fd: int, cols: int, rows: int) -> None:
    with contextlib.suppress(OSError):
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", max(rows, 1), max(cols, 1), 0, 0))


class PtySession(asyncssh.SSHServerSession[bytes]):
    """One shell session: a pty, one child process, bytes passed both ways untouched."""

    def __init__(self, server: JournalSSHServer) -> None:
        self.server = server
        self.state = server.state
        self.chan: asyncssh.SSHServerChannel[bytes] | None = None
        self.term_type = ""
        self.size = (80, 24)
        self.has_pty = False
        self.master = -1
        self.proc: asyncio.subprocess.Process | WarmChild | None = None
        self.client_gone = False
        self.output_done = asyncio.Event()
        self._reading = False
        self._paused = False
        self._backlog = bytearray()
        self._writer_on = False
        self._input_paused = False
        self._last_input = time.monotonic()
        self._tasks: set[asyncio.Task[None]] = set()

    # --- requests -----------------------------------------------------------------------

    def connection_made(self, chan: asyncssh.SSHServerChannel[bytes]) -> None:
        self.chan = chan
        self.state.sessions.add(self)

    def pty_requested(self, term_type: str, term_size: tuple[int, int, int, int], term_modes: Any) -> bool:
        self.has_pty = True
        self.term_type = safe_term(term_type)
        cols, rows = term_size[0], term_size[1]
        self.size = (cols or 80, rows or 24)
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        log.info("отказ %s: команда «%s» не выполняется", self.server.login, command[:80])
        return False

    def subsystem_requested(self, subsystem: str) -> bool:
        log.info("отказ %s: подсистема «%s»", self.server.login, subsystem[:40])
        return False

    def break_received(self, msec: int) -> bool:
        return True  # swallowed: nothing to interrupt

    def signal_received(self, signal: str) -> None:
        pass  # a client may not signal the child

    def session_started(self) -> None:
        assert self.chan is not None
        if not self.has_pty:
            self.chan.write((t("ssh.need_tty") + "\r\n").encode("utf-8"))
            self.chan.exit(1)
            return
        self._spawn_task(self._run())

    def _spawn_task(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # --- the child ----------------------------------------------------------------------

    def _child_env(self) -> dict[str, str]:
        env = {
            "TERM": self.term_type,
            "LANG": "C.UTF-8",
            "PYTHONIOENCODING": "utf-8",
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", "/"),
        }
        for name, value in os.environ.items():
            if name.startswith("TUI_JOURNAL_") or name in ("PYTHONPATH", "USER", "LOGNAME", "TZ", "VIRTUAL_ENV"):
                env[name] = value
        return env

    async def _run(self) -> None:
        assert self.chan is not None
        config = self.state.config
        login = self.server.login or ""
        try:
            name = tickets.issue(config.ticket_dir, login, self.server.address, self.server.method)
        except (OSError, tickets.TicketError) as exc:
            log.error("билет сеанса не создан: %s", exc)
            self.chan.write((t("ssh.internal_error") + "\r\n").encode("utf-8"))
            self.chan.exit(1)
            return
        master, slave = pty.openpty()
        _winsize(slave, *self.size)
        warm = self.state.warm_socket
        if warm is not None:
            header = attach.request(
                {"TERM": self.term_type}, size=self.size, ticket=name, ticket_dir=str(config.ticket_dir)
            )
            try:
                self.proc = await WarmChild.start(warm, slave, header)
            except OSError as exc:
                log.warning("тёплый сервер %s не ответил (%s): сеанс %s в новом процессе", warm, exc, login)
        if self.proc is None:
            await self._spawn(name, master, slave)
            if self.proc is None:
                return
        else:
            os.close(slave)
        self.master = master
        await self._follow(login, name)

    async def _spawn(self, name: str, master: int, slave: int) -> None:
        """Without a warm server: a fresh ``python -m tui_journal.ssh`` for the session."""
        assert self.chan is not None
        config = self.state.config
        login = self.server.login or ""
        read_end, write_end = os.pipe()
        try:
            os.write(write_end, name.encode("ascii"))
            os.close(write_end)
            self.proc = await asyncio.create_subprocess_exec(
                config.python,
                "-m",
                "tui_journal.ssh",
                "--ticket-fd",
                str(read_end),
                "--ticket-dir",
                str(config.ticket_dir),
                *config.child_args,
                stdin=slave,
                stdout=slave,
                stderr=slave,
                start_new_session=True,
                preexec_fn=_set_controlling_tty,
                pass_fds=(read_end,),
                env=self._child_env(),
                cwd="/",
            )
        except OSError as exc:
            log.error("сеанс %s не запущен: %s", login, exc)
            tickets.discard(config.ticket_dir, name)
            os.close(master)
            self.chan.write((t("ssh.internal_error") + "\r\n").encode("utf-8"))
            self.chan.exit(1)
            return
        finally:
            os.close(slave)
            os.close(read_end)

    async def _follow(self, login: str, name: str) -> None:
        """Pass bytes both ways until the session process ends."""
        assert self.chan is not None and self.proc is not None
        config = self.state.config
        master = self.master
        os.set_blocking(master, False)
        log.info("сеанс %s начат (процесс %d, TERM=%s, %dx%d)", login, self.proc.pid, self.term_type, *self.size)
        if self.client_gone:  # the client left while the child was starting
            self._hang_up()
        else:
            self._start_reading()
            self._flush_input()
        if config.idle_backstop:
            self._spawn_task(self._idle_watch(config.idle_backstop))
        code = await self.proc.wait()
        tickets.discard(config.ticket_dir, name)  # nothing, unless the child died before reading it
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self.output_done.wait(), 2.0)
        log.info("сеанс %s окончен (код %s)", login, code)
        self._close_master()
        if not self.client_gone:
            with contextlib.suppress(Exception):
                self.chan.exit(code if code >= 0 else 128 - code)

    async def _idle_watch(self, limit: float) -> None:
        while self.proc is not None and self.proc.returncode is None and not self.client_gone:
            quiet = time.monotonic() - self._last_input
            if quiet >= limit:
                log.info("сеанс %s: клиент молчит %d с, сеанс закрыт", self.server.login, int(quiet))
                self._hang_up()
                if self.chan is not None:
                    self.chan.close()
                return
            await asyncio.sleep(min(30.0, limit - quiet + 0.5))

    # --- output: child → client, paused while the SSH window is full ------------------

    def _start_reading(self) -> None:
        if self.master >= 0 and not self._reading and not self._paused and not self.output_done.is_set():
            asyncio.get_running_loop().add_reader(self.master, self._readable)
            self._reading = True

    def _stop_reading(self) -> None:
        if self._reading:
            asyncio.get_running_loop().remove_reader(self.master)
            self._reading = False

    def _readable(self) -> None:
        try:
            data = os.read(self.master, READ_CHUNK)
        except BlockingIOError:
            return
        except OSError as exc:  # EIO: every holder of the pty's other end has closed it
            if exc.errno != errno.EIO:
                log.debug("pty: %s", exc)
            data = b""
        if not data:
            self._stop_reading()
            self.output_done.set()
            return
        if self.chan is not None and not self.client_gone:
            self.chan.write(data)

    def pause_writing(self) -> None:
        self._paused = True
        self._stop_reading()

    def resume_writing(self) -> None:
        self._paused = False
        self._start_reading()

    # --- input: client → child ------------------------------------------------------------

    def data_received(self, data: bytes, datatype: Any) -> None:
        self._last_input = time.monotonic()
        self._backlog += data  # typed ahead while the child starts: kept for it
        if self.master >= 0:
            self._flush_input()
        else:
            self._input_pressure()

    def _flush_input(self) -> None:
        while self._backlog and self.master >= 0:
            try:
                sent = os.write(self.master, self._backlog)
            except BlockingIOError:
                break
            except OSError:
                self._backlog.clear()
                break
            del self._backlog[:sent]
        loop = asyncio.get_running_loop()
        if self._backlog and not self._writer_on and self.master >= 0:
            loop.add_writer(self.master, self._flush_input)
            self._writer_on = True
        elif not self._backlog and self._writer_on:
            loop.remove_writer(self.master)
            self._writer_on = False
        self._input_pressure()

    def _input_pressure(self) -> None:
        """Stop reading from the client while the child has a lot of unread input."""
        if self.chan is None:
            return
        if not self._input_paused and len(self._backlog) > MAX_INPUT_BACKLOG:
            self.chan.pause_reading()
            self._input_paused = True
        elif self._input_paused and len(self._backlog) <= MAX_INPUT_BACKLOG // 2:
            self.chan.resume_reading()
            self._input_paused = False

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        self.size = (width or 80, height or 24)
        if self.master >= 0:
            _winsize(self.master, *self.size)  # the kernel sends SIGWINCH to the child

    def eof_received(self) -> bool:
        return True  # keep the session: the app decides when it ends

    # --- the end ----------------------------------------------------------------------------

    def _close_master(self) -> None:
        if self.master >= 0:
            self._stop_reading()
            loop = asyncio.get_running_loop()
            if self._writer_on:
                loop.remove_writer(self.master)
                self._writer_on = False
            os.close(self.master)
            self.master = -1

    def _hang_up(self) -> None:
        """The client is gone: SIGHUP the child's process group, SIGKILL it if it lingers."""
        proc = self.proc
        if proc is None or proc.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGHUP)
        loop = asyncio.get_running_loop()

        def kill() -> None:
            if proc.returncode is None:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(proc.pid, signal.SIGKILL)

        loop.call_later(KILL_AFTER, kill)

    def connection_lost(self, exc: Exception | None) -> None:
        self.state.sessions.discard(self)
        self.server.session_closed()
        self.client_gone = True
        self._hang_up()  # only if the child still runs: the client left first
        self._stop_reading()


WARM_START_TIMEOUT = 60.0
WARM_CHECK = 5.0  # seconds between looks at the own warm server
WARM_RETRY = 30.0  # seconds between attempts to start it again


def start_warm_server(config: ServerConfig) -> subprocess.Popen[bytes] | None:
    """Start the server's own warm session server (a child process on
    ``state_dir/warm.sock``); :func:`warm_server_ready` waits for it."""
    path = config.own_warm_socket
    argv = [
        config.python, "-m", "tui_journal.ssh.warm", "--socket", str(path),
        "--ticket-dir", str(config.ticket_dir), "--parent", str(os.getpid()), *config.child_args,
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}
    try:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, cwd="/", env=env)
    except OSError as exc:
        log.warning("тёплый сервер не запущен: %s", exc)
        return None
    return proc


def warm_server_ready(proc: subprocess.Popen[bytes]) -> bool:
    """Wait for the warm server's READY line; False (and the process stopped) when it
    does not come (the sessions are then fresh processes)."""
    assert proc.stdout is not None
    line = b""
    import selectors

    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + WARM_START_TIMEOUT
        while not line.endswith(b"\n") and time.monotonic() < deadline:
            if sel.select(max(0.0, deadline - time.monotonic())):
                chunk = os.read(proc.stdout.fileno(), 256)
                if not chunk:
                    break
                line += chunk
    if not line.startswith(b"READY"):
        log.warning("тёплый сервер не запустился: сеансы будут новыми процессами")
        stop_warm_server(proc)
        return False
    return True


def stop_warm_server(proc: subprocess.Popen[bytes] | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


class WarmKeeper:
    """The server's own warm session server: started again when it ends (killed, crashed);
    meanwhile the sessions are fresh processes. Its running sessions survive it."""

    def __init__(self, config: ServerConfig, state: ServerState, proc: subprocess.Popen[bytes] | None) -> None:
        self.config, self.state, self.proc = config, state, proc
        self._last_try = time.monotonic()

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(WARM_CHECK)
            proc = self.proc
            if proc is not None and proc.poll() is None:
                continue
            if proc is not None:
                log.warning("тёплый сервер завершился (код %s): сеансы — новыми процессами", proc.returncode)
                self.state.warm_socket = None
                self.proc = None
            if time.monotonic() - self._last_try < WARM_RETRY and proc is None:
                continue
            self._last_try = time.monotonic()
            new = start_warm_server(self.config)
            if new is not None and await loop.run_in_executor(None, warm_server_ready, new):
                self.proc = new
                self.state.warm_socket = self.config.own_warm_socket
                log.info("тёплый сервер запущен снова: процесс %d", new.pid)

    def stop(self) -> None:
        stop_warm_server(self.proc)


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
