"""Monitoring of the journal (R-DEP-2, R-REP-10): how each teacher keeps it, and how parents
and pupils use the diary. For the deputy, the director and the admin."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from peewee import Case, fn

from tui_journal.db.models import (
    Assignment,
    Attendance,
    GuardianLink,
    Lesson,
    LoginEvent,
    Mark,
    PlanItem,
    SchoolClass,
    User,
)
from tui_journal.domain.text import surname_initials
from tui_journal.services.actor import Actor
from tui_journal.services.journal import class_label, homework_is_late, marks_allowed_for
from tui_journal.services.reports import common as C
from tui_journal.services.reports import scope as S
from tui_journal.services.reports.context import Ctx, school_ctx
from tui_journal.services.reports.data import Pupil, covers, group_spans, roster
from tui_journal.services.reports.model import DASH, Cell, Column, TableModel
from tui_journal.services.reports.params import ReportParams

MONITORING = "monitoring"


def authorize_monitoring(actor: Actor, params: ReportParams) -> Ctx:
    return school_ctx(actor, params, "мониторинг ведения журнала")


class _Rolls:
    """How many pupils a lesson was held for (its class's roll, or its group's)."""

    def __init__(self, class_ids: set[int], start: dt.date, end: dt.date) -> None:
        self.pupils: dict[int, list[Pupil]] = {c: roster(c, start, end) for c in class_ids}
        self.groups = {c: group_spans(c) for c in class_ids}

    def size(self, class_id: int, group_id: int | None, day: dt.date) -> int:
        pupils = [p for p in self.pupils.get(class_id, []) if p.on(day)]
        if group_id is None:
            return len(pupils)
        spans = self.groups.get(class_id, {})
        return sum(1 for p in pupils if covers(spans.get((group_id, p.id), ()), day))


def monitoring(actor: Actor, params: ReportParams) -> TableModel:
    """Per teacher over the period up to the date: lessons held, without topic, without
    homework, rolls not taken, late entries, current marks per pupil per lesson, and the
    thematic plan's hours held against planned; then parents' and pupils' logins by class."""
    ctx = authorize_monitoring(actor, params)
    start, end = ctx.span.start, ctx.until
    lessons = list(
        Lesson.select(Lesson, SchoolClass)
        .join(SchoolClass)
        .where((SchoolClass.school == actor.school_id) & (Lesson.date >= start) & (Lesson.date <= end))
    )
    lesson_ids = [ls.id for ls in lessons]
    marks_per_lesson: dict[int, int] = defaultdict(int)
    late_per_lesson: dict[int, int] = defaultdict(int)
    attendance_lessons: set[int] = set()
    for chunk in _chunks(lesson_ids):
        mark_rows: Any = (
            Mark.select(
                Mark.lesson,
                fn.COUNT(Mark.id).alias("n"),
                fn.SUM(Case(None, ((Mark.late == True, 1),), 0)).alias("late"),  # noqa: E712
            )
            .where(Mark.lesson.in_(chunk))
            .group_by(Mark.lesson)
            .dicts()
        )
        for row in mark_rows:
            marks_per_lesson[row["lesson"]] = int(row["n"])
            late_per_lesson[row["lesson"]] += int(row["late"] or 0)
        attendance_rows: Any = (
            Attendance.select(
                Attendance.lesson, fn.SUM(Case(None, ((Attendance.late == True, 1),), 0)).alias("late")  # noqa: E712
            )
            .where(Attendance.lesson.in_(chunk))
            .group_by(Attendance.lesson)
            .dicts()
        )
        for row in attendance_rows:
            attendance_lessons.add(row["lesson"])
            late_per_lesson[row["lesson"]] += int(row["late"] or 0)
    params.tick(0.3)
    rolls = _Rolls({ls.school_class_id for ls in lessons}, start, end)
    stats: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for ls in lessons:
        s = stats[ls.teacher_id]
        s["held"] += 1
        s["no_topic"] += 0 if ls.topic.strip() else 1
        graded = marks_allowed_for(ls.school_class)
        if graded and not (ls.homework.strip() or ls.homework_pages.strip() or ls.homework_tasks.strip()):
            s["no_homework"] += 1
        if ls.roll_taken_at is None and ls.id not in attendance_lessons:
            s["no_roll"] += 1
        s["late"] += late_per_lesson.get(ls.id, 0) + (1 if homework_is_late(ls.date, ls.homework_set_at) else 0)
        if graded:
            s["marks"] += marks_per_lesson.get(ls.id, 0)
            s["pupil_lessons"] += rolls.size(ls.school_class_id, ls.group_id, ls.date)
    params.tick(0.6)
    plan_hours, held_hours = _plan(actor, ctx)
    teacher_ids = set(stats) | set(plan_hours)
    teachers = {
        u.id: u for u in User.select().where(User.id.in_(list(teacher_ids) or [-1]) & (User.school == actor.school_id))
    }
    rows: list[list[Cell]] = []
    ordered = sorted(teachers.values(), key=lambda u: (u.last_name, u.first_name, u.middle_name))
    for i, user in enumerate(ordered, start=1):
        s = stats.get(user.id, {})
        planned = plan_hours.get(user.id, 0.0)
        held = held_hours.get(user.id, 0.0)
        pupil_lessons = s.get("pupil_lessons", 0.0)
        rows.append(
            [
                i,
                surname_initials(user.last_name, user.first_name, user.middle_name or None),
                int(s.get("held", 0)),
                int(s.get("no_topic", 0)),
                int(s.get("no_homework", 0)),
                int(s.get("no_roll", 0)),
                int(s.get("late", 0)),
                s.get("marks", 0.0) / pupil_lessons if pupil_lessons else DASH,
                planned if planned else DASH,
                held,
                held * 100 / planned if planned else DASH,
            ]
        )
    params.tick(0.8)
    activity = _activity(actor, ctx)
    params.tick(1.0)
    sums = C.sum_columns(rows, 2, 11)
    return TableModel(
        name=MONITORING,
        title="Мониторинг ведения электронного журнала",
        school=ctx.school.name,
        params=C.params(None, ctx.span, ctx.on),
        columns=(
            Column("n", "№", 3, "right", True),
            Column("teacher", "Учитель", 20),
            Column("held", "Уроков проведено", 9, "right", True),
            Column("no_topic", "без темы", 7, "right", True, "Из них"),
            Column("no_homework", "без д/з", 7, "right", True, "Из них"),
            Column("no_roll", "без отметки посещ.", 9, "right", True, "Из них"),
            Column("late", "Записей с опозданием", 10, "right", True),
            Column("marks_per_pupil", "Отметок на ученика за урок", 10, "right", True),
            Column("plan_hours", "по КТП на год", 8, "right", True, "Часы", decimals=0),
            Column("held_hours", "проведено с начала года", 10, "right", True, "Часы", decimals=0),
            Column("plan_pct", "% выполнения", 9, "right", True, "Часы", decimals=1),
        ),
        rows=rows,
        totals=[None, "По школе", *sums[:5], None, *sums[6:8], None] if rows else None,
        footnotes=[
            f"Уроки с {C.day(start)} по {C.day(end)}, по фактически проводившему учителю (с заменами).",
            "Без д/з — в классах, где задания задаются (не 1-е классы и не ГКП). "
            "Без отметки посещаемости — урок, где посещаемость не отмечена и отсутствующих нет.",
            "Записи с опозданием — отметки, внесённые позже чем через неделю после урока, посещаемость, "
            "отмеченная после дня урока, и домашние задания, записанные после 18:00 дня урока.",
            "Отметок на ученика за урок = число текущих отметок / сумма численности класса (группы) на уроках.",
            "Часы по КТП — сумма часов тематического планирования по журналам учителя на учебный год; "
            "проведено — уроки с записанной темой с начала учебного года по дату отчёта.",
        ],
        signatures=(C.DEPUTY_SIG,),
        signers=C.signers(ctx.school),
        sections=[activity],
    )


