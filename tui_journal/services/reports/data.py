"""Reading what reports need, a few queries per class, and turning it into domain values.

The counting itself is the domain's (:mod:`tui_journal.domain.attendance`,
:mod:`~tui_journal.domain.indicators`, :mod:`~tui_journal.domain.grading`); here rows become
the inputs those functions take.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from tui_journal.db.models import (
    Assignment,
    Attendance,
    Curriculum,
    Enrollment,
    Group,
    GroupMember,
    Lesson,
    Mark,
    PeriodMark,
    SchoolClass,
    Student,
    Subject,
    User,
    WorkType,
)
from tui_journal.domain import attendance as att
from tui_journal.domain import ru_words as words
from tui_journal.domain.attendance import MissedDays
from tui_journal.domain.grading import Proposal, RoundingPolicy, propose_period_mark
from tui_journal.domain.indicators import PERIOD_RESULTS
from tui_journal.domain.marks import EXEMPT, WeightedMark, numeric_value
from tui_journal.domain.text import full_name, surname_initials
from tui_journal.services.reports.scope import Span, SubjectScope
from tui_journal.services.roster import on_roll, roster_on

Interval = tuple[dt.date, dt.date | None]


def covers(spans: Iterable[Interval], day: dt.date) -> bool:
    return any(start <= day and (end is None or end >= day) for start, end in spans)


def overlaps(spans: Iterable[Interval], start: dt.date, end: dt.date) -> bool:
    return any(s <= end and (e is None or e >= start) for s, e in spans)


@dataclass(frozen=True)
class Pupil:
    """A pupil of a class's roll, with the spans he was in the class."""

    id: int
    last_name: str
    first_name: str
    middle_name: str
    sex: str
    user_id: int | None
    spans: tuple[Interval, ...]

    @property
    def short(self) -> str:
        return surname_initials(self.last_name, self.first_name, self.middle_name or None)

    @property
    def full(self) -> str:
        return full_name(self.last_name, self.first_name, self.middle_name)

    def on(self, day: dt.date) -> bool:
        return covers(self.spans, day)

    def note(self, start: dt.date, end: dt.date) -> str:
        """«выбыл 12.10», «прибыл 05.11» for a pupil who was not on the roll all the span."""
        first = min(s for s, _ in self.spans)
        ends = [e for _, e in self.spans]
        last = None if any(e is None for e in ends) else max(e for e in ends if e is not None)
        sex = words.sex_of(self.middle_name, self.sex)
        if last is not None and last < end:
            return f"{words.gendered('выбыл', sex)} {last:%d.%m.%Y}"
        if first > start:
            return f"{words.gendered('прибыл', sex)} {first:%d.%m.%Y}"
        return ""


def _sort_key(p: Pupil) -> tuple[str, str, str, int]:
    return (p.last_name.casefold().replace("ё", "е"), p.first_name.casefold(), p.middle_name.casefold(), p.id)


def roster(class_id: int, start: dt.date, end: dt.date) -> list[Pupil]:
    """Pupils on the class's roll at any time in [start, end], in alphabetical order."""
    rows = roster_on(class_id, start, end)
    spans: dict[int, list[Interval]] = defaultdict(list)
    students: dict[int, Student] = {}
    for e in rows:
        spans[e.student_id].append((e.start, e.end))
        students[e.student_id] = e.student
    pupils = [
        Pupil(
            id=s.id,
            last_name=s.last_name,
            first_name=s.first_name,
            middle_name=s.middle_name,
            sex=s.sex,
            user_id=s.user_id,
            spans=tuple(sorted(spans[s.id], key=lambda iv: iv[0])),
        )
        for s in students.values()
    ]
    return sorted(pupils, key=_sort_key)


def count_on(class_id: int, day: dt.date) -> int:
    return (
        Enrollment.select(Enrollment.student)
        .where(
            (Enrollment.school_class == class_id)
            & on_roll(day)
        )
        .distinct()
        .count()
    )


def group_spans(class_id: int) -> dict[tuple[int, int], list[Interval]]:
    """(group, student) → the spans the student was in the group, for the class's groups."""
    rows = (
        GroupMember.select(GroupMember.group, GroupMember.student, GroupMember.start, GroupMember.end)
        .join(Group)
        .where(Group.school_class == class_id)
    )
    result: dict[tuple[int, int], list[Interval]] = defaultdict(list)
    for m in rows:
        result[(m.group_id, m.student_id)].append((m.start, m.end))
    return result


