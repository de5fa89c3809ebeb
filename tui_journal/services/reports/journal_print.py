"""Paper forms: the class journal printed for the archive (R-REP-11) and the blank forms
for days when the system is down (R-CONT-1)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from tui_journal.db.models import (
    Attendance,
    Group,
    Lesson,
    Mark,
    Period,
    PeriodMark,
    Subject,
    TimetableSlot,
    User,
)
from tui_journal.domain import attendance as att
from tui_journal.domain import ru_words as words
from tui_journal.domain.marks import cell_text
from tui_journal.domain.text import homework_line as homework_text
from tui_journal.domain.text import surname_initials
from tui_journal.services.actor import Actor
from tui_journal.services.journal import class_label
from tui_journal.services.reports import common as C
from tui_journal.services.reports import scope as S
from tui_journal.services.reports.context import Ctx, class_ctx
from tui_journal.services.reports.data import Pupil, covers, group_spans, roster
from tui_journal.services.reports.model import Cell, Column, TableModel
from tui_journal.services.reports.params import ReportParams

JOURNAL_PRINT = "journal-print"
BLANK_JOURNAL = "blank-journal"
LESSONS_PER_PAGE = 20
"""Date columns on one printed page of marks, as in a paper journal's spread."""

WEEKDAYS = tuple(w.capitalize() for w in words.WEEKDAYS)
EMPTY_LESSONS = 6


def authorize_journal_print(actor: Actor, params: ReportParams) -> Ctx:
    return class_ctx(actor, params, "печать журнала", teacher=True)


def _names(user_ids: set[int]) -> dict[int, str]:
    return {
        u.id: surname_initials(u.last_name, u.first_name, u.middle_name or None)
        for u in User.select().where(User.id.in_(list(user_ids) or [-1]))
    }


def journal_print(actor: Actor, params: ReportParams) -> TableModel:
    """The class journal for the paper archive, subject by subject: marks and attendance
    (20 lessons to a page), the period mark, then the lessons' topics and homework."""
    ctx = authorize_journal_print(actor, params)
    cls = ctx.need_class()
    start, end = ctx.span.start, ctx.until
    lessons = [
        ls
        for ls in Lesson.select()
        .where((Lesson.school_class == cls.id) & (Lesson.date >= start) & (Lesson.date <= end))
        .order_by(Lesson.date, Lesson.number, Lesson.id)
        if ctx.scope.allows_lesson(ls.subject_id, ls.group_id, ls.teacher_id)
    ]
    journals: dict[tuple[int, int | None], list[Lesson]] = defaultdict(list)
    for ls in lessons:
        journals[(ls.subject_id, ls.group_id)].append(ls)
    subjects = {s.id: s for s in Subject.select().where(Subject.id.in_([k[0] for k in journals] or [-1]))}
    groups = {g.id: g for g in Group.select().where(Group.school_class == cls.id)}
    names = _names({ls.teacher_id for ls in lessons} | {ls.replaced_teacher_id for ls in lessons if ls.replaced_teacher_id})
    pupils = roster(cls.id, start, ctx.span.end)
    members = group_spans(cls.id)
    ids = [ls.id for ls in lessons] or [-1]
    values: dict[tuple[int, int], list[str]] = defaultdict(list)
    codes: dict[tuple[int, int], str | None] = {}
    for chunk in [ids[i : i + 500] for i in range(0, len(ids), 500)]:
        for m in Mark.select(Mark.student, Mark.lesson, Mark.value).where(Mark.lesson.in_(chunk)).order_by(Mark.position, Mark.id):
            values[(m.student_id, m.lesson_id)].append(m.value)
        for a in Attendance.select().where(Attendance.lesson.in_(chunk)):
            codes[(a.student_id, a.lesson_id)] = att.effective_code(a.code, a.corrected_code)
    finals = _final_marks(cls.id, ctx)
    sections: list[TableModel] = []
    keys = sorted(journals, key=lambda k: (k[0], groups[k[1]].name if k[1] in groups else ""))
    for key in params.each(keys):
        subject_id, group_id = key
        subject = subjects[subject_id]
        group_name = f" ({groups[group_id].name})" if group_id in groups else ""
        title = f"{subject.name}{group_name}"
        its = journals[key]
        teachers = ", ".join(dict.fromkeys(names.get(ls.teacher_id, "") for ls in its if ls.replaced_teacher_id is None))
        who = [
            p for p in pupils
            if group_id is None or any(covers(members.get((group_id, p.id), ()), ls.date) for ls in its)
        ]
        pages = [its[i : i + LESSONS_PER_PAGE] for i in range(0, len(its), LESSONS_PER_PAGE)]
        for page_no, page in enumerate(pages, start=1):
            last = page_no == len(pages)
            sections.append(_grid_page(title, teachers, who, page, values, codes, finals, subject_id, last, page_no, len(pages)))
        sections.append(_topics_page(title, its, names))
    footnotes = [
        "Отметки посещаемости: н — без уважительной причины, б — по болезни, у — по уважительной причине, "
        "о — опоздание; «н5» — отсутствовал, отметка выставлена позже.",
        f"Уроки с {C.day(start)} по {C.day(end)}.",
    ]
    if not ctx.scope.everything:
        footnotes.append("Напечатаны только журналы учителя.")
    if not sections:
        footnotes.append("За период уроков нет.")
    return TableModel(
        name=JOURNAL_PRINT,
        title=f"Классный журнал {C.of_class(cls)}",
        school=ctx.school.name,
        params=C.params(cls, ctx.span, ctx.on, **{"Классный руководитель": C.class_teacher_name(cls)}),
        footnotes=footnotes,
        signatures=C.ALL_SIGNATURES,
        signers=C.signers(ctx.school, cls),
        sections=sections,
        section_break="page",
        orientation="landscape",
    )


