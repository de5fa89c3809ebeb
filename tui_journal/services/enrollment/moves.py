"""The movement of pupils (R-SEC-1): a new pupil's enrolment with his parents, an arrival, a
departure and a transfer, each by a date and an order number, each one Enrollment row.
"""

from __future__ import annotations

import datetime as dt

from peewee import fn

from tui_journal.db.models import (
    AcademicYear,
    Enrollment,
    Group,
    GroupMember,
    SchoolClass,
    Student,
    search_key_for,
)
from tui_journal.domain import ru_words as words
from tui_journal.services import access, audit
from tui_journal.services import roles as R
from tui_journal.services.actor import Actor
from tui_journal.services.checks import clean_text
from tui_journal.services.enrollment.base import (
    NewPupil,
    StudentCard,
    check_birth,
    check_file_no_free,
    check_in_year,
    check_order,
    check_sex,
    current_enrollment,
    joined_name,
)
from tui_journal.services.enrollment.cards import student_card
from tui_journal.services.enrollment.parents import check_parent, link_parent, parent_user
from tui_journal.services.errors import Conflict, InvalidInput
from tui_journal.services.journal import class_label
from tui_journal.services.tx import write_tx


def _require_movers(actor: Actor, what: str) -> None:
    access.require_any_role(actor, R.ADMIN, R.SECRETARY, what=what)


def _open_class_for(actor: Actor, class_id: int, on: dt.date) -> SchoolClass:
    cls = access.class_in_school(actor, class_id)
    year = AcademicYear.get_by_id(cls.year_id)
    if year.closed:
        raise InvalidInput(f"Учебный год {year.name} закрыт: движение учащихся в нём невозможно")
    check_in_year(on, year.start, year.end, year.name, class_label(cls))
    return cls


# --- movement -----------------------------------------------------------------------------


def _close_groups(student_id: int, class_id: int, last_day: dt.date) -> None:
    groups = Group.select(Group.id).where(Group.school_class == class_id)
    GroupMember.update(end=last_day).where(
        (GroupMember.student == student_id) & GroupMember.group.in_(groups) & GroupMember.end.is_null()
    ).execute()


def _new_enrollment(
    actor: Actor, student: Student, cls: SchoolClass, on: dt.date, order: str, came_from: str
) -> Enrollment:
    row = Enrollment.create(student=student, school_class=cls, start=on, order_in=order, came_from=came_from)
    audit.record_creation(
        actor, "enrollment", row.id,
        {"student": student.id, "class": class_label(cls), "start": on, "order_in": order, "came_from": came_from},
    )
    return row


def next_file_no(school_id: int, last_name: str) -> str:
    """The next personal-file number of the alphabetical book: the surname's first letter and
    one more than the highest number of that letter in the school («П-12» after «П-11»)."""
    letter = next((c for c in last_name if c.isalpha()), "?").upper()
    highest = 0
    numbers: list[str] = [
        s.personal_file_no for s in Student.select(Student.personal_file_no).where(
            (Student.school == school_id) & Student.personal_file_no.startswith(f"{letter}-")
        )
    ]
    for number in numbers:
        tail = number.split("-", 1)[1]
        if tail.isdigit():
            highest = max(highest, int(tail))
    return f"{letter}-{highest + 1}"


def pupil_values(pupil: NewPupil, on: dt.date) -> NewPupil:
    last = clean_text(pupil.last_name, "фамилия")
    first = clean_text(pupil.first_name, "имя")
    middle = clean_text(pupil.middle_name, "отчество", required=False)
    check_birth(pupil.birth_date, on)
    sex = check_sex(pupil.sex)
    address = clean_text(pupil.address, "адрес", required=False, kind="address")
    parents = tuple(check_parent(p) for p in pupil.parents)
    file_no = clean_text(pupil.personal_file_no, "номер личного дела", required=False, kind="short_name")
    return NewPupil(last, first, middle, pupil.birth_date, sex, parents, address, file_no)


def find_duplicate(actor: Actor, pupil: NewPupil) -> Student | None:
    found: Student | None = Student.get_or_none(
        (Student.school == actor.school_id)
        & (Student.search_key == search_key_for(pupil.last_name, pupil.first_name, pupil.middle_name))
        & (Student.birth_date == pupil.birth_date)
    )
    return found


def enroll_new(
    actor: Actor, pupil: NewPupil, class_id: int, on: dt.date, order: str, *, came_from: str = ""
) -> StudentCard:
    """A new pupil with his parents, in one go: the card, the enrolment and the parents' records."""
    _require_movers(actor, "зачисление учащихся")
    cls = _open_class_for(actor, class_id, on)
    pupil = pupil_values(pupil, on)
    order = check_order(order)
    came_from = clean_text(came_from, "откуда прибыл", required=False, kind="place")
    with write_tx():
        student = create_pupil(actor, pupil, cls, on, order, came_from)
    return student_card(actor, student.id)


