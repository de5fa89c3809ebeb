"""School setup by the admin (R-SETUP-1..3): years and their periods, the working week, bells,
rooms, subjects, work types, the grading policy, classes, the curriculum, teachers' assignments
and subgroups.

Every change is the admin's (R-ROLE-ADMIN), in one transaction, with one audit row per changed
field. A closed year (R-CONT-2) refuses every change to its classes. Reads of the structure
are open to the staff roles, which need it to find their way around.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from peewee import fn

from tui_journal import clock
from tui_journal.db.models import (
    AcademicYear,
    Assignment,
    Bell,
    BellSchedule,
    Curriculum,
    Enrollment,
    Group,
    GroupMember,
    Lesson,
    Mark,
    Period,
    PeriodMark,
    Room,
    School,
    SchoolClass,
    Subject,
    User,
    UserRole,
    WorkType,
)
from tui_journal.domain.periods import HALF, HOLIDAYS, QUARTER, TRIMESTER, PeriodSpan, standard_quarters
from tui_journal.domain.text import parse_class_name
from tui_journal.services import access, audit
from tui_journal.services import roles as R
from tui_journal.services.access import require_admin, require_staff
from tui_journal.services.actor import Actor
from tui_journal.services.checks import (
    clean_text,
    group_in_class,
    open_year,
    short_user,
    subject_in_school,
    teacher_by_login,
    year_in_school,
)
from tui_journal.services.errors import Conflict, InvalidInput, NotFound
from tui_journal.services.journal import class_label
from tui_journal.services.tx import write_tx

PERIOD_KINDS = (QUARTER, HALF, TRIMESTER, HOLIDAYS)
PERIOD_KIND_NAMES = {QUARTER: "четверть", HALF: "полугодие", TRIMESTER: "триместр", HOLIDAYS: "каникулы"}
ROUNDING_MODES = ("half_up", "threshold")
MAX_NAME = 100


# --- values returned ---------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodView:
    id: int
    name: str
    kind: str
    ordinal: int
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class YearInfo:
    id: int
    name: str
    start: dt.date
    end: dt.date
    closed: bool
    periods: tuple[PeriodView, ...]


@dataclass(frozen=True)
class ClassInfo:
    id: int
    name: str
    grade: int
    letter: str
    kind: str
    year_id: int
    class_teacher: str  # «Иванова М. И.» or ""
    class_teacher_login: str
    pupils: int


@dataclass(frozen=True)
class Named:
    """A row of a short list: a room, a subject, a work type, a bell schedule, a group."""

    id: int
    name: str
    detail: str = ""


@dataclass(frozen=True)
class CurriculumGrid:
    """учебный план of one year: classes × subjects with hours per week (R-SETUP-2)."""

    year_id: int
    classes: tuple[tuple[int, str], ...]
    subjects: tuple[tuple[int, str], ...]
    hours: dict[tuple[int, int], float]  # (class id, subject id) → hours per week

    def total(self, class_id: int) -> float:
        return sum(h for (c, _), h in self.hours.items() if c == class_id)


@dataclass(frozen=True)
class AssignmentInfo:
    id: int
    class_id: int
    class_name: str
    subject_id: int
    subject: str
    teacher_login: str
    teacher: str
    group_id: int | None
    group: str


def _open_class(actor: Actor, class_id: int) -> SchoolClass:
    cls = access.class_in_school(actor, class_id)
    open_year(actor, cls.year_id)
    return cls


def _current_year(actor: Actor, on: dt.date | None = None) -> AcademicYear | None:
    """The school's year containing ``on`` (today), else the latest open one."""
    day = on or clock.today()
    years = list(AcademicYear.select().where(AcademicYear.school == actor.school_id).order_by(AcademicYear.start))
    for year in years:
        if year.start <= day <= year.end:
            return year
    open_years = [y for y in years if not y.closed]
    return open_years[-1] if open_years else (years[-1] if years else None)


def find_class(actor: Actor, name: str, year_id: int | None = None) -> SchoolClass:
    """A class by its name («7А», «7 а», «ГКП») in the given year or the current one."""
    year = year_in_school(actor, year_id) if year_id is not None else _current_year(actor)
    if year is None:
        raise NotFound("В школе нет ни одного учебного года")
    text = name.strip()
    query = SchoolClass.select().where(SchoolClass.year == year.id)
    try:
        grade, letter = parse_class_name(text)
        cls = query.where((SchoolClass.grade == grade) & (SchoolClass.letter == letter)).first()
    except ValueError:
        cls = query.where((SchoolClass.grade == 0) & (fn.upper(SchoolClass.letter) == text.upper())).first()
        if cls is None:
            cls = next((c for c in query if c.grade == 0 and c.letter.casefold() == text.casefold()), None)
    if cls is None:
        raise NotFound(f"Класс «{text}» не найден в {year.name} учебном году")
    return cls


