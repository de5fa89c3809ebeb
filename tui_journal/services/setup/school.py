"""The school's settings: the working week, the grading policy and the bell schedules.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from tui_journal.db.models import (
    Bell,
    BellSchedule,
    School,
)
from tui_journal.services import audit
from tui_journal.services.access import require_admin, require_staff, row_in_school
from tui_journal.services.actor import Actor
from tui_journal.services.checks import clean_text, refuse_taken_name
from tui_journal.services.errors import InvalidInput
from tui_journal.services.setup.base import ROUNDING_MODES, Named
from tui_journal.services.tx import write_tx

# --- the school's settings: working week, grading policy -----------------------------


@dataclass(frozen=True)
class SchoolSettings:
    week_days: int
    rounding: str
    threshold_5: float
    threshold_4: float
    threshold_3: float
    min_marks: int


def school_settings(actor: Actor) -> SchoolSettings:
    """The working week and the grading policy (the staff read them)."""
    require_staff(actor, "настройки школы")
    s = School.get_by_id(actor.school_id)
    return SchoolSettings(s.week_days, s.rounding, s.threshold_5, s.threshold_4, s.threshold_3, s.min_marks)


def set_week_days(actor: Actor, days: int) -> None:
    """The working week: 5 or 6 days (R-SETUP-1)."""
    require_admin(actor, "режим работы школы")
    if days not in (5, 6):
        raise InvalidInput(f"Неделя бывает 5- или 6-дневной, а не {days}-дневной")
    with write_tx():
        audit.save_changes(actor, "school", School.get_by_id(actor.school_id), {"week_days": days})


def set_grading_policy(
    actor: Actor,
    *,
    rounding: str | None = None,
    threshold_5: float | None = None,
    threshold_4: float | None = None,
    threshold_3: float | None = None,
    min_marks: int | None = None,
) -> None:
    """How period marks are proposed from the current ones (R-J-5): rounding, thresholds, least marks."""
    require_admin(actor, "правила выставления итоговых отметок")
    school = School.get_by_id(actor.school_id)
    after: dict[str, object] = {}
    if rounding is not None:
        if rounding not in ROUNDING_MODES:
            raise InvalidInput(f"Округление «{rounding}» неизвестно: half_up (обычное) или threshold (пороги)")
        after["rounding"] = rounding
    for key, value in (("threshold_5", threshold_5), ("threshold_4", threshold_4), ("threshold_3", threshold_3)):
        if value is not None:
            after[key] = float(value)
    if min_marks is not None:
        if not 0 <= min_marks <= 20:
            raise InvalidInput(f"Наименьшее число отметок должно быть от 0 до 20, а не {min_marks}")
        after["min_marks"] = int(min_marks)
    t5 = float(after.get("threshold_5", school.threshold_5))  # type: ignore[arg-type]
    t4 = float(after.get("threshold_4", school.threshold_4))  # type: ignore[arg-type]
    t3 = float(after.get("threshold_3", school.threshold_3))  # type: ignore[arg-type]
    if not 1 < t3 < t4 < t5 < 5:
        raise InvalidInput(f"Пороги должны расти: 1 < «3» ({t3}) < «4» ({t4}) < «5» ({t5}) < 5")
    with write_tx():
        audit.save_changes(actor, "school", school, after)


# --- bells ----------------------------------------------------------------------------

#: The name of the schedule :func:`set_main_bells` creates when the school has none.
MAIN_SCHEDULE = "Основное"


def add_bell_schedule(
    actor: Actor, name: str, bells: Sequence[tuple[int, dt.time, dt.time]] = ()
) -> Named:
    require_admin(actor, "расписание звонков")
    name = clean_text(name, "название расписания звонков")
    with write_tx():
        refuse_taken_name(BellSchedule, actor, name, f"Расписание звонков «{name}» уже есть")
        schedule = BellSchedule.create(school=actor.school_id, name=name)
        audit.record_creation(actor, "bell_schedule", schedule.id, {"name": name})
        if bells:
            _replace_bells(actor, schedule, bells)
    return Named(schedule.id, name, _bells_text(schedule.id))


def _bells_text(schedule_id: int) -> str:
    rows = Bell.select().where(Bell.schedule == schedule_id).order_by(Bell.number)
    return "; ".join(f"{b.number}: {b.starts:%H:%M}–{b.ends:%H:%M}" for b in rows)


def _replace_bells(actor: Actor, schedule: BellSchedule, bells: Sequence[tuple[int, dt.time, dt.time]]) -> None:
    ordered = sorted(bells)
    numbers = [b[0] for b in ordered]
    if len(set(numbers)) != len(numbers):
        raise InvalidInput("Номер урока в расписании звонков повторяется")
    for number, starts, ends in ordered:
        if not 0 <= number <= 12:
            raise InvalidInput(f"Номер урока {number} вне 0–12")
        if ends <= starts:
            raise InvalidInput(f"Урок {number}: конец {ends:%H:%M} не позже начала {starts:%H:%M}")
    for a, b in itertools.pairwise(ordered):
        if b[1] < a[2]:
            raise InvalidInput(f"Урок {b[0]} начинается ({b[1]:%H:%M}) раньше конца урока {a[0]} ({a[2]:%H:%M})")
    old = _bells_text(schedule.id)
    Bell.delete().where(Bell.schedule == schedule.id).execute()
    for number, starts, ends in ordered:
        Bell.create(schedule=schedule, number=number, starts=starts, ends=ends)
    audit.record_changes(actor, "bell_schedule", schedule.id, {"bells": old}, {"bells": _bells_text(schedule.id)})


def list_bell_schedules(actor: Actor) -> list[Named]:
    """The school's bell schedules with their bells as text («1 08:30–09:15; …»)."""
    require_staff(actor, "расписание звонков")
    schedules = BellSchedule.select().where(BellSchedule.school == actor.school_id).order_by(BellSchedule.id)
    return [Named(b.id, b.name, _bells_text(b.id)) for b in schedules]


def set_bells(actor: Actor, schedule_id: int, bells: Sequence[tuple[int, dt.time, dt.time]]) -> Named:
    """Replace the bells of a schedule: (lesson number, starts, ends)."""
    require_admin(actor, "расписание звонков")
    schedule = row_in_school(BellSchedule, actor, schedule_id, f"Расписание звонков не найдено: {schedule_id}")
    with write_tx():
        _replace_bells(actor, schedule, bells)
    return Named(schedule.id, schedule.name, _bells_text(schedule.id))


def set_main_bells(
    actor: Actor, bells: Sequence[tuple[int, dt.time, dt.time]], *, name: str = MAIN_SCHEDULE
) -> Named:
    """The bells of the school's main (first) schedule, which is created under ``name`` when
    the school has none yet: the whole change in one transaction."""
    require_admin(actor, "расписание звонков")
    with write_tx():
        schedule = (
            BellSchedule.select().where(BellSchedule.school == actor.school_id).order_by(BellSchedule.id).first()
        )
        if schedule is None:
            name = clean_text(name, "название расписания звонков")
            schedule = BellSchedule.create(school=actor.school_id, name=name)
            audit.record_creation(actor, "bell_schedule", schedule.id, {"name": name})
        _replace_bells(actor, schedule, bells)
    return Named(schedule.id, schedule.name, _bells_text(schedule.id))
