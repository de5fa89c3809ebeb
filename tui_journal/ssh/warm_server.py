"""The warm session server's accept/fork/reap loop (:mod:`tui_journal.ssh.warm` has the
why): its socket and who may use it, the queue of requests and the start slots, the fork of
a session process, its hang-up and reaping, and the shutdown.
"""

from __future__ import annotations

import collections
import contextlib
import errno
import logging
import os
import selectors
import signal
import socket
import stat
import struct
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui_journal.ssh import attach
from tui_journal.ssh.warm_child import EXIT_CRASH, close_all, fresh_std_streams, run_child

log = logging.getLogger("tui_journal.ssh.warm")  # one logger for the whole warm server

KILL_AFTER = 5.0  # seconds between SIGHUP and SIGKILL of a session whose requester left
PARENT_CHECK = 2.0  # seconds between looks at the parent (--parent)
START_SLOT = 2.0  # seconds a starting session holds its slot at most (no first frame yet)


def peer_uid(conn: socket.socket) -> int:
    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", creds)
    return int(uid)


def peer_allowed(uid: int, own: int | None = None) -> bool:
    """The same account as the server, or root."""
    own = os.geteuid() if own is None else own
    return uid == own or uid == 0


def listen(path: Path) -> socket.socket:
    """The server's socket at ``path``, mode 0600 (a stale socket there is replaced)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(FileNotFoundError):
        info = path.lstat()
        if not stat.S_ISSOCK(info.st_mode):
            raise OSError(errno.EEXIST, f"{path}: не сокет")
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            probe.connect(str(path))
        except OSError:
            path.unlink()  # nobody listens: left over from a crash
        else:
            raise OSError(errno.EADDRINUSE, f"{path}: уже слушает другой сервер")
        finally:
            probe.close()
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    old = os.umask(0o177)
    try:
        sock.bind(str(path))
    finally:
        os.umask(old)
    os.chmod(path, 0o600)
    sock.listen(128)
    sock.setblocking(False)
    return sock


@dataclass
class Options:
    socket_path: Path
    db: str | None = None
    config: str | None = None
    ticket_dir: str | None = None  # a default for requests that name none
    max_starting: int = 0  # sessions starting at once (0: one per core)
    parent: int = 0  # stop when this process (the serve ssh that started us) is gone


@dataclass
class _Client:
    conn: socket.socket
    uid: int
    pid: int = 0  # the session process, once started
    hangup_at: float = 0.0
    killed: bool = False
    closed: bool = False
    queued: bool = False  # the request came and waits for a start slot


@dataclass
class _Request:
    client: _Client
    header: dict[str, Any]
    fds: list[int]


@dataclass
class _Starting:
    ready_fd: int  # closed by the session once its first frame is drawn
    until: float
    forked: float = 0.0


class WarmServer:
    """The accept/fork/reap loop: one thread, no event loop (it must fork cleanly)."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.listener: socket.socket | None = None
        self.selector = selectors.DefaultSelector()
        self.clients: dict[int, _Client] = {}  # by connection fd
        self.children: dict[int, _Client] = {}  # by pid
        self.queue: collections.deque[_Request] = collections.deque()
        self.starting: dict[int, _Starting] = {}  # by pid
        self.max_starting = (
            options.max_starting or _int_env("TUI_JOURNAL_WARM_MAX_STARTING") or max(1, os.cpu_count() or 1)
        )
        self._wake_r = self._wake_w = -1
        self._stopping = False

    # --- setup ----------------------------------------------------------------------------

    def start(self) -> None:
        self.listener = listen(self.options.socket_path)
        self._wake_r, self._wake_w = os.pipe()
        for fd in (self._wake_r, self._wake_w):
            os.set_blocking(fd, False)
            os.set_inheritable(fd, False)
        signal.set_wakeup_fd(self._wake_w)
        signal.signal(signal.SIGCHLD, lambda signum, frame: None)
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)
        self.selector.register(self.listener, selectors.EVENT_READ, "accept")
        self.selector.register(self._wake_r, selectors.EVENT_READ, "wake")

    def _stop(self, signum: int, frame: Any) -> None:
        self._stopping = True

    # --- the loop --------------------------------------------------------------------------

    def serve_forever(self) -> None:
        while not self._stopping:
            if self.options.parent and os.getppid() != self.options.parent:
                log.warning("процесс %d, запустивший сервер, завершился: сервер останавливается", self.options.parent)
                break
            timeout = self._next_deadline()
            if self.options.parent:
                timeout = PARENT_CHECK if timeout is None else min(timeout, PARENT_CHECK)
            try:
                events = self.selector.select(timeout)
            except InterruptedError:
                events = []
            for key, _mask in events:
                if key.data == "accept":
                    self._accept()
                elif key.data == "wake":
                    with contextlib.suppress(OSError):
                        while os.read(self._wake_r, 512):
                            pass
                elif isinstance(key.data, int):
                    self._started(key.data, "первый кадр")
                else:
                    self._readable(key.data)
            self._reap()
            self._kill_lingering()
            now = time.monotonic()
            for pid in [p for p, s in self.starting.items() if s.until <= now]:
                self._started(pid, "нет первого кадра")
            self._start_queued()
        self.shutdown()

    def _next_deadline(self) -> float | None:
        due = [c.hangup_at for c in self.children.values() if c.hangup_at and not c.killed]
        due += [s.until for s in self.starting.values()]
        if not due:
            return None
        return max(0.0, min(due) - time.monotonic())

    # --- start slots ------------------------------------------------------------------------

    def _started(self, pid: int, how: str = "") -> None:
        """The session drew its first frame (or ended, or took too long): free its slot."""
        slot = self.starting.pop(pid, None)
        if slot is None:
            return
        if how:
            log.info("сеанс %d: %s через %.2f с", pid, how, time.monotonic() - slot.forked)
        with contextlib.suppress(KeyError, ValueError):
            self.selector.unregister(slot.ready_fd)
        with contextlib.suppress(OSError):
            os.close(slot.ready_fd)

    def _start_queued(self) -> None:
        while self.queue and len(self.starting) < self.max_starting:
            request = self.queue.popleft()
            client = request.client
            client.queued = False
            if client.closed:  # the requester left while waiting
                close_all(request.fds)
                continue
            ready_r, ready_w = os.pipe()
            try:
                pid = self._fork(client, request.header, request.fds, ready_w)
            except OSError as exc:
                log.error("сеанс не запущен: %s", exc)
                close_all([ready_r, ready_w, *request.fds])
                self._send(client, {"error": "fork"})
                self._forget(client)
                continue
            close_all([ready_w, *request.fds])
            now = time.monotonic()
            self.starting[pid] = _Starting(ready_r, now + START_SLOT, now)
            self.selector.register(ready_r, selectors.EVENT_READ, pid)
            client.pid = pid
            self.children[pid] = client
            self._send(client, {"pid": pid})
            log.info("сеанс начат: процесс %d, TERM=%s", pid, request.header.get("term"))

    def _accept(self) -> None:
        assert self.listener is not None
        while True:
            try:
                conn, _ = self.listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:
                log.warning("accept: %s", exc)
                return
            try:
                uid = peer_uid(conn)
            except OSError:
                conn.close()
                continue
            if not peer_allowed(uid):
                log.warning("отказ: чужая учётная запись (uid %d)", uid)
                with contextlib.suppress(OSError):
                    conn.send(attach.encode({"error": "forbidden"}))
                conn.close()
                continue
            conn.setblocking(False)
            client = _Client(conn, uid)
            self.clients[conn.fileno()] = client
            self.selector.register(conn, selectors.EVENT_READ, client)

    def _readable(self, client: _Client) -> None:
        if client.pid or client.queued:
            # A requester sends nothing after its request: this is its going away.
            try:
                data = client.conn.recv(attach.MAX_MESSAGE)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                data = b""
            if not data:
                self._forget(client)
                self._hang_up(client)
            return
        try:
            data, fds, flags, _ = socket.recv_fds(client.conn, attach.MAX_MESSAGE, 3)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            self._forget(client)
            return
        try:
            if not data:
                raise _Refused("")
            if flags & (socket.MSG_CTRUNC | socket.MSG_TRUNC):
                raise _Refused("truncated")
            header = attach.decode(data)
            if header.get("v") != attach.PROTOCOL:
                raise _Refused("protocol")
            if len(fds) != 3 or not all(os.isatty(fd) for fd in fds):
                raise _Refused("no terminal")
        except (_Refused, ValueError) as exc:
            close_all(fds)
            if str(exc):
                log.warning("запрос отклонён: %s", exc)
                self._send(client, {"error": str(exc)})
            self._forget(client)
            return
        client.queued = True
        self.queue.append(_Request(client, header, list(fds)))
        self._start_queued()

    def _send(self, client: _Client, message: dict[str, Any]) -> None:
        if client.closed:
            return
        with contextlib.suppress(OSError):
            client.conn.setblocking(True)
            client.conn.settimeout(2.0)
            client.conn.send(attach.encode(message))
        with contextlib.suppress(OSError):
            client.conn.setblocking(False)

    def _forget(self, client: _Client) -> None:
        if client.closed:
            return
        client.closed = True
        with contextlib.suppress(KeyError, ValueError):
            self.selector.unregister(client.conn)
        self.clients.pop(client.conn.fileno(), None)
        client.conn.close()

    def _hang_up(self, client: _Client) -> None:
        if client.pid and client.pid in self.children and not client.hangup_at:
            with contextlib.suppress(OSError):
                os.killpg(client.pid, signal.SIGHUP)
            client.hangup_at = time.monotonic() + KILL_AFTER

    def _kill_lingering(self) -> None:
        now = time.monotonic()
        for pid, client in list(self.children.items()):
            if client.hangup_at and not client.killed and now >= client.hangup_at:
                client.killed = True
                with contextlib.suppress(OSError):
                    os.killpg(pid, signal.SIGKILL)

    def _reap(self) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            code = os.waitstatus_to_exitcode(status)
            code = 128 - code if code < 0 else code
            client = self.children.pop(pid, None)
            self._started(pid)
            log.info("сеанс окончен: процесс %d, код %d", pid, code)
            if client is not None:
                self._send(client, {"exit": code})
                self._forget(client)

    def shutdown(self) -> None:
        """Stop listening, hang every session up, wait a little for them."""
        if self.listener is not None:
            with contextlib.suppress(OSError):
                self.options.socket_path.unlink()
            with contextlib.suppress(KeyError, ValueError):
                self.selector.unregister(self.listener)
            self.listener.close()
            self.listener = None
        for client in list(self.children.values()):
            self._hang_up(client)
        deadline = time.monotonic() + KILL_AFTER
        while self.children and time.monotonic() < deadline:
            self._reap()
            time.sleep(0.05)
        for pid in list(self.children):
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)
        self._reap()
        for request in self.queue:
            close_all(request.fds)
        self.queue.clear()
        for client in list(self.clients.values()):
            self._forget(client)

    # --- the child ---------------------------------------------------------------------------

    def _fork(self, client: _Client, header: dict[str, Any], fds: list[int], ready_fd: int) -> int:
        pid = os.fork()
        if pid:
            return pid
        code = EXIT_CRASH
        try:
            self._become_session(fds, ready_fd)
            code = run_child(header, self.options, ready_fd)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException:
            with contextlib.suppress(Exception):
                traceback.print_exc()
        finally:
            with contextlib.suppress(Exception):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(code)

    def _become_session(self, fds: list[int], ready_fd: int) -> None:
        """In the child: drop the server's fds and signals, take the pty as the terminal."""
        # The other requests' terminals and the other sessions' start pipes are not ours.
        close_all([fd for r in self.queue for fd in r.fds] + [s.ready_fd for s in self.starting.values()])
        signal.set_wakeup_fd(-1)
        for sig in (signal.SIGCHLD, signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)  # as in any Python process: EPIPE, not death
        for handler in list(logging.root.handlers):  # they write to the old fd 2: the pty now
            logging.root.removeHandler(handler)
        for sock in [self.listener, *(c.conn for c in self.clients.values())]:
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.close()
        with contextlib.suppress(Exception):
            self.selector.close()
        for fd in (self._wake_r, self._wake_w):
            with contextlib.suppress(OSError):
                os.close(fd)
        os.setsid()
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        for fd in set(fds):
            if fd > 2:
                os.close(fd)
        with contextlib.suppress(OSError):
            import fcntl
            import termios

            fcntl.ioctl(0, termios.TIOCSCTTY, 0)
        fresh_std_streams()


class _Refused(Exception):
    pass


def _int_env(name: str) -> int:
    try:
        return max(0, int(os.environ.get(name, "0")))
    except ValueError:
        return 0
