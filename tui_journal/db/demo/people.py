"""The demo school's identity and its key people: the accounts printed for trying the journal.

These depend only on the seed and the school's index (never on the size), so that
:func:`tui_journal.db.demo.demo_logins` can recompute the printed logins without a database
and a ``tiny`` school has the same demo accounts as a full one.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from tui_journal.db.demo.names import (
    FEMALE_ADULT,
    MALE_ADULT,
    SURNAMES,
    Logins,
    Person,
    adult,
    child,
    surname_for,
)

DISTRICT_SCHOOLS = 20
ROLE_ORDER = ("admin", "director", "deputy", "secretary", "teacher", "educator", "student", "parent")
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
CITY = "г. Барнаул"
STREETS = (
    "ул. Ленина", "пр. Комсомольский", "ул. Гоголя", "ул. Пушкина", "ул. Молодёжная", "ул. Попова",
    "пр. Строителей", "ул. Советская", "ул. Лесная", "ул. Матросова", "пр. Космонавтов", "ул. Шумакова",
    "ул. Северо-Западная", "ул. Малахова", "ул. Юрина", "ул. Антона Петрова", "ул. Чкалова",
)


@dataclass(frozen=True)
class SchoolIdentity:
    index: int
    number: int
    name: str
    short_name: str
    address: str
    login_suffix: str


def school_identity(seed: int, index: int) -> SchoolIdentity:
    """Name and number of the ``index``-th school of the demo (0 for a single school)."""
    rng = random.Random(f"demo:{seed}:schools")
    numbers = rng.sample(range(1, 130), DISTRICT_SCHOOLS)
    kinds = [rng.choice(("sosh", "sosh", "sosh", "gym", "lyc")) for _ in range(DISTRICT_SCHOOLS)]
    streets = [rng.choice(STREETS) for _ in range(DISTRICT_SCHOOLS)]
    houses = [rng.randint(1, 120) for _ in range(DISTRICT_SCHOOLS)]
    number = numbers[index]
    kind = "sosh" if index == 0 else kinds[index]
    if kind == "gym":
        name, short = f"МБОУ «Гимназия № {number}»", f"Гимназия № {number}"
    elif kind == "lyc":
        name, short = f"МБОУ «Лицей № {number}»", f"Лицей № {number}"
    else:
        name = f"МБОУ «Средняя общеобразовательная школа № {number}»"
        short = f"СОШ № {number}"
    address = f"656000, Алтайский край, {CITY}, {streets[index]}, д. {houses[index]}"
    return SchoolIdentity(index, number, name, short, address, "" if index == 0 else f"-{number}")


@dataclass(frozen=True)
class KeyPeople:
    """Staff and the demo family; ``logins`` and ``passwords`` are keyed by role."""

    admin: Person
    director: Person
    deputy: Person
    secretary: Person
    teacher: Person  # teaches mathematics, class teacher of 7А
    educator: Person
    pupil: Person  # a pupil of 7А
    sibling: Person  # his brother or sister in 5А
    mother: Person
    father: Person
    parent_is_mother: bool  # which parent's login is printed
    family_surname: str
    father_name: tuple[str, str, str]
    logins: dict[str, str]
    passwords: dict[str, str]
    sibling_login: str
    other_parent_login: str

    @property
    def parent(self) -> Person:
        return self.mother if self.parent_is_mother else self.father

    @property
    def other_parent(self) -> Person:
        return self.father if self.parent_is_mother else self.mother


def key_people(seed: int, index: int) -> tuple[KeyPeople, Logins]:
    """The key people of a school and the login registry holding their logins."""
    identity = school_identity(seed, index)
    rng = random.Random(f"demo:{seed}:{index}:key")
    logins = Logins(identity.login_suffix)
    admin = adult(rng, "м" if rng.random() < 0.6 else "ж")
    director = adult(rng, "ж" if rng.random() < 0.7 else "м")
    deputy = adult(rng, "ж" if rng.random() < 0.85 else "м")
    secretary = adult(rng, "ж")
    teacher = adult(rng, "ж" if rng.random() < 0.75 else "м")
    educator = adult(rng, "ж")
    surname = rng.choice(SURNAMES)
    father_name = rng.choice(MALE_ADULT)
    pupil = child(rng, "м" if rng.random() < 0.5 else "ж", surname, father_name)
    sibling = child(rng, "м" if rng.random() < 0.5 else "ж", surname, father_name)
    while sibling.first == pupil.first:
        sibling = child(rng, sibling.sex, surname, father_name)
    mother = Person(surname_for(surname, "ж"), rng.choice(FEMALE_ADULT), rng.choice(MALE_ADULT)[2], "ж")
    father = Person(surname_for(surname, "м"), father_name[0], rng.choice(MALE_ADULT)[1], "м")
    parent_is_mother = rng.random() < 0.7
    parent = mother if parent_is_mother else father
    people = {
        "admin": admin, "director": director, "deputy": deputy, "secretary": secretary,
        "teacher": teacher, "educator": educator, "student": pupil, "parent": parent,
    }
    login_of = {role: logins.make(people[role]) for role in ROLE_ORDER}
    sibling_login = logins.make(sibling)
    other_parent_login = logins.make(father if parent_is_mother else mother)
    prng = random.Random(f"demo:{seed}:{index}:passwords")
    passwords = {
        role: "demo-" + "".join(prng.choice(_PASSWORD_ALPHABET) for _ in range(6)) for role in ROLE_ORDER
    }
    key = KeyPeople(
        admin=admin, director=director, deputy=deputy, secretary=secretary, teacher=teacher,
        educator=educator, pupil=pupil, sibling=sibling, mother=mother, father=father,
        parent_is_mother=parent_is_mother, family_surname=surname, father_name=father_name,
        logins=login_of, passwords=passwords, sibling_login=sibling_login,
        other_parent_login=other_parent_login,
    )
    return key, logins


def role_notes(key: KeyPeople) -> dict[str, str]:
    """What each printed account is, in Russian."""
    relation = "мать" if key.parent_is_mother else "отец"
    pupil_word = "ученик" if key.pupil.sex == "м" else "ученица"
    return {
        "admin": "администратор электронного журнала",
        "director": "директор",
        "deputy": "заместитель директора по УВР",
        "secretary": "секретарь",
        "teacher": "учитель математики, классный руководитель 7А",
        "educator": "воспитатель ГКП",
        "student": f"{pupil_word} 7А",
        "parent": (
            f"{relation}: {key.pupil.first} {key.pupil.last} (7А), "
            f"{key.sibling.first} {key.sibling.last} (5А)"
        ),
    }


ROLE_TITLES = {
    "admin": "администратор",
    "director": "директор",
    "deputy": "завуч",
    "secretary": "секретарь",
    "teacher": "учитель (кл. рук. 7А)",
    "educator": "воспитатель ГКП",
    "student": "ученик 7А",
    "parent": "родитель",
}
