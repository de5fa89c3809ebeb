"""What the class teacher's services share: who reads a class's records (its class teacher
and the school-wide roles), the pupils on its roll over some days, and their names.
"""

from __future__ import annotations

import datetime as dt

from tui_journal.db.models import Enrollment, SchoolClass, Student, User
from tui_journal.domain.text import full_name, surname_initials
from tui_journal.services import access
from tui_journal.services.actor import Actor
from tui_journal.services.roster import on_roll

# --- access -----------------------------------------------------------------------------------


def readable_class(actor: Actor, class_id: int) -> SchoolClass:
    """The class teacher of the class and the school-wide roles."""
    cls = access.class_in_school(actor, class_id)
    if not (actor.school_wide or cls.id in access.led_class_ids(actor)):
        raise access.deny("сведения классного руководителя об этом классе")
    return cls


def pupils_between(class_id: int, start: dt.date, end: dt.date) -> list[Student]:
    """The pupils on the class's roll at some time in ``[start, end]``, by name."""
    rows = (
        Student.select()
        .join(Enrollment)
        .where(
            (Enrollment.school_class == class_id)
            & on_roll(start, end)
        )
        .distinct()
    )
    return sorted(rows, key=lambda s: (s.last_name, s.first_name, s.middle_name, s.id))


def short_name_of(s: Student | User) -> str:
    """«Фамилия И. О.» of a pupil or a user."""
    return surname_initials(s.last_name, s.first_name, s.middle_name or None)


def full_name_of(s: Student | User) -> str:
    """«Фамилия Имя Отчество» of a pupil or a user."""
    return full_name(s.last_name, s.first_name, s.middle_name or None)
