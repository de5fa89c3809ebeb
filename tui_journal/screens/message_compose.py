"""Writing a new message (R-D-3): the docked edit line asks «Кому» (typing filters the people
the actor may write to and, for staff, «все сотрудники» and the parents of a class; ↓ goes
into the list; Enter on a typed name takes the highlighted one and asks for the next, Enter
on an empty line goes on), then «Тема»; then the text is written in the multi-line area in
the list's place (:mod:`~tui_journal.screens.writing`). The recipients and the subject stay
shown above it."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events, work
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui_journal.i18n import t
from tui_journal.screens.base import Outcome
from tui_journal.screens.common import Debounce
from tui_journal.screens.recipients import Target, choices_for, group_targets, with_target
from tui_journal.screens.writing import WritingScreen
from tui_journal.services import messages
from tui_journal.services.messages import Contact
from tui_journal.widgets.edit_line import EditLine
from tui_journal.widgets.inputs import JournalInput

SEARCH_DEBOUNCE_SECONDS = 0.15


def compose_head(targets: Sequence[Target], subject: str) -> Text:
    """The head of a message being written: its recipients, then its subject once typed."""
    text = Text()
    text.append(t("msg.recipients") + " ", style="bold")
    text.append(", ".join(x.label for x in targets) or "—")
    if subject:
        text.append("\n" + t("msg.subject") + " ", style="bold")
        text.append(subject)
    return text


class MessageComposing(WritingScreen):
    """The steps before the text of a new message; the screen yields a ``Static`` with the id
    ``msg-compose`` (the recipients and the subject) and an ``OptionList`` with the id
    ``msg-contacts`` (the people found), and sends the text."""

    def __init__(self) -> None:
        super().__init__()
        self.targets: list[Target] = []
        self.choices: list[Target] = []
        self.subject = ""
        self._search_later = Debounce(self, SEARCH_DEBOUNCE_SECONDS, self.search)
        self._group_targets: list[Target] | None = None

    def start_compose(self, targets: list[Target], subject: str) -> None:
        """A new message (to ``targets`` already chosen: a reply, the class teacher's «write to
        the parents»: straight to «Тема»)."""
        self.targets = list(targets)
        self.subject = subject
        self.query_one("#msg-compose", Static).display = True
        self._show_compose()
        if targets:
            self.edit_line.open("subject", t("msg.subject_prompt"), subject)
        else:
            self._ask_recipient()
        self.refresh_bindings()

    def _ask_recipient(self) -> None:
        self.table.display = False
        contacts = self.query_one("#msg-contacts", OptionList)
        contacts.display = True
        self.edit_line.open("to", t("msg.to_prompt"), "")
        self.search("")

    def _show_compose(self) -> None:
        self.query_one("#msg-compose", Static).update(compose_head(self.targets, self.subject))

    def end_writing(self, message: str = "") -> None:
        """Back to the list: the recipients and the subject are forgotten."""
        self.query_one("#msg-compose", Static).display = False
        self.query_one("#msg-contacts", OptionList).display = False
        self.table.display = True
        self.targets, self.subject = [], ""
        super().end_writing(message)
        self.refresh_bindings()

    def on_input_changed(self, event: JournalInput.Changed) -> None:
        if self.edit_line.purpose != "to":
            return
        event.stop()
        self._search_later(event.value)

    @work(thread=True, exclusive=True, group="messages-search")
    def search(self, text: str) -> None:
        actor = self.actor
        found = self.call_service(messages.contacts, actor, text, limit=40)
        if isinstance(found, Outcome):
            return
        groups = self._group_targets
        if groups is None:
            classes = self.call_service(messages.class_choices, actor)
            groups = [] if isinstance(classes, Outcome) else group_targets(actor, classes)
            self.deliver(self._remember_groups, groups)
        self.deliver(self._show_choices, text, found, groups)

    def _remember_groups(self, groups: list[Target]) -> None:
        self._group_targets = groups

    def _show_choices(self, text: str, found: list[Contact], groups: list[Target]) -> None:
        rows = choices_for(text, found, groups)
        self.choices = [target for target, _ in rows]
        contacts = self.query_one("#msg-contacts", OptionList)
        contacts.clear_options()
        for i, (_, label) in enumerate(rows):
            contacts.add_option(Option(label, id=str(i)))
        if rows:
            contacts.highlighted = 0
        self.set_status(t("msg.pick_hint") if rows else t("msg.nobody_found"))

    def _choose(self, target: Target) -> None:
        """``target`` joins the recipients; the «Кому» line asks for the next one."""
        self.targets = with_target(self.targets, target)
        self._show_compose()
        self.edit_line.open("to", t("msg.to_prompt"), "")
        self.search("")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        index = int(event.option_id or -1)
        if 0 <= index < len(self.choices):
            self._choose(self.choices[index])

    def on_key(self, event: events.Key) -> None:
        """Down from the «Кому» line goes into the list of people."""
        line = self.edit_line
        if event.key == "down" and line.is_open and line.purpose == "to" and line.input.has_focus:
            contacts = self.query_one("#msg-contacts", OptionList)
            if contacts.option_count:
                contacts.focus()
                event.stop()

    def on_edit_line_done(self, event: EditLine.Done) -> None:
        event.stop()
        value = event.value
        if event.purpose == "to":
            contacts = self.query_one("#msg-contacts", OptionList)
            if value.strip() and self.choices:
                index = contacts.highlighted if contacts.highlighted is not None else 0
                self._choose(self.choices[index])
                return
            if not self.targets:
                self.set_status(t("msg.no_recipient"), error=True)
                return
            contacts.display = False
            self.table.display = True
            self.edit_line.open("subject", t("msg.subject_prompt"), self.subject)
        elif event.purpose == "subject":
            self.subject = value.strip()
            self._show_compose()
            self.table.display = False  # inline, as the «Кому» step sets it
            self.start_writing(t("msg.writing_hint"))
