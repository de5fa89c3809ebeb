"""Reading the journal: the actor's journals, a class's periods, the grade grid and a
lesson's roll.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from tui_journal import clock
from tui_journal.db.models import (
    Assignment,
    Attendance,
    Group,
    GroupMember,
    Lesson,
    Mark,
    Period,
    PeriodMark,
    SchoolClass,
    Student,
    Subject,
    User,
    WorkType,
)
from tui_journal.domain import attendance as att
from tui_journal.domain import ru_words as words
from tui_journal.domain.grading import propose_period_mark
from tui_journal.domain.marks import (
    WeightedMark,
    numeric_value,
    weighted_average,
)
from tui_journal.domain.periods import span_on
from tui_journal.domain.text import surname_initials
from tui_journal.services import access
from tui_journal.services import roles as R
from tui_journal.services.actor import Actor
from tui_journal.services.errors import NotFound
from tui_journal.services.journal.base import (
    CellView,
    ColumnView,
    Grid,
    JournalRef,
    MarkView,
    PeriodInfo,
    RowView,
    class_label,
    class_sort_key,
    marks_allowed_for,
    policy_of,
)
from tui_journal.services.journal.lessons import homework_due_dates
from tui_journal.services.roster import in_group, roster_on

# --- reading -----------------------------------------------------------------------------


def my_journals(actor: Actor) -> list[JournalRef]:
    """The journals the actor works with: his assignments; everything for school-wide roles;
    his class's subjects for a class teacher."""
    refs: dict[tuple[int, int, int | None], JournalRef] = {}
    classes: dict[int, SchoolClass] = {}

    def add(a: Assignment, writable: bool) -> None:
        cls = classes.setdefault(a.school_class_id, a.school_class)
        key = (cls.id, a.subject_id, a.group_id)
        group = a.group.name if a.group is not None else ""
        refs[key] = JournalRef(cls.id, class_label(cls), a.subject_id, a.subject.name, a.group_id, group, writable)

    base = (
        Assignment.select(Assignment, SchoolClass, Subject)
        .join(SchoolClass)
        .switch(Assignment)
        .join(Subject)
        .where(SchoolClass.school == actor.school_id)
    )
    if actor.user_id is not None and actor.has(R.TEACHER, R.EDUCATOR):
        for a in base.where(Assignment.teacher == actor.user_id):
            add(a, True)
    if actor.user_id is not None:
        # lessons he substitutes (R-J-7): the journal opens for him, writable in those lessons
        subs = (
            Lesson.select(Lesson.school_class, Lesson.subject, Lesson.group)
            .join(SchoolClass)
            .where(
                (Lesson.teacher == actor.user_id)
                & Lesson.replaced_teacher.is_null(False)
                & (SchoolClass.school == actor.school_id)
            )
            .distinct()
        )
        for ls in subs:
            key = (ls.school_class_id, ls.subject_id, ls.group_id)
            if key not in refs:
                cls = classes.setdefault(ls.school_class_id, SchoolClass.get_by_id(ls.school_class_id))
                group = Group.get_by_id(ls.group_id).name if ls.group_id else ""
                refs[key] = JournalRef(
                    cls.id, class_label(cls), ls.subject_id, Subject.get_by_id(ls.subject_id).name,
                    ls.group_id, f"{group} замена".strip(), True,
                )
    # read-only: every journal for the school-wide roles, the whole class for its class teacher
    readable = access.visible_class_ids(actor) if actor.school_wide else access.led_class_ids(actor)
    if readable:
        for a in base.where(SchoolClass.id.in_(list(readable))):
            key = (a.school_class_id, a.subject_id, a.group_id)
            if key not in refs:
                add(a, False)
    return sorted(refs.values(), key=lambda r: (class_sort_key(classes[r.class_id]), r.subject_name, r.group_name))


def require_journal_visible(actor: Actor, class_id: int) -> None:
    """Journals are read by the school-wide roles, the class teacher and the class's teachers.

    Pupils and parents read the diary instead; the secretary keeps the lists, not journals.
    """
    if actor.school_wide:
        return
    if class_id in access.led_class_ids(actor) | access.taught_class_ids(actor):
        return
    raise access.deny("журнал этого класса")


def periods_of_class(cls: SchoolClass) -> list[PeriodInfo]:
    rows = (
        Period.select()
        .where((Period.year == cls.year_id) & (Period.kind != "holidays"))
        .order_by(Period.start)
    )
    return [PeriodInfo(p.id, p.name, p.start, p.end) for p in rows]


def current_period(periods: Sequence[PeriodInfo], today: dt.date | None = None) -> PeriodInfo:
    return span_on(today or clock.today(), periods)


