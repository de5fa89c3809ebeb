"""Accounts: creating users, their roles, passwords and states (R-ACC-1, R-ACC-2)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from peewee import JOIN, fn

from tui_journal.db.models import (
    GuardianLink,
    LoginEvent,
    SchoolClass,
    Student,
    User,
    UserRole,
    now,
    search_key_for,
)
from tui_journal.i18n import t
from tui_journal.services import access, audit, user_text
from tui_journal.services import roles as R
from tui_journal.services.actor import Actor
from tui_journal.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tui_journal.services.passwords import (
    check_password_rules,
    hash_password,
    one_time_password,
)
from tui_journal.services.tx import write_tx

LOGIN_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{2,31}$")


@dataclass(frozen=True)
class UserInfo:
    id: int
    login: str
    last_name: str
    first_name: str
    middle_name: str
    roles: tuple[str, ...]
    state: str
    has_password: bool
    must_change_password: bool
    last_login_at: dt.datetime | None
    phone: str
    email: str
    led_classes: tuple[str, ...] = ()
    previous_login_at: dt.datetime | None = None  # the login before this session's (get_user only)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    @property
    def short_name(self) -> str:
        initials = "".join(f" {p[0]}." for p in (self.first_name, self.middle_name) if p)
        return f"{self.last_name}{initials}"


def split_full_name(text: str) -> tuple[str, str, str]:
    """"Фамилия Имя Отчество" → its parts; a missing patronymic is allowed."""
    parts = text.split()
    if len(parts) < 2:
        raise InvalidInput(t("err.name_required"))
    return parts[0], parts[1], " ".join(parts[2:])


def person_fields(last: str, first: str, middle: str, phone: str, email: str) -> tuple[str, str, str, str, str]:
    """A person's name and contacts through the one text boundary (markup such as [ ] is
    stored as typed; control, bidi and zero-width characters are refused)."""
    return (
        user_text.clean(last, "name", field="фамилия"),
        user_text.clean(first, "name", field="имя"),
        user_text.clean(middle, "name", field="отчество"),
        user_text.clean(phone, "phone", field="телефон"),
        user_text.clean(email, "email", field="e-mail"),
    )


def _check_roles(roles: Iterable[str]) -> list[str]:
    result = []
    for role in roles:
        if role not in R.ALL_ROLES:
            raise InvalidInput(t("err.role_unknown", role=role, roles=", ".join(R.ALL_ROLES)))
        if role not in result:
            result.append(role)
    return result


def _info(user: User) -> UserInfo:
    led = tuple(
        f"{c.grade}{c.letter}"
        for c in SchoolClass.select().where(SchoolClass.class_teacher == user.id)
    )
    return UserInfo(
        id=user.id,
        login=user.login,
        last_name=user.last_name,
        first_name=user.first_name,
        middle_name=user.middle_name,
        roles=access.roles_of(user.id),
        state=user.state,
        has_password=bool(user.password_hash),
        must_change_password=user.must_change_password,
        last_login_at=user.last_login_at,
        phone=user.phone,
        email=user.email,
        led_classes=led,
    )


def add_user(
    actor: Actor,
    login: str,
    last_name: str,
    first_name: str,
    middle_name: str = "",
    *,
    roles: Sequence[str] = (),
    password: str | None = None,
    one_time: bool = False,
    phone: str = "",
    email: str = "",
) -> UserInfo:
    """Create an account (only the admin creates accounts, R-ACC-1)."""
    access.require_admin(actor, "создание учётных записей")
    login = user_text.clean(login, "login", field="логин")
    if not LOGIN_RE.match(login):
        raise InvalidInput(t("err.login_bad", login=login))
    last_name, first_name, middle_name, phone, email = person_fields(last_name, first_name, middle_name, phone, email)
    if not last_name or not first_name:
        raise InvalidInput(t("err.name_required"))
    role_list = _check_roles(roles)
    if password is not None:
        check_password_rules(password, login)
    with write_tx():
        if User.select().where(fn.lower(User.login) == login.lower()).exists():
            raise Conflict(t("err.login_taken", login=login))
        user = User.create(
            school=actor.school_id,
            login=login,
            last_name=last_name,
            first_name=first_name,
            middle_name=middle_name,
            password_hash=hash_password(password) if password is not None else None,
            must_change_password=one_time,
            phone=phone,
            email=email,
            search_key=search_key_for(last_name, first_name, middle_name, login),
        )
        for role in role_list:
            UserRole.create(user=user, role=role)
        audit.record_creation(
            actor,
            "user",
            login,
            {
                "login": login,
                "name": " ".join(p for p in (last_name, first_name, middle_name) if p),
                "roles": ", ".join(role_list),
                "password": "(задан)" if password is not None else None,
                "one_time": one_time or None,
                "phone": phone,
                "email": email,
            },
        )
    return _info(user)


def list_users(
    actor: Actor, *, role: str | None = None, search: str | None = None, include_removed: bool = False
) -> list[UserInfo]:
    """Users of the school; staff roles that manage people only (admin, director, deputy, secretary)."""
    access.require_any_role(
        actor, R.ADMIN, R.DIRECTOR, R.DEPUTY, R.SECRETARY, what="список пользователей"
    )
    query = User.select().where(User.school == actor.school_id)
    if not include_removed:
        query = query.where(User.state != "removed")
    if role:
        _check_roles([role])
        query = query.join(UserRole, JOIN.INNER).where(UserRole.role == role)
    if search and search.strip():
        query = query.where(User.search_key.contains(search_key_for(search.strip())))
    query = query.order_by(User.last_name, User.first_name, User.login)
    return [_info(u) for u in query]


def get_user(actor: Actor, login: str) -> UserInfo:
    """One account; anybody may see his own, the managing roles anybody's."""
    user = access.user_in_school(actor, login)
    if user.id != actor.user_id:
        access.require_any_role(
            actor, R.ADMIN, R.DIRECTOR, R.DEPUTY, R.SECRETARY, what="сведения о пользователе"
        )
    logins = (
        LoginEvent.select(LoginEvent.at)
        .where((LoginEvent.user == user.id) & LoginEvent.outcome.in_(("ok", "must_change")))
        .order_by(LoginEvent.at.desc(), LoginEvent.id.desc())
        .limit(2)
    )
    times = [e.at for e in logins]
    return replace(_info(user), previous_login_at=times[1] if len(times) > 1 else None)


