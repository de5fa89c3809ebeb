"""«Тематическое планирование» (КТП) of one journal: edit, import, lay onto the lessons.

The table lists the topics with their hours, kind and how many lessons were held on each;
the line above it compares the plan's hours with the curriculum's and counts the lessons
held. Everything is edited in the edit line under the table («тема; часы; вид»), never in
a dialog. Deleting asks for a second Delete.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual import events, work
from textual.binding import BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import DataTable, Static, TextArea

from tui_journal.domain.text import format_decimal
from tui_journal.i18n import t
from tui_journal.keymap import bind
from tui_journal.screens.base import FAILED, JournalScreen
from tui_journal.screens.common import add_columns
from tui_journal.services import plan as plan_service
from tui_journal.services.errors import InvalidInput
from tui_journal.services.journal import JournalRef
from tui_journal.services.plan import ImportedTopic, PlanRow, PlanSummary, normalize_kind
from tui_journal.widgets.edit_line import EditLine

KIND_SHORT = {"обычный": "", "практическая": "практ.", "лабораторная": "лаб.", "контрольная": "контр."}


def hours_text(hours: float) -> str:
    return str(int(hours)) if float(hours).is_integer() else format_decimal(hours, 1)


def parse_item(value: str) -> tuple[str, float, str]:
    """«Дроби; 2; контр» → (topic, hours, kind); raises InvalidInput with a Russian message."""
    parts = [p.strip() for p in value.split(";")]
    if len(parts) > 3:
        parts = [";".join(parts[:-2]), parts[-2], parts[-1]]
    topic = parts[0]
    hours_raw = parts[1] if len(parts) > 1 and parts[1] else "1"
    try:
        hours = float(hours_raw.replace(",", "."))
    except ValueError:
        raise InvalidInput(t("plan.bad_hours", text=hours_raw)) from None
    kind = normalize_kind(parts[2] if len(parts) > 2 else "")
    if not topic:
        raise InvalidInput(t("plan.empty_topic"))
    return topic, hours, kind


def item_text(row: PlanRow) -> str:
    kind = "" if row.kind == "обычный" else f"; {row.kind}"
    return f"{row.topic}; {hours_text(row.hours)}{kind}"


def summary_text(summary: PlanSummary) -> str:
    plan_hours = hours_text(summary.plan_hours)
    if summary.curriculum_hours is None:
        hours = t("plan.hours_no_curriculum", plan=plan_hours)
    elif summary.hours_match:
        hours = t("plan.hours_match", plan=plan_hours)
    else:
        hours = t("plan.hours_mismatch", plan=plan_hours, curriculum=hours_text(summary.curriculum_hours))
    held = t("plan.held", held=summary.lessons_held, total=summary.lessons_total)
    return f"{hours} · {held}"


class PlanTable(DataTable[Text]):
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("plan_table.screen_edit", "enter", "screen.edit", show=False),
    ]


class PasteBox(TextArea):
    """The import box: rows pasted from a spreadsheet (bracketed paste) or typed, checked by
    the plan service's parser. Nothing in it is ever taken for a file name."""

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("paste_box.submit", "f2,ctrl+s", "submit", show=False),
        bind("paste_box.cancel", "escape", "cancel", show=False),
    ]

    class Submitted(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Cancelled(Message):
        pass

    cursor_blink = reactive(False, init=False)  # a blinking cursor costs bytes every second

    def on_paste(self, event: events.Paste) -> None:
        # TextArea._on_paste inserts the text after this handler; check it right after that
        event.stop()
        self.call_later(self.action_submit)

    def action_submit(self) -> None:
        self.post_message(self.Submitted(self.text))

    def action_cancel(self) -> None:
        self.post_message(self.Cancelled())


class PlanScreen(JournalScreen):
    TITLE_KEY: ClassVar[str] = "section.plan"
    HELP_KEY: ClassVar[str] = "plan"

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("plan.back", "escape", "back", t("key.back"), show=False),  # room in the footer
        bind("plan.edit", "f2", "edit", t("key.plan.edit"), key_display="F2"),
        bind("plan.add", "insert,ctrl+n", "add", t("key.plan.add"), key_display="Ins"),
        bind("plan.delete", "delete", "delete", t("key.plan.delete"), key_display="Del"),
        bind("plan.move_prev", "ctrl+up,alt+up", "move(-1)", t("key.plan.up"), key_display="^↑", show=False),
        bind("plan.move_next", "ctrl+down,alt+down", "move(1)", t("key.plan.move"), show=False),
        bind("plan.import", "f4", "import", t("key.plan.import"), key_display="F4"),
        bind("plan.lay", "f6", "lay", t("key.plan.lay"), key_display="F6"),
        bind("plan.restore", "f7", "restore", t("key.plan.restore"), key_display="F7"),
    ]

    def __init__(self, ref: JournalRef) -> None:
        super().__init__()
        self.ref = ref
        self.summary: PlanSummary | None = None
        self._delete_armed: int | None = None
        self._focus_item: int | None = None
        self._pending: list[ImportedTopic] | None = None  # checked topics awaiting Enter

    def compose_body(self) -> Iterable[Widget]:
        yield Static(Text(self.ref.title), id="plan-head", classes="head")
        yield Static("", id="plan-summary")
        table: PlanTable = PlanTable(id="plan-table", cursor_type="row", zebra_stripes=False)
        yield table
        yield PasteBox(id="plan-paste", soft_wrap=False, show_line_numbers=True, compact=True)
        yield Static("", id="plan-paste-errors")
        yield EditLine(id="plan-edit")

    @property
    def table(self) -> PlanTable:
        return self.query_one(PlanTable)

    @property
    def edit_line(self) -> EditLine:
        return self.query_one(EditLine)

    def on_mount(self) -> None:
        table = self.table
        add_columns(table, (("n", 3), ("topic", 44), ("hours", 4), ("kind", 6), ("held", 6)), "plan.col")
        table.focus()
        self.set_status(t("loading"))
        self.load()

    # --- loading ----------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="plan-load")
    def load(self, message: str = "", error: bool = False) -> None:
        ref = self.ref
        summary = self.call_service(
            plan_service.plan_summary, self.actor, ref.class_id, ref.subject_id, ref.group_id
        )
        if summary is not FAILED:
            self.deliver(self._show, summary, message, error)

    def _show(self, summary: PlanSummary, message: str, error: bool) -> None:
        before = self.current()  # the row selected in the list being replaced
        first_load = self.summary is None
        self.summary = summary
        table = self.table
        cursor = table.cursor_row
        with self.app.batch_update():
            table.clear()
            for row in summary.rows:
                held = f"{row.held}/{hours_text(row.hours)}"
                table.add_row(
                    Text(str(row.ordinal)),
                    Text(row.topic),
                    Text(hours_text(row.hours)),
                    Text(KIND_SHORT.get(row.kind, row.kind)),
                    Text(held, style="bold" if row.held >= row.hours else ""),
                    key=str(row.id),
                )
        self.query_one("#plan-summary", Static).update(Text(summary_text(summary)))
        if self._focus_item is None and before is not None:
            self._focus_item = before.id  # the same topic stays selected after a refresh
        if first_load and self._focus_item is None:
            # the list opens on the first topic not yet held (where the teacher is in the plan)
            self._focus_item = next((r.id for r in summary.rows if r.held < r.hours), None)
        if self._focus_item is not None:
            index = next((i for i, r in enumerate(summary.rows) if r.id == self._focus_item), None)
            self._focus_item = None
            if index is not None:
                cursor = index
        if summary.rows:
            table.move_cursor(row=max(0, min(cursor, len(summary.rows) - 1)))
        if message:
            self.set_status(message, error=error)
        elif not summary.rows:
            self.set_status(t("plan.empty"))
        else:
            self.set_status(t("plan.keys"))

    def current(self) -> PlanRow | None:
        summary = self.summary
        if summary is None or not summary.rows:
            return None
        index = self.table.cursor_row
        return summary.rows[index] if 0 <= index < len(summary.rows) else None

    # --- the edit line ------------------------------------------------------------------

    def _open(self, purpose: str, prompt: str, value: str, hint: str) -> None:
        self._delete_armed = None
        self.edit_line.open(purpose, prompt, value)
        self.set_status(hint)

    def action_add(self) -> None:
        self._open("add", t("plan.add_prompt"), "", t("plan.item_hint"))

    def action_edit(self) -> None:
        row = self.current()
        if row is None:
            self.action_add()
            return
        self._open(
            f"edit:{row.id}", t("plan.edit_prompt", n=row.ordinal), item_text(row), t("plan.item_hint")
        )

    # --- the import box: a plan pasted from a spreadsheet --------------------------------

    @property
    def paste_box(self) -> PasteBox:
        return self.query_one(PasteBox)

    def action_import(self) -> None:
        self._delete_armed = None
        self._pending = None
        self.edit_line.close()
        box = self.paste_box
        box.display = True
        box.focus()
        self.set_status(t("plan.import_hint"))

    def _close_paste(self) -> None:
        box = self.paste_box
        box.display = False
        box.clear()
        self.query_one("#plan-paste-errors", Static).display = False
        self._pending = None

    def on_paste(self, event: events.Paste) -> None:
        # a paste with the box closed opens it: the table has no use for pasted text
        if self.paste_box.display or self.edit_line.is_open:
            return
        event.stop()
        self.action_import()
        self.paste_box.insert(event.text)
        self.paste_box.action_submit()

    def on_paste_box_cancelled(self, event: PasteBox.Cancelled) -> None:
        event.stop()
        self._close_paste()
        self.table.focus()
        self.set_status(t("plan.import_cancelled"))

    def on_paste_box_submitted(self, event: PasteBox.Submitted) -> None:
        event.stop()
        errors = self.query_one("#plan-paste-errors", Static)
        try:
            topics = plan_service.parse_plan_text(event.text)
        except InvalidInput as exc:
            errors.update(Text(exc.message))
            errors.display = True
            self.set_status(t("plan.import_errors"), error=True)
            return
        errors.display = False
        self._pending = topics
        rows = self.summary.rows if self.summary else []
        was = len(rows)
        will = sum(1 for r in rows if r.held > 0) + len(topics)
        if was:
            prompt = t("plan.replace_prompt", was=was, will=will)
            hint = t("plan.replace_confirm", was=was, will=will)
        else:
            prompt, hint = t("plan.import_new_prompt", n=len(topics)), t("plan.import_new_confirm", n=len(topics))
        self._open("import-confirm", prompt, "", hint)

    def action_restore(self) -> None:
        if self.paste_box.display or self.edit_line.is_open:
            return
        previous = self.summary.previous_topics if self.summary else 0
        if not previous:
            self.set_status(t("plan.restore_none"), error=True)
            return
        self._open("restore", t("plan.restore_prompt", n=previous), "", t("plan.restore_confirm", n=previous))

    def on_edit_line_cancelled(self, event: EditLine.Cancelled) -> None:
        event.stop()
        event.edit_line.close()
        if event.purpose == "import-confirm":
            self._pending = None
            self.paste_box.focus()  # back to the pasted rows
            self.set_status(t("plan.import_hint"))
            return
        self.table.focus()
        self.set_status("")

    def on_edit_line_done(self, event: EditLine.Done) -> None:
        event.stop()
        purpose, value = event.purpose, event.value.strip()
        if purpose == "import-confirm":
            topics = self._pending
            self._close_edit()
            self._close_paste()
            if topics:
                self.set_status(t("plan.importing"))
                self.import_topics(topics)
            return
        if purpose == "restore":
            self._close_edit()
            self.restore()
            return
        try:
            topic, hours, kind = parse_item(value)
        except InvalidInput as exc:
            self.set_status(exc.message, error=True)
            return
        self._close_edit()
        if purpose == "add":
            row = self.current()
            self.add(topic, hours, kind, row.ordinal if row else None)
        elif purpose.startswith("edit:"):
            self.update(int(purpose.partition(":")[2]), topic, hours, kind)

    def _close_edit(self) -> None:
        self.edit_line.close()
        self.table.focus()

    def action_back(self) -> None:
        if self.paste_box.display:
            self._close_paste()
            self.table.focus()
            self.set_status(t("plan.import_cancelled"))
            return
        if self.edit_line.is_open:
            self._close_edit()
            self.set_status("")
            return
        super().action_back()

    # --- writes -----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="plan-write")
    def add(self, topic: str, hours: float, kind: str, after: int | None) -> None:
        ref = self.ref
        row = self.call_service(
            plan_service.add_item,
            self.actor,
            ref.class_id,
            ref.subject_id,
            topic,
            hours=hours,
            kind=kind,
            group_id=ref.group_id,
            after_ordinal=after,
        )
        if row is not FAILED:
            self._focus_item = row.id
            self.deliver(self.load, t("plan.added", topic=topic))

    @work(thread=True, exclusive=True, group="plan-write")
    def update(self, item_id: int, topic: str, hours: float, kind: str) -> None:
        row = self.call_service(
            plan_service.update_item, self.actor, item_id, topic=topic, hours=hours, kind=kind
        )
        if row is not FAILED:
            self.deliver(self.load, t("plan.updated", topic=topic))

    def action_delete(self) -> None:
        row = self.current()
        if row is None:
            return
        if self._delete_armed != row.id:
            self._delete_armed = row.id
            self.set_status(t("plan.delete_confirm", topic=row.topic), error=True)
            return
        self._delete_armed = None
        self.delete(row.id, row.topic)

    @work(thread=True, exclusive=True, group="plan-write")
    def delete(self, item_id: int, topic: str) -> None:
        if self.call_service(plan_service.delete_item, self.actor, item_id) is not FAILED:
            self.deliver(self.load, t("plan.deleted", topic=topic))

    def action_move(self, delta: int) -> None:
        row = self.current()
        if row is None:
            return
        self._delete_armed = None
        self._focus_item = row.id
        self.move(row.id, delta)

    @work(thread=True, exclusive=True, group="plan-write")
    def move(self, item_id: int, delta: int) -> None:
        if self.call_service(plan_service.move_item, self.actor, item_id, delta) is not FAILED:
            self.deliver(self.load, t("plan.moved"))

    def _write_plan(self, done_key: str, fn: Callable[..., int], *args: Any, **kwargs: Any) -> None:
        """Runs in a write worker: ``fn`` on this class and subject's whole plan (``args`` after
        the class and the subject), then the plan shown again with ``done_key``'s count."""
        ref = self.ref
        count = self.call_service(fn, self.actor, ref.class_id, ref.subject_id, *args, **kwargs)
        if count is not FAILED:
            self.deliver(self.load, t(done_key, n=count))

    @work(thread=True, exclusive=True, group="plan-write")
    def import_topics(self, topics: Sequence[ImportedTopic]) -> None:
        self._write_plan("plan.imported_paste", plan_service.import_plan, topics, group_id=self.ref.group_id)

    @work(thread=True, exclusive=True, group="plan-write")
    def restore(self) -> None:
        self._write_plan("plan.restored", plan_service.restore_previous_plan, self.ref.group_id)

    def action_lay(self) -> None:
        """F6: count the lessons that would get a topic, then ask once before laying."""
        self._delete_armed = None
        self.set_status(t("plan.laying"))
        self.count_lay()

    @work(thread=True, exclusive=True, group="plan-write")
    def count_lay(self) -> None:
        ref = self.ref
        n = self.call_service(
            plan_service.lay_onto_lessons, self.actor, ref.class_id, ref.subject_id, ref.group_id, dry_run=True
        )
        if n is not FAILED:
            self.deliver(self._ask_lay, n)

    def _ask_lay(self, n: int) -> None:
        if n == 0:
            self.set_status(t("plan.lay_nothing"))
            return

        def go() -> None:
            self.set_status(t("plan.laying"))
            self.lay()

        self.confirm(t("plan.lay_ask", n=n), go, on_cancel=self.say_kept)

    @work(thread=True, exclusive=True, group="plan-write")
    def lay(self) -> None:
        self._write_plan("plan.laid", plan_service.lay_onto_lessons, self.ref.group_id)

    def on_key(self, event: object) -> None:
        # any key other than Delete disarms the delete confirmation
        key = getattr(event, "key", "")
        if key != "delete":
            self._delete_armed = None
