"""Who may see and change what (R-ROLE-*), decided where the data is read or written.

Screens may hide what a role cannot use, but the decision is always made here, against the
database, so that the CLI, the reports and a crafted call are refused alike.
"""

from __future__ import annotations

from typing import Any, TypeVar

from tui_journal.db.models import (
    Assignment,
    Enrollment,
    GroupMember,
    GuardianLink,
    Lesson,
    SchoolClass,
    Student,
    User,
    UserRole,
)
from tui_journal.i18n import t
from tui_journal.services import roles as R
from tui_journal.services.actor import Actor
from tui_journal.services.errors import NotFound, PermissionDenied


def deny(what: str) -> PermissionDenied:
    return PermissionDenied(t("err.denied", what=what))


def require_any_role(actor: Actor, *roles: str, what: str) -> None:
    if not actor.has(*roles):
        raise deny(what)


def require_admin(actor: Actor, what: str) -> None:
    require_any_role(actor, R.ADMIN, what=what)


def require_staff(actor: Actor, what: str) -> None:
    require_any_role(actor, *sorted(R.STAFF), what=what)


def roles_of(user_id: int) -> tuple[str, ...]:
    """The user's roles in the order of :data:`roles.ALL_ROLES`."""
    found = {r.role for r in UserRole.select(UserRole.role).where(UserRole.user == user_id)}
    return tuple(r for r in R.ALL_ROLES if r in found)


M = TypeVar("M")


def row_in_school(model: type[M], actor: Actor, row_id: int, missing: str) -> M:
    """The row ``row_id`` of ``model`` (a table with a ``school`` column) if it is of the
    actor's school, else NotFound(``missing``): an id typed or sent by a client never
    reaches another school's rows, and a foreign one looks just like a missing one."""
    row: M | None = model.get_or_none((model.id == row_id) & (model.school == actor.school_id))  # type: ignore[attr-defined]
    if row is None:
        raise NotFound(missing)
    return row


def row_in_school_via(model: type[M], owner: type[Any], actor: Actor, row_id: int, missing: str) -> M:
    """:func:`row_in_school` for a table whose school is its ``owner``'s (a lesson's or a
    group's class, a period's year): the row with its owner joined, else NotFound."""
    row: M | None = (
        model.select(model, owner)  # type: ignore[attr-defined]
        .join(owner)
        .where((model.id == row_id) & (owner.school == actor.school_id))  # type: ignore[attr-defined]
        .first()
    )
    if row is None:
        raise NotFound(missing)
    return row


def class_in_school(actor: Actor, class_id: int) -> SchoolClass:
    return row_in_school(SchoolClass, actor, class_id, f"Класс не найден: {class_id}")


def lesson_in_school(actor: Actor, lesson_id: int) -> Lesson:
    """A lesson of the actor's school (with its class joined), or NotFound."""
    return row_in_school_via(Lesson, SchoolClass, actor, lesson_id, f"Урок не найден: {lesson_id}")


def student_in_school(actor: Actor, student_id: int) -> Student:
    return row_in_school(Student, actor, student_id, t("err.student_not_found", student=student_id))


def led_class_ids(actor: Actor) -> set[int]:
    """Classes whose class teacher (классный руководитель) the actor is."""
    if actor.user_id is None:
        return set()
    return {
        c.id
        for c in SchoolClass.select(SchoolClass.id).where(
            (SchoolClass.class_teacher == actor.user_id) & (SchoolClass.school == actor.school_id)
        )
    }


def taught_class_ids(actor: Actor) -> set[int]:
    """Classes where the actor teaches something (by assignment)."""
    if actor.user_id is None or not actor.has(R.TEACHER, R.EDUCATOR):
        return set()
    return {
        a.school_class_id
        for a in Assignment.select(Assignment.school_class).where(
            Assignment.teacher == actor.user_id
        )
    }


def children_ids(actor: Actor) -> set[int]:
    """Pupils linked to a parent actor."""
    if actor.user_id is None or not actor.has(R.PARENT):
        return set()
    return {
        g.student_id
        for g in GuardianLink.select(GuardianLink.student).where(
            GuardianLink.parent == actor.user_id
        )
    }