def _class_teacher_may_issue(actor: Actor, user: User) -> bool:
    """R-ACC-2: the class teacher issues credentials to his class's pupils and their parents."""
    led = access.led_class_ids(actor)
    if not led:
        return False
    roles = set(access.roles_of(user.id))
    if roles - {R.STUDENT, R.PARENT}:
        return False
    student_ids = {s.id for s in Student.select(Student.id).where(Student.user == user.id)}
    student_ids |= {
        g.student_id for g in GuardianLink.select(GuardianLink.student).where(GuardianLink.parent == user.id)
    }
    return bool(access.current_class_ids_of(student_ids) & led)


def set_password(actor: Actor, login: str, password: str | None = None, *, one_time: bool = True) -> str:
    """Set (or generate) a user's password; returns it so a slip can be printed.

    Admin for anybody; a class teacher for his class's pupils and parents (R-ACC-2).
    """
    user = access.user_in_school(actor, login)
    if not actor.has(R.ADMIN) and not _class_teacher_may_issue(actor, user):
        raise PermissionDenied(t("err.denied", what="выдача пароля этому пользователю"))
    if password is None:
        password = one_time_password()
    check_password_rules(password, user.login)
    with write_tx():
        had = bool(user.password_hash)
        User.update(
            password_hash=hash_password(password),
            must_change_password=one_time,
            failed_logins=0,
        ).where(User.id == user.id).execute()
        audit.record(
            actor,
            "update",
            "user",
            login,
            "password",
            "(задан)" if had else None,
            "(одноразовый)" if one_time else "(задан)",
        )
    return password


def change_own_password(actor: Actor, new_password: str, *, old_password: str | None = None) -> None:
    """The user changes his own password (required after a one-time one)."""
    from tui_journal.services.passwords import verify_password

    if actor.user_id is None:
        raise PermissionDenied(t("err.denied", what="смена пароля консоли"))
    user = User.get_by_id(actor.user_id)
    if old_password is not None and not verify_password(user.password_hash, old_password):
        raise InvalidInput(t("err.password_wrong"))
    check_password_rules(new_password, user.login)
    if verify_password(user.password_hash, new_password):
        raise InvalidInput(t("err.password_same"))
    with write_tx():
        User.update(password_hash=hash_password(new_password), must_change_password=False).where(
            User.id == user.id
        ).execute()
        audit.record(actor, "update", "user", user.login, "password", "(задан)", "(изменён владельцем)")


def _set_state(actor: Actor, login: str, state: str, what: str) -> UserInfo:
    access.require_admin(actor, what)
    user = access.user_in_school(actor, login)
    if user.id == actor.user_id and state != "active":
        raise InvalidInput(t("err.self_remove"))
    if state != "active" and R.ADMIN in access.roles_of(user.id):
        _check_not_last_admin(actor, user.id)
    with write_tx():
        follows: dict[str, object] = {}
        if state == "active":
            follows.update(failed_logins=0, locked_at=None)
        elif state == "locked":
            follows["locked_at"] = now()
        audit.save_changes(actor, "user", user, {"state": state}, entity_id=login, derived=follows)
    return _info(User.get_by_id(user.id))


