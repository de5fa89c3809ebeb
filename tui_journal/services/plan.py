"""The thematic plan (КТП, R-J-6): an ordered list of topics laid onto the year's lessons.

Its hours must equal the curriculum's hours for the year (hours per week × weeks), and it
is laid onto the lessons of the timetable in order; when a lesson falls out (a holiday, a
cancelled lesson) the following topics move forward.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tui_journal.db.models import Curriculum, Lesson, PlanItem, SchoolClass, Subject
from tui_journal.services import access, audit
from tui_journal.services import roles as R
from tui_journal.services.actor import Actor
from tui_journal.services.errors import InvalidInput, NotFound
from tui_journal.services.tx import write_tx

KINDS = ("обычный", "практическая", "лабораторная", "контрольная")
#: Study weeks in a year used to turn hours per week into hours per year.
STUDY_WEEKS = 34


@dataclass(frozen=True)
class PlanRow:
    id: int
    ordinal: int
    topic: str
    hours: float
    kind: str
    held: int  # lessons held on this topic so far


@dataclass(frozen=True)
class PlanSummary:
    rows: list[PlanRow]
    plan_hours: float
    curriculum_hours: float | None  # hours per year by the curriculum, None if not set
    lessons_total: int
    lessons_held: int  # lessons with a topic up to today

    @property
    def hours_match(self) -> bool:
        return self.curriculum_hours is not None and abs(self.plan_hours - self.curriculum_hours) < 1e-6


def _scope(actor: Actor, class_id: int, subject_id: int, group_id: int | None, *, write: bool) -> SchoolClass:
    cls = access.class_in_school(actor, class_id)
    if not Subject.select().where((Subject.id == subject_id) & (Subject.school == actor.school_id)).exists():
        raise NotFound(f"Предмет не найден: {subject_id}")
    if write:
        # the teacher keeps his plan; the admin may load plans for him (tui-journal import plan)
        if not (actor.has(R.ADMIN) or (actor.has(R.TEACHER) and access.teaches(actor, class_id, subject_id, group_id))):
            raise access.deny("тематическое планирование этого класса по этому предмету")
    elif not (actor.school_wide or class_id in access.led_class_ids(actor) | access.taught_class_ids(actor)):
        raise access.deny("тематическое планирование этого класса")
    return cls


def _items(class_id: int, subject_id: int, group_id: int | None) -> list[PlanItem]:
    query = PlanItem.select().where((PlanItem.school_class == class_id) & (PlanItem.subject == subject_id))
    query = query.where(PlanItem.group.is_null() if group_id is None else (PlanItem.group == group_id))
    return list(query.order_by(PlanItem.ordinal, PlanItem.id))


def _lessons(class_id: int, subject_id: int, group_id: int | None) -> list[Lesson]:
    query = Lesson.select().where((Lesson.school_class == class_id) & (Lesson.subject == subject_id))
    query = query.where(Lesson.group.is_null() if group_id is None else (Lesson.group == group_id))
    return list(query.order_by(Lesson.date, Lesson.number))


def plan_summary(actor: Actor, class_id: int, subject_id: int, group_id: int | None = None) -> PlanSummary:
    """The plan with what was held, and whether its hours match the curriculum's."""
    _scope(actor, class_id, subject_id, group_id, write=False)
    items = _items(class_id, subject_id, group_id)
    lessons = _lessons(class_id, subject_id, group_id)
    held: dict[int, int] = {}
    for ls in lessons:
        if ls.plan_item_id is not None and ls.topic_set_at is not None:
            held[ls.plan_item_id] = held.get(ls.plan_item_id, 0) + 1
    cur = Curriculum.get_or_none((Curriculum.school_class == class_id) & (Curriculum.subject == subject_id))
    return PlanSummary(
        rows=[PlanRow(i.id, i.ordinal, i.topic, i.hours, i.kind, held.get(i.id, 0)) for i in items],
        plan_hours=sum(i.hours for i in items),
        curriculum_hours=cur.hours_per_week * STUDY_WEEKS if cur else None,
        lessons_total=len(lessons),
        lessons_held=sum(1 for ls in lessons if ls.topic_set_at is not None),
    )


