"""«Сообщения» and «Объявления» (R-D-3, R-D-2, R-J-9).

The inbox and the sent box share one table (F3 switches); Enter opens a message (the first
opening marks it read). F2 writes a new message, F4 answers: a docked edit line asks «Кому»
(typing filters the people the actor may write to, and — for staff — «все сотрудники» and the
parents of a class), then «Тема», then «Текст». No modal dialogs. Texts are shown exactly as
typed (plain text, never markup). Who may write to whom is decided by the service.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events, work
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from tui_journal.i18n import t
from tui_journal.screens.base import JournalScreen, _Failed
from tui_journal.screens.diary import add_columns, full_width, plain
from tui_journal.screens.home import unread_changed
from tui_journal.services import classteacher, messages
from tui_journal.services import roles as R
from tui_journal.services.messages import AnnouncementView, Contact, MessageView
from tui_journal.widgets.grade_grid import EditLine
from tui_journal.widgets.inputs import JournalInput

SEARCH_DEBOUNCE_SECONDS = 0.15


@dataclass(frozen=True)
class Target:
    """Whom a message goes to: a person, the parents of a pupil, a class's parents, the staff."""

    kind: str  # user | parents | class_parents | staff
    id: int
    label: str

    @property
    def group(self) -> bool:
        return self.kind != "user"


def message_text(m: MessageView, *, inbox: bool) -> Text:
    """The opened message: who, to whom, when, about whom, the subject, the body as typed."""
    text = Text()
    text.append(t("msg.from") + " ", style="bold")
    text.append(m.sender)
    text.append("  " + t("msg.to") + " ", style="bold")
    text.append(", ".join(m.recipients))
    text.append(f"  {m.sent_at:%d.%m.%Y %H:%M}")
    if not inbox:
        text.append("  " + t("msg.read_by", n=m.read_count, total=len(m.recipients)))
    if m.about:
        text.append("\n" + t("msg.about") + " ", style="bold")
        text.append(m.about)
    text.append("\n")
    text.append(m.subject or t("msg.no_subject"), style="bold")
    text.append("\n")
    text.append(m.body)
    return text


# ● + 11 + 22 + 36 + 4 × 2 = 78, and 1 for the scrollbar.
MESSAGE_COLUMNS = (("new", 1), ("when", 11), ("who", 22), ("subject", 36))


