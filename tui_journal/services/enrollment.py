"""Pupils and their movement (R-SEC-1): search, enrolment, arrival, departure, transfer, the
class lists, and the personal cards with the parents' contacts (R-CT-2).

The secretary and the admin move pupils; every move takes a date and an order number and is
one :class:`Enrollment` row (the movement log), so the class lists, the journals and the
movement report change at once. Personal cards and the parents' contacts are edited by the
secretary, the admin and the class teacher of the pupil's class; every change of personal
data is audited field by field.

Search works on ``search_key`` (Python's casefold, ё as е): SQLite's lower() does not fold
Cyrillic.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from peewee import Case, fn

from tui_journal import clock
from tui_journal.db.models import (
    AcademicYear,
    Enrollment,
    Group,
    GroupMember,
    GuardianLink,
    SchoolClass,
    Student,
    User,
    UserRole,
    search_key_for,
)
from tui_journal.domain import ru_words as words
from tui_journal.services import access, audit
from tui_journal.services import roles as R
from tui_journal.services.actor import Actor
from tui_journal.services.checks import clean_text
from tui_journal.services.errors import Conflict, InvalidInput, NotFound
from tui_journal.services.journal import class_label
from tui_journal.services.roster import on_roll
from tui_journal.services.tx import write_tx

SEARCH_LIMIT = 30
MIN_AGE, MAX_AGE = 1, 30
PHONE_RE = re.compile(r"^\+?[\d\s()\-]{5,24}$")
SEXES = {"м": "м", "ж": "ж", "муж": "м", "жен": "ж", "m": "м", "f": "ж", "мужской": "м", "женский": "ж"}
CARD_FIELDS = ("last_name", "first_name", "middle_name", "birth_date", "sex", "address", "notes")
GUARDIAN_FIELDS = ("last_name", "first_name", "middle_name", "phone", "email", "relation")

_TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t",
         "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"],
        strict=True,
    )
)


# --- values -------------------------------------------------------------------------------


@dataclass(frozen=True)
class StudentHit:
    """A line of a search result or a class list."""

    id: int
    full_name: str
    birth_date: dt.date | None
    class_id: int | None  # the class he is on the roll of now; None once he has left
    class_name: str
    status: str  # «7А», «выбыл 12.10.2026 (школа № 5)»


@dataclass(frozen=True)
class GuardianView:
    login: str
    full_name: str
    last_name: str
    first_name: str
    middle_name: str
    phone: str
    email: str
    relation: str


@dataclass(frozen=True)
class MovementView:
    enrollment_id: int
    student_id: int
    student: str
    class_id: int
    class_name: str
    start: dt.date
    end: dt.date | None
    order_in: str
    order_out: str
    came_from: str
    went_to: str


@dataclass(frozen=True)
class StudentCard:
    id: int
    last_name: str
    first_name: str
    middle_name: str
    birth_date: dt.date | None
    sex: str
    address: str
    notes: str
    contacts_checked_at: dt.date | None
    class_id: int | None
    class_name: str
    guardians: tuple[GuardianView, ...]
    history: tuple[MovementView, ...]
    editable: bool
    personal_file_no: str = ""  # номер личного дела («П-12»: the surname's letter, the book's number)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)


@dataclass(frozen=True)
class ParentData:
    last_name: str
    first_name: str
    middle_name: str = ""
    phone: str = ""
    relation: str = ""  # мать, отец, опекун
    email: str = ""


@dataclass(frozen=True)
class NewPupil:
    last_name: str
    first_name: str
    middle_name: str
    birth_date: dt.date | None
    sex: str
    parents: tuple[ParentData, ...] = field(default_factory=tuple)
    address: str = ""
    personal_file_no: str = ""  # empty: the next number of the surname's letter (see next_file_no)


@dataclass(frozen=True)
class Movement:
    """One line of the movement log for a span of dates (R-REP-7 builds on it)."""

    date: dt.date
    kind: str  # прибыл | выбыл | переведён | зачислен
    student_id: int
    student: str
    from_class: str
    to_class: str
    order: str
    where: str  # откуда / куда


# --- checks -------------------------------------------------------------------------------


def _require_movers(actor: Actor, what: str) -> None:
    access.require_any_role(actor, R.ADMIN, R.SECRETARY, what=what)


def _managers(actor: Actor) -> bool:
    return actor.school_wide or actor.has(R.SECRETARY)


def _full(last: str, first: str, middle: str) -> str:
    return " ".join(p for p in (last, first, middle) if p)


def _check_sex(value: str, *, required: bool = True) -> str:
    text = (value or "").strip().casefold()
    if not text and not required:
        return ""
    if text not in SEXES:
        raise InvalidInput(f"Пол «{value}» непонятен: м или ж")
    return SEXES[text]


def _check_phone(value: str) -> str:
    phone = clean_text(value, "телефон", required=False, kind="phone")
    if phone and not PHONE_RE.match(phone):
        raise InvalidInput(f"Телефон «{phone}» непонятен: пример +7 900 123-45-67")
    return phone


def _check_birth(birth: dt.date | None, on: dt.date) -> None:
    if birth is None:
        raise InvalidInput("Не указана дата рождения")
    if birth > on:
        raise InvalidInput(f"Дата рождения {birth:%d.%m.%Y} позже даты {on:%d.%m.%Y}")
    age = (on - birth).days / 365.25
    if not MIN_AGE <= age <= MAX_AGE:
        raise InvalidInput(f"Дата рождения {birth:%d.%m.%Y}: возраст {age:.0f} лет невозможен для учащегося")


def check_order(order: str) -> str:
    return clean_text(order, "номер приказа", kind="order")


def _open_class_for(actor: Actor, class_id: int, on: dt.date) -> SchoolClass:
    cls = access.class_in_school(actor, class_id)
    year = AcademicYear.get_by_id(cls.year_id)
    if year.closed:
        raise InvalidInput(f"Учебный год {year.name} закрыт: движение учащихся в нём невозможно")
    check_in_year(on, year.start, year.end, year.name, class_label(cls))
    return cls


def check_in_year(on: dt.date, start: dt.date, end: dt.date, year: str, class_name: str) -> None:
    """A date of a class's record (enrolment, departure, lesson) lies inside the class's year."""
    if not start <= on <= end:
        raise InvalidInput(f"Дата {on:%d.%m.%Y} вне {year} учебного года класса {class_name}")


def _current(student_id: int) -> Enrollment | None:
    row: Enrollment | None = (
        Enrollment.select(Enrollment, SchoolClass)
        .join(SchoolClass)
        .where((Enrollment.student == student_id) & Enrollment.end.is_null())
        .order_by(Enrollment.start.desc())
        .first()
    )
    return row


def _can_read_card(actor: Actor, student_id: int) -> bool:
    if _managers(actor):
        return True
    if access.can_edit_personal_data(actor, student_id):
        return True
    return student_id in access.children_ids(actor) | access.own_student_ids(actor)


def _require_card_editor(actor: Actor, student: Student) -> None:
    if not access.can_edit_personal_data(actor, student.id):
        raise access.deny("личные дела учащихся этого класса")


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
        hits.append(StudentHit(s.id, _full(s.last_name, s.first_name, s.middle_name), s.birth_date, class_id, name, status))
    return hits


def search_students(actor: Actor, text: str, *, limit: int = SEARCH_LIMIT) -> list[StudentHit]:
    """Pupils whose name contains ``text`` anywhere in the school (surnames starting with it first).

    The secretary and the school-wide roles find anybody; a teacher only the pupils of the
    classes he leads or teaches.
    """
    if not (_managers(actor) or actor.has(R.TEACHER, R.EDUCATOR)):
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
    if not _managers(actor):
        classes = access.led_class_ids(actor) | access.taught_class_ids(actor)
        on_roll = Enrollment.select(Enrollment.student).where(
            Enrollment.school_class.in_(classes or {-1}) & Enrollment.end.is_null()
        )
        query = query.where(Student.id.in_(on_roll))
    return _hits(list(query.limit(max(1, min(limit, 200)))))


def class_list(actor: Actor, class_id: int, on: dt.date | None = None) -> list[StudentHit]:
    """The pupils on the roll of a class now, or on a given date."""
    cls = access.class_in_school(actor, class_id)
    if not (_managers(actor) or cls.id in access.led_class_ids(actor) | access.taught_class_ids(actor)):
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


def _guardians(student_id: int) -> tuple[GuardianView, ...]:
    rows = (
        GuardianLink.select(GuardianLink, User)
        .join(User, on=(GuardianLink.parent == User.id))
        .where(GuardianLink.student == student_id)
        .order_by(GuardianLink.id)
    )
    return tuple(
        GuardianView(
            g.parent.login, _full(g.parent.last_name, g.parent.first_name, g.parent.middle_name),
            g.parent.last_name, g.parent.first_name, g.parent.middle_name, g.parent.phone, g.parent.email, g.relation,
        )
        for g in rows
    )


def _history(student: Student) -> tuple[MovementView, ...]:
    rows = (
        Enrollment.select(Enrollment, SchoolClass)
        .join(SchoolClass)
        .where(Enrollment.student == student.id)
        .order_by(Enrollment.start, Enrollment.id)
    )
    name = _full(student.last_name, student.first_name, student.middle_name)
    return tuple(
        MovementView(
            e.id, student.id, name, e.school_class_id, class_label(e.school_class), e.start, e.end,
            e.order_in, e.order_out, e.came_from, e.went_to,
        )
        for e in rows
    )


def student_card(actor: Actor, student_id: int) -> StudentCard:
    """The personal card: the secretary, the school-wide roles, the class teacher, parents, the pupil."""
    student = access.student_in_school(actor, student_id)
    if not _can_read_card(actor, student.id):
        raise access.deny("личное дело учащегося")
    current = _current(student.id)
    return StudentCard(
        student.id, student.last_name, student.first_name, student.middle_name, student.birth_date, student.sex,
        student.address, student.notes, student.contacts_checked_at,
        current.school_class_id if current else None, class_label(current.school_class) if current else "",
        _guardians(student.id), _history(student), access.can_edit_personal_data(actor, student.id),
        student.personal_file_no,
    )


#: A transfer or a promotion closes one enrolment and opens the next by the same order.
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
        name = _full(e.student.last_name, e.student.first_name, e.student.middle_name)
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


# --- parents --------------------------------------------------------------------------------


def _translit(text: str) -> str:
    out = "".join(_TRANSLIT.get(ch, ch) for ch in text.casefold())
    return re.sub(r"[^a-z0-9]", "", out)


def free_login(last: str, first: str) -> str:
    base = (_translit(last)[:20] or "parent") + "." + (_translit(first)[:1] or "x")
    if len(base) < 3:
        base = base + "00"
    candidate, n = base, 1
    while User.select().where(fn.lower(User.login) == candidate.lower()).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


def _check_parent(parent: ParentData) -> ParentData:
    return ParentData(
        clean_text(parent.last_name, "фамилия родителя"),
        clean_text(parent.first_name, "имя родителя"),
        clean_text(parent.middle_name, "отчество родителя", required=False),
        _check_phone(parent.phone),
        clean_text(parent.relation, "кем приходится", required=False, kind="relation"),
        clean_text(parent.email, "e-mail родителя", required=False, kind="email"),
    )


def _parent_user(actor: Actor, parent: ParentData) -> User:
    """The parent's person record: an existing parent with the same name and phone, or a new one.

    A new parent gets a login but no password: he cannot log in until the class teacher or the
    admin issues credentials (R-ACC-2).
    """
    digits = re.sub(r"\D", "", parent.phone)
    candidates = (
        User.select()
        .join(UserRole)
        .where(
            (User.school == actor.school_id)
            & (UserRole.role == R.PARENT)
            & (User.search_key.startswith(search_key_for(parent.last_name, parent.first_name)))
        )
    )
    for user in candidates:
        same_name = _full(user.last_name, user.first_name, user.middle_name).casefold() == _full(
            parent.last_name, parent.first_name, parent.middle_name
        ).casefold()
        if same_name and re.sub(r"\D", "", user.phone) == digits:
            return user
    login = free_login(parent.last_name, parent.first_name)
    user = User.create(
        school=actor.school_id, login=login, last_name=parent.last_name, first_name=parent.first_name,
        middle_name=parent.middle_name, phone=parent.phone, email=parent.email,
        search_key=search_key_for(parent.last_name, parent.first_name, parent.middle_name, login),
    )
    UserRole.create(user=user, role=R.PARENT)
    audit.record_creation(
        actor, "user", login,
        {"login": login, "name": _full(parent.last_name, parent.first_name, parent.middle_name), "roles": R.PARENT,
         "phone": parent.phone, "email": parent.email},
    )
    return user


def _link(actor: Actor, student: Student, user: User, relation: str) -> None:
    _, created = GuardianLink.get_or_create(student=student, parent=user, defaults={"relation": relation})
    if created:
        audit.record(actor, "create", "guardian_link", f"{user.login}→{student.id}", "relation", None, relation or "родитель")


def add_guardian(actor: Actor, student_id: int, parent: ParentData) -> GuardianView:
    """Add a parent (with phone) to a pupil's card: secretary, admin, or the class teacher (R-CT-2)."""
    student = access.student_in_school(actor, student_id)
    _require_card_editor(actor, student)
    parent = _check_parent(parent)
    with write_tx():
        user = _parent_user(actor, parent)
        _link(actor, student, user, parent.relation)
    return next(g for g in _guardians(student.id) if g.login == user.login)