def _final_marks(class_id: int, ctx: Ctx) -> dict[tuple[int, int], str]:
    query = PeriodMark.select(PeriodMark.student, PeriodMark.subject, PeriodMark.value).where(
        PeriodMark.school_class == class_id
    )
    if ctx.span.is_year:
        query = query.where(PeriodMark.kind == "year")
    else:
        query = query.where((PeriodMark.kind == "period") & (PeriodMark.period == ctx.span.period_id))
    return {(m.student_id, m.subject_id): m.value for m in query}


def _grid_page(
    title: str,
    teachers: str,
    pupils: list[Pupil],
    lessons: list[Lesson],
    values: dict[tuple[int, int], list[str]],
    codes: dict[tuple[int, int], str | None],
    finals: dict[tuple[int, int], str],
    subject_id: int,
    last: bool,
    page_no: int,
    pages: int,
) -> TableModel:
    columns = [Column("n", "№", 3, "right", True), Column("pupil", "Учащийся", 22)]
    columns += [Column(f"l{ls.id}", f"{ls.date:%d.%m}", 5, "center") for ls in lessons]
    if last:
        columns.append(Column("final", "Итог", 5, "center"))
    rows: list[list[Cell]] = []
    for i, p in enumerate(pupils, start=1):
        row: list[Cell] = [i, p.short]
        for ls in lessons:
            text = cell_text(values.get((p.id, ls.id), []), codes.get((p.id, ls.id)))
            row.append(text or None)
        if last:
            row.append(finals.get((p.id, subject_id)))
        rows.append(row)
    part = f", лист {page_no} из {pages}" if pages > 1 else ""
    return TableModel(
        name=f"{JOURNAL_PRINT}-marks",
        title=f"{title}: отметки и посещаемость{part}",
        params={"Учитель": teachers} if teachers else {},
        columns=tuple(columns),
        rows=rows,
    )


def _topics_page(title: str, lessons: list[Lesson], names: dict[int, str]) -> TableModel:
    rows: list[list[Cell]] = []
    for i, ls in enumerate(lessons, start=1):
        homework = homework_text(ls.homework, ls.homework_pages, ls.homework_tasks)
        teacher = names.get(ls.teacher_id, "")
        if ls.replaced_teacher_id:
            teacher = f"{teacher} (замена)"
        mark = " (перенесено с бумажного носителя)" if ls.transferred_from_paper else ""
        rows.append([i, C.day(ls.date), ls.number, ls.topic + mark, homework, teacher])
    return TableModel(
        name=f"{JOURNAL_PRINT}-topics",
        title=f"{title}: темы уроков и домашние задания",
        columns=(
            Column("n", "№", 3, "right", True),
            Column("date", "Дата", 10),
            Column("number", "Урок", 4, "right", True),
            Column("topic", "Тема урока", 45),
            Column("homework", "Домашнее задание", 35),
            Column("teacher", "Учитель", 16),
        ),
        rows=rows,
    )


# --- blank forms (R-CONT-1) ----------------------------------------------------------------


def authorize_blank_journal(actor: Actor, params: ReportParams) -> Ctx:
    return class_ctx(actor, params, "бланки временного журнала", teacher=True)


