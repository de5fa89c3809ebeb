"""The weekly attendance control (R-CT-1): every entry of the class's week with both codes, the
pupils' missed lessons and days, and the class teacher's corrections with their reasons.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from tui_journal import clock
from tui_journal.db.models import (
    AcademicYear,
    Attendance,
    Lesson,
    School,
    SchoolClass,
    Student,
    Subject,
    User,
    now,
)
from tui_journal.domain import attendance as att
from tui_journal.domain.user_text import LIMITS
from tui_journal.services import access, audit, user_text
from tui_journal.services.actor import Actor
from tui_journal.services.classteacher.base import pupils_between, readable_class, short_name_of
from tui_journal.services.diary import class_pupil_lessons, monday_of, pupil_lessons
from tui_journal.services.errors import InvalidInput, PermissionDenied
from tui_journal.services.journal import class_label
from tui_journal.services.tx import write_tx

TEXT_MAX = LIMITS["reason"].limit


@dataclass(frozen=True)
class AbsenceRow:
    lesson_id: int
    student_id: int
    pupil: str
    date: dt.date
    number: int
    subject: str
    teacher_code: str | None  # as the subject teacher entered it
    corrected_code: str | None  # the class teacher's correction
    code: str | None  # the one that counts
    reason: str
    corrected_by: str
    late: bool  # the teacher entered it after the lesson's day

    @property
    def codes_text(self) -> str:
        """«н→б»: both codes when corrected, else the teacher's."""
        if self.corrected_code is not None and self.corrected_code != self.teacher_code:
            return f"{self.teacher_code or '·'}→{self.corrected_code}"
        return self.teacher_code or ""


@dataclass(frozen=True)
class PupilWeek:
    student_id: int
    number: int
    name: str
    missed: att.MissedDays


@dataclass(frozen=True)
class AttendanceWeek:
    class_id: int
    class_name: str
    start: dt.date
    end: dt.date
    rows: tuple[AbsenceRow, ...]  # every attendance entry of the week (absent, ill, late…)
    pupils: tuple[PupilWeek, ...]
    editable: bool
    days: tuple[dt.date, ...] = ()  # the school days of the week, for the pupils × days table
    #: (student id, day) → that day's lessons in order: (the code that counts or None, corrected?)
    cells: dict[tuple[int, dt.date], tuple[DayLesson, ...]] = field(default_factory=dict)

    def day_text(self, student_id: int, day: dt.date) -> str:
        """«··н·б»: one sign per lesson of the day (· present, о late, н/б/у missed)."""
        return "".join(c.code or "·" for c in self.cells.get((student_id, day), ()))


@dataclass(frozen=True)
class DayLesson:
    """One lesson of a pupil's day in the attendance table."""

    code: str | None  # the code that counts
    corrected: bool  # the class teacher's correction differs from the teacher's code


def _text(value: str, what: str) -> str:
    return user_text.clean(value, "reason", field=what)


# --- weekly attendance control (R-CT-1) -----------------------------------------------------


def _week_bounds(actor: Actor, day: dt.date) -> tuple[dt.date, dt.date]:
    start = monday_of(day)
    days = 6 if School.get_by_id(actor.school_id).week_days == 6 else 5
    return start, start + dt.timedelta(days=days - 1)


def _row(record: Attendance, lesson: Lesson, pupil: Student, subjects: dict[int, str], users: dict[int, str]) -> AbsenceRow:
    return AbsenceRow(
        lesson_id=lesson.id,
        student_id=pupil.id,
        pupil=short_name_of(pupil),
        date=lesson.date,
        number=lesson.number,
        subject=subjects.get(lesson.subject_id, ""),
        teacher_code=record.code,
        corrected_code=record.corrected_code,
        code=att.effective_code(record.code, record.corrected_code),
        reason=record.reason,
        corrected_by=users.get(record.corrected_by_id, "") if record.corrected_by_id else "",
        late=record.late,
    )


def attendance_week(actor: Actor, class_id: int, day: dt.date | None = None) -> AttendanceWeek:
    """Every attendance entry of the class's week, with both codes, and each pupil's missed
    lessons and full days by reason (a day counts only when every lesson was missed)."""
    cls = readable_class(actor, class_id)
    start, end = _week_bounds(actor, day or clock.today())
    pupils = pupils_between(cls.id, start, end)
    subjects = {s.id: s.name for s in Subject.select().where(Subject.school == actor.school_id)}
    rows: list[AbsenceRow] = []
    summary: list[PupilWeek] = []
    lessons_of = class_pupil_lessons(cls.id, [p.id for p in pupils], start, end)
    all_ids = sorted({ls.id for items in lessons_of.values() for ls in items}) or [-1]
    records: dict[tuple[int, int], Attendance] = {
        (a.student_id, a.lesson_id): a
        for a in Attendance.select().where(
            Attendance.lesson.in_(all_ids) & Attendance.student.in_([p.id for p in pupils] or [-1])
        )
    }
    corrected_by = {
        u.id: short_name_of(u)
        for u in User.select().where(User.id.in_([a.corrected_by_id for a in records.values() if a.corrected_by_id] or [-1]))
    }
    cells: dict[tuple[int, dt.date], list[DayLesson]] = defaultdict(list)
    for number, pupil in enumerate(pupils, start=1):
        by_day: dict[dt.date, list[str | None]] = defaultdict(list)
        for ls in sorted(lessons_of.get(pupil.id, []), key=lambda x: (x.date, x.number)):
            record = records.get((pupil.id, ls.id))
            code = att.effective_code(record.code, record.corrected_code) if record else None
            by_day[ls.date].append(code)
            corrected = record is not None and record.corrected_code is not None and record.corrected_code != record.code
            cells[(pupil.id, ls.date)].append(DayLesson(code, corrected))
            if record is not None and (record.code or record.corrected_code):
                rows.append(_row(record, ls, pupil, subjects, corrected_by))
        summary.append(PupilWeek(pupil.id, number, short_name_of(pupil), att.missed_days(by_day)))
    rows.sort(key=lambda r: (r.pupil, r.date, r.number))
    return AttendanceWeek(
        class_id=cls.id,
        class_name=class_label(cls),
        start=start,
        end=end,
        rows=tuple(rows),
        pupils=tuple(summary),
        editable=cls.id in access.led_class_ids(actor),
        days=tuple(start + dt.timedelta(days=i) for i in range((end - start).days + 1)),
        cells={k: tuple(v) for k, v in cells.items()},
    )