def update_guardian(
    actor: Actor,
    student_id: int,
    parent_login: str,
    *,
    last_name: str | None = None,
    first_name: str | None = None,
    middle_name: str | None = None,
    phone: str | None = None,
    email: str | None = None,
    relation: str | None = None,
) -> GuardianView:
    """Correct a parent's name and contacts, field by field (R-CT-2: verified monthly)."""
    student = access.student_in_school(actor, student_id)
    _require_card_editor(actor, student)
    user = access.user_in_school(actor, parent_login)
    link = GuardianLink.get_or_none((GuardianLink.student == student.id) & (GuardianLink.parent == user.id))
    if link is None:
        raise NotFound(f"«{parent_login}» не указан родителем этого учащегося")
    after: dict[str, object] = {}
    for name, value, what, required in (
        ("last_name", last_name, "фамилия родителя", True),
        ("first_name", first_name, "имя родителя", True),
        ("middle_name", middle_name, "отчество родителя", False),
        ("email", email, "e-mail родителя", False),
    ):
        if value is not None:
            after[name] = clean_text(value, what, required=required)
    if phone is not None:
        after["phone"] = _check_phone(phone)
    new_relation = clean_text(relation, "кем приходится", required=False, kind="relation") if relation is not None else None
    with write_tx():
        before = {k: getattr(user, k) for k in after}
        changed = {k: v for k, v in after.items() if before[k] != v}
        if changed:
            names = {k: changed.get(k, getattr(user, k)) for k in ("last_name", "first_name", "middle_name")}
            changed_key = search_key_for(str(names["last_name"]), str(names["first_name"]), str(names["middle_name"]), user.login)
            User.update(**changed, search_key=changed_key).where(User.id == user.id).execute()
            audit.record_changes(actor, "user", user.login, before, changed)
        if new_relation is not None and new_relation != link.relation:
            GuardianLink.update(relation=new_relation).where(GuardianLink.id == link.id).execute()
            audit.record(actor, "update", "guardian_link", f"{user.login}→{student.id}", "relation", link.relation, new_relation)
    return next(g for g in _guardians(student.id) if g.login == user.login)


