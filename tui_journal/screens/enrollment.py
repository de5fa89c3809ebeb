"""«Учащиеся: поиск и движение»: the secretary's one screen (R-SEC-1).

Typing part of a surname finds a pupil anywhere in the school (search-as-you-type in a
thread worker); F2 opens a one-line-per-field form for a new pupil, F3/F4/F5 arrival,
departure and transfer of the selected pupil; Enter saves, Esc closes the form. No mouse,
no second screen: the form is docked under the list at 80x24.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import DataTable, Label, Static

from tui_journal import clock
from tui_journal.domain import ru_words as words
from tui_journal.i18n import t
from tui_journal.keymap import bind
from tui_journal.screens.base import FAILED
from tui_journal.screens.common import Debounce, SearchWithForm, add_columns, row_table, select_row
from tui_journal.services import enrollment, school_data, setup
from tui_journal.services.enrollment import NewPupil, StudentCard, StudentHit
from tui_journal.services.errors import InvalidInput
from tui_journal.widgets.inputs import JournalInput

SEARCH_DEBOUNCE_SECONDS = 0.1
# 40 + 10 + 22 + 3 × 2 of padding + 1 of scrollbar = 79 columns.
COLUMNS = (("name", 40), ("birth", 10), ("class", 22))
FIELDS = ("last", "first", "middle", "birth", "sex", "file", "class", "date", "order", "where", "parents")
MODES: dict[str, tuple[str, ...]] = {
    "new": ("last", "first", "middle", "birth", "sex", "file", "class", "date", "order", "where", "parents"),
    "arrive": ("class", "date", "order", "where"),
    "depart": ("date", "order", "where"),
    "transfer": ("class", "date", "order"),
}
LABELS = {
    "last": "enr.f.last", "first": "enr.f.first", "middle": "enr.f.middle", "birth": "enr.f.birth",
    "sex": "enr.f.sex", "class": "enr.f.class", "date": "enr.f.date", "order": "enr.f.order",
    "where": "enr.f.from", "parents": "enr.f.parents", "file": "enr.f.file",
}


#: What the status line says after a save, in the pupil's gender («Зачислена»).
SAVED_VERBS = {"new": "зачислен", "arrive": "прибыл", "depart": "выбыл", "transfer": "переведён"}


def _label(mode: str, key: str) -> str:
    if key == "where" and mode == "depart":
        return t("enr.f.to")
    if key == "class" and mode == "transfer":
        return t("enr.f.to_class")
    return t(LABELS[key])


class EnrollmentScreen(SearchWithForm):
    SEARCH_ID = "enr-search"
    FORM_ID = "enr-form"
    FOCUS_AFTER_FORM = "enr-search"
    TITLE_KEY: ClassVar[str] = "section.enrollment"
    HELP_KEY: ClassVar[str] = "enrollment"

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("enrollment.open_form_new", "f2", "open_form('new')", t("key.enr_new"), key_display="F2"),
        bind("enrollment.open_form_arrive", "f3", "open_form('arrive')", t("key.enr_arrive"), key_display="F3"),
        bind("enrollment.open_form_depart", "f4", "open_form('depart')", t("key.enr_depart"), key_display="F4"),
        bind("enrollment.open_form_transfer", "f5", "open_form('transfer')", t("key.enr_transfer"), key_display="F5"),
        bind("enrollment.open_card", "f6", "open_card", t("key.enr_card"), key_display="F6"),
        bind("enrollment.to_table", "down", "to_table", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._search_later = Debounce(self, SEARCH_DEBOUNCE_SECONDS, self.search)
        self.target: StudentHit | None = None  # the pupil the open form acts on
        self.hits: list[StudentHit] = []
        self.shown_search: str | None = None
        self._quiet: str | None = None  # a search run after a save: keep the save's message
        self._opened_with: dict[str, str] = {}  # the form's lines as opened (Esc asks if changed)

    # --- layout -------------------------------------------------------------------------

    def compose_body(self) -> Iterable[Widget]:
        with Horizontal(id="enr-search-row", classes="filter-row"):
            yield Label(t("enr.search") + ": ", classes="field-label")
            yield JournalInput(id="enr-search", placeholder=t("enr.search_placeholder"), max_length=64)
        yield row_table("enr-table")
        with Vertical(id="enr-form", classes="docked-form"):
            yield Static("", id="enr-form-title", classes="form-title")
            for key in FIELDS:
                with Horizontal(classes="form-row", id=f"enr-row-{key}"):
                    yield Label(t(LABELS[key]), id=f"enr-label-{key}")
                    yield JournalInput(id=f"enr-f-{key}", max_length=200)

    def on_mount(self) -> None:
        add_columns(self.query_one("#enr-table", DataTable), COLUMNS, "enr.col")
        self.query_one("#enr-f-parents", JournalInput).placeholder = t("enr.parents_hint")
        self.query_one("#enr-f-file", JournalInput).placeholder = t("enr.file_hint")
        self.query_one("#enr-search", JournalInput).focus()

    # --- search ---------------------------------------------------------------------------

    def on_input_changed(self, event: JournalInput.Changed) -> None:
        if event.input.id != "enr-search":
            return
        event.stop()
        self._search_later(event.value)

    @work(thread=True, exclusive=True, group="enr-search")
    def search(self, text: str) -> None:
        hits = self.call_service(enrollment.search_students, self.actor, text)
        if hits is not FAILED:
            self.deliver(self._show, text, hits)

    def _show(self, text: str, hits: list[StudentHit]) -> None:
        table = self.query_one("#enr-table", DataTable)
        before = self._selected()
        old_row = table.cursor_row
        with self.app.batch_update():
            table.clear()
            for hit in hits:
                table.add_row(
                    Text(hit.full_name),
                    Text(f"{hit.birth_date:%d.%m.%Y}" if hit.birth_date else ""),
                    Text(hit.status),
                    key=str(hit.id),
                )
            # the same pupil stays selected after a refresh (by id), else his neighbour
            select_row(table, [str(h.id) for h in hits], str(before.id) if before else None, old_row)
        self.hits = hits
        self.shown_search = text
        if self._quiet is not None and text == self._quiet:
            self._quiet = None
        elif text.strip() and self.mode is None:
            self.set_status(t("enr.found", n=len(hits)) if hits else t("enr.none"))

    def action_to_table(self) -> None:
        if self.mode is None:
            self.query_one("#enr-table", DataTable).focus()

    def action_open_card(self) -> None:
        """F6: the selected pupil's personal card and his parents' contacts (R-CT-2)."""
        hit = self._selected()
        if hit is None:
            self.set_status(t("enr.pick_first"), error=True)
            return
        from tui_journal.screens.student_card import StudentCardScreen

        self.app.push_screen(StudentCardScreen(hit.id))

    def _selected(self) -> StudentHit | None:
        table = self.query_one("#enr-table", DataTable)
        if not self.hits or table.cursor_row < 0 or table.cursor_row >= len(self.hits):
            return None
        return self.hits[table.cursor_row]

    # --- the form ---------------------------------------------------------------------------

    def action_open_form(self, mode: str) -> None:
        target = None
        if mode != "new":
            target = self._selected()
            if target is None:
                self.set_status(t("enr.pick"), error=True)
                return
        self.target = target
        self.show_form(mode)
        keys = MODES[mode]
        title = t("enr.mode.new") if mode == "new" else t(f"enr.mode.{mode}", name=target.full_name if target else "")
        self.query_one("#enr-form-title", Static).update(Text(title))
        today = clock.today().strftime("%d.%m.%Y")
        for key in FIELDS:
            row = self.query_one(f"#enr-row-{key}")
            row.display = key in keys
            self.query_one(f"#enr-label-{key}", Label).update(_label(mode, key))
            field = self.query_one(f"#enr-f-{key}", JournalInput)
            field.value = today if key == "date" else ""
        self.query_one(f"#enr-f-{keys[0]}", JournalInput).focus()
        self._opened_with = self._form_values()
        self.set_status("")

    def _form_values(self) -> dict[str, str]:
        if self.mode is None:
            return {}
        return {key: self.query_one(f"#enr-f-{key}", JournalInput).value for key in MODES[self.mode]}

    def close_form(self) -> None:
        self.target = None
        super().close_form()

    def form_changed(self) -> bool:
        """The lines differ from what the form opened with (a date filled in is not typing)."""
        return self._form_values() != self._opened_with

    def submit_form(self) -> None:
        if self.mode is None:
            return
        mode, target = self.mode, self.target
        values = {key: self.query_one(f"#enr-f-{key}", JournalInput).value for key in MODES[mode]}

        def go() -> None:
            self.set_status(t("enr.saving"))
            self.save(mode, values, target.id if target else None)

        if mode in ("depart", "transfer") and target is not None:
            # a pupil leaving the school or the class: say who, where, when, and ask once
            self.confirm(
                t(
                    f"enr.confirm.{mode}",
                    name=target.full_name,
                    cls=target.class_name or target.status,
                    date=values.get("date", "").strip() or clock.today().strftime("%d.%m.%Y"),
                    order=values.get("order", "").strip() or t("enr.no_order"),
                    to=values.get("class", "").strip(),
                ),
                go,
                on_cancel=self.say_kept,
            )
            return
        go()

    @work(thread=True, exclusive=True, group="enr-save")
    def save(self, mode: str, values: dict[str, str], student_id: int | None) -> None:
        result = self.call_service(self._apply, mode, values, student_id)
        if result is not FAILED:
            self.deliver(self._saved, mode, result)

    def _apply(self, mode: str, values: dict[str, str], student_id: int | None) -> StudentCard:
        """Runs in the worker: turns the typed lines into a service call (errors: InvalidInput)."""
        actor = self.actor
        if "class" in values and not values["class"].strip():
            raise InvalidInput(t("enr.need_class"))
        on = school_data.parse_date(values["date"]) if values.get("date", "").strip() else clock.today()
        if mode == "new":
            cls = setup.find_class(actor, values["class"])
            birth = school_data.parse_date(values["birth"]) if values["birth"].strip() else None
            pupil = NewPupil(
                values["last"], values["first"], values["middle"], birth, values["sex"],
                enrollment.parse_parents(values["parents"]), personal_file_no=values["file"],
            )
            return enrollment.enroll_new(actor, pupil, cls.id, on, values["order"], came_from=values["where"])
        assert student_id is not None
        if mode == "arrive":
            cls = setup.find_class(actor, values["class"])
            return enrollment.arrive(actor, student_id, cls.id, on, values["order"], came_from=values["where"])
        if mode == "depart":
            return enrollment.depart(actor, student_id, on, values["order"], went_to=values["where"])
        cls = setup.find_class(actor, values["class"])
        return enrollment.transfer(actor, student_id, cls.id, on, values["order"])

    def _saved(self, mode: str, card: StudentCard) -> None:
        self.close_form()
        if mode != "new" and self.hits:
            self.query_one("#enr-table", DataTable).focus()  # on the same pupil, refreshed
        sex = words.sex_of(card.middle_name, card.sex)
        verb = words.gendered(SAVED_VERBS[mode], sex).capitalize()
        message = t("enr.saved_as", verb=verb, name=card.full_name, cls=card.class_name)
        if mode == "new" and card.personal_file_no:
            message += t("enr.saved_file", number=card.personal_file_no)
        self.set_status(message.replace(", )", ")").rstrip(", "))
        search = self.query_one("#enr-search", JournalInput)
        if mode == "new" and search.value != card.last_name:
            self._quiet = card.last_name
            search.value = card.last_name  # shows the new pupil (the change event searches)
        else:
            self._quiet = search.value
            self.search(search.value)
