"""The pupil's and the parent's diary (R-D-1, R-D-2, R-AN-1): the week, the marks of a
subject with the proposed period mark and a forecast, the timetable.

Who reads a diary: the pupil his own, a parent his own children's (R-ROLE-STUDENT,
R-ROLE-PARENT), and the staff who read that pupil's journal anyway (the school-wide roles,
his class teacher and his class's teachers). The check is made here, for every call, so a
crafted student id reaches nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tui_journal import clock
from tui_journal.db.models import (
    Attendance,
    Bell,
    BellSchedule,
    Enrollment,
    GroupMember,
    IndividualHomework,
    Lesson,
    LoginEvent,
    Mark,
    Period,
    PeriodMark,
    Room,
    School,
    SchoolClass,
    Student,
    Subject,
    TimetableSlot,
    User,
    WorkType,
)
from tui_journal.domain import attendance as att
from tui_journal.domain import ru_words as words
from tui_journal.domain.grading import (
    Proposal,
    RoundingPolicy,
    format_average,
    marks_needed,
    propose_period_mark,
)
from tui_journal.domain.marks import WeightedMark, numeric_value, weighted_average
from tui_journal.domain.text import format_decimal, full_name, homework_line, surname_initials
from tui_journal.services import access, journal
from tui_journal.services.actor import Actor
from tui_journal.services.errors import NotFound
from tui_journal.services.journal import (
    PeriodInfo,
    class_label,
    current_period,
    marks_allowed_for,
    periods_of_class,
    policy_of,
)
from tui_journal.services.roster import on_roll

WEEKDAYS = tuple(w.capitalize() for w in words.WEEKDAYS)
WEEKDAYS_SHORT = tuple(w.capitalize() for w in words.WEEKDAYS_SHORT)
#: The forecast tries at most this many extra marks.
FORECAST_MAX = 10


# --- values the screens receive --------------------------------------------------------


@dataclass(frozen=True)
class StudentRef:
    id: int
    name: str  # «Учеников Коля»
    short: str  # «Учеников К.»
    class_id: int | None
    class_name: str  # «7А», or "" when the pupil is not on a roll now

    @property
    def title(self) -> str:
        return f"{self.name}, {self.class_name}" if self.class_name else self.name


@dataclass(frozen=True)
class DiaryMark:
    value: str
    work_type: str
    weight: float
    comment: str


@dataclass(frozen=True)
class DiaryLesson:
    lesson_id: int | None  # None: a lesson of the timetable not yet held
    date: dt.date
    number: int
    time: str  # «08:30–09:15», "" without a bell schedule
    subject_id: int
    subject: str
    teacher: str
    room: str
    topic: str
    homework: str  # the homework due FOR this lesson (set at an earlier one), with the pupil's own
    marks: tuple[DiaryMark, ...]
    attendance: str | None  # the code that counts (the class teacher's correction wins)
    teacher_code: str | None
    corrected_code: str | None
    reason: str
    substitution: bool
    homework_set: str = ""  # the homework set AT this lesson (shown on its due day)
    homework_due: dt.date | None = None  # the day the homework set at this lesson is for

    @property
    def planned(self) -> bool:
        return self.lesson_id is None

    @property
    def marks_text(self) -> str:
        return "/".join(m.value for m in self.marks)


@dataclass(frozen=True)
class DiaryDay:
    date: dt.date
    weekday: str  # «Понедельник»
    holiday: str  # the holidays' name, "" on a school day
    lessons: tuple[DiaryLesson, ...]


@dataclass(frozen=True)
class DiaryWeek:
    student: StudentRef
    start: dt.date  # Monday
    end: dt.date  # the last school day of the week
    days: tuple[DiaryDay, ...]

    @property
    def title(self) -> str:
        return f"{self.start:%d.%m} – {self.end:%d.%m.%Y}"


@dataclass(frozen=True)
class SubjectLine:
    """One row of the pupil's marks of a period: a subject and where it stands."""

    subject_id: int
    subject: str
    marks: tuple[str, ...]
    average: float | None
    proposal: str
    period_mark: str
    missed: int  # lessons missed in the period

    @property
    def average_text(self) -> str:
        return format_average(self.average) if self.average is not None else "—"


@dataclass(frozen=True)
class MarksSummary:
    student: StudentRef
    period: PeriodInfo
    periods: tuple[PeriodInfo, ...]
    lines: tuple[SubjectLine, ...]


@dataclass(frozen=True)
class DatedMark:
    date: dt.date
    value: str
    work_type: str
    weight: float
    comment: str