# --- the personal card --------------------------------------------------------------------


def update_student(
    actor: Actor,
    student_id: int,
    *,
    last_name: str | None = None,
    first_name: str | None = None,
    middle_name: str | None = None,
    birth_date: dt.date | None = None,
    sex: str | None = None,
    address: str | None = None,
    notes: str | None = None,
    personal_file_no: str | None = None,
) -> StudentCard:
    """Edit the personal card; one audit row per changed field."""
    student = access.student_in_school(actor, student_id)
    _require_card_editor(actor, student)
    after: dict[str, object] = {}
    for name, value, what, required, kind in (
        ("last_name", last_name, "фамилия", True, "name"),
        ("first_name", first_name, "имя", True, "name"),
        ("middle_name", middle_name, "отчество", False, "name"),
        ("address", address, "адрес", False, "address"),
        ("notes", notes, "заметки", False, "notes"),
        ("personal_file_no", personal_file_no, "номер личного дела", False, "short_name"),
    ):
        if value is not None:
            after[name] = clean_text(value, what, required=required, kind=kind)
    if birth_date is not None:
        _check_birth(birth_date, clock.today())
        after["birth_date"] = birth_date
    if sex is not None:
        after["sex"] = _check_sex(sex)
    with write_tx():
        before = {k: getattr(student, k) for k in after}
        changed = {k: v for k, v in after.items() if before[k] != v}
        if changed.get("personal_file_no"):
            _check_file_no_free(actor, str(changed["personal_file_no"]), student.id)
        if changed:
            names = {k: changed.get(k, getattr(student, k)) for k in ("last_name", "first_name", "middle_name")}
            key = search_key_for(str(names["last_name"]), str(names["first_name"]), str(names["middle_name"]))
            Student.update(**changed, search_key=key).where(Student.id == student.id).execute()
            audit.record_changes(actor, "student", student.id, before, changed)
    return student_card(actor, student.id)


