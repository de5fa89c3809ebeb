"""The lesson panel: topic and homework, the day homework is due, late homework and
individual homework.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from tui_journal.db.models import (
    IndividualHomework,
    Lesson,
    PlanItem,
    Student,
    Subject,
    TimetableSlot,
    User,
    now,
)
from tui_journal.domain.text import surname_initials
from tui_journal.services import access, audit, user_text
from tui_journal.services.actor import Actor
from tui_journal.services.errors import InvalidInput
from tui_journal.services.journal.base import (
    HOMEWORK_DEADLINE,
    NO_HOMEWORK_IN_GRADE_1,
    class_label,
    marks_allowed_for,
    student_of_lesson,
    writable_lesson,
)
from tui_journal.services.tx import write_tx

# --- the lesson panel --------------------------------------------------------------------


@dataclass(frozen=True)
class LessonInfo:
    id: int
    class_name: str
    subject: str
    date: dt.date
    number: int
    teacher: str
    topic: str
    plan_item_id: int | None
    work_done: str
    homework: str
    homework_pages: str
    homework_tasks: str
    homework_late: bool
    individual: tuple[tuple[int, str, str], ...]  # (student id, name, text)
    plan: tuple[tuple[int, int, str, str], ...]  # (plan item id, ordinal, topic, kind)
    marks_allowed: bool
    writable: bool
    homework_due: dt.date | None = None  # the teacher's date; None: the next lesson
    homework_next_lesson: dt.date | None = None  # the date of the next lesson of the subject
    # plan items already given to another lesson of this class and subject, and the first
    # item (by ordinal) not held yet: the topic the lesson panel offers for one key
    held: frozenset[int] = frozenset()
    next_plan_item_id: int | None = None


# --- homework: the day it is due -------------------------------------------------------------

#: How far ahead the next lesson of a subject is looked for (holidays included).
DUE_HORIZON_DAYS = 28


def _stream(ls: Lesson) -> tuple[int, int | None, int]:
    """The lessons that follow one another: same class, same subgroup, same subject."""
    return (ls.school_class_id, ls.group_id, ls.subject_id)


def homework_due_dates(lessons: Sequence[Lesson]) -> dict[int, dt.date | None]:
    """Lesson id → the day its homework is due: the teacher's date if he set one, else the
    date of the next lesson of the same subject for the same class or subgroup (a lesson in
    the journal, or else the timetable's next slot); ``None`` if none within four weeks.

    This is how every Russian school diary shows homework: on the day it is to be done for.
    """
    result = next_lesson_dates([ls for ls in lessons if ls.homework_due is None])
    result.update({ls.id: ls.homework_due for ls in lessons if ls.homework_due is not None})
    return result


def next_lesson_dates(lessons: Sequence[Lesson]) -> dict[int, dt.date | None]:
    """Lesson id → the date of the next lesson of the same subject for the same class or
    subgroup (in the journal, or else by the timetable), ``None`` if none within four weeks."""
    result: dict[int, dt.date | None] = {}
    pending: dict[tuple[int, int | None, int], list[Lesson]] = defaultdict(list)
    for ls in lessons:
        pending[_stream(ls)].append(ls)
    for (class_id, group_id, subject_id), items in pending.items():
        first = min(ls.date for ls in items)
        last = max(ls.date for ls in items)
        query = Lesson.select(Lesson.date).where(
            (Lesson.school_class == class_id)
            & (Lesson.subject == subject_id)
            & (Lesson.date > first)
            & (Lesson.date <= last + dt.timedelta(days=DUE_HORIZON_DAYS))
        )
        query = query.where(Lesson.group.is_null() if group_id is None else (Lesson.group == group_id))
        dates = sorted({row.date for row in query})
        slots = None
        for ls in items:
            following = next((d for d in dates if d > ls.date), None)
            if following is None:
                if slots is None:
                    slots = _slot_days(class_id, group_id, subject_id)
                following = _next_slot_day(slots, ls.date)
            result[ls.id] = following
    return result


def _slot_days(class_id: int, group_id: int | None, subject_id: int) -> list[TimetableSlot]:
    query = TimetableSlot.select().where(
        (TimetableSlot.school_class == class_id) & (TimetableSlot.subject == subject_id)
    )
    query = query.where(TimetableSlot.group.is_null() if group_id is None else (TimetableSlot.group == group_id))
    return list(query)


def _next_slot_day(slots: Sequence[TimetableSlot], after: dt.date) -> dt.date | None:
    for offset in range(1, DUE_HORIZON_DAYS + 1):
        day = after + dt.timedelta(days=offset)
        for slot in slots:
            if (
                slot.weekday == day.isoweekday()
                and slot.valid_from <= day
                and (slot.valid_to is None or slot.valid_to >= day)
            ):
                return day
    return None


def lesson_info(actor: Actor, lesson_id: int) -> LessonInfo:
    lesson = access.lesson_in_school(actor, lesson_id)
    if lesson.school_class_id not in access.visible_class_ids(actor):
        raise access.deny("сведения об уроке")
    teacher = User.get_by_id(lesson.teacher_id)
    plan_q = PlanItem.select().where(
        (PlanItem.school_class == lesson.school_class_id) & (PlanItem.subject == lesson.subject_id)
    )
    plan_q = plan_q.where(PlanItem.group.is_null() if lesson.group_id is None else (PlanItem.group == lesson.group_id))
    individual = tuple(
        (h.student_id, surname_initials(h.student.last_name, h.student.first_name, h.student.middle_name or None), h.text)
        for h in IndividualHomework.select(IndividualHomework, Student).join(Student).where(
            IndividualHomework.lesson == lesson.id
        )
    )
    plan = tuple((p.id, p.ordinal, p.topic, p.kind) for p in plan_q.order_by(PlanItem.ordinal))
    held: frozenset[int] = frozenset()
    if plan:
        held = frozenset(
            r.plan_item_id
            for r in Lesson.select(Lesson.plan_item).where(
                (Lesson.plan_item.in_([p[0] for p in plan]))
                & (Lesson.id != lesson.id)
                & Lesson.topic_set_at.is_null(False)  # given, not only laid onto a future lesson
            )
            if r.plan_item_id is not None
        )
    if lesson.plan_item_id is not None and not lesson.topic:
        next_item: int | None = lesson.plan_item_id  # the plan laid onto the lessons put it here
    else:
        next_item = next((p[0] for p in plan if p[0] not in held), None)
    return LessonInfo(
        id=lesson.id,
        class_name=class_label(lesson.school_class),
        subject=Subject.get_by_id(lesson.subject_id).name,
        date=lesson.date,
        number=lesson.number,
        teacher=surname_initials(teacher.last_name, teacher.first_name, teacher.middle_name or None),
        topic=lesson.topic,
        plan_item_id=lesson.plan_item_id,
        work_done=lesson.work_done,
        homework=lesson.homework,
        homework_pages=lesson.homework_pages,
        homework_tasks=lesson.homework_tasks,
        homework_late=homework_is_late(lesson.date, lesson.homework_set_at),
        individual=individual,
        plan=plan,
        marks_allowed=marks_allowed_for(lesson.school_class),
        writable=access.can_write_lesson(actor, lesson),
        homework_due=lesson.homework_due,
        homework_next_lesson=next_lesson_dates([lesson]).get(lesson.id),
        held=held,
        next_plan_item_id=next_item,
    )


def homework_is_late(lesson_date: dt.date, set_at: dt.datetime | None) -> bool:
    """Homework is due by 18:00 of the lesson's day (regulation 4.4.7); later is accepted, flagged."""
    return set_at is not None and set_at > dt.datetime.combine(lesson_date, HOMEWORK_DEADLINE)


def set_lesson_info(
    actor: Actor,
    lesson_id: int,
    *,
    topic: str | None = None,
    plan_item_id: int | None = None,
    work_done: str | None = None,
    homework: str | None = None,
    homework_pages: str | None = None,
    homework_tasks: str | None = None,
    homework_due: dt.date | bool | None = False,
) -> LessonInfo:
    """Topic (typed or from the plan), kinds of work, homework for the whole class (R-J-3, R-J-4).

    ``homework_due``: the day the homework is for; ``None`` clears it (then it is due at the
    next lesson of the subject); ``False`` (the default) leaves it as it is."""
    lesson = writable_lesson(actor, lesson_id)
    if isinstance(homework_due, dt.date) and homework_due <= lesson.date:
        raise InvalidInput(f"Срок задания {homework_due:%d.%m.%Y} должен быть позже дня урока ({lesson.date:%d.%m.%Y})")
    gives_homework = any(v for v in (homework, homework_pages, homework_tasks))
    if gives_homework and not marks_allowed_for(lesson.school_class):
        raise InvalidInput(NO_HOMEWORK_IN_GRADE_1)
    changes: dict[str, object] = {}
    if plan_item_id is not None:
        item = PlanItem.get_or_none(
            (PlanItem.id == plan_item_id)
            & (PlanItem.school_class == lesson.school_class_id)
            & (PlanItem.subject == lesson.subject_id)
        )
        if item is None:
            raise InvalidInput("Эта тема не из плана этого класса и предмета")
        changes["plan_item"] = item.id
        if topic is None:  # the plan's topic, stored before the boundary existed: cleaned
            changes["topic"] = user_text.clean(item.topic, "topic", field="тема урока", mode="remove")
    for name, value, kind, what in (
        ("topic", topic, "topic", "тема урока"),
        ("work_done", work_done, "work_done", "виды работы"),
        ("homework", homework, "homework", "домашнее задание"),
        ("homework_pages", homework_pages, "homework_ref", "страницы"),
        ("homework_tasks", homework_tasks, "homework_ref", "номера заданий"),
    ):
        if value is not None:
            changes[name] = user_text.clean(value, kind, field=what)
    if homework_due is None or isinstance(homework_due, dt.date):
        changes["homework_due"] = homework_due
    moment = now()
    with write_tx():
        before = {k: getattr(lesson, k if k != "plan_item" else "plan_item_id") for k in changes}
        real = {k: v for k, v in changes.items() if str(before[k] or "") != str(v or "")}
        if "topic" in real:
            real["topic_set_at"] = moment
        if {"homework", "homework_pages", "homework_tasks"} & set(real):
            real["homework_set_at"] = moment
        if real:
            Lesson.update(**real).where(Lesson.id == lesson.id).execute()
            audit.record_changes(
                actor, "lesson", lesson.id, before, {k: v for k, v in real.items() if k in changes}
            )
    return lesson_info(actor, lesson_id)


def set_individual_homework(actor: Actor, lesson_id: int, student_id: int, text: str) -> None:
    """Individual homework for one pupil (empty text removes it)."""
    lesson = writable_lesson(actor, lesson_id)
    if not marks_allowed_for(lesson.school_class):
        raise InvalidInput(NO_HOMEWORK_IN_GRADE_1)
    student_of_lesson(lesson, student_id)
    text = user_text.clean(text, "comment", field="индивидуальное задание")
    with write_tx():
        row = IndividualHomework.get_or_none(
            (IndividualHomework.lesson == lesson.id) & (IndividualHomework.student == student_id)
        )
        old = row.text if row else ""
        if text and row:
            IndividualHomework.update(text=text).where(IndividualHomework.id == row.id).execute()
        elif text:
            IndividualHomework.create(lesson=lesson, student=student_id, text=text)
        elif row:
            IndividualHomework.delete().where(IndividualHomework.id == row.id).execute()
        if old != text:
            audit.record(actor, "update", "individual_homework", f"{lesson.id}:{student_id}", "text", old, text)
