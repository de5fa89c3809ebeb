"""The timetable (R-SETUP-5), the lessons generated from it, and substitutions (R-J-7).

A :class:`TimetableSlot` is a weekly lesson valid over a date range. The admin edits the
timetable class by class; a teacher, a room or a class twice in one slot is refused with a
message naming the other lesson (two subgroups of one class may share a slot). A change made
during the year applies from a chosen date: the slot is split, and the lessons generated
from it afterwards never replace lessons that already hold marks, attendance or a topic.

:func:`generate_lessons` turns the timetable into the journal's lessons for each school day
(the working week, no holidays), idempotently. A substitution gives a lesson to a free
teacher and keeps the planned one in ``Lesson.replaced_teacher``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from peewee import JOIN

from tui_journal import clock
from tui_journal.db.models import (
    AcademicYear,
    Attendance,
    Group,
    IndividualHomework,
    Lesson,
    Mark,
    Period,
    Room,
    School,
    SchoolClass,
    Subject,
    TimetableSlot,
    User,
    UserRole,
)
from tui_journal.domain import ru_words as words
from tui_journal.domain.periods import HOLIDAYS, school_days
from tui_journal.services import access, audit
from tui_journal.services import roles as R
from tui_journal.services.access import require_admin, require_staff
from tui_journal.services.actor import Actor
from tui_journal.services.checks import (
    group_in_class,
    open_year,
    short_user,
    subject_in_school,
    teacher_by_login,
)
from tui_journal.services.errors import Conflict, InvalidInput, NotFound
from tui_journal.services.journal import class_label
from tui_journal.services.tx import write_tx

WEEKDAYS = words.WEEKDAYS
WEEKDAYS_SHORT = words.WEEKDAYS_SHORT
MAX_NUMBER = 12
MAX_GENERATE_DAYS = 400
FAR = dt.date(9999, 12, 31)


@dataclass(frozen=True)
class SlotView:
    id: int
    class_id: int
    class_name: str
    group_id: int | None
    group: str
    subject_id: int
    subject: str
    teacher_login: str
    teacher: str
    room_id: int | None
    room: str
    weekday: int  # 1 = Monday
    number: int
    valid_from: dt.date
    valid_to: dt.date | None

    @property
    def when(self) -> str:
        return f"{WEEKDAYS[self.weekday - 1]}, {self.number}-й урок"

    @property
    def what(self) -> str:
        group = f" ({self.group})" if self.group else ""
        return f"{self.class_name}{group}, {self.subject}"


@dataclass(frozen=True)
class ChangeResult:
    slot: SlotView | None  # the slot valid from the change's date (None: removed)
    removed_lessons: int  # empty generated lessons taken away from that date
    kept_lessons: int  # lessons from that date that hold marks, attendance or a topic
    created_lessons: int


@dataclass(frozen=True)
class GenerateResult:
    created: int
    existing: int  # slot-days that already had their lesson
    school_days: int


@dataclass(frozen=True)
class DayLesson:
    id: int
    date: dt.date
    number: int
    class_name: str
    group: str
    subject: str
    teacher_login: str
    teacher: str
    replaced_login: str  # the planned teacher when this lesson is a substitution
    replaced: str
    room: str


@dataclass(frozen=True)
class TeacherOption:
    login: str
    name: str
    note: str  # «ведёт этот предмет» or ""


# --- reading --------------------------------------------------------------------------


def _views(query: Iterable[TimetableSlot]) -> list[SlotView]:
    slots = list(query)
    if not slots:
        return []
    classes = {c.id: c for c in SchoolClass.select().where(SchoolClass.id.in_({s.school_class_id for s in slots}))}
    subjects = {s.id: s.name for s in Subject.select().where(Subject.id.in_({s.subject_id for s in slots}))}
    users = {u.id: u for u in User.select().where(User.id.in_({s.teacher_id for s in slots}))}
    group_ids = {s.group_id for s in slots if s.group_id}
    groups = {g.id: g.name for g in Group.select().where(Group.id.in_(group_ids))} if group_ids else {}
    room_ids = {s.room_id for s in slots if s.room_id}
    rooms = {r.id: r.name for r in Room.select().where(Room.id.in_(room_ids))} if room_ids else {}
    views = [
        SlotView(
            s.id, s.school_class_id, class_label(classes[s.school_class_id]), s.group_id, groups.get(s.group_id or 0, ""),
            s.subject_id, subjects[s.subject_id], users[s.teacher_id].login, short_user(users[s.teacher_id]),
            s.room_id, rooms.get(s.room_id or 0, ""), s.weekday, s.number, s.valid_from, s.valid_to,
        )
        for s in slots
    ]
    return sorted(views, key=lambda v: (v.weekday, v.number, v.class_name, v.group))


def _valid_on(day: dt.date) -> Any:
    return (TimetableSlot.valid_from <= day) & (TimetableSlot.valid_to.is_null() | (TimetableSlot.valid_to >= day))


def _school_slots() -> Any:
    return TimetableSlot.select(TimetableSlot).join(SchoolClass, on=(TimetableSlot.school_class == SchoolClass.id))


def _default_day(actor: Actor, year_id: int | None = None) -> dt.date:
    today = clock.today()
    query = AcademicYear.select().where(AcademicYear.school == actor.school_id)
    if year_id is not None:
        query = query.where(AcademicYear.id == year_id)
    years = list(query.order_by(AcademicYear.start))
    for year in years:
        if year.start <= today <= year.end:
            return today
    if year_id is not None and years:
        return years[0].start if today < years[0].start else years[0].end
    upcoming = [y for y in years if y.start > today]
    return upcoming[0].start if upcoming else today


def class_timetable(actor: Actor, class_id: int, on: dt.date | None = None) -> list[SlotView]:
    """The week of a class (all its subgroups) as it stands on ``on`` (default: today)."""
    cls = access.class_in_school(actor, class_id)
    if cls.id not in access.visible_class_ids(actor):
        raise access.deny("расписание этого класса")
    day = on or _default_day(actor, cls.year_id)
    return _views(TimetableSlot.select().where((TimetableSlot.school_class == cls.id) & _valid_on(day)))


def teacher_timetable(actor: Actor, login: str, on: dt.date | None = None) -> list[SlotView]:
    """A teacher's week: the staff see anybody's, a teacher his own."""
    user = access.user_in_school(actor, login)
    if user.id != actor.user_id:
        require_staff(actor, "расписание учителя")
    day = on or _default_day(actor)
    return _views(TimetableSlot.select().where((TimetableSlot.teacher == user.id) & _valid_on(day)))


def room_timetable(actor: Actor, room_id: int, on: dt.date | None = None) -> list[SlotView]:
    require_staff(actor, "расписание кабинета")
    room = Room.get_or_none((Room.id == room_id) & (Room.school == actor.school_id))
    if room is None:
        raise NotFound(f"Кабинет не найден: {room_id}")
    day = on or _default_day(actor)
    return _views(TimetableSlot.select().where((TimetableSlot.room == room.id) & _valid_on(day)))


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
    query = _school_slots().where(
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
    for other in _views(query):
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
    room = Room.get_or_none((Room.id == room_id) & (Room.school == actor.school_id))
    if room is None:
        raise NotFound(f"Кабинет не найден: {room_id}")
    return room


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
        view = _views([slot])[0]
        audit.record_creation(
            actor, "timetable_slot", slot.id,
            {"class": view.what, "teacher": teacher.login, "room": view.room, "when": view.when, "valid_from": start},
        )
        created = _regenerate(actor, slot, start)
    return ChangeResult(view, 0, 0, created)


def _slot_in_school(actor: Actor, slot_id: int) -> TimetableSlot:
    slot = _school_slots().where((TimetableSlot.id == slot_id) & (SchoolClass.school == actor.school_id)).first()
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
    return _generate(actor, since, horizon, [slot], skip or set()).created


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
    return ChangeResult(_views([new])[0], removed, len(kept_days), created)


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
    view = _views([slot])[0]
    with write_tx():
        removed, kept_days, _ = _drop_empty_lessons(slot, from_date)
        if from_date <= slot.valid_from:
            TimetableSlot.delete().where(TimetableSlot.id == slot.id).execute()
            audit.record(actor, "delete", "timetable_slot", slot.id, "slot", f"{view.what}, {view.when}", None)
        else:
            until = from_date - dt.timedelta(days=1)
            TimetableSlot.update(valid_to=until).where(TimetableSlot.id == slot.id).execute()
            audit.record(actor, "update", "timetable_slot", slot.id, "valid_to", slot.valid_to, until)
    return ChangeResult(None, removed, len(kept_days), 0)


# --- generating lessons ---------------------------------------------------------------


def _generate(
    actor: Actor,
    from_date: dt.date,
    to_date: dt.date,
    only: list[TimetableSlot] | None = None,
    skip: set[dt.date] | None = None,
) -> GenerateResult:
    school = School.get_by_id(actor.school_id)
    years = AcademicYear.select().where(
        (AcademicYear.school == actor.school_id)
        & (AcademicYear.closed == False)  # noqa: E712 - peewee expression
        & (AcademicYear.start <= to_date)
        & (AcademicYear.end >= from_date)
    )
    created = existing = days_total = 0
    for year in years:
        holidays = [(p.start, p.end) for p in Period.select().where((Period.year == year.id) & (Period.kind == HOLIDAYS))]
        days = school_days(max(from_date, year.start), min(to_date, year.end), school.week_days, holidays)
        days_total += len(days)
        if not days:
            continue
        if only is not None:
            slots = only
        else:
            slots = list(
                _school_slots().where(
                    (SchoolClass.year == year.id)
                    & (TimetableSlot.valid_from <= days[-1])
                    & (TimetableSlot.valid_to.is_null() | (TimetableSlot.valid_to >= days[0]))
                )
            )
        if not slots:
            continue
        class_ids = {s.school_class_id for s in slots}
        taken_slot: set[tuple[int, dt.date]] = set()
        taken_place: set[tuple[int, int | None, dt.date, int]] = set()
        for ls in Lesson.select(Lesson.slot, Lesson.school_class, Lesson.group, Lesson.date, Lesson.number).where(
            Lesson.school_class.in_(class_ids) & (Lesson.date >= days[0]) & (Lesson.date <= days[-1])
        ):
            if ls.slot_id is not None:
                taken_slot.add((ls.slot_id, ls.date))
            taken_place.add((ls.school_class_id, ls.group_id, ls.date, ls.number))
        by_weekday: dict[int, list[TimetableSlot]] = {}
        for s in slots:
            by_weekday.setdefault(s.weekday, []).append(s)
        rows = []
        for day in days:
            if skip and day in skip:
                continue
            for s in by_weekday.get(day.isoweekday(), ()):
                if not (s.valid_from <= day <= (s.valid_to or FAR)):
                    continue
                place = (s.school_class_id, s.group_id, day, s.number)
                if (s.id, day) in taken_slot or place in taken_place:
                    existing += 1
                    continue
                taken_place.add(place)
                rows.append(
                    {
                        "school_class": s.school_class_id, "group": s.group_id, "subject": s.subject_id,
                        "date": day, "number": s.number, "teacher": s.teacher_id, "slot": s.id, "room": s.room_id,
                    }
                )
        for start in range(0, len(rows), 500):
            Lesson.insert_many(rows[start:start + 500]).execute()
        created += len(rows)
    return GenerateResult(created, existing, days_total)


def generate_lessons(actor: Actor, from_date: dt.date, to_date: dt.date) -> GenerateResult:
    """Create the lessons of every timetable slot for each school day in the range (idempotent).

    Weekends (by the school's 5- or 6-day week) and holiday periods are skipped; a lesson
    already there for a slot and day, or for the class (group), day and number, is left alone.
    """
    require_admin(actor, "создание уроков по расписанию")
    if to_date < from_date:
        raise InvalidInput(f"Дата окончания {to_date:%d.%m.%Y} раньше даты начала {from_date:%d.%m.%Y}")
    if (to_date - from_date).days > MAX_GENERATE_DAYS:
        raise InvalidInput("Уроки создаются не больше чем на учебный год за один раз")
    open_year = AcademicYear.select().where(
        (AcademicYear.school == actor.school_id)
        & (AcademicYear.closed == False)  # noqa: E712 - peewee expression
        & (AcademicYear.start <= to_date)
        & (AcademicYear.end >= from_date)
    )
    if not open_year.exists():
        raise NotFound(f"Нет открытого учебного года на {from_date:%d.%m.%Y}–{to_date:%d.%m.%Y}")
    with write_tx():
        result = _generate(actor, from_date, to_date)
        if result.created:
            audit.record(
                actor, "create", "lessons", f"{from_date.isoformat()}..{to_date.isoformat()}", "generated", None, result.created
            )
    return result


# --- substitutions (R-J-7) ------------------------------------------------------------


def _day_lessons(query: Iterable[Lesson]) -> list[DayLesson]:
    lessons = list(query)
    user_ids = {ls.teacher_id for ls in lessons} | {ls.replaced_teacher_id for ls in lessons if ls.replaced_teacher_id}
    users = {u.id: u for u in User.select().where(User.id.in_(user_ids))} if user_ids else {}
    subjects = {s.id: s.name for s in Subject.select()} if lessons else {}
    rooms = {r.id: r.name for r in Room.select()} if lessons else {}
    groups = {g.id: g.name for g in Group.select().where(Group.id.in_({ls.group_id for ls in lessons if ls.group_id}))}
    result = []
    for ls in lessons:
        replaced = users.get(ls.replaced_teacher_id or 0)
        result.append(
            DayLesson(
                ls.id, ls.date, ls.number, class_label(ls.school_class), groups.get(ls.group_id or 0, ""),
                subjects.get(ls.subject_id, ""), users[ls.teacher_id].login, short_user(users[ls.teacher_id]),
                replaced.login if replaced else "", short_user(replaced), rooms.get(ls.room_id or 0, ""),
            )
        )
    return sorted(result, key=lambda d: (d.number, d.class_name, d.group))


def lessons_of_day(actor: Actor, day: dt.date) -> list[DayLesson]:
    """Every lesson of the school on a day, for arranging substitutions."""
    require_admin(actor, "замены")
    return _day_lessons(
        Lesson.select(Lesson, SchoolClass).join(SchoolClass).where(
            (SchoolClass.school == actor.school_id) & (Lesson.date == day)
        )
    )


def _busy_with(school_id: int, teacher_id: int, day: dt.date, number: int, exclude_lesson: int) -> str | None:
    """What the teacher already teaches at that day and number (a lesson or a timetable slot)."""
    other = (
        Lesson.select(Lesson, SchoolClass)
        .join(SchoolClass)
        .where(
            (SchoolClass.school == school_id) & (Lesson.date == day) & (Lesson.number == number)
            & (Lesson.teacher == teacher_id) & (Lesson.id != exclude_lesson)
        )
        .first()
    )
    if other is not None:
        found = _day_lessons([other])[0]
        return f"{found.class_name}{f' ({found.group})' if found.group else ''}, {found.subject}, {number}-й урок"
    return None


def free_teachers(actor: Actor, lesson_id: int) -> list[TeacherOption]:
    """Teachers free at the lesson's day and number; those teaching its subject first."""
    require_admin(actor, "замены")
    lesson = access.lesson_in_school(actor, lesson_id)
    busy = {
        ls.teacher_id
        for ls in Lesson.select(Lesson.teacher).join(SchoolClass).where(
            (SchoolClass.school == actor.school_id) & (Lesson.date == lesson.date) & (Lesson.number == lesson.number)
        )
    }
    busy |= {
        s.teacher_id
        for s in _school_slots().where(
            (SchoolClass.school == actor.school_id) & (TimetableSlot.weekday == lesson.date.isoweekday())
            & (TimetableSlot.number == lesson.number) & _valid_on(lesson.date)
        )
        if not Lesson.select().where((Lesson.slot == s.id) & (Lesson.date == lesson.date)).exists()
    }
    busy.add(lesson.replaced_teacher_id or lesson.teacher_id)
    same_subject = {
        s.teacher_id for s in TimetableSlot.select(TimetableSlot.teacher).where(TimetableSlot.subject == lesson.subject_id)
    }
    teachers = (
        User.select(User)
        .join(UserRole, JOIN.INNER)
        .where((User.school == actor.school_id) & (User.state == "active") & UserRole.role.in_([R.TEACHER]))
        .distinct()
    )
    options = [
        TeacherOption(u.login, short_user(u), "ведёт этот предмет" if u.id in same_subject else "")
        for u in teachers
        if u.id not in busy
    ]
    return sorted(options, key=lambda o: (o.note == "", o.name))


def substitute(actor: Actor, lesson_id: int, teacher_login: str) -> DayLesson:
    """Give the lesson to a free teacher; the planned teacher is kept as the replaced one."""
    require_admin(actor, "замены")
    lesson = access.lesson_in_school(actor, lesson_id)
    open_year(actor, lesson.school_class.year_id)
    teacher = teacher_by_login(actor, teacher_login)
    planned = lesson.replaced_teacher_id or lesson.teacher_id
    if teacher.id == lesson.teacher_id:
        raise InvalidInput(f"{short_user(teacher)} и так ведёт этот урок")
    busy = _busy_with(actor.school_id, teacher.id, lesson.date, lesson.number, lesson.id)
    if busy:
        raise Conflict(f"{short_user(teacher)} в это время ведёт урок: {busy}")
    with write_tx():
        old = User.get_by_id(lesson.teacher_id)
        replaced = None if teacher.id == planned else planned
        Lesson.update(teacher=teacher.id, replaced_teacher=replaced).where(Lesson.id == lesson.id).execute()
        planned_user = User.get_by_id(planned)
        audit.record_changes(
            actor, "lesson", lesson.id,
            {"teacher": old.login, "replaced_teacher": planned_user.login if lesson.replaced_teacher_id else None},
            {"teacher": teacher.login, "replaced_teacher": planned_user.login if replaced else None},
        )
    return _day_lessons([access.lesson_in_school(actor, lesson.id)])[0]


def cancel_substitution(actor: Actor, lesson_id: int) -> DayLesson:
    """Give the lesson back to the planned teacher."""
    require_admin(actor, "замены")
    lesson = access.lesson_in_school(actor, lesson_id)
    open_year(actor, lesson.school_class.year_id)
    if lesson.replaced_teacher_id is None:
        raise InvalidInput("Этот урок не замена")
    planned = User.get_by_id(lesson.replaced_teacher_id)
    busy = _busy_with(actor.school_id, planned.id, lesson.date, lesson.number, lesson.id)
    if busy:
        raise Conflict(f"{short_user(planned)} в это время ведёт урок: {busy}")
    with write_tx():
        substitute_user = User.get_by_id(lesson.teacher_id)
        Lesson.update(teacher=planned.id, replaced_teacher=None).where(Lesson.id == lesson.id).execute()
        audit.record_changes(
            actor, "lesson", lesson.id,
            {"teacher": substitute_user.login, "replaced_teacher": planned.login},
            {"teacher": planned.login, "replaced_teacher": None},
        )
    return _day_lessons([access.lesson_in_school(actor, lesson.id)])[0]