def confirm_contacts(actor: Actor, student_id: int, on: dt.date | None = None) -> StudentCard:
    """The class teacher's monthly check of the parents' contacts (R-CT-2)."""
    student = access.student_in_school(actor, student_id)
    _require_card_editor(actor, student)
    day = on or clock.today()
    with write_tx():
        Student.update(contacts_checked_at=day).where(Student.id == student.id).execute()
        audit.record_changes(
            actor, "student", student.id, {"contacts_checked_at": student.contacts_checked_at}, {"contacts_checked_at": day}
        )
    return student_card(actor, student.id)


# --- movement -----------------------------------------------------------------------------


def _close_groups(student_id: int, class_id: int, last_day: dt.date) -> None:
    groups = Group.select(Group.id).where(Group.school_class == class_id)
    GroupMember.update(end=last_day).where(
        (GroupMember.student == student_id) & GroupMember.group.in_(groups) & GroupMember.end.is_null()
    ).execute()


def _new_enrollment(
    actor: Actor, student: Student, cls: SchoolClass, on: dt.date, order: str, came_from: str
) -> Enrollment:
    row = Enrollment.create(student=student, school_class=cls, start=on, order_in=order, came_from=came_from)
    audit.record_creation(
        actor, "enrollment", row.id,
        {"student": student.id, "class": class_label(cls), "start": on, "order_in": order, "came_from": came_from},
    )
    return row


