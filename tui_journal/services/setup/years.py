"""Academic years and their periods (R-SETUP-1): the standard layouts, checks of the
dates, adding and changing years and periods.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence

from tui_journal.db.models import (
    AcademicYear,
    Period,
    PeriodMark,
)
from tui_journal.domain.periods import HALF, HOLIDAYS, QUARTER, TRIMESTER, PeriodSpan, standard_quarters
from tui_journal.services import audit
from tui_journal.services.access import require_admin, require_staff, row_in_school_via
from tui_journal.services.actor import Actor
from tui_journal.services.checks import (
    clean_text,
    open_year,
    refuse_taken_name,
)
from tui_journal.services.errors import InvalidInput
from tui_journal.services.setup.base import PERIOD_KIND_NAMES, PERIOD_KINDS, PeriodView, YearInfo
from tui_journal.services.tx import write_tx

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
        refuse_taken_name(AcademicYear, actor, name, f"Учебный год {name} уже есть")
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
        if "name" in after:
            refuse_taken_name(AcademicYear, actor, after["name"], f"Учебный год {after['name']} уже есть", other_than=year.id)
        audit.save_changes(actor, "year", year, after)
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


def period_of(actor: Actor, period_id: int) -> Period:
    return row_in_school_via(Period, AcademicYear, actor, period_id, f"Период не найден: {period_id}")


def update_period(
    actor: Actor, period_id: int, *, name: str | None = None, start: dt.date | None = None, end: dt.date | None = None
) -> YearInfo:
    require_admin(actor, "периоды учебного года")
    period = period_of(actor, period_id)
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
        audit.save_changes(actor, "period", period, after)
    return _year_info(year)


def delete_period(actor: Actor, period_id: int) -> YearInfo:
    """Remove a period; refused while period marks were given for it."""
    require_admin(actor, "периоды учебного года")
    period = period_of(actor, period_id)
    year = open_year(actor, period.year_id)
    if PeriodMark.select().where(PeriodMark.period == period.id).exists():
        raise InvalidInput(f"За период «{period.name}» уже выставлены отметки: удалить его нельзя")
    with write_tx():
        Period.delete().where(Period.id == period.id).execute()
        audit.record(actor, "delete", "period", period.id, "name", period.name, None)
    return _year_info(year)
