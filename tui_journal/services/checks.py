"""Lookups and checks that several admin services share (setup, timetable, enrollment,
rollover): the school's year, subject, teacher or group by id, refusing what is not there or
closed, a name through the text boundary, and the one-name-per-school rule of the catalogues.
Permission checks live in :mod:`access`."""

from __future__ import annotations

from typing import Any

from tui_journal.db.models import AcademicYear, Group, Room, SchoolClass, Subject, User
from tui_journal.domain.text import surname_initials
from tui_journal.services import access, user_text
from tui_journal.services import roles as R
from tui_journal.services.actor import Actor
from tui_journal.services.errors import Conflict, InvalidInput, NotFound
from tui_journal.services.journal import class_label


def clean_text(text: str, what: str, *, required: bool = True, kind: str = "name") -> str:
    """Trimmed text through the one text boundary (markup such as [ ] is kept as typed)."""
    return user_text.clean(text, kind, field=what, required=required)


def refuse_taken_name(model: Any, actor: Actor, name: object, message: str, *, other_than: int | None = None) -> None:
    """Refuse with ``message`` when another row of ``model`` in the actor's school has ``name``.

    Rooms, subjects, work types, bell schedules and years are picked by name, so two of one
    name in a school would be two rows nobody can tell apart; ``other_than`` is the row being
    renamed. Call inside the write transaction, so the check and the write are one.
    """
    query = model.select().where((model.school == actor.school_id) & (model.name == name))
    if other_than is not None:
        query = query.where(model.id != other_than)
    if query.exists():
        raise Conflict(message)


def year_in_school(actor: Actor, year_id: int) -> AcademicYear:
    return access.row_in_school(AcademicYear, actor, year_id, f"Учебный год не найден: {year_id}")


def open_year(actor: Actor, year_id: int) -> AcademicYear:
    year = year_in_school(actor, year_id)
    if year.closed:
        raise InvalidInput(f"Учебный год {year.name} закрыт: изменения невозможны")
    return year


def subject_in_school(actor: Actor, subject_id: int) -> Subject:
    return access.row_in_school(Subject, actor, subject_id, f"Предмет не найден: {subject_id}")


def room_in_school(actor: Actor, room_id: int) -> Room:
    return access.row_in_school(Room, actor, room_id, f"Кабинет не найден: {room_id}")


def teacher_by_login(actor: Actor, login: str) -> User:
    user = access.user_in_school(actor, login)
    if not set(access.roles_of(user.id)) & {R.TEACHER, R.EDUCATOR}:
        raise InvalidInput(f"«{login}» не учитель и не воспитатель: назначить нельзя")
    if user.state != "active":
        raise InvalidInput(f"Учётная запись «{login}» не активна")
    return user


def short_user(user: User | None) -> str:
    if user is None:
        return ""
    return surname_initials(user.last_name, user.first_name, user.middle_name or None)


def group_in_class(cls: SchoolClass, group_id: int | None) -> Group | None:
    if group_id is None:
        return None
    group = Group.get_or_none((Group.id == group_id) & (Group.school_class == cls.id))
    if group is None:
        raise NotFound(f"Группа не найдена в классе {class_label(cls)}: {group_id}")
    return group
