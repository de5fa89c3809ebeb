"""«Сообщения» and «Объявления» (R-D-3, R-D-2, R-J-9).

The inbox and the sent box share one table (F3 switches); Enter opens a message (the first
opening marks it read) in the reading pane under the list, which Tab reaches and which scrolls
(↑ ↓ PageUp PageDown Home End) to the end of any message. F2 writes a new message, F4 answers:
a docked edit line asks «Кому» (typing filters the people the actor may write to, and — for
staff — «все сотрудники» and the parents of a class), then «Тема»; the text is written in a
multi-line area that replaces the list, F2 sends it (Ctrl+Enter does not reach the program
over every SSH client), Esc on a written text warns and a second Esc drops it. Below 60
columns (a phone) the list keeps date, sender and subject and the pane stays under it.
No modal dialogs. Texts are shown exactly as
typed (plain text, never markup). Who may write to whom is decided by the service.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events, work
from textual.binding import BindingType
from textual.coordinate import Coordinate
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from tui_journal.i18n import t
from tui_journal.keymap import bind
from tui_journal.screens.base import JournalScreen, Outcome
from tui_journal.screens.common import ResponsiveColumns, full_width, plain
from tui_journal.screens.home import unread_changed
from tui_journal.services import classteacher, messages
from tui_journal.services import roles as R
from tui_journal.services.messages import AnnouncementView, Contact, MessageView
from tui_journal.widgets.edit_line import EditLine
from tui_journal.widgets.inputs import JournalInput
from tui_journal.widgets.reading import ComposeArea, ReadingPane
from tui_journal.widgets.safe_text import shown

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


# ● + 11 + 22 + 36 + 4 × 2 = 78, and 1 for the scrollbar; the subject takes what a wider
# terminal adds.
MESSAGE_COLUMNS = (("new", 1), ("when", 11), ("who", 22), ("subject", 36))
# A phone held upright (40 columns): ● + 5 + 12 + 13 + 4 × 2 = 39.
NARROW_MESSAGE_COLUMNS = (("new", 1), ("when", 5), ("who", 12), ("subject", 12))


class MessagesScreen(ResponsiveColumns, JournalScreen):
    WIDE_COLUMNS = MESSAGE_COLUMNS
    NARROW_COLUMNS = NARROW_MESSAGE_COLUMNS
    GROW = "subject"
    NARROW_GROW = "subject"
    COLUMN_TITLES = "msg.col"
    TITLE_KEY: ClassVar[str] = "section.messages"
    HELP_KEY: ClassVar[str] = "messages"

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("messages.compose", "f2", "compose", t("key.msg.new"), key_display="F2"),
        bind("messages.switch_box", "f3", "switch_box", t("key.msg.box"), key_display="F3"),
        bind("messages.reply", "f4", "reply", t("key.msg.reply"), key_display="F4"),
        bind("messages.refresh", "f5", "refresh", t("key.refresh"), show=False),
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
        self.widths: dict[str, int] = dict(MESSAGE_COLUMNS)

    def compose_body(self) -> Iterable[Widget]:
        yield Static("", id="msg-head", classes="head ellipsis")
        table: DataTable[Text] = DataTable(id="msg-table", cursor_type="row", zebra_stripes=False)
        yield table
        yield OptionList(id="msg-contacts", classes="list")
        yield ReadingPane(id="msg-read", classes="detail")
        yield Static("", id="msg-compose")
        yield ComposeArea(id="msg-text")
        yield EditLine(id="msg-edit", max_length=messages.BODY_MAX)

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#msg-table", DataTable)

    @property
    def edit_line(self) -> EditLine:
        return self.query_one(EditLine)

    @property
    def reading(self) -> ReadingPane:
        return self.query_one("#msg-read", ReadingPane)

    @property
    def compose_area(self) -> ComposeArea:
        return self.query_one("#msg-text", ComposeArea)

    @property
    def writing(self) -> bool:
        return self.has_class("-writing")

    @property
    def composing(self) -> bool:
        return self.edit_line.is_open or self.writing

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While a message is being written, F2 belongs to the text (it sends) and the keys of
        the list leave the footer."""
        if action in ("compose", "switch_box", "reply") and self.is_mounted and self.composing:
            return False
        return True

    def on_mount(self) -> None:
        full_width(self)
        self.setup_columns()
        self.table.focus()
        self.load()
        if self._preset is not None:
            self._start_compose([self._preset], self._preset_subject)

    def columns_table(self) -> DataTable[Text]:
        return self.table

    def refill(self) -> None:
        self._fill()

    @work(thread=True, exclusive=True, group="messages")
    def load(self) -> None:
        actor = self.actor
        rows = self.call_service(messages.inbox if self.box == "inbox" else messages.sent, actor)
        counts = self.call_service(messages.unread_counts, actor)
        if not isinstance(rows, Outcome) and not isinstance(counts, Outcome):
            self.deliver(self._show, rows, counts[0])

    def _show(self, rows: list[MessageView], unread: int) -> None:
        self.rows = rows
        inbox = self.box == "inbox"
        head = t("msg.inbox_head", n=len(rows), unread=unread) if inbox else t("msg.sent_head", n=len(rows))
        self.query_one("#msg-head", Static).update(Text(head))
        self._fill()
        if not rows:
            self.reading.show(Text(t("msg.empty")))

    def _row(self, m: MessageView) -> tuple[Text, ...]:
        inbox = self.box == "inbox"
        w = self.widths
        bold = "bold" if inbox and m.unread else ""
        return (
            Text("●" if inbox and m.unread else ""),
            plain(f"{m.sent_at:%d.%m %H:%M}"[: w["when"]]),
            plain(m.sender if inbox else m.to, w["who"]),
            plain(m.subject or t("msg.no_subject"), w["subject"], style=bold),
        )

    def _fill(self) -> None:
        table = self.table
        row = table.cursor_row
        with self.app.batch_update():
            table.clear()
            for m in self.rows:
                table.add_row(*self._row(m), key=str(m.id))
        if self.rows and 0 < row < len(self.rows):
            table.move_cursor(row=row)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if 0 <= event.cursor_row < len(self.rows):
            m = self.rows[event.cursor_row]
            if self.box == "sent" or not m.unread:
                self.reading.show(message_text(m, inbox=self.box == "inbox"))
            else:
                self.reading.show(Text(t("msg.enter_to_read")))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if not 0 <= event.cursor_row < len(self.rows):
            return
        m = self.rows[event.cursor_row]
        if self.box == "sent":
            self.reading.show(message_text(m, inbox=False))
        else:
            self.open_message(event.cursor_row, m.id)

    @work(thread=True, exclusive=True, group="messages-read")
    def open_message(self, row: int, message_id: int) -> None:
        actor, app = self.actor, self.app  # the app taken now: see AnnouncementsScreen.read
        view = self.call_service(messages.read_message, actor, message_id)
        if not isinstance(view, Outcome):
            unread_changed(app)
        counts = self.call_service(messages.unread_counts, actor)
        if not isinstance(view, Outcome) and not isinstance(counts, Outcome):
            self.deliver(self._opened, row, view, counts[0])

    def _opened(self, row: int, view: MessageView, unread: int) -> None:
        if 0 <= row < len(self.rows) and self.rows[row].id == view.id:
            self.rows[row] = view
            table = self.table
            cells = self._row(view)
            table.update_cell_at(Coordinate(row, 0), cells[0])
            table.update_cell_at(Coordinate(row, 3), cells[3])
        self.query_one("#msg-head", Static).update(Text(t("msg.inbox_head", n=len(self.rows), unread=unread)))
        self.reading.show(message_text(view, inbox=True))
        self.set_status(t("msg.read_hint"))

    def action_switch_box(self) -> None:
        if self.composing:
            return
        self.box = "sent" if self.box == "inbox" else "inbox"
        self.reading.show("")
        self.load()

    def action_refresh(self) -> None:
        self.load()

    # --- writing --------------------------------------------------------------------------------

    def action_compose(self) -> None:
        if self.composing:
            return
        self._start_compose([], "")

    def action_reply(self) -> None:
        if self.composing:
            return
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
        self.refresh_bindings()

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

    def _start_writing(self) -> None:
        """The body: a multi-line editor in place of the list; F2 sends, Esc cancels."""
        self.edit_line.close()
        self.add_class("-writing")
        self.table.display = False  # inline, as the «Кому» step sets it
        area = self.compose_area
        area.focus()
        self.set_status(t("msg.writing_hint"))

    def _end_compose(self, message: str = "") -> None:
        self.edit_line.close()
        self.remove_class("-writing")
        self.compose_area.load_text("")
        self.query_one("#msg-compose", Static).display = False
        self.query_one("#msg-contacts", OptionList).display = False
        self.table.display = True
        self.table.focus()
        self.targets, self.subject = [], ""
        self.refresh_bindings()
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
        if isinstance(found, Outcome):
            return
        groups = self._group_targets
        if groups is None:
            classes = self.call_service(messages.class_choices, actor)
            groups = []
            if not isinstance(classes, Outcome):
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
            self._start_writing()

    def on_edit_line_cancelled(self, event: EditLine.Cancelled) -> None:
        event.stop()
        self._end_compose(t("msg.cancelled"))

    def on_compose_area_send(self, event: ComposeArea.Send) -> None:
        event.stop()
        if self.targets:
            self.send(list(self.targets), self.subject, event.area.text)

    def on_compose_area_cancel(self, event: ComposeArea.Cancel) -> None:
        """Esc in the text: dropped at once when empty; otherwise the first Esc warns and only
        a written text is dropped only when the user says so (asked once: Enter — drop it,
        Esc — go on writing)."""
        event.stop()
        if not event.area.text.strip():
            self._end_compose(t("msg.cancelled"))
            return
        self.confirm(t("msg.drop_ask"), lambda: self._end_compose(t("msg.cancelled")))

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
        if not isinstance(result, Outcome):
            self.deliver(self._sent, result)

    def _sent(self, view: MessageView) -> None:
        self._end_compose(t("msg.sent", n=view.recipient_count))
        if self.box == "sent":
            self.load()

    def go_back(self) -> None:
        if self.writing:
            self.on_compose_area_cancel(ComposeArea.Cancel(self.compose_area))
            return
        if self.edit_line.is_open:
            self._end_compose(t("msg.cancelled"))
            return
        super().go_back()


