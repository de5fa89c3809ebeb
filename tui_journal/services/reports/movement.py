"""Movement of pupils (R-REP-7) and the fill of classes (R-REP-8).

The enrollment table is the movement log. A pupil's enrollment that begins within a week
after another of his enrollments in this school ended is a transfer between classes, not an
arrival; likewise its end is not a departure. Counting uses effective dates: an arrival
counts from its first day, a departure from the day after the last one, so that
«на начало» + прибыло + переведено в класс − выбыло − переведено из класса = «на конец».
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from tui_journal.db.models import AcademicYear, Enrollment, SchoolClass, Student
from tui_journal.domain import ru_words as words
from tui_journal.domain.text import full_name
from tui_journal.services.actor import Actor
from tui_journal.services.journal import class_label
from tui_journal.services.reports import common as C
from tui_journal.services.reports import scope as S
from tui_journal.services.reports.context import Ctx, class_ctx, school_ctx
from tui_journal.services.reports.data import class_teacher_name, count_on
from tui_journal.services.reports.model import Cell, Column, TableModel
from tui_journal.services.reports.params import ReportParams
from tui_journal.services.roster import on_roll

MOVEMENT = "movement"
MOVEMENT_SCHOOL = "movement-school"
CLASS_FILL = "class-fill"
TRANSFER_GAP_DAYS = 7
"""An enrollment starting at most this many days after another ended is a transfer."""

MoveKind = Literal["in", "out", "transfer"]


@dataclass(frozen=True)
class Move:
    """One event of the movement log."""

    kind: MoveKind
    shown: dt.date  # the date printed: arrival / transfer: first day; departure: last day
    student_id: int
    name: str
    class_from: SchoolClass | None
    class_to: SchoolClass | None
    order: str
    place: str  # where from (arrival) or where to (departure)
    leaves_on: dt.date | None = None  # effective date for the class left (transfer/departure)
    joins_on: dt.date | None = None  # effective date for the class joined (arrival/transfer)
    sex: str = ""  # "м" | "ж" | "" (from the card or the patronymic), for «выбыла»


def school_moves(actor: Actor, year: AcademicYear) -> list[Move]:
    """Every arrival, departure and transfer of the year in the actor's school."""
    rows = list(
        Enrollment.select(Enrollment, Student, SchoolClass)
        .join(Student)
        .switch(Enrollment)
        .join(SchoolClass)
        .where((SchoolClass.school == actor.school_id) & (SchoolClass.year == year.id))
        .order_by(Enrollment.start, Enrollment.id)
    )
    by_student: dict[int, list[Enrollment]] = defaultdict(list)
    for e in rows:
        by_student[e.student_id].append(e)
    moves: list[Move] = []
    for enrollments in by_student.values():
        for e in enrollments:
            student = e.student
            name = full_name(student.last_name, student.first_name, student.middle_name)
            sex = words.sex_of(student.middle_name, student.sex)
            if e.start > year.start:
                before = _adjacent_before(e, enrollments)
                if before is None:
                    moves.append(
                        Move("in", e.start, student.id, name, None, e.school_class, e.order_in, e.came_from,
                             joins_on=e.start, sex=sex)
                    )
                else:
                    assert before.end is not None
                    moves.append(
                        Move(
                            "transfer", e.start, student.id, name, before.school_class, e.school_class,
                            e.order_in or before.order_out, "",
                            leaves_on=before.end + dt.timedelta(days=1), joins_on=e.start, sex=sex,
                        )
                    )
            if e.end is not None and e.end < year.end and _adjacent_after(e, enrollments) is None:
                moves.append(
                    Move("out", e.end, student.id, name, e.school_class, None, e.order_out, e.went_to,
                         leaves_on=e.end + dt.timedelta(days=1), sex=sex)
                )
    return sorted(moves, key=lambda m: (m.shown, m.name))


def _adjacent_before(e: Enrollment, others: list[Enrollment]) -> Enrollment | None:
    for o in others:
        if o.id != e.id and o.end is not None and 0 <= (e.start - o.end).days <= TRANSFER_GAP_DAYS:
            return o
    return None


def _adjacent_after(e: Enrollment, others: list[Enrollment]) -> Enrollment | None:
    assert e.end is not None
    for o in others:
        if o.id != e.id and 0 <= (o.start - e.end).days <= TRANSFER_GAP_DAYS:
            return o
    return None


@dataclass(frozen=True)
class Flow:
    at_start: int
    arrived: int
    left: int
    moved_in: int
    moved_out: int
    at_end: int


def _same(a: SchoolClass | None, b: SchoolClass | None) -> bool:
    return a is not None and b is not None and int(a.id) == int(b.id)


def _in(day: dt.date | None, start: dt.date, end: dt.date) -> bool:
    return day is not None and start <= day <= end