def _holidays(ctx: Ctx) -> list[tuple[dt.date, dt.date]]:
    return [
        (p.start, p.end)
        for p in Period.select().where((Period.year == ctx.year.id) & (Period.kind == "holidays"))
    ]


def blank_journal(actor: Actor, params: ReportParams) -> TableModel:
    """Empty attendance-and-marks forms of a class for the week of the date: the pupils'
    names and the timetable's lessons, one page per school day."""
    ctx = authorize_blank_journal(actor, params)
    cls = ctx.need_class()
    holidays = _holidays(ctx)
    days = [
        d for d in S.week_of(ctx.on, ctx.school.week_days if ctx.school.week_days in (5, 6) else 5)
        if ctx.year.start <= d <= ctx.year.end and not any(a <= d <= b for a, b in holidays)
    ]
    groups = {g.id: g for g in Group.select().where(Group.school_class == cls.id)}
    subjects = {s.id: s for s in Subject.select().where(Subject.school == actor.school_id)}
    members = group_spans(cls.id)
    week = S.week_of(ctx.on, 7)
    pupils_all = roster(cls.id, week[0], week[-1])
    sections: list[TableModel] = []
    for day in params.each(days):
        slots = [
            s
            for s in TimetableSlot.select()
            .where(
                (TimetableSlot.school_class == cls.id)
                & (TimetableSlot.weekday == day.isoweekday())
                & (TimetableSlot.valid_from <= day)
                & (TimetableSlot.valid_to.is_null() | (TimetableSlot.valid_to >= day))
            )
            .order_by(TimetableSlot.number, TimetableSlot.group)
            if ctx.scope.allows_lesson(s.subject_id, s.group_id, s.teacher_id)
        ]
        if not slots and not ctx.scope.everything:
            continue
        pupils = [p for p in pupils_all if p.on(day)]
        columns = [Column("n", "№", 3, "right", True), Column("pupil", "Учащийся", 24)]
        notes: list[str] = []
        if slots:
            for slot in slots:
                subject = subjects.get(slot.subject_id)
                name = subject.short_name or subject.name if subject is not None else "?"
                group = f" ({groups[slot.group_id].name})" if slot.group_id in groups else ""
                columns.append(Column(f"slot{slot.id}", f"{slot.number}. {name}{group}", 10, "center"))
        else:
            columns += [Column(f"lesson{i}", f"{i} урок", 10, "center") for i in range(1, EMPTY_LESSONS + 1)]
            notes.append("Расписание на этот день не задано: впишите предметы в заголовки столбцов.")
        rows: list[list[Cell]] = []
        for i, p in enumerate(pupils, start=1):
            row: list[Cell] = [i, p.short]
            for slot in slots:
                in_group = slot.group_id is None or covers(members.get((slot.group_id, p.id), ()), day)
                row.append(None if in_group else "—")
            if not slots:
                row += [None] * EMPTY_LESSONS
            rows.append(row)
        width = len(columns) - 2
        for label in ("Тема урока", "Домашнее задание", "Подпись учителя"):
            rows.append([None, label, *([None] * width)])
        sections.append(
            TableModel(
                name=f"{BLANK_JOURNAL}-day",
                title=f"{WEEKDAYS[day.weekday()]}, {C.day(day)}",
                params={"Класс": class_label(cls)},
                columns=tuple(columns),
                rows=rows,
                footnotes=notes,
                row_height_mm=7.0,
            )
        )
    footnotes = [
        "Временный журнал на случай недоступности электронного журнала (п. 6.1 Положения). "
        "В клетке — отметка и/или посещаемость: н — без уважительной причины, б — по болезни, "
        "у — по уважительной причине, о — опоздание; «—» — учащийся не в этой группе.",
        "Записи переносятся в электронный журнал в течение 2 рабочих дней с пометкой "
        "«перенесено с бумажного носителя» (п. 6.2 Положения).",
    ]
    if not sections:
        footnotes.append("На этой неделе нет уроков учителя в этом классе.")
    return TableModel(
        name=BLANK_JOURNAL,
        title=f"Временный журнал {C.of_class(cls)}",
        school=ctx.school.name,
        params=C.params(cls, None, None, Неделя=f"{C.day(week[0])}–{C.day(week[-1])}"),
        footnotes=footnotes,
        signatures=(C.CLASS_TEACHER_SIG,),
        signers=C.signers(ctx.school, cls),
        sections=sections,
        section_break="page",
        orientation="portrait",
    )