@dataclass(frozen=True)
class Forecast:
    target: int
    needed: int | None  # extra marks of ``with_value`` needed; 0 = reached; None = out of reach
    with_value: int
    text: str  # the answer with its formula


@dataclass(frozen=True)
class SubjectView:
    student: StudentRef
    subject_id: int
    subject: str
    period: PeriodInfo
    periods: tuple[PeriodInfo, ...]
    marks: tuple[DatedMark, ...]
    average: float | None
    formula: str  # «(5×1 + 4×2) / (1 + 2) = 13 / 3 = 4,33»
    proposal: Proposal
    period_mark: str
    rule: str  # how the school turns an average into a mark
    forecasts: tuple[Forecast, ...]


@dataclass(frozen=True)
class TimetableEntry:
    weekday: int  # 1 = Monday
    number: int
    time: str
    subject: str
    teacher: str
    room: str


# --- access --------------------------------------------------------------------------------


def _require_diary(actor: Actor, student_id: int) -> Student:
    """The pupil himself, his parents, and the staff who read his class's journal."""
    student = access.student_in_school(actor, student_id)
    if student.id in access.own_student_ids(actor) | access.children_ids(actor):
        return student
    if actor.school_wide:
        return student
    classes = {
        e.school_class_id
        for e in Enrollment.select(Enrollment.school_class).where(Enrollment.student == student.id)
    }
    if classes & (access.led_class_ids(actor) | access.taught_class_ids(actor)):
        return student
    raise access.deny("дневник этого учащегося")


def _class_on(student_id: int, day: dt.date) -> SchoolClass | None:
    """The pupil's class on ``day``, else his latest one."""
    rows = list(
        Enrollment.select(Enrollment, SchoolClass)
        .join(SchoolClass)
        .where(Enrollment.student == student_id)
        .order_by(Enrollment.start.desc())
    )
    for e in rows:
        if e.start <= day and (e.end is None or e.end >= day):
            return e.school_class
    current = [e for e in rows if e.end is None]
    if current:
        return current[0].school_class
    return rows[0].school_class if rows else None


def _ref(student: Student, day: dt.date | None = None) -> StudentRef:
    cls = _class_on(student.id, day or clock.today())
    return StudentRef(
        id=student.id,
        name=full_name(student.last_name, student.first_name, student.middle_name or None),
        short=surname_initials(student.last_name, student.first_name, student.middle_name or None),
        class_id=cls.id if cls else None,
        class_name=class_label(cls) if cls else "",
    )


def student_ref(student: Student, day: dt.date | None = None) -> StudentRef:
    """The pupil's name and class as the screens show them (no permission check: callers have one)."""
    return _ref(student, day)


def diary_students(actor: Actor, today: dt.date | None = None) -> list[StudentRef]:
    """Whose diary the actor opens from the home screen: himself (a pupil) or his children."""
    ids = access.own_student_ids(actor) | access.children_ids(actor)
    students = Student.select().where(Student.id.in_(list(ids) or [-1]) & (Student.school == actor.school_id))
    refs = [_ref(s, today) for s in students]
    return sorted(refs, key=lambda r: (r.name, r.id))


# --- what is new since the last visit (the parent's and the pupil's home screen) --------------

#: Without an earlier visit, «new» means the last this many days.
NEWS_DAYS_WITHOUT_VISIT = 7


@dataclass(frozen=True)
class NewMark:
    date: dt.date
    subject: str
    value: str


@dataclass(frozen=True)
class ChildNews:
    """A child's (or the pupil's own) marks and absences entered since ``since``."""

    student: StudentRef
    since: dt.datetime
    marks: tuple[NewMark, ...]
    absences: tuple[tuple[dt.date, str, str], ...]  # (date, subject, code) of missed lessons

    @property
    def text(self) -> str:
        """«новые отметки: Математика 5, 4; Русский язык 3 · пропуски: 2 урока»."""
        parts = []
        if self.marks:
            by_subject: dict[str, list[str]] = defaultdict(list)
            for m in self.marks:
                by_subject[m.subject].append(m.value)
            parts.append("новые отметки: " + "; ".join(f"{s} {', '.join(v)}" for s, v in by_subject.items()))
        if self.absences:
            parts.append("пропуски: " + words.count(len(self.absences), words.LESSONS))
        return " · ".join(parts) if parts else "нового нет"


