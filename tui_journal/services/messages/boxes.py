"""Reading messages: the inbox, the sent box and one message, with the recipients each reader
may see (a parent never learns who else got a message sent to a class's parents).
"""

from __future__ import annotations

from collections.abc import Sequence

from tui_journal.db.models import (
    Enrollment,
    GuardianLink,
    Message,
    MessageRecipient,
    SchoolClass,
    Student,
    User,
    now,
)
from tui_journal.domain.text import full_name, surname_initials
from tui_journal.services import access, audit
from tui_journal.services import roles as R
from tui_journal.services.actor import Actor
from tui_journal.services.journal import class_label, class_sort_key
from tui_journal.services.messages.base import MessageView, roles_of, user_name
from tui_journal.services.tx import write_tx

# --- reading ---------------------------------------------------------------------------------


def addressees(n: int) -> str:
    """«1 адресат», «2 адресата», «5 адресатов»."""
    if n % 10 == 1 and n % 100 != 11:
        word = "адресат"
    elif 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        word = "адресата"
    else:
        word = "адресатов"
    return f"{n} {word}"


class _Groups:
    """What the recipients of some messages are (staff, parent, pupil) and the classes of their
    pupils, read in a few queries for a whole box."""

    def __init__(self, user_ids: set[int]) -> None:
        self.roles = roles_of(user_ids)
        pupils: dict[int, set[int]] = {}
        if user_ids:
            ids = list(user_ids)
            for g in GuardianLink.select(GuardianLink.parent, GuardianLink.student).where(GuardianLink.parent.in_(ids)):
                pupils.setdefault(g.parent_id, set()).add(g.student_id)
            for s in Student.select(Student.id, Student.user).where(Student.user.in_(ids)):
                if s.user_id is not None:
                    pupils.setdefault(s.user_id, set()).add(s.id)
        self.pupils = pupils
        classes: dict[int, set[int]] = {}
        students = {sid for sids in pupils.values() for sid in sids}
        if students:
            for e in Enrollment.select(Enrollment.student, Enrollment.school_class).where(
                Enrollment.student.in_(list(students)) & Enrollment.end.is_null()
            ):
                classes.setdefault(e.student_id, set()).add(e.school_class_id)
        self.classes_of = classes
        class_ids = {c for cs in classes.values() for c in cs}
        found = list(SchoolClass.select().where(SchoolClass.id.in_(list(class_ids)))) if class_ids else []
        self.class_rows = sorted(found, key=class_sort_key)

    def kind(self, user_id: int) -> str:
        roles = self.roles.get(user_id, set())
        if roles & R.STAFF:
            return "staff"
        if R.PARENT in roles:
            return "parent"
        if R.STUDENT in roles:
            return "student"
        return "other"

    def label(self, user_ids: Sequence[int]) -> str:
        """«родителям 7А, 34 адресата», «учащимся 7А, 25 адресатов», «сотрудникам школы, …»."""
        kinds = {self.kind(u) for u in user_ids}
        count = addressees(len(user_ids))
        if kinds == {"staff"}:
            return f"сотрудникам школы, {count}"
        if kinds in ({"parent"}, {"student"}):
            ids = {c for u in user_ids for s in self.pupils.get(u, ()) for c in self.classes_of.get(s, ())}
            names = [class_label(c) for c in self.class_rows if c.id in ids]
            classes = " " + ", ".join(names) if 0 < len(names) <= 3 else ""
            who = "родителям" if kinds == {"parent"} else "учащимся"
            return f"{who}{classes}, {count}"
        return count


def _recipients_for(
    actor: Actor, m: Message, recips: Sequence[MessageRecipient], groups: _Groups
) -> tuple[tuple[str, ...], str]:
    """(the names the reader may see, the group label). The sender and the staff see every
    name; a parent or a pupil sees the staff by name and every other pupil or parent only as a
    group, so that a parent never learns who else got a message sent to a class's parents."""

    def name(r: MessageRecipient) -> str:
        return surname_initials(r.user.last_name, r.user.first_name, r.user.middle_name or None)

    ids = [r.user_id for r in recips]
    if len(recips) < 2:
        return tuple(name(r) for r in recips), ""
    uniform = len({groups.kind(u) for u in ids}) == 1
    if (actor.user_id is not None and actor.user_id == m.sender_id) or actor.has(*R.STAFF):
        return tuple(name(r) for r in recips), groups.label(ids) if uniform else ""
    staff = tuple(name(r) for r in recips if groups.kind(r.user_id) == "staff")
    others = [u for u in ids if groups.kind(u) != "staff"]
    if others == [actor.user_id]:
        return staff + tuple(name(r) for r in recips if r.user_id == actor.user_id), ""
    return staff, groups.label(others)


