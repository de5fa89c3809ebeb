"""Reading lists of pupils: the search by name, a class's list on a day, and the movement log
between two dates (arrivals, departures, transfers).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from peewee import Case

from tui_journal.db.models import Enrollment, SchoolClass, Student, search_key_for
from tui_journal.domain import ru_words as words
from tui_journal.services import access
from tui_journal.services import roles as R
from tui_journal.services.actor import Actor
from tui_journal.services.enrollment.base import (
    SEARCH_LIMIT,
    Movement,
    StudentHit,
    joined_name,
    manages_pupils,
)
from tui_journal.services.journal import class_label
from tui_journal.services.roster import on_roll

# --- reading -----------------------------------------------------------------------------


def _hits(students: Sequence[Student]) -> list[StudentHit]:
    ids = [s.id for s in students]
    latest: dict[int, Enrollment] = {}
    if ids:
        rows = (
            Enrollment.select(Enrollment, SchoolClass)
            .join(SchoolClass)
            .where(Enrollment.student.in_(ids))
            .order_by(Enrollment.start, Enrollment.id)
        )
        for row in rows:
            latest[row.student_id] = row
    hits = []
    for s in students:
        e = latest.get(s.id)
        if e is None:
            class_id, name, status = None, "", "не зачислен"
        elif e.end is None:
            class_id, name = e.school_class_id, class_label(e.school_class)
            status = name
        else:
            class_id, name = None, class_label(e.school_class)
            sex = words.sex_of(s.middle_name, s.sex)
            status = (
                f"{words.gendered('выбыл', sex)} {e.end:%d.%m.%Y}" + (f" ({e.went_to})" if e.went_to else "")
                + f", {words.gendered('был', sex)} в {name}"
            )
        hits.append(StudentHit(s.id, joined_name(s.last_name, s.first_name, s.middle_name), s.birth_date, class_id, name, status))
    return hits


def search_students(actor: Actor, text: str, *, limit: int = SEARCH_LIMIT) -> list[StudentHit]:
    """Pupils whose name contains ``text`` anywhere in the school (surnames starting with it first).

    The secretary and the school-wide roles find anybody; a teacher only the pupils of the
    classes he leads or teaches.
    """
    if not (manages_pupils(actor) or actor.has(R.TEACHER, R.EDUCATOR)):
        raise access.deny("поиск учащихся")
    key = search_key_for(text.strip())
    if not key:
        return []
    starts = Case(None, [(Student.search_key.startswith(key), 0)], 1)
    query = (
        Student.select(Student.id, Student.last_name, Student.first_name, Student.middle_name, Student.birth_date)
        .where((Student.school == actor.school_id) & Student.search_key.contains(key))
        .order_by(starts, Student.last_name, Student.first_name, Student.middle_name, Student.id)
    )
    if not manages_pupils(actor):
        classes = access.led_class_ids(actor) | access.taught_class_ids(actor)
        on_roll = Enrollment.select(Enrollment.student).where(
            Enrollment.school_class.in_(classes or {-1}) & Enrollment.end.is_null()
        )
        query = query.where(Student.id.in_(on_roll))
    return _hits(list(query.limit(max(1, min(limit, 200)))))


def class_list(actor: Actor, class_id: int, on: dt.date | None = None) -> list[StudentHit]:
    """The pupils on the roll of a class now, or on a given date."""
    cls = access.class_in_school(actor, class_id)
    if not (manages_pupils(actor) or cls.id in access.led_class_ids(actor) | access.taught_class_ids(actor)):
        raise access.deny("список этого класса")
    where = Enrollment.school_class == cls.id
    if on is None:
        where &= Enrollment.end.is_null()
    else:
        where &= on_roll(on)
    students = list(
        Student.select()
        .join(Enrollment, on=(Enrollment.student == Student.id))
        .where(where)
        .order_by(Student.last_name, Student.first_name, Student.middle_name)
        .distinct()
    )
    return _hits(students)


LINK_DAYS = 120


def _linked(prev: Enrollment, nxt: Enrollment) -> bool:
    return (
        prev.end is not None
        and prev.end < nxt.start
        and (nxt.start - prev.end).days <= LINK_DAYS
        and bool(prev.order_out)
        and prev.order_out == nxt.order_in
    )


def movements(actor: Actor, start: dt.date, end: dt.date) -> list[Movement]:
    """Arrivals, departures and transfers between two dates, in date order (the movement log)."""
    access.require_any_role(actor, R.ADMIN, R.DIRECTOR, R.DEPUTY, R.SECRETARY, what="движение учащихся")
    rows = list(
        Enrollment.select(Enrollment, SchoolClass, Student)
        .join(SchoolClass)
        .switch(Enrollment)
        .join(Student)
        .where(
            (SchoolClass.school == actor.school_id)
            & (((Enrollment.start >= start) & (Enrollment.start <= end)) | ((Enrollment.end >= start) & (Enrollment.end <= end)))
        )
        .order_by(Enrollment.start, Enrollment.id)
    )
    by_student: dict[int, list[Enrollment]] = {}
    for e in Enrollment.select(Enrollment, SchoolClass).join(SchoolClass).where(
        Enrollment.student.in_({e.student_id for e in rows} or {-1})
    ).order_by(Enrollment.start, Enrollment.id):
        by_student.setdefault(e.student_id, []).append(e)
    result: list[Movement] = []
    for e in rows:
        name = joined_name(e.student.last_name, e.student.first_name, e.student.middle_name)
        label = class_label(e.school_class)
        chain = by_student.get(e.student_id, [])
        before = [p for p in chain if _linked(p, e)]
        after = [n for n in chain if _linked(e, n)]
        sex = words.sex_of(e.student.middle_name, e.student.sex)
        if start <= e.start <= end:
            if before:
                prev = before[-1]
                moved = words.gendered("переведён", sex)
                kind = moved if prev.school_class.year_id == e.school_class.year_id else f"{moved} в следующий класс"
                result.append(Movement(e.start, kind, e.student_id, name, class_label(prev.school_class), label, e.order_in, ""))
            else:
                result.append(
                    Movement(e.start, words.gendered("прибыл", sex), e.student_id, name, "", label, e.order_in, e.came_from)
                )
        if e.end is not None and start <= e.end <= end and not after:
            result.append(
                Movement(e.end, words.gendered("выбыл", sex), e.student_id, name, label, "", e.order_out, e.went_to)
            )
    return sorted(result, key=lambda m: (m.date, m.student))