def find_subject(actor: Actor, name: str) -> Subject:
    """A subject by its name or short name, regardless of case."""
    wanted = name.strip().casefold()
    for subject in Subject.select().where(Subject.school == actor.school_id):
        if wanted in (subject.name.casefold(), (subject.short_name or "").casefold()):
            return subject
    raise NotFound(f"Предмет «{name.strip()}» не найден")


# --- academic years and periods (R-SETUP-1) ------------------------------------------


def default_periods(layout: str, year_start: dt.date) -> list[PeriodSpan]:
    """The usual quarters, halves or trimesters (with the holidays) of a year starting in September."""
    quarters = standard_quarters(year_start.year)
    holidays = [s for s in quarters if s.kind == HOLIDAYS]
    first, last = quarters[0].start, quarters[-1].end
    if layout == QUARTER:
        return quarters
    y = year_start.year
    if layout == HALF:
        return [
            PeriodSpan("1 полугодие", first, dt.date(y, 12, 28), HALF),
            PeriodSpan("2 полугодие", dt.date(y + 1, 1, 12), last, HALF),
            *holidays,
        ]
    if layout == TRIMESTER:
        return [
            PeriodSpan("1 триместр", first, dt.date(y, 11, 30), TRIMESTER),
            PeriodSpan("2 триместр", dt.date(y, 12, 1), dt.date(y + 1, 2, 28), TRIMESTER),
            PeriodSpan("3 триместр", dt.date(y + 1, 3, 1), last, TRIMESTER),
            *holidays,
        ]
    raise InvalidInput(f"Неизвестное деление года «{layout}»: четверти (quarter), полугодия (half), триместры (trimester)")


def _year_info(year: AcademicYear) -> YearInfo:
    periods = tuple(
        PeriodView(p.id, p.name, p.kind, p.ordinal, p.start, p.end)
        for p in Period.select().where(Period.year == year.id).order_by(Period.start, Period.id)
    )
    return YearInfo(year.id, year.name, year.start, year.end, year.closed, periods)


def check_span(start: dt.date, end: dt.date, what: str) -> None:
    if end < start:
        raise InvalidInput(f"{what}: дата окончания {end:%d.%m.%Y} раньше даты начала {start:%d.%m.%Y}")


def check_periods(year_start: dt.date, year_end: dt.date, spans: Sequence[tuple[str, str, dt.date, dt.date]]) -> None:
    """Periods inside the year; study periods of one kind and not overlapping."""
    study = sorted((s for s in spans if s[1] != HOLIDAYS), key=lambda s: s[2])
    for name, kind, start, end in spans:
        if kind not in PERIOD_KINDS:
            raise InvalidInput(f"«{name}»: вид периода «{kind}» неизвестен (quarter, half, trimester, holidays)")
        check_span(start, end, f"«{name}»")
        if start < year_start or end > year_end:
            raise InvalidInput(
                f"«{name}» ({start:%d.%m.%Y}–{end:%d.%m.%Y}) выходит за границы учебного года "
                f"{year_start:%d.%m.%Y}–{year_end:%d.%m.%Y}"
            )
    kinds = {s[1] for s in study}
    if len(kinds) > 1:
        raise InvalidInput("В году не могут одновременно быть " + " и ".join(PERIOD_KIND_NAMES[k] for k in sorted(kinds)))
    for a, b in itertools.pairwise(study):
        if b[2] <= a[3]:
            raise InvalidInput(f"Периоды «{a[0]}» и «{b[0]}» пересекаются")


def list_years(actor: Actor) -> list[YearInfo]:
    """The school's academic years with their periods (staff roles)."""
    require_staff(actor, "учебные годы")
    years = AcademicYear.select().where(AcademicYear.school == actor.school_id).order_by(AcademicYear.start)
    return [_year_info(y) for y in years]


def add_year(
    actor: Actor, name: str, start: dt.date, end: dt.date, *, layout: str | None = QUARTER
) -> YearInfo:
    """A new academic year; ``layout`` fills the usual quarters/halves/trimesters and holidays."""
    require_admin(actor, "учебные годы")
    name = clean_text(name, "название учебного года", kind="year_name")
    check_span(start, end, f"Учебный год {name}")
    spans = [(s.name, s.kind, s.start, s.end) for s in default_periods(layout, start)] if layout else []
    spans = [s for s in spans if start <= s[2] and s[3] <= end]
    check_periods(start, end, spans)
    with write_tx():
        if AcademicYear.select().where((AcademicYear.school == actor.school_id) & (AcademicYear.name == name)).exists():
            raise Conflict(f"Учебный год {name} уже есть")
        year = AcademicYear.create(school=actor.school_id, name=name, start=start, end=end)
        audit.record_creation(actor, "year", year.id, {"name": name, "start": start, "end": end})
        _create_periods(actor, year, spans)
    return _year_info(year)


