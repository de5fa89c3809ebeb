"""Editing the timetable (R-SETUP-5): adding a weekly lesson, changing or ending it from a date.
A teacher, a room or a class twice in one slot is refused; lessons that hold marks,
attendance or a topic are never removed or replaced.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from tui_journal.db.models import (
    Attendance,
    IndividualHomework,
    Lesson,
    Mark,
    Room,
    School,
    SchoolClass,
    Subject,
    TimetableSlot,
    User,
)
from tui_journal.services import access, audit
from tui_journal.services.access import require_admin
from tui_journal.services.actor import Actor
from tui_journal.services.checks import (
    group_in_class,
    open_year,
    room_in_school,
    subject_in_school,
    teacher_by_login,
)
from tui_journal.services.errors import Conflict, InvalidInput, NotFound
from tui_journal.services.timetable.base import (
    FAR,
    MAX_NUMBER,
    WEEKDAYS,
    WEEKDAYS_SHORT,
    ChangeResult,
    school_slots,
    slot_views,
)
from tui_journal.services.timetable.generation import generate_slots
from tui_journal.services.tx import write_tx

# --- conflicts --------------------------------------------------------------------------


def _conflict(
    school_id: int,
    *,
    class_id: int,
    group_id: int | None,
    teacher_id: int,
    room_id: int | None,
    weekday: int,
    number: int,
    valid_from: dt.date,
    valid_to: dt.date | None,
    exclude: Iterable[int] = (),
) -> str | None:
    """The message naming the other lesson in the same slot, or None."""
    overlap = (TimetableSlot.valid_from <= (valid_to or FAR)) & (
        TimetableSlot.valid_to.is_null() | (TimetableSlot.valid_to >= valid_from)
    )
    who = (TimetableSlot.teacher == teacher_id) | (TimetableSlot.school_class == class_id)
    if room_id is not None:
        who |= TimetableSlot.room == room_id
    query = school_slots().where(
        (SchoolClass.school == school_id)
        & (TimetableSlot.weekday == weekday)
        & (TimetableSlot.number == number)
        & overlap
        & who
    )
    excluded = list(exclude)
    if excluded:
        query = query.where(TimetableSlot.id.not_in(excluded))
    teacher = User.get_or_none(User.id == teacher_id)
    for other in slot_views(query):
        when = f"{WEEKDAYS_SHORT[other.weekday - 1]}, {other.number}-й урок"
        room = f", каб. {other.room}" if other.room else ""
        if teacher is not None and other.teacher_login == teacher.login:
            return f"Учитель {other.teacher} занят ({when}): {other.what}{room}"
        if room_id is not None and other.room_id == room_id:
            return f"Кабинет {other.room} занят ({when}): {other.what}, {other.teacher}"
        if other.class_id == class_id and (group_id is None or other.group_id is None or other.group_id == group_id):
            return f"У класса {other.class_name} уже есть урок ({when}): {other.what}, {other.teacher}{room}"
    return None


def _check_slot_values(actor: Actor, weekday: int, number: int) -> None:
    week_days = School.get_by_id(actor.school_id).week_days
    if not 1 <= weekday <= week_days:
        raise InvalidInput(f"День недели {weekday} вне рабочей недели (1–{week_days})")
    if not 0 <= number <= MAX_NUMBER:
        raise InvalidInput(f"Номер урока {number} вне 0–{MAX_NUMBER}")


def _room(actor: Actor, room_id: int | None) -> Room | None:
    if room_id is None:
        return None
    return room_in_school(actor, room_id)


# --- editing the timetable ------------------------------------------------------------


def add_slot(
    actor: Actor,
    class_id: int,
    subject_id: int,
    teacher_login: str,
    weekday: int,
    number: int,
    *,
    group_id: int | None = None,
    room_id: int | None = None,
    valid_from: dt.date | None = None,
) -> ChangeResult:
    """A weekly lesson of a class (or subgroup), from ``valid_from`` (default: the year's start).

    Lessons already generated for the days from ``valid_from`` get this lesson too.
    """
    require_admin(actor, "расписание")
    cls = access.class_in_school(actor, class_id)
    year = open_year(actor, cls.year_id)
    subject = subject_in_school(actor, subject_id)
    group = group_in_class(cls, group_id)
    teacher = teacher_by_login(actor, teacher_login)
    room = _room(actor, room_id)
    _check_slot_values(actor, weekday, number)
    start = valid_from or year.start
    if not year.start <= start <= year.end:
        raise InvalidInput(f"Дата {start:%d.%m.%Y} вне учебного года {year.name}")
    with write_tx():
        message = _conflict(
            actor.school_id, class_id=cls.id, group_id=group.id if group else None, teacher_id=teacher.id,
            room_id=room.id if room else None, weekday=weekday, number=number, valid_from=start, valid_to=None,
        )
        if message:
            raise Conflict(message)
        slot = TimetableSlot.create(
            school_class=cls, group=group.id if group else None, subject=subject, teacher=teacher,
            room=room.id if room else None, weekday=weekday, number=number, valid_from=start,
        )
        view = slot_views([slot])[0]
        audit.record_creation(
            actor, "timetable_slot", slot.id,
            {"class": view.what, "teacher": teacher.login, "room": view.room, "when": view.when, "valid_from": start},
        )
        created = _regenerate(actor, slot, start)
    return ChangeResult(view, 0, 0, created)


def _slot_in_school(actor: Actor, slot_id: int) -> TimetableSlot:
    slot = school_slots().where((TimetableSlot.id == slot_id) & (SchoolClass.school == actor.school_id)).first()
    if slot is None:
        raise NotFound(f"Урок расписания не найден: {slot_id}")
    return slot


def _holds_data() -> Any:
    """Lessons that hold marks, attendance, a topic or homework: never removed or replaced."""
    marks = Mark.select(Mark.lesson)
    roll = Attendance.select(Attendance.lesson)
    individual = IndividualHomework.select(IndividualHomework.lesson)
    return (
        Lesson.id.in_(marks)
        | Lesson.id.in_(roll)
        | Lesson.id.in_(individual)
        | Lesson.topic_set_at.is_null(False)
        | (Lesson.topic != "")
        | (Lesson.homework != "")
        | Lesson.roll_taken_at.is_null(False)
    )


def _drop_empty_lessons(slot: TimetableSlot, since: dt.date) -> tuple[int, set[dt.date], dt.date | None]:
    """Delete the slot's lessons from ``since`` that hold nothing.

    Returns how many went, the days of the lessons kept (they stay that week's lesson) and
    the last day the slot had a lesson.
    """
    lessons = list(Lesson.select().where((Lesson.slot == slot.id) & (Lesson.date >= since)))
    kept_ids = {
        ls.id
        for ls in Lesson.select(Lesson.id).where((Lesson.slot == slot.id) & (Lesson.date >= since) & _holds_data())
    }
    empty = [ls.id for ls in lessons if ls.id not in kept_ids]
    horizon = max((ls.date for ls in lessons), default=None)
    if empty:
        Lesson.delete().where(Lesson.id.in_(empty)).execute()
    return len(empty), {ls.date for ls in lessons if ls.id in kept_ids}, horizon


def _generated_horizon(cls_year_id: int) -> dt.date | None:
    """The last day lessons were generated for in this year (lessons are made ahead by generate)."""
    last = (
        Lesson.select(Lesson.date)
        .join(SchoolClass)
        .where((SchoolClass.year == cls_year_id) & Lesson.slot.is_null(False))
        .order_by(Lesson.date.desc())
        .first()
    )
    return last.date if last else None


def _regenerate(
    actor: Actor, slot: TimetableSlot, since: dt.date, until: dt.date | None = None, skip: set[dt.date] | None = None
) -> int:
    cls = SchoolClass.get_by_id(slot.school_class_id)
    horizon = until or _generated_horizon(cls.year_id)
    if horizon is None or horizon < since:
        return 0
    return generate_slots(actor, since, horizon, [slot], skip or set()).created


def change_slot(
    actor: Actor,
    slot_id: int,
    from_date: dt.date,
    *,
    teacher_login: str | None = None,
    room_id: int | None = None,
    clear_room: bool = False,
    weekday: int | None = None,
    number: int | None = None,
    subject_id: int | None = None,
) -> ChangeResult:
    """Change a weekly lesson from ``from_date`` on; the weeks before keep what they had.

    The slot's empty lessons from that date are replaced by lessons of the changed slot;
    lessons that already hold marks, attendance or a topic are kept as they are.
    """
    require_admin(actor, "расписание")
    slot = _slot_in_school(actor, slot_id)
    cls = SchoolClass.get_by_id(slot.school_class_id)
    year = open_year(actor, cls.year_id)
    if not (slot.valid_from <= from_date <= (slot.valid_to or year.end)):
        raise InvalidInput(
            f"Урок действует с {slot.valid_from:%d.%m.%Y}"
            + (f" по {slot.valid_to:%d.%m.%Y}" if slot.valid_to else "")
            + f": дата {from_date:%d.%m.%Y} вне этого срока"
        )
    values = {
        "teacher": teacher_by_login(actor, teacher_login).id if teacher_login else slot.teacher_id,
        "room": None if clear_room else (_room(actor, room_id).id if room_id is not None else slot.room_id),  # type: ignore[union-attr]
        "weekday": weekday if weekday is not None else slot.weekday,
        "number": number if number is not None else slot.number,
        "subject": subject_in_school(actor, subject_id).id if subject_id is not None else slot.subject_id,
    }
    _check_slot_values(actor, int(values["weekday"] or 0), int(values["number"] or 0))
    before = {"teacher": slot.teacher_id, "room": slot.room_id, "weekday": slot.weekday, "number": slot.number, "subject": slot.subject_id}
    if values == before:
        raise InvalidInput("Ничего не изменено")
    with write_tx():
        message = _conflict(
            actor.school_id, class_id=cls.id, group_id=slot.group_id, teacher_id=int(values["teacher"] or 0),
            room_id=values["room"], weekday=int(values["weekday"] or 0), number=int(values["number"] or 0),
            valid_from=from_date, valid_to=slot.valid_to, exclude=[slot.id],
        )
        if message:
            raise Conflict(message)
        removed, kept_days, horizon = _drop_empty_lessons(slot, from_date)
        if from_date <= slot.valid_from:
            TimetableSlot.update(**values).where(TimetableSlot.id == slot.id).execute()
            new = TimetableSlot.get_by_id(slot.id)
        else:
            TimetableSlot.update(valid_to=from_date - dt.timedelta(days=1)).where(TimetableSlot.id == slot.id).execute()
            new = TimetableSlot.create(
                school_class=cls, group=slot.group_id, valid_from=from_date, valid_to=slot.valid_to, **values
            )
        audit.record_changes(
            actor, "timetable_slot", f"{slot.id}→{new.id}",
            {"from": None, **_described(before)}, {"from": from_date, **_described(values)},
        )
        created = _regenerate(actor, new, from_date, horizon, kept_days)
    return ChangeResult(slot_views([new])[0], removed, len(kept_days), created)


def _described(values: Mapping[str, object]) -> dict[str, object]:
    teacher = User.get_or_none(User.id == values["teacher"])
    room = Room.get_or_none(Room.id == values["room"]) if values["room"] else None
    subject = Subject.get_or_none(Subject.id == values["subject"])
    return {
        "teacher": teacher.login if teacher else None,
        "room": room.name if room else None,
        "weekday": WEEKDAYS[int(values["weekday"] or 1) - 1],  # type: ignore[call-overload]
        "number": values["number"],
        "subject": subject.name if subject else None,
    }


def end_slot(actor: Actor, slot_id: int, from_date: dt.date) -> ChangeResult:
    """Take a weekly lesson off the timetable from ``from_date`` (its empty lessons go too)."""
    require_admin(actor, "расписание")
    slot = _slot_in_school(actor, slot_id)
    cls = SchoolClass.get_by_id(slot.school_class_id)
    open_year(actor, cls.year_id)
    if slot.valid_to is not None and from_date > slot.valid_to:
        raise InvalidInput(f"Урок и так действует только по {slot.valid_to:%d.%m.%Y}")
    view = slot_views([slot])[0]
    with write_tx():
        removed, kept_days, _ = _drop_empty_lessons(slot, from_date)
        if from_date <= slot.valid_from:
            TimetableSlot.delete().where(TimetableSlot.id == slot.id).execute()
            audit.record(actor, "delete", "timetable_slot", slot.id, "slot", f"{view.what}, {view.when}", None)
        else:
            audit.save_changes(actor, "timetable_slot", slot, {"valid_to": from_date - dt.timedelta(days=1)})
    return ChangeResult(None, removed, len(kept_days), 0)
