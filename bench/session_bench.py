"""Session bench: CPU and memory of one session (a script, not a test).

    .venv/bin/python bench/session_bench.py --db sqlite:////path/demo.db   # a demo of seed 1
    .venv/bin/python bench/session_bench.py --entry ssh                     # python -m tui_journal.ssh

Runs the real app in an 80x24 pseudo-terminal (the pty driver of ``bench/grid_bench.py``)
and reads the child's CPU time (user + system, ``/proc/PID/stat``) and memory (RSS, and
USS = private clean + private dirty, ``/proc/PID/smaps_rollup``) at each step:

- start → login screen drawn: the CPU of a fresh process (imports, first paint);
- login → home drawn: the CPU of the login (argon2 check ~20 ms included) and of the home
  screen's first paint — what a warm fork server's child pays per session;
- home → grade grid drawn, and the memory with the grid open.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import grid_bench  # noqa: E402
import wire_bench  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def cpu_ms(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / TICK


def memory_mb(pid: int) -> tuple[float, float]:
    values: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        values[name] = int(value.split()[0])
    uss = values.get("Private_Clean", 0) + values.get("Private_Dirty", 0)
    return values.get("Rss", 0) / 1024, uss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="URL of a demo database of seed 1")
    parser.add_argument("--entry", choices=sorted(wire_bench.ENTRIES), default="run")
    parser.add_argument("--term", default="xterm-256color")
    args = parser.parse_args()
    grid_bench.LAUNCH = wire_bench.ENTRIES[args.entry]

    from tui_journal.db.database import open_database
    from tui_journal.db.demo import build_demo, demo_logins
    from tui_journal.db.models import User
    from tui_journal.services import journal
    from tui_journal.services.auth import actor_for

    url = args.db
    if url is None:
        url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='tj-session-bench-')) / 'journal.db'}"
        build_demo(url, size="tiny")
    teacher = next(x for x in demo_logins(1) if x.role == "teacher")
    db = open_database(url)
    actor = actor_for(User.get(User.login == teacher.login))
    ref = next(r for r in journal.my_journals(actor) if r.writable)
    words = f"{ref.class_name} {ref.subject_name.split()[0][:3]}"
    index = wire_bench.section_index(actor, "journal")
    db.close()

    s = wire_bench.Session(url, args.term)
    rows: list[tuple[str, float, float, float]] = []
    try:
        pid = s.term.pid
        s.first_frame()
        login_cpu = cpu_ms(pid)
        rows.append(("start → login screen drawn", login_cpu, *memory_mb(pid)))
        s.keys(teacher.login)
        s.keys(wire_bench.ENTER, pause=0.3)
        before = cpu_ms(pid)
        s.keys(teacher.password, wire_bench.ENTER)
        s.step(quiet=1.0)
        rows.append(("log in → home drawn", cpu_ms(pid) - before, *memory_mb(pid)))
        if index is not None:
            s.keys(*([wire_bench.DOWN] * index))
            s.settle()
            s.keys(wire_bench.ENTER)
            s.step(quiet=1.0)
            s.keys(words, pause=0.3)
            s.settle()
            before = cpu_ms(pid)
            s.keys(wire_bench.ENTER)
            s.step(quiet=1.0)
            rows.append(("chooser → grade grid drawn", cpu_ms(pid) - before, *memory_mb(pid)))
    finally:
        s.close()

    print()
    print(f"database: {url}")
    print(f"session:  {'python -m tui_journal.ssh' if args.entry == 'ssh' else 'tui-journal run'}, 80x24 {args.term}")
    print("CPU includes the 1 s of quiet that ends each step (an idle session uses none).")
    print()
    print(f"{'step':30} {'CPU ms':>8} {'RSS MB':>8} {'USS MB':>8}")
    for name, cpu, rss, uss in rows:
        print(f"{name:30} {cpu:8.0f} {rss:8.1f} {uss:8.1f}")
    return 0


if __name__ == "__main__":
    time.sleep(0)
    sys.exit(main())
