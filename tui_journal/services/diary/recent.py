"""What is new since the last visit (the parent's and the pupil's home screen): the marks and
the missed lessons entered since the previous login.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from tui_journal import clock
from tui_journal.db.models import Attendance, Lesson, LoginEvent, Mark, Subject
from tui_journal.domain import attendance as att
from tui_journal.domain import ru_words as words
from tui_journal.services.actor import Actor
from tui_journal.services.diary.base import StudentRef, diary_students, names_of

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
        names = names_of(Subject, [m.lesson.subject_id for m in marks] + [r.lesson.subject_id for r in records])
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