def _check_item(topic: str, hours: float, kind: str) -> tuple[str, float, str]:
    topic = topic.strip()
    if not topic:
        raise InvalidInput("Тема не может быть пустой")
    if not 0 < hours <= 100:
        raise InvalidInput(f"Число часов должно быть от 0 до 100, а не {hours}")
    kind = (kind or "обычный").strip().lower()
    if kind not in KINDS:
        raise InvalidInput(f"Вид урока «{kind}» неизвестен. Допустимы: {', '.join(KINDS)}")
    return topic, hours, kind


def add_item(
    actor: Actor,
    class_id: int,
    subject_id: int,
    topic: str,
    *,
    hours: float = 1.0,
    kind: str = "обычный",
    group_id: int | None = None,
    after_ordinal: int | None = None,
) -> PlanRow:
    """Add a topic at the end, or after the given position (the rest move down)."""
    _scope(actor, class_id, subject_id, group_id, write=True)
    topic, hours, kind = _check_item(topic, hours, kind)
    with write_tx():
        items = _items(class_id, subject_id, group_id)
        ordinal = (after_ordinal + 1) if after_ordinal is not None else (items[-1].ordinal + 1 if items else 1)
        for item in items:
            if item.ordinal >= ordinal:
                PlanItem.update(ordinal=item.ordinal + 1).where(PlanItem.id == item.id).execute()
        item = PlanItem.create(
            school_class=class_id, subject=subject_id, group=group_id, ordinal=ordinal, topic=topic, hours=hours, kind=kind
        )
        audit.record_creation(actor, "plan_item", item.id, {"topic": topic, "hours": hours, "kind": kind, "ordinal": ordinal})
    return PlanRow(item.id, ordinal, topic, hours, kind, 0)


def _item_in_scope(actor: Actor, item_id: int) -> PlanItem:
    item = PlanItem.get_or_none(PlanItem.id == item_id)
    if item is None:
        raise NotFound(f"Тема плана не найдена: {item_id}")
    _scope(actor, item.school_class_id, item.subject_id, item.group_id, write=True)
    return item


def update_item(
    actor: Actor, item_id: int, *, topic: str | None = None, hours: float | None = None, kind: str | None = None
) -> PlanRow:
    item = _item_in_scope(actor, item_id)
    new_topic, new_hours, new_kind = _check_item(
        topic if topic is not None else item.topic,
        hours if hours is not None else item.hours,
        kind if kind is not None else item.kind,
    )
    with write_tx():
        before = {"topic": item.topic, "hours": item.hours, "kind": item.kind}
        after = {"topic": new_topic, "hours": new_hours, "kind": new_kind}
        PlanItem.update(**after).where(PlanItem.id == item.id).execute()
        audit.record_changes(actor, "plan_item", item.id, before, after)
    return PlanRow(item.id, item.ordinal, new_topic, new_hours, new_kind, 0)


def delete_item(actor: Actor, item_id: int) -> None:
    """Remove a topic; lessons that held it keep their typed topic text."""
    item = _item_in_scope(actor, item_id)
    with write_tx():
        PlanItem.delete().where(PlanItem.id == item.id).execute()
        audit.record(actor, "delete", "plan_item", item.id, "topic", item.topic, None)


def move_item(actor: Actor, item_id: int, delta: int) -> None:
    """Move a topic up (delta < 0) or down (delta > 0) in the order."""
    item = _item_in_scope(actor, item_id)
    with write_tx():
        items = _items(item.school_class_id, item.subject_id, item.group_id)
        index = next(i for i, x in enumerate(items) if x.id == item.id)
        target = max(0, min(len(items) - 1, index + delta))
        if target == index:
            return
        items.insert(target, items.pop(index))
        for ordinal, x in enumerate(items, start=1):
            if x.ordinal != ordinal:
                PlanItem.update(ordinal=ordinal).where(PlanItem.id == x.id).execute()
        audit.record(actor, "update", "plan_item", item.id, "ordinal", item.ordinal, target + 1)


@dataclass(frozen=True)
class ImportedTopic:
    topic: str
    hours: float
    kind: str