def _create_periods(actor: Actor, year: AcademicYear, spans: Sequence[tuple[str, str, dt.date, dt.date]]) -> None:
    ordinals: dict[str, int] = {}
    for name, kind, start, end in sorted(spans, key=lambda s: s[2]):
        ordinals[kind] = ordinals.get(kind, 0) + 1
        period = Period.create(year=year, name=name, kind=kind, ordinal=ordinals[kind], start=start, end=end)
        audit.record_creation(
            actor, "period", period.id, {"year": year.name, "name": name, "kind": kind, "start": start, "end": end}
        )


def update_year(
    actor: Actor, year_id: int, *, name: str | None = None, start: dt.date | None = None, end: dt.date | None = None
) -> YearInfo:
    require_admin(actor, "учебные годы")
    year = open_year(actor, year_id)
    after: dict[str, object] = {}
    if name is not None:
        after["name"] = clean_text(name, "название учебного года", kind="year_name")
    if start is not None:
        after["start"] = start
    if end is not None:
        after["end"] = end
    new_start, new_end = after.get("start", year.start), after.get("end", year.end)
    assert isinstance(new_start, dt.date) and isinstance(new_end, dt.date)
    check_span(new_start, new_end, "Учебный год")
    spans = [(p.name, p.kind, p.start, p.end) for p in Period.select().where(Period.year == year.id)]
    check_periods(new_start, new_end, spans)
    with write_tx():
        if "name" in after and AcademicYear.select().where(
            (AcademicYear.school == actor.school_id) & (AcademicYear.name == after["name"]) & (AcademicYear.id != year.id)
        ).exists():
            raise Conflict(f"Учебный год {after['name']} уже есть")
        before = {k: getattr(year, k) for k in after}
        AcademicYear.update(**after).where(AcademicYear.id == year.id).execute()
        audit.record_changes(actor, "year", year.id, before, after)
    return _year_info(AcademicYear.get_by_id(year.id))


def add_period(actor: Actor, year_id: int, name: str, kind: str, start: dt.date, end: dt.date) -> YearInfo:
    """A quarter, half, trimester or a holiday span of the year."""
    require_admin(actor, "периоды учебного года")
    year = open_year(actor, year_id)
    name = clean_text(name, "название периода")
    spans = [(p.name, p.kind, p.start, p.end) for p in Period.select().where(Period.year == year.id)]
    check_periods(year.start, year.end, [*spans, (name, kind, start, end)])
    with write_tx():
        ordinal = Period.select().where((Period.year == year.id) & (Period.kind == kind) & (Period.start < start)).count() + 1
        Period.update(ordinal=Period.ordinal + 1).where(
            (Period.year == year.id) & (Period.kind == kind) & (Period.start > start)
        ).execute()
        period = Period.create(year=year, name=name, kind=kind, ordinal=ordinal, start=start, end=end)
        audit.record_creation(
            actor, "period", period.id, {"year": year.name, "name": name, "kind": kind, "start": start, "end": end}
        )
    return _year_info(year)


def _period(actor: Actor, period_id: int) -> Period:
    period = (
        Period.select(Period, AcademicYear)
        .join(AcademicYear)
        .where((Period.id == period_id) & (AcademicYear.school == actor.school_id))
        .first()
    )
    if period is None:
        raise NotFound(f"Период не найден: {period_id}")
    return period


def update_period(
    actor: Actor, period_id: int, *, name: str | None = None, start: dt.date | None = None, end: dt.date | None = None
) -> YearInfo:
    require_admin(actor, "периоды учебного года")
    period = _period(actor, period_id)
    year = open_year(actor, period.year_id)
    after: dict[str, object] = {}
    if name is not None:
        after["name"] = clean_text(name, "название периода")
    if start is not None:
        after["start"] = start
    if end is not None:
        after["end"] = end
    spans = [
        (p.name, p.kind, p.start, p.end)
        for p in Period.select().where((Period.year == year.id) & (Period.id != period.id))
    ]
    new = (after.get("name", period.name), period.kind, after.get("start", period.start), after.get("end", period.end))
    check_periods(year.start, year.end, [*spans, new])  # type: ignore[list-item]
    with write_tx():
        before = {k: getattr(period, k) for k in after}
        Period.update(**after).where(Period.id == period.id).execute()
        audit.record_changes(actor, "period", period.id, before, after)
    return _year_info(year)