def previous_visit(actor: Actor) -> dt.datetime | None:
    """The login before this session's (the login log), or None for a first visit."""
    if actor.user_id is None:
        return None
    times = [
        e.at for e in LoginEvent.select(LoginEvent.at)
        .where((LoginEvent.user == actor.user_id) & LoginEvent.outcome.in_(("ok", "must_change")))
        .order_by(LoginEvent.at.desc(), LoginEvent.id.desc())
        .limit(2)
    ]
    return times[1] if len(times) > 1 else None


def news(actor: Actor, *, since: dt.datetime | None = None, today: dt.date | None = None) -> list[ChildNews]:
    """For each child of a parent (or the pupil himself): the marks and the missed lessons
    entered since the previous visit (else the last week). Others get an empty list."""
    today = today or clock.today()
    children = diary_students(actor, today)
    if not children:
        return []
    since = since or previous_visit(actor) or dt.datetime.combine(
        today - dt.timedelta(days=NEWS_DAYS_WITHOUT_VISIT), dt.time()
    )
    result = []
    for child in children:
        marks = list(
            Mark.select(Mark, Lesson).join(Lesson)
            .where((Mark.student == child.id) & (Mark.created_at > since))
            .order_by(Lesson.date, Lesson.number, Mark.position, Mark.id)
        )
        records = [
            r for r in Attendance.select(Attendance, Lesson).join(Lesson)
            .where((Attendance.student == child.id) & (Attendance.entered_at > since))
            .order_by(Lesson.date, Lesson.number)
            if att.is_missed(att.effective_code(r.code, r.corrected_code))
        ]
        names = _names(Subject, [m.lesson.subject_id for m in marks] + [r.lesson.subject_id for r in records])
        result.append(
            ChildNews(
                child, since,
                tuple(NewMark(m.lesson.date, names.get(m.lesson.subject_id, ""), m.value) for m in marks),
                tuple(
                    (r.lesson.date, names.get(r.lesson.subject_id, ""), att.effective_code(r.code, r.corrected_code) or "")
                    for r in records
                ),
            )
        )
    return result


# --- shared reading helpers (also used by the class teacher's and the deputy's services) -----


def bell_times(school_id: int) -> dict[int, str]:
    """Lesson number → «08:30–09:15» from the school's first bell schedule."""
    schedule = (
        BellSchedule.select().where(BellSchedule.school == school_id).order_by(BellSchedule.id).first()
    )
    if schedule is None:
        return {}
    return {
        b.number: f"{b.starts:%H:%M}–{b.ends:%H:%M}"
        for b in Bell.select().where(Bell.schedule == schedule.id)
    }


def _spans(student_id: int, start: dt.date, end: dt.date) -> list[tuple[int, dt.date, dt.date]]:
    """(class id, from, to) of the pupil's enrollments overlapping the span, clipped to it."""
    result = []
    for e in Enrollment.select().where(
        (Enrollment.student == student_id)
        & on_roll(start, end)
    ):
        result.append((e.school_class_id, max(start, e.start), min(end, e.end or end)))
    return result


def _memberships(student_id: int) -> dict[int, list[tuple[dt.date, dt.date | None]]]:
    found: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for m in GroupMember.select().where(GroupMember.student == student_id):
        found[m.group_id].append((m.start, m.end))
    return found


def _in_group(groups: dict[int, list[tuple[dt.date, dt.date | None]]], group_id: int | None, day: dt.date) -> bool:
    if group_id is None:
        return True
    return any(s <= day and (e is None or e >= day) for s, e in groups.get(group_id, []))


def pupil_lessons(
    student_id: int, start: dt.date, end: dt.date, subject_id: int | None = None
) -> list[Lesson]:
    """The lessons held for the pupil in ``[start, end]``: his class's lessons while he was on its
    roll, a subgroup's only while he was in that subgroup. Ordered by date and number."""
    groups = _memberships(student_id)
    lessons: list[Lesson] = []
    for class_id, since, until in _spans(student_id, start, end):
        query = Lesson.select().where(
            (Lesson.school_class == class_id) & (Lesson.date >= since) & (Lesson.date <= until)
        )
        if subject_id is not None:
            query = query.where(Lesson.subject == subject_id)
        lessons += [ls for ls in query if _in_group(groups, ls.group_id, ls.date)]
    return sorted(lessons, key=lambda ls: (ls.date, ls.number, ls.id))


