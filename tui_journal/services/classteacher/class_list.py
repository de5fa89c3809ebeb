"""The class teacher's classes and his class's roster with the pupils' and the parents'
accounts and the parents' contacts (R-CT-2).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from tui_journal import clock
from tui_journal.db.models import GuardianLink, SchoolClass, User
from tui_journal.domain import ru_words as words
from tui_journal.services import access
from tui_journal.services import roles as R
from tui_journal.services.actor import Actor
from tui_journal.services.classteacher.base import full_name_of, pupils_between, short_name_of
from tui_journal.services.journal import class_label, class_sort_key
from tui_journal.services.roster import pupils_on_roll

#: Parents' contacts are verified monthly (regulation 4.3.5).
CONTACTS_VALID_DAYS = 31


@dataclass(frozen=True)
class ClassRef:
    id: int
    name: str
    pupils: int


@dataclass(frozen=True)
class ParentLine:
    user_id: int
    login: str
    name: str
    relation: str
    phone: str
    email: str
    has_password: bool


@dataclass(frozen=True)
class PupilLine:
    student_id: int
    number: int
    name: str
    short: str
    login: str  # the pupil's account, "" without one
    has_password: bool
    parents: tuple[ParentLine, ...]
    contacts_checked_at: dt.date | None
    sex: str = ""  # "м" | "ж" | "" (the card's, else the patronymic's): «учащаяся»


def my_classes(actor: Actor) -> list[ClassRef]:
    """The classes the actor leads (every class for the school-wide roles)."""
    if actor.school_wide:
        query = SchoolClass.select().where(SchoolClass.school == actor.school_id)
    else:
        query = SchoolClass.select().where(SchoolClass.id.in_(list(access.led_class_ids(actor)) or [-1]))
    return [ClassRef(cls.id, class_label(cls), pupils_on_roll(cls.id)) for cls in sorted(query, key=class_sort_key)]


# --- the roster with accounts and parents' contacts (R-CT-2) ---------------------------------
# The personal card itself (reading, editing, the monthly check of the contacts) is
# :mod:`tui_journal.services.enrollment`'s: student_card, update_student, update_guardian,
# confirm_contacts. The class teacher's screen uses those.


def contacts_stale(checked: dt.date | None, today: dt.date | None = None) -> bool:
    """Parents' contacts not verified within a month (R-CT-2)."""
    today = today or clock.today()
    return checked is None or (today - checked).days > CONTACTS_VALID_DAYS


def _parents(student_ids: Sequence[int]) -> dict[int, list[ParentLine]]:
    found: dict[int, list[ParentLine]] = defaultdict(list)
    for g in (
        GuardianLink.select(GuardianLink, User)
        .join(User, on=(GuardianLink.parent == User.id))
        .where(GuardianLink.student.in_(list(student_ids) or [-1]) & (User.state != "removed"))
        .order_by(User.last_name, User.first_name)
    ):
        u = g.parent
        found[g.student_id].append(
            ParentLine(u.id, u.login, full_name_of(u), g.relation, u.phone, u.email, bool(u.password_hash))
        )
    return found


def class_roster(actor: Actor, class_id: int, today: dt.date | None = None) -> list[PupilLine]:
    """The class's pupils on the roll today with their accounts and their parents' contacts."""
    cls = access.class_in_school(actor, class_id)
    if not (actor.school_wide or actor.has(R.SECRETARY) or cls.id in access.led_class_ids(actor)):
        raise access.deny("список класса с контактами родителей")
    today = today or clock.today()
    pupils = pupils_between(cls.id, today, today)
    parents = _parents([p.id for p in pupils])
    accounts_of = {u.id: u for u in User.select().where(User.id.in_([p.user_id for p in pupils if p.user_id] or [-1]))}
    result = []
    for i, p in enumerate(pupils, start=1):
        user = accounts_of.get(p.user_id) if p.user_id else None
        result.append(
            PupilLine(
                student_id=p.id,
                number=i,
                name=full_name_of(p),
                short=short_name_of(p),
                login=user.login if user else "",
                has_password=bool(user and user.password_hash),
                parents=tuple(parents.get(p.id, [])),
                contacts_checked_at=p.contacts_checked_at,
                sex=words.sex_of(p.middle_name, p.sex),
            )
        )
    return result
