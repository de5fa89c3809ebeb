"""Writers bench: N processes typing marks with no pause (a script, not a test).

    .venv/bin/python bench/writers_bench.py                        # 30 writers, 10 s, a copy of the school demo
    .venv/bin/python bench/writers_bench.py --db sqlite:////path/demo.db --writers 30 --seconds 10
    TUI_JOURNAL_TEST_PG=postgresql://… .venv/bin/python bench/writers_bench.py --pg   # also PostgreSQL

Each writer is a separate OS process (one SSH session each): it opens the database by URL
once (one connection kept for the whole run, as a session does), takes the demo teacher's
journal and writes marks into its own pupil's cells through ``journal.set_cell`` (the
service: permission check, one write transaction, an audit row), as fast as it can, for
``--seconds``. Prints throughput, errors and the latency of one mark (p50/p90/p99/max).

On PostgreSQL the demo is built into the database given (``--pg`` uses
``TUI_JOURNAL_TEST_PG``; use a database of your own, it is overwritten).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _writer(url: str, index: int, seconds: float, start, results) -> None:  # type: ignore[no-untyped-def]
    from tui_journal.db.database import open_database
    from tui_journal.db.demo import demo_logins
    from tui_journal.db.models import User
    from tui_journal.services import journal
    from tui_journal.services.auth import actor_for

    latencies: list[float] = []
    errors: dict[str, int] = {}
    try:
        open_database(url)
        login = next(x for x in demo_logins(1) if x.role == "teacher")
        actor = actor_for(User.get(User.login == login.login), origin="tui")
        refs = [r for r in journal.my_journals(actor) if r.writable]
        ref = refs[index % len(refs)]
        grid = journal.open_grid(actor, ref.class_id, ref.subject_id, ref.group_id)
        row = grid.rows[(index // len(refs)) % len(grid.rows)]
        lessons = [c.lesson_id for c in grid.columns] or [0]
        start.wait(60)
        end = time.monotonic() + seconds
        n = 0
        while time.monotonic() < end:
            lesson = lessons[n % len(lessons)]
            text = "5" if (n // len(lessons)) % 2 == 0 else "4"
            t0 = time.perf_counter()
            try:
                journal.set_cell(actor, lesson, row.student_id, text)
            except Exception as exc:  # counted, the writer goes on
                key = f"{type(exc).__name__}: {exc}"[:80]
                errors[key] = errors.get(key, 0) + 1
            else:
                latencies.append(time.perf_counter() - t0)
            n += 1
    except Exception as exc:
        errors[f"setup {type(exc).__name__}: {exc}"[:80]] = 1
    results.put((index, latencies, errors))


def run(url: str, writers: int, seconds: float) -> dict[str, object]:
    ctx = mp.get_context("spawn")
    start = ctx.Event()
    results = ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(url, i, seconds, start, results)) for i in range(writers)]
    for p in procs:
        p.start()
    time.sleep(2.0 + writers * 0.05)  # let them import and open the database
    start.set()
    latencies: list[float] = []
    errors: dict[str, int] = {}
    for _ in procs:
        _, lat, err = results.get(timeout=seconds + 120)
        latencies += lat
        for k, v in err.items():
            errors[k] = errors.get(k, 0) + v
    for p in procs:
        p.join(30)
    latencies.sort()

    def pct(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else float("nan")

    return {
        "marks": len(latencies),
        "per_s": len(latencies) / seconds,
        "errors": errors,
        "p50": pct(0.50),
        "p90": pct(0.90),
        "p99": pct(0.99),
        "max": latencies[-1] * 1000 if latencies else float("nan"),
        "mean": statistics.fmean(latencies) * 1000 if latencies else float("nan"),
    }


def report(label: str, r: dict[str, object]) -> None:
    errors = r["errors"]
    n_err = sum(errors.values())  # type: ignore[attr-defined]
    print(
        f"{label:10} {r['marks']:7d} marks  {r['per_s']:7.0f}/s  errors {n_err:4d}   "
        f"p50 {r['p50']:7.1f}  p90 {r['p90']:7.1f}  p99 {r['p99']:7.1f}  max {r['max']:7.1f} ms"
    )
    for k, v in errors.items():  # type: ignore[attr-defined]
        print(f"           {v:5d} × {k}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a demo database of seed 1 (SQLite: a copy is used)")
    parser.add_argument("--writers", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--pg", action="store_true", help="also PostgreSQL at $TUI_JOURNAL_TEST_PG (rebuilt)")
    parser.add_argument("--no-sqlite", action="store_true")
    args = parser.parse_args()

    print(f"{args.writers} writer processes, {args.seconds:.0f} s each, no pause between marks "
          f"({os.cpu_count()} CPUs)")
    if not args.no_sqlite:
        folder = Path(tempfile.mkdtemp(prefix="tj-writers-"))
        path = folder / "journal.db"
        if args.db:
            source = Path(args.db.split("sqlite:///", 1)[1])
            shutil.copy(source, path)
        else:
            from tui_journal.db.demo import build_demo

            print("building the school demo …", flush=True)
            build_demo(f"sqlite:///{path}", size="school")
        report("SQLite", run(f"sqlite:///{path}", args.writers, args.seconds))
        shutil.rmtree(folder, ignore_errors=True)
    if args.pg:
        url = os.environ.get("TUI_JOURNAL_TEST_PG")
        if not url:
            print("PostgreSQL: TUI_JOURNAL_TEST_PG is not set")
        else:
            from tui_journal.db.demo import build_demo

            print("building the school demo in PostgreSQL …", flush=True)
            build_demo(url, size="school")
            report("PostgreSQL", run(url, args.writers, args.seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
