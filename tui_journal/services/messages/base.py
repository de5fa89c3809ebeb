"""What messages and announcements share: the limits, the values the screens receive, the one
text boundary for a subject, a title and a body, and people's names and roles.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from tui_journal.db.models import User, UserRole
from tui_journal.domain.text import full_name
from tui_journal.domain.user_text import LIMITS
from tui_journal.services import roles as R
from tui_journal.services import user_text

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


def clean_message_text(text: str, limit: int, what: str, *, required: bool = True, one_line: bool = False) -> str:
    """Through the one text boundary: a subject/title is one line, a body may have several."""
    kind = LIMITS["subject"] if one_line else LIMITS["message"]
    assert limit == kind.limit, (limit, kind)
    return user_text.clean(text, kind, field=what, required=required)


def user_name(user: User) -> str:
    """A user's full name as the messages show it."""
    return full_name(user.last_name, user.first_name, user.middle_name or None)


def roles_of(user_ids: Iterable[int]) -> dict[int, set[str]]:
    """The roles of these users, user id → roles (an empty set for a user without any)."""
    ids = list(set(user_ids))
    found: dict[int, set[str]] = {i: set() for i in ids}
    if ids:
        for r in UserRole.select().where(UserRole.user.in_(ids)):
            found[r.user_id].add(r.role)
    return found
