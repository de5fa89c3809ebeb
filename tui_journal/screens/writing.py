"""Writing a long text on a list screen (a message, an announcement): the docked edit line asks
the short things first, then a multi-line area takes the list's place (the screen's
``-writing`` class, see app.tcss); F2 sends, and Esc on a written text asks before it is
dropped (Enter — drop it, Esc — go on writing). One copy for «Сообщения» and «Объявления»."""

from __future__ import annotations

from tui_journal.i18n import t
from tui_journal.screens.common import ResponsiveColumns
from tui_journal.widgets.edit_line import EditLine
from tui_journal.widgets.reading import ComposeArea, ReadingPane

WRITING_CLASS = "-writing"


class WritingScreen(ResponsiveColumns):
    """A list of texts with one :class:`ReadingPane` under it, one :class:`EditLine` and one
    :class:`ComposeArea`; the screen says what ``end_writing`` puts back and what a sent
    text does."""

    @property
    def reading(self) -> ReadingPane:
        return self.query_one(ReadingPane)

    @property
    def edit_line(self) -> EditLine:
        return self.query_one(EditLine)

    @property
    def compose_area(self) -> ComposeArea:
        return self.query_one(ComposeArea)

    @property
    def writing(self) -> bool:
        return self.has_class(WRITING_CLASS)

    @property
    def composing(self) -> bool:
        """The edit line asks something or the text is being written."""
        return self.edit_line.is_open or self.writing

    def start_writing(self, hint: str) -> None:
        """The body: the multi-line area in place of the list; ``hint`` on the status line."""
        self.edit_line.close()
        self.add_class(WRITING_CLASS)
        self.compose_area.focus()
        self.set_status(hint)

    def end_writing(self, message: str = "") -> None:
        """Back to the list (the text dropped or sent); ``message`` on the status line."""
        self.edit_line.close()
        self.remove_class(WRITING_CLASS)
        self.compose_area.load_text("")
        self.table.focus()
        if message:
            self.set_status(message)

    def on_edit_line_cancelled(self, event: EditLine.Cancelled) -> None:
        event.stop()
        self.end_writing(t("msg.cancelled"))

    def on_compose_area_cancel(self, event: ComposeArea.Cancel) -> None:
        """Esc in the text: dropped at once when empty; a written text only when the user says
        so (asked once: Enter — drop it, Esc — go on writing)."""
        event.stop()
        if not event.area.text.strip():
            self.end_writing(t("msg.cancelled"))
            return
        self.confirm(t("msg.drop_ask"), lambda: self.end_writing(t("msg.cancelled")))

    def go_back(self) -> None:
        if self.writing:
            self.on_compose_area_cancel(ComposeArea.Cancel(self.compose_area))
            return
        if self.edit_line.is_open:
            self.end_writing(t("msg.cancelled"))
            return
        super().go_back()
