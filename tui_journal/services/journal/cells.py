"""Writing the journal: a cell (mark or attendance), a mark's details, a column's work type,
taking the roll, and the actor's lessons of a day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from tui_journal import clock
from tui_journal.db.models import (
    Attendance,
    Lesson,
    Mark,
    SchoolClass,
    Subject,
    WorkType,
    now,
)
from tui_journal.domain.marks import (
    CellEntry,
    InvalidCell,
    InvalidMark,
    format_cell,
    parse_cell,
)
from tui_journal.services import audit, user_text
from tui_journal.services.actor import Actor
from tui_journal.services.errors import InvalidInput, NotFound
from tui_journal.services.journal.base import (
    NO_MARKS_IN_GRADE_1,
    CellView,
    MarkView,
    cell_view,
    class_label,
    default_work_type,
    make_cell,
    marks_allowed_for,
    student_of_lesson,
    work_type_of,
    writable_lesson,
)
from tui_journal.services.tx import write_tx

# --- writing a cell ----------------------------------------------------------------------


def _entry_text(entry: CellEntry) -> str:
    return format_cell(list(entry.marks), entry.attendance)


def set_cell(
    actor: Actor,
    lesson_id: int,
    student_id: int,
    text: str,
    *,
    work_type_id: int | None = None,
    today: dt.date | None = None,
) -> CellView:
    """Make the cell hold exactly what ``text`` says («5», «4/5», «н», «о5», «» to clear).

    Marks already in the cell keep their work type and comment when their value stays; new
    marks get ``work_type_id`` or the column's work type. Attendance entered after the
    lesson's day is accepted and flagged late (no hard date locks).
    """
    try:
        entry = parse_cell(text)
    except (InvalidCell, InvalidMark) as exc:
        raise InvalidInput(str(exc)) from exc
    lesson = writable_lesson(actor, lesson_id)
    student = student_of_lesson(lesson, student_id)
    if entry.marks and not marks_allowed_for(lesson.school_class):
        raise InvalidInput(NO_MARKS_IN_GRADE_1)
    wt = work_type_of(actor, work_type_id) or default_work_type(actor, lesson)
    today = today or clock.today()
    entity_id = f"{lesson.id}:{student.id}"
    with write_tx():
        existing = list(
            Mark.select().where((Mark.lesson == lesson.id) & (Mark.student == student.id)).order_by(Mark.position, Mark.id)
        )
        record = Attendance.get_or_none((Attendance.lesson == lesson.id) & (Attendance.student == student.id))
        old_text = make_cell(existing, record).text
        # marks: keep the ones whose value is unchanged at the same position
        numeric_existing = [m for m in existing if m.value.isdigit()]
        for pos, value in enumerate(entry.marks):
            if pos < len(numeric_existing):
                mark = numeric_existing[pos]
                if mark.value != str(value) or mark.position != pos:
                    Mark.update(value=str(value), position=pos).where(Mark.id == mark.id).execute()
            else:
                Mark.create(
                    student=student,
                    lesson=lesson,
                    work_type=wt,
                    value=str(value),
                    position=pos,
                    created_by=actor.user_id,
                    # a mark typed more than a week after the lesson is flagged for the deputy
                    late=lesson.date < today - dt.timedelta(days=7),
                )
        for mark in numeric_existing[len(entry.marks):]:
            Mark.delete().where(Mark.id == mark.id).execute()
        # attendance: the teacher's own code; the class teacher's correction is kept apart
        if entry.attendance is None:
            if record is not None:
                if record.corrected_code:
                    Attendance.update(code=None).where(Attendance.id == record.id).execute()
                else:
                    Attendance.delete().where(Attendance.id == record.id).execute()
        elif record is None:
            Attendance.create(
                student=student,
                lesson=lesson,
                code=entry.attendance,
                entered_by=actor.user_id,
                late=lesson.date < today,
            )
        elif record.code != entry.attendance:
            Attendance.update(
                code=entry.attendance, entered_by=actor.user_id, entered_at=now(), late=lesson.date < today
            ).where(Attendance.id == record.id).execute()
        new_view = cell_view(lesson.id, student.id)
        if old_text != new_view.text:
            audit.record(actor, "update", "cell", entity_id, "marks+attendance", old_text, new_view.text)
    return new_view


def set_mark_details(
    actor: Actor, mark_id: int, *, work_type_id: int | None = None, comment: str | None = None
) -> MarkView:
    """Change a mark's work type or comment (the edit line of the grid)."""
    mark = Mark.get_or_none(Mark.id == mark_id)
    if mark is None:
        raise NotFound(f"Отметка не найдена: {mark_id}")
    lesson = writable_lesson(actor, mark.lesson_id)
    wt = work_type_of(actor, work_type_id)
    with write_tx():
        before = {"work_type": _wt_name(mark.work_type_id), "comment": mark.comment}
        changes: dict[str, object] = {}
        after: dict[str, object] = {}
        if wt is not None:
            changes["work_type"] = wt.id
            after["work_type"] = wt.name
        if comment is not None:
            comment = user_text.clean(comment, "comment", field="комментарий к отметке")
            changes["comment"] = comment
            after["comment"] = comment
        if changes:
            Mark.update(**changes).where(Mark.id == mark.id).execute()
            audit.record_changes(actor, "mark", f"{lesson.id}:{mark.student_id}:{mark.id}", before, after)
    m = Mark.get_by_id(mark.id)
    wt_row = WorkType.get_or_none(WorkType.id == m.work_type_id)
    return MarkView(m.id, m.value, wt_row.name if wt_row else "", float(wt_row.weight) if wt_row else 1.0, m.comment)


