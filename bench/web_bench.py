"""Web bench: what the browser route costs (a script, not a test).

    .venv/bin/python bench/web_bench.py              # a fresh tiny demo; port 8180
    .venv/bin/python bench/web_bench.py --ssh        # also run bench/wire_bench.py (SSH figures)
    .venv/bin/python bench/web_bench.py --sessions 30

Starts ``tui-journal serve web`` on 127.0.0.1 and prints:

1. the first page load: each file's bytes uncached (plain and gzip, as a browser asks) and
   cached (the browser sends If-None-Match; 304);
2. the websocket at 80x24 through the teacher's steps of ``wire_bench`` (login screen, log in,
   journal chooser, grade grid, one cursor move, one mark, 10 s idle) and the parent's diary
   week: bytes of the frames' payloads, and through one zlib stream flushed per message (what
   the browser's permessage-deflate with context takeover sends, without framing);
3. N websockets opened at once, each to the login screen drawn: time median/p90, errors,
   memory of the session processes (PSS summed, from /proc).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DOWN, ENTER = "\x1b[B", "\r"
QUIET = 1.0
ASSETS = ("", "static/css/xterm.css", "static/js/textual.js", "static/fonts/RobotoMono.ttf")


def fmt(n: float) -> str:
    return f"{int(n):,d}".replace(",", " ")


async def page_load(base: str) -> None:
    print("First page load (HTTP bodies; headers not counted)")
    print(f"  {'file':32} {'plain':>9} {'gzip':>9} {'cached':>8}")
    totals = [0, 0, 0]
    async with aiohttp.ClientSession(auto_decompress=False) as http:
        for name in ASSETS:
            async with http.get(base + name, headers={"Accept-Encoding": "identity"}) as r:
                plain = len(await r.read())
                etag = r.headers.get("ETag")
            async with http.get(base + name, headers={"Accept-Encoding": "gzip"}) as r:
                packed = len(await r.read())
            cached = plain
            if etag:
                async with http.get(base + name, headers={"If-None-Match": etag}) as r:
                    cached = len(await r.read()) if r.status != 304 else 0
            for i, v in enumerate((plain, packed, cached)):
                totals[i] += v
            print(f"  {name or '/ (the page)':32} {fmt(plain):>9} {fmt(packed):>9} {fmt(cached):>8}")
    print(f"  {'total':32} {fmt(totals[0]):>9} {fmt(totals[1]):>9} {fmt(totals[2]):>8}")
    print()


class Wire:
    """One websocket session: counts payload bytes per step, and their zlib-stream size."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse[bool]) -> None:
        self.ws = ws
        self.zlib = zlib.compressobj(6, zlib.DEFLATED, -15)
        self.text = b""
        self.rows: list[tuple[str, int, int, int]] = []

    async def step(self, quiet: float = QUIET, first: float = 20.0) -> tuple[int, int, int]:
        raw = packed = frames = 0
        deadline = time.monotonic() + first
        got = False
        while True:
            timeout = quiet if got else max(0.1, deadline - time.monotonic())
            try:
                msg = await self.ws.receive(timeout=timeout)
            except asyncio.TimeoutError:
                break
            if msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                break
            data = msg.data if isinstance(msg.data, bytes) else str(msg.data).encode()
            raw += len(data)
            frames += 1
            packed += len(self.zlib.compress(data) + self.zlib.flush(zlib.Z_SYNC_FLUSH)) - 4
            if msg.type == aiohttp.WSMsgType.BINARY:
                self.text = (self.text + data)[-20000:]
            got = True
        return raw, packed, frames

    async def keys(self, *keys: str, pause: float = 0.1) -> None:
        for key in keys:
            await self.ws.send_str(json.dumps(["stdin", key]))
            await asyncio.sleep(pause)

    async def measure(self, name: str, quiet: float = QUIET) -> None:
        raw, packed, frames = await self.step(quiet)
        self.rows.append((name, raw, packed, frames))


def section_index(url: str, login: str, key: str) -> int | None:
    from tui_journal.db.database import open_database
    from tui_journal.db.models import User
    from tui_journal.screens import sections
    from tui_journal.services.auth import actor_for

    db = open_database(url)
    try:
        from tui_journal.app import register_sections

        register_sections()
        actor = actor_for(User.get(User.login == login))
        keys = [s.key for s in sections.sections_for(actor.roles, leads_a_class=bool(actor.led_class_ids))]
        return keys.index(key) if key in keys else None
    finally:
        db.close()


