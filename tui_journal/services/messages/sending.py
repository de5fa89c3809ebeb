"""Sending messages: to chosen people, to a pupil's parents, to a class's parents, to the staff,
and the subject teacher's notice about a pupil (R-J-9).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from tui_journal.db.models import (
    Enrollment,
    GuardianLink,
    Message,
    MessageRecipient,
    SchoolClass,
    User,
    UserRole,
)
from tui_journal.domain.text import surname_initials
from tui_journal.services import access, audit
from tui_journal.services import roles as R
from tui_journal.services.actor import Actor
from tui_journal.services.checks import subject_in_school
from tui_journal.services.errors import InvalidInput, NotFound, PermissionDenied
from tui_journal.services.journal import class_label, class_sort_key
from tui_journal.services.messages.addressing import may_write_to
from tui_journal.services.messages.base import (
    BODY_MAX,
    SUBJECT_MAX,
    MessageView,
    clean_message_text,
    user_name,
)
from tui_journal.services.messages.boxes import sent_view
from tui_journal.services.tx import write_tx

# --- sending ---------------------------------------------------------------------------------


def _deliver(
    actor: Actor,
    recipients: Sequence[int],
    subject: str,
    body: str,
    about_student_id: int | None,
) -> int:
    """Create the message and its recipients with one audit row; returns the message id."""
    with write_tx():
        message = Message.create(
            school=actor.school_id,
            sender=actor.user_id,
            subject=subject,
            body=body,
            about_student=about_student_id,
        )
        for uid in recipients:
            MessageRecipient.create(message=message, user=uid)
        logins = [u.login for u in User.select(User.login).where(User.id.in_(list(recipients)))]
        audit.record(actor, "create", "message", message.id, "recipients", None, ", ".join(sorted(logins)))
        audit.record(actor, "create", "message", message.id, "subject", None, subject)
    return int(message.id)


def send_message(
    actor: Actor,
    recipient_ids: Sequence[int],
    subject: str,
    body: str,
    *,
    about_student_id: int | None = None,
) -> MessageView:
    """Send a message to the given users; every one must be allowed for the actor."""
    subject = clean_message_text(subject, SUBJECT_MAX, "Тема", required=False, one_line=True)
    body = clean_message_text(body, BODY_MAX, "Сообщение")
    ids = list(dict.fromkeys(recipient_ids))
    if not ids:
        raise InvalidInput("Не выбран ни один получатель")
    users = {u.id: u for u in User.select().where(User.id.in_(ids))}
    for uid in ids:
        user = users.get(uid)
        if user is None or user.school_id != actor.school_id:
            raise NotFound(f"Получатель не найден: {uid}")
        if not may_write_to(actor, user):
            raise PermissionDenied(f"Недостаточно прав: писать пользователю {user_name(user)}")
    if about_student_id is not None:
        access.require_student_visible(actor, about_student_id)
    return sent_view(actor, _deliver(actor, ids, subject, body, about_student_id))


def _parents_of(student_ids: Iterable[int]) -> list[int]:
    ids = list(set(student_ids))
    if not ids:
        return []
    return sorted(
        {
            g.parent_id
            for g in GuardianLink.select(GuardianLink.parent)
            .join(User, on=(GuardianLink.parent == User.id))
            .where(GuardianLink.student.in_(ids) & (User.state != "removed"))
        }
    )


def send_to_parents(actor: Actor, student_id: int, subject: str, body: str) -> MessageView:
    """A message to the parents of one pupil (staff only)."""
    access.require_any_role(actor, *R.STAFF, what="сообщения родителям")
    student = access.require_student_visible(actor, student_id)
    parents = _parents_of([student.id])
    if not parents:
        raise InvalidInput("У этого учащегося в журнале нет родителей")
    return send_message(actor, parents, subject, body, about_student_id=student.id)


def class_choices(actor: Actor) -> list[tuple[int, str]]:
    """Classes whose parents the actor may write to all at once: (class id, «7А»)."""
    if not actor.has(*R.STAFF):
        return []
    if actor.school_wide or actor.has(R.SECRETARY):
        query = SchoolClass.select().where(SchoolClass.school == actor.school_id)
    else:
        query = SchoolClass.select().where(SchoolClass.id.in_(list(access.visible_class_ids(actor)) or [-1]))
    rows = sorted(query, key=class_sort_key)
    return [(c.id, class_label(c)) for c in rows]


def send_to_class_parents(actor: Actor, class_id: int, subject: str, body: str) -> MessageView:
    """A message to the parents of every pupil of a class (its class teacher, its teachers and
    the administration)."""
    cls = access.class_in_school(actor, class_id)
    access.require_any_role(actor, *R.STAFF, what="сообщения родителям класса")
    if not (actor.school_wide or actor.has(R.SECRETARY) or cls.id in access.visible_class_ids(actor)):
        raise access.deny("сообщения родителям этого класса")
    pupils = {
        e.student_id
        for e in Enrollment.select(Enrollment.student).where(
            (Enrollment.school_class == cls.id) & Enrollment.end.is_null()
        )
    }
    parents = _parents_of(pupils)
    if not parents:
        raise InvalidInput(f"У учащихся {class_label(cls)} в журнале нет родителей")
    return send_message(actor, parents, subject, body)


def send_to_staff(actor: Actor, subject: str, body: str) -> MessageView:
    """A message to every member of staff, the sender included (staff only)."""
    access.require_any_role(actor, *R.STAFF, what="рассылка сотрудникам")
    staff = {
        r.user_id
        for r in UserRole.select(UserRole.user)
        .join(User)
        .where(
            UserRole.role.in_(list(R.STAFF))
            & (User.school == actor.school_id)
            & (User.state != "removed")
        )
    }
    if not staff:  # pragma: no cover - the actor himself is staff
        raise InvalidInput("В школе нет сотрудников")
    return send_message(actor, sorted(staff), subject, body)


def notify_about_pupil(actor: Actor, student_id: int, subject_id: int, reason_text: str) -> MessageView:
    """R-J-9: the subject teacher tells the class teacher and the parents that a pupil fails
    or misses lessons of his subject. ``reason_text`` is what the teacher typed."""
    student = access.student_in_school(actor, student_id)
    subject = subject_in_school(actor, subject_id)
    classes = access.current_class_ids_of({student.id})
    if not (actor.has(R.TEACHER) and any(access.teaches(actor, c, subject.id) for c in classes)):
        raise access.deny("уведомление об учащемся, которого вы не учите по этому предмету")
    reason = clean_message_text(reason_text, BODY_MAX, "Сообщение")
    recipients = set(_parents_of([student.id]))
    for cls in SchoolClass.select().where(SchoolClass.id.in_(list(classes) or [-1])):
        if cls.class_teacher_id is not None:
            recipients.add(cls.class_teacher_id)
    recipients.discard(actor.user_id or -1)
    if not recipients:
        raise InvalidInput("Некого уведомить: у учащегося нет ни родителей, ни классного руководителя в журнале")
    pupil = surname_initials(student.last_name, student.first_name, student.middle_name or None)
    title = clean_message_text(f"{pupil}: {subject.name}", SUBJECT_MAX, "Тема", one_line=True)
    # the addressees follow from the pupil, so they are not checked one by one
    return sent_view(actor, _deliver(actor, sorted(recipients), title, reason, student.id))
