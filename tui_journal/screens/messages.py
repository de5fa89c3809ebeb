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
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.binding import BindingType
from textual.coordinate import Coordinate
from textual.widget import Widget
from textual.widgets import DataTable, OptionList, Static

from tui_journal.i18n import t
from tui_journal.keymap import bind
from tui_journal.screens.base import Outcome
from tui_journal.screens.common import Columns, fill_rows, plain, row_table
from tui_journal.screens.home import unread_changed
from tui_journal.screens.message_compose import MessageComposing
from tui_journal.screens.message_text import announcement_text, message_text
from tui_journal.screens.recipients import Target, send_to
from tui_journal.screens.writing import WritingScreen
from tui_journal.services import classteacher, messages
from tui_journal.services.messages import AnnouncementView, MessageView
from tui_journal.widgets.edit_line import EditLine
from tui_journal.widgets.reading import ComposeArea, ReadingPane

__all__ = ["AnnouncementsScreen", "MessagesScreen", "Target"]  # Target: the class teacher's screen writes to parents


# ● + 11 + 22 + 36 + 4 × 2 = 78, and 1 for the scrollbar; the subject takes what a wider
# terminal adds.
MESSAGE_COLUMNS = (("new", 1), ("when", 11), ("who", 22), ("subject", 36))
# A phone held upright (40 columns): ● + 5 + 12 + 13 + 4 × 2 = 39.
NARROW_MESSAGE_COLUMNS = (("new", 1), ("when", 5), ("who", 12), ("subject", 12))


class MessagesScreen(MessageComposing):
    COLUMNS = Columns(MESSAGE_COLUMNS, NARROW_MESSAGE_COLUMNS, "subject", "msg.col")
    TABLE_ID = "msg-table"
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
        self._preset = compose_to
        self._preset_subject = subject

    def compose_body(self) -> Iterable[Widget]:
        yield Static("", id="msg-head", classes="head ellipsis")
        yield row_table("msg-table")
        yield OptionList(id="msg-contacts", classes="list")
        yield ReadingPane(id="msg-read", classes="detail")
        yield Static("", id="msg-compose")
        yield ComposeArea(id="msg-text")
        yield EditLine(id="msg-edit", max_length=messages.BODY_MAX)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While a message is being written, F2 belongs to the text (it sends) and the keys of
        the list leave the footer."""
        if action in ("compose", "switch_box", "reply") and self.is_mounted and self.composing:
            return False
        return True

    def on_mount(self) -> None:
        self.show_table()
        self.load()
        if self._preset is not None:
            self.start_compose([self._preset], self._preset_subject)

    def refill(self) -> None:
        fill_rows(self.table, ((str(m.id), self._row(m)) for m in self.rows))

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
        self.refill()
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
        self.start_compose([], "")

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
        self.start_compose([Target("user", m.sender_id, m.sender)], subject[: messages.SUBJECT_MAX])

    def on_compose_area_send(self, event: ComposeArea.Send) -> None:
        event.stop()
        if self.targets:
            self.send(list(self.targets), self.subject, event.area.text)

    @work(thread=True, exclusive=True, group="messages-send")
    def send(self, targets: list[Target], subject: str, body: str) -> None:
        result = self.call_service(send_to, self.actor, targets, subject, body)
        if not isinstance(result, Outcome):
            self.deliver(self._sent, result)

    def _sent(self, view: MessageView) -> None:
        self.end_writing(t("msg.sent", n=view.recipient_count))
        if self.box == "sent":
            self.load()


# --- announcements -----------------------------------------------------------------------------

# ● + 6 + 6 + 44 + 14 + 5 × 2 = 81 → title 43: 80 with the scrollbar; a wider terminal widens
# the title. A phone (40 columns): ● + 5 + 5 + 18 + 4 × 2 = 37.
ANNOUNCEMENT_COLUMNS = (("new", 1), ("date", 5), ("for", 6), ("title", 43), ("author", 14))
NARROW_ANNOUNCEMENT_COLUMNS = (("new", 1), ("date", 5), ("for", 5), ("title", 20))


class AnnouncementsScreen(WritingScreen):
    COLUMNS = Columns(ANNOUNCEMENT_COLUMNS, NARROW_ANNOUNCEMENT_COLUMNS, "title", "ann.col")
    TABLE_ID = "ann-table"
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

    def compose_body(self) -> Iterable[Widget]:
        yield row_table("ann-table")
        yield ReadingPane(id="ann-body", classes="detail")
        yield ComposeArea(id="ann-text")
        yield EditLine(id="ann-edit", max_length=messages.BODY_MAX)

    def on_mount(self) -> None:
        self.show_table()
        self.load()

    def refill(self) -> None:
        fill_rows(self.table, ((str(a.id), self._row(a)) for a in self.rows))

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

    @work(thread=True, exclusive=True, group="announcements")
    def load(self) -> None:
        rows = self.call_service(messages.announcements, self.actor)
        if not isinstance(rows, Outcome):
            self.deliver(self._show, rows)

    def _show(self, rows: list[AnnouncementView]) -> None:
        self.rows = rows
        self.refill()
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

    def action_publish(self) -> None:
        if self.composing:
            return
        self.draft = {}
        self.class_id = None
        self.edit_line.open("title", t("ann.title_prompt"), "")

    def on_edit_line_done(self, event: EditLine.Done) -> None:
        event.stop()
        if event.purpose == "title":
            self.draft["title"] = event.value
            self.edit_line.open("class", t("ann.class_prompt"), "")
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
        self.start_writing(t("ann.writing_hint", title=self.draft.get("title", "")))

    def on_compose_area_send(self, event: ComposeArea.Send) -> None:
        event.stop()
        self.publish(dict(self.draft), self.class_id, event.area.text)

    @work(thread=True, exclusive=True, group="announcement-publish")
    def publish(self, draft: dict[str, str], class_id: int | None, body: str) -> None:
        result = self.call_service(
            messages.publish_announcement, self.actor, draft.get("title", ""), body, class_id=class_id
        )
        if not isinstance(result, Outcome):
            self.deliver(self._published, result)

    def _published(self, a: AnnouncementView) -> None:
        self.end_writing(t("ann.published", title=a.title))
        self._notice = t("ann.published", title=a.title)  # kept over the count the reload shows
        self.load()
