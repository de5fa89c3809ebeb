"""What an opened message or announcement shows in the reading pane: the texts exactly as typed
(plain text, never markup), their line breaks kept."""

from __future__ import annotations

from rich.text import Text

from tui_journal.i18n import t
from tui_journal.services.messages import AnnouncementView, MessageView
from tui_journal.widgets.safe_text import shown


def message_text(m: MessageView, *, inbox: bool) -> Text:
    """The opened message: who, to whom, when, about whom, the subject, the body as typed
    (its line breaks kept). «Кому» is what the service lets this reader see: a class's
    parents as a group for a parent, every name for the sender."""
    text = Text()
    text.append(t("msg.from") + " ", style="bold")
    text.append(m.sender)
    text.append(f"  {m.sent_at:%d.%m.%Y %H:%M}")
    text.append("\n" + t("msg.to") + " ", style="bold")
    text.append(m.to or "—")
    if not inbox:
        text.append("  " + t("msg.read_by", n=m.read_count, total=m.recipient_count))
    if m.about:
        text.append("\n" + t("msg.about") + " ", style="bold")
        text.append(m.about)
    text.append("\n")
    text.append(m.subject or t("msg.no_subject"), style="bold")
    text.append("\n")
    text.append(shown(m.body, multiline=True))
    return text


def announcement_text(a: AnnouncementView) -> Text:
    """The opened announcement: its title, date, author and audience, then its text."""
    text = Text()
    text.append(a.title, style="bold")
    text.append(f"  {a.published_at:%d.%m.%Y}")
    if a.author:
        text.append(f" · {a.author}")
    text.append(" · " + (a.class_name or t("ann.school")))
    text.append("\n")
    text.append(a.body)
    return text