def own_student_ids(actor: Actor) -> set[int]:
    """The pupil's own card(s) for a student actor."""
    if actor.user_id is None or not actor.has(R.STUDENT):
        return set()
    return {s.id for s in Student.select(Student.id).where(Student.user == actor.user_id)}


def current_class_ids_of(student_ids: set[int]) -> set[int]:
    if not student_ids:
        return set()
    return {
        e.school_class_id
        for e in Enrollment.select(Enrollment.school_class).where(
            Enrollment.student.in_(student_ids) & Enrollment.end.is_null()
        )
    }


def visible_class_ids(actor: Actor) -> set[int]:
    """Every class whose journal (or part of it) the actor may read."""
    if actor.school_wide or actor.has(R.SECRETARY):
        return {
            c.id for c in SchoolClass.select(SchoolClass.id).where(SchoolClass.school == actor.school_id)
        }
    ids = led_class_ids(actor) | taught_class_ids(actor)
    ids |= current_class_ids_of(children_ids(actor) | own_student_ids(actor))
    return ids


def can_see_student(actor: Actor, student_id: int) -> bool:
    """Parents see only their children, pupils only themselves (R-ROLE-PARENT, -STUDENT)."""
    student = Student.get_or_none(Student.id == student_id)
    if student is None or student.school_id != actor.school_id:
        return False
    if actor.school_wide or actor.has(R.SECRETARY):
        return True
    if student_id in children_ids(actor) or student_id in own_student_ids(actor):
        return True
    classes = {
        e.school_class_id
        for e in Enrollment.select(Enrollment.school_class).where(Enrollment.student == student_id)
    }
    return bool(classes & (led_class_ids(actor) | taught_class_ids(actor)))


def require_student_visible(actor: Actor, student_id: int) -> Student:
    student = student_in_school(actor, student_id)
    if not can_see_student(actor, student_id):
        raise deny("сведения об этом учащемся")
    return student


def can_edit_personal_data(actor: Actor, student_id: int) -> bool:
    """Secretary and admin edit any card; a class teacher edits his class's cards (R-CT-2)."""
    if actor.has(R.ADMIN, R.SECRETARY):
        return True
    classes = {
        e.school_class_id
        for e in Enrollment.select(Enrollment.school_class).where(
            (Enrollment.student == student_id) & Enrollment.end.is_null()
        )
    }
    return bool(classes & led_class_ids(actor))


def teaches(actor: Actor, class_id: int, subject_id: int, group_id: int | None = None) -> bool:
    """Whether the actor is assigned to teach this subject in this class (or its subgroup)."""
    if actor.user_id is None:
        return False
    query = Assignment.select().where(
        (Assignment.teacher == actor.user_id)
        & (Assignment.school_class == class_id)
        & (Assignment.subject == subject_id)
    )
    if group_id is not None:
        query = query.where((Assignment.group == group_id) | Assignment.group.is_null())
    return query.exists()


def can_write_lesson(actor: Actor, lesson: Lesson) -> bool:
    """A teacher writes in his own classes/groups and subjects, and in lessons he substitutes."""
    if lesson.school_class.school_id != actor.school_id or actor.user_id is None:
        return False
    if not actor.has(R.TEACHER, R.EDUCATOR):
        return False
    if lesson.teacher_id == actor.user_id:
        return True
    return teaches(actor, lesson.school_class_id, lesson.subject_id, lesson.group_id)


def require_lesson_writable(actor: Actor, lesson: Lesson) -> None:
    if not can_write_lesson(actor, lesson):
        raise deny("запись в журнал этого класса по этому предмету")


def group_student_ids(group_id: int) -> set[int]:
    return {
        m.student_id
        for m in GroupMember.select(GroupMember.student).where(
            (GroupMember.group == group_id) & GroupMember.end.is_null()
        )
    }


def user_in_school(actor: Actor, login: str) -> User:
    user = User.get_or_none((User.login == login) & (User.school == actor.school_id))
    if user is None:
        raise NotFound(t("err.user_not_found", login=login))
    return user
