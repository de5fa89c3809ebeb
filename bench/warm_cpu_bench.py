"""Warm-path CPU bench: what a session forked from a warm server spends from the fork to its
home screen drawn (a script, not a test).

    .venv/bin/python bench/warm_cpu_bench.py --db sqlite:////tmp/school.db [--runs 8] [--no-preparse]

The parent does what ``tui-journal serve warm`` does before it forks (preload, the stylesheets
parsed into the cache, ``gc.freeze()``); each child opens the database, builds the app logged
in as the demo teacher (as ``serve ssh`` hands it over) and runs it headless at 80x24 until
the home screen is drawn. Prints each child's CPU (user+sys), the median, and the stylesheet
parses the child still did.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import resource
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _mappings() -> dict[str, int]:
    """Private (copied or new) kB of each mapping of this process, by address range."""
    found: dict[str, int] = {}
    current = ""
    with open("/proc/self/smaps") as fh:
        for line in fh:
            head = line.split(maxsplit=1)[0]
            if "-" in head and not head.endswith(":"):
                current = head
                found[current] = 0
            elif head in ("Private_Dirty:", "Private_Clean:"):
                found[current] += int(line.split()[1])
    return found


PARENT_MAPS: dict[str, int] = {}


def child(url: str, login: str, write: int) -> None:
    start = _cpu()
    gc.enable()
    from tui_journal.app import JournalApp
    from tui_journal.db.database import open_database
    from tui_journal.services import auth
    from tui_journal.services.accounts import find_user
    from tui_journal.ssh import session
    from tui_journal.widgets import css_cache

    css_cache.misses = 0
    settings = session.load(argparse.Namespace(db=url, config=None))
    open_database(settings.db_url)
    user = find_user(login)
    assert user is not None, login
    actor = auth.actor_for(user, origin="ssh", address="127.0.0.1")
    app = JournalApp(settings, actor=actor, origin="ssh", address="127.0.0.1")
    drawn: dict[str, float] = {}

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(200):
                await pilot.pause()
                if type(app.screen).__name__ == "HomeScreen":
                    await pilot.pause()
                    drawn["cpu"] = _cpu() - start
                    maps = _mappings()
                    drawn["copied_kb"] = sum(kb for rng, kb in maps.items() if rng in PARENT_MAPS)
                    drawn["new_kb"] = sum(kb for rng, kb in maps.items() if rng not in PARENT_MAPS)
                    return

    asyncio.run(go())
    os.write(write, json.dumps({
        "ms": round(drawn.get("cpu", -1) * 1000, 1), "misses": css_cache.misses,
        "private MB in the parent's mappings (copied pages)": round(drawn.get("copied_kb", 0) / 1024, 1),
        "private MB in new mappings": round(drawn.get("new_kb", 0) / 1024, 1),
    }).encode() + b"\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--runs", type=int, default=8)
    parser.add_argument("--no-preparse", action="store_true")
    args = parser.parse_args()
    from tui_journal.db.demo import demo_logins
    from tui_journal.ssh import session, warm

    settings = session.load(argparse.Namespace(db=args.db, config=None))
    login = {x.role: x for x in demo_logins(1)}["teacher"].login
    warm.preload(settings.db_url)
    if not args.no_preparse:
        warm.preparse_styles(settings)
    gc.collect()
    gc.freeze()
    PARENT_MAPS.update(_mappings())
    figures = []
    for _ in range(args.runs):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                if os.environ.get("WARM_BENCH_PROFILE"):
                    import cProfile
                    import pstats

                    prof = cProfile.Profile()
                    prof.runcall(child, settings.db_url, login, w)
                    pstats.Stats(prof).sort_stats(os.environ.get("WARM_BENCH_PROFILE", "cumulative")).print_stats(45)
                else:
                    child(settings.db_url, login, w)
            except BaseException:
                import traceback

                traceback.print_exc()
                code = 1
            os._exit(code)
        os.close(w)
        os.waitpid(pid, 0)
        data = os.read(r, 4096)
        os.close(r)
        if data:
            figures.append(json.loads(data))
            print(figures[-1], flush=True)
    ms = [f["ms"] for f in figures]
    if ms:
        print(f"median {statistics.median(ms):.0f} ms, min {min(ms):.0f} ms, max {max(ms):.0f} ms (load {os.getloadavg()[0]:.1f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