def next_file_no(school_id: int, last_name: str) -> str:
    """The next personal-file number of the alphabetical book: the surname's first letter and
    one more than the highest number of that letter in the school («П-12» after «П-11»)."""
    letter = next((c for c in last_name if c.isalpha()), "?").upper()
    highest = 0
    numbers: list[str] = [
        s.personal_file_no for s in Student.select(Student.personal_file_no).where(
            (Student.school == school_id) & Student.personal_file_no.startswith(f"{letter}-")
        )
    ]
    for number in numbers:
        tail = number.split("-", 1)[1]
        if tail.isdigit():
            highest = max(highest, int(tail))
    return f"{letter}-{highest + 1}"


def _check_file_no_free(actor: Actor, number: str, student_id: int | None) -> None:
    twin = Student.get_or_none(
        (Student.school == actor.school_id) & (Student.personal_file_no == number)
        & (Student.id != (student_id or -1))
    )
    if twin is not None:
        raise Conflict(f"Номер личного дела {number} уже у {_full(twin.last_name, twin.first_name, twin.middle_name)}")


def pupil_values(pupil: NewPupil, on: dt.date) -> NewPupil:
    last = clean_text(pupil.last_name, "фамилия")
    first = clean_text(pupil.first_name, "имя")
    middle = clean_text(pupil.middle_name, "отчество", required=False)
    _check_birth(pupil.birth_date, on)
    sex = _check_sex(pupil.sex)
    address = clean_text(pupil.address, "адрес", required=False, kind="address")
    parents = tuple(_check_parent(p) for p in pupil.parents)
    file_no = clean_text(pupil.personal_file_no, "номер личного дела", required=False, kind="short_name")
    return NewPupil(last, first, middle, pupil.birth_date, sex, parents, address, file_no)


