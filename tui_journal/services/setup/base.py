"""What the setup modules share: the values they return, the limits, and finding a class
or a subject by name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import fn

from tui_journal import clock
from tui_journal.db.models import (
    AcademicYear,
    SchoolClass,
    Subject,
)
from tui_journal.domain.periods import HALF, HOLIDAYS, QUARTER, TRIMESTER
from tui_journal.domain.text import parse_class_name
from tui_journal.services import access
from tui_journal.services.actor import Actor
from tui_journal.services.checks import (
    open_year,
    year_in_school,
)
from tui_journal.services.errors import NotFound

PERIOD_KINDS = (QUARTER, HALF, TRIMESTER, HOLIDAYS)
PERIOD_KIND_NAMES = {QUARTER: "четверть", HALF: "полугодие", TRIMESTER: "триместр", HOLIDAYS: "каникулы"}
ROUNDING_MODES = ("half_up", "threshold")
MAX_NAME = 100


# --- values returned ---------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodView:
    id: int
    name: str
    kind: str
    ordinal: int
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class YearInfo:
    id: int
    name: str
    start: dt.date
    end: dt.date
    closed: bool
    periods: tuple[PeriodView, ...]


@dataclass(frozen=True)
class ClassInfo:
    id: int
    name: str
    grade: int
    letter: str
    kind: str
    year_id: int
    class_teacher: str  # «Иванова М. И.» or ""
    class_teacher_login: str
    pupils: int


@dataclass(frozen=True)
class Named:
    """A row of a short list: a room, a subject, a work type, a bell schedule, a group."""

    id: int
    name: str
    detail: str = ""


@dataclass(frozen=True)
class CurriculumGrid:
    """учебный план of one year: classes × subjects with hours per week (R-SETUP-2)."""

    year_id: int
    classes: tuple[tuple[int, str], ...]
    subjects: tuple[tuple[int, str], ...]
    hours: dict[tuple[int, int], float]  # (class id, subject id) → hours per week

    def total(self, class_id: int) -> float:
        return sum(h for (c, _), h in self.hours.items() if c == class_id)


@dataclass(frozen=True)
class AssignmentInfo:
    id: int
    class_id: int
    class_name: str
    subject_id: int
    subject: str
    teacher_login: str
    teacher: str
    group_id: int | None
    group: str


def open_class(actor: Actor, class_id: int) -> SchoolClass:
    cls = access.class_in_school(actor, class_id)
    open_year(actor, cls.year_id)
    return cls


def current_year(actor: Actor, on: dt.date | None = None) -> AcademicYear | None:
    """The school's year containing ``on`` (today), else the latest open one."""
    day = on or clock.today()
    years = list(AcademicYear.select().where(AcademicYear.school == actor.school_id).order_by(AcademicYear.start))
    for year in years:
        if year.start <= day <= year.end:
            return year
    open_years = [y for y in years if not y.closed]
    return open_years[-1] if open_years else (years[-1] if years else None)


def find_class(actor: Actor, name: str, year_id: int | None = None) -> SchoolClass:
    """A class by its name («7А», «7 а», «ГКП») in the given year or the current one."""
    year = year_in_school(actor, year_id) if year_id is not None else current_year(actor)
    if year is None:
        raise NotFound("В школе нет ни одного учебного года")
    text = name.strip()
    query = SchoolClass.select().where(SchoolClass.year == year.id)
    try:
        grade, letter = parse_class_name(text)
        cls = query.where((SchoolClass.grade == grade) & (SchoolClass.letter == letter)).first()
    except ValueError:
        cls = query.where((SchoolClass.grade == 0) & (fn.upper(SchoolClass.letter) == text.upper())).first()
        if cls is None:
            cls = next((c for c in query if c.grade == 0 and c.letter.casefold() == text.casefold()), None)
    if cls is None:
        raise NotFound(f"Класс «{text}» не найден в {year.name} учебном году")
    return cls


def find_subject(actor: Actor, name: str) -> Subject:
    """A subject by its name or short name, regardless of case."""
    wanted = name.strip().casefold()
    for subject in Subject.select().where(Subject.school == actor.school_id):
        if wanted in (subject.name.casefold(), (subject.short_name or "").casefold()):
            return subject
    raise NotFound(f"Предмет «{name.strip()}» не найден")