def delete_period(actor: Actor, period_id: int) -> YearInfo:
    """Remove a period; refused while period marks were given for it."""
    require_admin(actor, "периоды учебного года")
    period = _period(actor, period_id)
    year = open_year(actor, period.year_id)
    if PeriodMark.select().where(PeriodMark.period == period.id).exists():
        raise InvalidInput(f"За период «{period.name}» уже выставлены отметки: удалить его нельзя")
    with write_tx():
        Period.delete().where(Period.id == period.id).execute()
        audit.record(actor, "delete", "period", period.id, "name", period.name, None)
    return _year_info(year)


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
        school = School.get_by_id(actor.school_id)
        School.update(week_days=days).where(School.id == school.id).execute()
        audit.record_changes(actor, "school", school.id, {"week_days": school.week_days}, {"week_days": days})


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
        before = {k: getattr(school, k) for k in after}
        School.update(**after).where(School.id == school.id).execute()
        audit.record_changes(actor, "school", school.id, before, after)


# --- bells ----------------------------------------------------------------------------


def add_bell_schedule(
    actor: Actor, name: str, bells: Sequence[tuple[int, dt.time, dt.time]] = ()
) -> Named:
    require_admin(actor, "расписание звонков")
    name = clean_text(name, "название расписания звонков")
    with write_tx():
        if BellSchedule.select().where((BellSchedule.school == actor.school_id) & (BellSchedule.name == name)).exists():
            raise Conflict(f"Расписание звонков «{name}» уже есть")
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
    schedule = BellSchedule.get_or_none((BellSchedule.id == schedule_id) & (BellSchedule.school == actor.school_id))
    if schedule is None:
        raise NotFound(f"Расписание звонков не найдено: {schedule_id}")
    with write_tx():
        _replace_bells(actor, schedule, bells)
    return Named(schedule.id, schedule.name, _bells_text(schedule.id))


# --- rooms, subjects, work types --------------------------------------------------------


def list_rooms(actor: Actor) -> list[Named]:
    require_staff(actor, "кабинеты")
    return [Named(r.id, r.name) for r in Room.select().where(Room.school == actor.school_id).order_by(Room.name)]


def list_teachers(actor: Actor) -> list[Named]:
    """The school's active teachers (and educators) for pickers: «Иванова М. И.», login in detail."""
    require_staff(actor, "список учителей")
    teachers = (
        User.select()
        .join(UserRole, on=(UserRole.user == User.id))
        .where(
            (User.school == actor.school_id)
            & (UserRole.role.in_([R.TEACHER, R.EDUCATOR]))
            & (User.state != "removed")
        )
        .distinct()
        .order_by(User.last_name, User.first_name)
    )
    return [Named(u.id, short_user(u), u.login) for u in teachers]


def add_room(actor: Actor, name: str) -> Named:
    require_admin(actor, "кабинеты")
    name = clean_text(name, "кабинет")
    with write_tx():
        if Room.select().where((Room.school == actor.school_id) & (Room.name == name)).exists():
            raise Conflict(f"Кабинет «{name}» уже есть")
        room = Room.create(school=actor.school_id, name=name)
        audit.record_creation(actor, "room", room.id, {"name": name})
    return Named(room.id, name)


def rename_room(actor: Actor, room_id: int, name: str) -> Named:
    require_admin(actor, "кабинеты")
    room = Room.get_or_none((Room.id == room_id) & (Room.school == actor.school_id))
    if room is None:
        raise NotFound(f"Кабинет не найден: {room_id}")
    name = clean_text(name, "кабинет")
    with write_tx():
        if Room.select().where((Room.school == actor.school_id) & (Room.name == name) & (Room.id != room.id)).exists():
            raise Conflict(f"Кабинет «{name}» уже есть")
        Room.update(name=name).where(Room.id == room.id).execute()
        audit.record_changes(actor, "room", room.id, {"name": room.name}, {"name": name})
    return Named(room.id, name)


def list_subjects(actor: Actor) -> list[Named]:
    require_staff(actor, "предметы")
    return [
        Named(s.id, s.name, ", ".join(
            note for note, on in ((SPLIT_NOTE, s.split_into_groups), (NO_CONTROL_NOTE, not s.has_control_works)) if on
        ))
        for s in Subject.select().where(Subject.school == actor.school_id).order_by(Subject.name)
    ]


#: The notes of list_subjects' detail.
SPLIT_NOTE = "делится на группы"
NO_CONTROL_NOTE = "без контрольных"


def add_subject(
    actor: Actor, name: str, short_name: str = "", *, split_into_groups: bool = False, has_control_works: bool = True
) -> Named:
    require_admin(actor, "предметы")
    name = clean_text(name, "название предмета")
    short_name = clean_text(short_name, "краткое название", required=False, kind="short_name")
    with write_tx():
        if Subject.select().where((Subject.school == actor.school_id) & (Subject.name == name)).exists():
            raise Conflict(f"Предмет «{name}» уже есть")
        subject = Subject.create(
            school=actor.school_id, name=name, short_name=short_name, split_into_groups=split_into_groups,
            has_control_works=has_control_works,
        )
        audit.record_creation(
            actor, "subject", subject.id,
            {"name": name, "short_name": short_name, "split_into_groups": split_into_groups or None,
             "has_control_works": None if has_control_works else False},
        )
    return Named(subject.id, name)


