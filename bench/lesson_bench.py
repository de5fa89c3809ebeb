"""Lesson bench: the keys one whole lesson costs a teacher, and how fast the app answers
(a script, not a test).

    .venv/bin/python bench/lesson_bench.py                  # a fresh school demo in a temp folder
    .venv/bin/python bench/lesson_bench.py --db sqlite:////path/demo.db   # an existing school demo

The lesson (issue 11): the roll with 2 absent and 1 late, the topic from the plan, homework
«§ 15, № 420–425» and 5 marks. It is recorded by the shortest path in the real app, in a
pseudo-terminal of 80x24 (the pty driver of ``bench/grid_bench.py``): the teacher's grade
grid opens on today's lesson (getting there — log in, the journal section, the journal's
name — is counted apart), then

    н н о          two absent, one late (each code moves on to the next pupil)
    5 4 5 3 4      five marks (each mark moves on too)
    +              everybody else present: the roll is taken
    F4             the lesson panel
    Enter          the empty topic takes the plan's next topic not held yet
    § 15, № 420–425  the homework (the focus is already there)
    F2  Esc        save, back to the grid

Prints every key (typed or navigation) with the time to the app's first byte in reply and
to its last, the totals against the goal (≤ 30 keys, ≤ 8 of them navigation), and checks in
the database that the lesson holds what was typed. The lesson used is today's lesson of the
demo teacher's first journal that has one (a demo school has no records for today yet).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import select
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import grid_bench  # noqa: E402 - the shared pty driver
from wire_bench import ENTER, ENTRIES, Session, section_index  # noqa: E402

F2, F4, ESC, DOWN = "\x1bOQ", "\x1bOS", "\x1b", "\x1b[B"
HOMEWORK = "§ 15, № 420–425"
GOAL_KEYS, GOAL_NAV = 30, 8
QUIET = 0.35  # seconds of silence that end the app's answer to a key


@dataclass
class Key:
    label: str
    data: str
    nav: bool
    first: float = 0.0  # seconds to the first byte of the answer
    done: float = 0.0  # seconds to the last byte
    bytes: int = 0


def lesson_keys() -> list[Key]:
    keys = [Key(c, c, False) for c in "нно"]
    keys += [Key(c, c, False) for c in "54534"]
    keys.append(Key("+", "+", False))
    keys.append(Key("F4", F4, True))
    keys.append(Key("Enter", ENTER, False))
    keys += [Key(c if c != " " else "␠", c, False) for c in HOMEWORK]
    keys.append(Key("F2", F2, False))
    keys.append(Key("Esc", ESC, True))
    return keys


def answer(s: Session, key: Key) -> None:
    """Send one key; time the app's reply (first byte, and last before QUIET of silence)."""
    fd = s.term.fd
    sent = time.monotonic()
    os.write(fd, key.data.encode())
    first = last = None
    size = 0
    while time.monotonic() - sent < 10.0:
        ready, _, _ = select.select([fd], [], [], 0.01)
        now = time.monotonic()
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if os.environ.get("LESSON_BENCH_DUMP"):
                with open(os.environ["LESSON_BENCH_DUMP"], "ab") as dump:
                    dump.write(chunk)
            size += len(chunk)
            first = first if first is not None else now - sent
            last = now - sent
        elif last is not None and now - sent - last >= QUIET:
            break
        elif last is None and now - sent >= 3.0:
            break  # no answer at all (a key that changes nothing on screen)
    key.first, key.done, key.bytes = first or 0.0, last or 0.0, size
    if os.environ.get("LESSON_BENCH_DUMP"):
        with open(os.environ["LESSON_BENCH_DUMP"], "ab") as dump:
            dump.write(f"\n=== {key.label}\n".encode())
    if key.data == ESC:
        time.sleep(0.1)  # a lone Esc: let the app's escape timeout pass before the next key


def pick_lesson(url: str, today: dt.date) -> tuple[Any, Any, Any, int | None, int | None]:
    """The demo teacher, and his first journal with a lesson today and ≥ 8 pupils."""
    from tui_journal.db.database import open_database
    from tui_journal.db.demo import demo_logins
    from tui_journal.db.models import Lesson, User
    from tui_journal.services import journal
    from tui_journal.services.auth import actor_for

    teacher = next(x for x in demo_logins(1) if x.role == "teacher")
    db = open_database(url)
    try:
        actor = actor_for(User.get(User.login == teacher.login))
        for ref in journal.my_journals(actor):
            if not ref.writable:
                continue
            q = Lesson.select().where(
                (Lesson.school_class == ref.class_id) & (Lesson.subject == ref.subject_id) & (Lesson.date == today)
            )
            q = q.where(Lesson.group.is_null() if ref.group_id is None else (Lesson.group == ref.group_id))
            lesson = q.order_by(Lesson.number).first()
            if lesson is None:
                continue
            grid = journal.open_grid(actor, ref.class_id, ref.subject_id, ref.group_id, today=today)
            # nine pupils on the roll at the top: three codes, five marks, one to spare
            if len(grid.rows) >= 9 and not any(r.note for r in grid.rows[:9]):
                return teacher, actor, ref, lesson.id, section_index(actor, "journal")
    finally:
        db.close()
    return teacher, None, None, None, None


