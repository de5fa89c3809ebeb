"""The built-in SSH server's side of the warm session server (:mod:`tui_journal.ssh.warm`):
starting its own warm server, waiting for it to be ready, starting it again when it ends
(:class:`WarmKeeper`), and following a session it forked (:class:`WarmChild`).
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import os
import socket
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui_journal.ssh import attach

if TYPE_CHECKING:
    from tui_journal.ssh.server import ServerConfig, ServerState

log = logging.getLogger("tui_journal.ssh.server")  # one logger for the whole server


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
