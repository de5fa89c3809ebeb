"""A school of any shape, set up through the real services as its administrator would.

``build_school(admin)`` gives the small school the administration tests share (four classes,
four teachers and a secretary, six pupils); its keywords change the shape::

    build_school(admin, classes=(ClassSpec("5А"), ClassSpec("5Б")), pupils_per_class=25)
    build_school(admin, assignments=(("7А", "Математика", "ivanova"),),
                 timetable=(Slot("7А", "Математика", "ivanova", 1, 1),), lessons=(SEPT1, D(2026, 9, 30)))

Every step is a service call by ``admin`` (validated, audited), so what the tests see is what a
school set up by hand would hold. The result is a :class:`BuiltSchool` of ids and actors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from tui_journal.services import accounts, enrollment, journal, setup, timetable
from tui_journal.services import roles as R
from tui_journal.services.actor import Actor
from tui_journal.services.auth import actor_for
from tui_journal.services.enrollment import ParentData

from .domain import YEAR_END, YEAR_NAME, YEAR_START
from .rows import PASSWORD

D = dt.date
SEPT1 = YEAR_START


@dataclass(frozen=True)
class Staff:
    """An account created by the admin, who may log in with ``password``."""

    login: str
    last_name: str
    first_name: str
    middle_name: str = ""
    roles: tuple[str, ...] = (R.TEACHER,)
    password: str = PASSWORD


@dataclass(frozen=True)
class Pupil:
    """A pupil enrolled on the year's first day; ``birth_date`` defaults to 1 March of the year
    a pupil of the class's grade was born in."""

    last_name: str
    first_name: str
    middle_name: str = ""
    sex: str = "м"
    birth_date: dt.date | None = None
    parents: tuple[ParentData, ...] = ()


@dataclass(frozen=True)
class ClassSpec:
    """A class («7А»), its class teacher's login and its pupils (none: ``pupils_per_class``
    generated ones)."""

    name: str
    class_teacher: str | None = None
    pupils: tuple[Pupil, ...] = ()


@dataclass(frozen=True)
class Slot:
    """A weekly lesson: class, subject, teacher's login, weekday (1 = Monday), number."""

    class_name: str
    subject: str
    teacher: str
    weekday: int
    number: int
    group: str | None = None
    room: str | None = None


@dataclass
class BuiltSchool:
    """What the tests need of a built school: ids by name, and an actor per account.

    ``pupils`` are keyed by surname (generated pupils by «surname first name»); ``roster``
    lists each class's pupils in enrolment order; ``actors`` are keyed by login."""

    admin: Actor
    year: setup.YearInfo
    subjects: dict[str, int] = field(default_factory=dict)
    classes: dict[str, int] = field(default_factory=dict)
    rooms: dict[str, int] = field(default_factory=dict)
    pupils: dict[str, int] = field(default_factory=dict)
    roster: dict[str, list[int]] = field(default_factory=dict)
    groups: dict[str, int] = field(default_factory=dict)
    actors: dict[str, Actor] = field(default_factory=dict)


STAFF: tuple[Staff, ...] = (
    Staff("ivanova", "Иванова", "Мария"),
    Staff("petrov", "Петров", "Павел"),
    Staff("sidorova", "Сидорова", "Светлана"),
    Staff("orlova", "Орлова", "Ольга"),
    Staff("sekretar", "Секретарёва", "Софья", roles=(R.SECRETARY,)),
)
SUBJECTS: tuple[tuple[str, bool], ...] = (("Математика", False), ("Русский язык", False), ("Английский язык", True))
# name, weight, is_control
WORK_TYPES: tuple[tuple[str, float, bool], ...] = (("Ответ на уроке", 1, False), ("Контрольная работа", 2, True))
CLASSES: tuple[ClassSpec, ...] = (
    ClassSpec("7А", "ivanova", (Pupil("Алексеев", "Антон"), Pupil("Борисова", "Белла"), Pupil("Ёлкин", "Егор"))),
    ClassSpec("7Б", "petrov", (Pupil("Воронов", "Виктор"),)),
    ClassSpec("11А", None, (Pupil("Выпускников", "Вадим", birth_date=D(2013, 3, 1)),)),
    ClassSpec("1А", None, (Pupil("Первоклашкин", "Пётр"),)),
)
ROOMS: tuple[str, ...] = ("12", "14", "21")

# generated pupils: surname × first name, unique in the school up to 20 × 20
_SURNAMES = (
    "Андреев", "Белов", "Волков", "Гусев", "Давыдов", "Ершов", "Жуков", "Зайцев", "Исаев", "Карпов",
    "Лебедев", "Морозов", "Никитин", "Осипов", "Павлов", "Романов", "Соколов", "Титов", "Уваров", "Фомин",
)
_FIRST_NAMES = (
    "Антон", "Борис", "Виктор", "Глеб", "Денис", "Егор", "Захар", "Иван", "Кирилл", "Лев",
    "Марк", "Никита", "Олег", "Пётр", "Роман", "Семён", "Тимур", "Фёдор", "Юрий", "Яков",
)