def parse_plan_rows(rows: Sequence[Sequence[object]]) -> list[ImportedTopic]:
    """Columns: тема, часы (default 1), вид (default обычный); a header row is skipped.

    Every bad line is reported by number and reason, in Russian, before anything is saved.
    """
    result: list[ImportedTopic] = []
    errors: list[str] = []
    for number, raw in enumerate(rows, start=1):
        cells = [str(c).strip() if c is not None else "" for c in raw]
        if not any(cells):
            continue
        if number == 1 and cells[0].lower() in ("тема", "topic", "№", "n"):
            continue
        topic = cells[0]
        hours_text = cells[1].replace(",", ".") if len(cells) > 1 and cells[1] else "1"
        kind = cells[2] if len(cells) > 2 and cells[2] else "обычный"
        try:
            hours = float(hours_text)
        except ValueError:
            errors.append(f"строка {number}: «{hours_text}» — не число часов")
            continue
        try:
            result.append(ImportedTopic(*_check_item(topic, hours, kind)))
        except InvalidInput as exc:
            errors.append(f"строка {number}: {exc.message}")
    if errors:
        raise InvalidInput("План не загружен:\n" + "\n".join(errors))
    if not result:
        raise InvalidInput("В файле нет ни одной темы")
    return result


def read_plan_file(path: Path) -> list[ImportedTopic]:
    """Read a plan from CSV (UTF-8, comma or semicolon) or XLSX."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True, data_only=True).active
        if sheet is None:
            raise InvalidInput("В книге нет листов")
        return parse_plan_rows([list(r) for r in sheet.iter_rows(values_only=True)])
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput("Файл не в кодировке UTF-8: сохраните его как «CSV UTF-8»") from exc
    dialect = csv.excel
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")  # type: ignore[assignment]
    except csv.Error:
        pass
    return parse_plan_rows(list(csv.reader(io.StringIO(text), dialect)))


def import_plan(
    actor: Actor,
    class_id: int,
    subject_id: int,
    topics: Sequence[ImportedTopic],
    *,
    group_id: int | None = None,
    replace: bool = True,
) -> int:
    """Put the topics in, all or nothing; by default replacing the topics not yet held."""
    _scope(actor, class_id, subject_id, group_id, write=True)
    with write_tx():
        items = _items(class_id, subject_id, group_id)
        used = {
            ls.plan_item_id for ls in _lessons(class_id, subject_id, group_id) if ls.plan_item_id and ls.topic_set_at
        }
        kept = [i for i in items if i.id in used] if replace else items
        if replace:
            for i in items:
                if i.id not in used:
                    PlanItem.delete().where(PlanItem.id == i.id).execute()
        ordinal = max((i.ordinal for i in kept), default=0)
        for topic in topics:
            ordinal += 1
            PlanItem.create(
                school_class=class_id,
                subject=subject_id,
                group=group_id,
                ordinal=ordinal,
                topic=topic.topic,
                hours=topic.hours,
                kind=topic.kind,
            )
        audit.record(actor, "import", "plan", f"{class_id}:{subject_id}:{group_id or '-'}", "topics", len(items), len(kept) + len(topics))
    return len(topics)


def lay_onto_lessons(
    actor: Actor, class_id: int, subject_id: int, group_id: int | None = None, *, dry_run: bool = False
) -> int:
    """Place the plan's topics onto the year's lessons in order (an item of N hours takes N lessons).

    Lessons already held keep their topics; the rest of the plan is laid from the first topic
    not yet held onto the lessons without a topic, so a lesson that fell out pushes the
    following topics forward. Returns the number of lessons that got a topic; with
    ``dry_run`` changes nothing and returns how many would (the screen asks with it).
    """
    _scope(actor, class_id, subject_id, group_id, write=True)
    with write_tx():
        items = _items(class_id, subject_id, group_id)
        lessons = _lessons(class_id, subject_id, group_id)
        held = [ls for ls in lessons if ls.topic_set_at is not None]
        free = [ls for ls in lessons if ls.topic_set_at is None]
        held_count: dict[int, int] = {}
        for ls in held:
            if ls.plan_item_id:
                held_count[ls.plan_item_id] = held_count.get(ls.plan_item_id, 0) + 1
        queue: list[PlanItem] = []
        for item in items:
            remaining = max(0, round(item.hours) - held_count.get(item.id, 0))
            queue.extend([item] * remaining)
        placed = 0
        for lesson, item in zip(free, queue, strict=False):
            if lesson.plan_item_id != item.id:
                if not dry_run:
                    Lesson.update(plan_item=item.id).where(Lesson.id == lesson.id).execute()
                placed += 1
        if dry_run:
            return placed
        for lesson in free[len(queue):]:
            if lesson.plan_item_id is not None:
                Lesson.update(plan_item=None).where(Lesson.id == lesson.id).execute()
        audit.record(actor, "update", "plan", f"{class_id}:{subject_id}:{group_id or '-'}", "laid_onto_lessons", None, placed)
    return placed