# --- announcements -----------------------------------------------------------------------------

# ● + 6 + 6 + 44 + 14 + 5 × 2 = 81 → title 43: 80 with the scrollbar; a wider terminal widens
# the title. A phone (40 columns): ● + 5 + 5 + 18 + 4 × 2 = 37.
ANNOUNCEMENT_COLUMNS = (("new", 1), ("date", 5), ("for", 6), ("title", 43), ("author", 14))
NARROW_ANNOUNCEMENT_COLUMNS = (("new", 1), ("date", 5), ("for", 5), ("title", 20))


class AnnouncementsScreen(ResponsiveColumns, JournalScreen):
    WIDE_COLUMNS = ANNOUNCEMENT_COLUMNS
    NARROW_COLUMNS = NARROW_ANNOUNCEMENT_COLUMNS
    GROW = "title"
    NARROW_GROW = "title"
    COLUMN_TITLES = "ann.col"
    TITLE_KEY: ClassVar[str] = "section.announcements"
    HELP_KEY: ClassVar[str] = "announcements"

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("announcements.publish", "f2", "publish", t("key.ann.new"), key_display="F2"),
        bind("announcements.refresh", "f5", "refresh", t("key.refresh"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[AnnouncementView] = []
        self.draft: dict[str, str] = {}
        self.class_id: int | None = None
        self._notice = ""
        self.widths: dict[str, int] = dict(ANNOUNCEMENT_COLUMNS)

    def compose_body(self) -> Iterable[Widget]:
        table: DataTable[Text] = DataTable(id="ann-table", cursor_type="row", zebra_stripes=False)
        yield table
        yield ReadingPane(id="ann-body", classes="detail")
        yield ComposeArea(id="ann-text")
        yield EditLine(id="ann-edit", max_length=messages.BODY_MAX)

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#ann-table", DataTable)

    @property
    def reading(self) -> ReadingPane:
        return self.query_one("#ann-body", ReadingPane)

    def on_mount(self) -> None:
        full_width(self)
        self.setup_columns()
        self.table.focus()
        self.load()

    def columns_table(self) -> DataTable[Text]:
        return self.table

    def refill(self) -> None:
        self._fill()

    def _row(self, a: AnnouncementView) -> tuple[Text, ...]:
        w = self.widths
        cells = [
            Text("" if a.read else "●"),
            plain(f"{a.published_at:%d.%m}"),
            plain(a.class_name or t("ann.school"), w["for"]),
            plain(a.title, w["title"], style="" if a.read else "bold"),
        ]
        if "author" in w:
            cells.append(plain(a.author, w["author"]))
        return tuple(cells)

    def _fill(self) -> None:
        table = self.table
        row = table.cursor_row
        with self.app.batch_update():
            table.clear()
            for a in self.rows:
                table.add_row(*self._row(a), key=str(a.id))
        if self.rows and 0 < row < len(self.rows):
            table.move_cursor(row=row)

    @work(thread=True, exclusive=True, group="announcements")
    def load(self) -> None:
        rows = self.call_service(messages.announcements, self.actor)
        if not isinstance(rows, Outcome):
            self.deliver(self._show, rows)

    def _show(self, rows: list[AnnouncementView]) -> None:
        self.rows = rows
        self._fill()
        unread = sum(1 for a in rows if not a.read)
        notice, self._notice = self._notice, ""
        self.set_status(notice or (t("ann.count", n=len(rows), unread=unread) if rows else t("ann.empty")))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if 0 <= event.cursor_row < len(self.rows):
            self.read(event.cursor_row, self.rows[event.cursor_row])

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if 0 <= event.cursor_row < len(self.rows):
            a = self.rows[event.cursor_row]
            self.reading.show(announcement_text(a) if a.read else Text(t("msg.enter_to_read")))

    @work(thread=True, exclusive=True, group="announcement-read")
    def read(self, row: int, a: AnnouncementView) -> None:
        if not a.read:
            app = self.app  # taken now: once the user has gone back, this screen has no app
            if isinstance(self.call_service(messages.mark_announcement_read, self.actor, a.id), Outcome):
                return
            # Posted from here, not from _was_read: if the user has gone back home meanwhile,
            # this screen's deliveries are dropped but the home screen must still recount.
            unread_changed(app)
        self.deliver(self._was_read, row, a)

    def _was_read(self, row: int, a: AnnouncementView) -> None:
        if 0 <= row < len(self.rows) and self.rows[row].id == a.id and not a.read:
            self.rows[row] = AnnouncementView(a.id, a.title, a.body, a.class_name, a.author, a.published_at, True)
            cells = self._row(self.rows[row])
            self.table.update_cell_at(Coordinate(row, 0), cells[0])
            self.table.update_cell_at(Coordinate(row, 3), cells[3])
        self.reading.show(announcement_text(a))

    def action_refresh(self) -> None:
        self.load()

    # --- publishing (the administration; a class teacher for his class) ---------------------
    # «Заголовок», then «Класс» on the docked line, then the text in a multi-line area in the
    # list's place: F2 publishes, Esc on a written text warns and a second Esc drops it.

    @property
    def writing(self) -> bool:
        return self.has_class("-writing")

    @property
    def compose_area(self) -> ComposeArea:
        return self.query_one("#ann-text", ComposeArea)

    def action_publish(self) -> None:
        if self.writing or self.query_one(EditLine).is_open:
            return
        self.draft = {}
        self.class_id = None
        self.query_one(EditLine).open("title", t("ann.title_prompt"), "")

    def on_edit_line_done(self, event: EditLine.Done) -> None:
        event.stop()
        line = self.query_one(EditLine)
        if event.purpose == "title":
            self.draft["title"] = event.value
            line.open("class", t("ann.class_prompt"), "")
        elif event.purpose == "class":
            self.find_class(event.value.strip())

    @work(thread=True, exclusive=True, group="announcement-class")
    def find_class(self, class_name: str) -> None:
        class_id: int | None = None
        if class_name:
            classes = self.call_service(classteacher.my_classes, self.actor)
            if isinstance(classes, Outcome):
                return
            wanted = class_name.replace(" ", "").upper()
            match = next((c for c in classes if c.name.upper() == wanted), None)
            if match is None:
                self.deliver(self.set_status, t("ann.no_class", cls=class_name), error=True)
                return
            class_id = match.id
        self.deliver(self._start_writing, class_id)

    def _start_writing(self, class_id: int | None) -> None:
        self.class_id = class_id
        self.query_one(EditLine).close()
        self.add_class("-writing")
        self.compose_area.focus()
        self.set_status(t("ann.writing_hint", title=self.draft.get("title", "")))

    def _end_writing(self, message: str) -> None:
        self.query_one(EditLine).close()
        self.remove_class("-writing")
        self.compose_area.load_text("")
        self.table.focus()
        self.set_status(message)

    def on_edit_line_cancelled(self, event: EditLine.Cancelled) -> None:
        event.stop()
        self._end_writing(t("msg.cancelled"))

    def on_compose_area_send(self, event: ComposeArea.Send) -> None:
        event.stop()
        self.publish(dict(self.draft), self.class_id, event.area.text)

    def on_compose_area_cancel(self, event: ComposeArea.Cancel) -> None:
        event.stop()
        if not event.area.text.strip():
            self._end_writing(t("msg.cancelled"))
            return
        self.confirm(t("msg.drop_ask"), lambda: self._end_writing(t("msg.cancelled")))

    @work(thread=True, exclusive=True, group="announcement-publish")
    def publish(self, draft: dict[str, str], class_id: int | None, body: str) -> None:
        result = self.call_service(
            messages.publish_announcement, self.actor, draft.get("title", ""), body, class_id=class_id
        )
        if not isinstance(result, Outcome):
            self.deliver(self._published, result)

    def _published(self, a: AnnouncementView) -> None:
        self._end_writing(t("ann.published", title=a.title))
        self._notice = t("ann.published", title=a.title)  # kept over the count the reload shows
        self.load()

    def go_back(self) -> None:
        if self.writing:
            self.on_compose_area_cancel(ComposeArea.Cancel(self.compose_area))
            return
        line = self.query_one(EditLine)
        if line.is_open:
            self._end_writing(t("msg.cancelled"))
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
