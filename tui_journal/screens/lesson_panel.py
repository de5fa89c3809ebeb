"""The lesson panel: topic (from the thematic plan or typed), kinds of work, homework
(text, pages, task numbers) for the class, and individual homework for chosen pupils.

Opened from the grade grid with F4 on a lesson's column. F2 or Ctrl+S saves the form;
Enter on a topic of the plan puts it into the topic field; Enter on a pupil in the lower
list opens the edit line for his individual task (saved at once, empty text removes it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from tui_journal.i18n import t
from tui_journal.keymap import bind
from tui_journal.screens.base import FAILED, JournalScreen
from tui_journal.services import journal
from tui_journal.services.journal import LessonInfo
from tui_journal.widgets.edit_line import EditLine
from tui_journal.widgets.inputs import JournalInput

FIELDS = ("topic", "work", "homework", "pages", "tasks", "due")
KIND_SHORT = {"практическая": "практ.", "лабораторная": "лаб.", "контрольная": "контр."}


def parse_due(text: str, lesson_day: dt.date) -> dt.date | None:
    """«11.12», «11.12.2026» or «11.12.26» → a date; the year of «11.12» is the one that
    puts it after the lesson. None when it is not a date."""
    parts = text.replace("/", ".").replace("-", ".").split(".")
    try:
        if len(parts) == 2:
            day = dt.date(lesson_day.year, int(parts[1]), int(parts[0]))
            return day if day > lesson_day else day.replace(year=lesson_day.year + 1)
        if len(parts) == 3:
            year = int(parts[2])
            return dt.date(year + 2000 if year < 100 else year, int(parts[1]), int(parts[0]))
    except ValueError:
        return None
    return None


class PickList(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("pick_list.select", "enter", "select", t("key.lesson.pick"), key_display="Enter"),
    ]


class LessonPanelScreen(JournalScreen):
    TITLE_KEY: ClassVar[str] = "lesson.title"
    HELP_KEY: ClassVar[str] = "lesson"

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("lesson_panel.save", "f2,ctrl+s", "save", t("key.save"), key_display="F2"),
        bind("lesson_panel.take_next", "f3", "take_next", t("key.lesson.next_topic"), key_display="F3"),
    ]

    def __init__(self, lesson_id: int, *, pupils: list[tuple[int, str]] | None = None) -> None:
        super().__init__()
        self.lesson_id = lesson_id
        self.pupils = pupils or []
        self.info: LessonInfo | None = None
        self.plan_item_id: int | None = None
        self.picked_topic: str | None = None
        self.individual: dict[int, str] = {}
        self._pupil_rows: list[tuple[int, str]] = []
        self._saved: dict[str, object] = {}
        self._leave_after_save = False

    def compose_body(self) -> Iterable[Widget]:
        with Vertical(id="lesson-form"):
            yield Static("", id="lesson-head", classes="head")
            for key in ("topic", "work", "homework"):
                with Horizontal(classes="lp-field"):
                    yield Label(t(f"lesson.{key}"), classes="lp-label")
                    yield JournalInput(id=f"lesson-{key}", max_length=500)
            with Horizontal(classes="lp-field"):
                yield Label(t("lesson.pages"), classes="lp-label")
                yield JournalInput(id="lesson-pages", max_length=100)
                yield Label(t("lesson.tasks"), classes="lp-label-narrow")
                yield JournalInput(id="lesson-tasks", max_length=100)
                yield Label(t("lesson.due"), classes="lp-label-narrow")
                yield JournalInput(id="lesson-due", max_length=10, classes="lp-due")
            yield Static(t("lesson.plan_caption"), classes="lp-caption")
            yield PickList(id="lesson-plan", classes="list")
            yield Static(t("lesson.individual_caption"), classes="lp-caption")
            yield PickList(id="lesson-individual", classes="list")
        yield EditLine(id="lesson-edit")

    def on_mount(self) -> None:
        self.set_status(t("loading"))
        self.load()

    def field(self, key: str) -> JournalInput:
        return self.query_one(f"#lesson-{key}", JournalInput)

    @work(thread=True, exclusive=True, group="lesson-load")
    def load(self) -> None:
        info = self.call_service(journal.lesson_info, self.actor, self.lesson_id)
        if info is not FAILED:
            self.deliver(self._show, info)

    def _show(self, info: LessonInfo, *, message: str = "") -> None:
        self.info = info
        self.plan_item_id = info.plan_item_id
        self.picked_topic = None
        head = f"{info.class_name} · {info.subject} · {info.date:%d.%m.%Y}, {t('grid.lesson_no', n=info.number)} · {info.teacher}"
        self.query_one("#lesson-head", Static).update(Text(head, no_wrap=True, overflow="ellipsis"))
        values = {
            "topic": info.topic,
            "work": info.work_done,
            "homework": info.homework,
            "pages": info.homework_pages,
            "tasks": info.homework_tasks,
            "due": f"{info.homework_due:%d.%m.%Y}" if info.homework_due else "",
        }
        for key, value in values.items():
            field = self.field(key)
            field.value = value
            field.disabled = not info.writable or (
                key in ("homework", "pages", "tasks", "due") and not info.marks_allowed
            )
        # empty «к дате»: due at the next lesson of the subject, shown as the hint
        next_day = info.homework_next_lesson
        self.field("due").placeholder = f"{next_day:%d.%m}" if next_day else t("lesson.due_next")
        nxt = self._next_item()
        self.field("topic").placeholder = (
            t("lesson.next_placeholder", ordinal=nxt[1], topic=nxt[2]) if nxt and info.writable else ""
        )
        plan = self.query_one("#lesson-plan", PickList)
        plan.clear_options()
        for item_id, ordinal, topic, kind in info.plan:
            mark = "► " if item_id == info.plan_item_id else "  "
            kind_text = f" ({KIND_SHORT[kind]})" if kind in KIND_SHORT else ""
            plan.add_option(Option(Text(f"{mark}{ordinal}. {topic}{kind_text}"), id=str(item_id)))
        # the list opens on a row: the lesson's item, else the next one not held yet
        wanted = info.plan_item_id if info.plan_item_id is not None else info.next_plan_item_id
        index = next((i for i, p in enumerate(info.plan) if p[0] == wanted), 0)
        if info.plan:
            plan.highlighted = index
            plan.call_after_refresh(plan.scroll_to_highlight, top=True)  # the offered topic in view
        self.individual = {sid: text for sid, _, text in info.individual}
        known = {sid for sid, _ in self.pupils}
        extra = [(sid, name) for sid, name, _ in info.individual if sid not in known]
        self._pupil_rows = [*self.pupils, *extra]
        self._show_individual()
        self._saved = self._snapshot()
        if message:
            self.set_status(message)
        elif not info.writable:
            self.set_status(t("lesson.read_only"))
        elif not info.marks_allowed:
            self.set_status(t("lesson.no_homework"))
        else:
            late = f" {t('lesson.late')}" if info.homework_late else ""
            self.set_status(t("lesson.keys") + late)
        if info.writable:
            self.field("topic").focus()
        else:
            plan.focus()

    def _show_individual(self) -> None:
        lst = self.query_one("#lesson-individual", PickList)
        highlighted = lst.highlighted
        lst.clear_options()
        for sid, name in self._pupil_rows:
            text = self.individual.get(sid, "")
            line = Text(name)
            if text:
                line.append(f" — {text}", style="bold")
            lst.add_option(Option(line, id=str(sid)))
        if self._pupil_rows:
            keep = highlighted if highlighted is not None and highlighted < len(self._pupil_rows) else 0
            lst.highlighted = keep

    # --- keys -------------------------------------------------------------------------

    def _next_item(self) -> tuple[int, int, str, str] | None:
        info = self.info
        if info is None or info.next_plan_item_id is None:
            return None
        return next((p for p in info.plan if p[0] == info.next_plan_item_id), None)

    def _snapshot(self) -> dict[str, object]:
        values: dict[str, object] = {key: self.field(key).value for key in FIELDS}
        values["plan_item_id"] = self.plan_item_id
        return values

    @property
    def unsaved(self) -> bool:
        return bool(self.info and self.info.writable and self._snapshot() != self._saved)

    def _take_plan_item(self, item: tuple[int, int, str, str]) -> None:
        self.plan_item_id = item[0]
        self.picked_topic = item[2]
        field = self.field("topic")
        field.value = item[2]
        field.cursor_position = len(item[2])
        self.set_status(t("lesson.plan_picked", topic=item[2]))

    def action_take_next(self) -> None:
        """F3: the next topic of the plan not held yet goes into the topic field."""
        info = self.info
        if info is None or not info.writable:
            return
        item = self._next_item()
        if item is None:
            self.set_status(t("lesson.no_next_topic"), error=True)
            return
        self._take_plan_item(item)
        # on to the homework (what comes next in a lesson's record), else the kinds of work
        homework = self.field("homework")
        (self.field("work") if homework.disabled else homework).focus()

    def on_input_submitted(self, event: JournalInput.Submitted) -> None:
        if event.input.id and event.input.id.startswith("lesson-") and event.input.id != "lesson-edit-input":
            event.stop()
            if event.input.id == "lesson-topic" and not event.value.strip() and self._next_item():
                self.action_take_next()  # Enter on an empty topic takes the offered one
                return
            self.focus_next()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        info = self.info
        if info is None:
            return
        if event.option_list.id == "lesson-plan":
            item_id = int(event.option_id or -1)
            item = next((p for p in info.plan if p[0] == item_id), None)
            if item is None:
                return
            self._take_plan_item(item)
            field = self.field("topic")
            if not field.disabled:
                field.focus()
        elif event.option_list.id == "lesson-individual":
            if not info.writable:
                self.set_status(t("lesson.read_only"), error=True)
                return
            if not info.marks_allowed:
                self.set_status(t("lesson.no_homework"), error=True)
                return
            sid = int(event.option_id or -1)
            name = dict(self._pupil_rows).get(sid, "")
            self.query_one(EditLine).open(
                f"individual:{sid}", t("lesson.individual_prompt", name=name), self.individual.get(sid, "")
            )

    def action_save(self, leave: bool = False) -> None:
        self._leave_after_save = leave
        info = self.info
        if info is None:
            return
        if not info.writable:
            self.set_status(t("lesson.read_only"), error=True)
            return
        values = {key: self.field(key).value for key in FIELDS}
        topic = values["topic"]
        plan_item_id = self.plan_item_id
        # a topic typed over the plan's one is the teacher's own: keep the link only when
        # the text is still the plan item's
        plan_topics = {p[0]: p[2] for p in info.plan}
        if plan_item_id is not None and plan_topics.get(plan_item_id) != topic.strip():
            plan_item_id = None
        kwargs: dict[str, object] = {"topic": topic, "work_done": values["work"]}
        if plan_item_id is not None and plan_item_id != info.plan_item_id:
            kwargs["plan_item_id"] = plan_item_id
        if info.marks_allowed:
            kwargs.update(
                homework=values["homework"], homework_pages=values["pages"], homework_tasks=values["tasks"]
            )
            due_text = values["due"].strip()
            if due_text:
                due = parse_due(due_text, info.date)
                if due is None:
                    self.set_status(t("lesson.due_bad", value=due_text), error=True)
                    return
                if due != info.homework_due:
                    kwargs["homework_due"] = due
            elif info.homework_due is not None:
                kwargs["homework_due"] = None
        self.set_status(t("passwd.saving"))
        self.save(kwargs)

    @work(thread=True, exclusive=True, group="lesson-save")
    def save(self, kwargs: dict[str, object]) -> None:
        info = self.call_service(journal.set_lesson_info, self.actor, self.lesson_id, **kwargs)
        if info is not FAILED:
            self.deliver(self._saved_info, info)

    def _saved_info(self, info: LessonInfo) -> None:
        self._show(info, message=t("lesson.saved"))
        if self._leave_after_save:
            self._leave_after_save = False
            self.go_back()

    def on_edit_line_done(self, event: EditLine.Done) -> None:
        event.stop()
        kind, _, rest = event.purpose.partition(":")
        event.edit_line.close()
        self.query_one("#lesson-individual", PickList).focus()
        if kind == "individual":
            self.save_individual(int(rest), event.value.strip())

    def on_edit_line_cancelled(self, event: EditLine.Cancelled) -> None:
        event.stop()
        event.edit_line.close()
        self.query_one("#lesson-individual", PickList).focus()
        self.set_status("")

    @work(thread=True, exclusive=True, group="lesson-individual")
    def save_individual(self, student_id: int, text: str) -> None:
        result = self.call_service(
            journal.set_individual_homework, self.actor, self.lesson_id, student_id, text
        )
        if result is not FAILED:
            self.deliver(self._individual_saved, student_id, text)

    def _individual_saved(self, student_id: int, text: str) -> None:
        if text:
            self.individual[student_id] = text
        else:
            self.individual.pop(student_id, None)
        self._show_individual()
        name = dict(self._pupil_rows).get(student_id, "")
        self.set_status(
            t("lesson.individual_saved", name=name) if text else t("lesson.individual_removed", name=name)
        )

    def action_back(self) -> None:
        edit = self.query_one(EditLine)
        if edit.is_open:
            edit.close()
            return
        if self.unsaved and not self.help_shown:
            self.confirm(
                t("confirm.unsaved"),
                lambda: self.action_save(leave=True),
                on_no=self.go_back,
                on_cancel=lambda: self.set_status(t("lesson.keys")),
            )
            return
        super().action_back()