def update_subject(
    actor: Actor,
    subject_id: int,
    *,
    name: str | None = None,
    short_name: str | None = None,
    split_into_groups: bool | None = None,
    has_control_works: bool | None = None,
) -> Named:
    """Rename, or change whether the subject splits into groups and whether it has control
    works (without them the deputy's objectivity check does not ask for one)."""
    require_admin(actor, "предметы")
    subject = subject_in_school(actor, subject_id)
    after: dict[str, object] = {}
    if name is not None:
        after["name"] = clean_text(name, "название предмета")
    if short_name is not None:
        after["short_name"] = clean_text(short_name, "краткое название", required=False, kind="short_name")
    if split_into_groups is not None:
        after["split_into_groups"] = split_into_groups
    if has_control_works is not None:
        after["has_control_works"] = has_control_works
    with write_tx():
        if "name" in after and Subject.select().where(
            (Subject.school == actor.school_id) & (Subject.name == after["name"]) & (Subject.id != subject.id)
        ).exists():
            raise Conflict(f"Предмет «{after['name']}» уже есть")
        before = {k: getattr(subject, k) for k in after}
        Subject.update(**after).where(Subject.id == subject.id).execute()
        audit.record_changes(actor, "subject", subject.id, before, after)
    return Named(subject.id, str(after.get("name", subject.name)))


def list_work_types(actor: Actor) -> list[Named]:
    require_staff(actor, "виды работ")
    return [
        Named(w.id, w.name, f"вес {w.weight:g}" + (", контрольная" if w.is_control else ""))
        for w in WorkType.select().where(WorkType.school == actor.school_id).order_by(WorkType.id)
    ]


def check_weight(weight: float) -> float:
    if not 0 < weight <= 10:
        raise InvalidInput(f"Вес вида работы должен быть больше 0 и не больше 10, а не {weight}")
    return float(weight)


def add_work_type(
    actor: Actor, name: str, weight: float = 1.0, *, short_name: str = "", is_control: bool = False
) -> Named:
    require_admin(actor, "виды работ")
    name = clean_text(name, "вид работы")
    short_name = clean_text(short_name, "краткое название", required=False, kind="short_name")
    weight = check_weight(weight)
    with write_tx():
        if WorkType.select().where((WorkType.school == actor.school_id) & (WorkType.name == name)).exists():
            raise Conflict(f"Вид работы «{name}» уже есть")
        wt = WorkType.create(
            school=actor.school_id, name=name, short_name=short_name, weight=weight, is_control=is_control
        )
        audit.record_creation(
            actor, "work_type", wt.id,
            {"name": name, "short_name": short_name, "weight": weight, "is_control": is_control or None},
        )
    return Named(wt.id, name, f"вес {weight:g}")


def update_work_type(
    actor: Actor,
    work_type_id: int,
    *,
    name: str | None = None,
    weight: float | None = None,
    short_name: str | None = None,
    is_control: bool | None = None,
) -> Named:
    require_admin(actor, "виды работ")
    wt = WorkType.get_or_none((WorkType.id == work_type_id) & (WorkType.school == actor.school_id))
    if wt is None:
        raise NotFound(f"Вид работы не найден: {work_type_id}")
    after: dict[str, object] = {}
    if name is not None:
        after["name"] = clean_text(name, "вид работы")
    if weight is not None:
        after["weight"] = check_weight(weight)
    if short_name is not None:
        after["short_name"] = clean_text(short_name, "краткое название", required=False, kind="short_name")
    if is_control is not None:
        after["is_control"] = is_control
    with write_tx():
        if "name" in after and WorkType.select().where(
            (WorkType.school == actor.school_id) & (WorkType.name == after["name"]) & (WorkType.id != wt.id)
        ).exists():
            raise Conflict(f"Вид работы «{after['name']}» уже есть")
        before = {k: getattr(wt, k) for k in after}
        WorkType.update(**after).where(WorkType.id == wt.id).execute()
        audit.record_changes(actor, "work_type", wt.id, before, after)
    return Named(wt.id, str(after.get("name", wt.name)))


# --- classes (R-SETUP-2) ------------------------------------------------------------------


def _class_info(cls: SchoolClass) -> ClassInfo:
    teacher = User.get_or_none(User.id == cls.class_teacher_id) if cls.class_teacher_id else None
    pupils = Enrollment.select().where((Enrollment.school_class == cls.id) & Enrollment.end.is_null()).count()
    return ClassInfo(
        cls.id, class_label(cls), cls.grade, cls.letter, cls.kind, cls.year_id,
        short_user(teacher), teacher.login if teacher else "", pupils,
    )


