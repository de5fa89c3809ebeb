"""The journal chooser: «класс — предмет» for the grade grid, or for the thematic plan.

Lists :func:`~tui_journal.services.journal.my_journals`; typing filters the list (a deputy
sees every journal of the school), Enter opens the chosen one. Opening the chooser also
saves what an earlier session left in the pending queue.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from tui_journal.i18n import t
from tui_journal.keymap import bind
from tui_journal.screens.base import FAILED, JournalScreen
from tui_journal.screens.grid_lane import flush_pending
from tui_journal.services import journal
from tui_journal.services.journal import JournalRef
from tui_journal.widgets.inputs import JournalInput


class JournalList(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("journal_list.select", "enter", "select", t("key.open"), key_display="Enter"),
    ]


def matches(ref: JournalRef, words: list[str]) -> bool:
    """Every typed word starts a word of «7А (1 группа) — Математика» (case-insensitive):
    «7а мат» finds mathematics, not informatics."""
    title_words = re.findall(r"\w+", ref.title.casefold())
    return all(any(tw.startswith(w) for tw in title_words) for w in (re.sub(r"\W+", "", w) for w in words) if w)


class JournalPickScreen(JournalScreen):
    """Pick a journal; Enter opens its grade grid."""

    TITLE_KEY: ClassVar[str] = "section.journal"
    HELP_KEY: ClassVar[str] = "journal_pick"
    #: Only journals the actor may write (the plan is edited by the subject's teacher).
    WRITABLE_ONLY: ClassVar[bool] = False

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("journal_pick.to_list", "down", "to_list", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[JournalRef] = []
        self.shown: list[JournalRef] = []

    def compose_body(self) -> Iterable[Widget]:
        with Horizontal(classes="field", id="pick-filter-row"):
            yield Label(t("key.search"), classes="field-label")
            yield JournalInput(id="pick-filter", placeholder=t("pick.search"), max_length=40)
        yield JournalList(id="pick-list", classes="list")

    def on_mount(self) -> None:
        self.set_status(t("loading"))
        self.query_one("#pick-filter", JournalInput).focus()
        flush_pending(self.app)
        self.load()

    @work(thread=True, exclusive=True, group="journal-pick")
    def load(self) -> None:
        refs = self.call_service(journal.my_journals, self.actor)
        if refs is not FAILED:
            self.deliver(self._show, refs)

    def _show(self, refs: list[JournalRef]) -> None:
        if self.WRITABLE_ONLY:
            refs = [r for r in refs if r.writable]
        # his own journals first, then the ones he only reads (a class teacher's class)
        refs = [r for r in refs if r.writable] + [r for r in refs if not r.writable]
        self.refs = refs
        self._filter(self.query_one("#pick-filter", JournalInput).value)
        if not refs:
            self.set_status(t("pick.none"))
        else:
            self.set_status(t("pick.count", n=len(refs)))

    def _filter(self, text: str) -> None:
        words = text.casefold().split()
        self.shown = [r for r in self.refs if matches(r, words)]
        options = self.query_one(JournalList)
        options.clear_options()
        options.add_options(
            [
                Option(Text(r.title + ("" if r.writable else f" ({t('pick.read_only')})")), id=str(i))
                for i, r in enumerate(self.shown)
            ]
        )
        if self.shown:
            options.highlighted = 0

    def on_input_changed(self, event: JournalInput.Changed) -> None:
        if event.input.id == "pick-filter":
            event.stop()
            self._filter(event.value)

    def on_input_submitted(self, event: JournalInput.Submitted) -> None:
        event.stop()
        options = self.query_one(JournalList)
        index = options.highlighted if options.highlighted is not None else 0
        if 0 <= index < len(self.shown):
            self.open(self.shown[index])

    def action_to_list(self) -> None:
        self.query_one(JournalList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        index = int(event.option_id or -1)
        if 0 <= index < len(self.shown):
            self.open(self.shown[index])

    def open(self, ref: JournalRef) -> None:
        from tui_journal.screens.journal_grid import JournalGridScreen

        self.app.push_screen(JournalGridScreen(ref))


class PlanPickScreen(JournalPickScreen):
    """Pick one of the teacher's own journals; Enter opens its thematic plan."""

    TITLE_KEY: ClassVar[str] = "section.plan"
    WRITABLE_ONLY: ClassVar[bool] = True

    def open(self, ref: JournalRef) -> None:
        from tui_journal.screens.plan import PlanScreen

        self.app.push_screen(PlanScreen(ref))
