"""Wire bench: what one session costs on a slow link (a script, not a test).

    .venv/bin/python bench/wire_bench.py                 # a fresh tiny demo in a temp folder
    .venv/bin/python bench/wire_bench.py --db sqlite:////path/demo.db   # a demo of seed 1 (gets a mark)
    .venv/bin/python bench/wire_bench.py --term putty    # 16 colours (default xterm-256color)

Runs the real app in a pseudo-terminal of 80x24 (the pty driver of ``bench/grid_bench.py``)
through the teacher's steps — the login screen, logging in, the journal section of the home
list, the grade grid, one cursor move, one mark, 10 s idle — then a parent's session opening
the pupil's diary week, and prints per step the bytes the app wrote and the same bytes
through one zlib stream flushed per step (what ``ssh -C`` / PuTTY compression sends, without
the packet overhead) and compressed on their own («alone», the worst case: no dictionary from
the screens before; the zlib goal is checked against this one), against the goals; then the
memory of one session (RSS) and the time from start to the login screen being drawn. A screen that does not exist yet is reported as
«n/a — screen missing».
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import grid_bench  # noqa: E402 - the shared pty driver
from grid_bench import Terminal  # noqa: E402

# What each session runs: the SSH session entry (ForceCommand and the built-in server's
# child), or the plain ``tui-journal run``. Both get ``run --db URL`` from the driver.
ENTRIES = {
    "ssh": "import sys;from tui_journal.ssh.session import main;sys.exit(main(sys.argv[2:]))",
    "run": "import sys;from tui_journal.cli.core import main;sys.exit(main(sys.argv[1:]))",
}

DOWN, ENTER, F10 = "\x1b[B", "\r", "\x1b[21~"
KB = 1024
QUIET = 1.0  # seconds of silence that end a step


@dataclass
class Step:
    name: str
    raw: int | None  # None: the screen is missing
    packed: int | None
    goal_raw: int | None = None
    goal_packed: int | None = None
    note: str = ""
    rss_kb: int = 0
    alone: int | None = None  # zlib of this step's bytes alone (no dictionary from before)

    def verdict(self) -> str:
        if self.raw is None:
            return ""
        ok = (self.goal_raw is None or self.raw <= self.goal_raw) and (
            self.goal_packed is None or max(self.packed or 0, self.alone or 0) <= self.goal_packed
        )
        return "ok" if ok else "OVER"


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def section_index(actor: object, key: str) -> int | None:
    from tui_journal.app import register_sections
    from tui_journal.screens import sections

    register_sections()
    keys = [s.key for s in sections.sections_for(actor.roles)]  # type: ignore[attr-defined]
    return keys.index(key) if key in keys else None


class Session:
    """One app in the pty driver, with the zlib stream and the step list."""

    def __init__(self, url: str, term: str) -> None:
        self.started = time.monotonic()
        self.term = Terminal(url, term=term)
        self.steps: list[Step] = []
        self.rss_max = 0

    def measure(self, name: str, data: bytes, goal_raw: int | None = None, goal_packed: int | None = None,
                note: str = "") -> bytes:
        rss = rss_kb(self.term.pid)
        alone = len(zlib.compress(data, 6)) if data else 0
        self.steps.append(Step(name, len(data), self.term.compressed(data), goal_raw, goal_packed, note, rss, alone))
        self.rss_max = max(self.rss_max, rss)
        return data

    def first_frame(self, quiet: float = 1.5, limit: float = 60.0) -> tuple[bytes, float, float]:
        """The start-up output, and the seconds from spawning to its first and its last byte."""
        import os
        import select

        data = bytearray()
        first = last = 0.0
        while time.monotonic() - self.started < limit:
            ready, _, _ = select.select([self.term.fd], [], [], 0.02)
            now = time.monotonic()
            if ready:
                try:
                    chunk = os.read(self.term.fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                data += chunk
                first = first or now - self.started
                last = now - self.started
            elif last and now - self.started - last >= quiet:
                break
        return bytes(data), first, last

    def missing(self, name: str, goal_raw: int | None = None, goal_packed: int | None = None) -> None:
        self.steps.append(Step(name, None, None, goal_raw, goal_packed, "n/a — screen missing"))

    def keys(self, *keys: str, pause: float = 0.1) -> None:
        for key in keys:
            self.term.send(key, pause=pause)

    def step(self, quiet: float = QUIET, first: float = 15.0) -> bytes:
        return self.term.read_until_quiet(quiet=quiet, first=first)

    def settle(self) -> None:
        self.term.read_until_quiet(quiet=QUIET, first=QUIET)

    def login(self, login: str, password: str) -> bytes:
        self.keys(login)
        self.keys(ENTER, pause=0.3)  # textual moves the focus on its next turn
        self.keys(password, ENTER)
        return self.step(quiet=1.5)

    def close(self) -> None:
        self.term.close()


def teacher_session(url: str, term: str, login: str, password: str, journal_words: str,
                    index: int | None) -> tuple[Session, float]:
    s = Session(url, term)
    try:
        first, _, drawn = s.first_frame()
        s.measure("login screen (start → drawn)", first, goal_raw=20 * KB)
        s.settle()
        s.measure("log in → home", s.login(login, password))
        s.settle()
        if index is None:
            for name, goal_raw, goal_packed in (
                ("home → journal chooser", None, None),
                ("chooser → grade grid", 30 * KB, 6 * KB),
                ("cursor one row down", 300, None),
                ("one mark", 500, None),
            ):
                s.missing(name, goal_raw, goal_packed)
        else:
            s.keys(*([DOWN] * index))
            s.settle()
            s.keys(ENTER)
            s.measure("home → journal chooser", s.step(quiet=1.5))
            s.settle()
            s.keys(journal_words, pause=0.3)
            s.settle()
            s.keys(ENTER)
            s.measure("chooser → grade grid", s.step(quiet=1.5), goal_raw=30 * KB, goal_packed=6 * KB)
            s.settle()
            s.keys(DOWN)
            s.measure("cursor one row down", s.step(), goal_raw=300)
            s.settle()
            s.keys("5")
            s.measure("one mark", s.step(), goal_raw=500)
            s.settle()
        s.measure("idle 10 s", s.term.read_for(10.0), goal_raw=0)
    finally:
        s.close()
    return s, drawn


def parent_session(url: str, term: str, login: str, password: str, index: int | None) -> Session:
    s = Session(url, term)
    try:
        s.step(quiet=1.5, first=30.0)
        s.settle()
        s.login(login, password)
        s.settle()
        if index is None:
            s.missing("parent: home → diary week")
        else:
            s.keys(*([DOWN] * index))
            s.settle()
            s.keys(ENTER)
            s.measure("parent: home → diary week", s.step(quiet=1.5))
    finally:
        s.close()
    return s


def fmt(value: int | None) -> str:
    return "—" if value is None else f"{value:,d}".replace(",", " ")


def goal_text(step: Step) -> str:
    parts = []
    if step.goal_raw is not None:
        parts.append(f"≤ {fmt(step.goal_raw)} B" if step.goal_raw else "0 B")
    if step.goal_packed is not None:
        parts.append(f"zlib ≤ {fmt(step.goal_packed)} B")
    return ", ".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="URL of an existing demo database of seed 1 (a mark is typed into it)")
    parser.add_argument("--term", default="xterm-256color", help="TERM of the session (default xterm-256color)")
    parser.add_argument("--entry", choices=sorted(ENTRIES), default="ssh",
                        help="ssh: python -m tui_journal.ssh (default); run: tui-journal run")
    args = parser.parse_args()
    grid_bench.LAUNCH = ENTRIES[args.entry]

    from tui_journal.db.database import open_database
    from tui_journal.db.demo import build_demo, demo_logins
    from tui_journal.db.models import User
    from tui_journal.services import journal
    from tui_journal.services.auth import actor_for

    url = args.db
    if url is None:
        folder = Path(tempfile.mkdtemp(prefix="tj-wire-bench-"))
        url = f"sqlite:///{folder / 'journal.db'}"
        build_demo(url, size="tiny")
    logins = {x.role: x for x in demo_logins(1)}
    teacher, parent = logins["teacher"], logins["parent"]
    db = open_database(url)
    t_actor = actor_for(User.get(User.login == teacher.login))
    p_actor = actor_for(User.get(User.login == parent.login))
    refs = [r for r in journal.my_journals(t_actor) if r.writable]
    ref = refs[0]
    words = f"{ref.class_name} {ref.subject_name.split()[0][:3]}"
    journal_index = section_index(t_actor, "journal")
    diary_index = section_index(p_actor, "diary")
    db.close()

    teacher_s, drawn = teacher_session(url, args.term, teacher.login, teacher.password, words, journal_index)
    parent_s = parent_session(url, args.term, parent.login, parent.password, diary_index)

    print()
    print(f"database: {url}")
    print(f"session:  {'python -m tui_journal.ssh' if args.entry == 'ssh' else 'tui-journal run'}")
    print(f"terminal: 80x24, TERM={args.term}; journal «{ref.title}», teacher {teacher.login}, parent {parent.login}")
    print()
    print(f"{'step':34} {'bytes':>9} {'zlib':>8} {'alone':>7} {'RSS MB':>7}   {'goal':28} ")
    for step in teacher_s.steps + parent_s.steps:
        rss = f"{step.rss_kb / 1024:.1f}" if step.rss_kb else ""
        line = (
            f"{step.name:34} {fmt(step.raw):>9} {fmt(step.packed):>8} {fmt(step.alone):>7} {rss:>7}   "
            f"{goal_text(step):28} {step.verdict()}"
        )
        print((line + ("  " + step.note if step.note else "")).rstrip())
    rss_mb = max(teacher_s.rss_max, parent_s.rss_max) / 1024
    print()
    print(f"{'memory of one session (max RSS)':34} {rss_mb:9.1f} MB            ≤ 45 MB {'ok' if rss_mb <= 45 else 'OVER'}")
    print(f"{'start → login screen drawn':34} {drawn:9.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