class MessagesScreen(JournalScreen):
    TITLE_KEY: ClassVar[str] = "section.messages"
    HELP_KEY: ClassVar[str] = "messages"

    DEFAULT_CSS = """
    #msg-head { height: 1; padding: 0 1; text-style: bold; }
    #msg-table { height: 1fr; }
    #msg-contacts { height: 1fr; border: none; padding: 0 1; display: none; }
    #msg-body { height: 7; padding: 0 1; overflow-y: auto; }
    #msg-compose { height: auto; max-height: 3; padding: 0 1; display: none; }
    #msg-edit { padding: 0 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "compose", t("key.msg.new"), key_display="F2"),
        Binding("f3", "switch_box", t("key.msg.box"), key_display="F3"),
        Binding("f4", "reply", t("key.msg.reply"), key_display="F4"),
        Binding("f5", "refresh", t("key.refresh"), show=False),
    ]

    def __init__(self, *, compose_to: Target | None = None, subject: str = "") -> None:
        super().__init__()
        self.box = "inbox"
        self.rows: list[MessageView] = []
        self.targets: list[Target] = []
        self.choices: list[Target] = []
        self.subject = ""
        self._preset = compose_to
        self._preset_subject = subject
        self._debounce: Timer | None = None
        self._group_targets: list[Target] | None = None

    def compose_body(self) -> Iterable[Widget]:
        yield Static("", id="msg-head")
        table: DataTable[Text] = DataTable(id="msg-table", cursor_type="row", zebra_stripes=False)
        yield table
        yield OptionList(id="msg-contacts")
        yield Static("", id="msg-body")
        yield Static("", id="msg-compose")
        yield EditLine(id="msg-edit", max_length=messages.BODY_MAX)

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#msg-table", DataTable)

    @property
    def edit_line(self) -> EditLine:
        return self.query_one(EditLine)

    def on_mount(self) -> None:
        full_width(self)
        add_columns(self.table, MESSAGE_COLUMNS, "msg.col")
        self.table.focus()
        self.load()
        if self._preset is not None:
            self._start_compose([self._preset], self._preset_subject)

    # --- the boxes ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="messages")
    def load(self) -> None:
        actor = self.actor
        rows = self.call_service(messages.inbox if self.box == "inbox" else messages.sent, actor)
        counts = self.call_service(messages.unread_counts, actor)
        if not isinstance(rows, _Failed) and not isinstance(counts, _Failed):
            self.deliver(self._show, rows, counts[0])

    def _show(self, rows: list[MessageView], unread: int) -> None:
        self.rows = rows
        inbox = self.box == "inbox"
        head = t("msg.inbox_head", n=len(rows), unread=unread) if inbox else t("msg.sent_head", n=len(rows))
        self.query_one("#msg-head", Static).update(Text(head))
        table = self.table
        with self.app.batch_update():
            table.clear()
            for m in rows:
                who = m.sender if inbox else ", ".join(m.recipients)
                table.add_row(
                    Text("●" if inbox and m.unread else ""),
                    plain(f"{m.sent_at:%d.%m %H:%M}"),
                    plain(who, 22),
                    plain(m.subject or t("msg.no_subject"), 36, style="bold" if inbox and m.unread else ""),
                    key=str(m.id),
                )
        if not rows:
            self.query_one("#msg-body", Static).update(Text(t("msg.empty")))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if 0 <= event.cursor_row < len(self.rows):
            m = self.rows[event.cursor_row]
            if self.box == "sent" or not m.unread:
                self.query_one("#msg-body", Static).update(message_text(m, inbox=self.box == "inbox"))
            else:
                self.query_one("#msg-body", Static).update(Text(t("msg.enter_to_read")))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if not 0 <= event.cursor_row < len(self.rows):
            return
        m = self.rows[event.cursor_row]
        if self.box == "sent":
            self.query_one("#msg-body", Static).update(message_text(m, inbox=False))
        else:
            self.open_message(event.cursor_row, m.id)

    @work(thread=True, exclusive=True, group="messages-read")
    def open_message(self, row: int, message_id: int) -> None:
        actor, app = self.actor, self.app  # the app taken now: see AnnouncementsScreen.read
        view = self.call_service(messages.read_message, actor, message_id)
        if not isinstance(view, _Failed):
            unread_changed(app)
        counts = self.call_service(messages.unread_counts, actor)
        if not isinstance(view, _Failed) and not isinstance(counts, _Failed):
            self.deliver(self._opened, row, view, counts[0])

    def _opened(self, row: int, view: MessageView, unread: int) -> None:
        if 0 <= row < len(self.rows) and self.rows[row].id == view.id:
            self.rows[row] = view
            table = self.table
            table.update_cell_at(Coordinate(row, 0), Text(""))
            table.update_cell_at(Coordinate(row, 3), plain(view.subject or t("msg.no_subject"), 36))
        self.query_one("#msg-head", Static).update(Text(t("msg.inbox_head", n=len(self.rows), unread=unread)))
        self.query_one("#msg-body", Static).update(message_text(view, inbox=True))

    def action_switch_box(self) -> None:
        if self.edit_line.is_open:
            return
        self.box = "sent" if self.box == "inbox" else "inbox"
        self.query_one("#msg-body", Static).update("")
        self.load()

    def action_refresh(self) -> None:
        self.load()

    # --- writing --------------------------------------------------------------------------------

    def action_compose(self) -> None:
        self._start_compose([], "")

    def action_reply(self) -> None:
        row = self.table.cursor_row
        if self.box != "inbox" or not 0 <= row < len(self.rows):
            self.set_status(t("msg.reply_hint"))
            return
        m = self.rows[row]
        if m.sender_id is None:
            return
        subject = m.subject if m.subject.startswith("Re: ") else f"Re: {m.subject}"
        self._start_compose([Target("user", m.sender_id, m.sender)], subject[: messages.SUBJECT_MAX])

    def _start_compose(self, targets: list[Target], subject: str) -> None:
        self.targets = list(targets)
        self.subject = subject
        self.query_one("#msg-compose", Static).display = True
        self._show_compose()
        if targets:
            self.edit_line.open("subject", t("msg.subject_prompt"), subject)
        else:
            self._ask_recipient()

    def _ask_recipient(self) -> None:
        self.table.display = False
        contacts = self.query_one("#msg-contacts", OptionList)
        contacts.display = True
        self.edit_line.open("to", t("msg.to_prompt"), "")
        self.search("")

    def _show_compose(self) -> None:
        text = Text()
        text.append(t("msg.recipients") + " ", style="bold")
        text.append(", ".join(x.label for x in self.targets) or "—")
        if self.subject:
            text.append("\n" + t("msg.subject") + " ", style="bold")
            text.append(self.subject)
        self.query_one("#msg-compose", Static).update(text)

    def _end_compose(self, message: str = "") -> None:
        self.edit_line.close()
        self.query_one("#msg-compose", Static).display = False
        self.query_one("#msg-contacts", OptionList).display = False
        self.table.display = True
        self.table.focus()
        self.targets, self.subject = [], ""
        if message:
            self.set_status(message)

    def on_input_changed(self, event: JournalInput.Changed) -> None:
        if self.edit_line.purpose != "to":
            return
        event.stop()
        if self._debounce is not None:
            self._debounce.stop()
        value = event.value
        self._debounce = self.set_timer(SEARCH_DEBOUNCE_SECONDS, lambda: self.search(value))

    @work(thread=True, exclusive=True, group="messages-search")
    def search(self, text: str) -> None:
        actor = self.actor
        found = self.call_service(messages.contacts, actor, text, limit=40)
        if isinstance(found, _Failed):
            return
        groups = self._group_targets
        if groups is None:
            classes = self.call_service(messages.class_choices, actor)
            groups = []
            if not isinstance(classes, _Failed):
                if actor.has(*R.STAFF):
                    groups.append(Target("staff", 0, t("msg.all_staff")))
                groups += [Target("class_parents", cid, t("msg.class_parents", cls=name)) for cid, name in classes]
            self.deliver(self._remember_groups, groups)
        self.deliver(self._show_choices, text, found, groups)

    def _remember_groups(self, groups: list[Target]) -> None:
        self._group_targets = groups

    def _show_choices(self, text: str, found: list[Contact], groups: list[Target]) -> None:
        key = text.strip().casefold().replace("ё", "е")
        matching = [g for g in groups if not key or key in g.label.casefold().replace("ё", "е")]
        choices = matching + [Target("user", c.user_id, c.name) for c in found]
        notes = {c.user_id: c.note for c in found}
        self.choices = choices
        contacts = self.query_one("#msg-contacts", OptionList)
        contacts.clear_options()
        for i, choice in enumerate(choices):
            label = Text(choice.label, style="bold" if choice.group else "")
            if choice.kind == "user" and notes.get(choice.id):
                label.append(f" — {notes[choice.id]}")
            contacts.add_option(Option(label, id=str(i)))
        if choices:
            contacts.highlighted = 0
        self.set_status(t("msg.pick_hint") if choices else t("msg.nobody_found"))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        index = int(event.option_id or -1)
        if 0 <= index < len(self.choices):
            self._add_target(self.choices[index])
            self.edit_line.open("to", t("msg.to_prompt"), "")
            self.search("")

    def _add_target(self, target: Target) -> None:
        if target.group or any(x.group for x in self.targets):
            self.targets = [target]
        elif all(x.id != target.id for x in self.targets):
            self.targets.append(target)
        self._show_compose()

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
                self._add_target(self.choices[index])
                self.edit_line.open("to", t("msg.to_prompt"), "")
                self.search("")
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
            self.edit_line.open("body", t("msg.body_prompt"), "")
        elif event.purpose == "body":
            self.send(list(self.targets), self.subject, value)

    def on_edit_line_cancelled(self, event: EditLine.Cancelled) -> None:
        event.stop()
        self._end_compose(t("msg.cancelled"))

    @work(thread=True, exclusive=True, group="messages-send")
    def send(self, targets: list[Target], subject: str, body: str) -> None:
        actor = self.actor
        first = targets[0]
        if first.kind == "staff":
            result = self.call_service(messages.send_to_staff, actor, subject, body)
        elif first.kind == "class_parents":
            result = self.call_service(messages.send_to_class_parents, actor, first.id, subject, body)
        elif first.kind == "parents":
            result = self.call_service(messages.send_to_parents, actor, first.id, subject, body)
        else:
            result = self.call_service(messages.send_message, actor, [x.id for x in targets], subject, body)
        if not isinstance(result, _Failed):
            self.deliver(self._sent, result)

    def _sent(self, view: MessageView) -> None:
        self._end_compose(t("msg.sent", n=len(view.recipients)))
        if self.box == "sent":
            self.load()

    def go_back(self) -> None:
        if self.edit_line.is_open:
            self._end_compose(t("msg.cancelled"))
            return
        super().go_back()


# --- announcements -----------------------------------------------------------------------------

# ● + 6 + 6 + 44 + 14 + 5 × 2 = 81 → title 43: 80 with the scrollbar.
ANNOUNCEMENT_COLUMNS = (("new", 1), ("date", 5), ("for", 6), ("title", 43), ("author", 14))


class AnnouncementsScreen(JournalScreen):
    TITLE_KEY: ClassVar[str] = "section.announcements"
    HELP_KEY: ClassVar[str] = "announcements"

    DEFAULT_CSS = """
    #ann-table { height: 1fr; }
    #ann-body { height: 7; padding: 0 1; }
    #ann-edit { padding: 0 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "publish", t("key.ann.new"), key_display="F2"),
        Binding("f5", "refresh", t("key.refresh"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[AnnouncementView] = []
        self.draft: dict[str, str] = {}

    def compose_body(self) -> Iterable[Widget]:
        table: DataTable[Text] = DataTable(id="ann-table", cursor_type="row", zebra_stripes=False)
        yield table
        yield Static("", id="ann-body")
        yield EditLine(id="ann-edit", max_length=messages.BODY_MAX)

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#ann-table", DataTable)

    def on_mount(self) -> None:
        full_width(self)
        add_columns(self.table, ANNOUNCEMENT_COLUMNS, "ann.col")
        self.table.focus()
        self.load()

    @work(thread=True, exclusive=True, group="announcements")
    def load(self) -> None:
        rows = self.call_service(messages.announcements, self.actor)
        if not isinstance(rows, _Failed):
            self.deliver(self._show, rows)

    def _show(self, rows: list[AnnouncementView]) -> None:
        self.rows = rows
        table = self.table
        with self.app.batch_update():
            table.clear()
            for a in rows:
                table.add_row(
                    Text("" if a.read else "●"),
                    plain(f"{a.published_at:%d.%m}"),
                    plain(a.class_name or t("ann.school"), 6),
                    plain(a.title, 43, style="" if a.read else "bold"),
                    plain(a.author, 14),
                    key=str(a.id),
                )
        unread = sum(1 for a in rows if not a.read)
        self.set_status(t("ann.count", n=len(rows), unread=unread) if rows else t("ann.empty"))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if 0 <= event.cursor_row < len(self.rows):
            self.read(event.cursor_row, self.rows[event.cursor_row])

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if 0 <= event.cursor_row < len(self.rows):
            a = self.rows[event.cursor_row]
            self.query_one("#ann-body", Static).update(announcement_text(a) if a.read else Text(t("msg.enter_to_read")))

    @work(thread=True, exclusive=True, group="announcement-read")
    def read(self, row: int, a: AnnouncementView) -> None:
        if not a.read:
            app = self.app  # taken now: once the user has gone back, this screen has no app
            if isinstance(self.call_service(messages.mark_announcement_read, self.actor, a.id), _Failed):
                return
            # Posted from here, not from _was_read: if the user has gone back home meanwhile,
            # this screen's deliveries are dropped but the home screen must still recount.
            unread_changed(app)
        self.deliver(self._was_read, row, a)

    def _was_read(self, row: int, a: AnnouncementView) -> None:
        if 0 <= row < len(self.rows) and self.rows[row].id == a.id and not a.read:
            self.rows[row] = AnnouncementView(a.id, a.title, a.body, a.class_name, a.author, a.published_at, True)
            self.table.update_cell_at(Coordinate(row, 0), Text(""))
            self.table.update_cell_at(Coordinate(row, 3), plain(a.title, 43))
        self.query_one("#ann-body", Static).update(announcement_text(a))

    def action_refresh(self) -> None:
        self.load()

    # --- publishing (the administration; a class teacher for his class) ---------------------

    def action_publish(self) -> None:
        self.draft = {}
        self.query_one(EditLine).open("title", t("ann.title_prompt"), "")

    def on_edit_line_done(self, event: EditLine.Done) -> None:
        event.stop()
        line = self.query_one(EditLine)
        if event.purpose == "title":
            self.draft["title"] = event.value
            line.open("body", t("ann.body_prompt"), "")
        elif event.purpose == "body":
            self.draft["body"] = event.value
            line.open("class", t("ann.class_prompt"), "")
        elif event.purpose == "class":
            self.publish(dict(self.draft), event.value.strip())

    def on_edit_line_cancelled(self, event: EditLine.Cancelled) -> None:
        event.stop()
        self.query_one(EditLine).close()
        self.table.focus()
        self.set_status(t("msg.cancelled"))

    @work(thread=True, exclusive=True, group="announcement-publish")
    def publish(self, draft: dict[str, str], class_name: str) -> None:
        actor = self.actor
        class_id: int | None = None
        if class_name:
            classes = self.call_service(classteacher.my_classes, actor)
            if isinstance(classes, _Failed):
                return
            wanted = class_name.replace(" ", "").upper()
            match = next((c for c in classes if c.name.upper() == wanted), None)
            if match is None:
                self.deliver(self.set_status, t("ann.no_class", cls=class_name), error=True)
                return
            class_id = match.id
        result = self.call_service(
            messages.publish_announcement, actor, draft.get("title", ""), draft.get("body", ""), class_id=class_id
        )
        if not isinstance(result, _Failed):
            self.deliver(self._published, result)

    def _published(self, a: AnnouncementView) -> None:
        self.query_one(EditLine).close()
        self.table.focus()
        self.set_status(t("ann.published", title=a.title))
        self.load()

    def go_back(self) -> None:
        line = self.query_one(EditLine)
        if line.is_open:
            line.close()
            self.table.focus()
            return
        super().go_back()


def announcement_text(a: AnnouncementView) -> Text:
    text = Text()
    text.append(a.title, style="bold")
    text.append(f"  {a.published_at:%d.%m.%Y}")
    if a.author:
        text.append(f" · {a.author}")
    text.append(" · " + (a.class_name or t("ann.school")))
    text.append("\n")
    text.append(a.body)
    return text
