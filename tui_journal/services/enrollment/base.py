"""What every part of the pupils' records shares: the values the screens receive, the limits,
the checks of a name, a sex, a birth date, an order number and a date in the class's year, and
the small reads (the current enrolment, the guardians) the cards and the moves are built from.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from tui_journal.db.models import Enrollment, GuardianLink, SchoolClass, Student, User, search_key_for
from tui_journal.services import access
from tui_journal.services import roles as R
from tui_journal.services.actor import Actor
from tui_journal.services.checks import clean_text
from tui_journal.services.errors import Conflict, InvalidInput

SEARCH_LIMIT = 30
MIN_AGE, MAX_AGE = 1, 30
PHONE_RE = re.compile(r"^\+?[\d\s()\-]{5,24}$")
SEXES = {"м": "м", "ж": "ж", "муж": "м", "жен": "ж", "m": "м", "f": "ж", "мужской": "м", "женский": "ж"}
CARD_FIELDS = ("last_name", "first_name", "middle_name", "birth_date", "sex", "address", "notes")
GUARDIAN_FIELDS = ("last_name", "first_name", "middle_name", "phone", "email", "relation")


# --- values -------------------------------------------------------------------------------


@dataclass(frozen=True)
class StudentHit:
    """A line of a search result or a class list."""

    id: int
    full_name: str
    birth_date: dt.date | None
    class_id: int | None  # the class he is on the roll of now; None once he has left
    class_name: str
    status: str  # «7А», «выбыл 12.10.2026 (школа № 5)»


@dataclass(frozen=True)
class GuardianView:
    login: str
    full_name: str
    last_name: str
    first_name: str
    middle_name: str
    phone: str
    email: str
    relation: str


@dataclass(frozen=True)
class MovementView:
    enrollment_id: int
    student_id: int
    student: str
    class_id: int
    class_name: str
    start: dt.date
    end: dt.date | None
    order_in: str
    order_out: str
    came_from: str
    went_to: str


@dataclass(frozen=True)
class StudentCard:
    id: int
    last_name: str
    first_name: str
    middle_name: str
    birth_date: dt.date | None
    sex: str
    address: str
    notes: str
    contacts_checked_at: dt.date | None
    class_id: int | None
    class_name: str
    guardians: tuple[GuardianView, ...]
    history: tuple[MovementView, ...]
    editable: bool
    personal_file_no: str = ""  # номер личного дела («П-12»: the surname's letter, the book's number)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)


@dataclass(frozen=True)
class ParentData:
    last_name: str
    first_name: str
    middle_name: str = ""
    phone: str = ""
    relation: str = ""  # мать, отец, опекун
    email: str = ""


@dataclass(frozen=True)
class NewPupil:
    last_name: str
    first_name: str
    middle_name: str
    birth_date: dt.date | None
    sex: str
    parents: tuple[ParentData, ...] = field(default_factory=tuple)
    address: str = ""
    personal_file_no: str = ""  # empty: the next number of the surname's letter (see next_file_no)


@dataclass(frozen=True)
class Movement:
    """One line of the movement log for a span of dates (R-REP-7 builds on it)."""

    date: dt.date
    kind: str  # прибыл | выбыл | переведён | зачислен
    student_id: int
    student: str
    from_class: str
    to_class: str
    order: str
    where: str  # откуда / куда


# --- checks -------------------------------------------------------------------------------


def search_key_after(person: Student | User, after: Mapping[str, object], *extra: str) -> str:
    """The search key of a pupil or a parent once the names in ``after`` are written, so the
    search finds him under his new name (``extra``: a parent's login is searchable too)."""
    last, first, middle = (str(after.get(k, getattr(person, k))) for k in ("last_name", "first_name", "middle_name"))
    return search_key_for(last, first, middle, *extra)


def manages_pupils(actor: Actor) -> bool:
    """The secretary and the school-wide roles: they find, list and read every pupil of the school."""
    return actor.school_wide or actor.has(R.SECRETARY)


def joined_name(last: str, first: str, middle: str) -> str:
    """«Фамилия Имя Отчество», the empty parts left out."""
    return " ".join(p for p in (last, first, middle) if p)


def check_sex(value: str, *, required: bool = True) -> str:
    """The sex as stored («м»/«ж») from the ways people type it; empty only when not ``required``."""
    text = (value or "").strip().casefold()
    if not text and not required:
        return ""
    if text not in SEXES:
        raise InvalidInput(f"Пол «{value}» непонятен: м или ж")
    return SEXES[text]


def check_birth(birth: dt.date | None, on: dt.date) -> None:
    """A birth date that makes a pupil's age plausible on ``on``."""
    if birth is None:
        raise InvalidInput("Не указана дата рождения")
    if birth > on:
        raise InvalidInput(f"Дата рождения {birth:%d.%m.%Y} позже даты {on:%d.%m.%Y}")
    age = (on - birth).days / 365.25
    if not MIN_AGE <= age <= MAX_AGE:
        raise InvalidInput(f"Дата рождения {birth:%d.%m.%Y}: возраст {age:.0f} лет невозможен для учащегося")


def check_order(order: str) -> str:
    return clean_text(order, "номер приказа", kind="order")


def check_in_year(on: dt.date, start: dt.date, end: dt.date, year: str, class_name: str) -> None:
    """A date of a class's record (enrolment, departure, lesson) lies inside the class's year."""
    if not start <= on <= end:
        raise InvalidInput(f"Дата {on:%d.%m.%Y} вне {year} учебного года класса {class_name}")


def current_enrollment(student_id: int) -> Enrollment | None:
    """The pupil's open enrolment (with its class), or None when he is on no roll now."""
    row: Enrollment | None = (
        Enrollment.select(Enrollment, SchoolClass)
        .join(SchoolClass)
        .where((Enrollment.student == student_id) & Enrollment.end.is_null())
        .order_by(Enrollment.start.desc())
        .first()
    )
    return row


def require_card_editor(actor: Actor, student: Student) -> None:
    """Editing a card or a parent: the secretary, the admin, or the class teacher of the pupil."""
    if not access.can_edit_personal_data(actor, student.id):
        raise access.deny("личные дела учащихся этого класса")


def guardians_of(student_id: int) -> tuple[GuardianView, ...]:
    """The pupil's parents as the card shows them, in the order they were added."""
    rows = (
        GuardianLink.select(GuardianLink, User)
        .join(User, on=(GuardianLink.parent == User.id))
        .where(GuardianLink.student == student_id)
        .order_by(GuardianLink.id)
    )
    return tuple(
        GuardianView(
            g.parent.login, joined_name(g.parent.last_name, g.parent.first_name, g.parent.middle_name),
            g.parent.last_name, g.parent.first_name, g.parent.middle_name, g.parent.phone, g.parent.email, g.relation,
        )
        for g in rows
    )


def check_file_no_free(actor: Actor, number: str, student_id: int | None) -> None:
    """A personal-file number is the school's: refuse one another pupil already has."""
    twin = Student.get_or_none(
        (Student.school == actor.school_id) & (Student.personal_file_no == number)
        & (Student.id != (student_id or -1))
    )
    if twin is not None:
        raise Conflict(f"Номер личного дела {number} уже у {joined_name(twin.last_name, twin.first_name, twin.middle_name)}")
