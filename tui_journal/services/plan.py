"""The thematic plan (КТП, R-J-6): an ordered list of topics laid onto the year's lessons.

Its hours must equal the curriculum's hours for the year (hours per week × weeks), and it
is laid onto the lessons of the timetable in order; when a lesson falls out (a holiday, a
cancelled lesson) the following topics move forward.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from tui_journal.db.models import Curriculum, Lesson, PlanArchive, PlanItem, SchoolClass
from tui_journal.services import access, audit, user_text
from tui_journal.services import roles as R
from tui_journal.services.actor import Actor
from tui_journal.services.checks import subject_in_school
from tui_journal.services.errors import InvalidInput, NotFound
from tui_journal.services.tx import write_tx

KINDS = ("обычный", "практическая", "лабораторная", "контрольная")
#: Short forms teachers type (the edit line and pasted tables alike).
KIND_ALIASES = {
    "": "обычный",
    "о": "обычный",
    "об": "обычный",
    "п": "практическая",
    "пр": "практическая",
    "практ": "практическая",
    "л": "лабораторная",
    "лаб": "лабораторная",
    "к": "контрольная",
    "кр": "контрольная",
    "контр": "контрольная",
}
#: The longest topic kept (a lesson's topic line; longer text is a pasting accident).
#: Rows one import may carry (a year of daily lessons with room to spare).
MAX_ROWS = 1000
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
    previous_topics: int = 0  # topics of the last replaced plan that can be restored (0: none)

    @property
    def hours_match(self) -> bool:
        return self.curriculum_hours is not None and abs(self.plan_hours - self.curriculum_hours) < 1e-6


def _scope(actor: Actor, class_id: int, subject_id: int, group_id: int | None, *, write: bool) -> SchoolClass:
    cls = access.class_in_school(actor, class_id)
    subject_in_school(actor, subject_id)
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
    previous = _last_archive(class_id, subject_id, group_id)
    return PlanSummary(
        rows=[PlanRow(i.id, i.ordinal, i.topic, i.hours, i.kind, held.get(i.id, 0)) for i in items],
        plan_hours=sum(i.hours for i in items),
        curriculum_hours=cur.hours_per_week * STUDY_WEEKS if cur else None,
        lessons_total=len(lessons),
        lessons_held=sum(1 for ls in lessons if ls.topic_set_at is not None),
        previous_topics=len(_archived_topics(previous)) if previous else 0,
    )


def normalize_kind(text: str) -> str:
    """«контр», «лаб.», «Практическая» → the stored kind; raises InvalidInput (Russian)."""
    key = (text or "").strip().casefold().rstrip(".")
    kind = KIND_ALIASES.get(key)
    if kind is None:
        starts = [k for k in KINDS if k.startswith(key)]
        if len(starts) != 1:
            raise InvalidInput(f"Вид урока «{key}» неизвестен. Допустимы: {', '.join(KINDS)}")
        kind = starts[0]
    return kind


def check_item(
    topic: str, hours: float, kind: str, *, mode: Literal["refuse", "remove"] = "refuse"
) -> tuple[str, float, str]:
    """One plan row through the text boundary (``remove`` for a file's or a paste's cells,
    whose line the caller names), the hours and the kind."""
    topic = user_text.clean(topic, "topic", field="тема", mode=mode)
    if not topic:
        raise InvalidInput("Тема не может быть пустой")
    if not 0 < hours <= 100:
        raise InvalidInput(f"Число часов должно быть от 0 до 100, а не {hours}")
    kind = user_text.clean(kind or "обычный", "plan_kind", field="вид урока", mode=mode)
    return topic, hours, normalize_kind(kind)


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
    topic, hours, kind = check_item(topic, hours, kind)
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
    new_topic, new_hours, new_kind = check_item(
        topic if topic is not None else item.topic,
        hours if hours is not None else item.hours,
        kind if kind is not None else item.kind,
    )
    with write_tx():
        audit.save_changes(actor, "plan_item", item, {"topic": new_topic, "hours": new_hours, "kind": new_kind})
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


_HEADER_WORDS = {
    "тема": "topic", "темы": "topic", "тема урока": "topic", "название темы": "topic", "topic": "topic",
    "часы": "hours", "часов": "hours", "кол-во часов": "hours", "количество часов": "hours", "hours": "hours",
    "вид": "kind", "вид урока": "kind", "тип урока": "kind", "kind": "kind",
    "№": "number", "n": "number", "№ п/п": "number", "номер": "number", "номер урока": "number",
}
_ORDINAL = re.compile(r"\d{1,4}\.?")
_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")


def _header_key(cell: str) -> str:
    return " ".join(cell.casefold().replace("ё", "е").split()).rstrip(".:")


def _columns_of(first: list[str], rows: list[list[str]]) -> tuple[dict[str, int], bool]:
    """Where тема, часы and вид are, and whether the first row is a header.

    A header is a first row whose cells are column names (тема, часы, вид, №; other columns
    such as dates are ignored); without one the columns are тема, часы, вид in this order,
    after a leading column of lesson numbers if every row starts with one.
    """
    names: dict[str, int] = {}
    for i, c in enumerate(first):
        name = _HEADER_WORDS.get(_header_key(c))
        if name and name not in names:
            names[name] = i
    if "topic" in names:
        return names, True
    numbered = all(len(r) > 1 and _ORDINAL.fullmatch(r[0]) and r[1] for r in rows)
    offset = 1 if numbered else 0
    return {"topic": offset, "hours": offset + 1, "kind": offset + 2}, False


def _parse_numbered(
    rows: Iterable[tuple[int, Sequence[object]]], where: str, mode: Literal["refuse", "remove"] = "remove"
) -> list[ImportedTopic]:
    """Every bad line is reported by number and reason, in Russian, before anything is saved.

    A file's cells (``remove``) lose control, bidi and zero-width characters; a paste the
    teacher sees (``refuse``) is refused with the line named, so nothing changes unseen."""
    # a line break inside a spreadsheet's cell is layout: it becomes a space
    numbered = [(n, [_LINE_BREAKS.sub(" ", str(c)).strip() if c is not None else "" for c in raw]) for n, raw in rows]
    numbered = [(n, cells) for n, cells in numbered if any(cells)]
    if not numbered:
        raise InvalidInput(f"{where}: нет ни одной темы")
    if len(numbered) > MAX_ROWS + 1:
        raise InvalidInput(f"{where}: больше {MAX_ROWS} строк — это не план одного предмета")
    columns, has_header = _columns_of(numbered[0][1], [c for _, c in numbered])
    if has_header:
        numbered = numbered[1:]

    def cell(cells: list[str], name: str) -> str:
        i = columns.get(name)
        return cells[i] if i is not None and i < len(cells) else ""

    result: list[ImportedTopic] = []
    errors: list[str] = []
    for number, cells in numbered:
        hours_text = cell(cells, "hours").replace(",", ".") or "1"
        try:
            hours = float(hours_text)
        except ValueError:
            errors.append(f"строка {number}: «{hours_text}» — не число часов")
            continue
        try:
            result.append(ImportedTopic(*check_item(cell(cells, "topic"), hours, cell(cells, "kind"), mode=mode)))
        except InvalidInput as exc:
            errors.append(f"строка {number}: {exc.message}")
    if errors:
        raise InvalidInput("План не загружен, ничего не изменено:\n" + "\n".join(errors))
    if not result:
        raise InvalidInput(f"{where}: нет ни одной темы")
    return result


def parse_plan_rows(rows: Sequence[Sequence[object]], where: str = "В файле") -> list[ImportedTopic]:
    """Columns тема, часы (default 1), вид (default обычный), or named by a header row;
    rows are numbered from 1 as the lines of a file."""
    return _parse_numbered(enumerate(rows, start=1), where)


def _split_lines(text: str, *, commas: bool = False) -> list[tuple[int, list[str]]]:
    """Text as (line number, cells): tab-separated (a spreadsheet's copy), else
    semicolon-separated (CSV from Excel), else — in a file (``commas``) — comma-separated, else
    one topic a line. Quoted cells may span lines (a spreadsheet cell with a line break); the
    record is numbered by its first line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # the first line decides (a header «Тема,Часы» keeps a «;» inside a later topic a topic's)
    first = next((line for line in text.split("\n") if line.strip()), "")
    delimiter = "\t" if "\t" in first else ";" if ";" in first else "," if commas and "," in first else None
    if delimiter is None:
        return [(n, [line]) for n, line in enumerate(text.split("\n"), start=1)]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    line = 1
    for cells in reader:
        rows.append((line, cells))
        line = reader.line_num + 1
    return rows


def parse_plan_text(text: str) -> list[ImportedTopic]:
    """The plan pasted into the import box (rows copied from a spreadsheet arrive as
    tab-separated lines; «тема; часы; вид» lines are accepted too), with line-numbered errors."""
    return _parse_numbered(_split_lines(text), "В тексте", mode="refuse")


def read_plan_file(actor: Actor, path: Path) -> list[ImportedTopic]:
    """Read a plan from CSV (UTF-8; tab, else semicolon, else comma) or XLSX on the server.

    Only the console (``tui-journal import plan FILE``, run by whoever holds the server) may
    name a server file: a user of the app brings a plan in by pasting it (parse_plan_text),
    so nobody can make the program open a path he typed.
    """
    if not actor.is_console or not actor.has(R.ADMIN):
        raise access.deny("чтение файлов на сервере")
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"Файл не найден: {path}")
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(path, read_only=True, data_only=True).active
        except Exception as exc:  # a broken or foreign file
            raise InvalidInput(f"Не удалось прочитать книгу {path.name}: {exc}") from None
        if sheet is None:
            raise InvalidInput("В книге нет листов")
        return parse_plan_rows([list(r) for r in sheet.iter_rows(values_only=True)])
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput("Файл не в кодировке UTF-8: сохраните его как «CSV UTF-8»") from exc
    return _parse_numbered(_split_lines(text, commas=True), "В файле")


