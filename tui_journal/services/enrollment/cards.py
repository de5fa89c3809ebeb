"""The pupil's personal card (R-CT-2): reading it, editing it field by field, and the class
teacher's monthly check of the parents' contacts.
"""

from __future__ import annotations

import datetime as dt

from tui_journal import clock
from tui_journal.db.models import Enrollment, SchoolClass, Student
from tui_journal.services import access, audit
from tui_journal.services.actor import Actor
from tui_journal.services.checks import clean_text
from tui_journal.services.enrollment.base import (
    MovementView,
    StudentCard,
    check_birth,
    check_file_no_free,
    check_sex,
    current_enrollment,
    guardians_of,
    joined_name,
    manages_pupils,
    require_card_editor,
    search_key_after,
)
from tui_journal.services.journal import class_label
from tui_journal.services.tx import write_tx


def _can_read_card(actor: Actor, student_id: int) -> bool:
    if manages_pupils(actor):
        return True
    if access.can_edit_personal_data(actor, student_id):
        return True
    return student_id in access.children_ids(actor) | access.own_student_ids(actor)


def _history(student: Student) -> tuple[MovementView, ...]:
    rows = (
        Enrollment.select(Enrollment, SchoolClass)
        .join(SchoolClass)
        .where(Enrollment.student == student.id)
        .order_by(Enrollment.start, Enrollment.id)
    )
    name = joined_name(student.last_name, student.first_name, student.middle_name)
    return tuple(
        MovementView(
            e.id, student.id, name, e.school_class_id, class_label(e.school_class), e.start, e.end,
            e.order_in, e.order_out, e.came_from, e.went_to,
        )
        for e in rows
    )


def student_card(actor: Actor, student_id: int) -> StudentCard:
    """The personal card: the secretary, the school-wide roles, the class teacher, parents, the pupil."""
    student = access.student_in_school(actor, student_id)
    if not _can_read_card(actor, student.id):
        raise access.deny("личное дело учащегося")
    current = current_enrollment(student.id)
    return StudentCard(
        student.id, student.last_name, student.first_name, student.middle_name, student.birth_date, student.sex,
        student.address, student.notes, student.contacts_checked_at,
        current.school_class_id if current else None, class_label(current.school_class) if current else "",
        guardians_of(student.id), _history(student), access.can_edit_personal_data(actor, student.id),
        student.personal_file_no,
    )


# --- the personal card --------------------------------------------------------------------


def update_student(
    actor: Actor,
    student_id: int,
    *,
    last_name: str | None = None,
    first_name: str | None = None,
    middle_name: str | None = None,
    birth_date: dt.date | None = None,
    sex: str | None = None,
    address: str | None = None,
    notes: str | None = None,
    personal_file_no: str | None = None,
) -> StudentCard:
    """Edit the personal card; one audit row per changed field."""
    student = access.student_in_school(actor, student_id)
    require_card_editor(actor, student)
    after: dict[str, object] = {}
    for name, value, what, required, kind in (
        ("last_name", last_name, "фамилия", True, "name"),
        ("first_name", first_name, "имя", True, "name"),
        ("middle_name", middle_name, "отчество", False, "name"),
        ("address", address, "адрес", False, "address"),
        ("notes", notes, "заметки", False, "notes"),
        ("personal_file_no", personal_file_no, "номер личного дела", False, "short_name"),
    ):
        if value is not None:
            after[name] = clean_text(value, what, required=required, kind=kind)
    if birth_date is not None:
        check_birth(birth_date, clock.today())
        after["birth_date"] = birth_date
    if sex is not None:
        after["sex"] = check_sex(sex)
    with write_tx():
        file_no = after.get("personal_file_no")
        if file_no and file_no != student.personal_file_no:
            check_file_no_free(actor, str(file_no), student.id)
        audit.save_changes(actor, "student", student, after, derived={"search_key": search_key_after(student, after)})
    return student_card(actor, student.id)


def confirm_contacts(actor: Actor, student_id: int, on: dt.date | None = None) -> StudentCard:
    """The class teacher's monthly check of the parents' contacts (R-CT-2)."""
    student = access.student_in_school(actor, student_id)
    require_card_editor(actor, student)
    day = on or clock.today()
    with write_tx():
        audit.save_changes(actor, "student", student, {"contacts_checked_at": day})
    return student_card(actor, student.id)
