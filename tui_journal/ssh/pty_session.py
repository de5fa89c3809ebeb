"""One shell session of the built-in SSH server: a pseudo-terminal and one session process
(forked by the warm server through :class:`~.warm_link.WarmChild`, else a fresh
``python -m tui_journal.ssh``, already logged in through a one-time ticket), with the bytes
passed both ways untouched, back-pressure each way, the window size passed on, the hang-up
of a child whose client left, and the idle backstop.
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
import struct
import termios
import time
from typing import TYPE_CHECKING, Any

import asyncssh

from tui_journal.i18n import t
from tui_journal.ssh import attach, tickets
from tui_journal.ssh.warm_link import WarmChild

if TYPE_CHECKING:
    from tui_journal.ssh.connection import JournalSSHServer

log = logging.getLogger("tui_journal.ssh.server")  # one logger for the whole server

KILL_AFTER = 5.0  # seconds between SIGHUP and SIGKILL of a child whose client left
READ_CHUNK = 32 * 1024
MAX_INPUT_BACKLOG = 64 * 1024  # bytes typed/pasted that the child has not read yet
safe_term = attach.safe_term


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
