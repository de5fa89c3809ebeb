"""The demo school: a realistic Russian school generated from a seed (``tui-journal demo``).

:func:`build_demo` fills an empty database with one school (``tiny`` or ``school``) or a
district of 20 schools, deterministically from the seed: staff, classes 1–11 and a preschool
group, pupils and parents, the federal curriculum, a conflict-free timetable, thematic plans,
and the lessons held up to ``today`` with topics, homework, marks, attendance, substitutions,
messages and announcements. Only the accounts listed by :func:`demo_logins` get passwords.

The demo is generated data, not a user's change: it writes the models in bulk and leaves a
single audit row (origin ``demo``) saying what was generated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from tui_journal import clock
from tui_journal.db.database import make_database, upgrade
from tui_journal.db.demo.builder import SchoolBuilder
from tui_journal.db.demo.checks import find_conflicts
from tui_journal.db.demo.people import DISTRICT_SCHOOLS, ROLE_ORDER, key_people, role_notes
from tui_journal.db.demo.writer import fix_sequences, start_ids, write_rows
from tui_journal.db.models import School, database_proxy
from tui_journal.services.passwords import hash_password

__all__ = ["DemoLogin", "DemoResult", "build_demo", "demo_logins", "find_conflicts"]

Size = Literal["tiny", "school", "district"]


@dataclass(frozen=True)
class DemoLogin:
    role: str
    login: str
    password: str
    name: str
    note: str  # e.g. "учитель математики, классный руководитель 7А"


@dataclass(frozen=True)
class DemoResult:
    schools: int
    logins: list[DemoLogin]  # the first school's printed accounts (see demo_logins)
    counts: dict[str, int]  # rows written per table


def demo_logins(seed: int = 1, school_index: int = 0) -> list[DemoLogin]:
    """The printed demo accounts of a school, one per role; the same for every size.

    Computed from the seed alone (no database). In a district, school ``school_index`` > 0
    has logins ending in «-<school number>».
    """
    key, _ = key_people(seed, school_index)
    notes = role_notes(key)
    people = {
        "admin": key.admin, "director": key.director, "deputy": key.deputy, "secretary": key.secretary,
        "teacher": key.teacher, "educator": key.educator, "student": key.pupil, "parent": key.parent,
    }
    return [
        DemoLogin(role, key.logins[role], key.passwords[role], people[role].full, notes[role])
        for role in ROLE_ORDER
    ]


def build_demo(
    db_url: str,
    size: Size = "school",
    seed: int = 1,
    today: dt.date | None = None,
) -> DemoResult:
    """Create the demo school(s) in the (empty) database at ``db_url``.

    Raises ValueError when the database already holds a school or ``size`` is unknown.
    Lessons are generated from 1 September 2026 (``tiny``: the last four weeks) up to
    ``today`` (default: the real date), never past the year's end.
    """
    if size not in ("tiny", "school", "district"):
        raise ValueError(f"Неизвестный размер демо-школы «{size}»: допустимы tiny, school, district")
    day = today or clock.today()
    db = make_database(db_url)
    db.connect(reuse_if_open=True)
    database_proxy.initialize(db)
    try:
        upgrade(db)
        if School.select().exists():
            raise ValueError(
                "В базе данных уже есть школа: демо-школу можно создать только в новой пустой базе"
            )
        ids = start_ids()
        counts: dict[str, int] = {}
        schools = DISTRICT_SCHOOLS if size == "district" else 1
        for index in range(schools):
            builder = SchoolBuilder(seed, index, "tiny" if size == "tiny" else "school", day, ids, hash_password)
            rows = builder.build()
            with db.atomic():
                written = write_rows(db, rows)
            for table, n in written.items():
                counts[table] = counts.get(table, 0) + n
        fix_sequences(db, list(counts))
    finally:
        db.close()
    return DemoResult(schools=schools, logins=demo_logins(seed, 0), counts=counts)