def generated_pupils(count: int, first: int = 0) -> tuple[Pupil, ...]:
    """``count`` pupils with distinct names, the ``first``-th onwards of the school's sequence."""
    n = len(_SURNAMES)
    return tuple(
        Pupil(_SURNAMES[i % n], _FIRST_NAMES[(i // n) % len(_FIRST_NAMES)]) for i in range(first, first + count)
    )


def actor_of(login: str) -> Actor:
    """The logged-in actor of an account."""
    return actor_for(accounts.require_user(login), origin="tui")


def add_staff(admin: Actor, staff: Sequence[Staff]) -> None:
    """Accounts created by the admin (their actors: :func:`actor_of`, once the classes they
    lead exist: an actor knows his classes from the moment it is made)."""
    for person in staff:
        accounts.add_user(
            admin, person.login, person.last_name, person.first_name, person.middle_name,
            roles=list(person.roles), password=person.password,
        )


def _grade(class_name: str) -> int:
    digits = "".join(c for c in class_name if c.isdigit())
    return int(digits) if digits else 0


def build_school(
    admin: Actor,
    *,
    year: tuple[str, dt.date, dt.date] = (YEAR_NAME, YEAR_START, YEAR_END),
    layout: str | None = "quarter",
    staff: Sequence[Staff] = STAFF,
    subjects: Sequence[tuple[str, bool]] = SUBJECTS,
    work_types: Sequence[tuple[str, float, bool]] = WORK_TYPES,
    classes: Sequence[ClassSpec] = CLASSES,
    rooms: Sequence[str] = ROOMS,
    pupils_per_class: int = 0,
    order: str = "№ 1-у",
    hours: Mapping[tuple[str, str], float] | None = None,
    assignments: Sequence[tuple[str, str, str]] = (),
    groups: Sequence[tuple[str, str, str, Sequence[str]]] = (),
    bells: Sequence[tuple[int, dt.time, dt.time]] = (),
    slots: Sequence[Slot] = (),
    lessons: tuple[dt.date, dt.date] | None = None,
) -> BuiltSchool:
    """A school set up by ``admin`` through the services, in the order an admin works.

    ``hours``: (class, subject) → hours a week; ``assignments``: (class, subject, teacher's
    login); ``groups``: (class, subject, group name, pupils' surnames), the members from the
    year's start; ``bells``: the main bell schedule; ``slots``: the timetable; ``lessons``:
    generate the timetable's lessons for these days (both included).
    """
    info = setup.add_year(admin, year[0], year[1], year[2], layout=layout)
    s = BuiltSchool(admin, info)
    add_staff(admin, staff)
    for name, split in subjects:
        s.subjects[name] = setup.add_subject(admin, name, split_into_groups=split).id
    for name, weight, is_control in work_types:
        setup.add_work_type(admin, name, weight, is_control=is_control)
    for spec in classes:
        s.classes[spec.name] = setup.add_class(admin, info.id, spec.name, class_teacher=spec.class_teacher).id
    for name in rooms:
        s.rooms[name] = setup.add_room(admin, name).id
    generated = 0
    for spec in classes:
        pupils = spec.pupils
        if not pupils and pupils_per_class:
            pupils = generated_pupils(pupils_per_class, generated)
            generated += pupils_per_class
        born = D(info.start.year - _grade(spec.name) - 6, 3, 1)
        for pupil in pupils:
            card = enrollment.enroll_new(
                admin,
                enrollment.NewPupil(
                    pupil.last_name, pupil.first_name, pupil.middle_name, pupil.birth_date or born, pupil.sex,
                    pupil.parents,
                ),
                s.classes[spec.name],
                info.start,
                order,
            )
            key = pupil.last_name if spec.pupils else f"{pupil.last_name} {pupil.first_name}"
            s.pupils[key] = card.id
            s.roster.setdefault(spec.name, []).append(card.id)
    for (class_name, subject), per_week in (hours or {}).items():
        setup.set_hours(admin, s.classes[class_name], s.subjects[subject], per_week)
    for class_name, subject, login in assignments:
        setup.assign_teacher(admin, s.classes[class_name], s.subjects[subject], login)
    for class_name, subject, name, members in groups:
        group = setup.add_group(admin, s.classes[class_name], s.subjects[subject], name)
        s.groups[name] = group.id
        setup.add_to_group(admin, group.id, [s.pupils[m] for m in members], info.start)
    if bells:
        setup.add_bell_schedule(admin, "Основное", bells)
    for slot in slots:
        timetable.add_slot(
            admin, s.classes[slot.class_name], s.subjects[slot.subject], slot.teacher, slot.weekday, slot.number,
            group_id=s.groups[slot.group] if slot.group else None,
            room_id=s.rooms[slot.room] if slot.room else None,
        )
    if lessons is not None:
        timetable.generate_lessons(admin, lessons[0], lessons[1])
    s.actors = {person.login: actor_of(person.login) for person in staff}
    return s


def set_cells(actor: Actor, lesson_id: int, cells: Mapping[int, str]) -> None:
    """Type a journal cell per pupil (``{pupil id: "5"}``, «н», «4/5»…) as the teacher would."""
    for student_id, text in cells.items():
        journal.set_cell(actor, lesson_id, student_id, text)
