"""«Журнал изменений»: the last 200 audit rows (who, when, what, old → new), read-only."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.binding import BindingType
from textual.widget import Widget
from textual.widgets import DataTable

from tui_journal.i18n import t
from tui_journal.keymap import bind
from tui_journal.screens.base import FAILED, JournalScreen
from tui_journal.screens.common import add_columns, row_table
from tui_journal.services import audit
from tui_journal.services.audit import AuditRow
from tui_journal.widgets.titlebar import TitleBar

LIMIT = 200
VALUE_WIDTH = 40  # long values are cut (the columns show less; the rest is for a detail view)


# The first six columns fit 80 columns (each cell has 1 space of padding on each side, the
# scrollbar takes 1): 11 + 9 + 16 + 10 + 10 + 10 + 6 × 2 = 78. The action and the origin are
# to the right; the status line shows the highlighted row in full.
COLUMNS = (
    ("at", 11),
    ("who", 9),
    ("entity", 16),
    ("field", 10),
    ("old", 10),
    ("new", 10),
    ("action", 9),
    ("origin", 6),
)


def translated(prefix: str, value: str) -> str:
    """``audit.<prefix>.<value>`` when the catalogue has it, else the stored value as it is."""
    key = f"{prefix}.{value}"
    name = t(key)
    return value if name == key else name


def cut(value: str | None, width: int = VALUE_WIDTH) -> Text:
    """Plain text (never markup), one line, at most ``width`` characters."""
    text = "" if value is None else " ".join(str(value).split())
    if len(text) > width:
        text = text[: width - 1] + "…"
    return Text(text)


class AuditScreen(JournalScreen):
    TITLE_KEY: ClassVar[str] = "section.audit"
    HELP_KEY: ClassVar[str] = "audit"
    DEFAULT_CLASSES = "full-width"  # app.tcss: the table takes the whole width

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("audit.refresh", "f5", "refresh", t("key.refresh"), key_display="F5"),
    ]

    def compose_body(self) -> Iterable[Widget]:
        table = row_table("audit-table")
        yield table

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[AuditRow] = []

    def on_mount(self) -> None:
        table = self.query_one("#audit-table", DataTable)
        add_columns(table, COLUMNS, "audit")
        table.focus()
        self.load()

    def action_refresh(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="audit")
    def load(self) -> None:
        rows = self.call_service(audit.list_entries, self.actor, limit=LIMIT)
        if rows is not FAILED:
            self.deliver(self._show, rows)

    def _show(self, rows: list[AuditRow]) -> None:
        self.rows = rows
        table = self.query_one("#audit-table", DataTable)
        with self.app.batch_update():
            table.clear()
            for row in rows:
                entity = f"{translated('audit.entity', row.entity)} {row.entity_id}".strip()
                table.add_row(
                    Text(row.at.strftime("%d.%m %H:%M")),
                    cut(row.actor),
                    cut(entity),
                    cut(translated("audit.field", row.field)),
                    cut(row.old),
                    cut(row.new),
                    Text(translated("audit.action", row.action)),
                    cut(row.origin),
                )
        count = t("audit.count", n=len(rows)) if rows else t("audit.empty")
        self.query_one(TitleBar).set_screen_title(f"{t('section.audit')} · {count}")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The highlighted row in full on the status line (the columns show only its start)."""
        event.stop()
        if 0 <= event.cursor_row < len(self.rows):
            self.set_status(describe(self.rows[event.cursor_row]))


def describe(row: AuditRow) -> str:
    """One line: when, who (from where), what, which field, old → new. Plain text."""
    parts = [row.at.strftime("%d.%m.%Y %H:%M"), row.actor]
    if row.origin or row.address:
        parts.append(f"({' '.join(p for p in (row.origin, row.address) if p)})")
    parts.append(translated("audit.action", row.action))
    parts.append(f"{translated('audit.entity', row.entity)} {row.entity_id}".strip())
    if row.field:
        parts.append(translated("audit.field", row.field) + ":")
    change = " → ".join(v for v in (row.old or "", row.new or "") if v) if row.old else (row.new or "")
    if change:
        parts.append(" ".join(change.split()))
    return " ".join(parts)
