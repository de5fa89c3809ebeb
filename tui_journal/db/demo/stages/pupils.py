"""The demo's pupils and families: the parents' accounts, the pupils' cards (the key family
in 7А and 5А), and the arrivals, departures and transfer of the autumn.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from tui_journal.db import models as m
from tui_journal.db.demo import catalog as C
from tui_journal.db.demo.names import FEMALE_ADULT, MALE_ADULT, SURNAMES, Person, child, phone, surname_for
from tui_journal.db.demo.people import CITY, STREETS
from tui_journal.db.demo.stages.state import (
    ACCOUNTS_CREATED,
    LEFT_TO,
    OTHER_SCHOOLS,
    BuilderState,
    Family,
    Pupil,
    at_time,
    name_fields,
)


class PupilStage(BuilderState):
    """Families, pupils and their movements."""

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
            **name_fields(person),
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
                created = at_time(day, dt.time(10, 0))
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