def lock_user(actor: Actor, login: str) -> UserInfo:
    return _set_state(actor, login, "locked", "блокировка учётных записей")


def unlock_user(actor: Actor, login: str) -> UserInfo:
    return _set_state(actor, login, "active", "разблокировка учётных записей")


def remove_user(actor: Actor, login: str) -> UserInfo:
    """Retire an account: it can no longer log in, but its history stays attributable."""
    return _set_state(actor, login, "removed", "удаление учётных записей")


def _check_not_last_admin(actor: Actor, user_id: int) -> None:
    others = (
        User.select()
        .join(UserRole)
        .where(
            (UserRole.role == R.ADMIN)
            & (User.school == actor.school_id)
            & (User.state == "active")
            & (User.id != user_id)
        )
        .exists()
    )
    if not others:
        raise InvalidInput(t("err.last_admin"))


def change_roles(
    actor: Actor, login: str, *, add: Sequence[str] = (), remove: Sequence[str] = ()
) -> UserInfo:
    access.require_admin(actor, "изменение ролей")
    add_list, remove_list = _check_roles(add), _check_roles(remove)
    user = access.user_in_school(actor, login)
    if R.ADMIN in remove_list:
        _check_not_last_admin(actor, user.id)
    with write_tx():
        before = ", ".join(access.roles_of(user.id))
        for role in add_list:
            UserRole.get_or_create(user=user, role=role)
        if remove_list:
            UserRole.delete().where((UserRole.user == user) & UserRole.role.in_(remove_list)).execute()
        after = ", ".join(access.roles_of(user.id))
        audit.record_changes(actor, "user", login, {"roles": before}, {"roles": after})
    return _info(User.get_by_id(user.id))


def update_contacts(
    actor: Actor, login: str, *, phone: str | None = None, email: str | None = None
) -> UserInfo:
    """Edit a user's contacts: the admin, or the user himself."""
    user = access.user_in_school(actor, login)
    if user.id != actor.user_id:
        access.require_admin(actor, "изменение контактов пользователя")
    after = {
        k: user_text.clean(v, kind, field=what)
        for k, v, kind, what in (("phone", phone, "phone", "телефон"), ("email", email, "email", "e-mail"))
        if v is not None
    }
    with write_tx():
        audit.save_changes(actor, "user", user, after, entity_id=login)
    return _info(User.get_by_id(user.id))


def _guardian_pair(actor: Actor, parent_login: str, student_id: int) -> tuple[User, Student]:
    """The parent and the child of a link the actor may make or remove: the admin, the
    secretary, or whoever may edit the child's personal data (his class teacher)."""
    parent = access.user_in_school(actor, parent_login)
    student = access.student_in_school(actor, student_id)
    if not (actor.has(R.ADMIN, R.SECRETARY) or access.can_edit_personal_data(actor, student.id)):
        raise PermissionDenied(t("err.denied", what="связь родителя с учащимся"))
    return parent, student


def link_parent(actor: Actor, parent_login: str, student_id: int, relation: str = "") -> None:
    """Link a parent account to a child (admin, secretary, or the child's class teacher)."""
    parent, student = _guardian_pair(actor, parent_login, student_id)
    if R.PARENT not in access.roles_of(parent.id):
        raise InvalidInput(t("err.not_parent", login=parent_login))
    relation = user_text.clean(relation, "relation", field="кем приходится")
    with write_tx():
        _, created = GuardianLink.get_or_create(
            student=student, parent=parent, defaults={"relation": relation}
        )
        if created:
            audit.record(actor, "create", "guardian_link", f"{parent_login}→{student.id}", "relation", None, relation or "родитель")


def unlink_parent(actor: Actor, parent_login: str, student_id: int) -> None:
    parent, student = _guardian_pair(actor, parent_login, student_id)
    with write_tx():
        deleted = GuardianLink.delete().where(
            (GuardianLink.student == student) & (GuardianLink.parent == parent)
        ).execute()
        if deleted:
            audit.record(actor, "delete", "guardian_link", f"{parent_login}→{student.id}")


def find_user(login: str) -> User | None:
    """Look up an account by login regardless of case (for authentication)."""
    user: User | None = User.get_or_none(fn.lower(User.login) == login.strip().lower())
    return user


def require_user(login: str) -> User:
    user = find_user(login)
    if user is None:
        raise NotFound(t("err.user_not_found", login=login))
    return user