def check(url: str, lesson_id: int) -> list[str]:
    """What the database holds for the lesson, against what was typed."""
    from tui_journal.db.database import open_database
    from tui_journal.db.models import Attendance, Lesson, Mark

    db = open_database(url)
    try:
        lesson = Lesson.get_by_id(lesson_id)
        codes = sorted(a.code or "" for a in Attendance.select().where(Attendance.lesson == lesson_id))
        marks = Mark.select().where(Mark.lesson == lesson_id).count()
        problems = []
        if codes != ["н", "н", "о"]:
            problems.append(f"attendance {codes}")
        if marks != 5:
            problems.append(f"{marks} marks")
        if lesson.roll_taken_at is None:
            problems.append("roll not taken")
        if lesson.plan_item_id is None or not lesson.topic:
            problems.append("no topic from the plan")
        if HOMEWORK not in (lesson.homework, f"{lesson.homework_pages} {lesson.homework_tasks}"):
            problems.append(f"homework {lesson.homework!r}")
        return problems
    finally:
        db.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="URL of an existing school demo of seed 1 (today's lesson gets recorded)")
    parser.add_argument("--term", default="xterm-256color", help="TERM of the session (default xterm-256color)")
    args = parser.parse_args()
    grid_bench.LAUNCH = ENTRIES["run"]

    url = args.db
    if url is None:
        from tui_journal.db.demo import build_demo

        folder = Path(tempfile.mkdtemp(prefix="tj-lesson-bench-"))
        url = f"sqlite:///{folder / 'journal.db'}"
        print("building the school demo…", flush=True)
        build_demo(url, size="school")
    today = dt.date.today()
    teacher, _, ref, lesson_id, journal_index = pick_lesson(url, today)
    if ref is None or lesson_id is None or journal_index is None:
        print(f"the demo teacher has no lesson today ({today:%d.%m.%Y}): nothing to record")
        return 1

    s = Session(url, args.term)
    keys = lesson_keys()
    opening: list[str] = []
    try:
        s.first_frame()
        s.settle()
        s.login(teacher.login, teacher.password)
        s.settle()
        words = f"{ref.class_name} {ref.subject_name.split()[0][:3]}"
        s.keys(*([DOWN] * journal_index))
        s.keys(ENTER)
        s.step(quiet=1.5)
        s.keys(words, pause=0.3)
        s.settle()
        s.keys(ENTER)
        s.step(quiet=1.5)
        s.settle()
        opening = [*(["↓"] * journal_index), "Enter", f"«{words}»", "Enter"]
        for key in keys:
            answer(s, key)
        s.settle()
    finally:
        s.close()

    print()
    print(f"database: {url}")
    print(f"terminal: 80x24, TERM={args.term}; teacher {teacher.login}, journal «{ref.title}», "
          f"today's lesson (id {lesson_id})")
    print(f"opening the grid (not counted): {' '.join(opening)}")
    print()
    print(f"{'key':8} {'kind':5} {'first byte':>11} {'answered':>9} {'bytes':>7}")
    for key in keys:
        print(f"{key.label:8} {'nav' if key.nav else 'typed':5} {key.first * 1000:9.0f} ms "
              f"{key.done * 1000:6.0f} ms {key.bytes:7d}")
    typed = sum(not k.nav for k in keys)
    nav = sum(k.nav for k in keys)
    firsts = [k.first for k in keys if k.bytes]
    print()
    verdict = "ok" if typed + nav <= GOAL_KEYS and nav <= GOAL_NAV else "OVER"
    print(f"keys: {typed + nav} ({typed} typed, {nav} navigation); goal ≤ {GOAL_KEYS}, "
          f"≤ {GOAL_NAV} navigation: {verdict}")
    if firsts:
        print(f"first byte of the answer: median {statistics.median(firsts) * 1000:.0f} ms, "
              f"max {max(firsts) * 1000:.0f} ms; bytes in all {sum(k.bytes for k in keys)}")
    problems = check(url, lesson_id)
    print("the lesson in the database: " + ("as typed" if not problems else "WRONG — " + "; ".join(problems)))
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
