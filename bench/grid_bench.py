"""Grade grid benchmark: server time and terminal bytes (a script, not a test).

    .venv/bin/python bench/grid_bench.py                     # builds /tmp/tui-journal-bench/school.db if missing
    .venv/bin/python bench/grid_bench.py --size district
    .venv/bin/python bench/grid_bench.py --db sqlite:////path/to/demo.db   # an existing demo (seed 1)

Prints:

- the server time of ``journal.open_grid`` for the biggest class × subject of the demo teacher
  over a whole quarter (the first one, which is complete), median of 20 runs, and for the
  current period;
- the time of one ``journal.set_cell`` (a real change with its audit row), median of 50;
- the bytes the real app writes to an 80x24 ``xterm-256color`` terminal (run in a pty, logged
  in by keystrokes) for: start, login, opening the grid, moving the cursor one row and one
  column, entering one mark, and 5 s idle; each also compressed with zlib as one stream
  flushed per step (what ``ssh -C`` sends).

It writes to the database it is given: the set_cell runs and the typed mark are put back to
the cell's original text at the end (the audit rows stay).
"""

from __future__ import annotations

import argparse
import datetime as dt
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import sys
import termios
import time
import zlib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOALS = {
    "open_grid": "≤ 150 ms",
    "set_cell": "≤ 20 ms",
    "cursor": "≤ 300 B",
    "mark": "≤ 500 B",
    "idle": "0 B",
}

# The app with the journal sections registered (until app.py calls register_all itself).
LAUNCH = (
    "import sys;"
    "from tui_journal.screens.journal_sections import register_all;register_all();"
    "from tui_journal.cli.core import main;sys.exit(main(sys.argv[1:]))"
)


def default_db(size: str) -> str:
    path = Path("/tmp/tui-journal-bench") / f"{size}.db"
    url = f"sqlite:///{path}"
    if not path.exists():
        from tui_journal.db.demo import build_demo

        path.parent.mkdir(parents=True, exist_ok=True)
        print(f"building the {size} demo into {path} …", flush=True)
        build_demo(url, size=size)  # type: ignore[arg-type]
    return url


# --- server side ---------------------------------------------------------------------------


def server_figures(url: str) -> dict[str, Any]:
    from tui_journal.db.database import open_database
    from tui_journal.db.demo import demo_logins
    from tui_journal.db.models import User
    from tui_journal.services import journal
    from tui_journal.services.auth import actor_for

    db = open_database(url)
    login = next(x for x in demo_logins(1) if x.role == "teacher")
    user = User.get(User.login == login.login)
    actor = actor_for(user, origin="tui")
    refs = [r for r in journal.my_journals(actor) if r.writable]

    def size_of(ref: journal.JournalRef, period_id: int | None = None) -> tuple[int, Any]:
        grid = journal.open_grid(actor, ref.class_id, ref.subject_id, ref.group_id, period_id)
        return len(grid.rows) * max(1, len(grid.columns)), grid

    first_period = journal.open_grid(actor, refs[0].class_id, refs[0].subject_id, refs[0].group_id).periods[0].id
    best = max(refs, key=lambda r: size_of(r, first_period)[0])
    _, full = size_of(best, first_period)
    times = []
    for _ in range(20):
        start = time.perf_counter()
        journal.open_grid(actor, best.class_id, best.subject_id, best.group_id, first_period)
        times.append(time.perf_counter() - start)
    open_full = statistics.median(times)
    current = journal.open_grid(actor, best.class_id, best.subject_id, best.group_id)
    times = []
    for _ in range(20):
        start = time.perf_counter()
        journal.open_grid(actor, best.class_id, best.subject_id, best.group_id)
        times.append(time.perf_counter() - start)
    open_current = statistics.median(times)

    # one cell of the current period's last lesson, set 50 times (alternating values)
    column = current.columns[-1]
    row = current.rows[0]
    original = current.cell(row.student_id, column.lesson_id)
    from tui_journal.widgets.grade_grid import base_of

    original_text = base_of(original).text
    times = []
    for i in range(50):
        text = "5" if i % 2 == 0 else "4"
        start = time.perf_counter()
        journal.set_cell(actor, column.lesson_id, row.student_id, text)
        times.append(time.perf_counter() - start)
    journal.set_cell(actor, column.lesson_id, row.student_id, original_text)
    save = statistics.median(times)
    db.close()
    return {
        "actor": actor,
        "login": login,
        "ref": best,
        "full": (len(full.rows), len(full.columns), full.period.name, open_full),
        "current": (len(current.rows), len(current.columns), current.period.name, open_current),
        "save": save,
    }


# --- the terminal ------------------------------------------------------------------------------


class Terminal:
    """The app in a pseudo-terminal of 80x24; counts what it writes."""

    def __init__(self, url: str, term: str = "xterm-256color") -> None:
        env = dict(os.environ, TERM=term, COLUMNS="80", LINES="24", TEXTUAL_ANIMATIONS="none")
        env.pop("COLORTERM", None)
        pid, fd = pty.fork()
        if pid == 0:  # the child: the real app
            os.execve(sys.executable, [sys.executable, "-c", LAUNCH, "run", "--db", url], env)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.zstream = zlib.compressobj(6)

    def read_until_quiet(self, quiet: float = 0.5, first: float = 10.0, limit: float = 30.0) -> bytes:
        """Read until nothing came for ``quiet`` seconds after the first byte (which may take
        up to ``first`` seconds on a busy machine)."""
        data = bytearray()
        start = time.monotonic()
        last: float | None = None
        while time.monotonic() - start < limit:
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                data += chunk
                last = time.monotonic()
            elif last is None:
                if time.monotonic() - start >= first:
                    break
            elif time.monotonic() - last >= quiet:
                break
        return bytes(data)

    def read_for(self, seconds: float) -> bytes:
        data = bytearray()
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            ready, _, _ = select.select([self.fd], [], [], min(0.1, left))
            if ready:
                try:
                    data += os.read(self.fd, 65536)
                except OSError:
                    break
        return bytes(data)

    def send(self, text: str | bytes, pause: float = 0.05) -> None:
        os.write(self.fd, text.encode() if isinstance(text, str) else text)
        time.sleep(pause)

    def compressed(self, data: bytes) -> int:
        if not data:
            return 0
        return len(self.zstream.compress(data) + self.zstream.flush(zlib.Z_SYNC_FLUSH))

    def close(self) -> None:
        try:
            os.write(self.fd, b"\x1b[21~")  # F10: quit
            time.sleep(0.5)
            os.kill(self.pid, signal.SIGTERM)
        except OSError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass


DOWN, RIGHT, LEFT, ENTER = "\x1b[B", "\x1b[C", "\x1b[D", "\r"


def terminal_figures(
    url: str, login: str, password: str, journal_title_words: str, section_index: int
) -> list[tuple[str, bytes, int]]:
    term = Terminal(url)
    steps: list[tuple[str, bytes, int]] = []

    def step(name: str, data: bytes) -> None:
        steps.append((name, data, term.compressed(data)))

    def drain() -> None:
        """Let anything late from the previous step arrive before the next one is measured."""
        term.read_until_quiet(quiet=1.0, first=1.0)

    try:
        step("start (login form)", term.read_until_quiet(quiet=1.5, first=20.0))
        drain()
        term.send(login)
        term.send(ENTER)
        term.send(password)
        term.send(ENTER)
        step("log in (home)", term.read_until_quiet(quiet=1.5))
        drain()
        for _ in range(section_index):
            term.send(DOWN)
        drain()
        term.send(ENTER)
        step("journal chooser", term.read_until_quiet(quiet=1.5))
        drain()
        term.send(journal_title_words, pause=0.2)
        drain()
        term.send(ENTER)
        step("open the grid", term.read_until_quiet(quiet=1.5))
        drain()
        term.send(DOWN)
        step("cursor: one row down", term.read_until_quiet())
        drain()
        term.send(LEFT)
        step("cursor: one column left", term.read_until_quiet())
        drain()
        term.send(RIGHT)
        drain()
        term.send("5")
        step("enter one mark", term.read_until_quiet(quiet=1.0))
        drain()
        step("idle 5 s", term.read_for(5.0))
    finally:
        term.close()
    return steps


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="URL of an existing demo database (seed 1)")
    parser.add_argument("--size", choices=("school", "district"), default="school")
    args = parser.parse_args()
    url = args.db or default_db(args.size)

    figures = server_figures(url)
    ref = figures["ref"]
    rows, cols, period, full = figures["full"]
    crow, ccols, cperiod, current = figures["current"]

    from tui_journal.db.database import open_database
    from tui_journal.db.models import Lesson
    from tui_journal.screens import sections
    from tui_journal.screens.journal_sections import register_all
    from tui_journal.services import journal

    register_all()
    actor = figures["actor"]
    keys = [s.key for s in sections.sections_for(actor.roles)]
    section_index = keys.index("journal")
    words = f"{ref.class_name} {ref.subject_name.split()[0]}"
    if ref.group_name:
        words += f" {ref.group_name.split()[0]}"

    # which cell the typed mark lands on (to put it back afterwards)
    db = open_database(url)
    grid = journal.open_grid(actor, ref.class_id, ref.subject_id, ref.group_id)
    today = dt.date.today()
    past = [i for i, c in enumerate(grid.columns) if c.date <= today] or [0]
    cell = (grid.columns[past[-1]].lesson_id, grid.rows[min(1, len(grid.rows) - 1)].student_id) if grid.columns else None
    from tui_journal.widgets.grade_grid import base_of

    before = base_of(grid.cell(cell[1], cell[0])).text if cell else ""
    db.close()

    steps = terminal_figures(url, figures["login"].login, figures["login"].password, words, section_index)

    if cell:
        db = open_database(url)
        journal.set_cell(actor, cell[0], cell[1], before)
        Lesson.get_by_id(cell[0])
        db.close()

    print()
    print(f"database: {url}")
    print(f"journal:  {ref.title} (teacher {figures['login'].login})")
    print()
    server_rows = [
        (f"open_grid, {period}: {rows} pupils × {cols} lessons (median of 20)", f"{full * 1000:.1f} ms", GOALS["open_grid"]),
        (f"open_grid, {cperiod}: {crow} × {ccols} (median of 20)", f"{current * 1000:.1f} ms", GOALS["open_grid"]),
        ("set_cell: one mark + audit row (median of 50)", f"{figures['save'] * 1000:.1f} ms", GOALS["set_cell"]),
    ]
    print(f"{'server':58} {'measured':>10}   goal")
    for label, value, goal in server_rows:
        print(f"{label:58} {value:>10}   {goal}")
    print()
    goal_of = {
        "cursor: one row down": GOALS["cursor"],
        "cursor: one column left": GOALS["cursor"],
        "enter one mark": GOALS["mark"],
        "idle 5 s": GOALS["idle"],
    }
    print(f"{'terminal 80x24 xterm-256color':32} {'bytes':>9} {'zlib':>8}   goal")
    for name, data, packed in steps:
        print(f"{name:32} {len(data):9,d} {packed:8,d}   {goal_of.get(name, '')}".replace(",", " "))
    return 0


if __name__ == "__main__":
    sys.exit(main())