def _normalize(code: str | None) -> str | None:
    if code is None or not code.strip():
        return None
    try:
        return att.normalize_code(code)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc


def _correctable_lesson(actor: Actor, lesson_id: int, student_id: int) -> tuple[Lesson, Student]:
    lesson = access.lesson_in_school(actor, lesson_id)
    student = access.student_in_school(actor, student_id)
    if lesson.school_class_id not in access.led_class_ids(actor):
        raise access.deny("причины пропусков учащихся чужого класса")
    if AcademicYear.get_by_id(lesson.school_class.year_id).closed:
        raise PermissionDenied("Учебный год закрыт: записи только для чтения")
    if lesson.id not in {ls.id for ls in pupil_lessons(student.id, lesson.date, lesson.date)}:
        raise InvalidInput("Учащийся не был на этом уроке по списку класса")
    return lesson, student


def _apply(actor: Actor, lesson: Lesson, student: Student, code: str | None, reason: str) -> bool:
    """Set or clear the correction of one lesson; returns whether something changed."""
    record = Attendance.get_or_none((Attendance.lesson == lesson.id) & (Attendance.student == student.id))
    entity = f"{lesson.id}:{student.id}"
    if record is None:
        if code is None:
            return False
        Attendance.create(
            student=student.id,
            lesson=lesson.id,
            code=None,
            corrected_code=code,
            reason=reason,
            entered_by=None,
            corrected_by=actor.user_id,
            corrected_at=now(),
        )
        audit.record(actor, "update", "attendance", entity, "corrected_code", None, code)
        if reason:
            audit.record(actor, "update", "attendance", entity, "reason", None, reason)
        return True
    new_reason = reason if code is not None else ""
    if record.corrected_code == code and record.reason == new_reason:
        return False
    if code is None and record.code is None:
        Attendance.delete().where(Attendance.id == record.id).execute()
    else:
        Attendance.update(
            corrected_code=code,
            reason=new_reason,
            corrected_by=actor.user_id if code is not None else None,
            corrected_at=now() if code is not None else None,
        ).where(Attendance.id == record.id).execute()
    audit.record_changes(
        actor,
        "attendance",
        entity,
        {"corrected_code": record.corrected_code, "reason": record.reason},
        {"corrected_code": code, "reason": new_reason},
    )
    return True


def correct_attendance(
    actor: Actor, lesson_id: int, student_id: int, code: str | None, reason: str = ""
) -> AbsenceRow | None:
    """The class teacher's correction of one lesson (R-CT-1): «б» or «у» with the reason (a
    doctor's note…), «о» for a late arrival; an empty code removes the correction and the
    teacher's code counts again. The teacher's own code is never changed."""
    lesson, student = _correctable_lesson(actor, lesson_id, student_id)
    new = _normalize(code)
    reason = _text(reason, "Причина")
    with write_tx():
        _apply(actor, lesson, student, new, reason)
    record = Attendance.get_or_none((Attendance.lesson == lesson.id) & (Attendance.student == student.id))
    if record is None:
        return None
    subjects = {lesson.subject_id: Subject.get_by_id(lesson.subject_id).name}
    users = {actor.user_id: actor.login} if actor.user_id else {}
    return _row(record, lesson, student, subjects, users)


def correct_days(
    actor: Actor, student_id: int, start: dt.date, end: dt.date, code: str, reason: str = ""
) -> int:
    """One note covers days: every lesson of the pupil's class in ``[start, end]`` that the
    teacher marked missed («н», «б», «у») gets the correction. Returns how many changed."""
    student = access.student_in_school(actor, student_id)
    if end < start:
        raise InvalidInput("Конец периода раньше начала")
    if (end - start).days > 62:
        raise InvalidInput("Не больше двух месяцев за один раз")
    new = _normalize(code)
    if new is None:
        raise InvalidInput("Укажите причину: б или у (или н, чтобы вернуть)")
    reason = _text(reason, "Причина")
    led = access.led_class_ids(actor)
    lessons = pupil_lessons(student.id, start, end)
    if not any(ls.school_class_id in led for ls in lessons) and not (
        access.current_class_ids_of({student.id}) & led
    ):
        raise access.deny("причины пропусков учащихся чужого класса")
    lessons = [ls for ls in lessons if ls.school_class_id in led]
    records = {
        a.lesson_id: a
        for a in Attendance.select().where(
            (Attendance.student == student.id) & Attendance.lesson.in_([ls.id for ls in lessons] or [-1])
        )
    }
    changed = 0
    with write_tx():
        for ls in lessons:
            record = records.get(ls.id)
            if record is None or record.code not in att.MISSED_CODES:
                continue
            year = AcademicYear.get_by_id(SchoolClass.get_by_id(ls.school_class_id).year_id)
            if year.closed:
                raise PermissionDenied("Учебный год закрыт: записи только для чтения")
            changed += _apply(actor, ls, student, new, reason)
    return changed
