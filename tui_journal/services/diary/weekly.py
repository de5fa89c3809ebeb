"""The pupil's school week (R-D-1): each lesson with its time, topic, homework due, marks and
attendance, and the timetable's lessons still ahead.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from tui_journal import clock
from tui_journal.db.models import (
    IndividualHomework,
    Lesson,
    Room,
    School,
    SchoolClass,
    Subject,
    TimetableSlot,
)
from tui_journal.domain import attendance as att
from tui_journal.domain import ru_words as words
from tui_journal.services import journal
from tui_journal.services.actor import Actor
from tui_journal.services.diary.base import (
    StudentRef,
    attendance_of,
    bell_times,
    holidays_of,
    homework_text,
    marks_of,
    names_of,
    require_diary,
    student_ref,
    teacher_names,
    work_types_of,
)
from tui_journal.services.diary.lessons import enrollment_spans, group_memberships, in_group_on, pupil_lessons
from tui_journal.services.journal import marks_allowed_for

WEEKDAYS = tuple(w.capitalize() for w in words.WEEKDAYS)
WEEKDAYS_SHORT = tuple(w.capitalize() for w in words.WEEKDAYS_SHORT)


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


# --- the week ------------------------------------------------------------------------------


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def week(actor: Actor, student_id: int, day: dt.date | None = None, *, today: dt.date | None = None) -> DiaryWeek:
    """The pupil's school week containing ``day``: each lesson with its time, subject, topic,
    homework, marks with their work types, and absences (R-D-1). Days still ahead show the
    timetable's lessons not yet held."""
    student = require_diary(actor, student_id)
    today = today or clock.today()
    day = day or today
    start = monday_of(day)
    school = School.get_by_id(actor.school_id)
    days_in_week = 6 if school.week_days == 6 else 5
    end = start + dt.timedelta(days=days_in_week - 1)
    lessons = pupil_lessons(student.id, start, end)
    ids = [ls.id for ls in lessons]
    marks = marks_of(student.id, ids)
    records = attendance_of(student.id, ids)
    individual = {
        h.lesson_id: h.text
        for h in IndividualHomework.select().where(
            (IndividualHomework.student == student.id) & IndividualHomework.lesson.in_(ids or [-1])
        )
    }
    wts = work_types_of(actor.school_id)
    times = bell_times(actor.school_id)
    spans = enrollment_spans(student.id, start, end)
    classes = {c.id: c for c in SchoolClass.select().where(SchoolClass.id.in_([s[0] for s in spans] or [-1]))}
    planned = _planned(student.id, spans, lessons, today)
    subject_names = names_of(Subject, [ls.subject_id for ls in lessons] + [s.subject_id for _, s in planned])
    room_names = names_of(Room, [ls.room_id for ls in lessons] + [s.room_id for _, s in planned])
    teachers = teacher_names([ls.teacher_id for ls in lessons] + [s.teacher_id for _, s in planned])
    holidays = holidays_of(c.year_id for c in classes.values())
    due = _homework_due_in(student.id, start, end, lessons, classes)

    def placed(row: Lesson | TimetableSlot, when: dt.date, **fields: Any) -> DiaryLesson:
        """A held or a planned lesson on ``when``: its time, subject, teacher and room named,
        with the homework due for it."""
        return DiaryLesson(
            date=when,
            number=row.number,
            time=times.get(row.number, ""),
            subject_id=row.subject_id,
            subject=subject_names.get(row.subject_id, ""),
            teacher=teachers.get(row.teacher_id, ""),
            room=room_names.get(row.room_id, "") if row.room_id else "",
            homework=due.pop((when, row.subject_id), ""),
            **fields,
        )

    by_day: dict[dt.date, list[DiaryLesson]] = defaultdict(list)
    for ls in lessons:
        cls = classes.get(ls.school_class_id)
        allowed = cls is not None and marks_allowed_for(cls)
        record = records.get(ls.id)
        by_day[ls.date].append(
            placed(
                ls,
                ls.date,
                lesson_id=ls.id,
                topic=ls.topic,
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
            placed(
                slot, when, lesson_id=None, topic="", marks=(), attendance=None, teacher_code=None,
                corrected_code=None, reason="", substitution=False,
            )
        )
    for (when, sid), text in due.items():  # due on a day without a lesson of the subject
        if start <= when <= end:
            subject_names.update(names_of(Subject, [sid]))
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
    return DiaryWeek(student=student_ref(student, day), start=start, end=end, days=tuple(days))


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
    groups = group_memberships(student_id)
    held = {(ls.date, ls.number) for ls in lessons}
    class_years = {c.id: c.year_id for c in SchoolClass.select().where(SchoolClass.id.in_([s[0] for s in spans]))}
    holidays = holidays_of(class_years.values())
    found = []
    for class_id, since, until in spans:
        when = max(since, today)
        while when <= until:
            if not any(h.start <= when <= h.end for h in holidays):
                for slot in _slots_on([class_id], when):
                    if (when, slot.number) not in held and in_group_on(groups, slot.group_id, when):
                        found.append((when, slot))
            when += dt.timedelta(days=1)
    return found
