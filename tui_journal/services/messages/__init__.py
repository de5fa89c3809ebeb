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

One module per topic: ``base`` (the values, the text check, names and roles), ``addressing``
(who may write to whom), ``boxes`` (the inbox and the sent box), ``sending``, ``board`` (the
announcements and the home screen's unread counts).
"""

from tui_journal.services.messages.addressing import R_TITLES, contacts, may_write_to
from tui_journal.services.messages.base import (
    ADMINISTRATION,
    BODY_MAX,
    SUBJECT_MAX,
    TITLE_MAX,
    AnnouncementView,
    Contact,
    MessageView,
)
from tui_journal.services.messages.board import (
    announcements,
    mark_announcement_read,
    publish_announcement,
    unread_counts,
)
from tui_journal.services.messages.boxes import addressees, inbox, read_message, sent
from tui_journal.services.messages.sending import (
    class_choices,
    notify_about_pupil,
    send_message,
    send_to_class_parents,
    send_to_parents,
    send_to_staff,
)

__all__ = [
    "ADMINISTRATION",
    "BODY_MAX",
    "R_TITLES",
    "SUBJECT_MAX",
    "TITLE_MAX",
    "AnnouncementView",
    "Contact",
    "MessageView",
    "addressees",
    "announcements",
    "class_choices",
    "contacts",
    "inbox",
    "mark_announcement_read",
    "may_write_to",
    "notify_about_pupil",
    "publish_announcement",
    "read_message",
    "send_message",
    "send_to_class_parents",
    "send_to_parents",
    "send_to_staff",
    "sent",
    "unread_counts",
]
