"""The demo builder's shared state (:mod:`tui_journal.db.demo.builder`): the rows in memory
with the ids assigned here, the records of the people, classes and lessons every stage
reads, the constants of the generated year, and the account rows every stage that creates
people writes through :meth:`BuilderState._user`.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tui_journal.db import models as m
from tui_journal.db.demo import catalog as C
from tui_journal.db.demo.names import Person
from tui_journal.db.demo.people import KeyPeople, SchoolIdentity, key_people, school_identity
from tui_journal.domain.periods import PeriodSpan

Row = dict[str, Any]
DEMO_ACTOR = "демо-генератор"
ENROLL_ORDER = "Приказ № 45-у от 31.08.2026"
ACCOUNTS_CREATED = dt.datetime(2026, 8, 28, 9, 0)
# Public days off that fall on school days in 2026/2027 (besides the holidays).
DAYS_OFF = (dt.date(2027, 2, 23), dt.date(2027, 3, 8), dt.date(2027, 5, 3), dt.date(2027, 5, 10))
OTHER_SCHOOLS = (
    "МБОУ «СОШ № 5» г. Барнаула", "МБОУ «Гимназия № 3» г. Новосибирска", "МБОУ «СОШ № 12» г. Бийска",
    "МКОУ «Павловская СОШ» Павловского района", "МБОУ «Лицей № 2» г. Рубцовска",
)
LEFT_TO = (
    "МБОУ «СОШ № 7» г. Новоалтайска (переезд семьи)", "МАОУ «СОШ № 132» г. Барнаула",
    "МБОУ «Гимназия № 1» г. Томска (переезд семьи)",
)
ILL_REASON = "справка из поликлиники"
VALID_REASONS = ("по заявлению родителей", "участие в соревнованиях", "участие в олимпиаде")
SIZES = ("tiny", "school")


class IdAlloc:
    """The next free id of every table (ids are assigned here so rows can refer to each other)."""

    def __init__(self, start: dict[type[m.BaseModel], int]) -> None:
        self.next = dict(start)

    def take(self, model: type[m.BaseModel]) -> int:
        value = self.next[model]
        self.next[model] = value + 1
        return value


class Rows:
    """Rows per model, in insertion order."""

    def __init__(self, ids: IdAlloc) -> None:
        self.ids = ids
        self.data: dict[type[m.BaseModel], list[Row]] = {model: [] for model in m.ALL_MODELS}

    def add(self, model: type[m.BaseModel], **values: Any) -> int:
        values["id"] = self.ids.take(model)
        self.data[model].append(values)
        return int(values["id"])


@dataclass
class Teacher:
    id: int
    person: Person
    areas: tuple[str, ...]
    login: str
    room: int = 0
    load: int = 0
    order: float = 0.0
    led: bool = False


@dataclass
class Family:
    surname: str  # masculine form
    father_name: tuple[str, str, str]
    address: str
    parents: list[tuple[int, str]] = field(default_factory=list)  # (user id, relation)
    grades: list[int] = field(default_factory=list)


@dataclass
class Pupil:
    id: int
    person: Person
    family: Family
    ability: float
    illness: float
    user: int | None = None
    offsets: dict[str, float] = field(default_factory=dict)


@dataclass
class Klass:
    id: int
    grade: int
    letter: str
    kind: str
    name: str
    teacher: int = 0
    pupils: list[Pupil] = field(default_factory=list)
    roll: list[tuple[Pupil, dt.date, dt.date | None]] = field(default_factory=list)
    groups: dict[str, list[int]] = field(default_factory=dict)  # split subject → [group 1, group 2]

    @property
    def curriculum(self) -> list[tuple[str, int]]:
        return C.CURRICULUM[self.grade]


@dataclass
class Slot:
    id: int
    klass: Klass
    group: int | None
    subject: str
    teacher: int
    room: int
    weekday: int
    number: int


@dataclass
class PlanRef:
    ids: list[int]
    topics: list[str]
    kinds: list[str]
    pointer: int = 0


def on_roll(start: dt.date, end: dt.date | None, day: dt.date) -> bool:
    """Whether a roll entry from ``start`` to ``end`` (None: still there) covers ``day``."""
    return start <= day and (end is None or day <= end)


def at_time(day: dt.date, t: dt.time, minutes: int = 0) -> dt.datetime:
    """``day`` at ``t``, ``minutes`` later (when a lesson's row was entered)."""
    return dt.datetime.combine(day, t) + dt.timedelta(minutes=minutes)


def monday_of(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


def name_fields(person: Person) -> Row:
    """A person's name as the User and Student rows keep it."""
    return {"last_name": person.last, "first_name": person.first, "middle_name": person.middle}


class BuilderState:
    """What the stages of one school's build share; each stage is a mixin of this class."""

    # Set by the stages, in the order of SchoolBuilder.build().
    school: int
    year: int
    spans: list[PeriodSpan]
    period_ids: dict[str, int]
    quarters: list[PeriodSpan]
    school_days: list[dt.date]
    held_days: list[dt.date]
    window: dt.date
    key_teacher: Teacher
    educator: int
    key_pupil: Pupil
    key_sibling: Pupil

    def __init__(
        self,
        seed: int,
        index: int,
        size: str,
        today: dt.date,
        ids: IdAlloc,
        hasher: Callable[[str], str],
    ) -> None:
        if size not in SIZES:
            raise ValueError(size)
        self.seed, self.index, self.size, self.today = seed, index, size, today
        self.tiny = size == "tiny"
        self.rows = Rows(ids)
        self.hasher = hasher
        self.identity: SchoolIdentity = school_identity(seed, index)
        self.key: KeyPeople
        self.key, self.logins = key_people(seed, index)
        self.ref = min(today, C.YEAR_END)  # the last day that can have lessons
        self.subjects: dict[str, int] = {}
        self.file_numbers: dict[str, int] = {}  # the alphabetical book: letter → last number
        self.work_types: dict[str, int] = {}
        self.wt_weight: dict[int, float] = {}
        self.rooms: dict[str, int] = {}
        self.teachers: list[Teacher] = []
        self.teacher_by_id: dict[int, Teacher] = {}
        self.classes: list[Klass] = []
        self.by_name: dict[str, Klass] = {}
        self.staff: dict[str, int] = {}
        self.teacher_for: dict[tuple[int, str, int], int] = {}
        self.group_roll: dict[int, list[tuple[Pupil, dt.date, dt.date | None]]] = {}
        self.slots: list[Slot] = []
        self.plans: dict[tuple[int, int | None, str], PlanRef] = {}
        self.moves: list[tuple[dt.date, str, Any, str]] = []

    def rng(self, stage: str) -> random.Random:
        return random.Random(f"demo:{self.seed}:{self.index}:{self.size}:{stage}")

    def _grades(self) -> list[int]:
        return [0, 1, 5, 7, 9] if self.tiny else list(range(12))

    def _user(
        self,
        person: Person,
        login: str,
        roles: tuple[str, ...],
        password: str | None = None,
        phone_no: str = "",
        created: dt.datetime = ACCOUNTS_CREATED,
    ) -> int:
        uid = self.rows.add(
            m.User,
            school=self.school,
            login=login,
            **name_fields(person),
            password_hash=self.hasher(password) if password else None,
            must_change_password=False,
            state="active",
            failed_logins=0,
            phone=phone_no,
            email="",
            search_key=m.search_key_for(person.last, person.first, person.middle, login),
            created_at=created,
        )
        for role in roles:
            self.rows.add(m.UserRole, user=uid, role=role)
        return uid