def _views(messages: Sequence[Message], actor: Actor, *, inbox: bool) -> list[MessageView]:
    if not messages:
        return []
    ids = [m.id for m in messages]
    rows = list(
        MessageRecipient.select(MessageRecipient, User)
        .join(User)
        .where(MessageRecipient.message.in_(ids))
    )
    users = {u.id: u for u in User.select().where(User.id.in_([m.sender_id for m in messages if m.sender_id] or [-1]))}
    pupils = {
        s.id: s
        for s in Student.select().where(Student.id.in_([m.about_student_id for m in messages if m.about_student_id] or [-1]))
    }
    by_message: dict[int, list[MessageRecipient]] = {}
    for r in rows:
        by_message.setdefault(r.message_id, []).append(r)
    groups = _Groups({r.user_id for recips in by_message.values() if len(recips) > 1 for r in recips})
    result = []
    for m in messages:
        recips = by_message.get(m.id, [])
        names, group = _recipients_for(actor, m, recips, groups)
        mine = next((r for r in recips if r.user_id == actor.user_id), None) if inbox else None
        sender = users.get(m.sender_id) if m.sender_id else None
        pupil = pupils.get(m.about_student_id) if m.about_student_id else None
        result.append(
            MessageView(
                id=m.id,
                sender_id=m.sender_id,
                sender=user_name(sender) if sender else "—",
                recipients=names,
                subject=m.subject,
                body=m.body,
                sent_at=m.sent_at,
                about=full_name(pupil.last_name, pupil.first_name, pupil.middle_name or None) if pupil else "",
                read_at=mine.read_at if mine else None,
                read_count=sum(1 for r in recips if r.read_at is not None),
                recipient_count=len(recips),
                group=group,
            )
        )
    return result


def sent_view(actor: Actor, message_id: int) -> MessageView:
    """The message just sent as its sender sees it."""
    return _views([Message.get_by_id(message_id)], actor, inbox=False)[0]


def inbox(actor: Actor, *, limit: int = 200, unread_only: bool = False) -> list[MessageView]:
    """Messages to the actor, newest first."""
    if actor.user_id is None:
        return []
    query = (
        Message.select()
        .join(MessageRecipient)
        .where((MessageRecipient.user == actor.user_id) & (Message.school == actor.school_id))
    )
    if unread_only:
        query = query.where(MessageRecipient.read_at.is_null())
    messages = list(query.order_by(Message.sent_at.desc(), Message.id.desc()).limit(limit))
    return _views(messages, actor, inbox=True)


def sent(actor: Actor, *, limit: int = 200) -> list[MessageView]:
    """Messages the actor sent, newest first, with how many recipients read them."""
    if actor.user_id is None:
        return []
    messages = list(
        Message.select()
        .where((Message.sender == actor.user_id) & (Message.school == actor.school_id))
        .order_by(Message.sent_at.desc(), Message.id.desc())
        .limit(limit)
    )
    return _views(messages, actor, inbox=False)


def read_message(actor: Actor, message_id: int) -> MessageView:
    """Open a message of the actor's inbox; the first reading is recorded (read_at, audit)."""
    row = MessageRecipient.get_or_none(
        (MessageRecipient.message == message_id) & (MessageRecipient.user == (actor.user_id or -1))
    )
    message = access.row_in_school(Message, actor, message_id, f"Сообщение не найдено: {message_id}")
    if row is None:
        raise access.deny("это сообщение")
    if row.read_at is None:
        moment = now()
        with write_tx():
            MessageRecipient.update(read_at=moment).where(
                (MessageRecipient.id == row.id) & MessageRecipient.read_at.is_null()
            ).execute()
            audit.record(actor, "read", "message", message.id, "read_at", None, moment)
    return _views([message], actor, inbox=True)[0]