@dataclass(frozen=True)
class LessonRow:
    id: int
    date: dt.date
    number: int
    subject_id: int
    group_id: int | None
    teacher_id: int


def lessons_of(class_id: int, start: dt.date, end: dt.date) -> list[LessonRow]:
    rows: Any = (
        Lesson.select(Lesson.id, Lesson.date, Lesson.number, Lesson.subject, Lesson.group, Lesson.teacher)
        .where((Lesson.school_class == class_id) & (Lesson.date >= start) & (Lesson.date <= end))
        .order_by(Lesson.date, Lesson.number, Lesson.id)
        .tuples()
    )
    return [LessonRow(*r) for r in rows]


def lesson_is_for(pupil: Pupil, lesson: LessonRow, groups: dict[tuple[int, int], list[Interval]]) -> bool:
    """A lesson counts for a pupil on the roll that day: a class lesson, or his group's."""
    if not pupil.on(lesson.date):
        return False
    if lesson.group_id is None:
        return True
    return covers(groups.get((lesson.group_id, pupil.id), ()), lesson.date)


def codes_by_lesson(class_id: int, start: dt.date, end: dt.date) -> dict[tuple[int, int], str | None]:
    """(student, lesson) → the effective attendance code (the class teacher's correction wins)."""
    rows: Any = (
        Attendance.select(Attendance.student, Attendance.lesson, Attendance.code, Attendance.corrected_code)
        .join(Lesson)
        .where((Lesson.school_class == class_id) & (Lesson.date >= start) & (Lesson.date <= end))
        .tuples()
    )
    return {(student, lesson): att.effective_code(code, corrected) for student, lesson, code, corrected in rows}


def missed_by_pupil(
    class_id: int, pupils: Sequence[Pupil], start: dt.date, end: dt.date
) -> dict[int, MissedDays]:
    """Each pupil's missed days, missed lessons and late arrivals in [start, end].

    A day counts as missed only when every lesson held that day for the pupil (his class's
    lessons and his groups') was missed (:func:`tui_journal.domain.attendance.missed_days`).
    Only the days on which the pupil has some attendance code can count, so only those are
    looked at.
    """
    lessons = lessons_of(class_id, start, end)
    groups = group_spans(class_id)
    codes = codes_by_lesson(class_id, start, end)
    by_day: dict[dt.date, list[LessonRow]] = defaultdict(list)
    lesson_day: dict[int, dt.date] = {}
    for lesson in lessons:
        by_day[lesson.date].append(lesson)
        lesson_day[lesson.id] = lesson.date
    coded: dict[int, dict[int, str | None]] = defaultdict(dict)
    for (student_id, lesson_id), code in codes.items():
        coded[student_id][lesson_id] = code
    member: dict[int, dict[int, list[Interval]]] = defaultdict(dict)
    for (group_id, student_id), spans in groups.items():
        member[student_id][group_id] = spans
    nothing = att.missed_days({})
    result: dict[int, MissedDays] = {}
    for pupil in pupils:
        mine = coded.get(pupil.id)
        if not mine:
            result[pupil.id] = nothing
            continue
        own_groups = member.get(pupil.id, {})
        days: dict[dt.date, list[str | None]] = {}
        for day in sorted({lesson_day[lid] for lid in mine if lid in lesson_day}):
            if not pupil.on(day):
                continue
            day_codes: list[str | None] = []
            for lesson in by_day[day]:
                group = lesson.group_id
                if group is not None and not covers(own_groups.get(group, ()), day):
                    continue
                day_codes.append(mine.get(lesson.id))
            days[day] = day_codes
        result[pupil.id] = att.missed_days(days)
    return result


def period_marks(class_id: int, span: Span) -> dict[tuple[int, int], str]:
    """(student, subject) → the period mark (the year mark for the year)."""
    query = PeriodMark.select(PeriodMark.student, PeriodMark.subject, PeriodMark.value).where(
        PeriodMark.school_class == class_id
    )
    if span.is_year:
        query = query.where(PeriodMark.kind == "year")
    else:
        query = query.where((PeriodMark.kind == "period") & (PeriodMark.period == span.period_id))
    rows: Any = query.tuples()
    return {(student, subject): value for student, subject, value in rows}