def _class_order(cls: SchoolClass) -> tuple[int, str]:
    return (cls.grade if cls.grade else 100, cls.letter)


def list_classes(actor: Actor, year_id: int | None = None) -> list[ClassInfo]:
    """The classes of a year (default: the current one), with class teachers and pupils on roll."""
    require_staff(actor, "список классов")
    year = year_in_school(actor, year_id) if year_id is not None else _current_year(actor)
    if year is None:
        return []
    classes = sorted(SchoolClass.select().where(SchoolClass.year == year.id), key=_class_order)
    return [_class_info(c) for c in classes]


def add_class(
    actor: Actor,
    year_id: int,
    name: str,
    *,
    class_teacher: str | None = None,
    preschool: bool = False,
) -> ClassInfo:
    """A class «7А» (grade and letter) or a preschool group (grade 0, any short name)."""
    require_admin(actor, "классы")
    year = open_year(actor, year_id)
    if preschool:
        grade, letter, kind = 0, clean_text(name, "название группы", kind="short_name"), "preschool"
    else:
        try:
            grade, letter = parse_class_name(name)
        except ValueError as exc:
            raise InvalidInput(str(exc)) from exc
        kind = "class"
    teacher = teacher_by_login(actor, class_teacher) if class_teacher else None
    with write_tx():
        if SchoolClass.select().where(
            (SchoolClass.year == year.id) & (SchoolClass.grade == grade) & (SchoolClass.letter == letter)
        ).exists():
            raise Conflict(f"Класс {letter if grade == 0 else f'{grade}{letter}'} в {year.name} уже есть")
        cls = SchoolClass.create(
            school=actor.school_id, year=year, grade=grade, letter=letter, kind=kind,
            class_teacher=teacher.id if teacher else None,
        )
        audit.record_creation(
            actor, "class", cls.id,
            {"year": year.name, "name": class_label(cls), "kind": kind, "class_teacher": teacher.login if teacher else None},
        )
    return _class_info(cls)


def set_class_teacher(actor: Actor, class_id: int, login: str | None) -> ClassInfo:
    """Appoint (or with None remove) the class teacher (классный руководитель)."""
    require_admin(actor, "классное руководство")
    cls = _open_class(actor, class_id)
    teacher = teacher_by_login(actor, login) if login else None
    with write_tx():
        old = User.get_or_none(User.id == cls.class_teacher_id) if cls.class_teacher_id else None
        SchoolClass.update(class_teacher=teacher.id if teacher else None).where(SchoolClass.id == cls.id).execute()
        audit.record_changes(
            actor, "class", cls.id,
            {"class_teacher": old.login if old else None}, {"class_teacher": teacher.login if teacher else None},
        )
    return _class_info(SchoolClass.get_by_id(cls.id))


def delete_class(actor: Actor, class_id: int) -> None:
    """Remove a class created by mistake: refused once it has pupils or lessons."""
    require_admin(actor, "классы")
    cls = _open_class(actor, class_id)
    if Enrollment.select().where(Enrollment.school_class == cls.id).exists():
        raise InvalidInput(f"В классе {class_label(cls)} есть (или были) учащиеся: удалить его нельзя")
    if Lesson.select().where(Lesson.school_class == cls.id).exists():
        raise InvalidInput(f"У класса {class_label(cls)} уже есть уроки: удалить его нельзя")
    with write_tx():
        SchoolClass.delete().where(SchoolClass.id == cls.id).execute()
        audit.record(actor, "delete", "class", cls.id, "name", class_label(cls), None)


# --- curriculum (учебный план) --------------------------------------------------------


def curriculum_grid(actor: Actor, year_id: int | None = None) -> CurriculumGrid:
    """Classes × subjects with hours per week of one year (default: the current one)."""
    require_staff(actor, "учебный план")
    year = year_in_school(actor, year_id) if year_id is not None else _current_year(actor)
    if year is None:
        raise NotFound("В школе нет ни одного учебного года")
    classes = sorted(SchoolClass.select().where(SchoolClass.year == year.id), key=_class_order)
    subjects = list(Subject.select().where(Subject.school == actor.school_id).order_by(Subject.name))
    hours = {
        (c.school_class_id, c.subject_id): c.hours_per_week
        for c in Curriculum.select().join(SchoolClass).where(SchoolClass.year == year.id)
    }
    return CurriculumGrid(
        year.id,
        tuple((c.id, class_label(c)) for c in classes),
        tuple((s.id, s.name) for s in subjects),
        hours,
    )


