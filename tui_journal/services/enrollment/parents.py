"""The parents' records (R-CT-2): a parent's person record and login, the link to a pupil,
adding and correcting a parent, and the parents typed on one line of a form.
"""

from __future__ import annotations

import re

from peewee import fn

from tui_journal.db.models import GuardianLink, Student, User, UserRole, search_key_for
from tui_journal.services import access, audit
from tui_journal.services import roles as R
from tui_journal.services.actor import Actor
from tui_journal.services.checks import clean_text
from tui_journal.services.enrollment.base import (
    PHONE_RE,
    GuardianView,
    ParentData,
    guardians_of,
    joined_name,
    require_card_editor,
    search_key_after,
)
from tui_journal.services.errors import InvalidInput, NotFound
from tui_journal.services.tx import write_tx

_TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t",
         "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"],
        strict=True,
    )
)


def _check_phone(value: str) -> str:
    phone = clean_text(value, "телефон", required=False, kind="phone")
    if phone and not PHONE_RE.match(phone):
        raise InvalidInput(f"Телефон «{phone}» непонятен: пример +7 900 123-45-67")
    return phone


# --- parents --------------------------------------------------------------------------------


def _translit(text: str) -> str:
    out = "".join(_TRANSLIT.get(ch, ch) for ch in text.casefold())
    return re.sub(r"[^a-z0-9]", "", out)


def free_login(last: str, first: str) -> str:
    base = (_translit(last)[:20] or "parent") + "." + (_translit(first)[:1] or "x")
    if len(base) < 3:
        base = base + "00"
    candidate, n = base, 1
    while User.select().where(fn.lower(User.login) == candidate.lower()).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


def check_parent(parent: ParentData) -> ParentData:
    """A parent's typed data through the text boundary (names, phone, relation, e-mail)."""
    return ParentData(
        clean_text(parent.last_name, "фамилия родителя"),
        clean_text(parent.first_name, "имя родителя"),
        clean_text(parent.middle_name, "отчество родителя", required=False),
        _check_phone(parent.phone),
        clean_text(parent.relation, "кем приходится", required=False, kind="relation"),
        clean_text(parent.email, "e-mail родителя", required=False, kind="email"),
    )


def parent_user(actor: Actor, parent: ParentData) -> User:
    """The parent's person record: an existing parent with the same name and phone, or a new one.

    A new parent gets a login but no password: he cannot log in until the class teacher or the
    admin issues credentials (R-ACC-2).
    """
    digits = re.sub(r"\D", "", parent.phone)
    candidates = (
        User.select()
        .join(UserRole)
        .where(
            (User.school == actor.school_id)
            & (UserRole.role == R.PARENT)
            & (User.search_key.startswith(search_key_for(parent.last_name, parent.first_name)))
        )
    )
    for user in candidates:
        same_name = joined_name(user.last_name, user.first_name, user.middle_name).casefold() == joined_name(
            parent.last_name, parent.first_name, parent.middle_name
        ).casefold()
        if same_name and re.sub(r"\D", "", user.phone) == digits:
            return user
    login = free_login(parent.last_name, parent.first_name)
    user = User.create(
        school=actor.school_id, login=login, last_name=parent.last_name, first_name=parent.first_name,
        middle_name=parent.middle_name, phone=parent.phone, email=parent.email,
        search_key=search_key_for(parent.last_name, parent.first_name, parent.middle_name, login),
    )
    UserRole.create(user=user, role=R.PARENT)
    audit.record_creation(
        actor, "user", login,
        {"login": login, "name": joined_name(parent.last_name, parent.first_name, parent.middle_name), "roles": R.PARENT,
         "phone": parent.phone, "email": parent.email},
    )
    return user


def link_parent(actor: Actor, student: Student, user: User, relation: str) -> None:
    """Link a parent to a pupil once (audited); an existing link is left as it is."""
    _, created = GuardianLink.get_or_create(student=student, parent=user, defaults={"relation": relation})
    if created:
        audit.record(actor, "create", "guardian_link", f"{user.login}→{student.id}", "relation", None, relation or "родитель")


def add_guardian(actor: Actor, student_id: int, parent: ParentData) -> GuardianView:
    """Add a parent (with phone) to a pupil's card: secretary, admin, or the class teacher (R-CT-2)."""
    student = access.student_in_school(actor, student_id)
    require_card_editor(actor, student)
    parent = check_parent(parent)
    with write_tx():
        user = parent_user(actor, parent)
        link_parent(actor, student, user, parent.relation)
    return next(g for g in guardians_of(student.id) if g.login == user.login)


def update_guardian(
    actor: Actor,
    student_id: int,
    parent_login: str,
    *,
    last_name: str | None = None,
    first_name: str | None = None,
    middle_name: str | None = None,
    phone: str | None = None,
    email: str | None = None,
    relation: str | None = None,
) -> GuardianView:
    """Correct a parent's name and contacts, field by field (R-CT-2: verified monthly)."""
    student = access.student_in_school(actor, student_id)
    require_card_editor(actor, student)
    user = access.user_in_school(actor, parent_login)
    link = GuardianLink.get_or_none((GuardianLink.student == student.id) & (GuardianLink.parent == user.id))
    if link is None:
        raise NotFound(f"«{parent_login}» не указан родителем этого учащегося")
    after: dict[str, object] = {}
    for name, value, what, required in (
        ("last_name", last_name, "фамилия родителя", True),
        ("first_name", first_name, "имя родителя", True),
        ("middle_name", middle_name, "отчество родителя", False),
        ("email", email, "e-mail родителя", False),
    ):
        if value is not None:
            after[name] = clean_text(value, what, required=required)
    if phone is not None:
        after["phone"] = _check_phone(phone)
    new_relation = clean_text(relation, "кем приходится", required=False, kind="relation") if relation is not None else None
    with write_tx():
        key = search_key_after(user, after, user.login)
        audit.save_changes(actor, "user", user, after, entity_id=user.login, derived={"search_key": key})
        if new_relation is not None:
            entity_id = f"{user.login}→{student.id}"
            audit.save_changes(actor, "guardian_link", link, {"relation": new_relation}, entity_id=entity_id)
    return next(g for g in guardians_of(student.id) if g.login == user.login)


def parse_parents(text: str) -> tuple[ParentData, ...]:
    """«Фамилия Имя Отчество, телефон[, мать]; …» (one line of a form) → the parents' data."""
    parents = []
    for chunk in text.split(";"):
        parts = [p.strip() for p in chunk.split(",")]
        if not parts or not parts[0]:
            continue
        words = parts[0].split()
        if len(words) < 2:
            raise InvalidInput(f"Родитель «{parts[0]}»: нужны фамилия и имя")
        phone = parts[1] if len(parts) > 1 else ""
        relation = parts[2] if len(parts) > 2 else ""
        parents.append(check_parent(ParentData(words[0], words[1], " ".join(words[2:]), phone, relation)))
    return tuple(parents)