def indicator_value(value: str | None) -> str | None:
    """A stored period mark as the indicators take it; «зач»/«незач» and typos count as none."""
    if value is None:
        return None
    clean = "осв" if value.rstrip(".") == EXEMPT else value
    return clean if clean in PERIOD_RESULTS else None


@dataclass(frozen=True)
class SubjectRow:
    id: int
    name: str
    short: str

    @property
    def column_title(self) -> str:
        return self.short or self.name


def class_subjects(class_id: int, scope: SubjectScope, *, extra: Iterable[int] = ()) -> list[SubjectRow]:
    """The class's subjects (curriculum, lessons held, period marks), in the catalogue's order."""
    ids = {c.subject_id for c in Curriculum.select(Curriculum.subject).where(Curriculum.school_class == class_id)}
    ids |= {
        a.subject_id for a in Assignment.select(Assignment.subject).where(Assignment.school_class == class_id)
    }
    ids |= set(extra)
    ids = {i for i in ids if scope.allows_subject(i)}
    if not ids:
        return []
    rows = Subject.select().where(Subject.id.in_(list(ids))).order_by(Subject.id)
    return [SubjectRow(s.id, s.name, s.short_name) for s in rows]


def teachers_of(class_id: int) -> dict[int, str]:
    """subject → «Иванова А. П.» (several for split subjects, joined by commas)."""
    rows = (
        Assignment.select(Assignment.subject, Assignment.group, User)
        .join(User, on=(Assignment.teacher == User.id))
        .where(Assignment.school_class == class_id)
        .order_by(Assignment.group, User.last_name)
    )
    names: dict[int, list[str]] = defaultdict(list)
    for a in rows:
        name = surname_initials(a.teacher.last_name, a.teacher.first_name, a.teacher.middle_name or None)
        if name not in names[a.subject_id]:
            names[a.subject_id].append(name)
    return {k: ", ".join(v) for k, v in names.items()}


def user_short(user_id: int | None) -> str:
    if user_id is None:
        return ""
    user = User.get_or_none(User.id == user_id)
    if user is None:
        return ""
    return surname_initials(user.last_name, user.first_name, user.middle_name or None)


def class_teacher_name(cls: SchoolClass) -> str:
    return user_short(cls.class_teacher_id)


def proposals(
    class_id: int,
    pupils: Sequence[Pupil],
    start: dt.date,
    end: dt.date,
    policy: RoundingPolicy,
    scope: SubjectScope,
) -> dict[tuple[int, int], Proposal]:
    """(student, subject) → the proposed period mark from the current marks in [start, end].

    Only subjects the pupil had lessons in (his class's or his group's) get a proposal, so
    that a subject not yet taught does not turn everybody into «н/а». A current «осв» exempts.
    """
    lessons = lessons_of(class_id, start, end)
    groups = group_spans(class_id)
    weights = {w.id: float(w.weight) for w in WorkType.select(WorkType.id, WorkType.weight)}
    marks: dict[tuple[int, int], list[WeightedMark]] = defaultdict(list)
    exempt: set[tuple[int, int]] = set()
    lesson_subject = {ls.id: ls.subject_id for ls in lessons}
    if lessons:
        rows = (
            Mark.select(Mark.student, Mark.lesson, Mark.value, Mark.work_type)
            .join(Lesson)
            .where((Lesson.school_class == class_id) & (Lesson.date >= start) & (Lesson.date <= end))
        )
        for m in rows:
            key = (m.student_id, lesson_subject.get(m.lesson_id, -1))
            points = numeric_value(m.value)
            if points is not None:
                weight = weights.get(m.work_type_id, 1.0) if m.work_type_id is not None else 1.0
                marks[key].append(WeightedMark(points, weight))
            elif m.value == EXEMPT:
                exempt.add(key)
    result: dict[tuple[int, int], Proposal] = {}
    for pupil in pupils:
        taught = {ls.subject_id for ls in lessons if lesson_is_for(pupil, ls, groups)}
        taught |= {s for (p, s) in marks if p == pupil.id}
        for subject_id in taught:
            if not scope.allows_subject(subject_id):
                continue
            key = (pupil.id, subject_id)
            result[key] = propose_period_mark(marks.get(key, []), policy, exempt=key in exempt)
    return result