def _roster(cls: SchoolClass, group_id: int | None, start: dt.date, end: dt.date) -> list[RowView]:
    enrollments = roster_on(cls.id, start, end)
    members: set[int] | None = None
    if group_id is not None:
        members = {
            m.student_id
            for m in GroupMember.select().where((GroupMember.group == group_id) & in_group(start, end))
        }
    by_student: dict[int, tuple[Student, str]] = {}
    for e in enrollments:
        if members is not None and e.student_id not in members:
            continue
        note = ""
        sex = words.sex_of(e.student.middle_name, e.student.sex)
        if e.end is not None and e.end <= end:
            note = f"{words.gendered('выбыл', sex)} {e.end:%d.%m}"
        elif e.start > start:
            note = f"{words.gendered('прибыл', sex)} {e.start:%d.%m}"
        by_student[e.student_id] = (e.student, note)
    ordered = sorted(by_student.values(), key=lambda p: (p[0].last_name, p[0].first_name, p[0].middle_name))
    return [
        RowView(
            student_id=s.id,
            number=i + 1,
            name=surname_initials(s.last_name, s.first_name, s.middle_name or None),
            full_name=" ".join(x for x in (s.last_name, s.first_name, s.middle_name) if x),
            note=note,
        )
        for i, (s, note) in enumerate(ordered)
    ]


def _ref_for(actor: Actor, cls: SchoolClass, subject_id: int, group_id: int | None) -> JournalRef:
    subject = access.row_in_school(Subject, actor, subject_id, f"Предмет не найден: {subject_id}")
    group_name = ""
    if group_id is not None:
        group = Group.get_or_none((Group.id == group_id) & (Group.school_class == cls.id))
        if group is None:
            raise NotFound(f"Группа не найдена: {group_id}")
        group_name = group.name
    writable = access.teaches(actor, cls.id, subject_id, group_id) and actor.has(R.TEACHER, R.EDUCATOR)
    return JournalRef(cls.id, class_label(cls), subject_id, subject.name, group_id, group_name, writable)


def open_grid(
    actor: Actor,
    class_id: int,
    subject_id: int,
    group_id: int | None = None,
    period_id: int | None = None,
    today: dt.date | None = None,
) -> Grid:
    """The grade grid of one class (or subgroup), subject and period."""
    cls = access.class_in_school(actor, class_id)
    if not _substitutes_in(actor, class_id, subject_id, group_id):
        require_journal_visible(actor, class_id)
    ref = _ref_for(actor, cls, subject_id, group_id)
    periods = periods_of_class(cls)
    if not periods:
        raise NotFound("Для учебного года не заданы периоды (четверти)")
    period = next((p for p in periods if p.id == period_id), None) or current_period(periods, today)

    lessons_q = Lesson.select(Lesson, User).join(User, on=(Lesson.teacher == User.id)).where(
        (Lesson.school_class == cls.id)
        & (Lesson.subject == subject_id)
        & (Lesson.date >= period.start)
        & (Lesson.date <= period.end)
    )
    if group_id is None:
        lessons_q = lessons_q.where(Lesson.group.is_null())
    else:
        lessons_q = lessons_q.where(Lesson.group == group_id)
    lessons = list(lessons_q.order_by(Lesson.date, Lesson.number))
    work_types = list(WorkType.select().where(WorkType.school == actor.school_id).order_by(WorkType.id))
    wt_by_id = {w.id: w for w in work_types}
    columns = [_column(ls, wt_by_id, ls.teacher) for ls in lessons]
    if any(ls.homework or ls.homework_pages or ls.homework_tasks for ls in lessons):
        dues = homework_due_dates(lessons)
        columns = [replace(c, homework_due=dues.get(c.lesson_id)) for c in columns]
    rows = _roster(cls, group_id, period.start, period.end)
    cells, weighted = _cells(lessons, rows, wt_by_id)
    policy = policy_of(actor.school_id)
    averages = {r.student_id: weighted_average(weighted.get(r.student_id, [])) for r in rows}
    exempt = _exempt_students(cls.id, subject_id, period.id)
    proposals = {
        r.student_id: propose_period_mark(weighted.get(r.student_id, []), policy, exempt=r.student_id in exempt)
        for r in rows
    }
    period_marks = {
        pm.student_id: pm.value
        for pm in PeriodMark.select().where(
            (PeriodMark.school_class == cls.id)
            & (PeriodMark.subject == subject_id)
            & (PeriodMark.period == period.id)
            & (PeriodMark.kind == "period")
        )
    }
    notes = []
    if not marks_allowed_for(cls):
        notes.append("В 1-х классах и группах ГКП отметки и домашние задания не ставятся (п. 3.8 Положения)")
    return Grid(
        ref=ref,
        period=period,
        periods=periods,
        columns=columns,
        rows=rows,
        cells=cells,
        averages=averages,
        proposals=proposals,
        period_marks=period_marks,
        work_types=[(w.id, w.name, float(w.weight)) for w in work_types],
        policy=policy,
        marks_allowed=marks_allowed_for(cls),
        writable=ref.writable or _substitutes_any(actor, lessons),
        notes=notes,
    )