# --- replacing a plan, and bringing the previous one back -------------------------------------


def _journal_key(class_id: int, subject_id: int, group_id: int | None) -> str:
    return f"{class_id}:{subject_id}:{group_id or '-'}"


def _last_archive(class_id: int, subject_id: int, group_id: int | None) -> PlanArchive | None:
    query = PlanArchive.select().where((PlanArchive.school_class == class_id) & (PlanArchive.subject == subject_id))
    query = query.where(PlanArchive.group.is_null() if group_id is None else (PlanArchive.group == group_id))
    found: PlanArchive | None = query.order_by(PlanArchive.id.desc()).first()
    return found


def archived_topics(text: str) -> list[ImportedTopic]:
    """The topics of an archive row (JSON), checked as typed topics are; raises InvalidInput."""
    try:
        data = json.loads(text)
        topics = [(str(d["topic"]), float(d["hours"]), str(d["kind"])) for d in data]
    except (ValueError, TypeError, KeyError) as exc:
        raise InvalidInput(f"темы архива плана повреждены: {exc}") from None
    return [ImportedTopic(*check_item(*x)) for x in topics]


def _archived_topics(archive: PlanArchive) -> list[ImportedTopic]:
    return archived_topics(archive.topics)


def _topics_text(topics: Iterable[ImportedTopic | PlanItem]) -> str:
    return "\n".join(f"{x.topic}; {x.hours:g}; {x.kind}" for x in topics)