def _chunks(ids: list[int], size: int = 500) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)] or [[-1]]


def _plan(actor: Actor, ctx: Ctx) -> tuple[dict[int, float], dict[int, float]]:
    """Per teacher: plan hours of his journals for the year, and lessons held with a topic."""
    journals: dict[tuple[int, int, int | None], int] = {}
    for a in (
        Assignment.select(Assignment.teacher, Assignment.school_class, Assignment.subject, Assignment.group)
        .join(SchoolClass)
        .where((SchoolClass.school == actor.school_id) & (SchoolClass.year == ctx.year.id))
    ):
        journals[(a.school_class_id, a.subject_id, a.group_id)] = a.teacher_id
    planned: dict[int, float] = defaultdict(float)
    for item in (
        PlanItem.select(PlanItem.school_class, PlanItem.subject, PlanItem.group, PlanItem.hours)
        .join(SchoolClass)
        .where((SchoolClass.school == actor.school_id) & (SchoolClass.year == ctx.year.id))
    ):
        teacher = journals.get((item.school_class_id, item.subject_id, item.group_id))
        if teacher is not None:
            planned[teacher] += float(item.hours)
    held: dict[int, float] = defaultdict(float)
    end = min(ctx.on, ctx.year.end)
    for ls in (
        Lesson.select(Lesson.school_class, Lesson.subject, Lesson.group, Lesson.topic)
        .join(SchoolClass)
        .where(
            (SchoolClass.school == actor.school_id)
            & (SchoolClass.year == ctx.year.id)
            & (Lesson.date >= ctx.year.start)
            & (Lesson.date <= end)
            & (Lesson.topic != "")
        )
    ):
        teacher = journals.get((ls.school_class_id, ls.subject_id, ls.group_id))
        if teacher is not None:
            held[teacher] += 1
    return dict(planned), dict(held)