def find_duplicate(actor: Actor, pupil: NewPupil) -> Student | None:
    found: Student | None = Student.get_or_none(
        (Student.school == actor.school_id)
        & (Student.search_key == search_key_for(pupil.last_name, pupil.first_name, pupil.middle_name))
        & (Student.birth_date == pupil.birth_date)
    )
    return found


def enroll_new(
    actor: Actor, pupil: NewPupil, class_id: int, on: dt.date, order: str, *, came_from: str = ""
) -> StudentCard:
    """A new pupil with his parents, in one go: the card, the enrolment and the parents' records."""
    _require_movers(actor, "зачисление учащихся")
    cls = _open_class_for(actor, class_id, on)
    pupil = pupil_values(pupil, on)
    order = check_order(order)
    came_from = clean_text(came_from, "откуда прибыл", required=False, kind="place")
    with write_tx():
        student = create_pupil(actor, pupil, cls, on, order, came_from)
    return student_card(actor, student.id)


def create_pupil(actor: Actor, pupil: NewPupil, cls: SchoolClass, on: dt.date, order: str, came_from: str) -> Student:
    twin = find_duplicate(actor, pupil)
    if twin is not None:
        current = _current(twin.id)
        sex = words.sex_of(twin.middle_name, twin.sex)
        where = class_label(current.school_class) if current else words.gendered("выбыл", sex)
        raise Conflict(
            f"{words.gendered('Учащийся', sex)} {_full(twin.last_name, twin.first_name, twin.middle_name)}, "
            f"{pupil.birth_date:%d.%m.%Y} г. р., уже есть ({where}): оформите прибытие или перевод"
        )
    file_no = pupil.personal_file_no or next_file_no(actor.school_id, pupil.last_name)
    _check_file_no_free(actor, file_no, None)
    student = Student.create(
        school=actor.school_id, last_name=pupil.last_name, first_name=pupil.first_name,
        middle_name=pupil.middle_name, birth_date=pupil.birth_date, sex=pupil.sex, address=pupil.address,
        search_key=search_key_for(pupil.last_name, pupil.first_name, pupil.middle_name),
        personal_file_no=file_no,
    )
    audit.record_creation(
        actor, "student", student.id,
        {"last_name": pupil.last_name, "first_name": pupil.first_name, "middle_name": pupil.middle_name,
         "birth_date": pupil.birth_date, "sex": pupil.sex, "address": pupil.address, "personal_file_no": file_no},
    )
    _new_enrollment(actor, student, cls, on, order, came_from)
    for parent in pupil.parents:
        _link(actor, student, _parent_user(actor, parent), parent.relation)
    return student


