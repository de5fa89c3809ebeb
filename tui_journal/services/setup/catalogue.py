"""The school's catalogues: rooms, the teachers list, subjects and work types.
"""

from __future__ import annotations

from tui_journal.db.models import (
    Room,
    Subject,
    User,
    UserRole,
    WorkType,
)
from tui_journal.services import audit
from tui_journal.services import roles as R
from tui_journal.services.access import require_admin, require_staff, row_in_school
from tui_journal.services.actor import Actor
from tui_journal.services.checks import (
    clean_text,
    refuse_taken_name,
    room_in_school,
    short_user,
    subject_in_school,
)
from tui_journal.services.errors import InvalidInput
from tui_journal.services.setup.base import Named
from tui_journal.services.tx import write_tx

# --- rooms, subjects, work types --------------------------------------------------------


def list_rooms(actor: Actor) -> list[Named]:
    require_staff(actor, "кабинеты")
    return [Named(r.id, r.name) for r in Room.select().where(Room.school == actor.school_id).order_by(Room.name)]


def list_teachers(actor: Actor) -> list[Named]:
    """The school's active teachers (and educators) for pickers: «Иванова М. И.», login in detail."""
    require_staff(actor, "список учителей")
    teachers = (
        User.select()
        .join(UserRole, on=(UserRole.user == User.id))
        .where(
            (User.school == actor.school_id)
            & (UserRole.role.in_([R.TEACHER, R.EDUCATOR]))
            & (User.state != "removed")
        )
        .distinct()
        .order_by(User.last_name, User.first_name)
    )
    return [Named(u.id, short_user(u), u.login) for u in teachers]


def add_room(actor: Actor, name: str) -> Named:
    require_admin(actor, "кабинеты")
    name = clean_text(name, "кабинет")
    with write_tx():
        refuse_taken_name(Room, actor, name, f"Кабинет «{name}» уже есть")
        room = Room.create(school=actor.school_id, name=name)
        audit.record_creation(actor, "room", room.id, {"name": name})
    return Named(room.id, name)


def rename_room(actor: Actor, room_id: int, name: str) -> Named:
    require_admin(actor, "кабинеты")
    room = room_in_school(actor, room_id)
    name = clean_text(name, "кабинет")
    with write_tx():
        refuse_taken_name(Room, actor, name, f"Кабинет «{name}» уже есть", other_than=room.id)
        audit.save_changes(actor, "room", room, {"name": name})
    return Named(room.id, name)


def list_subjects(actor: Actor) -> list[Named]:
    require_staff(actor, "предметы")
    return [
        Named(s.id, s.name, ", ".join(
            note for note, on in ((SPLIT_NOTE, s.split_into_groups), (NO_CONTROL_NOTE, not s.has_control_works)) if on
        ))
        for s in Subject.select().where(Subject.school == actor.school_id).order_by(Subject.name)
    ]


#: The notes of list_subjects' detail.
SPLIT_NOTE = "делится на группы"
NO_CONTROL_NOTE = "без контрольных"


def add_subject(
    actor: Actor, name: str, short_name: str = "", *, split_into_groups: bool = False, has_control_works: bool = True
) -> Named:
    require_admin(actor, "предметы")
    name = clean_text(name, "название предмета")
    short_name = clean_text(short_name, "краткое название", required=False, kind="short_name")
    with write_tx():
        refuse_taken_name(Subject, actor, name, f"Предмет «{name}» уже есть")
        subject = Subject.create(
            school=actor.school_id, name=name, short_name=short_name, split_into_groups=split_into_groups,
            has_control_works=has_control_works,
        )
        audit.record_creation(
            actor, "subject", subject.id,
            {"name": name, "short_name": short_name, "split_into_groups": split_into_groups or None,
             "has_control_works": None if has_control_works else False},
        )
    return Named(subject.id, name)


def update_subject(
    actor: Actor,
    subject_id: int,
    *,
    name: str | None = None,
    short_name: str | None = None,
    split_into_groups: bool | None = None,
    has_control_works: bool | None = None,
) -> Named:
    """Rename, or change whether the subject splits into groups and whether it has control
    works (without them the deputy's objectivity check does not ask for one)."""
    require_admin(actor, "предметы")
    subject = subject_in_school(actor, subject_id)
    after: dict[str, object] = {}
    if name is not None:
        after["name"] = clean_text(name, "название предмета")
    if short_name is not None:
        after["short_name"] = clean_text(short_name, "краткое название", required=False, kind="short_name")
    if split_into_groups is not None:
        after["split_into_groups"] = split_into_groups
    if has_control_works is not None:
        after["has_control_works"] = has_control_works
    with write_tx():
        if "name" in after:
            refuse_taken_name(Subject, actor, after["name"], f"Предмет «{after['name']}» уже есть", other_than=subject.id)
        audit.save_changes(actor, "subject", subject, after)
    return Named(subject.id, str(after.get("name", subject.name)))


def list_work_types(actor: Actor) -> list[Named]:
    require_staff(actor, "виды работ")
    return [
        Named(w.id, w.name, f"вес {w.weight:g}" + (", контрольная" if w.is_control else ""))
        for w in WorkType.select().where(WorkType.school == actor.school_id).order_by(WorkType.id)
    ]


def check_weight(weight: float) -> float:
    if not 0 < weight <= 10:
        raise InvalidInput(f"Вес вида работы должен быть больше 0 и не больше 10, а не {weight}")
    return float(weight)


def add_work_type(
    actor: Actor, name: str, weight: float = 1.0, *, short_name: str = "", is_control: bool = False
) -> Named:
    require_admin(actor, "виды работ")
    name = clean_text(name, "вид работы")
    short_name = clean_text(short_name, "краткое название", required=False, kind="short_name")
    weight = check_weight(weight)
    with write_tx():
        refuse_taken_name(WorkType, actor, name, f"Вид работы «{name}» уже есть")
        wt = WorkType.create(
            school=actor.school_id, name=name, short_name=short_name, weight=weight, is_control=is_control
        )
        audit.record_creation(
            actor, "work_type", wt.id,
            {"name": name, "short_name": short_name, "weight": weight, "is_control": is_control or None},
        )
    return Named(wt.id, name, f"вес {weight:g}")


def update_work_type(
    actor: Actor,
    work_type_id: int,
    *,
    name: str | None = None,
    weight: float | None = None,
    short_name: str | None = None,
    is_control: bool | None = None,
) -> Named:
    require_admin(actor, "виды работ")
    wt = row_in_school(WorkType, actor, work_type_id, f"Вид работы не найден: {work_type_id}")
    after: dict[str, object] = {}
    if name is not None:
        after["name"] = clean_text(name, "вид работы")
    if weight is not None:
        after["weight"] = check_weight(weight)
    if short_name is not None:
        after["short_name"] = clean_text(short_name, "краткое название", required=False, kind="short_name")
    if is_control is not None:
        after["is_control"] = is_control
    with write_tx():
        if "name" in after:
            refuse_taken_name(WorkType, actor, after["name"], f"Вид работы «{after['name']}» уже есть", other_than=wt.id)
        audit.save_changes(actor, "work_type", wt, after)
    return Named(wt.id, str(after.get("name", wt.name)))