def class_pupil_lessons(
    class_id: int, student_ids: Sequence[int], start: dt.date, end: dt.date
) -> dict[int, list[Lesson]]:
    """For each pupil, the lessons of one class held for him in ``[start, end]`` (while on its
    roll, a subgroup's only while in it): :func:`pupil_lessons` for a whole class in three
    queries."""
    result: dict[int, list[Lesson]] = {sid: [] for sid in student_ids}
    if not student_ids:
        return result
    lessons = list(
        Lesson.select()
        .where((Lesson.school_class == class_id) & (Lesson.date >= start) & (Lesson.date <= end))
        .order_by(Lesson.date, Lesson.number, Lesson.id)
    )
    spans: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for e in Enrollment.select().where(
        (Enrollment.school_class == class_id)
        & Enrollment.student.in_(list(student_ids))
        & on_roll(start, end)
    ):
        spans[e.student_id].append((e.start, e.end))
    groups: dict[int, dict[int, list[tuple[dt.date, dt.date | None]]]] = defaultdict(lambda: defaultdict(list))
    if any(ls.group_id is not None for ls in lessons):
        for m in GroupMember.select().where(GroupMember.student.in_(list(student_ids))):
            groups[m.student_id][m.group_id].append((m.start, m.end))
    for sid in student_ids:
        mine = spans.get(sid, [])
        result[sid] = [
            ls
            for ls in lessons
            if any(s <= ls.date and (e is None or e >= ls.date) for s, e in mine)
            and _in_group(groups[sid], ls.group_id, ls.date)
        ]
    return result


def _work_types(school_id: int) -> dict[int, WorkType]:
    return {w.id: w for w in WorkType.select().where(WorkType.school == school_id)}


def _marks_of(student_id: int, lesson_ids: Sequence[int]) -> dict[int, list[Mark]]:
    found: dict[int, list[Mark]] = defaultdict(list)
    if not lesson_ids:
        return found
    for m in (
        Mark.select()
        .where((Mark.student == student_id) & Mark.lesson.in_(list(lesson_ids)))
        .order_by(Mark.position, Mark.id)
    ):
        found[m.lesson_id].append(m)
    return found


def _attendance_of(student_id: int, lesson_ids: Sequence[int]) -> dict[int, Attendance]:
    if not lesson_ids:
        return {}
    return {
        a.lesson_id: a
        for a in Attendance.select().where(
            (Attendance.student == student_id) & Attendance.lesson.in_(list(lesson_ids))
        )
    }


def _names(model: type[Subject] | type[Room], ids: Iterable[int | None]) -> dict[int, str]:
    wanted = [i for i in set(ids) if i is not None]
    if not wanted:
        return {}
    return {row.id: row.name for row in model.select().where(model.id.in_(wanted))}


def _teacher_names(ids: Iterable[int | None]) -> dict[int, str]:
    wanted = [i for i in set(ids) if i is not None]
    if not wanted:
        return {}
    return {
        u.id: surname_initials(u.last_name, u.first_name, u.middle_name or None)
        for u in User.select().where(User.id.in_(wanted))
    }


def homework_text(lesson: Lesson, individual: str = "") -> str:
    """The homework as one line: text, pages, tasks, and the pupil's own task."""
    return homework_line(lesson.homework, lesson.homework_pages, lesson.homework_tasks, individual)


def _holidays(year_ids: Iterable[int]) -> list[Period]:
    ids = list(set(year_ids))
    if not ids:
        return []
    return list(Period.select().where(Period.year.in_(ids) & (Period.kind == "holidays")))


