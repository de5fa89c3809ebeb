"""Who may write to whom (see the package's docstring): the rules, and the people the actor may
write to with a note saying who they are.
"""

from __future__ import annotations

from tui_journal.db.models import (
    Assignment,
    Message,
    MessageRecipient,
    SchoolClass,
    Subject,
    User,
    UserRole,
    search_key_for,
)
from tui_journal.domain import ru_words as words
from tui_journal.services import access
from tui_journal.services import roles as R
from tui_journal.services.actor import Actor
from tui_journal.services.journal import class_label
from tui_journal.services.messages.base import ADMINISTRATION, Contact, roles_of, user_name

# --- who may write to whom -----------------------------------------------------------------


def _current_classes(student_ids: set[int]) -> set[int]:
    return access.current_class_ids_of(student_ids)


def _teachers_of_classes(class_ids: set[int]) -> dict[int, str]:
    """Teachers and class teachers of these classes → a note saying who they are."""
    notes: dict[int, list[str]] = {}
    if not class_ids:
        return {}
    for cls in SchoolClass.select().where(SchoolClass.id.in_(list(class_ids))):
        if cls.class_teacher_id is not None:
            notes.setdefault(cls.class_teacher_id, []).append(f"классный руководитель {class_label(cls)}")
    for a in (
        Assignment.select(Assignment, Subject, SchoolClass)
        .join(Subject)
        .switch(Assignment)
        .join(SchoolClass)
        .where(Assignment.school_class.in_(list(class_ids)))
    ):
        note = f"{a.subject.name} ({class_label(a.school_class)})"
        if note not in notes.setdefault(a.teacher_id, []):
            notes[a.teacher_id].append(note)
    return {uid: ", ".join(parts) for uid, parts in notes.items()}


def _correspondents(actor: Actor) -> set[int]:
    """Everybody who has written to the actor (he may answer them)."""
    if actor.user_id is None:
        return set()
    return {
        m.sender_id
        for m in Message.select(Message.sender)
        .join(MessageRecipient)
        .where((MessageRecipient.user == actor.user_id) & Message.sender.is_null(False))
        if m.sender_id is not None
    }


def _allowed_ids(actor: Actor) -> set[int] | None:
    """Users the actor may write to; None means anybody of the school (staff)."""
    if actor.has(*R.STAFF):
        return None
    allowed: set[int] = set()
    if actor.has(R.PARENT):
        allowed |= set(_teachers_of_classes(_current_classes(access.children_ids(actor))))
        allowed |= {
            r.user_id
            for r in UserRole.select(UserRole.user).join(User).where(
                UserRole.role.in_(list(ADMINISTRATION)) & (User.school == actor.school_id)
            )
        }
    if actor.has(R.STUDENT):
        allowed |= set(_teachers_of_classes(_current_classes(access.own_student_ids(actor))))
    allowed |= _correspondents(actor)
    return allowed


def may_write_to(actor: Actor, user: User) -> bool:
    """Whether the actor may send a message to ``user`` (same school, active, and the rules)."""
    if user.school_id != actor.school_id or user.state == "removed":
        return False
    allowed = _allowed_ids(actor)
    return allowed is None or user.id in allowed


def contacts(actor: Actor, search: str = "", *, limit: int = 50) -> list[Contact]:
    """People the actor may write to, matching ``search`` (part of a name or login)."""
    allowed = _allowed_ids(actor)
    query = User.select().where((User.school == actor.school_id) & (User.state != "removed"))
    if allowed is not None:
        query = query.where(User.id.in_(list(allowed) or [-1]))
    if search.strip():
        query = query.where(User.search_key.contains(search_key_for(search.strip())))
    users = list(query.order_by(User.last_name, User.first_name, User.login).limit(limit))
    roles = roles_of(u.id for u in users)
    notes = _teachers_of_classes(
        _current_classes(access.children_ids(actor) | access.own_student_ids(actor))
    )
    return [
        Contact(
            u.id,
            u.login,
            user_name(u),
            notes.get(u.id) or ", ".join(
                words.gendered(R_TITLES.get(r, r), words.sex_of(u.middle_name)) for r in R.ALL_ROLES if r in roles[u.id]
            ),
        )
        for u in users
    ]


R_TITLES = {
    R.ADMIN: "администратор",
    R.DIRECTOR: "директор",
    R.DEPUTY: "зам. директора",
    R.SECRETARY: "секретарь",
    R.TEACHER: "учитель",
    R.EDUCATOR: "воспитатель",
    R.STUDENT: "учащийся",
    R.PARENT: "родитель",
}
