"""Progress reports: class progress (R-REP-4), the summary sheet (R-REP-5), the class
teacher's report (R-REP-3), the preliminary report (R-REP-2) and final data per pupil (R-REP-9).

The indicators and categories are the domain's (:func:`progress_indicators`,
:func:`classify_pupil`, :data:`FORMULAS`); proposals are :func:`propose_period_mark` with the
school's rounding policy.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace

from tui_journal.db.models import Enrollment, PeriodMark, SchoolClass, Student, Subject
from tui_journal.domain.indicators import (
    FORMULAS,
    ProgressIndicators,
    PupilCategory,
    PupilResult,
    classify_pupil,
    progress_indicators,
)
from tui_journal.domain.text import format_decimal, full_name
from tui_journal.services.actor import Actor
from tui_journal.services.journal import class_label, marks_allowed_for, policy_of
from tui_journal.services.reports import common as C
from tui_journal.services.reports import scope as S
from tui_journal.services.reports.context import Ctx, class_ctx
from tui_journal.services.reports.data import (
    Pupil,
    SubjectRow,
    class_subjects,
    indicator_value,
    missed_by_pupil,
    period_marks,
    proposals,
    roster,
    teachers_of,
)
from tui_journal.services.reports.model import DASH, Cell, Column, TableModel
from tui_journal.services.reports.movement import FLOW_COLUMNS, class_flow, school_moves
from tui_journal.services.reports.params import ReportParams
from tui_journal.services.reports.scope import Span

CLASS_PROGRESS = "class-progress"
PROGRESS_SUMMARY = "progress-summary"
CLASS_TEACHER_REPORT = "class-teacher-report"
PRELIMINARY = "preliminary-report"
STUDENT_FINAL = "student-final"

NO_MARKS_NOTE = "В 1-х классах и группах ГКП отметки не ставятся (п. 3.8 Положения)."
ONLY_HIS_SUBJECTS = "Показаны только предметы, которые ведёт учитель."


def _value(x: float | None) -> Cell:
    return DASH if x is None else x


def _indicator_cells(ind: ProgressIndicators) -> list[Cell]:
    return [
        ind.n, ind.n5, ind.n4, ind.n3, ind.n2, ind.na, ind.exempt,
        _value(ind.success_pct), _value(ind.quality_pct), _value(ind.sou_pct), _value(ind.avg_mark),
    ]


INDICATOR_COLUMNS = (
    Column("n", "N", 4, "right", True),
    Column("n5", "«5»", 4, "right", True, "Число отметок"),
    Column("n4", "«4»", 4, "right", True, "Число отметок"),
    Column("n3", "«3»", 4, "right", True, "Число отметок"),
    Column("n2", "«2»", 4, "right", True, "Число отметок"),
    Column("na", "н/а", 4, "right", True, "Число отметок"),
    Column("exempt", "осв.", 4, "right", True, "Число отметок"),
    Column("success_pct", "% успеваемости", 11, "right", True),
    Column("quality_pct", "% качества", 9, "right", True),
    Column("sou_pct", "СОУ, %", 7, "right", True),
    Column("avg_mark", "Средний балл", 8, "right", True),
)

FORMULA_NOTES = [
    *FORMULAS,
    "Средний балл — по отметкам «5», «4», «3», «2» (н/а и осв. в него не входят). "
    "При N = 0 показатели не вычисляются («—»).",
]


def _results(pupils: Sequence[Pupil], marks: Mapping[tuple[int, int], str], subject_id: int, end: dt.date) -> list[PupilResult]:
    """Every pupil of the period with his mark; those who left before the end are off the roll."""
    return [
        PupilResult(indicator_value(marks.get((p.id, subject_id))), on_roll=p.on(end))
        for p in pupils
    ]


# --- class progress (R-REP-4) -----------------------------------------------------------


def authorize_class_progress(actor: Actor, params: ReportParams) -> Ctx:
    return class_ctx(actor, params, "отчёт об успеваемости", teacher=True, class_optional=True)


def class_progress(actor: Actor, params: ReportParams) -> TableModel:
    """Per subject: counts of 5/4/3/2/н/а/осв., % успеваемости, % качества, СОУ, average.

    Without a class (school-wide roles): one row per class, over all its subjects.
    """
    ctx = authorize_class_progress(actor, params)
    span = ctx.span
    footnotes = list(FORMULA_NOTES)
    if ctx.cls is None:
        return _school_progress(actor, ctx, params, footnotes)
    cls = ctx.cls
    pupils = roster(cls.id, span.start, span.end)
    marks = period_marks(cls.id, span)
    subjects = class_subjects(cls.id, ctx.scope, extra={s for (_, s) in marks})
    teachers = teachers_of(cls.id)
    rows: list[list[Cell]] = []
    everything: list[PupilResult] = []
    no_mark: list[str] = []
    for subject in subjects:
        results = _results(pupils, marks, subject.id, span.end)
        everything += results
        ind = progress_indicators(results)
        if ind.no_mark:
            no_mark.append(f"{subject.name} — {ind.no_mark}")
        rows.append([subject.name, teachers.get(subject.id, ""), *_indicator_cells(ind)])
    params.tick(1.0)
    left = sum(1 for p in pupils if not p.on(span.end))
    if left:
        footnotes.append(f"Выбывшие до конца периода ({left}) в N не входят.")
    if no_mark:
        footnotes.append("Без отметки (не входят в N): " + "; ".join(no_mark) + ".")
    if not marks_allowed_for(cls):
        footnotes.append(NO_MARKS_NOTE)
    if not ctx.scope.everything:
        footnotes.append(ONLY_HIS_SUBJECTS)
    return TableModel(
        name=CLASS_PROGRESS,
        title=f"Успеваемость учащихся {C.of_class(cls)}",
        school=ctx.school.name,
        params=C.params(cls, span, ctx.on, **{"Учащихся на конец периода": str(sum(1 for p in pupils if p.on(span.end)))}),
        columns=(Column("subject", "Предмет", 24), Column("teacher", "Учитель", 18), *INDICATOR_COLUMNS),
        rows=rows,
        totals=["Итого по классу", None, *_indicator_cells(progress_indicators(everything))] if rows else None,
        footnotes=footnotes,
        signatures=C.ALL_SIGNATURES,
        signers=C.signers(ctx.school, cls),
    )


def _school_progress(actor: Actor, ctx: Ctx, params: ReportParams, footnotes: list[str]) -> TableModel:
    span = ctx.span
    classes = S.classes_of_year(actor, ctx.year)
    rows: list[list[Cell]] = []
    everything: list[PupilResult] = []
    for cls in params.each(classes):
        if not marks_allowed_for(cls):
            continue
        pupils = roster(cls.id, span.start, span.end)
        marks = period_marks(cls.id, span)
        results: list[PupilResult] = []
        for subject in class_subjects(cls.id, ctx.scope, extra={s for (_, s) in marks}):
            results += _results(pupils, marks, subject.id, span.end)
        everything += results
        rows.append([class_label(cls), C.class_teacher_name(cls), *_indicator_cells(progress_indicators(results))])
    params.tick(1.0)
    footnotes.append("Показатели класса — по всем отметкам всех предметов класса (N — число пар «учащийся × предмет»).")
    footnotes.append("1-е классы и группы ГКП не аттестуются и не показаны.")
    return TableModel(
        name=CLASS_PROGRESS,
        title="Успеваемость учащихся по школе",
        school=ctx.school.name,
        params=C.params(None, span, ctx.on),
        columns=(Column("class", "Класс", 6), Column("class_teacher", "Классный руководитель", 20), *INDICATOR_COLUMNS),
        rows=rows,
        totals=["По школе", None, *_indicator_cells(progress_indicators(everything))] if rows else None,
        footnotes=footnotes,
        signatures=C.ADMIN_SIGNATURES,
        signers=C.signers(ctx.school),
    )


# --- the summary sheet (R-REP-5) ----------------------------------------------------------


def _grid(
    pupils: Sequence[Pupil],
    subjects: Sequence[SubjectRow],
    values: Mapping[tuple[int, int], str],
    span: Span,
    missed: Mapping[int, object] | None,
) -> tuple[tuple[Column, ...], list[list[Cell]], list[Cell]]:
    """Pupils × subjects with the marks (and missed days and lessons), with averages."""
    columns: list[Column] = [Column("n", "№", 3, "right", True), Column("pupil", "Учащийся", 28)]
    columns += [Column(f"s{s.id}", s.column_title, 6, "center", False) for s in subjects]
    if missed is not None:
        columns += [
            Column("days", "дней", 5, "right", True, "Пропущено"),
            Column("lessons", "уроков", 6, "right", True, "Пропущено"),
        ]
    rows: list[list[Cell]] = []
    for i, pupil in enumerate(pupils, start=1):
        note = pupil.note(span.start, span.end)
        row: list[Cell] = [i, f"{pupil.full} ({note})" if note else pupil.full]
        row += [values.get((pupil.id, s.id)) for s in subjects]
        if missed is not None:
            m = missed[pupil.id]
            row += [m.days.total, m.lessons.total]  # type: ignore[attr-defined]
        rows.append(row)
    totals: list[Cell] = [None, "Средний балл"]
    for s in subjects:
        points = [int(v) for (p, sid), v in values.items() if sid == s.id and v in ("2", "3", "4", "5")]
        totals.append(format_decimal(sum(points) / len(points), 2) if points else None)
    if missed is not None:
        totals += C.sum_columns(rows, len(columns) - 2, len(columns))
    return tuple(columns), rows, totals


def authorize_progress_summary(actor: Actor, params: ReportParams) -> Ctx:
    return class_ctx(actor, params, "сводная ведомость успеваемости", teacher=True, class_optional=True)


def _summary_of_class(ctx: Ctx, cls: SchoolClass, scope: S.SubjectScope) -> TableModel:
    span = ctx.span
    pupils = roster(cls.id, span.start, span.end)
    marks = period_marks(cls.id, span)
    subjects = class_subjects(cls.id, scope, extra={s for (_, s) in marks if scope.allows_subject(s)})
    missed = missed_by_pupil(cls.id, pupils, span.start, ctx.until)
    columns, rows, totals = _grid(pupils, subjects, marks, span, missed)
    return TableModel(
        name=PROGRESS_SUMMARY,
        title=f"Сводная ведомость успеваемости {C.of_class(cls)}",
        school=ctx.school.name,
        params=C.params(cls, span, ctx.on, **{"Классный руководитель": C.class_teacher_name(cls)}),
        columns=columns,
        rows=rows,
        totals=totals,
        footnotes=[
            "Отметки за период; «н/а» — не аттестован, «осв» — освобождён.",
            "Пропуски — дни и уроки за период по дату отчёта. " + C.ATTENDANCE_NOTE,
        ],
        signatures=C.ALL_SIGNATURES,
        signers=C.signers(ctx.school, cls),
    )


def progress_summary(actor: Actor, params: ReportParams) -> TableModel:
    """Pupils × subjects with the period marks, missed days and lessons; without a class,
    one section per class of the school (school-wide roles)."""
    ctx = authorize_progress_summary(actor, params)
    if ctx.cls is not None:
        model = _summary_of_class(ctx, ctx.cls, ctx.scope)
        params.tick(1.0)
        if not ctx.scope.everything:
            model.footnotes.append(ONLY_HIS_SUBJECTS)
        return model
    classes = S.classes_of_year(actor, ctx.year)
    sections = []
    for cls in params.each(classes):
        sections.append(_summary_of_class(ctx, cls, ctx.scope))
    return TableModel(
        name=PROGRESS_SUMMARY,
        title="Сводная ведомость успеваемости по школе",
        school=ctx.school.name,
        params=C.params(None, ctx.span, ctx.on),
        sections=sections,
        section_break="page",
        signatures=C.ADMIN_SIGNATURES,
        signers=C.signers(ctx.school),
    )


# --- the class teacher's report (R-REP-3) and the preliminary one (R-REP-2) ---------------

CATEGORIES: tuple[tuple[PupilCategory, str], ...] = (
    ("excellent", "Отличники (только «5»)"),
    ("good", "Хорошисты («4» и «5»)"),
    ("one_three", "С одной «3»"),
    ("failing", "Неуспевающие («2» или н/а)"),
    ("other", "С двумя и более «3»"),
    ("unattested", "Без отметок"),
)


def _categories(
    pupils: Sequence[Pupil],
    subjects: Sequence[SubjectRow],
    values: Mapping[tuple[int, int], str],
) -> tuple[list[list[Cell]], list[Cell], list[str]]:
    """Rows «category, number, % of pupils, names», totals and the class indicators."""
    by_cat: dict[str, list[str]] = defaultdict(list)
    for pupil in pupils:
        marks = {s.id: values.get((pupil.id, s.id)) for s in subjects}
        category = classify_pupil([v for v in marks.values()])
        name = pupil.short
        if category == "one_three":
            which = [s.column_title for s in subjects if marks[s.id] == "3"]
            name += f" ({', '.join(which)})"
        elif category == "failing":
            bad = [f"{s.column_title} — {marks[s.id]}" for s in subjects if marks[s.id] in ("2", "1", "н/а", "незач")]
            name += f" ({'; '.join(bad)})"
        by_cat[category].append(name)
    total = len(pupils)
    rows: list[list[Cell]] = []
    for key, title in CATEGORIES:
        names = by_cat.get(key, [])
        share: Cell = len(names) * 100 / total if total else DASH
        rows.append([title, len(names), share, ", ".join(names)])
    attested = total - len(by_cat.get("unattested", []))
    failing = len(by_cat.get("failing", []))
    quality = len(by_cat.get("excellent", [])) + len(by_cat.get("good", []))
    notes = []
    if attested:
        notes.append(
            f"Успеваемость по классу: {format_decimal((attested - failing) * 100 / attested, 2)} %; "
            f"качество знаний: {format_decimal(quality * 100 / attested, 2)} %."
        )
    notes.append(
        "Успеваемость = (аттестованные − неуспевающие)·100/аттестованные; качество = "
        "(отличники + хорошисты)·100/аттестованные; аттестованные — учащиеся, имеющие хотя бы одну отметку."
    )
    totals: list[Cell] = ["Учащихся", total, 100.0 if total else DASH, None]
    return rows, totals, notes


CATEGORY_COLUMNS = (
    Column("category", "Категория", 24),
    Column("count", "Число", 6, "right", True),
    Column("share", "% от числа учащихся", 10, "right", True, decimals=1),
    Column("pupils", "Учащиеся", 60),
)


def _missed_section(cls: SchoolClass, pupils: Sequence[Pupil], start: dt.date, end: dt.date) -> TableModel:
    missed = missed_by_pupil(cls.id, pupils, start, end)
    rows: list[list[Cell]] = [
        [i, p.full, *C.attendance_cells(missed[p.id])] for i, p in enumerate(pupils, start=1)
    ]
    return TableModel(
        name="missed",
        title=f"Пропуски с {C.day(start)} по {C.day(end)}",
        columns=(Column("n", "№", 3, "right", True), Column("pupil", "Учащийся", 28), *C.attendance_columns()),
        rows=rows,
        totals=[None, "Итого", *C.sum_columns(rows, 2, 2 + len(C.attendance_columns()))],
        footnotes=[C.ATTENDANCE_NOTE],
    )


def authorize_class_teacher_report(actor: Actor, params: ReportParams) -> Ctx:
    return class_ctx(actor, params, "отчёт классного руководителя")


def class_teacher_report(actor: Actor, params: ReportParams) -> TableModel:
    """The class teacher's report for a period: pupils by category, by name; missed lessons;
    the movement of the class."""
    ctx = authorize_class_teacher_report(actor, params)
    cls = ctx.need_class()
    span = ctx.span
    everyone = roster(cls.id, span.start, span.end)
    pupils = [p for p in everyone if p.on(span.end)]
    marks = period_marks(cls.id, span)
    subjects = class_subjects(cls.id, ctx.scope, extra={s for (_, s) in marks})
    rows, totals, notes = _categories(pupils, subjects, marks)
    params.tick(0.4)
    missed = _missed_section(cls, everyone, span.start, ctx.until)
    params.tick(0.8)
    flow = class_flow(cls, ctx.year, school_moves(actor, ctx.year), span.start, ctx.until)
    movement = TableModel(
        name="flow",
        title="Движение учащихся за период",
        columns=FLOW_COLUMNS,
        rows=[[flow.at_start, flow.arrived, flow.left, flow.moved_in, flow.moved_out, flow.at_end]],
    )
    params.tick(1.0)
    footnotes = ["Категории — по отметкам за период учащихся, числящихся на конец периода.", *notes]
    return _categories_report(
        ctx, cls, CLASS_TEACHER_REPORT, "Отчёт классного руководителя", (rows, totals), footnotes, [missed, movement]
    )


def _categories_report(
    ctx: Ctx,
    cls: SchoolClass,
    name: str,
    title: str,
    table: tuple[list[list[Cell]], list[Cell]],
    footnotes: list[str],
    sections: list[TableModel],
) -> TableModel:
    """The class teacher's and the preliminary report: pupils by category (``table``: rows and
    totals of :func:`_categories`) for the class teacher and the deputy to sign."""
    if not marks_allowed_for(cls):
        footnotes.append(NO_MARKS_NOTE)
    rows, totals = table
    return TableModel(
        name=name,
        title=f"{title} {C.of_class(cls)}",
        school=ctx.school.name,
        params=C.params(cls, ctx.span, ctx.on, **{"Классный руководитель": C.class_teacher_name(cls)}),
        columns=CATEGORY_COLUMNS,
        rows=rows,
        totals=totals,
        footnotes=footnotes,
        signatures=(C.CLASS_TEACHER_SIG, C.DEPUTY_SIG),
        signers=C.signers(ctx.school, cls),
        sections=sections,
    )


def authorize_preliminary(actor: Actor, params: ReportParams) -> Ctx:
    return class_ctx(actor, params, "предварительный отчёт", teacher=True)


def preliminary_report(actor: Actor, params: ReportParams) -> TableModel:
    """Before the period ends: the categories from the marks proposed from current marks,
    the expected marks pupil by pupil, and the lessons missed so far."""
    ctx = authorize_preliminary(actor, params)
    cls = ctx.need_class()
    span = ctx.span
    until = ctx.until
    everyone = roster(cls.id, span.start, until)
    pupils = [p for p in everyone if p.on(until)]
    policy = policy_of(ctx.school.id)
    proposed = proposals(cls.id, pupils, span.start, until, policy, ctx.scope)
    values = {key: p.value for key, p in proposed.items()}
    subjects = class_subjects(cls.id, ctx.scope, extra={s for (_, s) in values})
    subjects = [s for s in subjects if any(sid == s.id for (_, sid) in values)]
    rows, totals, notes = _categories(pupils, subjects, values)
    params.tick(0.5)
    columns, grid_rows, grid_totals = _grid(pupils, subjects, values, span, None)
    expected = TableModel(
        name="expected",
        title="Ожидаемые отметки за период",
        columns=columns,
        rows=grid_rows,
        totals=grid_totals,
    )
    missed = _missed_section(cls, pupils, span.start, until)
    params.tick(1.0)
    rule = (
        f"пороги {format_decimal(policy.thresholds[0], 2)} / {format_decimal(policy.thresholds[1], 2)} / "
        f"{format_decimal(policy.thresholds[2], 2)}"
        if policy.mode == "threshold"
        else "округление (0,5 вверх)"
    )
    footnotes = [
        f"Ожидаемая отметка — средневзвешенный балл текущих отметок с {C.day(span.start)} по {C.day(until)} "
        f"с учётом весов видов работ; {rule}; меньше {policy.min_marks} отметок — н/а; «осв» — освобождён.",
        *notes,
    ]
    if not ctx.scope.everything:
        footnotes.append(ONLY_HIS_SUBJECTS)
    return _categories_report(
        ctx, cls, PRELIMINARY, "Предварительный отчёт об успеваемости", (rows, totals), footnotes, [expected, missed]
    )


# --- final data per pupil (R-REP-9) ---------------------------------------------------------


def authorize_student_final(actor: Actor, params: ReportParams) -> Ctx | Student:
    if params.student_id is not None:
        return S.student_scope(actor, params.student_id, "итоговые данные", class_teacher=True)
    return class_ctx(actor, params, "итоговые данные учащихся")


KIND_TITLES = (("year", "Год"), ("exam", "Экзамен"), ("final", "Итоговая"))


def _student_card(actor: Actor, student: Student, on: dt.date, school_name: str) -> TableModel:
    year = S.year_for(actor, on)
    periods = S.periods_of_year(year)
    cls = S.class_of_student(actor, student, on)
    class_ids = [
        e.school_class_id
        for e in Enrollment.select(Enrollment.school_class)
        .join(SchoolClass)
        .where((Enrollment.student == student.id) & (SchoolClass.year == year.id))
    ]
    rows_q = (
        PeriodMark.select(PeriodMark, Subject)
        .join(Subject)
        .where((PeriodMark.student == student.id) & PeriodMark.school_class.in_(class_ids or [-1]))
    )
    cells: dict[tuple[int, str], str] = {}
    subjects: dict[int, Subject] = {}
    for pm in rows_q:
        subjects[pm.subject_id] = pm.subject
        key = f"p{pm.period_id}" if pm.kind == "period" else pm.kind
        cells[(pm.subject_id, key)] = pm.value
    if cls is not None:
        for s in class_subjects(cls.id, S.EVERYTHING):
            subjects.setdefault(s.id, Subject(id=s.id, name=s.name, short_name=s.short))
    columns = [Column("subject", "Предмет", 30)]
    columns += [Column(f"p{p.period_id}", p.name, 8, "center") for p in periods]
    columns += [Column(k, title, 8, "center") for k, title in KIND_TITLES]
    rows: list[list[Cell]] = []
    for sid in sorted(subjects):
        row: list[Cell] = [subjects[sid].name]
        row += [cells.get((sid, f"p{p.period_id}")) for p in periods]
        row += [cells.get((sid, k)) for k, _ in KIND_TITLES]
        rows.append(row)
    footnotes = []
    if cls is not None:
        pupil = [p for p in roster(cls.id, year.start, min(year.end, on)) if p.id == student.id]
        if pupil:
            m = missed_by_pupil(cls.id, pupil, year.start, min(year.end, on))[student.id]
            footnotes.append(
                f"Пропущено с начала учебного года по {C.day(min(year.end, on))}: дней — {m.days.total} "
                f"(по болезни {m.days.ill}), уроков — {m.lessons.total} (по болезни {m.lessons.ill}, "
                f"по уважительной причине {m.lessons.valid}, без уважительной причины {m.lessons.unexcused}); "
                f"опозданий — {m.late}."
            )
    name = full_name(student.last_name, student.first_name, student.middle_name)
    extra = {"Учащийся": name, "Учебный год": year.name}
    if student.birth_date is not None:
        extra["Дата рождения"] = C.day(student.birth_date)
    return TableModel(
        name=STUDENT_FINAL,
        title=f"Итоговые данные учащегося: {name}",
        school=school_name,
        params=C.params(cls, None, on, **extra),
        columns=tuple(columns),
        rows=rows,
        footnotes=footnotes,
    )


def student_final(actor: Actor, params: ReportParams) -> TableModel:
    """Period, year, exam and final marks per subject for one pupil, or for each pupil of a class."""
    target = authorize_student_final(actor, params)
    school = S.school_of(actor)
    on = params.on
    if isinstance(target, Student):
        card = _student_card(actor, target, on, school.name)
        cls = S.class_of_student(actor, target, on)
        params.tick(1.0)
        return replace(card, signatures=(C.CLASS_TEACHER_SIG, C.DIRECTOR_SIG), signers=C.signers(school, cls))
    ctx = target
    cls = ctx.need_class()
    pupils = [p for p in roster(cls.id, ctx.year.start, ctx.year.end) if p.on(min(ctx.year.end, on))]
    sections = []
    for pupil in params.each(pupils):
        student = Student.get_by_id(pupil.id)
        sections.append(_student_card(actor, student, on, school.name))
    return TableModel(
        name=STUDENT_FINAL,
        title=f"Итоговые данные учащихся {C.of_class(cls)}",
        school=school.name,
        params=C.params(cls, None, on, **{"Учебный год": ctx.year.name}),
        sections=sections,
        section_break="page",
        signatures=(C.CLASS_TEACHER_SIG, C.DIRECTOR_SIG),
        signers=C.signers(school, cls),
    )