# --- the week ------------------------------------------------------------------------------


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def week(actor: Actor, student_id: int, day: dt.date | None = None, *, today: dt.date | None = None) -> DiaryWeek:
    """The pupil's school week containing ``day``: each lesson with its time, subject, topic,
    homework, marks with their work types, and absences (R-D-1). Days still ahead show the
    timetable's lessons not yet held."""
    student = _require_diary(actor, student_id)
    today = today or clock.today()
    day = day or today
    start = monday_of(day)
    school = School.get_by_id(actor.school_id)
    days_in_week = 6 if school.week_days == 6 else 5
    end = start + dt.timedelta(days=days_in_week - 1)
    lessons = pupil_lessons(student.id, start, end)
    ids = [ls.id for ls in lessons]
    marks = _marks_of(student.id, ids)
    records = _attendance_of(student.id, ids)
    individual = {
        h.lesson_id: h.text
        for h in IndividualHomework.select().where(
            (IndividualHomework.student == student.id) & IndividualHomework.lesson.in_(ids or [-1])
        )
    }
    wts = _work_types(actor.school_id)
    times = bell_times(actor.school_id)
    spans = _spans(student.id, start, end)
    classes = {c.id: c for c in SchoolClass.select().where(SchoolClass.id.in_([s[0] for s in spans] or [-1]))}
    planned = _planned(student.id, spans, lessons, today)
    subject_names = _names(Subject, [ls.subject_id for ls in lessons] + [s.subject_id for _, s in planned])
    room_names = _names(Room, [ls.room_id for ls in lessons] + [s.room_id for _, s in planned])
    teachers = _teacher_names([ls.teacher_id for ls in lessons] + [s.teacher_id for _, s in planned])
    holidays = _holidays(c.year_id for c in classes.values())
    due = _homework_due_in(student.id, start, end, lessons, classes)

    by_day: dict[dt.date, list[DiaryLesson]] = defaultdict(list)
    for ls in lessons:
        cls = classes.get(ls.school_class_id)
        allowed = cls is not None and marks_allowed_for(cls)
        record = records.get(ls.id)
        by_day[ls.date].append(
            DiaryLesson(
                lesson_id=ls.id,
                date=ls.date,
                number=ls.number,
                time=times.get(ls.number, ""),
                subject_id=ls.subject_id,
                subject=subject_names.get(ls.subject_id, ""),
                teacher=teachers.get(ls.teacher_id, ""),
                room=room_names.get(ls.room_id, "") if ls.room_id else "",
                topic=ls.topic,
                homework=due.pop((ls.date, ls.subject_id), ""),
                homework_set=homework_text(ls, individual.get(ls.id, "")) if allowed else "",
                homework_due=due.dates.get(ls.id),
                marks=tuple(
                    DiaryMark(
                        m.value,
                        wts[m.work_type_id].name if m.work_type_id in wts else "",
                        float(wts[m.work_type_id].weight) if m.work_type_id in wts else 1.0,
                        m.comment,
                    )
                    for m in marks.get(ls.id, [])
                ),
                attendance=att.effective_code(record.code, record.corrected_code) if record else None,
                teacher_code=record.code if record else None,
                corrected_code=record.corrected_code if record else None,
                reason=record.reason if record else "",
                substitution=ls.replaced_teacher_id is not None,
            )
        )
    for when, slot in planned:
        by_day[when].append(
            DiaryLesson(
                lesson_id=None,
                date=when,
                number=slot.number,
                time=times.get(slot.number, ""),
                subject_id=slot.subject_id,
                subject=subject_names.get(slot.subject_id, ""),
                teacher=teachers.get(slot.teacher_id, ""),
                room=room_names.get(slot.room_id, "") if slot.room_id else "",
                topic="",
                homework=due.pop((when, slot.subject_id), ""),
                marks=(),
                attendance=None,
                teacher_code=None,
                corrected_code=None,
                reason="",
                substitution=False,
            )
        )
    for (when, sid), text in due.items():  # due on a day without a lesson of the subject
        if start <= when <= end:
            subject_names.update(_names(Subject, [sid]))
            by_day[when].append(
                DiaryLesson(
                    lesson_id=None, date=when, number=0, time="", subject_id=sid,
                    subject=subject_names.get(sid, ""), teacher="", room="", topic="", homework=text, marks=(),
                    attendance=None, teacher_code=None, corrected_code=None, reason="", substitution=False,
                )
            )
    days = []
    for offset in range(days_in_week):
        when = start + dt.timedelta(days=offset)
        holiday = next((h.name for h in holidays if h.start <= when <= h.end), "")
        items = sorted(by_day.get(when, []), key=lambda x: (x.number, x.subject))
        days.append(DiaryDay(when, WEEKDAYS[when.weekday()], holiday, tuple(items)))
    return DiaryWeek(student=_ref(student, day), start=start, end=end, days=tuple(days))


#: Homework set this many days before the week can still be due in it.
HOMEWORK_LOOKBACK_DAYS = 28


class _DueHomework(dict[tuple[dt.date, int], str]):
    """(due day, subject id) → the homework due then; ``dates``: lesson id → its due day."""

    def __init__(self) -> None:
        super().__init__()
        self.dates: dict[int, dt.date | None] = {}