def create_pupil(actor: Actor, pupil: NewPupil, cls: SchoolClass, on: dt.date, order: str, came_from: str) -> Student:
    twin = find_duplicate(actor, pupil)
    if twin is not None:
        current = current_enrollment(twin.id)
        sex = words.sex_of(twin.middle_name, twin.sex)
        where = class_label(current.school_class) if current else words.gendered("выбыл", sex)
        raise Conflict(
            f"{words.gendered('Учащийся', sex)} {joined_name(twin.last_name, twin.first_name, twin.middle_name)}, "
            f"{pupil.birth_date:%d.%m.%Y} г. р., уже есть ({where}): оформите прибытие или перевод"
        )
    file_no = pupil.personal_file_no or next_file_no(actor.school_id, pupil.last_name)
    check_file_no_free(actor, file_no, None)
    student = Student.create(
        school=actor.school_id, last_name=pupil.last_name, first_name=pupil.first_name,
        middle_name=pupil.middle_name, birth_date=pupil.birth_date, sex=pupil.sex, address=pupil.address,
        search_key=search_key_for(pupil.last_name, pupil.first_name, pupil.middle_name),
        personal_file_no=file_no,
    )
    audit.record_creation(
        actor, "student", student.id,
        {"last_name": pupil.last_name, "first_name": pupil.first_name, "middle_name": pupil.middle_name,
         "birth_date": pupil.birth_date, "sex": pupil.sex, "address": pupil.address, "personal_file_no": file_no},
    )
    _new_enrollment(actor, student, cls, on, order, came_from)
    for parent in pupil.parents:
        link_parent(actor, student, parent_user(actor, parent), parent.relation)
    return student


def arrive(
    actor: Actor, student_id: int, class_id: int, on: dt.date, order: str, *, came_from: str = ""
) -> StudentCard:
    """A pupil who left earlier comes back (or one whose card exists is enrolled)."""
    _require_movers(actor, "зачисление учащихся")
    student = access.student_in_school(actor, student_id)
    cls = _open_class_for(actor, class_id, on)
    order = check_order(order)
    came_from = clean_text(came_from, "откуда прибыл", required=False, kind="place")
    current = current_enrollment(student.id)
    if current is not None:
        raise InvalidInput(
            f"{student.last_name} {student.first_name} уже числится в {class_label(current.school_class)}: "
            "оформите перевод"
        )
    last = Enrollment.select(fn.MAX(Enrollment.end)).where(Enrollment.student == student.id).scalar()
    if last is not None and on <= last:
        sex = words.sex_of(student.middle_name, student.sex)
        raise InvalidInput(
            f"{words.gendered('Учащийся', sex)} {words.gendered('выбыл', sex)} {last:%d.%m.%Y}: "
            "дата прибытия должна быть позже"
        )
    with write_tx():
        _new_enrollment(actor, student, cls, on, order, came_from)
    return student_card(actor, student.id)


def depart(actor: Actor, student_id: int, on: dt.date, order: str, *, went_to: str = "") -> StudentCard:
    """The pupil leaves the school on ``on`` (the last day on the roll) by an order."""
    _require_movers(actor, "выбытие учащихся")
    student = access.student_in_school(actor, student_id)
    order = check_order(order)
    went_to = clean_text(went_to, "куда выбыл", required=False, kind="place")
    current = current_enrollment(student.id)
    if current is None:
        raise InvalidInput(f"{student.last_name} {student.first_name} не числится ни в одном классе")
    _open_class_for(actor, current.school_class_id, on)
    if on < current.start:
        raise InvalidInput(f"Учащийся в {class_label(current.school_class)} только с {current.start:%d.%m.%Y}")
    with write_tx():
        audit.save_changes(actor, "enrollment", current, {"end": on, "order_out": order, "went_to": went_to})
        _close_groups(student.id, current.school_class_id, on)
    return student_card(actor, student.id)


def transfer(actor: Actor, student_id: int, class_id: int, on: dt.date, order: str) -> StudentCard:
    """Move a pupil to another class of the same year from ``on`` (his first day there)."""
    _require_movers(actor, "перевод учащихся")
    student = access.student_in_school(actor, student_id)
    order = check_order(order)
    current = current_enrollment(student.id)
    if current is None:
        raise InvalidInput(f"{student.last_name} {student.first_name} не числится ни в одном классе: оформите прибытие")
    cls = _open_class_for(actor, class_id, on)
    if cls.id == current.school_class_id:
        raise InvalidInput(f"Учащийся уже в {class_label(cls)}")
    if cls.year_id != current.school_class.year_id:
        raise InvalidInput("Перевести можно только в класс того же учебного года")
    if on <= current.start:
        raise InvalidInput(f"Учащийся в {class_label(current.school_class)} с {current.start:%d.%m.%Y}: дата перевода должна быть позже")
    last_day = on - dt.timedelta(days=1)
    with write_tx():
        audit.save_changes(actor, "enrollment", current, {"end": last_day, "order_out": order})
        _close_groups(student.id, current.school_class_id, last_day)
        _new_enrollment(actor, student, cls, on, order, "")
    return student_card(actor, student.id)