def set_hours(actor: Actor, class_id: int, subject_id: int, hours: float) -> float:
    """Hours per week of a subject in a class; 0 removes the subject from the class's plan."""
    require_admin(actor, "учебный план")
    cls = _open_class(actor, class_id)
    subject = subject_in_school(actor, subject_id)
    if not 0 <= hours <= 40 or round(hours * 2) != hours * 2:
        raise InvalidInput(f"Часов в неделю: от 0 до 40 с шагом 0,5, а не {hours}")
    with write_tx():
        row = Curriculum.get_or_none((Curriculum.school_class == cls.id) & (Curriculum.subject == subject.id))
        old = row.hours_per_week if row else None
        if hours == 0:
            if row:
                Curriculum.delete().where(Curriculum.id == row.id).execute()
        elif row:
            Curriculum.update(hours_per_week=hours).where(Curriculum.id == row.id).execute()
        else:
            Curriculum.create(school_class=cls, subject=subject, hours_per_week=hours)
        new = hours or None
        if old != new:
            audit.record(actor, "update", "curriculum", f"{class_label(cls)}:{subject.name}", "hours_per_week", old, new)
    return hours


# --- subgroups (R-SETUP-3) ------------------------------------------------------------------


def list_groups(actor: Actor, class_id: int) -> list[Named]:
    require_staff(actor, "группы класса")
    cls = access.class_in_school(actor, class_id)
    rows = Group.select(Group, Subject).join(Subject).where(Group.school_class == cls.id).order_by(Subject.name, Group.name)
    result = []
    for g in rows:
        members = GroupMember.select().where((GroupMember.group == g.id) & GroupMember.end.is_null()).count()
        subject_name = g.subject.name if g.subject is not None else ""
        result.append(Named(g.id, g.name, f"{subject_name}, {members} уч."))
    return result


def add_group(actor: Actor, class_id: int, subject_id: int, name: str) -> Named:
    require_admin(actor, "группы")
    cls = _open_class(actor, class_id)
    subject = subject_in_school(actor, subject_id)
    name = clean_text(name, "название группы", kind="group_name")
    with write_tx():
        if Group.select().where(
            (Group.school_class == cls.id) & (Group.subject == subject.id) & (Group.name == name)
        ).exists():
            raise Conflict(f"Группа «{name}» по предмету «{subject.name}» в {class_label(cls)} уже есть")
        group = Group.create(school_class=cls, subject=subject, name=name)
        audit.record_creation(actor, "group", group.id, {"class": class_label(cls), "subject": subject.name, "name": name})
    return Named(group.id, name, subject.name)


def _group_in_school(actor: Actor, group_id: int) -> tuple[Group, SchoolClass]:
    group = (
        Group.select(Group, SchoolClass)
        .join(SchoolClass)
        .where((Group.id == group_id) & (SchoolClass.school == actor.school_id))
        .first()
    )
    if group is None:
        raise NotFound(f"Группа не найдена: {group_id}")
    return group, group.school_class


def _on_roll(cls: SchoolClass, student_id: int) -> bool:
    return (
        Enrollment.select()
        .where((Enrollment.student == student_id) & (Enrollment.school_class == cls.id) & Enrollment.end.is_null())
        .exists()
    )


def _sibling_membership(group: Group, student_id: int) -> GroupMember | None:
    """The pupil's current membership in a group of the same class and subject."""
    member: GroupMember | None = (
        GroupMember.select(GroupMember, Group)
        .join(Group)
        .where(
            (GroupMember.student == student_id)
            & GroupMember.end.is_null()
            & (Group.school_class == group.school_class_id)
            & (Group.subject == group.subject_id)
        )
        .first()
    )
    return member


def add_to_group(actor: Actor, group_id: int, student_ids: Sequence[int], start: dt.date) -> int:
    """Put pupils of the class into a group (the first split, or a newcomer); returns how many.

    A pupil already in another group of this subject moves only at a period's end
    (:func:`move_to_group`, R-SETUP-3).
    """
    require_admin(actor, "состав групп")
    group, cls = _group_in_school(actor, group_id)
    year = open_year(actor, cls.year_id)
    if not year.start <= start <= year.end:
        raise InvalidInput(f"Дата {start:%d.%m.%Y} вне учебного года {year.name}")
    added = 0
    with write_tx():
        for student_id in student_ids:
            student = access.student_in_school(actor, student_id)
            if not _on_roll(cls, student.id):
                raise InvalidInput(f"{student.last_name} {student.first_name} не числится в {class_label(cls)}")
            current = _sibling_membership(group, student.id)
            if current is not None and current.group_id == group.id:
                continue
            if current is not None:
                raise InvalidInput(
                    f"{student.last_name} {student.first_name} уже в группе «{current.group.name}»: "
                    "переводить между группами можно только в конце периода"
                )
            GroupMember.create(group=group, student=student, start=start)
            audit.record(actor, "create", "group_member", f"{group.id}:{student.id}", "start", None, start)
            added += 1
    return added


