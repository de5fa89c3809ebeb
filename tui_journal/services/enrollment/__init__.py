"""Pupils and their movement (R-SEC-1): search, enrolment, arrival, departure, transfer, the
class lists, and the personal cards with the parents' contacts (R-CT-2).

The secretary and the admin move pupils; every move takes a date and an order number and is
one :class:`Enrollment` row (the movement log), so the class lists, the journals and the
movement report change at once. Personal cards and the parents' contacts are edited by the
secretary, the admin and the class teacher of the pupil's class; every change of personal
data is audited field by field.

Search works on ``search_key`` (Python's casefold, ё as е): SQLite's lower() does not fold
Cyrillic.

One module per topic: ``base`` (the values and the checks every part shares), ``lists``
(search, class lists, the movement log), ``cards`` (the personal card), ``parents`` (the
parents' records and links), ``moves`` (enrolment, arrival, departure, transfer).
"""

from tui_journal.services.enrollment.base import (
    CARD_FIELDS,
    GUARDIAN_FIELDS,
    MAX_AGE,
    MIN_AGE,
    PHONE_RE,
    SEARCH_LIMIT,
    SEXES,
    GuardianView,
    Movement,
    MovementView,
    NewPupil,
    ParentData,
    StudentCard,
    StudentHit,
    check_in_year,
    check_order,
)
from tui_journal.services.enrollment.cards import confirm_contacts, student_card, update_student
from tui_journal.services.enrollment.lists import LINK_DAYS, class_list, movements, search_students
from tui_journal.services.enrollment.moves import (
    arrive,
    create_pupil,
    depart,
    enroll_new,
    find_duplicate,
    next_file_no,
    pupil_values,
    transfer,
)
from tui_journal.services.enrollment.parents import add_guardian, free_login, parse_parents, update_guardian

__all__ = [
    "CARD_FIELDS",
    "GUARDIAN_FIELDS",
    "LINK_DAYS",
    "MAX_AGE",
    "MIN_AGE",
    "PHONE_RE",
    "SEARCH_LIMIT",
    "SEXES",
    "GuardianView",
    "Movement",
    "MovementView",
    "NewPupil",
    "ParentData",
    "StudentCard",
    "StudentHit",
    "add_guardian",
    "arrive",
    "check_in_year",
    "check_order",
    "class_list",
    "confirm_contacts",
    "create_pupil",
    "depart",
    "enroll_new",
    "find_duplicate",
    "free_login",
    "movements",
    "next_file_no",
    "parse_parents",
    "pupil_values",
    "search_students",
    "student_card",
    "transfer",
    "update_guardian",
    "update_student",
]