def class_flow(cls: SchoolClass, year: AcademicYear, moves: list[Move], start: dt.date, end: dt.date) -> Flow:
    """The class's numbers over [start, end] (see the module docstring for the dates)."""
    at_start = count_on(cls.id, start) if start <= year.start else count_on(cls.id, start - dt.timedelta(days=1))
    arrived = sum(1 for m in moves if m.kind == "in" and _same(m.class_to, cls) and _in(m.joins_on, start, end))
    left = sum(1 for m in moves if m.kind == "out" and _same(m.class_from, cls) and _in(m.leaves_on, start, end))
    moved_in = sum(1 for m in moves if m.kind == "transfer" and _same(m.class_to, cls) and _in(m.joins_on, start, end))
    moved_out = sum(
        1 for m in moves if m.kind == "transfer" and _same(m.class_from, cls) and _in(m.leaves_on, start, end)
    )
    return Flow(at_start, arrived, left, moved_in, moved_out, count_on(cls.id, end))


def _affects(m: Move, cls: SchoolClass | None, start: dt.date, end: dt.date) -> bool:
    if cls is None:
        return _in(m.joins_on, start, end) or (m.kind == "out" and _in(m.leaves_on, start, end))
    if _same(m.class_to, cls) and _in(m.joins_on, start, end):
        return True
    return _same(m.class_from, cls) and _in(m.leaves_on, start, end)


def _describe(m: Move, cls: SchoolClass | None) -> str:
    if m.kind == "in":
        return words.gendered("прибыл", m.sex)
    if m.kind == "out":
        return words.gendered("выбыл", m.sex)
    src = class_label(m.class_from) if m.class_from is not None else "?"
    dst = class_label(m.class_to) if m.class_to is not None else "?"
    moved = words.gendered("переведён", m.sex)
    if cls is not None and _same(m.class_to, cls):
        return f"{moved} из {src}"
    if cls is not None and _same(m.class_from, cls):
        return f"{moved} в {dst}"
    return f"перевод {src} → {dst}"


def authorize_movement(actor: Actor, params: ReportParams) -> Ctx:
    return class_ctx(actor, params, "ведомость движения учащихся", secretary=True, class_optional=True)


FLOW_COLUMNS = (
    Column("at_start", "На начало периода", 9, "right", True),
    Column("arrived", "Прибыло", 8, "right", True),
    Column("left", "Выбыло", 8, "right", True),
    Column("moved_in", "Переведено в класс", 10, "right", True),
    Column("moved_out", "Переведено из класса", 10, "right", True),
    Column("at_end", "На конец периода", 9, "right", True),
)


def _flow_cells(f: Flow) -> list[Cell]:
    return [f.at_start, f.arrived, f.left, f.moved_in, f.moved_out, f.at_end]


def movement(actor: Actor, params: ReportParams) -> TableModel:
    """Arrivals and departures of a class (or of the school) with date, order, from/to."""
    ctx = authorize_movement(actor, params)
    start, end = ctx.span.start, ctx.until
    moves = school_moves(actor, ctx.year)
    listed = [m for m in moves if _affects(m, ctx.cls, start, end)]
    columns: list[Column] = [Column("n", "№", 3, "right", True), Column("date", "Дата", 10)]
    if ctx.cls is None:
        columns.append(Column("class", "Класс", 6))
    columns += [
        Column("pupil", "Учащийся", 28),
        Column("event", "Движение", 16),
        Column("place", "Откуда прибыл / куда выбыл", 30),
        Column("order", "Приказ", 22),
    ]
    rows: list[list[Cell]] = []
    for i, m in enumerate(listed, start=1):
        row: list[Cell] = [i, C.day(m.shown)]
        if ctx.cls is None:
            moved = m.class_to if m.kind == "in" else m.class_from
            row.append(class_label(moved) if moved is not None else "")
        row += [m.name, _describe(m, ctx.cls), m.place, m.order]
        rows.append(row)
    params.tick(0.7)
    note = "Переводы между классами школы не считаются прибытием и выбытием."
    if ctx.cls is not None:
        flow = class_flow(ctx.cls, ctx.year, moves, start, end)
        summary = TableModel(
            name=f"{MOVEMENT}-flow",
            title="Итоги движения за период",
            columns=FLOW_COLUMNS,
            rows=[_flow_cells(flow)],
        )
        title = f"Ведомость движения учащихся {C.of_class(ctx.cls)}"
        signatures: tuple[str, ...] = (C.CLASS_TEACHER_SIG, C.SECRETARY_SIG, C.DIRECTOR_SIG)
    else:
        flows = [class_flow(c, ctx.year, moves, start, end) for c in S.classes_of_year(actor, ctx.year)]
        arrived = sum(f.arrived for f in flows)
        left = sum(f.left for f in flows)
        summary = TableModel(
            name=f"{MOVEMENT}-flow",
            title="Итоги движения по школе за период",
            columns=(FLOW_COLUMNS[0], FLOW_COLUMNS[1], FLOW_COLUMNS[2], FLOW_COLUMNS[5]),
            rows=[[sum(f.at_start for f in flows), arrived, left, sum(f.at_end for f in flows)]],
        )
        title = "Ведомость движения учащихся школы"
        signatures = (C.SECRETARY_SIG, C.DIRECTOR_SIG)
    params.tick(1.0)
    return TableModel(
        name=MOVEMENT,
        title=title,
        school=ctx.school.name,
        params=C.params(ctx.cls, ctx.span, ctx.on),
        columns=tuple(columns),
        rows=rows,
        footnotes=[note, f"Учтено движение с {C.day(start)} по {C.day(end)}."] + ([] if rows else ["Движения учащихся за период не было."]),
        signatures=signatures,
        signers=C.signers(ctx.school, ctx.cls),
        sections=[summary],
    )


