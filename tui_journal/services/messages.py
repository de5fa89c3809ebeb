"""Messages and announcements (R-D-3, R-D-2, R-J-9).

Who may write to whom:

- staff (admin, director, deputy, secretary, teachers, educators) to anybody of the school;
- a parent to his children's teachers and class teachers and to the administration
  (admin, director, deputy);
- a pupil to his teachers and his class teacher;
- anybody may answer whoever has written to him;
- nobody to another school, nobody to a removed account.

Texts are stored as typed (control characters other than line breaks and tabs are refused)
and the screens show them as plain text, never as markup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from peewee import JOIN

from tui_journal.db.models import (
    Announcement,
    AnnouncementRead,
    Assignment,
    Enrollment,
    GuardianLink,
    Message,
    MessageRecipient,
    SchoolClass,
    Student,
    Subject,
    User,
    UserRole,
    now,
    search_key_for,
)
from tui_journal.domain import ru_words as words
from tui_journal.domain.text import full_name, surname_initials
from tui_journal.domain.user_text import LIMITS
from tui_journal.services import access, audit, user_text
from tui_journal.services import roles as R
from tui_journal.services.actor import Actor
from tui_journal.services.errors import InvalidInput, NotFound, PermissionDenied
from tui_journal.services.journal import class_label
from tui_journal.services.tx import write_tx

SUBJECT_MAX = LIMITS["subject"].limit
BODY_MAX = LIMITS["message"].limit
TITLE_MAX = LIMITS["subject"].limit
#: The administration a parent may write to.
ADMINISTRATION = frozenset({R.ADMIN, R.DIRECTOR, R.DEPUTY})


# --- values ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    """Somebody the actor may write to."""

    user_id: int
    login: str
    name: str
    note: str  # «учитель: Математика (7А)», «классный руководитель 7А», «родитель: Учеников К.»


@dataclass(frozen=True)
class MessageView:
    id: int
    sender_id: int | None
    sender: str
    recipients: tuple[str, ...]
    subject: str
    body: str
    sent_at: dt.datetime
    about: str  # the pupil the message is about, "" if none
    read_at: dt.datetime | None  # for the inbox: when the actor read it
    read_count: int  # for the sent box: how many recipients have read it
    #: how many people the message went to (whether or not the reader may see their names)
    recipient_count: int = 0
    #: «родителям 7А, 34 адресата» when the message went to a group, "" otherwise
    group: str = ""

    @property
    def unread(self) -> bool:
        return self.read_at is None

    @property
    def to(self) -> str:
        """What «Кому» shows to this reader: the group, and the names he may see."""
        return "; ".join(part for part in (self.group, ", ".join(self.recipients)) if part)


@dataclass(frozen=True)
class AnnouncementView:
    id: int
    title: str
    body: str
    class_name: str  # "" for the whole school
    author: str
    published_at: dt.datetime
    read: bool


# --- text checks -----------------------------------------------------------------------------


def _clean(text: str, limit: int, what: str, *, required: bool = True, one_line: bool = False) -> str:
    """Through the one text boundary: a subject/title is one line, a body may have several."""
    kind = LIMITS["subject"] if one_line else LIMITS["message"]
    assert limit == kind.limit, (limit, kind)
    return user_text.clean(text, kind, field=what, required=required)


# --- who may write to whom -----------------------------------------------------------------


def _name(user: User) -> str:
    return full_name(user.last_name, user.first_name, user.middle_name or None)


def _roles(user_ids: Iterable[int]) -> dict[int, set[str]]:
    ids = list(set(user_ids))
    found: dict[int, set[str]] = {i: set() for i in ids}
    if ids:
        for r in UserRole.select().where(UserRole.user.in_(ids)):
            found[r.user_id].add(r.role)
    return found


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
    roles = _roles(u.id for u in users)
    notes = _teachers_of_classes(
        _current_classes(access.children_ids(actor) | access.own_student_ids(actor))
    )
    return [
        Contact(
            u.id,
            u.login,
            _name(u),
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
    subject = _clean(subject, SUBJECT_MAX, "Тема", required=False, one_line=True)
    body = _clean(body, BODY_MAX, "Сообщение")
    ids = list(dict.fromkeys(recipient_ids))
    if not ids:
        raise InvalidInput("Не выбран ни один получатель")
    users = {u.id: u for u in User.select().where(User.id.in_(ids))}
    for uid in ids:
        user = users.get(uid)
        if user is None or user.school_id != actor.school_id:
            raise NotFound(f"Получатель не найден: {uid}")
        if not may_write_to(actor, user):
            raise PermissionDenied(f"Недостаточно прав: писать пользователю {_name(user)}")
    if about_student_id is not None:
        access.require_student_visible(actor, about_student_id)
    return _view_sent(actor, _deliver(actor, ids, subject, body, about_student_id))


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
    rows = sorted(query, key=lambda c: (c.grade == 0, c.grade, c.letter))
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
    subject = Subject.get_or_none((Subject.id == subject_id) & (Subject.school == actor.school_id))
    if subject is None:
        raise NotFound(f"Предмет не найден: {subject_id}")
    classes = access.current_class_ids_of({student.id})
    if not (actor.has(R.TEACHER) and any(access.teaches(actor, c, subject.id) for c in classes)):
        raise access.deny("уведомление об учащемся, которого вы не учите по этому предмету")
    reason = _clean(reason_text, BODY_MAX, "Сообщение")
    recipients = set(_parents_of([student.id]))
    for cls in SchoolClass.select().where(SchoolClass.id.in_(list(classes) or [-1])):
        if cls.class_teacher_id is not None:
            recipients.add(cls.class_teacher_id)
    recipients.discard(actor.user_id or -1)
    if not recipients:
        raise InvalidInput("Некого уведомить: у учащегося нет ни родителей, ни классного руководителя в журнале")
    pupil = surname_initials(student.last_name, student.first_name, student.middle_name or None)
    title = _clean(f"{pupil}: {subject.name}", SUBJECT_MAX, "Тема", one_line=True)
    # the addressees follow from the pupil, so they are not checked one by one
    return _view_sent(actor, _deliver(actor, sorted(recipients), title, reason, student.id))


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
        self.roles = _roles(user_ids)
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
        self.class_rows = sorted(found, key=lambda c: (c.grade == 0, c.grade, c.letter))

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
                sender=_name(sender) if sender else "—",
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


def _view_sent(actor: Actor, message_id: int) -> MessageView:
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
    message = Message.get_or_none((Message.id == message_id) & (Message.school == actor.school_id))
    if message is None:
        raise NotFound(f"Сообщение не найдено: {message_id}")
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


# --- announcements ---------------------------------------------------------------------------


def _announcement_classes(actor: Actor) -> set[int] | None:
    """Classes whose announcements the actor sees; None means every class (school-wide roles)."""
    if actor.school_wide or actor.has(R.SECRETARY):
        return None
    return access.visible_class_ids(actor)


def _visible_announcements(actor: Actor) -> Any:
    query = Announcement.select().where(Announcement.school == actor.school_id)
    classes = _announcement_classes(actor)
    if classes is not None:
        query = query.where(Announcement.school_class.is_null() | Announcement.school_class.in_(list(classes) or [-1]))
    return query


def announcements(actor: Actor, *, limit: int = 100, class_id: int | None = None) -> list[AnnouncementView]:
    """Announcements of the school and of the actor's classes (his children's, his own), newest
    first; ``class_id`` narrows to the school's and that class's."""
    query = _visible_announcements(actor)
    if class_id is not None:
        query = query.where(Announcement.school_class.is_null() | (Announcement.school_class == class_id))
    rows = list(query.order_by(Announcement.published_at.desc(), Announcement.id.desc()).limit(limit))
    read = {
        r.announcement_id
        for r in AnnouncementRead.select(AnnouncementRead.announcement).where(
            (AnnouncementRead.user == (actor.user_id or -1))
            & AnnouncementRead.announcement.in_([a.id for a in rows] or [-1])
        )
    }
    classes = {c.id: c for c in SchoolClass.select().where(SchoolClass.id.in_([a.school_class_id for a in rows if a.school_class_id] or [-1]))}
    authors = {u.id: u for u in User.select().where(User.id.in_([a.author_id for a in rows if a.author_id] or [-1]))}
    return [
        AnnouncementView(
            id=a.id,
            title=a.title,
            body=a.body,
            class_name=class_label(classes[a.school_class_id]) if a.school_class_id in classes else "",
            author=surname_initials(authors[a.author_id].last_name, authors[a.author_id].first_name,
                                    authors[a.author_id].middle_name or None) if a.author_id in authors else "",
            published_at=a.published_at,
            read=a.id in read,
        )
        for a in rows
    ]


def _may_publish(actor: Actor, class_id: int | None) -> bool:
    if actor.has(R.ADMIN, R.DIRECTOR, R.DEPUTY):
        return True
    return class_id is not None and class_id in access.led_class_ids(actor)


def publish_announcement(actor: Actor, title: str, body: str, *, class_id: int | None = None) -> AnnouncementView:
    """An announcement for the whole school (administration) or for one class (also its class
    teacher)."""
    if class_id is not None:
        access.class_in_school(actor, class_id)
    if not _may_publish(actor, class_id):
        raise access.deny("объявления" + (" для этого класса" if class_id is not None else " для всей школы"))
    title = _clean(title, TITLE_MAX, "Заголовок", one_line=True)
    body = _clean(body, BODY_MAX, "Объявление", required=False)
    with write_tx():
        row = Announcement.create(
            school=actor.school_id, school_class=class_id, author=actor.user_id, title=title, body=body
        )
        audit.record_creation(
            actor, "announcement", row.id, {"title": title, "class": str(class_id) if class_id else "вся школа"}
        )
    return next(a for a in announcements(actor, limit=1000) if a.id == row.id)


def mark_announcement_read(actor: Actor, announcement_id: int) -> None:
    """Record that the actor has read an announcement he can see."""
    row = Announcement.get_or_none(
        (Announcement.id == announcement_id) & (Announcement.school == actor.school_id)
    )
    if row is None:
        raise NotFound(f"Объявление не найдено: {announcement_id}")
    classes = _announcement_classes(actor)
    if row.school_class_id is not None and classes is not None and row.school_class_id not in classes:
        raise access.deny("это объявление")
    if actor.user_id is None:
        return
    with write_tx():
        _, created = AnnouncementRead.get_or_create(announcement=row.id, user=actor.user_id)
        if created:
            audit.record(actor, "read", "announcement", row.id, "read_at", None, now())


# --- counts for the home screen ------------------------------------------------------------


def unread_counts(actor: Actor) -> tuple[int, int]:
    """(unread messages, unread announcements) of the actor, for the home screen."""
    if actor.user_id is None:
        return 0, 0
    messages = (
        MessageRecipient.select()
        .join(Message)
        .where(
            (MessageRecipient.user == actor.user_id)
            & MessageRecipient.read_at.is_null()
            & (Message.school == actor.school_id)
        )
        .count()
    )
    query = _visible_announcements(actor)
    unread = (
        query.join(
            AnnouncementRead,
            JOIN.LEFT_OUTER,
            on=((AnnouncementRead.announcement == Announcement.id) & (AnnouncementRead.user == actor.user_id)),
        )
        .where(AnnouncementRead.id.is_null())
        .count()
    )
    return int(messages), int(unread)
