"""How long the whole school's ``progress-summary`` takes as a PDF (goal: under 3 s).

    .venv/bin/python bench/reports_bench.py                  # builds the «school» demo in a temp file
    .venv/bin/python bench/reports_bench.py --db sqlite:///demo/journal.db
    .venv/bin/python bench/reports_bench.py --period "1 четверть" --repeat 3 -o /tmp/summary.pdf

Prints the time to compute the report, to render the PDF, the total (wall clock, and the CPU
time of this process, which a busy machine disturbs less), the pages and the size.
The first run includes importing reportlab (about 0.15 s); later runs in the same process
do not. A benchmark prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import tempfile
import time
from pathlib import Path

from tui_journal.db.database import open_database
from tui_journal.services.actor import Actor
from tui_journal.services.reports import ReportParams, run_report
from tui_journal.services.school import resolve_school

GOAL_SECONDS = 3.0
DEMO_TODAY = dt.date(2026, 12, 20)  # late in the 2nd quarter: a full quarter of marks before it


def _build_demo(today: dt.date) -> tuple[str, tempfile.TemporaryDirectory[str]]:
    from tui_journal.db.demo import build_demo

    folder = tempfile.TemporaryDirectory(prefix="reports-bench-")
    url = f"sqlite:///{Path(folder.name) / 'journal.db'}"
    started = time.perf_counter()
    build_demo(url, size="school", today=today)
    print(f"demo «school» built in {time.perf_counter() - started:.1f} s: {url}")
    return url, folder


def _pages(data: bytes) -> int | str:
    try:
        from pypdf import PdfReader
    except ImportError:
        return "?"
    return len(PdfReader(io.BytesIO(data)).pages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", metavar="URL", help="database URL (default: build the «school» demo in a temp file)")
    parser.add_argument("--school", metavar="ID_OR_NAME", help="the school, if the database holds several")
    parser.add_argument("--period", help="period name (default: the current one; with a fresh demo, «1 четверть»)")
    parser.add_argument("--date", help="the report's date, ДД.ММ.ГГГГ (default: today; with a fresh demo, 20.12.2026)")
    parser.add_argument("--repeat", type=int, default=2, help="runs in one process (default 2)")
    parser.add_argument("-o", "--output", help="keep the last PDF here")
    args = parser.parse_args(argv)

    folder = None
    day = dt.datetime.strptime(args.date, "%d.%m.%Y").date() if args.date else None
    period = args.period
    url = args.db
    if url is None:
        url, folder = _build_demo(DEMO_TODAY)
        day = day or DEMO_TODAY
        period = period or "1 четверть"
    db = open_database(url)
    try:
        actor = Actor.console(resolve_school(args.school).id, origin="cli")
        from tui_journal.export.pdf import render_pdf

        data = b""
        for run in range(1, max(1, args.repeat) + 1):
            started = time.perf_counter()
            cpu = time.process_time()
            model = run_report(actor, "progress-summary", ReportParams(period=period, date=day, today=day), fmt="pdf")
            computed = time.perf_counter()
            data = render_pdf(model)
            rendered = time.perf_counter()
            total = rendered - started
            cpu_used = time.process_time() - cpu
            pupils = sum(len(s.rows) for s in model.sections)
            verdict = "ok" if total < GOAL_SECONDS else f"SLOWER than the {GOAL_SECONDS:.0f} s goal"
            print(
                f"run {run}: progress-summary of the whole school ({len(model.sections)} classes, {pupils} pupils, "
                f"{model.params.get('Период', '')}): report {computed - started:.2f} s + PDF {rendered - computed:.2f} s "
                f"= {total:.2f} s (CPU {cpu_used:.2f} s); {_pages(data)} pages, {len(data) // 1024} KB — {verdict}"
            )
        if args.output:
            Path(args.output).write_bytes(data)
            print(f"saved: {args.output}")
    finally:
        db.close()
        if folder is not None:
            folder.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