def authorize_movement_school(actor: Actor, params: ReportParams) -> Ctx:
    return school_ctx(actor, params, "динамика движения учащихся", secretary=True)


def movement_school(actor: Actor, params: ReportParams) -> TableModel:
    """The school's dynamics by class: at the start, arrived, left, transferred, at the end."""
    ctx = authorize_movement_school(actor, params)
    start, end = ctx.span.start, ctx.until
    moves = school_moves(actor, ctx.year)
    classes = S.classes_of_year(actor, ctx.year)
    rows: list[list[Cell]] = []
    for cls in params.each(classes):
        rows.append([class_label(cls), *_flow_cells(class_flow(cls, ctx.year, moves, start, end))])
    return TableModel(
        name=MOVEMENT_SCHOOL,
        title="Динамика движения учащихся по классам",
        school=ctx.school.name,
        params=C.params(None, ctx.span, ctx.on),
        columns=(Column("class", "Класс", 6), *FLOW_COLUMNS),
        rows=rows,
        totals=["По школе", *C.sum_columns(rows, 1, 1 + len(FLOW_COLUMNS))],
        footnotes=[
            "Переводы между классами школы не меняют численности школы: по школе переведено в классы "
            "столько же, сколько из классов.",
            "На начало + прибыло + переведено в класс − выбыло − переведено из класса = на конец.",
            f"Учтено движение с {C.day(start)} по {C.day(end)}.",
        ],
        signatures=(C.SECRETARY_SIG, C.DIRECTOR_SIG),
        signers=C.signers(ctx.school),
    )


def authorize_class_fill(actor: Actor, params: ReportParams) -> Ctx:
    return school_ctx(actor, params, "наполняемость классов", secretary=True)


def class_fill(actor: Actor, params: ReportParams) -> TableModel:
    """Pupils per class at a date (by default 20 September) and at the period's start and end."""
    ctx = authorize_class_fill(actor, params)
    at = params.date or dt.date(ctx.year.start.year, 9, 20)
    classes = S.classes_of_year(actor, ctx.year)
    rows: list[list[Cell]] = []
    preschool: list[list[Cell]] = []
    for cls in classes:
        pupils_on_roll = (
            Enrollment.select(Enrollment.student, Student.sex)
            .join(Student)
            .where(
                (Enrollment.school_class == cls.id)
                & on_roll(at)
            )
        )
        sexes = [e.student.sex for e in pupils_on_roll]
        row: list[Cell] = [
            class_label(cls),
            class_teacher_name(cls),
            len(sexes),
            sum(1 for s in sexes if s == "м"),
            sum(1 for s in sexes if s == "ж"),
            count_on(cls.id, ctx.span.start),
            count_on(cls.id, ctx.span.end),
        ]
        (preschool if cls.grade == 0 else rows).append(row)
    group = f"На {C.day(at)}"
    footnotes = ["Численность — по приказам о зачислении и выбытии (движение учащихся)."]
    if preschool:
        footnotes.append("Группы кратковременного пребывания (ГКП) в итог по школе не входят.")
    return TableModel(
        name=CLASS_FILL,
        title="Наполняемость классов",
        school=ctx.school.name,
        params=C.params(None, ctx.span, None, **{"На дату": C.day(at)}),
        columns=(
            Column("class", "Класс", 6),
            Column("class_teacher", "Классный руководитель", 24),
            Column("at_date", "всего", 7, "right", True, group),
            Column("boys", "мальчиков", 9, "right", True, group),
            Column("girls", "девочек", 8, "right", True, group),
            Column("period_start", f"На начало периода ({ctx.span.start:%d.%m})", 11, "right", True),
            Column("period_end", f"На конец периода ({ctx.span.end:%d.%m})", 11, "right", True),
        ),
        rows=rows + preschool,
        totals=["Итого", "", *C.sum_columns(rows, 2, 7)] if rows else None,
        footnotes=footnotes,
        signatures=(C.SECRETARY_SIG, C.DIRECTOR_SIG),
        signers=C.signers(ctx.school),
    )
