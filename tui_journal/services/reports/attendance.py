"""Attendance reports: a class's month (R-REP-1) and the summary sheet of a period (R-REP-6)."""

from __future__ import annotations

import calendar
import datetime as dt

from tui_journal.domain import attendance as att
from tui_journal.services.actor import Actor
from tui_journal.services.journal import class_label
from tui_journal.services.reports import common as C
from tui_journal.services.reports import scope as S
from tui_journal.services.reports.context import Ctx, class_ctx
from tui_journal.services.reports.data import (
    codes_by_lesson,
    group_spans,
    lesson_is_for,
    lessons_of,
    missed_by_pupil,
    roster,
)
from tui_journal.services.reports.model import DASH, Cell, Column, TableModel
from tui_journal.services.reports.params import ReportParams

BY_MONTH = "attendance-by-month"
SUMMARY = "attendance-summary"

NUMBER = Column("n", "№", 3, "right", True)
PUPIL = Column("pupil", "Учащийся", 30)


def _pupil_rows(ctx: Ctx, start: dt.date, end: dt.date) -> list[list[Cell]]:
    cls = ctx.need_class()
    pupils = roster(cls.id, start, end)
    missed = missed_by_pupil(cls.id, pupils, start, end)
    rows: list[list[Cell]] = []
    for i, pupil in enumerate(pupils, start=1):
        note = pupil.note(start, end)
        name = f"{pupil.full} ({note})" if note else pupil.full
        rows.append([i, name, *C.attendance_cells(missed[pupil.id])])
    return rows


def authorize_by_month(actor: Actor, params: ReportParams) -> Ctx:
    return class_ctx(actor, params, "отчёт о посещаемости")


def _month(ctx: Ctx) -> tuple[dt.date, dt.date]:
    first = ctx.on.replace(day=1)
    last = ctx.on.replace(day=calendar.monthrange(ctx.on.year, ctx.on.month)[1])
    return max(first, ctx.year.start), min(last, ctx.year.end)


def _months_of_year(ctx: Ctx) -> list[tuple[dt.date, dt.date]]:
    months = []
    current = ctx.year.start.replace(day=1)
    while current <= min(ctx.year.end, ctx.on):
        last = current.replace(day=calendar.monthrange(current.year, current.month)[1])
        months.append((max(current, ctx.year.start), min(last, ctx.year.end)))
        current = last + dt.timedelta(days=1)
    return months


def attendance_by_month(actor: Actor, params: ReportParams) -> TableModel:
    """One month of a class: per pupil, missed days and lessons by reason, late arrivals;
    then the year so far month by month (missed days and lessons)."""
    ctx = authorize_by_month(actor, params)
    cls = ctx.need_class()
    start, end = _month(ctx)
    rows = _pupil_rows(ctx, start, end)
    params.tick(0.4)
    overview = _year_overview(ctx)
    params.tick(1.0)
    return TableModel(
        name=BY_MONTH,
        title=f"Посещаемость учащихся {C.of_class(cls)} за {C.month_name(start)}",
        school=ctx.school.name,
        params=C.params(cls, None, ctx.on, Месяц=f"{C.month_name(start)} ({C.day(start)}–{C.day(end)})"),
        columns=(NUMBER, PUPIL, *C.attendance_columns()),
        rows=rows,
        totals=[None, "Итого по классу", *C.sum_columns(rows, 2, 2 + len(C.attendance_columns()))],
        footnotes=[C.ATTENDANCE_NOTE],
        signatures=(C.CLASS_TEACHER_SIG, C.DEPUTY_SIG),
        signers=C.signers(ctx.school, cls),
        sections=[overview],
    )


def _year_overview(ctx: Ctx) -> TableModel:
    cls = ctx.need_class()
    months = _months_of_year(ctx)
    pupils = roster(cls.id, ctx.year.start, min(ctx.year.end, ctx.on))
    per_month = [missed_by_pupil(cls.id, pupils, start, end) for start, end in months]
    columns = [NUMBER, PUPIL]
    for start, _end in months:
        group = C.MONTHS[start.month - 1].capitalize()
        columns += [
            Column(f"days_{start:%Y_%m}", "дней", 5, "right", True, group),
            Column(f"lessons_{start:%Y_%m}", "уроков", 6, "right", True, group),
        ]
    columns += [
        Column("days_total", "дней", 5, "right", True, "Всего"),
        Column("lessons_total", "уроков", 6, "right", True, "Всего"),
    ]
    rows: list[list[Cell]] = []
    for i, pupil in enumerate(pupils, start=1):
        row: list[Cell] = [i, pupil.full]
        days = lessons = 0
        for stats in per_month:
            m = stats[pupil.id]
            row += [m.days.total, m.lessons.total]
            days += m.days.total
            lessons += m.lessons.total
        rows.append([*row, days, lessons])
    return TableModel(
        name=f"{BY_MONTH}-year",
        title=f"Пропуски по месяцам с начала {ctx.year.name} учебного года",
        columns=tuple(columns),
        rows=rows,
        totals=[None, "Итого по классу", *C.sum_columns(rows, 2, len(columns))],
    )


def authorize_summary(actor: Actor, params: ReportParams) -> Ctx:
    return class_ctx(actor, params, "сводная ведомость посещаемости", class_optional=True)


