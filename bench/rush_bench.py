"""Rush bench: the break-time rush on the built-in SSH server (a script, not a test).

    .venv/bin/python bench/rush_bench.py                      # school demo in a temp folder
    .venv/bin/python bench/rush_bench.py --sizes 1,10,30 --port 22250
    .venv/bin/python bench/rush_bench.py --no-warm            # sessions as fresh processes
    .venv/bin/python bench/rush_bench.py --db sqlite:////tmp/school.db   # an existing demo

Starts ``tui-journal serve ssh`` on the school demo (``demo --size school``), then for each N
opens N asyncssh client connections at the same moment; each logs in with the demo
teacher's password (``tui-journal demo-logins``), asks for a pty of 80x24 and waits for the
home screen's text («Разделы») in its output. Prints for each N:

- auth: from the start to the end of the SSH password step (median, p90, max);
- home: from the start to the home screen drawn (median, p90, max);
- memory per session: growth of the summed PSS of the server's process tree (the server,
  its warm session server, its password workers, the sessions) from before the N sessions
  to all N drawn, divided by N; and the mean USS (private memory) of a session process;
- the server process's own RSS after the round (to see it grow or not);

and the ratio p90(largest N) / median(N=1). Goal: 30 at once p90 ≤ 1.5 s, ≤ 15 MB per session.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import asyncssh  # noqa: E402

HOME_TEXT = "Разделы".encode()
LISTENING = re.compile(r"слушает 127\.0\.0\.1:(\d+)")


# --- memory ---------------------------------------------------------------------------------


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def tree_of(pid: int) -> list[int]:
    tree = _children()
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += tree.get(p, [])
    return out


def rollup(pid: int) -> dict[str, int]:
    """kB figures of /proc/PID/smaps_rollup (Pss, Rss, Private_Clean, Private_Dirty…)."""
    values: dict[str, int] = {}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
            name, _, rest = line.partition(":")
            parts = rest.split()
            if parts and parts[0].isdigit():
                values[name.strip()] = int(parts[0])
    except OSError:
        pass
    return values


def tree_pss_kb(pid: int) -> int:
    return sum(rollup(p).get("Pss", 0) for p in tree_of(pid))


def uss_kb(pid: int) -> int:
    r = rollup(pid)
    return r.get("Private_Clean", 0) + r.get("Private_Dirty", 0)


TICK = os.sysconf("SC_CLK_TCK")


def cpu_s(pid: int) -> float:
    """CPU seconds (user + system) of a live process."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def cpu_split(server_pid: int) -> dict[str, float]:
    """CPU seconds so far of the server's parts: itself, its password workers, the warm
    server, the live sessions."""
    parts = {"server": cpu_s(server_pid), "auth workers": 0.0, "warm": 0.0, "sessions": 0.0}
    sessions = set(session_pids(server_pid))
    for pid in tree_of(server_pid)[1:]:
        line = cmdline(pid)
        if pid in sessions:
            parts["sessions"] += cpu_s(pid)
        elif "tui_journal.ssh.warm" in line:
            parts["warm"] += cpu_s(pid)
        elif "multiprocessing" in line:
            parts["auth workers"] += cpu_s(pid)
    return parts


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def session_pids(server_pid: int) -> list[int]:
    """The session processes: the warm server's children, or the server's own
    ``-m tui_journal.ssh`` children without one."""
    found = []
    tree = _children()
    for child in tree.get(server_pid, []):
        line = cmdline(child)
        if "tui_journal.ssh.warm" in line:
            found += tree.get(child, [])
        elif line.rstrip().endswith("tui_journal.ssh") or " -m tui_journal.ssh " in line:
            found.append(child)
    return found


# --- one client -------------------------------------------------------------------------------


class Client:
    def __init__(self, port: int, login: str, password: str) -> None:
        self.port, self.login, self.password = port, login, password
        self.auth = self.home = float("nan")
        self.conn: asyncssh.SSHClientConnection | None = None
        self.error = ""

    async def run(self, start: float, timeout: float) -> None:
        try:
            self.conn = await asyncssh.connect(
                "127.0.0.1", self.port, username=self.login, password=self.password, known_hosts=None,
                client_keys=None, agent_path=None, preferred_auth="password",
            )
            self.auth = time.monotonic() - start
            chan, _ = await self.conn.create_session(
                lambda: _Watcher(self), term_type="xterm-256color", term_size=(80, 24), encoding=None
            )
            self._chan = chan
            await asyncio.wait_for(self._drawn.wait(), timeout)
            self.home = time.monotonic() - start
        except Exception as exc:
            self.error = f"{type(exc).__name__}: {exc}"

    def setup(self) -> None:
        self._drawn = asyncio.Event()
        self._seen = b""

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


class _Watcher(asyncssh.SSHClientSession[bytes]):
    def __init__(self, client: Client) -> None:
        self.client = client

    def data_received(self, data: bytes, datatype: object) -> None:
        c = self.client
        if not c._drawn.is_set():
            c._seen = (c._seen + data)[-4096:]
            if HOME_TEXT in c._seen:
                c._drawn.set()


async def rush(port: int, n: int, login: str, password: str, timeout: float) -> list[Client]:
    clients = [Client(port, login, password) for _ in range(n)]
    for c in clients:
        c.setup()
    start = time.monotonic()
    await asyncio.gather(*(c.run(start, timeout) for c in clients))
    return clients


async def close_all(clients: list[Client]) -> None:
    for c in clients:
        c.close()
    for c in clients:
        if c.conn is not None:
            try:
                await asyncio.wait_for(c.conn.wait_closed(), 5)
            except Exception:
                pass


