"""Reading the timetable: the week of a class, of a teacher, of a room, as it stands on a day
(by default today, or the nearest day of the year).
"""

from __future__ import annotations

import datetime as dt

from tui_journal import clock
from tui_journal.db.models import AcademicYear, TimetableSlot
from tui_journal.services import access
from tui_journal.services.access import require_staff
from tui_journal.services.actor import Actor
from tui_journal.services.checks import room_in_school
from tui_journal.services.timetable.base import SlotView, slot_views, valid_on

# --- reading --------------------------------------------------------------------------


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
    return slot_views(TimetableSlot.select().where((TimetableSlot.school_class == cls.id) & valid_on(day)))


def teacher_timetable(actor: Actor, login: str, on: dt.date | None = None) -> list[SlotView]:
    """A teacher's week: the staff see anybody's, a teacher his own."""
    user = access.user_in_school(actor, login)
    if user.id != actor.user_id:
        require_staff(actor, "расписание учителя")
    day = on or _default_day(actor)
    return slot_views(TimetableSlot.select().where((TimetableSlot.teacher == user.id) & valid_on(day)))


def room_timetable(actor: Actor, room_id: int, on: dt.date | None = None) -> list[SlotView]:
    require_staff(actor, "расписание кабинета")
    room = room_in_school(actor, room_id)
    day = on or _default_day(actor)
    return slot_views(TimetableSlot.select().where((TimetableSlot.room == room.id) & valid_on(day)))
