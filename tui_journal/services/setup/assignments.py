"""Teachers' assignments: who teaches which subject in which class or group.
"""

from __future__ import annotations

from tui_journal.db.models import (
    Assignment,
    Group,
    SchoolClass,
    Subject,
    User,
)
from tui_journal.services import access, audit
from tui_journal.services.access import require_admin, require_staff, row_in_school_via
from tui_journal.services.actor import Actor
from tui_journal.services.checks import (
    group_in_class,
    open_year,
    short_user,
    subject_in_school,
    teacher_by_login,
)
from tui_journal.services.errors import Conflict, InvalidInput
from tui_journal.services.journal import class_label
from tui_journal.services.setup.base import AssignmentInfo, open_class
from tui_journal.services.tx import write_tx

# --- assignments: who teaches what where ----------------------------------------------


def _assignment_info(a: Assignment) -> AssignmentInfo:
    cls = SchoolClass.get_by_id(a.school_class_id)
    teacher = User.get_by_id(a.teacher_id)
    group = Group.get_or_none(Group.id == a.group_id) if a.group_id else None
    return AssignmentInfo(
        a.id, cls.id, class_label(cls), a.subject_id, Subject.get_by_id(a.subject_id).name,
        teacher.login, short_user(teacher), a.group_id, group.name if group else "",
    )


def list_assignments(actor: Actor, class_id: int) -> list[AssignmentInfo]:
    require_staff(actor, "учебная нагрузка")
    cls = access.class_in_school(actor, class_id)
    rows = Assignment.select().where(Assignment.school_class == cls.id).order_by(Assignment.subject, Assignment.group)
    return [_assignment_info(a) for a in rows]


def assign_teacher(
    actor: Actor, class_id: int, subject_id: int, teacher_login: str, *, group_id: int | None = None
) -> AssignmentInfo:
    """The teacher teaches the subject in the class (or one of its subgroups)."""
    require_admin(actor, "учебная нагрузка")
    cls = open_class(actor, class_id)
    subject = subject_in_school(actor, subject_id)
    group = group_in_class(cls, group_id)
    if group is not None and group.subject_id not in (None, subject.id):
        raise InvalidInput(f"Группа «{group.name}» создана для другого предмета")
    teacher = teacher_by_login(actor, teacher_login)
    with write_tx():
        row = _create(actor, cls, subject, group, teacher)
    return _assignment_info(row)


def _create(actor: Actor, cls: SchoolClass, subject: Subject, group: Group | None, teacher: User) -> Assignment:
    """Insert the assignment with its audit rows; call inside the change's transaction."""
    query = Assignment.select().where(
        (Assignment.teacher == teacher.id) & (Assignment.school_class == cls.id) & (Assignment.subject == subject.id)
    )
    query = query.where(Assignment.group.is_null() if group is None else (Assignment.group == group.id))
    if query.exists():
        raise Conflict(f"{short_user(teacher)} уже ведёт «{subject.name}» в {class_label(cls)}")
    row: Assignment = Assignment.create(
        teacher=teacher, school_class=cls, subject=subject, group=group.id if group else None
    )
    audit.record_creation(
        actor, "assignment", row.id,
        {"teacher": teacher.login, "class": class_label(cls), "subject": subject.name, "group": group.name if group else None},
    )
    return row


def _open_assignment(actor: Actor, assignment_id: int) -> Assignment:
    """The school's assignment in an open year, else NotFound / the closed year's refusal."""
    row = row_in_school_via(Assignment, SchoolClass, actor, assignment_id, f"Назначение не найдено: {assignment_id}")
    open_year(actor, row.school_class.year_id)
    return row


def _delete(actor: Actor, row: Assignment) -> None:
    """Remove the assignment with its audit row; call inside the change's transaction."""
    info = _assignment_info(row)
    Assignment.delete().where(Assignment.id == row.id).execute()
    audit.record(
        actor, "delete", "assignment", row.id, "teacher",
        f"{info.teacher_login}: {info.class_name} {info.subject}", None,
    )


def unassign_teacher(actor: Actor, assignment_id: int) -> None:
    require_admin(actor, "учебная нагрузка")
    row = _open_assignment(actor, assignment_id)
    with write_tx():
        _delete(actor, row)


def hand_over(actor: Actor, assignment_id: int, teacher_login: str) -> AssignmentInfo:
    """Another teacher takes the same class, subject and group: the new assignment and the
    end of the old one in one transaction, so a refusal (he already teaches it, the database
    fails) leaves the old teacher assigned and never both."""
    require_admin(actor, "учебная нагрузка")
    old = _open_assignment(actor, assignment_id)
    teacher = teacher_by_login(actor, teacher_login)
    cls = SchoolClass.get_by_id(old.school_class_id)
    subject = Subject.get_by_id(old.subject_id)
    group = Group.get_by_id(old.group_id) if old.group_id else None
    with write_tx():
        row = _create(actor, cls, subject, group, teacher)
        _delete(actor, old)
    return _assignment_info(row)