# --- the run ------------------------------------------------------------------------------


def figures(values: list[float]) -> str:
    ok = sorted(v for v in values if v == v)
    if not ok:
        return "   n/a"
    p90 = ok[min(len(ok) - 1, max(0, round(0.9 * len(ok)) - 1))]
    return f"{statistics.median(ok):5.2f} {p90:5.2f} {max(ok):5.2f}"


def p90_of(values: list[float]) -> float:
    ok = sorted(v for v in values if v == v)
    return ok[min(len(ok) - 1, max(0, round(0.9 * len(ok)) - 1))] if ok else float("nan")


def start_server(url: str, state: Path, port: int, extra: list[str]) -> tuple[subprocess.Popen[str], int]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui_journal", "serve", "ssh", "--host", "127.0.0.1", "--port", str(port),
         "--state-dir", str(state), "--db", url, *extra],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=open(state.parent / "server.log", "w"), text=True, env=env,
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        match = LISTENING.search(line)
        if match:
            return proc, int(match.group(1))
    proc.kill()
    raise SystemExit(f"the server did not start; see {state.parent / 'server.log'}")


def wait_sessions_gone(server_pid: int, limit: float = 30.0) -> None:
    deadline = time.monotonic() + limit
    while session_pids(server_pid) and time.monotonic() < deadline:
        time.sleep(0.2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1,10,30")
    parser.add_argument("--port", type=int, default=22250)
    parser.add_argument("--db", help="an existing demo database (seed 1)")
    parser.add_argument("--no-warm", action="store_true", help="sessions as fresh processes (the old way)")
    parser.add_argument("--rounds", type=int, default=1, help="repeat the largest N this many times")
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()
    sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    os.environ["PYTHONPATH"] = str(ROOT)

    from tui_journal.db.demo import build_demo, demo_logins

    folder = Path(tempfile.mkdtemp(prefix="tj-rush-"))
    url = args.db
    if url is None:
        url = f"sqlite:///{folder / 'school.db'}"
        started = time.monotonic()
        build_demo(url, size="school")
        print(f"school demo built in {time.monotonic() - started:.1f} s: {url}")
    teacher = next(x for x in demo_logins() if x.role == "teacher")
    extra = ["--no-warm"] if args.no_warm else []
    extra += ["--max-sessions", "200"]
    server, port = start_server(url, folder / "state", args.port, extra)
    print(f"serve ssh pid {server.pid} on port {port}, warm server: {'no' if args.no_warm else 'yes'}, "
          f"{os.cpu_count()} cores; teacher {teacher.login}")
    time.sleep(1.0)
    single = float("nan")
    rows = []
    try:
        plan = sizes + [sizes[-1]] * (args.rounds - 1)
        for n in plan:
            wait_sessions_gone(server.pid)
            time.sleep(0.5)
            before = tree_pss_kb(server.pid)
            cpu_before = cpu_split(server.pid)
            own_before = sum(os.times()[:2])
            clients = asyncio.run(_round(port, n, teacher.login, teacher.password, args.timeout, server.pid))
            drawn, after, uss, cpu_after = clients
            own = sum(os.times()[:2]) - own_before
            rows.append((n, drawn, before, after, uss, rollup(server.pid).get("Rss", 0)))
            if n == 1:
                single = statistics.median([c.home for c in drawn if c.home == c.home] or [float("nan")])
            errors = [c.error for c in drawn if c.error]
            auth = figures([c.auth for c in drawn])
            home = figures([c.home for c in drawn])
            per = (after - before) / n / 1024
            print(f"N={n:3d}  auth med/p90/max {auth} s   home drawn med/p90/max {home} s   "
                  f"PSS/session {per:5.1f} MB   USS/session {uss / 1024:5.1f} MB   "
                  f"server RSS {rows[-1][5] / 1024:5.1f} MB" + (f"   errors {len(errors)}: {errors[0]}" if errors else ""))
            spent = {k: cpu_after[k] - (0.0 if k == "sessions" else cpu_before[k]) for k in cpu_after}
            print("        CPU s: " + ", ".join(f"{k} {v:.2f}" for k, v in spent.items())
                  + f" ({spent['sessions'] / n:.2f}/session), this client {own:.2f}; "
                  + "load average {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
        big = rows[-1]
        ratio = p90_of([c.home for c in big[1]]) / single if single == single else float("nan")
        print(f"p90(N={big[0]}) / median(N=1) = {ratio:.1f}  (single session drawn in {single:.2f} s)")
        goal_ok = p90_of([c.home for c in big[1]]) <= 1.5 and (big[3] - big[2]) / big[0] / 1024 <= 15
        print(f"goal (p90 ≤ 1.5 s, ≤ 15 MB/session at N={big[0]}): {'met' if goal_ok else 'NOT met'}")
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
    return 0


async def _round(
    port: int, n: int, login: str, password: str, timeout: float, server_pid: int
) -> tuple[list[Client], int, float, dict[str, float]]:
    clients = await rush(port, n, login, password, timeout)
    await asyncio.sleep(1.0)  # the sessions settle at the home screen
    after = tree_pss_kb(server_pid)
    sessions = session_pids(server_pid)
    uss = statistics.mean(uss_kb(p) for p in sessions) if sessions else 0.0
    cpu = cpu_split(server_pid)
    await close_all(clients)
    return clients, after, uss, cpu


if __name__ == "__main__":
    raise SystemExit(main())
