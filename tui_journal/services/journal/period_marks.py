"""Period marks: a quarter's, the year's, exam and final marks (R-J-7).
"""

from __future__ import annotations

from tui_journal.db.models import (
    AcademicYear,
    Enrollment,
    Period,
    PeriodMark,
    now,
)
from tui_journal.services import access, audit, user_text
from tui_journal.services import roles as R
from tui_journal.services.actor import Actor
from tui_journal.services.errors import InvalidInput, NotFound, PermissionDenied
from tui_journal.services.journal.base import (
    NO_MARKS_IN_GRADE_1,
    PERIOD_KINDS,
    check_period_mark_value,
    marks_allowed_for,
)
from tui_journal.services.tx import write_tx

# --- period marks ------------------------------------------------------------------------


def set_period_mark(
    actor: Actor,
    class_id: int,
    subject_id: int,
    student_id: int,
    value: str,
    *,
    period_id: int | None = None,
    kind: str = "period",
    reason: str = "",
    proposed: str = "",
) -> str:
    """Set a period (or year, exam, final) mark (R-J-5).

    A period mark that differs from the proposal needs the teacher's reason. An empty value
    removes the mark.
    """
    if kind not in PERIOD_KINDS:
        raise InvalidInput(f"Неизвестный вид итоговой отметки: {kind}")
    cls = access.class_in_school(actor, class_id)
    if not (actor.has(R.TEACHER) and access.teaches(actor, class_id, subject_id)):
        raise access.deny("итоговые отметки по этому предмету в этом классе")
    if not marks_allowed_for(cls):
        raise InvalidInput(NO_MARKS_IN_GRADE_1)
    if AcademicYear.get_by_id(cls.year_id).closed:
        raise PermissionDenied("Учебный год закрыт: записи только для чтения")
    if kind == "period" and period_id is None:
        raise InvalidInput("Не указан период")
    if period_id is not None and not Period.select().where(
        (Period.id == period_id) & (Period.year == cls.year_id)
    ).exists():
        raise NotFound(f"Период не найден: {period_id}")
    student = access.student_in_school(actor, student_id)
    on_roll = Enrollment.select().where(
        (Enrollment.student == student.id) & (Enrollment.school_class == class_id)
    ).exists()
    if not on_roll:
        raise InvalidInput("Учащийся не числится в этом классе")
    value = value.strip()
    if value:
        value = check_period_mark_value(value)
    reason = user_text.clean(reason, "reason", field="причина")
    proposed = user_text.clean(proposed, "short_name", field="предложенная отметка")
    if value and proposed and value != proposed and not reason:
        raise InvalidInput(f"Отметка {value} отличается от предложенной {proposed}: укажите причину")
    with write_tx():
        where = (
            (PeriodMark.student == student.id)
            & (PeriodMark.subject == subject_id)
            & (PeriodMark.school_class == class_id)
            & (PeriodMark.kind == kind)
        )
        where &= PeriodMark.period.is_null() if period_id is None else (PeriodMark.period == period_id)
        row = PeriodMark.get_or_none(where)
        old = row.value if row else ""
        if not value:
            if row:
                PeriodMark.delete().where(PeriodMark.id == row.id).execute()
        elif row:
            PeriodMark.update(value=value, proposed=proposed, reason=reason, entered_by=actor.user_id, set_at=now()).where(
                PeriodMark.id == row.id
            ).execute()
        else:
            PeriodMark.create(
                student=student,
                subject=subject_id,
                school_class=class_id,
                period=period_id,
                kind=kind,
                value=value,
                proposed=proposed,
                reason=reason,
                entered_by=actor.user_id,
            )
        if old != value:
            mark_id = f"{kind}:{period_id or '-'}:{class_id}:{subject_id}:{student.id}"
            audit.record(actor, "update", "period_mark", mark_id, "value", old, value)
            if reason:
                audit.record(actor, "update", "period_mark", mark_id, "reason", None, reason)
    return value
