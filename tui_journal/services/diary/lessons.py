"""The lessons held for a pupil: his class's while he was on its roll, a subgroup's only while
he was in it. Also the building block of the class teacher's attendance control and warnings.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from tui_journal.db.models import Enrollment, GroupMember, Lesson
from tui_journal.services.roster import on_roll


def enrollment_spans(student_id: int, start: dt.date, end: dt.date) -> list[tuple[int, dt.date, dt.date]]:
    """(class id, from, to) of the pupil's enrollments overlapping the span, clipped to it."""
    result = []
    for e in Enrollment.select().where(
        (Enrollment.student == student_id)
        & on_roll(start, end)
    ):
        result.append((e.school_class_id, max(start, e.start), min(end, e.end or end)))
    return result


def group_memberships(student_id: int) -> dict[int, list[tuple[dt.date, dt.date | None]]]:
    """The pupil's subgroup memberships: group id → the (from, to) spans he was in it."""
    found: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for m in GroupMember.select().where(GroupMember.student == student_id):
        found[m.group_id].append((m.start, m.end))
    return found


def in_group_on(groups: dict[int, list[tuple[dt.date, dt.date | None]]], group_id: int | None, day: dt.date) -> bool:
    """Whether a lesson of ``group_id`` (None: the whole class) is the pupil's on ``day``."""
    if group_id is None:
        return True
    return any(s <= day and (e is None or e >= day) for s, e in groups.get(group_id, []))


def pupil_lessons(
    student_id: int, start: dt.date, end: dt.date, subject_id: int | None = None
) -> list[Lesson]:
    """The lessons held for the pupil in ``[start, end]``: his class's lessons while he was on its
    roll, a subgroup's only while he was in that subgroup. Ordered by date and number."""
    groups = group_memberships(student_id)
    lessons: list[Lesson] = []
    for class_id, since, until in enrollment_spans(student_id, start, end):
        query = Lesson.select().where(
            (Lesson.school_class == class_id) & (Lesson.date >= since) & (Lesson.date <= until)
        )
        if subject_id is not None:
            query = query.where(Lesson.subject == subject_id)
        lessons += [ls for ls in query if in_group_on(groups, ls.group_id, ls.date)]
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
            and in_group_on(groups[sid], ls.group_id, ls.date)
        ]
    return result
