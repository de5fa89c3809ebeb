"""Announcements for the whole school or one class, who sees and who publishes them, and the
home screen's counts of unread messages and announcements.
"""

from __future__ import annotations

from typing import Any

from peewee import JOIN

from tui_journal.db.models import (
    Announcement,
    AnnouncementRead,
    Message,
    MessageRecipient,
    SchoolClass,
    User,
    now,
)
from tui_journal.domain.text import surname_initials
from tui_journal.services import access, audit
from tui_journal.services import roles as R
from tui_journal.services.actor import Actor
from tui_journal.services.journal import class_label
from tui_journal.services.messages.base import BODY_MAX, TITLE_MAX, AnnouncementView, clean_message_text
from tui_journal.services.tx import write_tx

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
    title = clean_message_text(title, TITLE_MAX, "Заголовок", one_line=True)
    body = clean_message_text(body, BODY_MAX, "Объявление", required=False)
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
    row = access.row_in_school(Announcement, actor, announcement_id, f"Объявление не найдено: {announcement_id}")
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