def _cells(
    lessons: Sequence[Lesson], rows: Sequence[RowView], wt_by_id: dict[int, WorkType]
) -> tuple[dict[tuple[int, int], CellView], dict[int, list[WeightedMark]]]:
    """The cells of these lessons for these pupils, and each pupil's weighted marks."""
    lesson_ids = [ls.id for ls in lessons] or [-1]
    student_ids = [r.student_id for r in rows] or [-1]
    marks_by_cell: dict[tuple[int, int], list[Mark]] = defaultdict(list)
    for m in (
        Mark.select()
        .where(Mark.lesson.in_(lesson_ids) & Mark.student.in_(student_ids))
        .order_by(Mark.position, Mark.id)
    ):
        marks_by_cell[(m.student_id, m.lesson_id)].append(m)
    attendance = {
        (a.student_id, a.lesson_id): a
        for a in Attendance.select().where(Attendance.lesson.in_(lesson_ids) & Attendance.student.in_(student_ids))
    }
    cells: dict[tuple[int, int], CellView] = {}
    weighted: dict[int, list[WeightedMark]] = defaultdict(list)
    for key in set(marks_by_cell) | set(attendance):
        views = tuple(
            MarkView(
                m.id,
                m.value,
                wt_by_id[m.work_type_id].name if m.work_type_id in wt_by_id else "",
                float(wt_by_id[m.work_type_id].weight) if m.work_type_id in wt_by_id else 1.0,
                m.comment,
            )
            for m in marks_by_cell.get(key, [])
        )
        record = attendance.get(key)
        cells[key] = CellView(
            marks=views,
            code=att.effective_code(record.code, record.corrected_code) if record else None,
            teacher_code=record.code if record else None,
            corrected_code=record.corrected_code if record else None,
        )
        for v in views:
            value = numeric_value(v.value)
            if value is not None:
                weighted[key[0]].append(WeightedMark(value, v.weight))
    return cells, weighted


def _column(ls: Lesson, wt_by_id: dict[int, WorkType], teacher: User) -> ColumnView:
    return ColumnView(
        lesson_id=ls.id,
        date=ls.date,
        number=ls.number,
        topic=ls.topic,
        homework=ls.homework,
        work_type_id=ls.work_type_id,
        work_type=wt_by_id[ls.work_type_id].name if ls.work_type_id in wt_by_id else "",
        teacher=surname_initials(teacher.last_name, teacher.first_name, teacher.middle_name or None),
        substitution=ls.replaced_teacher_id is not None,
        roll_taken=ls.roll_taken_at is not None,
    )


def lesson_roll(actor: Actor, lesson_id: int) -> Grid:
    """One lesson as a one-column grid: the roll for the attendance screen.

    Open to whoever may write the lesson (a substitute too) and to the journal's readers.
    """
    lesson = access.lesson_in_school(actor, lesson_id)
    if not access.can_write_lesson(actor, lesson):
        require_journal_visible(actor, lesson.school_class_id)
    cls = lesson.school_class
    ref = JournalRef(
        cls.id,
        class_label(cls),
        lesson.subject_id,
        Subject.get_by_id(lesson.subject_id).name,
        lesson.group_id,
        Group.get_by_id(lesson.group_id).name if lesson.group_id else "",
        access.can_write_lesson(actor, lesson),
    )
    periods = periods_of_class(cls)
    period = current_period(periods, lesson.date) if periods else PeriodInfo(0, "", lesson.date, lesson.date)
    work_types = {w.id: w for w in WorkType.select().where(WorkType.school == actor.school_id)}
    rows = _roster(cls, lesson.group_id, lesson.date, lesson.date)
    cells, _ = _cells([lesson], rows, work_types)
    return Grid(
        ref=ref,
        period=period,
        periods=periods,
        columns=[_column(lesson, work_types, User.get_by_id(lesson.teacher_id))],
        rows=rows,
        cells=cells,
        averages={},
        proposals={},
        period_marks={},
        work_types=[(w.id, w.name, float(w.weight)) for w in work_types.values()],
        policy=policy_of(actor.school_id),
        marks_allowed=marks_allowed_for(cls),
        writable=ref.writable,
    )


def _substitutes_in(actor: Actor, class_id: int, subject_id: int, group_id: int | None) -> bool:
    """Whether the actor substitutes some lesson of this journal (R-J-7)."""
    if actor.user_id is None:
        return False
    query = Lesson.select().where(
        (Lesson.teacher == actor.user_id)
        & (Lesson.school_class == class_id)
        & (Lesson.subject == subject_id)
        & Lesson.replaced_teacher.is_null(False)
    )
    query = query.where(Lesson.group.is_null() if group_id is None else (Lesson.group == group_id))
    return bool(query.exists())


def _substitutes_any(actor: Actor, lessons: Sequence[Lesson]) -> bool:
    return actor.user_id is not None and any(ls.teacher_id == actor.user_id for ls in lessons)


def _exempt_students(class_id: int, subject_id: int, period_id: int) -> set[int]:
    return {
        pm.student_id
        for pm in PeriodMark.select().where(
            (PeriodMark.school_class == class_id)
            & (PeriodMark.subject == subject_id)
            & (PeriodMark.period == period_id)
            & (PeriodMark.value == "осв")
        )
    }