def _homework_due_in(
    student_id: int, start: dt.date, end: dt.date, week_lessons: Sequence[Lesson], classes: dict[int, SchoolClass]
) -> _DueHomework:
    """The homework due in ``[start, end]``: set at earlier lessons (or this week's), keyed by
    the day it is due and the subject, so the diary shows it on the day it is to be done for
    (the date the teacher set, else the next lesson of the subject). Homework whose next
    lesson is not known stays on the day it was set."""
    result = _DueHomework()
    earlier = pupil_lessons(student_id, start - dt.timedelta(days=HOMEWORK_LOOKBACK_DAYS), start - dt.timedelta(days=1))
    given = [
        ls for ls in [*earlier, *week_lessons]
        if (ls.homework or ls.homework_pages or ls.homework_tasks)
    ]
    if not given:
        return result
    more_classes = {c.id: c for c in SchoolClass.select().where(
        SchoolClass.id.in_([ls.school_class_id for ls in given if ls.school_class_id not in classes] or [-1])
    )}
    allowed = {cid for cid, c in {**classes, **more_classes}.items() if marks_allowed_for(c)}
    given = [ls for ls in given if ls.school_class_id in allowed]
    individual = {
        h.lesson_id: h.text
        for h in IndividualHomework.select().where(
            (IndividualHomework.student == student_id) & IndividualHomework.lesson.in_([ls.id for ls in given] or [-1])
        )
    }
    result.dates.update(journal.homework_due_dates(given))
    for ls in given:
        day = result.dates.get(ls.id) or ls.date
        if start <= day <= end:
            key = (day, ls.subject_id)
            text = homework_text(ls, individual.get(ls.id, ""))
            result[key] = f"{result[key]}; {text}" if key in result else text
    return result


def _slots_on(class_ids: Iterable[int], day: dt.date) -> list[TimetableSlot]:
    ids = list(set(class_ids))
    if not ids:
        return []
    return list(
        TimetableSlot.select().where(
            TimetableSlot.school_class.in_(ids)
            & (TimetableSlot.weekday == day.isoweekday())
            & (TimetableSlot.valid_from <= day)
            & (TimetableSlot.valid_to.is_null() | (TimetableSlot.valid_to >= day))
        )
    )


def _planned(
    student_id: int,
    spans: Sequence[tuple[int, dt.date, dt.date]],
    lessons: Sequence[Lesson],
    today: dt.date,
) -> list[tuple[dt.date, TimetableSlot]]:
    """Timetable lessons of days from ``today`` on that have no lesson row yet."""
    if not spans:
        return []
    groups = _memberships(student_id)
    held = {(ls.date, ls.number) for ls in lessons}
    class_years = {c.id: c.year_id for c in SchoolClass.select().where(SchoolClass.id.in_([s[0] for s in spans]))}
    holidays = _holidays(class_years.values())
    found = []
    for class_id, since, until in spans:
        when = max(since, today)
        while when <= until:
            if not any(h.start <= when <= h.end for h in holidays):
                for slot in _slots_on([class_id], when):
                    if (when, slot.number) not in held and _in_group(groups, slot.group_id, when):
                        found.append((when, slot))
            when += dt.timedelta(days=1)
    return found


# --- marks of a period ---------------------------------------------------------------------


def _period_of(student: Student, period_id: int | None, today: dt.date) -> tuple[PeriodInfo, list[PeriodInfo], SchoolClass]:
    cls = _class_on(student.id, today)
    if cls is None:
        raise NotFound("Учащийся не числится ни в одном классе")
    periods = periods_of_class(cls)
    if not periods:
        raise NotFound("Для учебного года не заданы периоды (четверти)")
    chosen = next((p for p in periods if p.id == period_id), None)
    if period_id is not None and chosen is None:
        raise NotFound(f"Период не найден: {period_id}")
    return chosen or current_period(periods, today), periods, cls


def _weighted(marks: Iterable[Mark], wts: dict[int, WorkType]) -> list[WeightedMark]:
    result = []
    for m in marks:
        value = numeric_value(m.value)
        if value is not None:
            weight = float(wts[m.work_type_id].weight) if m.work_type_id in wts else 1.0
            result.append(WeightedMark(value, weight))
    return result


def _exempt(student_id: int, class_id: int, period_id: int) -> set[int]:
    return {
        pm.subject_id
        for pm in PeriodMark.select().where(
            (PeriodMark.student == student_id)
            & (PeriodMark.school_class == class_id)
            & (PeriodMark.period == period_id)
            & (PeriodMark.value == "осв")
        )
    }


def _period_marks(student_id: int, class_id: int, period_id: int) -> dict[int, str]:
    return {
        pm.subject_id: pm.value
        for pm in PeriodMark.select().where(
            (PeriodMark.student == student_id)
            & (PeriodMark.school_class == class_id)
            & (PeriodMark.period == period_id)
            & (PeriodMark.kind == "period")
        )
    }