def _activity(actor: Actor, ctx: Ctx) -> TableModel:
    """Pupils and parents with accounts, and how many of them logged in during the period."""
    start = dt.datetime.combine(ctx.span.start, dt.time())
    end = dt.datetime.combine(ctx.until + dt.timedelta(days=1), dt.time())
    logged = {
        e.user_id
        for e in LoginEvent.select(LoginEvent.user)
        .where((LoginEvent.outcome == "ok") & (LoginEvent.at >= start) & (LoginEvent.at < end))
        .distinct()
        if e.user_id is not None
    }
    rows: list[list[Cell]] = []
    for cls in S.classes_of_year(actor, ctx.year):
        pupils = [p for p in roster(cls.id, ctx.span.start, ctx.until) if p.on(ctx.until)]
        ids = [p.id for p in pupils]
        accounts = [p.user_id for p in pupils if p.user_id is not None]
        parents = {
            g.parent_id for g in GuardianLink.select(GuardianLink.parent).where(GuardianLink.student.in_(ids or [-1]))
        }
        pupils_in = sum(1 for u in accounts if u in logged)
        parents_in = sum(1 for u in parents if u in logged)
        rows.append(
            [
                class_label(cls),
                len(pupils),
                len(accounts),
                pupils_in,
                pupils_in * 100 / len(accounts) if accounts else DASH,
                len(parents),
                parents_in,
                parents_in * 100 / len(parents) if parents else DASH,
            ]
        )
    sums = C.sum_columns(rows, 1, 8)
    return TableModel(
        name=f"{MONITORING}-activity",
        title="Активность учащихся и родителей в электронном дневнике",
        columns=(
            Column("class", "Класс", 6),
            Column("pupils", "Учащихся", 8, "right", True),
            Column("pupil_accounts", "с учётной записью", 10, "right", True, "Учащиеся"),
            Column("pupils_in", "входили", 8, "right", True, "Учащиеся"),
            Column("pupils_pct", "%", 6, "right", True, "Учащиеся", decimals=1),
            Column("parents", "связано с учащимися", 10, "right", True, "Родители"),
            Column("parents_in", "входили", 8, "right", True, "Родители"),
            Column("parents_pct", "%", 6, "right", True, "Родители", decimals=1),
        ),
        rows=rows,
        totals=["По школе", sums[0], sums[1], sums[2], None, sums[4], sums[5], None] if rows else None,
        footnotes=["Входили — хотя бы один успешный вход в журнал за период."],
    )
