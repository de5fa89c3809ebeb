"""Resolving a report's parameters against the school, and who may see what.

Every report calls these before it reads anything: the class, period and pupil named in the
parameters must belong to the actor's school (else :class:`NotFound`), and the actor's roles
must reach them (else :class:`PermissionDenied`). The rules themselves are listed in the
package docstring (:mod:`tui_journal.services.reports`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tui_journal.db.models import (
    AcademicYear,
    Assignment,
    Enrollment,
    Period,
    School,
    SchoolClass,
    Student,
    Subject,
)
from tui_journal.domain.periods import span_on
from tui_journal.domain.text import parse_class_name
from tui_journal.services import access
from tui_journal.services import roles as R
from tui_journal.services.actor import Actor
from tui_journal.services.errors import InvalidInput, NotFound
from tui_journal.services.journal import class_label, class_sort_key

CLASS_TEACHER = "class_teacher"
"""Not a stored role: a teacher (or educator) who leads a class. Reports name it apart."""

YEAR_WORDS = ("год", "учебный год", "year")


def audience(actor: Actor) -> frozenset[str]:
    """The actor's roles, plus «class_teacher» when he leads a class (checked in the DB)."""
    roles = set(actor.roles)
    if access.led_class_ids(actor):
        roles.add(CLASS_TEACHER)
    return frozenset(roles)


# --- the school, its year, classes and periods -------------------------------------------


def school_of(actor: Actor) -> School:
    school = School.get_or_none(School.id == actor.school_id)
    if school is None:
        raise NotFound(f"Школа не найдена: {actor.school_id}")
    return school


def year_for(actor: Actor, on: dt.date) -> AcademicYear:
    """The academic year containing ``on``; else the last one begun before it; else the first."""
    years = list(AcademicYear.select().where(AcademicYear.school == actor.school_id).order_by(AcademicYear.start))
    if not years:
        raise NotFound("В школе не задан учебный год")
    return span_on(on, years)


def classes_of_year(actor: Actor, year: AcademicYear) -> list[SchoolClass]:
    """The year's classes, 1А…11Б, then the preschool groups."""
    rows = SchoolClass.select().where((SchoolClass.school == actor.school_id) & (SchoolClass.year == year.id))
    return sorted(rows, key=class_sort_key)


def find_class(actor: Actor, year: AcademicYear, text: str) -> SchoolClass:
    """The class named «7А», «7 а», «7A» (Latin) or «ГКП» in the given year."""
    shown = text.strip()
    classes = classes_of_year(actor, year)
    wanted = shown.upper().replace(" ", "")
    for cls in classes:
        if class_label(cls).upper() == wanted:
            return cls
    try:
        grade, letter = parse_class_name(shown)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    for cls in classes:
        if cls.grade == grade and cls.letter.upper() == letter:
            return cls
    raise NotFound(f"Класс «{shown}» не найден в {year.name} учебном году")


@dataclass(frozen=True)
class Span:
    """A study period, or the whole year (``kind`` "year", ``period_id`` None)."""

    name: str
    start: dt.date
    end: dt.date
    kind: str
    period_id: int | None = None

    @property
    def is_year(self) -> bool:
        return self.kind == "year"

    @property
    def label(self) -> str:
        """«2 четверть (05.11.2026–28.12.2026)»."""
        return f"{self.name} ({self.start:%d.%m.%Y}–{self.end:%d.%m.%Y})"


def year_span(year: AcademicYear) -> Span:
    return Span(f"{year.name} учебный год", year.start, year.end, "year")


def periods_of_year(year: AcademicYear) -> list[Span]:
    """The year's study periods (quarters, halves…), holidays left out, in date order."""
    rows = Period.select().where((Period.year == year.id) & (Period.kind != "holidays")).order_by(Period.start)
    return [Span(p.name, p.start, p.end, p.kind, p.id) for p in rows]


def _norm(text: str) -> str:
    return " ".join(text.casefold().replace("ё", "е").split())


def resolve_span(year: AcademicYear, text: str | None, on: dt.date) -> Span:
    """The period named ``text`` («2 четверть», «2», «год»), or the one containing ``on``.

    Between periods (holidays) the last period begun is taken, before the first the first.
    """
    periods = periods_of_year(year)
    if text is not None and _norm(text) in YEAR_WORDS:
        return year_span(year)
    if not periods:
        if text is None:
            return year_span(year)
        raise NotFound(f"Для {year.name} учебного года не заданы периоды (четверти)")
    if text is None:
        return span_on(on, periods)
    wanted = _norm(text)
    for span in periods:
        if _norm(span.name) == wanted:
            return span
    for span in periods:
        if wanted.isdigit() and _norm(span.name).split()[0] == wanted:
            return span
    names = ", ".join(s.name for s in periods)
    raise NotFound(f"Период «{text.strip()}» не найден. Есть: {names}, год")


def week_of(on: dt.date, days: int = 7) -> list[dt.date]:
    """Monday… of the week containing ``on`` (``days`` days)."""
    monday = on - dt.timedelta(days=on.weekday())
    return [monday + dt.timedelta(days=i) for i in range(days)]


# --- who may see what ------------------------------------------------------------------


