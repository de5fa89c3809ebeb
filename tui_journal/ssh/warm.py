"""The warm session server: ``tui-journal serve warm --socket PATH``.

Starting a fresh Python for every SSH session costs 0.35–0.45 s of CPU in imports alone,
and 30 sessions at the break on 2 cores wait seconds for each other (FACTS.md). This one
long-lived process imports Textual, the app, its screens, widgets and models once, then
forks a child per session request:

- before forking it holds no database connection, no event loop and no thread, and calls
  ``gc.freeze()`` so the collector does not touch (and so un-share) the inherited objects;
- requests come over a Unix socket (mode 0600; peers of another account are refused by
  ``SO_PEERCRED``, root excepted) carrying the session's pty as three fds (``SCM_RIGHTS``)
  and a small JSON header (protocol: :mod:`tui_journal.ssh.attach`): from ``tui-journal
  attach`` (OpenSSH's ``ForceCommand``: the journal's login screen) or from the built-in
  server (``serve ssh``: a one-time ticket, already logged in, :mod:`.tickets`);
- the child takes the fds as stdin/stdout/stderr, starts a session of its own (``setsid``)
  with the pty as its controlling terminal (window-size changes and hang-ups reach it from
  the kernel), takes TERM and the client's address from the header, opens its own database
  connection and runs the app (:func:`tui_journal.ssh.session.run_session`);
- children are reaped on SIGCHLD; the requester is told ``{"exit": CODE}``. A child that
  crashes or is killed ends only itself; a requester that goes away hangs its session up;
- at most as many sessions as there are cores are *starting* at once (from the fork to the
  first frame drawn, or :data:`START_SLOT` seconds): at the break, 30 sessions that share two
  cores all draw late together, while started in turn most draw early. Later requests wait
  in order; a requester that leaves meanwhile is dropped.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import errno
import gc
import importlib
import io
import json
import logging
import os
import pkgutil
import selectors
import signal
import socket
import stat
import struct
import sys
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui_journal.ssh import attach

log = logging.getLogger("tui_journal.ssh.warm")

KILL_AFTER = 5.0  # seconds between SIGHUP and SIGKILL of a session whose requester left
PARENT_CHECK = 2.0  # seconds between looks at the parent (--parent)
START_SLOT = 2.0  # seconds a starting session holds its slot at most (no first frame yet)
EXIT_CRASH = 70  # the child raised before or around the app
#: Variables of the server's own environment that the sessions keep.
KEPT_ENV = ("PATH", "HOME", "USER", "LOGNAME", "TZ", "PYTHONPATH", "VIRTUAL_ENV")
#: Modules preloaded besides the app's packages: what a session imports while it runs.
PRELOAD = (
    "textual.app",
    "textual.drivers.linux_driver",
    "textual._xterm_parser",
    "textual.widgets",
    "textual.screen",
    "textual.pilot",
    "textual.drivers.headless_driver",
    "textual.layouts.factory",
    "textual.layouts.horizontal",
    "textual.layouts.vertical",
    "textual.layouts.grid",
    "textual.layouts.stream",
    "concurrent.futures.thread",
    "tui_journal.app",
    "tui_journal.db.models",
    "tui_journal.ssh.session",
    "tui_journal.ssh.tickets",
    "tui_journal.services.auth",
    "tui_journal.services.accounts",
)
#: Packages whose every module is preloaded (the screens open lazily in the app).
PRELOAD_PACKAGES = ("tui_journal.widgets", "tui_journal.screens")
#: Never preloaded: report engines (a session imports them only to build a report).
NOT_PRELOADED = ("reportlab", "openpyxl")


def preload(db_url: str = "sqlite://") -> list[str]:
    """Import what a session needs; returns the modules that failed to import."""
    from tui_journal.ssh.session import skip_postgres_driver

    for name in list(os.environ):
        if name.startswith("TEXTUAL"):
            del os.environ[name]
    skip_postgres_driver(db_url)
    failed: list[str] = []
    names = list(PRELOAD)
    for package in PRELOAD_PACKAGES:
        try:
            mod = importlib.import_module(package)
        except Exception:
            failed.append(package)
            continue
        names += [f"{package}.{m.name}" for m in pkgutil.iter_modules(mod.__path__)]
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as exc:  # a broken screen must not stop the other sessions
            log.warning("предзагрузка %s не удалась: %s", name, exc)
            failed.append(name)
    # The schema check's list of migration files, once (each session compares with it).
    with contextlib.suppress(Exception):
        from tui_journal.db.database import migration_names

        migration_names()
    # Rich loads its table of character widths on the first measurement: load it here.
    with contextlib.suppress(Exception):
        from rich.cells import cell_len

        cell_len("Журнал ✓")
    return failed


def preparse_styles(settings: Any = None) -> int:
    """Parse, before the fork, the stylesheets every session parses (textual does it per App:
    ~80 ms of CPU per session otherwise): a throwaway app of each colour mode (full and
    16 colours, ``TERM=linux``) is built, not run, and its sources go into
    :mod:`tui_journal.widgets.css_cache`, which the sessions inherit. No loop, thread or
    database is left behind. Returns the sources parsed."""
    from tui_journal.app import JournalApp
    from tui_journal.config import Settings
    from tui_journal.widgets import css_cache

    settings = settings if settings is not None else Settings()
    done = 0
    for term in ("xterm-256color", "linux"):
        try:
            app = JournalApp(settings, environ={"TERM": term})
            done += css_cache.preparse(app)
        except Exception as exc:  # the sessions parse for themselves then
            log.warning("таблицы стилей не разобраны заранее (%s): %s", term, exc)
    return done


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
                _close_all(request.fds)
                continue
            ready_r, ready_w = os.pipe()
            try:
                pid = self._fork(client, request.header, request.fds, ready_w)
            except OSError as exc:
                log.error("сеанс не запущен: %s", exc)
                _close_all([ready_r, ready_w, *request.fds])
                self._send(client, {"error": "fork"})
                self._forget(client)
                continue
            _close_all([ready_w, *request.fds])
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
            _close_all(fds)
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
            _close_all(request.fds)
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
        _close_all([fd for r in self.queue for fd in r.fds] + [s.ready_fd for s in self.starting.values()])
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
        _fresh_std_streams()


class _Refused(Exception):
    pass


def _int_env(name: str) -> int:
    try:
        return max(0, int(os.environ.get(name, "0")))
    except ValueError:
        return 0


def _close_all(fds: Sequence[int]) -> None:
    for fd in fds:
        with contextlib.suppress(OSError):
            os.close(fd)


def _report_first_frame(fd: int) -> None:
    """In the child: close ``fd`` once the app has drawn its first frame (the warm server
    then lets the next waiting session start)."""
    from textual.app import App

    original = App._ready

    async def _ready(app: App[Any]) -> None:
        await original(app)
        app.call_after_refresh(_close_all, [fd])

    App._ready = _ready  # type: ignore[method-assign,assignment]


def _fresh_std_streams() -> None:
    """New ``sys.std*`` (and ``sys.__std*__``, which Textual writes to) on fds 0–2, UTF-8."""
    stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding="utf-8", errors="replace")
    stdout = io.TextIOWrapper(
        io.BufferedWriter(io.FileIO(1, "w", closefd=False)), encoding="utf-8", errors="replace", line_buffering=True
    )
    stderr = io.TextIOWrapper(
        io.BufferedWriter(io.FileIO(2, "w", closefd=False)), encoding="utf-8", errors="backslashreplace",
        line_buffering=True,
    )
    sys.stdin = sys.__stdin__ = stdin  # type: ignore[misc]
    sys.stdout = sys.__stdout__ = stdout  # type: ignore[misc]
    sys.stderr = sys.__stderr__ = stderr  # type: ignore[misc]


def session_env(header: dict[str, Any], base: dict[str, str] | None = None) -> dict[str, str]:
    """The session's environment: the server's own essentials, the client's terminal and
    address (only the variables of :data:`~tui_journal.ssh.attach.PASSED_ENV`)."""
    source = os.environ if base is None else base
    env = {"LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
    for name, value in source.items():
        if name in KEPT_ENV or name.startswith("TUI_JOURNAL_"):
            env[name] = value
    env.pop(attach.SOCKET_ENV, None)
    given = header.get("env")
    given = given if isinstance(given, dict) else {}
    for name in attach.PASSED_ENV:
        passed = given.get(name)
        if isinstance(passed, str) and len(passed) < 256 and "\0" not in passed:
            env[name] = passed
    env["TERM"] = attach.safe_term(header.get("term") or env.get("TERM"))
    return env


def run_child(header: dict[str, Any], options: Options, ready_fd: int = -1) -> int:
    """The session, in the forked child: environment, settings, ticket, the app."""
    from tui_journal.i18n import t
    from tui_journal.ssh import session

    env = session_env(header)
    os.environ.clear()
    os.environ.update(env)
    with contextlib.suppress(AttributeError):
        time.tzset()
    os.chdir("/")
    session.harden_terminal()
    gc.enable()
    args = argparse.Namespace(db=options.db, config=options.config)
    try:
        settings = session.load(args)
    except (OSError, ValueError, TypeError) as exc:
        print(t("cli.config_bad", path=options.config or "", error=exc), file=sys.stderr)
        return session.EXIT_DB
    ticket = None
    name = header.get("ticket")
    if name is not None:
        from tui_journal.ssh.tickets import TicketError, redeem

        folder = header.get("ticket_dir") or options.ticket_dir
        try:
            if not folder or not isinstance(name, str):
                raise TicketError("нет папки билетов")
            ticket = redeem(Path(str(folder)), name)
        except TicketError as exc:
            print(t("ssh.ticket_bad", error=exc), file=sys.stderr)
            return session.EXIT_REFUSED
    if ready_fd >= 0:
        _report_first_frame(ready_fd)
    report = _trace() if os.environ.get("TUI_JOURNAL_WARM_TRACE") else None
    try:
        return session.run_session(
            settings,
            login=ticket.login if ticket else None,
            address=ticket.address if ticket else None,
        )
    finally:
        if report is not None:
            report()


def _trace() -> Any:
    """Debugging aid (``TUI_JOURNAL_WARM_TRACE=PATH``): at the session's end, write to
    ``PATH.<pid>`` the modules it imported beyond the preload and its private memory."""
    before = set(sys.modules)
    start = _private_kb()
    if os.environ.get("TUI_JOURNAL_WARM_TRACEMALLOC"):
        import tracemalloc

        tracemalloc.start(1)

    def report() -> None:
        extra = sorted(set(sys.modules) - before)
        trace: dict[str, Any] = {"modules": extra, "private_kb_start": start, "private_kb_end": _private_kb()}
        if os.environ.get("TUI_JOURNAL_WARM_TRACEMALLOC"):
            import tracemalloc

            stats = tracemalloc.take_snapshot().statistics("filename")[:25]
            trace["top"] = [f"{st.size // 1024} kB {st.traceback[0].filename}" for st in stats]
        with contextlib.suppress(OSError):
            Path(f"{os.environ['TUI_JOURNAL_WARM_TRACE']}.{os.getpid()}").write_text(json.dumps(trace))

    return report


def _private_kb() -> int:
    total = 0
    with contextlib.suppress(OSError), open("/proc/self/smaps_rollup") as fh:
        for line in fh:
            if line.startswith(("Private_Clean", "Private_Dirty")):
                total += int(line.split()[1])
    return total


# --- the command ---------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tui_journal.ssh.warm")
    parser.add_argument("--socket", required=True, metavar="PATH")
    parser.add_argument("--db", metavar="URL")
    parser.add_argument("--config", metavar="FILE")
    parser.add_argument("--ticket-dir", metavar="DIR")
    parser.add_argument("--max-starting", type=int, default=0, metavar="N")
    parser.add_argument("--parent", type=int, default=0, metavar="PID", help=argparse.SUPPRESS)
    return parser


def run(options: Options, *, ready: Any = None) -> int:
    """Preload, listen, serve until SIGTERM/SIGINT. ``ready(path)`` once listening."""
    from tui_journal.ssh import session

    if options.config and not Path(options.config).is_file():
        print(f"нет файла настроек: {options.config}", file=sys.stderr)
        return 2
    settings = session.load(argparse.Namespace(db=options.db, config=options.config))
    started = time.monotonic()
    failed = preload(settings.db_url)
    preparse_styles(settings)
    server = WarmServer(options)
    server.start()
    gc.collect()
    gc.freeze()  # the preloaded objects stay shared with the sessions (copy-on-write)
    log.info(
        "тёплый сервер слушает %s (модулей %d, загружены за %.2f с%s)",
        options.socket_path, len(sys.modules), time.monotonic() - started,
        f"; не загрузились: {', '.join(failed)}" if failed else "",
    )
    if ready is not None:
        ready(options.socket_path)
    server.serve_forever()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s warm %(message)s", stream=sys.stderr)
    options = Options(
        socket_path=Path(args.socket).absolute(),
        db=args.db,
        config=str(Path(args.config).resolve()) if args.config else None,
        ticket_dir=args.ticket_dir,
        max_starting=max(0, args.max_starting),
        parent=max(0, args.parent),
    )
    try:
        return run(options, ready=lambda path: print(f"READY {path}", flush=True))
    except OSError as exc:
        print(f"tui-journal serve warm: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
