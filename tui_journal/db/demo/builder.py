"""One demo school as rows in memory, built deterministically from the seed.

The builder never touches the database: it produces rows (dicts keyed by field name, with
ids assigned here) that :mod:`tui_journal.db.demo.writer` inserts in bulk. Randomness comes
from :class:`random.Random` streams named after the seed, the school and the stage, so one
stage's changes do not reshuffle another's.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tui_journal.db import models as m
from tui_journal.db.demo import catalog as C
from tui_journal.db.demo.names import (
    FEMALE_ADULT,
    MALE_ADULT,
    SURNAMES,
    Person,
    adult,
    child,
    phone,
    surname_for,
)
from tui_journal.db.demo.people import (
    CITY,
    ROLE_ORDER,
    ROLE_TITLES,
    STREETS,
    KeyPeople,
    SchoolIdentity,
    key_people,
    school_identity,
)
from tui_journal.db.demo.timetable import Unit, day_counts, solve
from tui_journal.db.demo.topics import CONTROL, LAB, PRACTICAL, WORK_DONE, homework, plan_topics
from tui_journal.domain import ru_words as words
from tui_journal.domain.attendance import ABSENT, ILL, LATE, VALID
from tui_journal.domain.grading import RoundingPolicy, propose_period_mark
from tui_journal.domain.marks import WeightedMark
from tui_journal.domain.periods import HOLIDAYS, QUARTER, PeriodSpan, school_days, standard_quarters

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
_ON_WEEKDAY = words.ON_WEEKDAY


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


def _on(start: dt.date, end: dt.date | None, day: dt.date) -> bool:
    return start <= day and (end is None or day <= end)


def _at(day: dt.date, t: dt.time, minutes: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, t) + dt.timedelta(minutes=minutes)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


class SchoolBuilder:
    """Builds every row of one demo school."""

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

    # --- the whole school ---------------------------------------------------------------

    def build(self) -> Rows:
        self._school()
        self._calendar()
        self._catalogue()
        self._staff()
        self._teachers()
        self._classes()
        self._assign()
        self._pupils()
        self._movements()
        self._class_rows()
        self._timetable()
        self._plans()
        self._lessons()
        self._communication()
        self._audit()
        return self.rows

    # --- school, year, periods, bells, subjects, work types ------------------------------------

    def _school(self) -> None:
        key, ident = self.key, self.identity
        # one line of preface and one per role: all eight fit under the login form at 80x24
        lines = ["Демо-школа: люди и данные вымышлены. Входы (логин / пароль):"]
        titles = dict(ROLE_TITLES, student="ученик 7А" if key.pupil.sex == "м" else "ученица 7А")
        for role in ROLE_ORDER:
            lines.append(f"{titles[role]}: {key.logins[role]} / {key.passwords[role]}")
        self.school = self.rows.add(
            m.School,
            name=ident.name,
            short_name=ident.short_name,
            address=ident.address,
            director_name=key.director.full,
            week_days=5,
            rounding="half_up",
            threshold_5=4.65,
            threshold_4=3.65,
            threshold_3=2.65,
            min_marks=3,
            login_note="\n".join(lines),
            created_at=ACCOUNTS_CREATED,
        )

    def _calendar(self) -> None:
        self.year = self.rows.add(
            m.AcademicYear, school=self.school, name=C.YEAR_NAME, start=C.YEAR_START, end=C.YEAR_END,
            closed=False,
        )
        self.spans: list[PeriodSpan] = standard_quarters(C.YEAR_START.year)
        self.period_ids: dict[str, int] = {}
        quarter = holidays = 0
        for span in self.spans:
            if span.kind == QUARTER:
                quarter += 1
                ordinal = quarter
            else:
                holidays += 1
                ordinal = holidays
            self.period_ids[span.name] = self.rows.add(
                m.Period, year=self.year, name=span.name, kind=span.kind, ordinal=ordinal,
                start=span.start, end=span.end,
            )
        off = [(s.start, s.end) for s in self.spans if s.kind == HOLIDAYS]
        off += [(d, d) for d in DAYS_OFF]
        quarters = [s for s in self.spans if s.kind == QUARTER]
        self.quarters = quarters
        self.school_days = [
            d for d in school_days(C.YEAR_START, C.YEAR_END, 5, off)
            if any(q.start <= d <= q.end for q in quarters)
        ]
        self.held_days = [d for d in self.school_days if d <= self.ref]
        if self.tiny:
            self.window = max(C.YEAR_START, _monday(self.ref - dt.timedelta(days=26)))
        else:
            self.window = C.YEAR_START
        schedule = self.rows.add(m.BellSchedule, school=self.school, name="Основное")
        for number, (starts, ends) in enumerate(C.BELLS, start=1):
            self.rows.add(m.Bell, schedule=schedule, number=number, starts=starts, ends=ends)

    def _catalogue(self) -> None:
        used = {s for grade in self._grades() for s, _ in C.CURRICULUM[grade]}
        for key, (name, short, split) in C.SUBJECTS.items():
            if key in used:
                self.subjects[key] = self.rows.add(
                    m.Subject, school=self.school, name=name, short_name=short, split_into_groups=split,
                    has_control_works=key not in C.NO_CONTROL_SUBJECTS,
                )
        for name, short, weight, control in C.WORK_TYPES:
            wt = self.rows.add(
                m.WorkType, school=self.school, name=name, short_name=short, weight=weight, is_control=control
            )
            self.work_types[name] = wt
            self.wt_weight[wt] = weight

    def _grades(self) -> list[int]:
        return [0, 1, 5, 7, 9] if self.tiny else list(range(12))

    # --- people ------------------------------------------------------------------------

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
            last_name=person.last,
            first_name=person.first,
            middle_name=person.middle,
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

    def _staff(self) -> None:
        key = self.key
        for role, person in (
            ("admin", key.admin), ("director", key.director), ("deputy", key.deputy),
            ("secretary", key.secretary),
        ):
            self.staff[role] = self._user(person, key.logins[role], (role,), key.passwords[role])

    def _teachers(self) -> None:
        rng = self.rng("teachers")
        key = self.key
        roster = C.ROSTER[self.size]
        n_primary = sum(1 for g in self._grades() if 1 <= g <= 4) * (1 if self.tiny else 2)
        specs: list[tuple[str, ...]] = [("primary",)] * n_primary + list(roster)
        key_teacher: Teacher | None = None
        for areas in specs:
            is_key = areas == ("math",) and key_teacher is None
            if is_key:
                person, login, password = key.teacher, key.logins["teacher"], key.passwords["teacher"]
            else:
                male_share = 0.5 if areas[0] in ("pe", "obzr", "tech") else (0.03 if areas[0] == "primary" else 0.15)
                person = adult(rng, "м" if rng.random() < male_share else "ж")
                login, password = self.logins.make(person), None
            tid = self._user(person, login, ("teacher",), password)
            self.teachers.append(Teacher(tid, person, areas, login, order=rng.random()))
            if is_key:
                key_teacher = self.teachers[-1]
        educator = self._user(key.educator, key.logins["educator"], ("educator",), key.passwords["educator"])
        self.teachers.append(Teacher(educator, key.educator, ("preschool",), key.logins["educator"]))
        self.teacher_by_id = {t.id: t for t in self.teachers}
        assert key_teacher is not None
        self.key_teacher = key_teacher
        self.educator = educator
        # Rooms: each teacher works in his own room.
        generic = [f"каб. {n}" for n in [*range(201, 221), *range(307, 321), *range(401, 421)]]
        special = {area: list(names) for area, names in C.AREA_ROOMS.items()}
        primary_no = 100
        for teacher in self.teachers:
            area = teacher.areas[0]
            if area == "primary":
                primary_no += 1
                name = f"каб. {primary_no}"
            elif special.get(area):
                name = special[area].pop(0)
            else:
                name = generic.pop(0)
            teacher.room = self.rows.add(m.Room, school=self.school, name=name)
            self.rooms[name] = teacher.room
        for name in C.SPARE_ROOMS:
            self.rooms[name] = self.rows.add(m.Room, school=self.school, name=name)

    def _classes(self) -> None:
        letters = ["А"] if self.tiny else ["А", "Б"]
        for grade in self._grades():
            if grade == 0:
                k = Klass(self.rows.ids.take(m.SchoolClass), 0, "ГКП", "preschool", "ГКП")
                self.classes.append(k)
                continue
            for letter in letters:
                k = Klass(self.rows.ids.take(m.SchoolClass), grade, letter, "class", f"{grade}{letter}")
                self.classes.append(k)
        # the preschool group goes last in lists
        self.classes.sort(key=lambda k: (k.grade == 0, k.grade, k.letter))
        self.by_name = {k.name: k for k in self.classes}
        for k in self.classes:
            for subject, _hours in k.curriculum:
                if C.is_split(subject, k.grade):
                    k.groups[subject] = [self.rows.ids.take(m.Group), self.rows.ids.take(m.Group)]

    def _assign(self) -> None:
        """Who teaches what where; the class teachers."""
        rng = self.rng("assign")
        primary = [t for t in self.teachers if t.areas == ("primary",)]
        jobs: dict[tuple[int, str, int], list[tuple[str, int]]] = {}
        klass_of: dict[int, Klass] = {k.id: k for k in self.classes}
        p_index = 0
        for k in self.classes:
            if k.grade == 0:
                k.teacher = self.educator
            elif k.grade <= 4:
                k.teacher = primary[p_index].id
                primary[p_index].led = True
                p_index += 1
            for subject, hours in k.curriculum:
                area = C.area_of(subject, k.grade)
                if area == "preschool":
                    self.teacher_for[(k.id, subject, 0)] = self.educator
                    continue
                if area == "primary":
                    self.teacher_for[(k.id, subject, 0)] = k.teacher
                    self.teacher_by_id[k.teacher].load += hours
                    continue
                groups = (1, 2) if C.is_split(subject, k.grade) else (0,)
                for g in groups:
                    jobs.setdefault((k.id, area, g), []).append((subject, hours))
        seven_a = self.by_name["7А"]
        order = sorted(
            jobs,
            key=lambda j: (
                j != (seven_a.id, "math", 0),
                -sum(h for _, h in jobs[j]),
                klass_of[j[0]].grade,
                klass_of[j[0]].letter,
                j[2],
            ),
        )
        chosen: dict[tuple[int, str, int], int] = {}
        for job in order:
            class_id, area, g = job
            pool = [t for t in self.teachers if area in t.areas]
            if g == 2:
                pool = [t for t in pool if t.id != chosen[(class_id, area, 1)]] or pool
            if job == (seven_a.id, "math", 0):
                teacher = self.key_teacher
            else:
                teacher = min(pool, key=lambda t: (t.load, t.order))
            chosen[job] = teacher.id
            for subject, hours in jobs[job]:
                self.teacher_for[(class_id, subject, g)] = teacher.id
                teacher.load += hours
        # class teachers of grades 5–11: 7А has the key teacher; the others someone teaching there
        seven_a.teacher = self.key_teacher.id
        self.key_teacher.led = True
        for k in self.classes:
            if k.grade < 5 or k.teacher:
                continue
            hours_in: dict[int, int] = {}
            for subject, hours in k.curriculum:
                for g in ((1, 2) if C.is_split(subject, k.grade) else (0,)):
                    tid = self.teacher_for[(k.id, subject, g)]
                    hours_in[tid] = hours_in.get(tid, 0) + hours
            candidates = [
                t for t in self.teachers
                if not t.led and t.areas[0] not in ("primary", "preschool") and hours_in.get(t.id, 0) >= 2
            ]
            if not candidates:
                candidates = [t for t in self.teachers if not t.led and t.areas[0] not in ("primary", "preschool")]
            best = max(candidates, key=lambda t: (hours_in.get(t.id, 0), rng.random()))
            best.led = True
            k.teacher = best.id

    # --- pupils and families ---------------------------------------------------------------

    def _family(self, rng: random.Random, surname: str | None = None) -> Family:
        return Family(
            surname=surname or rng.choice(SURNAMES),
            father_name=rng.choice(MALE_ADULT),
            address=f"{CITY}, {rng.choice(STREETS)}, д. {rng.randint(1, 150)}, кв. {rng.randint(1, 220)}",
        )

    def _parents_for(self, rng: random.Random, family: Family, created: dt.datetime) -> None:
        mother = rng.random() < 0.93
        father = rng.random() < 0.55 or not mother
        if mother:
            person = Person(
                surname_for(family.surname, "ж"), rng.choice(FEMALE_ADULT), rng.choice(MALE_ADULT)[2], "ж"
            )
            uid = self._user(person, self.logins.make(person), ("parent",), None, phone(rng), created)
            family.parents.append((uid, "мать"))
        if father:
            person = Person(
                surname_for(family.surname, "м"), family.father_name[0], rng.choice(MALE_ADULT)[1], "м"
            )
            uid = self._user(person, self.logins.make(person), ("parent",), None, phone(rng), created)
            family.parents.append((uid, "отец"))

    def _birth(self, rng: random.Random, grade: int) -> dt.date:
        year = 2020 if grade == 0 else 2019 - (grade - 1)
        start = dt.date(year - 1, 10, 1)
        return start + dt.timedelta(days=rng.randint(0, 364))


    def _file_no(self, last_name: str) -> str:
        """«П-12»: the surname's letter and the next number of that letter (номер личного дела)."""
        letter = next((c for c in last_name if c.isalpha()), "?").upper()
        self.file_numbers[letter] = self.file_numbers.get(letter, 0) + 1
        return f"{letter}-{self.file_numbers[letter]}"
    def _pupil(
        self,
        rng: random.Random,
        person: Person,
        family: Family,
        grade: int,
        login: str | None = None,
        password: str | None = None,
        created: dt.datetime = ACCOUNTS_CREATED,
    ) -> Pupil:
        user = None
        if grade >= 5:
            user = self._user(person, login or self.logins.make(person), ("student",), password, "", created)
        checked = None
        since = max(C.YEAR_START, created.date())
        if self.ref >= since and rng.random() < 0.75:
            checked = since + dt.timedelta(days=rng.randint(0, (self.ref - since).days))
        pid = self.rows.add(
            m.Student,
            school=self.school,
            user=user,
            last_name=person.last,
            first_name=person.first,
            middle_name=person.middle,
            birth_date=self._birth(rng, grade),
            sex=person.sex,
            address=family.address,
            notes="",
            contacts_checked_at=checked,
            search_key=m.search_key_for(person.last, person.first, person.middle),
            created_at=created,
            personal_file_no=self._file_no(person.last),
        )
        for uid, relation in family.parents:
            self.rows.add(m.GuardianLink, student=pid, parent=uid, relation=relation)
        family.grades.append(grade)
        ability = min(4.95, max(2.6, rng.gauss(4.0, 0.55)))
        illness = rng.choice((0.3, 0.6, 1.0, 1.0, 1.0, 1.5, 2.5))
        return Pupil(pid, person, family, ability, illness, user)

    def _pupils(self) -> None:
        rng = self.rng("pupils")
        key = self.key
        families: list[Family] = []
        # the key family: both parents, a child in 7А and one in 5А
        kf = self._family(rng, key.family_surname)
        kf.father_name = key.father_name
        for person, login, relation, printed in (
            (key.parent, key.logins["parent"], "мать" if key.parent_is_mother else "отец", True),
            (key.other_parent, key.other_parent_login, "отец" if key.parent_is_mother else "мать", False),
        ):
            password = key.passwords["parent"] if printed else None
            uid = self._user(person, login, ("parent",), password, phone(rng))
            kf.parents.append((uid, relation))
        kf.parents.sort(key=lambda p: p[1] != "мать")
        for k in self.classes:
            if k.grade == 0:
                n = 6 if self.tiny else 12
            else:
                n = rng.randint(11, 13) if self.tiny else rng.randint(20, 28)
            if k.name == "7А":
                k.pupils.append(self._pupil(rng, key.pupil, kf, 7, key.logins["student"], key.passwords["student"]))
                self.key_pupil = k.pupils[-1]
                n -= 1
            if k.name == "5А":
                k.pupils.append(self._pupil(rng, key.sibling, kf, 5, key.sibling_login))
                self.key_sibling = k.pupils[-1]
                n -= 1
            for _ in range(n):
                sex = "м" if rng.random() < 0.5 else "ж"
                siblings = [f for f in families if len(f.grades) == 1 and abs(f.grades[0] - k.grade) >= 2]
                if siblings and k.grade > 0 and rng.random() < 0.1:
                    family = rng.choice(siblings)
                else:
                    family = self._family(rng)
                    self._parents_for(rng, family, ACCOUNTS_CREATED)
                    families.append(family)
                person = child(rng, sex, family.surname, family.father_name)
                k.pupils.append(self._pupil(rng, person, family, k.grade))
            k.pupils.sort(key=lambda p: (p.person.last, p.person.first, p.person.middle, p.id))
            for p in k.pupils:
                k.roll.append((p, C.YEAR_START, None))

    def _movements(self) -> None:
        """Arrivals, departures and one transfer during the autumn (only those up to today)."""
        rng = self.rng("movements")
        days = [d for d in self.held_days if dt.date(2026, 9, 14) <= d <= dt.date(2026, 11, 25)]
        if not days:
            return
        school_classes = [k for k in self.classes if k.grade > 0]
        protected = {self.key_pupil.id, self.key_sibling.id}
        events: list[tuple[dt.date, str, Any]] = []
        for _ in range(1 if self.tiny else 3):
            k = rng.choice(school_classes)
            events.append((rng.choice(days), "in", k))
        for _ in range(1 if self.tiny else 2):
            k = rng.choice(school_classes)
            pupil = rng.choice([p for p in k.pupils if p.id not in protected])
            protected.add(pupil.id)
            events.append((rng.choice(days), "out", (k, pupil)))
        pairs = [(a, b) for a in school_classes for b in school_classes if a.grade == b.grade and a.letter < b.letter]
        if pairs:
            a, b = rng.choice(pairs)
            pupil = rng.choice([p for p in a.pupils if p.id not in protected])
            protected.add(pupil.id)
            events.append((rng.choice(days), "move", (a, b, pupil)))
        events.sort(key=lambda e: (e[0], e[1]))
        number = 45
        for day, kind, what in events:
            number += 1 + rng.randint(0, 3)
            order = f"Приказ № {number}-у от {day:%d.%m.%Y}"
            if kind == "in":
                k = what
                created = _at(day, dt.time(10, 0))
                family = self._family(rng)
                self._parents_for(rng, family, created)
                person = child(rng, "м" if rng.random() < 0.5 else "ж", family.surname, family.father_name)
                pupil = self._pupil(rng, person, family, k.grade, created=created)
                k.pupils.append(pupil)
                k.roll.append((pupil, day, None))
                self.moves.append((day, "in", (k, pupil, rng.choice(OTHER_SCHOOLS)), order))
            elif kind == "out":
                k, pupil = what
                k.roll = [(p, s, day if p is pupil else e) for p, s, e in k.roll]
                self.moves.append((day, "out", (k, pupil, rng.choice(LEFT_TO)), order))
            else:
                a, b, pupil = what
                last = day - dt.timedelta(days=1)
                a.roll = [(p, s, last if p is pupil else e) for p, s, e in a.roll]
                b.pupils.append(pupil)
                b.roll.append((pupil, day, None))
                self.moves.append((day, "move", (a, b, pupil), order))

    def _class_rows(self) -> None:
        """Classes, groups and members, enrollments, curriculum, assignments."""
        for k in self.classes:
            self.rows.data[m.SchoolClass].append(
                {"id": k.id, "school": self.school, "year": self.year, "grade": k.grade, "letter": k.letter,
                 "class_teacher": k.teacher, "kind": k.kind}
            )
        moves_out = {}
        moves_in = {}
        for _day, kind, what, order in self.moves:
            if kind == "in":
                k, pupil, origin = what
                moves_in[(k.id, pupil.id)] = (order, origin)
            elif kind == "out":
                k, pupil, target = what
                moves_out[(k.id, pupil.id)] = (order, target)
            else:
                a, b, pupil = what
                moves_out[(a.id, pupil.id)] = (order, "")
                moves_in[(b.id, pupil.id)] = (order, "")
        for k in self.classes:
            for pupil, start, end in k.roll:
                order_in, came_from = moves_in.get((k.id, pupil.id), (ENROLL_ORDER, ""))
                order_out, went_to = moves_out.get((k.id, pupil.id), ("", ""))
                self.rows.add(
                    m.Enrollment, student=pupil.id, school_class=k.id, start=start, end=end,
                    order_in=order_in, order_out=order_out, came_from=came_from, went_to=went_to,
                )
            # groups: list halves at the start; later arrivals join the smaller group
            for subject, (g1, g2) in k.groups.items():
                for number, gid in ((1, g1), (2, g2)):
                    self.rows.data[m.Group].append(
                        {"id": gid, "school_class": k.id, "subject": self.subjects[subject],
                         "name": f"{number} группа"}
                    )
                    self.group_roll[gid] = []
                initial = [r for r in k.roll if r[1] == C.YEAR_START]
                half = (len(initial) + 1) // 2
                for i, (pupil, start, end) in enumerate(initial):
                    self.group_roll[g1 if i < half else g2].append((pupil, start, end))
                for pupil, start, end in k.roll:
                    if start != C.YEAR_START:
                        gid = g1 if len(self.group_roll[g1]) <= len(self.group_roll[g2]) else g2
                        self.group_roll[gid].append((pupil, start, end))
                for gid in (g1, g2):
                    for pupil, start, end in self.group_roll[gid]:
                        self.rows.add(m.GroupMember, group=gid, student=pupil.id, start=start, end=end)
            for subject, hours in k.curriculum:
                self.rows.add(
                    m.Curriculum, school_class=k.id, subject=self.subjects[subject], hours_per_week=float(hours)
                )
                if subject in k.groups:
                    for g, gid in zip((1, 2), k.groups[subject], strict=True):
                        self.rows.add(
                            m.Assignment, teacher=self.teacher_for[(k.id, subject, g)], school_class=k.id,
                            group=gid, subject=self.subjects[subject],
                        )
                else:
                    self.rows.add(
                        m.Assignment, teacher=self.teacher_for[(k.id, subject, 0)], school_class=k.id,
                        group=None, subject=self.subjects[subject],
                    )

    # --- timetable and plans ----------------------------------------------------------------

    def _parts(self, k: Klass, subject: str) -> list[tuple[int | None, int, int]]:
        """(group, teacher, room) of one weekly lesson."""
        if subject in k.groups:
            return [
                (gid, self.teacher_for[(k.id, subject, g)], self.teacher_by_id[self.teacher_for[(k.id, subject, g)]].room)
                for g, gid in zip((1, 2), k.groups[subject], strict=True)
            ]
        tid = self.teacher_for[(k.id, subject, 0)]
        return [(None, tid, self.teacher_by_id[tid].room)]

    def _timetable(self) -> None:
        rng = self.rng("timetable")
        units: list[Unit] = []
        parts_of: list[list[tuple[int | None, int, int]]] = []
        cells: dict[int, list[tuple[int, int]]] = {}
        for k in self.classes:
            total = sum(h for _, h in k.curriculum)
            counts = day_counts(total, 5, rng)
            cells[k.id] = [(d, n) for d in range(5) for n in range(1, counts[d] + 1)]
            for subject, hours in k.curriculum:
                parts = self._parts(k, subject)
                resources: list[tuple[str, int]] = []
                for _g, tid, room in parts:
                    resources += [("t", tid), ("r", room)]
                busy = max(self.teacher_by_id[tid].load for _g, tid, _r in parts)
                weight = (3 if len(parts) > 1 else 1) + (1 if busy >= 20 else 0)
                for _ in range(hours):
                    units.append(Unit(k.id, subject, tuple(resources), 1 if hours <= 5 else 2, weight))
                    parts_of.append(parts)
        placed = solve(units, cells, rng)
        klass_of = {k.id: k for k in self.classes}
        entries = []
        for unit, parts, (d, n) in zip(units, parts_of, placed, strict=True):
            for gid, tid, room in parts:
                entries.append((klass_of[unit.class_key], gid, unit.subject, tid, room, d + 1, n))
        entries.sort(key=lambda e: (self.classes.index(e[0]), e[5], e[6], e[1] or 0))
        for k, gid, subject, tid, room, weekday, number in entries:
            sid = self.rows.add(
                m.TimetableSlot, school_class=k.id, group=gid, subject=self.subjects[subject], teacher=tid,
                room=room, weekday=weekday, number=number, valid_from=C.YEAR_START, valid_to=None,
            )
            self.slots.append(Slot(sid, k, gid, subject, tid, room, weekday, number))

    def _plans(self) -> None:
        for k in self.classes:
            for subject, hours in k.curriculum:
                topics = plan_topics(subject, k.grade, hours * C.WEEKS)
                for gid in k.groups.get(subject, [None]):
                    ref = PlanRef([], [], [])
                    for ordinal, item in enumerate(topics, start=1):
                        pid = self.rows.add(
                            m.PlanItem, school_class=k.id, group=gid, subject=self.subjects[subject],
                            ordinal=ordinal, topic=item.topic, hours=1.0, kind=item.kind,
                        )
                        ref.ids.append(pid)
                        ref.topics.append(item.topic)
                        ref.kinds.append(item.kind)
                    self.plans[(k.id, gid, subject)] = ref

    # --- lessons, marks, attendance ------------------------------------------------------------

    def _roll_at(self, slot: Slot, day: dt.date) -> list[Pupil]:
        roll = self.group_roll[slot.group] if slot.group is not None else slot.klass.roll
        return [p for p, start, end in roll if _on(start, end, day)]

    def _substitutions(self, rng: random.Random) -> dict[tuple[int, dt.date], bool]:
        """(teacher, day) pairs when a teacher is ill and others replace him."""
        past = [d for d in self.held_days if self.window <= d < self.today]
        absent: dict[tuple[int, dt.date], bool] = {}
        if not past:
            return absent
        subject_teachers = [t for t in self.teachers if t.areas[0] not in ("primary", "preschool")]
        for _ in range(1 if self.tiny else 3):
            teacher = rng.choice(subject_teachers)
            start = rng.randrange(len(past))
            for d in past[start : start + rng.randint(1, 2)]:
                absent[(teacher.id, d)] = True
        return absent

    def _lessons(self) -> None:
        rng = self.rng("lessons")
        mrng = self.rng("marks")
        arng = self.rng("attendance")
        absent = self._substitutions(rng)
        busy_slot = {(s.teacher, s.weekday, s.number) for s in self.slots}
        by_weekday: dict[int, list[Slot]] = {}
        for s in self.slots:
            by_weekday.setdefault(s.weekday, []).append(s)
        day_codes = self._day_codes(arng)
        quarter_of = {d: q for q in self.quarters for d in self.held_days if q.start <= d <= q.end}
        mark_count: dict[tuple[int, int, str, str], int] = {}
        marks_of: dict[tuple[int, int, str, str], list[WeightedMark]] = {}
        bells = C.BELLS
        homework_ok = {k.id: k.grade >= 2 for k in self.classes}
        marks_ok = homework_ok
        sub_used: set[tuple[dt.date, int, int]] = set()
        lessons_7a_algebra: list[tuple[int, dt.date]] = []
        for day in self.held_days:
            past = day < self.today
            in_window = day >= self.window
            for slot in by_weekday.get(day.isoweekday(), []):
                plan = self.plans[(slot.klass.id, slot.group, slot.subject)]
                item = plan.pointer if past else None
                if past:
                    plan.pointer += 1
                if not in_window:
                    continue
                k = slot.klass
                teacher, replaced = slot.teacher, None
                if past and (slot.teacher, day) in absent:
                    sub = self._substitute(slot, day, busy_slot, sub_used, absent)
                    if sub is not None:
                        teacher, replaced = sub, slot.teacher
                        sub_used.add((day, slot.number, sub))
                starts, ends = bells[slot.number - 1]
                values: Row = {
                    "school_class": k.id, "group": slot.group, "subject": self.subjects[slot.subject],
                    "date": day, "number": slot.number, "teacher": teacher, "replaced_teacher": replaced,
                    "slot": slot.id, "room": slot.room, "plan_item": None, "work_type": None, "topic": "",
                    "work_done": "", "homework": "", "homework_pages": "", "homework_tasks": "",
                    "topic_set_at": None, "homework_set_at": None, "roll_taken_at": None,
                    "transferred_from_paper": False,
                }
                kind = ""
                if item is not None:
                    if item < len(plan.ids):
                        values["plan_item"] = plan.ids[item]
                        values["topic"] = plan.topics[item]
                        kind = plan.kinds[item]
                    else:
                        values["topic"] = "Повторение изученного"
                    values["topic_set_at"] = _at(day, ends, rng.randint(0, 40))
                    values["roll_taken_at"] = _at(day, starts, rng.randint(2, 9))
                    if k.grade > 0:
                        values["work_done"] = rng.choice(WORK_DONE)
                    if homework_ok[k.id] and slot.subject not in C.NO_HOMEWORK_SUBJECTS and rng.random() < 0.93:
                        position = item / max(1, len(plan.ids))
                        text, pages, tasks = homework(slot.subject, position, rng)
                        values["homework"], values["homework_pages"], values["homework_tasks"] = text, pages, tasks
                        # within 1.5 h after the lesson, or in the afternoon but by 18:00 (R-J-4)
                        if rng.random() < 0.6:
                            values["homework_set_at"] = _at(day, ends, rng.randint(5, 90))
                        else:
                            values["homework_set_at"] = _at(day, max(ends, dt.time(14, 0)), rng.randint(5, 100))
                        values["homework_set_at"] = min(values["homework_set_at"], _at(day, dt.time(18, 0)))
                    work_type = self._work_type(slot.subject, kind, values["topic"]) if k.grade >= 2 else None
                    values["work_type"] = work_type
                lesson = self.rows.add(m.Lesson, **values)
                if item is None:
                    continue
                if k.name == "7А" and slot.subject == "alg":
                    lessons_7a_algebra.append((lesson, day))
                roll_at = values["roll_taken_at"]
                quarter = quarter_of.get(day)
                late_in_quarter = quarter is not None and (quarter.end - day).days < 7
                for pupil in self._roll_at(slot, day):
                    code = self._attendance(pupil, slot, day, lesson, teacher, roll_at, day_codes, arng)
                    if code in (ABSENT, ILL, VALID) or not marks_ok[k.id] or slot.subject == "orkse":
                        continue
                    if quarter is None:
                        continue
                    key = (pupil.id, k.id, slot.subject, quarter.name)
                    self._marks(
                        pupil, slot, day, lesson, teacher, kind, values["work_type"], key, mark_count,
                        marks_of, late_in_quarter, mrng,
                    )
        self._period_marks(marks_of)
        self._individual_homework(lessons_7a_algebra, rng)

    def _substitute(
        self,
        slot: Slot,
        day: dt.date,
        busy_slot: set[tuple[int, int, int]],
        used: set[tuple[dt.date, int, int]],
        absent: dict[tuple[int, dt.date], bool],
    ) -> int | None:
        area = C.area_of(slot.subject, slot.klass.grade)
        same = [t for t in self.teachers if area in t.areas and t.id != slot.teacher]
        others = [t for t in self.teachers if t.areas[0] not in ("primary", "preschool") and t.id != slot.teacher]
        for t in [*same, *others]:
            if (t.id, slot.weekday, slot.number) in busy_slot or (day, slot.number, t.id) in used:
                continue
            if (t.id, day) in absent:
                continue
            return t.id
        return None

    def _work_type(self, subject: str, kind: str, topic: str) -> int | None:
        wt = self.work_types
        if kind == CONTROL:
            if subject == "rus" and "диктант" in topic.lower():
                return wt["Диктант"]
            if subject == "lit":
                return wt["Сочинение"]
            return wt["Контрольная работа"]
        if kind == LAB:
            return wt["Лабораторная работа"]
        if kind == PRACTICAL:
            return wt["Практическая работа"]
        return None

    def _day_codes(self, rng: random.Random) -> dict[tuple[int, dt.date], tuple[str, bool, dt.date]]:
        """Whole days missed: (pupil, day) → (code, entered as «н» first?, last day of the spell)."""
        codes: dict[tuple[int, dt.date], tuple[str, bool, dt.date]] = {}
        days = [d for d in self.held_days if self.window <= d < self.today]
        seen: set[int] = set()
        for k in self.classes:
            for pupil in k.pupils:
                if pupil.id in seen:
                    continue
                seen.add(pupil.id)
                rate = 0.013 * pupil.illness * (1.6 if k.grade == 0 else 1.0)
                i = 0
                while i < len(days):
                    r = rng.random()
                    if r < rate:
                        length = rng.randint(2, 5)
                        spell = days[i : i + length]
                        first_n = rng.random() < 0.5
                        for d in spell:
                            codes[(pupil.id, d)] = (ILL, first_n, spell[-1])
                        i += length + 1
                        continue
                    if r < rate + 0.004:
                        codes[(pupil.id, days[i])] = (VALID, False, days[i])
                    i += 1
        return codes

    def _attendance(
        self,
        pupil: Pupil,
        slot: Slot,
        day: dt.date,
        lesson: int,
        teacher: int,
        roll_at: dt.datetime,
        day_codes: dict[tuple[int, dt.date], tuple[str, bool, dt.date]],
        rng: random.Random,
    ) -> str | None:
        spell = day_codes.get((pupil.id, day))
        row: Row | None = None
        if spell is not None:
            code, first_n, last = spell
            if code == ILL and first_n:
                fixed = last + dt.timedelta(days=rng.randint(1, 3))
                row = {"code": ABSENT, "reason": ""}
                if fixed <= self.ref:
                    row.update(
                        corrected_code=ILL, reason=ILL_REASON, corrected_by=slot.klass.teacher,
                        corrected_at=_at(fixed, dt.time(15, 0), rng.randint(0, 120)),
                    )
            elif code == ILL:
                row = {"code": ILL, "reason": ""}
            else:
                row = {"code": VALID, "reason": VALID_REASONS[pupil.id % len(VALID_REASONS)]}
        else:
            r = rng.random()
            if r < 0.004:
                row = {"code": ABSENT, "reason": ""}
            elif r < 0.004 + (0.025 if slot.number == 1 else 0.003):
                row = {"code": LATE, "reason": ""}
        if row is None:
            return None
        self.rows.add(
            m.Attendance, student=pupil.id, lesson=lesson, entered_by=teacher, entered_at=roll_at, late=False,
            corrected_code=row.pop("corrected_code", None), corrected_by=row.pop("corrected_by", None),
            corrected_at=row.pop("corrected_at", None), **row,
        )
        code = row["code"]
        return str(code)

    def _value(self, pupil: Pupil, subject: str, rng: random.Random, shift: float = 0.0) -> str:
        offset = pupil.offsets.get(subject)
        if offset is None:
            offset = pupil.offsets[subject] = rng.gauss(0.0, 0.35)
        easy = 0.4 if subject in ("pe", "music", "art", "tech", "obzr") else 0.0
        value = round(pupil.ability + offset + easy + shift + rng.gauss(0.0, 0.7))
        return str(min(5, max(2, value)))

    def _marks(
        self,
        pupil: Pupil,
        slot: Slot,
        day: dt.date,
        lesson: int,
        teacher: int,
        kind: str,
        work_type: int | None,
        key: tuple[int, int, str, str],
        mark_count: dict[tuple[int, int, str, str], int],
        marks_of: dict[tuple[int, int, str, str], list[WeightedMark]],
        late_in_quarter: bool,
        rng: random.Random,
    ) -> None:
        wt = self.work_types
        starts = C.BELLS[slot.number - 1][0]
        hours = dict(slot.klass.curriculum)[slot.subject]
        given: list[tuple[int, str]] = []
        if kind == CONTROL and work_type is not None:
            given.append((work_type, self._value(pupil, slot.subject, rng, -0.15)))
        elif kind in (LAB, PRACTICAL) and work_type is not None:
            if rng.random() < 0.75:
                given.append((work_type, self._value(pupil, slot.subject, rng, 0.1)))
        else:
            p = min(0.6, max(0.3, 0.65 / hours))
            if late_in_quarter and mark_count.get(key, 0) < 3:
                p = 0.9
            if rng.random() < p:
                r = rng.random()
                if r < 0.64:
                    w = wt["Ответ на уроке"]
                elif r < 0.76:
                    w = wt["Самостоятельная работа"]
                elif r < 0.86:
                    w = wt["Домашняя работа"]
                elif r < 0.93:
                    w = wt["Тест"]
                elif slot.subject == "rus" and slot.klass.grade >= 5 and r < 0.96:
                    w = wt["Изложение"]
                else:
                    w = wt["Проверочная работа"]
                given.append((w, self._value(pupil, slot.subject, rng)))
                if rng.random() < 0.06:
                    second = wt["Домашняя работа"] if w != wt["Домашняя работа"] else wt["Самостоятельная работа"]
                    given.append((second, self._value(pupil, slot.subject, rng)))
        for position, (w, value) in enumerate(given):
            if kind == CONTROL:
                created = _at(day, dt.time(17, 0), rng.randint(0, 240))
            else:
                created = _at(day, starts, rng.randint(10, 50))
            self.rows.add(
                m.Mark, student=pupil.id, lesson=lesson, work_type=w, value=value, position=position,
                comment="", created_by=teacher, created_at=created, late=False,
            )
            mark_count[key] = mark_count.get(key, 0) + 1
            marks_of.setdefault(key, []).append(WeightedMark(int(value), self.wt_weight[w]))

    def _period_marks(self, marks_of: dict[tuple[int, int, str, str], list[WeightedMark]]) -> None:
        """Quarter marks for the quarters that ended inside the lessons' window."""
        policy = RoundingPolicy("half_up", (4.65, 3.65, 2.65), 3)
        for quarter in self.quarters:
            if not (self.window <= quarter.start and quarter.end < self.today):
                continue
            set_day = quarter.end - dt.timedelta(days=2)
            for k in self.classes:
                if k.grade < 2:
                    continue
                for subject, _hours in k.curriculum:
                    if subject == "orkse":
                        continue
                    for g, gid in enumerate(k.groups.get(subject, [None]), start=1):
                        roll = self.group_roll[gid] if gid is not None else k.roll
                        tid = self.teacher_for[(k.id, subject, g if gid is not None else 0)]
                        for pupil, start, end in roll:
                            if not _on(start, end, quarter.end) or start > quarter.start + dt.timedelta(days=21):
                                continue
                            marks = marks_of.get((pupil.id, k.id, subject, quarter.name), [])
                            proposal = propose_period_mark(marks, policy)
                            self.rows.add(
                                m.PeriodMark, student=pupil.id, subject=self.subjects[subject], school_class=k.id,
                                period=self.period_ids[quarter.name], kind="period", value=proposal.value,
                                proposed=proposal.value, reason="", entered_by=tid,
                                set_at=_at(set_day, dt.time(16, 0)),
                            )

    def _individual_homework(self, lessons: list[tuple[int, dt.date]], rng: random.Random) -> None:
        seven_a = self.by_name["7А"]
        pupils = [p for p, _s, end in seven_a.roll if end is None]
        if not lessons or not pupils:
            return
        weakest = sorted(pupils, key=lambda p: (p.ability, p.id))[:3]
        for lesson, _day in lessons[-3:]:
            pupil = rng.choice(weakest)
            first = rng.randint(200, 600)
            self.rows.add(
                m.IndividualHomework, lesson=lesson, student=pupil.id,
                text=f"Работа над ошибками: № {first}, {first + 1}, {first + 4}",
            )

    # --- messages, announcements, audit -------------------------------------------------------

    def _communication(self) -> None:
        rng = self.rng("messages")
        ref = self.ref
        if self.today < dt.date(2026, 8, 25):
            return
        seven_a = self.by_name["7А"]
        parents_7a = []
        for pupil, _s, end in seven_a.roll:
            if end is None:
                parents_7a += [uid for uid, _rel in pupil.family.parents if uid not in parents_7a]
        announcements = [
            (dt.date(2026, 8, 27), None, self.staff["director"], "День знаний",
             "1 сентября в 8:00 — торжественная линейка на школьном дворе. Первый урок — «Разговоры о важном»."),
            (dt.date(2026, 9, 18), None, self.staff["deputy"], "Школьный этап всероссийской олимпиады",
             "С 28 сентября по 23 октября проходит школьный этап ВсОШ. График — на сайте школы и у классных руководителей."),
            (dt.date(2026, 10, 19), None, self.staff["director"], "Осенние каникулы",
             "Осенние каникулы — с 25 октября по 4 ноября. 5 ноября — занятия по расписанию."),
            (dt.date(2026, 11, 16), None, self.staff["director"], "Общешкольное родительское собрание",
             "27 ноября в 18:00 в актовом зале: итоги первой четверти, питание, безопасность зимой."),
            (dt.date(2026, 11, 18), None, self.staff["deputy"], "Итоговое сочинение",
             "Итоговое сочинение для 11 классов — 2 декабря в 10:00. Памятка — у классных руководителей."),
            (dt.date(2026, 12, 21), None, self.staff["director"], "Зимние каникулы",
             "Зимние каникулы — с 29 декабря по 11 января. 12 января — занятия по расписанию."),
            (dt.date(2026, 9, 22), self.by_name["1А"].id, self.by_name["1А"].teacher, "Посвящение в первоклассники",
             "Праздник «Посвящение в первоклассники» — 30 сентября в 12:30 в актовом зале. Родители приглашаются."),
            (dt.date(2026, 10, 5), seven_a.id, seven_a.teacher, "Экскурсия в краеведческий музей",
             "14 октября после 4 урока классом идём в краеведческий музей. С собой — 150 ₽ на билет."),
            (dt.date(2026, 11, 20), seven_a.id, seven_a.teacher, "Классный час",
             "В пятницу классный час «Безопасность на льду». Явка обязательна."),
            (dt.date(2026, 11, 10), self.by_name["9А"].id, self.by_name["9А"].teacher, "Пробный ОГЭ по математике",
             "Пробный экзамен по математике — 3 декабря, 1–4 уроки. При себе — ручка с чёрной пастой, линейка."),
            (dt.date(2026, 10, 12), self.by_name["ГКП"].id, self.educator, "Осенний утренник",
             "Осенний утренник — 22 октября в 10:00. Костюмы: листочки, грибочки, ёжики."),
        ]
        for day, class_id, author, title, body in announcements:
            if day <= ref:
                self.rows.add(
                    m.Announcement, school=self.school, school_class=class_id, author=author, title=title,
                    body=body, published_at=_at(day, dt.time(9, 30), rng.randint(0, 300)),
                )
        if ref < dt.date(2026, 9, 10):
            return
        key = self.key
        parent_uid = next(uid for uid, rel in self.key_pupil.family.parents
                          if rel == ("мать" if key.parent_is_mother else "отец"))
        rus_teacher = self.teacher_for[(seven_a.id, "rus", 0)]
        kid = self.key_pupil.person

        def send(day: dt.date, sender: int, subject: str, body: str, to: list[int], about: int | None = None,
                 read_share: float = 0.7) -> None:
            sent = _at(day, dt.time(15, 0), rng.randint(0, 240))
            mid = self.rows.add(
                m.Message, school=self.school, sender=sender, subject=subject, body=body, sent_at=sent,
                about_student=about,
            )
            for uid in to:
                read_day = day + dt.timedelta(days=rng.randint(0, 2))
                read = _at(read_day, dt.time(19, 0), rng.randint(0, 180)) if rng.random() < read_share else None
                if read is not None and read.date() > ref:
                    read = None
                self.rows.add(m.MessageRecipient, message=mid, user=uid, read_at=read)

        send(max(C.YEAR_START, ref - dt.timedelta(days=8)), self.staff["deputy"],
             "Заполнение электронного журнала",
             "Коллеги, до пятницы заполните, пожалуйста, темы уроков и домашние задания за прошедшие недели. "
             "Отметки за контрольные работы выставляются не позднее чем через 3 дня.",
             [t.id for t in self.teachers if t.areas[0] != "preschool"])
        send(max(C.YEAR_START, ref - dt.timedelta(days=5)), seven_a.teacher, "Родительское собрание 7А",
             "Уважаемые родители! Приглашаю вас на родительское собрание в четверг в 18:30, "
             f"{self._room_name(self.key_teacher.room)}. Повестка: итоги четверти, экскурсия, питание.",
             parents_7a, read_share=0.6)
        send(max(C.YEAR_START, ref - dt.timedelta(days=4)), rus_teacher, "Сочинение",
             f"Здравствуйте! {kid.first} не сдал{'' if kid.sex == 'м' else 'а'} сочинение по литературе. "
             "Прошу проследить, чтобы работа была сдана до конца недели.",
             [parent_uid], about=self.key_pupil.id, read_share=1.0)
        following = [d for d in self.school_days if d > ref]
        when = _ON_WEEKDAY[following[0].weekday()] if following else "завтра"
        send(max(C.YEAR_START, ref - dt.timedelta(days=1)), parent_uid, "Отсутствие",
             f"Здравствуйте! {kid.first} {when} будет отсутствовать на первых двух уроках "
             "по семейным обстоятельствам. Заявление передам.",
             [seven_a.teacher], about=self.key_pupil.id, read_share=0.0)

    def _room_name(self, room_id: int) -> str:
        return next(name for name, rid in self.rooms.items() if rid == room_id)

    def _audit(self) -> None:
        data = self.rows.data
        pupils = len(data[m.Student])
        summary = (
            f"Создана демонстрационная школа «{self.identity.short_name}» (зерно {self.seed}, "
            f"размер {self.size}): классов {len(self.classes)}, учащихся {pupils}, "
            f"учителей {len(self.teachers)}, уроков {len(data[m.Lesson])}, отметок {len(data[m.Mark])}, "
            f"записей посещаемости {len(data[m.Attendance])}"
        )
        self.rows.add(
            m.AuditEntry, school=self.school, at=m.now(), actor=None, actor_name=DEMO_ACTOR, origin="demo",
            address="", action="create", entity="demo", entity_id=str(self.school), field="",
            old_value=None, new_value=summary,
        )