def _wt_name(work_type_id: int | None) -> str:
    if work_type_id is None:
        return ""
    wt = WorkType.get_or_none(WorkType.id == work_type_id)
    return wt.name if wt else ""


def set_cell_details(
    actor: Actor,
    lesson_id: int,
    student_id: int,
    work_types: Sequence[int | None] = (),
    comment: str | None = None,
) -> CellView:
    """Give the cell's point marks, in order, the work types of ``work_types`` (None keeps a
    mark's own) and every point mark the ``comment`` (None keeps each one's): the grid's edit
    line «5 кр/4 дз: comment» in ONE transaction, one audit row per changed field of a mark.
    Returns the cell as saved."""
    lesson = writable_lesson(actor, lesson_id)
    student = student_of_lesson(lesson, student_id)
    types = [work_type_of(actor, wt_id) for wt_id in work_types]
    if comment is not None:
        comment = user_text.clean(comment, "comment", field="комментарий к отметке")
    with write_tx():
        marks = list(
            Mark.select()
            .where((Mark.lesson == lesson.id) & (Mark.student == student.id))
            .order_by(Mark.position, Mark.id)
        )
        numeric = [m for m in marks if m.value.isdigit()]
        for index, mark in enumerate(numeric):
            wt = types[index] if index < len(types) else None
            changes: dict[str, object] = {}
            before: dict[str, object] = {}
            after: dict[str, object] = {}
            if wt is not None and wt.id != mark.work_type_id:
                changes["work_type"] = wt.id
                before["work_type"], after["work_type"] = _wt_name(mark.work_type_id), wt.name
            if comment is not None and comment != mark.comment:
                changes["comment"] = comment
                before["comment"], after["comment"] = mark.comment, comment
            if changes:
                Mark.update(**changes).where(Mark.id == mark.id).execute()
                audit.record_changes(actor, "mark", f"{lesson.id}:{student.id}:{mark.id}", before, after)
        view = cell_view(lesson.id, student.id)
    return view


def set_column_work_type(actor: Actor, lesson_id: int, work_type_id: int | None) -> None:
    """The work type new marks of this lesson get by default."""
    lesson = writable_lesson(actor, lesson_id)
    wt = work_type_of(actor, work_type_id)
    if lesson.work_type_id == (wt.id if wt else None):
        return
    with write_tx():
        before = _wt_name(lesson.work_type_id)
        Lesson.update(work_type=wt.id if wt else None).where(Lesson.id == lesson.id).execute()
        audit.record_changes(actor, "lesson", lesson.id, {"work_type": before}, {"work_type": wt.name if wt else ""})


def take_roll(actor: Actor, lesson_id: int) -> dt.datetime:
    """Record that the roll was taken (everybody without a code was present)."""
    lesson = writable_lesson(actor, lesson_id)
    moment = now()
    with write_tx():
        audit.save_changes(actor, "lesson", lesson, {"roll_taken_at": moment})
    return moment


@dataclass(frozen=True)
class RollLesson:
    """One of the actor's lessons of a day, as the attendance roll lists it."""

    lesson_id: int
    class_name: str
    number: int
    subject: str


def lessons_of_day(actor: Actor, day: dt.date | None = None) -> list[RollLesson]:
    """The actor's lessons of a day (for the attendance roll), in the order of the day."""
    day = day or clock.today()
    if actor.user_id is None:
        return []
    rows = (
        Lesson.select(Lesson, SchoolClass, Subject)
        .join(SchoolClass)
        .switch(Lesson)
        .join(Subject)
        .where((Lesson.teacher == actor.user_id) & (Lesson.date == day) & (SchoolClass.school == actor.school_id))
        .order_by(Lesson.number)
    )
    return [RollLesson(ls.id, class_label(ls.school_class), ls.number, ls.subject.name) for ls in rows]
