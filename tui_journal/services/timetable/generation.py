"""The journal's lessons made from the timetable: one per slot and school day (the working
week, no holidays), idempotently; a lesson already there is left alone.
"""

from __future__ import annotations

import datetime as dt

from tui_journal.db.models import AcademicYear, Lesson, Period, School, SchoolClass, TimetableSlot
from tui_journal.domain.periods import HOLIDAYS, school_days
from tui_journal.services import audit
from tui_journal.services.access import require_admin
from tui_journal.services.actor import Actor
from tui_journal.services.errors import InvalidInput, NotFound
from tui_journal.services.timetable.base import FAR, MAX_GENERATE_DAYS, GenerateResult, school_slots
from tui_journal.services.tx import write_tx

# --- generating lessons ---------------------------------------------------------------


def generate_slots(
    actor: Actor,
    from_date: dt.date,
    to_date: dt.date,
    only: list[TimetableSlot] | None = None,
    skip: set[dt.date] | None = None,
) -> GenerateResult:
    """Create the missing lessons of ``only`` (default: every slot of the open years) for the school days
    of the range, except the days in ``skip``."""
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
                school_slots().where(
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
        result = generate_slots(actor, from_date, to_date)
        if result.created:
            audit.record(
                actor, "create", "lessons", f"{from_date.isoformat()}..{to_date.isoformat()}", "generated", None, result.created
            )
    return result