async def wire(base: str, url: str) -> list[tuple[str, int, int, int]]:
    from tui_journal.db.demo import demo_logins

    logins = {x.role: x for x in demo_logins(1)}
    teacher, parent = logins["teacher"], logins["parent"]
    ws_url = base.replace("http", "ws", 1) + "ws?width=80&height=24"
    rows: list[tuple[str, int, int, int]] = []
    async with aiohttp.ClientSession() as http:
        async with http.ws_connect(ws_url, max_msg_size=0) as ws:
            w = Wire(ws)
            await ws.send_str(json.dumps(["resize", {"width": 80, "height": 24}]))
            await w.measure("login screen (start → drawn)", quiet=1.5)
            await w.keys(teacher.login)
            await w.keys(ENTER, pause=0.3)
            await w.keys(teacher.password, ENTER)
            await w.measure("log in → home", quiet=1.5)
            index = section_index(url, teacher.login, "journal") or 0
            await w.keys(*([DOWN] * index))
            await w.step()
            await w.keys(ENTER)
            await w.measure("home → journal chooser", quiet=1.5)
            await w.keys("7а алг", pause=0.3)
            await w.step()
            await w.keys(ENTER)
            await w.measure("chooser → grade grid", quiet=1.5)
            await w.keys(DOWN)
            await w.measure("cursor one row down")
            await w.keys("5")
            await w.measure("one mark")
            raw, packed, frames = await w.step(quiet=10.0, first=10.0)
            w.rows.append(("idle 10 s", raw, packed, frames))
            rows += w.rows
        async with http.ws_connect(ws_url, max_msg_size=0) as ws:
            w = Wire(ws)
            await ws.send_str(json.dumps(["resize", {"width": 80, "height": 24}]))
            await w.step(quiet=1.5)
            await w.keys(parent.login)
            await w.keys(ENTER, pause=0.3)
            await w.keys(parent.password, ENTER)
            await w.step(quiet=1.5)
            index = section_index(url, parent.login, "diary") or 0
            await w.keys(*([DOWN] * index))
            await w.step()
            await w.keys(ENTER)
            await w.measure("parent: home → diary week", quiet=1.5)
            rows += w.rows
    return rows


def pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def descendants(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            child = int(entry.name)
            found += [child, *descendants(child)]
    return found


async def crowd(base: str, n: int, server_pid: int) -> None:
    ws_url = base.replace("http", "ws", 1) + "ws?width=80&height=24"
    times: list[float] = []
    errors: list[str] = []
    gate = asyncio.Event()
    done = asyncio.Event()
    reached = 0

    async def one(http: aiohttp.ClientSession) -> None:
        nonlocal reached
        start = time.monotonic()
        try:
            async with http.ws_connect(ws_url, max_msg_size=0) as ws:
                seen = b""
                while "Логин".encode() not in seen:
                    msg = await ws.receive(timeout=60)
                    if msg.type != aiohttp.WSMsgType.BINARY:
                        if msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                            raise RuntimeError(f"closed: {msg.type}")
                        continue
                    seen = (seen + msg.data)[-4000:]
                times.append(time.monotonic() - start)
                reached += 1
                if reached == n:
                    gate.set()
                await done.wait()  # hold the session open until all are in
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
            if len(times) + len(errors) == n:
                gate.set()

    async with aiohttp.ClientSession() as http:
        tasks = [asyncio.create_task(one(http)) for _ in range(n)]
        try:
            await asyncio.wait_for(gate.wait(), 120)
        except asyncio.TimeoutError:
            errors.append("timeout")
        await asyncio.sleep(1.0)
        kids = descendants(server_pid)
        pss = sum(pss_kb(p) for p in kids)
        server = pss_kb(server_pid)
        done.set()
        await asyncio.gather(*tasks, return_exceptions=True)
    print(f"{n} browser sessions opened at once (websocket → login screen drawn)")
    if times:
        times.sort()
        p90 = times[min(len(times) - 1, round(0.9 * len(times)) - 1)]
        print(f"  reached the login screen: {len(times)}/{n}; median {statistics.median(times):.2f} s, p90 {p90:.2f} s, max {times[-1]:.2f} s")
    print(f"  errors: {len(errors)}" + (f" ({'; '.join(sorted(set(errors))[:3])})" if errors else ""))
    print(f"  memory: server {server / 1024:.1f} MB PSS; {len(kids)} session processes {pss / 1024:.1f} MB PSS in all, "
          f"{pss / 1024 / max(1, len(times)):.1f} MB each")
    print()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="URL of an existing demo database (default: a fresh tiny demo)")
    parser.add_argument("--port", type=int, default=8180)
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--ssh", action="store_true", help="also run bench/wire_bench.py for the SSH figures")
    args = parser.parse_args()

    from tui_journal.db.demo import build_demo

    url = args.db
    if url is None:
        folder = Path(tempfile.mkdtemp(prefix="tj-web-bench-"))
        url = f"sqlite:///{folder / 'journal.db'}"
        build_demo(url, size="tiny")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [sys.executable, "-m", "tui_journal", "serve", "web", "--db", url, "--host", "127.0.0.1",
         "--port", str(args.port), "--max-sessions", str(args.sessions + 5)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        print(server.stdout.readline().strip())
        base = f"http://127.0.0.1:{args.port}/"
        asyncio.run(page_load(base))
        rows = asyncio.run(wire(base, url))
        print("Websocket at 80x24 (payload bytes; zlib = permessage-deflate estimate)")
        print(f"  {'step':34} {'bytes':>9} {'zlib':>8} {'frames':>7}")
        for name, raw, packed, frames in rows:
            print(f"  {name:34} {fmt(raw):>9} {fmt(packed):>8} {frames:>7}")
        print()
        asyncio.run(crowd(base, args.sessions, server.pid))
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
    if args.ssh:
        print("SSH figures (bench/wire_bench.py):")
        sys.stdout.flush()
        subprocess.run([sys.executable, str(ROOT / "bench" / "wire_bench.py"), "--db", url], env=env, check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