def _replace(
    actor: Actor,
    class_id: int,
    subject_id: int,
    group_id: int | None,
    topics: Sequence[ImportedTopic],
    *,
    replace: bool,
    reason: str,
) -> tuple[int, int | None]:
    """Inside a write transaction: put the topics in after those already held (which stay);
    with ``replace`` the other topics go to the archive first. Returns (topics now, archive id)."""
    items = _items(class_id, subject_id, group_id)
    used = {ls.plan_item_id for ls in _lessons(class_id, subject_id, group_id) if ls.plan_item_id and ls.topic_set_at}
    kept = [i for i in items if i.id in used] if replace else items
    removed = [i for i in items if i.id not in used] if replace else []
    archive_id: int | None = None
    if removed:
        archive = PlanArchive.create(
            school_class=class_id,
            subject=subject_id,
            group=group_id,
            topics=json.dumps(
                [{"ordinal": i.ordinal, "topic": i.topic, "hours": i.hours, "kind": i.kind} for i in removed],
                ensure_ascii=False,
            ),
            reason=reason,
            archived_by=actor.audit_name,
        )
        archive_id = archive.id
        PlanItem.delete().where(PlanItem.id.in_([i.id for i in removed])).execute()
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
    key = _journal_key(class_id, subject_id, group_id)
    audit.record(actor, reason, "plan", key, "topics", _topics_text(removed) or None, _topics_text(topics) or None)
    if archive_id is not None:
        audit.record(actor, reason, "plan", key, "archive", None, f"архив № {archive_id}: тем {len(removed)}")
    return len(kept) + len(topics), archive_id


def import_plan(
    actor: Actor,
    class_id: int,
    subject_id: int,
    topics: Sequence[ImportedTopic],
    *,
    group_id: int | None = None,
    replace: bool = True,
) -> int:
    """Put the topics in, all or nothing; by default replacing the topics not yet held.

    The replaced topics are kept in the archive (:func:`restore_previous_plan` brings them
    back) and the audit row lists them.
    """
    _scope(actor, class_id, subject_id, group_id, write=True)
    checked = [ImportedTopic(*check_item(x.topic, x.hours, x.kind)) for x in topics]
    with write_tx():
        _replace(actor, class_id, subject_id, group_id, checked, replace=replace, reason="import")
    return len(checked)


def restore_previous_plan(actor: Actor, class_id: int, subject_id: int, group_id: int | None = None) -> int:
    """Bring back the topics the last replacement removed (the topics held since stay first).

    The plan it replaces goes to the archive in turn, so a second restore undoes the first.
    Returns the number of topics brought back.
    """
    _scope(actor, class_id, subject_id, group_id, write=True)
    with write_tx():
        archive = _last_archive(class_id, subject_id, group_id)
        if archive is None:
            raise NotFound("Прежнего плана нет: план ещё не заменяли")
        topics = _archived_topics(archive)
        PlanArchive.delete().where(PlanArchive.id == archive.id).execute()
        _replace(actor, class_id, subject_id, group_id, topics, replace=True, reason="restore")
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