def marks_summary(
    actor: Actor, student_id: int, period_id: int | None = None, *, today: dt.date | None = None
) -> MarksSummary:
    """Every subject of the pupil's period: the marks, the weighted average, the proposed and
    the set period mark, lessons missed."""
    student = _require_diary(actor, student_id)
    today = today or clock.today()
    period, periods, cls = _period_of(student, period_id, today)
    lessons = pupil_lessons(student.id, period.start, period.end)
    ids = [ls.id for ls in lessons]
    marks = _marks_of(student.id, ids)
    records = _attendance_of(student.id, ids)
    wts = _work_types(actor.school_id)
    policy = policy_of(actor.school_id)
    exempt = _exempt(student.id, cls.id, period.id)
    set_marks = _period_marks(student.id, cls.id, period.id)
    by_subject: dict[int, list[Lesson]] = defaultdict(list)
    for ls in lessons:
        by_subject[ls.subject_id].append(ls)
    subject_ids = set(by_subject) | set(set_marks) | _timetable_subjects(cls.id, period)
    names = _names(Subject, subject_ids)
    lines = []
    for sid in subject_ids:
        subject_marks = [m for ls in by_subject.get(sid, []) for m in marks.get(ls.id, [])]
        weighted = _weighted(subject_marks, wts)
        proposal = propose_period_mark(weighted, policy, exempt=sid in exempt)
        missed = sum(
            1
            for ls in by_subject.get(sid, [])
            if ls.id in records
            and att.is_missed(att.effective_code(records[ls.id].code, records[ls.id].corrected_code))
        )
        lines.append(
            SubjectLine(
                subject_id=sid,
                subject=names.get(sid, ""),
                marks=tuple(m.value for m in subject_marks),
                average=weighted_average(weighted),
                proposal=proposal.short_label if marks_allowed_for(cls) else "",
                period_mark=set_marks.get(sid, ""),
                missed=missed,
            )
        )
    return MarksSummary(_ref(student, today), period, tuple(periods), tuple(sorted(lines, key=lambda x: x.subject)))


def _timetable_subjects(class_id: int, period: PeriodInfo) -> set[int]:
    return {
        s.subject_id
        for s in TimetableSlot.select(TimetableSlot.subject).where(
            (TimetableSlot.school_class == class_id)
            & (TimetableSlot.valid_from <= period.end)
            & (TimetableSlot.valid_to.is_null() | (TimetableSlot.valid_to >= period.start))
        )
    }


def number_text(x: float) -> str:
    """A weight or a sum as people write it: «1», «1,5», «13»."""
    return _num(x)


def _num(x: float) -> str:
    """A weight or a sum as people write it: «1», «1,5», «13»."""
    if abs(x - round(x)) < 1e-9:
        return str(round(x))
    return format_decimal(x, 2).rstrip("0").rstrip(",")


def average_formula(marks: Sequence[WeightedMark]) -> str:
    """«(5×1 + 4×2) / (1 + 2) = 13 / 3 = 4,33», or «нет отметок»."""
    if not marks:
        return "нет отметок"
    total = sum(m.value * m.weight for m in marks)
    weight = sum(m.weight for m in marks)
    if weight <= 0:
        return "все отметки с нулевым весом"
    products = " + ".join(f"{m.value}×{_num(m.weight)}" for m in marks)
    weights = " + ".join(_num(m.weight) for m in marks)
    return f"({products}) / ({weights}) = {_num(total)} / {_num(weight)} = {format_average(total / weight)}"


def rule_text(policy: RoundingPolicy) -> str:
    """The school's rule in words, shown beside the forecast."""
    if policy.mode == "half_up":
        rule = "округление до целого (0,5 — в большую сторону)"
    else:
        five, four, three = (format_decimal(v, 2) for v in policy.thresholds)
        rule = f"«5» от {five}, «4» от {four}, «3» от {three}, ниже — «2»"
    return f"Итоговая отметка: {rule}; нужно не меньше {policy.min_marks} отметок"


def _needed_of(current: Sequence[WeightedMark], target: int, value: int, policy: RoundingPolicy) -> int | None:
    """The least number of extra marks ``value`` (weight 1) that make the proposal reach ``target``."""
    if value == 5:
        return marks_needed(current, target, policy, max_extra=FORECAST_MAX)
    marks = list(current)
    for extra in range(FORECAST_MAX + 1):
        proposal = propose_period_mark(marks, policy)
        if proposal.value.isdigit() and int(proposal.value) >= target:
            return extra
        marks.append(WeightedMark(value, 1.0))
    return None


def _plural_marks(n: int, value: int) -> str:
    return words.plural(n, words.FIVES if value == 5 else words.FOURS)