def move_to_group(actor: Actor, student_id: int, to_group_id: int, period_id: int) -> None:
    """Move a pupil to another group of the same subject at the end of a period (R-SETUP-3, 4.4.12).

    The old membership ends on the period's last day; the new one starts the next day.
    """
    require_admin(actor, "состав групп")
    group, cls = _group_in_school(actor, to_group_id)
    open_year(actor, cls.year_id)
    student = access.student_in_school(actor, student_id)
    period = _period(actor, period_id)
    if period.year_id != cls.year_id or period.kind == HOLIDAYS:
        raise InvalidInput("Переводить между группами можно только в конце учебного периода этого года")
    current = _sibling_membership(group, student.id)
    if current is None:
        raise InvalidInput(f"{student.last_name} {student.first_name} не состоит в группе по этому предмету")
    if current.group_id == group.id:
        raise InvalidInput(f"{student.last_name} {student.first_name} уже в группе «{group.name}»")
    if current.start > period.end:
        raise InvalidInput(f"Учащийся в группе «{current.group.name}» только с {current.start:%d.%m.%Y}")
    later_marks = (
        Mark.select()
        .join(Lesson)
        .where((Mark.student == student.id) & (Lesson.group == current.group_id) & (Lesson.date > period.end))
        .exists()
    )
    if later_marks:
        raise InvalidInput(
            f"У учащегося есть отметки в группе «{current.group.name}» после {period.end:%d.%m.%Y}: "
            "перевод в конце этого периода невозможен"
        )
    starts = period.end + dt.timedelta(days=1)
    with write_tx():
        GroupMember.update(end=period.end).where(GroupMember.id == current.id).execute()
        GroupMember.create(group=group, student=student, start=starts)
        audit.record(actor, "update", "group_member", student.id, "group", current.group.name, group.name)
        audit.record(actor, "update", "group_member", student.id, "since", None, starts)


# --- assignments: who teaches what where ----------------------------------------------


def _assignment_info(a: Assignment) -> AssignmentInfo:
    cls = SchoolClass.get_by_id(a.school_class_id)
    teacher = User.get_by_id(a.teacher_id)
    group = Group.get_or_none(Group.id == a.group_id) if a.group_id else None
    return AssignmentInfo(
        a.id, cls.id, class_label(cls), a.subject_id, Subject.get_by_id(a.subject_id).name,
        teacher.login, short_user(teacher), a.group_id, group.name if group else "",
    )


def list_assignments(actor: Actor, class_id: int) -> list[AssignmentInfo]:
    require_staff(actor, "учебная нагрузка")
    cls = access.class_in_school(actor, class_id)
    rows = Assignment.select().where(Assignment.school_class == cls.id).order_by(Assignment.subject, Assignment.group)
    return [_assignment_info(a) for a in rows]


def assign_teacher(
    actor: Actor, class_id: int, subject_id: int, teacher_login: str, *, group_id: int | None = None
) -> AssignmentInfo:
    """The teacher teaches the subject in the class (or one of its subgroups)."""
    require_admin(actor, "учебная нагрузка")
    cls = _open_class(actor, class_id)
    subject = subject_in_school(actor, subject_id)
    group = group_in_class(cls, group_id)
    if group is not None and group.subject_id not in (None, subject.id):
        raise InvalidInput(f"Группа «{group.name}» создана для другого предмета")
    teacher = teacher_by_login(actor, teacher_login)
    with write_tx():
        query = Assignment.select().where(
            (Assignment.teacher == teacher.id) & (Assignment.school_class == cls.id) & (Assignment.subject == subject.id)
        )
        query = query.where(Assignment.group.is_null() if group is None else (Assignment.group == group.id))
        if query.exists():
            raise Conflict(f"{short_user(teacher)} уже ведёт «{subject.name}» в {class_label(cls)}")
        row = Assignment.create(teacher=teacher, school_class=cls, subject=subject, group=group.id if group else None)
        audit.record_creation(
            actor, "assignment", row.id,
            {"teacher": teacher.login, "class": class_label(cls), "subject": subject.name, "group": group.name if group else None},
        )
    return _assignment_info(row)


def unassign_teacher(actor: Actor, assignment_id: int) -> None:
    require_admin(actor, "учебная нагрузка")
    row = (
        Assignment.select(Assignment, SchoolClass)
        .join(SchoolClass)
        .where((Assignment.id == assignment_id) & (SchoolClass.school == actor.school_id))
        .first()
    )
    if row is None:
        raise NotFound(f"Назначение не найдено: {assignment_id}")
    open_year(actor, row.school_class.year_id)
    info = _assignment_info(row)
    with write_tx():
        Assignment.delete().where(Assignment.id == row.id).execute()
        audit.record(
            actor, "delete", "assignment", row.id, "teacher",
            f"{info.teacher_login}: {info.class_name} {info.subject}", None,
        )