def arrive(
    actor: Actor, student_id: int, class_id: int, on: dt.date, order: str, *, came_from: str = ""
) -> StudentCard:
    """A pupil who left earlier comes back (or one whose card exists is enrolled)."""
    _require_movers(actor, "зачисление учащихся")
    student = access.student_in_school(actor, student_id)
    cls = _open_class_for(actor, class_id, on)
    order = check_order(order)
    came_from = clean_text(came_from, "откуда прибыл", required=False, kind="place")
    current = _current(student.id)
    if current is not None:
        raise InvalidInput(
            f"{student.last_name} {student.first_name} уже числится в {class_label(current.school_class)}: "
            "оформите перевод"
        )
    last = Enrollment.select(fn.MAX(Enrollment.end)).where(Enrollment.student == student.id).scalar()
    if last is not None and on <= last:
        sex = words.sex_of(student.middle_name, student.sex)
        raise InvalidInput(
            f"{words.gendered('Учащийся', sex)} {words.gendered('выбыл', sex)} {last:%d.%m.%Y}: "
            "дата прибытия должна быть позже"
        )
    with write_tx():
        _new_enrollment(actor, student, cls, on, order, came_from)
    return student_card(actor, student.id)


def depart(actor: Actor, student_id: int, on: dt.date, order: str, *, went_to: str = "") -> StudentCard:
    """The pupil leaves the school on ``on`` (the last day on the roll) by an order."""
    _require_movers(actor, "выбытие учащихся")
    student = access.student_in_school(actor, student_id)
    order = check_order(order)
    went_to = clean_text(went_to, "куда выбыл", required=False, kind="place")
    current = _current(student.id)
    if current is None:
        raise InvalidInput(f"{student.last_name} {student.first_name} не числится ни в одном классе")
    _open_class_for(actor, current.school_class_id, on)
    if on < current.start:
        raise InvalidInput(f"Учащийся в {class_label(current.school_class)} только с {current.start:%d.%m.%Y}")
    with write_tx():
        Enrollment.update(end=on, order_out=order, went_to=went_to).where(Enrollment.id == current.id).execute()
        audit.record_changes(
            actor, "enrollment", current.id,
            {"end": None, "order_out": current.order_out, "went_to": current.went_to},
            {"end": on, "order_out": order, "went_to": went_to},
        )
        _close_groups(student.id, current.school_class_id, on)
    return student_card(actor, student.id)


def transfer(actor: Actor, student_id: int, class_id: int, on: dt.date, order: str) -> StudentCard:
    """Move a pupil to another class of the same year from ``on`` (his first day there)."""
    _require_movers(actor, "перевод учащихся")
    student = access.student_in_school(actor, student_id)
    order = check_order(order)
    current = _current(student.id)
    if current is None:
        raise InvalidInput(f"{student.last_name} {student.first_name} не числится ни в одном классе: оформите прибытие")
    cls = _open_class_for(actor, class_id, on)
    if cls.id == current.school_class_id:
        raise InvalidInput(f"Учащийся уже в {class_label(cls)}")
    if cls.year_id != current.school_class.year_id:
        raise InvalidInput("Перевести можно только в класс того же учебного года")
    if on <= current.start:
        raise InvalidInput(f"Учащийся в {class_label(current.school_class)} с {current.start:%d.%m.%Y}: дата перевода должна быть позже")
    last_day = on - dt.timedelta(days=1)
    with write_tx():
        Enrollment.update(end=last_day, order_out=order).where(Enrollment.id == current.id).execute()
        audit.record_changes(
            actor, "enrollment", current.id, {"end": None, "order_out": current.order_out}, {"end": last_day, "order_out": order}
        )
        _close_groups(student.id, current.school_class_id, last_day)
        _new_enrollment(actor, student, cls, on, order, "")
    return student_card(actor, student.id)


def parse_parents(text: str) -> tuple[ParentData, ...]:
    """«Фамилия Имя Отчество, телефон[, мать]; …» (one line of a form) → the parents' data."""
    parents = []
    for chunk in text.split(";"):
        parts = [p.strip() for p in chunk.split(",")]
        if not parts or not parts[0]:
            continue
        words = parts[0].split()
        if len(words) < 2:
            raise InvalidInput(f"Родитель «{parts[0]}»: нужны фамилия и имя")
        phone = parts[1] if len(parts) > 1 else ""
        relation = parts[2] if len(parts) > 2 else ""
        parents.append(_check_parent(ParentData(words[0], words[1], " ".join(words[2:]), phone, relation)))
    return tuple(parents)
