"""Subgroups (R-SETUP-3): a class's groups per subject and who is in which.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from tui_journal.db.models import (
    Enrollment,
    Group,
    GroupMember,
    Lesson,
    Mark,
    SchoolClass,
    Subject,
)
from tui_journal.domain.periods import HOLIDAYS
from tui_journal.services import access, audit
from tui_journal.services.access import require_admin, require_staff, row_in_school_via
from tui_journal.services.actor import Actor
from tui_journal.services.checks import (
    clean_text,
    open_year,
    subject_in_school,
)
from tui_journal.services.errors import Conflict, InvalidInput
from tui_journal.services.journal import class_label
from tui_journal.services.setup.base import Named, open_class
from tui_journal.services.setup.years import period_of
from tui_journal.services.tx import write_tx

# --- subgroups (R-SETUP-3) ------------------------------------------------------------------


def list_groups(actor: Actor, class_id: int) -> list[Named]:
    require_staff(actor, "группы класса")
    cls = access.class_in_school(actor, class_id)
    rows = Group.select(Group, Subject).join(Subject).where(Group.school_class == cls.id).order_by(Subject.name, Group.name)
    result = []
    for g in rows:
        members = GroupMember.select().where((GroupMember.group == g.id) & GroupMember.end.is_null()).count()
        subject_name = g.subject.name if g.subject is not None else ""
        result.append(Named(g.id, g.name, f"{subject_name}, {members} уч."))
    return result


def add_group(actor: Actor, class_id: int, subject_id: int, name: str) -> Named:
    require_admin(actor, "группы")
    cls = open_class(actor, class_id)
    subject = subject_in_school(actor, subject_id)
    name = clean_text(name, "название группы", kind="group_name")
    with write_tx():
        if Group.select().where(
            (Group.school_class == cls.id) & (Group.subject == subject.id) & (Group.name == name)
        ).exists():
            raise Conflict(f"Группа «{name}» по предмету «{subject.name}» в {class_label(cls)} уже есть")
        group = Group.create(school_class=cls, subject=subject, name=name)
        audit.record_creation(actor, "group", group.id, {"class": class_label(cls), "subject": subject.name, "name": name})
    return Named(group.id, name, subject.name)


def _group_in_school(actor: Actor, group_id: int) -> tuple[Group, SchoolClass]:
    group = row_in_school_via(Group, SchoolClass, actor, group_id, f"Группа не найдена: {group_id}")
    return group, group.school_class


def _on_roll(cls: SchoolClass, student_id: int) -> bool:
    return (
        Enrollment.select()
        .where((Enrollment.student == student_id) & (Enrollment.school_class == cls.id) & Enrollment.end.is_null())
        .exists()
    )


def _sibling_membership(group: Group, student_id: int) -> GroupMember | None:
    """The pupil's current membership in a group of the same class and subject."""
    member: GroupMember | None = (
        GroupMember.select(GroupMember, Group)
        .join(Group)
        .where(
            (GroupMember.student == student_id)
            & GroupMember.end.is_null()
            & (Group.school_class == group.school_class_id)
            & (Group.subject == group.subject_id)
        )
        .first()
    )
    return member


def add_to_group(actor: Actor, group_id: int, student_ids: Sequence[int], start: dt.date) -> int:
    """Put pupils of the class into a group (the first split, or a newcomer); returns how many.

    A pupil already in another group of this subject moves only at a period's end
    (:func:`move_to_group`, R-SETUP-3).
    """
    require_admin(actor, "состав групп")
    group, cls = _group_in_school(actor, group_id)
    year = open_year(actor, cls.year_id)
    if not year.start <= start <= year.end:
        raise InvalidInput(f"Дата {start:%d.%m.%Y} вне учебного года {year.name}")
    added = 0
    with write_tx():
        for student_id in student_ids:
            student = access.student_in_school(actor, student_id)
            if not _on_roll(cls, student.id):
                raise InvalidInput(f"{student.last_name} {student.first_name} не числится в {class_label(cls)}")
            current = _sibling_membership(group, student.id)
            if current is not None and current.group_id == group.id:
                continue
            if current is not None:
                raise InvalidInput(
                    f"{student.last_name} {student.first_name} уже в группе «{current.group.name}»: "
                    "переводить между группами можно только в конце периода"
                )
            GroupMember.create(group=group, student=student, start=start)
            audit.record(actor, "create", "group_member", f"{group.id}:{student.id}", "start", None, start)
            added += 1
    return added


def move_to_group(actor: Actor, student_id: int, to_group_id: int, period_id: int) -> None:
    """Move a pupil to another group of the same subject at the end of a period (R-SETUP-3, 4.4.12).

    The old membership ends on the period's last day; the new one starts the next day.
    """
    require_admin(actor, "состав групп")
    group, cls = _group_in_school(actor, to_group_id)
    open_year(actor, cls.year_id)
    student = access.student_in_school(actor, student_id)
    period = period_of(actor, period_id)
    if period.year_id != cls.year_id or period.kind == HOLIDAYS:
        raise InvalidInput("Переводить между группами можно только в конце учебного периода этого года")
    current = _sibling_membership(group, student.id)
    if current is None:
        raise InvalidInput(f"{student.last_name} {student.first_name} не состоит в группе по этому предмету")
    if current.group_id == group.id:
        raise InvalidInput(f"{student.last_name} {student.first_name} уже в группе «{group.name}»")
    if current.start > period.end:
        raise InvalidInput(f"Учащийся в группе «{current.group.name}» только с {current.start:%d.%m.%Y}")
    later_marks = (
        Mark.select()
        .join(Lesson)
        .where((Mark.student == student.id) & (Lesson.group == current.group_id) & (Lesson.date > period.end))
        .exists()
    )
    if later_marks:
        raise InvalidInput(
            f"У учащегося есть отметки в группе «{current.group.name}» после {period.end:%d.%m.%Y}: "
            "перевод в конце этого периода невозможен"
        )
    starts = period.end + dt.timedelta(days=1)
    with write_tx():
        GroupMember.update(end=period.end).where(GroupMember.id == current.id).execute()
        GroupMember.create(group=group, student=student, start=starts)
        audit.record(actor, "update", "group_member", student.id, "group", current.group.name, group.name)
        audit.record(actor, "update", "group_member", student.id, "since", None, starts)