@dataclass(frozen=True)
class SubjectScope:
    """What of a class the actor may see: everything (``pairs`` None) or his own journals.

    ``pairs`` holds (subject, group) of the actor's assignments; a group of None means the
    whole class (and so all of its groups).
    """

    pairs: frozenset[tuple[int, int | None]] | None = None
    teacher_id: int | None = None

    @property
    def everything(self) -> bool:
        return self.pairs is None

    @property
    def subject_ids(self) -> frozenset[int] | None:
        return None if self.pairs is None else frozenset(s for s, _ in self.pairs)

    def allows_subject(self, subject_id: int) -> bool:
        return self.pairs is None or any(s == subject_id for s, _ in self.pairs)

    def only(self, subject_id: int) -> SubjectScope:
        """The same scope narrowed to one subject (``--subject``)."""
        if self.pairs is None:
            return SubjectScope(frozenset({(subject_id, None)}), None)
        return SubjectScope(frozenset(p for p in self.pairs if p[0] == subject_id), self.teacher_id)

    def allows_lesson(self, subject_id: int, group_id: int | None, teacher_id: int | None = None) -> bool:
        if self.pairs is None:
            return True
        if teacher_id is not None and teacher_id == self.teacher_id:
            return True
        return any(s == subject_id and (g is None or g == group_id) for s, g in self.pairs)


EVERYTHING = SubjectScope()


def find_subject(actor: Actor, text: str) -> Subject:
    """The subject named by its name or short name («Математика», «матем.»)."""
    wanted = _norm(text).rstrip(".")
    subjects = list(Subject.select().where(Subject.school == actor.school_id).order_by(Subject.id))
    for subject in subjects:
        if wanted in (_norm(subject.name), _norm(subject.short_name).rstrip(".")):
            return subject
    starts = [s for s in subjects if _norm(s.name).startswith(wanted)]
    if len(starts) == 1:
        return starts[0]
    raise NotFound(f"Предмет «{text.strip()}» не найден")


def in_school(actor: Actor, cls: SchoolClass) -> None:
    if cls.school_id != actor.school_id:
        raise NotFound(f"Класс не найден: {cls.id}")


def class_scope(
    actor: Actor,
    cls: SchoolClass,
    what: str,
    *,
    class_teacher: bool = True,
    teacher: bool = False,
    secretary: bool = False,
) -> SubjectScope:
    """May the actor run this report on this class, and on which of its subjects?

    School-wide roles see every class; the secretary where the report allows him (class
    lists); the class teacher his class; a subject teacher, where allowed, only his own
    subjects (and groups) of the classes he teaches.
    """
    in_school(actor, cls)
    if actor.school_wide:
        return EVERYTHING
    if secretary and actor.has(R.SECRETARY):
        return EVERYTHING
    if class_teacher and cls.id in access.led_class_ids(actor):
        return EVERYTHING
    if teacher and actor.user_id is not None and actor.has(R.TEACHER, R.EDUCATOR):
        pairs = frozenset(
            (a.subject_id, a.group_id)
            for a in Assignment.select(Assignment.subject, Assignment.group).where(
                (Assignment.teacher == actor.user_id) & (Assignment.school_class == cls.id)
            )
        )
        if pairs:
            return SubjectScope(pairs, actor.user_id)
    raise access.deny(f"{what} по классу {class_label(cls)}")


def require_school_wide(actor: Actor, what: str, *, secretary: bool = False) -> None:
    """Reports on the whole school: admin, director, deputy (and the secretary where allowed)."""
    if actor.school_wide or (secretary and actor.has(R.SECRETARY)):
        return
    raise access.deny(f"{what} по всей школе")


def student_scope(
    actor: Actor,
    student_id: int,
    what: str,
    *,
    class_teacher: bool = True,
    family: bool = False,
) -> Student:
    """May the actor run a report on this pupil?

    School-wide roles: any pupil of the school; the class teacher: pupils who are (or were)
    in his class; with ``family``, a parent his own children and a pupil himself.
    """
    student = access.student_in_school(actor, student_id)
    if actor.school_wide:
        return student
    if class_teacher:
        led = access.led_class_ids(actor)
        if led and Enrollment.select().where(
            (Enrollment.student == student_id) & Enrollment.school_class.in_(list(led))
        ).exists():
            return student
    if family and (student_id in access.children_ids(actor) or student_id in access.own_student_ids(actor)):
        return student
    raise access.deny(f"{what} по этому учащемуся")


def class_of_student(actor: Actor, student: Student, on: dt.date) -> SchoolClass | None:
    """The class the pupil is in on ``on`` (or was in last, before it)."""
    rows = list(
        Enrollment.select(Enrollment, SchoolClass)
        .join(SchoolClass)
        .where((Enrollment.student == student.id) & (SchoolClass.school == actor.school_id))
        .order_by(Enrollment.start)
    )
    current = [e for e in rows if e.start <= on and (e.end is None or e.end >= on)]
    if current:
        cls: SchoolClass = current[-1].school_class
        return cls
    past = [e for e in rows if e.start <= on]
    if past:
        last: SchoolClass = past[-1].school_class
        return last
    return rows[0].school_class if rows else None


def default_class(actor: Actor, year: AcademicYear, text: str | None) -> SchoolClass | None:
    """The class asked for; without one, the class the actor leads if he leads exactly one."""
    if text and text.strip():
        return find_class(actor, year, text)
    led = [c for c in classes_of_year(actor, year) if c.id in access.led_class_ids(actor)]
    return led[0] if len(led) == 1 else None


def need_class(actor: Actor, year: AcademicYear, text: str | None) -> SchoolClass:
    cls = default_class(actor, year, text)
    if cls is None:
        raise InvalidInput("Укажите класс, например 7А (--class 7А)")
    return cls