def attendance_summary(actor: Actor, params: ReportParams) -> TableModel:
    """The summary sheet of attendance for a period: per pupil of a class, or per class of
    the school when no class is given (school-wide roles)."""
    ctx = authorize_summary(actor, params)
    start, end = ctx.span.start, ctx.until
    footnotes = [C.ATTENDANCE_NOTE, f"Учтены уроки с {C.day(start)} по {C.day(end)}."]
    if ctx.cls is not None:
        rows = _pupil_rows(ctx, start, end)
        params.tick(1.0)
        return TableModel(
            title=f"Сводная ведомость посещаемости {C.of_class(ctx.cls)}",
            params=C.params(ctx.cls, ctx.span, ctx.on),
            columns=(NUMBER, PUPIL, *C.attendance_columns()),
            rows=rows,
            totals=[None, "Итого по классу", *C.sum_columns(rows, 2, 2 + len(C.attendance_columns()))],
            signatures=(C.CLASS_TEACHER_SIG, C.DEPUTY_SIG),
            name=SUMMARY,
            school=ctx.school.name,
            footnotes=footnotes,
            signers=C.signers(ctx.school, ctx.cls),
        )
    classes = S.classes_of_year(actor, ctx.year)
    rows = []
    for cls in params.each(classes):
        pupils = roster(cls.id, start, end)
        missed = missed_by_pupil(cls.id, pupils, start, end)
        total = [0] * 9
        for m in missed.values():
            for k, value in enumerate(C.attendance_cells(m)):
                total[k] += int(value or 0)
        on_roll = sum(1 for p in pupils if p.on(end))
        per_pupil: Cell = total[4] / on_roll if on_roll else DASH
        rows.append([class_label(cls), on_roll, *total, per_pupil])
    sums = C.sum_columns(rows, 1, 3 + len(C.attendance_columns()))
    pupils_total = sums[0]
    lessons_total = sums[5]
    avg: Cell = (
        float(lessons_total) / float(pupils_total)
        if isinstance(pupils_total, (int, float)) and pupils_total and isinstance(lessons_total, (int, float))
        else DASH
    )
    return TableModel(
        title="Сводная ведомость посещаемости по школе",
        params=C.params(None, ctx.span, ctx.on),
        columns=(
            Column("class", "Класс", 6),
            Column("pupils", "Учащихся на конец", 10, "right", True),
            *C.attendance_columns(),
            Column("lessons_per_pupil", "Уроков на 1 учащегося", 11, "right", True, decimals=1),
        ),
        rows=rows,
        totals=["Итого", *sums[:-1], avg],
        signatures=C.ADMIN_SIGNATURES,
        name=SUMMARY,
        school=ctx.school.name,
        footnotes=footnotes,
        signers=C.signers(ctx.school),
    )



# --- the day sheet of a group (табель посещаемости): the basis of the parents' fee -------------

DAY_SHEET = "day-sheet"


def authorize_day_sheet(actor: Actor, params: ReportParams) -> Ctx:
    """School-wide roles, the class teacher, and the educator (or teacher) of the group."""
    return class_ctx(actor, params, "табель посещаемости", teacher=True)


def day_sheet(actor: Actor, params: ReportParams) -> TableModel:
    """A month of a group (or class) day by day: per child, each day with sessions shows «+»
    when he came (some session attended) or the reason of a full day missed (н, б, у); then
    the days present — what the parents' fee is counted from — and the days missed by reason."""
    ctx = authorize_day_sheet(actor, params)
    cls = ctx.need_class()
    start, end = _month(ctx)
    pupils = roster(cls.id, start, end)
    lessons = lessons_of(cls.id, start, end)
    groups = group_spans(cls.id)
    codes = codes_by_lesson(cls.id, start, end)
    days = sorted({ls.date for ls in lessons})
    columns = [NUMBER, Column("pupil", "Ребёнок (учащийся)", 24)]
    columns += [Column(f"d{d:%d}", f"{d.day}", 2, "center", False, C.MONTHS[start.month - 1].capitalize()) for d in days]
    columns += [
        Column("present", "дней", 5, "right", True, "Присутствовал"),
        Column("ill", "болезнь", 5, "right", True, "Пропущено дней"),
        Column("valid", "уваж.", 5, "right", True, "Пропущено дней"),
        Column("unexcused", "без ув.", 5, "right", True, "Пропущено дней"),
    ]
    rows: list[list[Cell]] = []
    for i, pupil in enumerate(pupils, start=1):
        row: list[Cell] = [i, pupil.full]
        present, missed = 0, {"б": 0, "у": 0, "н": 0}
        for day in days:
            day_codes = [codes.get((pupil.id, ls.id)) for ls in lessons if ls.date == day and lesson_is_for(pupil, ls, groups)]
            if not day_codes:
                row.append(None)  # not on the roll, or no session for him that day
                continue
            reason = att.day_reason(day_codes)
            if reason is None:
                present += 1
                row.append("+")
            else:
                missed[reason] += 1
                row.append(reason)
        row += [present, missed["б"], missed["у"], missed["н"]]
        rows.append(row)
        params.tick(i / max(1, len(pupils)))
    width = len(columns)
    totals: list[Cell] = [None, "Итого по группе", *([None] * len(days)), *C.sum_columns(rows, width - 4, width)]
    return TableModel(
        name=DAY_SHEET,
        title=f"Табель посещаемости {C.of_class(cls)} за {C.month_name(start)}",
        school=ctx.school.name,
        params=C.params(cls, None, ctx.on, Месяц=f"{C.month_name(start)} ({C.day(start)}–{C.day(end)})"),
        columns=tuple(columns),
        rows=rows,
        totals=totals,
        footnotes=[
            "«+» — ребёнок был (пришёл хотя бы на одно занятие дня); н, б, у — пропущен весь день: без "
            "уважительной причины, по болезни, по уважительной причине (с учётом исправлений классного "
            "руководителя); пусто — занятий для него не было. «Присутствовал, дней» — основа расчёта "
            "родительской платы.",
        ],
        signatures=("Воспитатель (классный руководитель)", C.DIRECTOR_SIG),
        signers=C.signers(ctx.school),
        orientation="landscape",
    )
