"""The secretary's search-as-you-type (R-SEC-1, issue item 7): time of one search.

Runs :func:`tui_journal.services.enrollment.search_students` for 100 three-letter prefixes
of real surnames of the school and prints the median, 90th percentile and worst time in
milliseconds (the goal: under 50 ms of work on the ``district`` demo database).

    .venv/bin/python bench/search_bench.py                 # builds the district demo in a temp dir
    .venv/bin/python bench/search_bench.py --db sqlite:///demo/district.db
    .venv/bin/python bench/search_bench.py --db postgresql://postgres@127.0.0.1/bench

Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tui_journal.db.database import open_database, sqlite_url
from tui_journal.db.models import School, Student
from tui_journal.services import enrollment
from tui_journal.services import roles as R
from tui_journal.services.actor import Actor


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="database URL (default: build the district demo in a temp dir)")
    parser.add_argument("--searches", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    url = args.db
    if not url:
        from tui_journal.db.demo import build_demo

        url = sqlite_url(Path(tempfile.mkdtemp(prefix="tj-bench-")) / "district.db")
        started = time.perf_counter()
        build_demo(url, size="district", seed=args.seed)
        print(f"district demo built in {time.perf_counter() - started:.1f} s: {url}")
    db = open_database(url)
    schools = School.select().count()
    pupils = Student.select().count()
    school = School.select().order_by(School.id).first()
    if school is None:
        print("the database holds no school", file=sys.stderr)
        return 1
    actor = Actor(school_id=school.id, login="bench", name="bench", roles=frozenset({R.SECRETARY}), user_id=None)
    surnames = [s.last_name for s in Student.select(Student.last_name).where(Student.school == school.id)]
    rng = random.Random(args.seed)
    prefixes = [name[:3] for name in rng.choices(surnames, k=args.searches) if len(name) >= 3]
    enrollment.search_students(actor, prefixes[0])  # warm the caches once
    times, found = [], 0
    for prefix in prefixes:
        started = time.perf_counter()
        hits = enrollment.search_students(actor, prefix)
        times.append((time.perf_counter() - started) * 1000)
        found += len(hits)
    db.close()
    times.sort()
    p90 = times[int(len(times) * 0.9) - 1]
    print(f"database: {db.__class__.__name__}, {schools} schools, {pupils} pupils ({len(surnames)} in the school searched)")
    print(
        f"search_students, {len(times)} three-letter prefixes: median {statistics.median(times):.1f} ms, "
        f"p90 {p90:.1f} ms, max {times[-1]:.1f} ms (goal: under 50 ms); {found / len(times):.1f} hits on average"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