def forecast(current: Sequence[WeightedMark], target: int, policy: RoundingPolicy) -> list[Forecast]:
    """What the pupil still needs for ``target``: extra fives (and, for a 4, extra fours), each
    with the average they would give, computed the school's way."""
    values = (5,) if target == 5 else (5, 4)
    result = []
    for value in values:
        needed = _needed_of(current, target, value, policy)
        if needed is None:
            text = f"На «{target}»: даже {FORECAST_MAX} {_plural_marks(FORECAST_MAX, value)} подряд не хватит"
        elif needed == 0:
            proposal = propose_period_mark(list(current), policy)
            text = f"На «{target}» уже хватает: {proposal.reason}"
            result.append(Forecast(target, 0, value, text))
            break
        else:
            future = [*current, *([WeightedMark(value, 1.0)] * needed)]
            proposal = propose_period_mark(future, policy)
            text = (
                f"На «{target}» нужно ещё {needed} {_plural_marks(needed, value)} (вес 1): "
                f"{average_formula(future)} → {proposal.value}"
            )
        result.append(Forecast(target, needed, value, text))
    return result


def subject_view(
    actor: Actor,
    student_id: int,
    subject_id: int,
    period_id: int | None = None,
    *,
    today: dt.date | None = None,
) -> SubjectView:
    """One subject of one period: all current marks with dates and work types, the weighted
    average with its formula, the proposed period mark, and what is still needed for a 5 and
    for a 4 (R-AN-1)."""
    student = _require_diary(actor, student_id)
    today = today or clock.today()
    period, periods, cls = _period_of(student, period_id, today)
    subject = Subject.get_or_none((Subject.id == subject_id) & (Subject.school == actor.school_id))
    if subject is None:
        raise NotFound(f"Предмет не найден: {subject_id}")
    lessons = pupil_lessons(student.id, period.start, period.end, subject_id)
    marks = _marks_of(student.id, [ls.id for ls in lessons])
    wts = _work_types(actor.school_id)
    dated = []
    ordered: list[Mark] = []
    for ls in lessons:
        for m in marks.get(ls.id, []):
            ordered.append(m)
            wt = wts.get(m.work_type_id) if m.work_type_id is not None else None
            dated.append(DatedMark(ls.date, m.value, wt.name if wt else "", float(wt.weight) if wt else 1.0, m.comment))
    weighted = _weighted(ordered, wts)
    policy = policy_of(actor.school_id)
    exempt = subject.id in _exempt(student.id, cls.id, period.id)
    proposal = propose_period_mark(weighted, policy, exempt=exempt)
    forecasts: list[Forecast] = []
    if marks_allowed_for(cls) and not exempt:
        for target in (5, 4):
            forecasts += forecast(weighted, target, policy)
    return SubjectView(
        student=_ref(student, today),
        subject_id=subject.id,
        subject=subject.name,
        period=period,
        periods=tuple(periods),
        marks=tuple(dated),
        average=weighted_average(weighted),
        formula=average_formula(weighted),
        proposal=proposal,
        period_mark=_period_marks(student.id, cls.id, period.id).get(subject.id, ""),
        rule=rule_text(policy),
        forecasts=tuple(forecasts),
    )


# --- the timetable -------------------------------------------------------------------------


def timetable(actor: Actor, student_id: int, day: dt.date | None = None) -> list[TimetableEntry]:
    """The pupil's weekly timetable valid on ``day`` (R-D-2): his class's slots and his subgroups'."""
    student = _require_diary(actor, student_id)
    day = day or clock.today()
    cls = _class_on(student.id, day)
    if cls is None:
        return []
    groups = _memberships(student.id)
    slots = [
        s
        for s in TimetableSlot.select().where(
            (TimetableSlot.school_class == cls.id)
            & (TimetableSlot.valid_from <= day)
            & (TimetableSlot.valid_to.is_null() | (TimetableSlot.valid_to >= day))
        )
        if s.group_id is None or _in_group(groups, s.group_id, day)
    ]
    times = bell_times(actor.school_id)
    subjects = _names(Subject, [s.subject_id for s in slots])
    rooms = _names(Room, [s.room_id for s in slots])
    teachers = _teacher_names([s.teacher_id for s in slots])
    entries = [
        TimetableEntry(
            weekday=s.weekday,
            number=s.number,
            time=times.get(s.number, ""),
            subject=subjects.get(s.subject_id, ""),
            teacher=teachers.get(s.teacher_id, ""),
            room=rooms.get(s.room_id, "") if s.room_id else "",
        )
        for s in slots
    ]
    return sorted(entries, key=lambda e: (e.weekday, e.number, e.subject))
