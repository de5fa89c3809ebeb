"""The class teacher's work (R-CT-1..3, R-ACC-2): his class's weekly attendance control with
absence reasons, the class list with accounts and parents' contacts, credential slips, early
warnings. (Personal cards are edited through :mod:`tui_journal.services.enrollment`.)

The subject teacher's attendance code and the class teacher's correction are kept apart
(``Attendance.code`` and ``Attendance.corrected_code``): a doctor's note turns «н» into «б»
without erasing what the teacher entered, and both are shown.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from tui_journal import clock
from tui_journal.db.models import (
    AcademicYear,
    Attendance,
    Enrollment,
    GuardianLink,
    Lesson,
    Mark,
    PeriodMark,
    School,
    SchoolClass,
    Student,
    Subject,
    User,
    WorkType,
    now,
)
from tui_journal.domain import attendance as att
from tui_journal.domain import ru_words as words
from tui_journal.domain.grading import propose_period_mark
from tui_journal.domain.marks import WeightedMark, numeric_value
from tui_journal.domain.text import full_name, surname_initials
from tui_journal.domain.user_text import LIMITS
from tui_journal.services import access, accounts, audit, user_text
from tui_journal.services import roles as R
from tui_journal.services.actor import Actor
from tui_journal.services.diary import class_pupil_lessons, monday_of, pupil_lessons
from tui_journal.services.errors import InvalidInput, NotFound, PermissionDenied
from tui_journal.services.journal import (
    class_label,
    current_period,
    marks_allowed_for,
    periods_of_class,
    policy_of,
)
from tui_journal.services.roster import on_roll
from tui_journal.services.tx import write_tx

#: Parents' contacts are verified monthly (regulation 4.3.5).
CONTACTS_VALID_DAYS = 31
TEXT_MAX = LIMITS["reason"].limit

# --- early-warning rules: the thresholds are here, the texts say them -----------------------
ABSENCES_WINDOW_DAYS = 7
ABSENCES_LIMIT = 3
TWOS_WINDOW_DAYS = 14
TWOS_LIMIT = 2
NA_WARN_DAYS_BEFORE_END = 21

RULES: dict[str, str] = {
    "absences": f"{ABSENCES_LIMIT} и более пропусков без уважительной причины («н») за {ABSENCES_WINDOW_DAYS} дней",
    "twos": f"{TWOS_LIMIT} и более отметки «2» по одному предмету за {TWOS_WINDOW_DAYS} дней",
    "forecast_2": "прогноз итоговой отметки за период — «2»",
    "forecast_na": f"прогноз «н/а» за период: мало отметок, до конца периода не больше {NA_WARN_DAYS_BEFORE_END} дней",
}


# --- values -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClassRef:
    id: int
    name: str
    pupils: int


@dataclass(frozen=True)
class ParentLine:
    user_id: int
    login: str
    name: str
    relation: str
    phone: str
    email: str
    has_password: bool


@dataclass(frozen=True)
class PupilLine:
    student_id: int
    number: int
    name: str
    short: str
    login: str  # the pupil's account, "" without one
    has_password: bool
    parents: tuple[ParentLine, ...]
    contacts_checked_at: dt.date | None
    sex: str = ""  # "м" | "ж" | "" (the card's, else the patronymic's): «учащаяся»


@dataclass(frozen=True)
class AbsenceRow:
    lesson_id: int
    student_id: int
    pupil: str
    date: dt.date
    number: int
    subject: str
    teacher_code: str | None  # as the subject teacher entered it
    corrected_code: str | None  # the class teacher's correction
    code: str | None  # the one that counts
    reason: str
    corrected_by: str
    late: bool  # the teacher entered it after the lesson's day

    @property
    def codes_text(self) -> str:
        """«н→б»: both codes when corrected, else the teacher's."""
        if self.corrected_code is not None and self.corrected_code != self.teacher_code:
            return f"{self.teacher_code or '·'}→{self.corrected_code}"
        return self.teacher_code or ""


@dataclass(frozen=True)
class PupilWeek:
    student_id: int
    number: int
    name: str
    missed: att.MissedDays


@dataclass(frozen=True)
class AttendanceWeek:
    class_id: int
    class_name: str
    start: dt.date
    end: dt.date
    rows: tuple[AbsenceRow, ...]  # every attendance entry of the week (absent, ill, late…)
    pupils: tuple[PupilWeek, ...]
    editable: bool
    days: tuple[dt.date, ...] = ()  # the school days of the week, for the pupils × days table
    #: (student id, day) → that day's lessons in order: (the code that counts or None, corrected?)
    cells: dict[tuple[int, dt.date], tuple[DayLesson, ...]] = field(default_factory=dict)

    def day_text(self, student_id: int, day: dt.date) -> str:
        """«··н·б»: one sign per lesson of the day (· present, о late, н/б/у missed)."""
        return "".join(c.code or "·" for c in self.cells.get((student_id, day), ()))


@dataclass(frozen=True)
class DayLesson:
    """One lesson of a pupil's day in the attendance table."""

    code: str | None  # the code that counts
    corrected: bool  # the class teacher's correction differs from the teacher's code


@dataclass(frozen=True)
class EarlyWarning:
    student_id: int
    pupil: str
    rule: str  # a key of RULES
    rule_text: str  # the rule that raised it
    subject: str
    detail: str  # the facts: dates, marks, the average


@dataclass(frozen=True)
class Slip:
    role: str  # student | parent
    name: str
    login: str
    password: str
    note: str  # «учащийся 7А», «родитель: Учеников К.»


@dataclass(frozen=True)
class Slips:
    school: str
    class_name: str
    issued_at: dt.datetime
    slips: tuple[Slip, ...]
    missing: tuple[str, ...]  # people without an account (only the admin creates accounts)


# --- access -----------------------------------------------------------------------------------


def _readable_class(actor: Actor, class_id: int) -> SchoolClass:
    """The class teacher of the class and the school-wide roles."""
    cls = access.class_in_school(actor, class_id)
    if not (actor.school_wide or cls.id in access.led_class_ids(actor)):
        raise access.deny("сведения классного руководителя об этом классе")
    return cls


def my_classes(actor: Actor) -> list[ClassRef]:
    """The classes the actor leads (every class for the school-wide roles)."""
    if actor.school_wide:
        query = SchoolClass.select().where(SchoolClass.school == actor.school_id)
    else:
        query = SchoolClass.select().where(SchoolClass.id.in_(list(access.led_class_ids(actor)) or [-1]))
    result = []
    for cls in query:
        pupils = Enrollment.select().where((Enrollment.school_class == cls.id) & Enrollment.end.is_null()).count()
        result.append(ClassRef(cls.id, class_label(cls), pupils))
    return sorted(result, key=lambda c: (_grade(c.name) == 0, _grade(c.name), c.name))


def _grade(name: str) -> int:
    digits = "".join(ch for ch in name if ch.isdigit())
    return int(digits) if digits else 0


def _pupils(class_id: int, start: dt.date, end: dt.date) -> list[Student]:
    rows = (
        Student.select()
        .join(Enrollment)
        .where(
            (Enrollment.school_class == class_id)
            & on_roll(start, end)
        )
        .distinct()
    )
    return sorted(rows, key=lambda s: (s.last_name, s.first_name, s.middle_name, s.id))


def _short(s: Student | User) -> str:
    return surname_initials(s.last_name, s.first_name, s.middle_name or None)


def _full(s: Student | User) -> str:
    return full_name(s.last_name, s.first_name, s.middle_name or None)


# --- the roster with accounts and parents' contacts (R-CT-2) ---------------------------------
# The personal card itself (reading, editing, the monthly check of the contacts) is
# :mod:`tui_journal.services.enrollment`'s: student_card, update_student, update_guardian,
# confirm_contacts. The class teacher's screen uses those.


def contacts_stale(checked: dt.date | None, today: dt.date | None = None) -> bool:
    """Parents' contacts not verified within a month (R-CT-2)."""
    today = today or clock.today()
    return checked is None or (today - checked).days > CONTACTS_VALID_DAYS


def _parents(student_ids: Sequence[int]) -> dict[int, list[ParentLine]]:
    found: dict[int, list[ParentLine]] = defaultdict(list)
    for g in (
        GuardianLink.select(GuardianLink, User)
        .join(User, on=(GuardianLink.parent == User.id))
        .where(GuardianLink.student.in_(list(student_ids) or [-1]) & (User.state != "removed"))
        .order_by(User.last_name, User.first_name)
    ):
        u = g.parent
        found[g.student_id].append(
            ParentLine(u.id, u.login, _full(u), g.relation, u.phone, u.email, bool(u.password_hash))
        )
    return found


def class_roster(actor: Actor, class_id: int, today: dt.date | None = None) -> list[PupilLine]:
    """The class's pupils on the roll today with their accounts and their parents' contacts."""
    cls = access.class_in_school(actor, class_id)
    if not (actor.school_wide or actor.has(R.SECRETARY) or cls.id in access.led_class_ids(actor)):
        raise access.deny("список класса с контактами родителей")
    today = today or clock.today()
    pupils = _pupils(cls.id, today, today)
    parents = _parents([p.id for p in pupils])
    accounts_of = {u.id: u for u in User.select().where(User.id.in_([p.user_id for p in pupils if p.user_id] or [-1]))}
    result = []
    for i, p in enumerate(pupils, start=1):
        user = accounts_of.get(p.user_id) if p.user_id else None
        result.append(
            PupilLine(
                student_id=p.id,
                number=i,
                name=_full(p),
                short=_short(p),
                login=user.login if user else "",
                has_password=bool(user and user.password_hash),
                parents=tuple(parents.get(p.id, [])),
                contacts_checked_at=p.contacts_checked_at,
                sex=words.sex_of(p.middle_name, p.sex),
            )
        )
    return result


def _text(value: str, what: str) -> str:
    return user_text.clean(value, "reason", field=what)


# --- weekly attendance control (R-CT-1) -----------------------------------------------------


def _week_bounds(actor: Actor, day: dt.date) -> tuple[dt.date, dt.date]:
    start = monday_of(day)
    days = 6 if School.get_by_id(actor.school_id).week_days == 6 else 5
    return start, start + dt.timedelta(days=days - 1)


def _row(record: Attendance, lesson: Lesson, pupil: Student, subjects: dict[int, str], users: dict[int, str]) -> AbsenceRow:
    return AbsenceRow(
        lesson_id=lesson.id,
        student_id=pupil.id,
        pupil=_short(pupil),
        date=lesson.date,
        number=lesson.number,
        subject=subjects.get(lesson.subject_id, ""),
        teacher_code=record.code,
        corrected_code=record.corrected_code,
        code=att.effective_code(record.code, record.corrected_code),
        reason=record.reason,
        corrected_by=users.get(record.corrected_by_id, "") if record.corrected_by_id else "",
        late=record.late,
    )


def attendance_week(actor: Actor, class_id: int, day: dt.date | None = None) -> AttendanceWeek:
    """Every attendance entry of the class's week, with both codes, and each pupil's missed
    lessons and full days by reason (a day counts only when every lesson was missed)."""
    cls = _readable_class(actor, class_id)
    start, end = _week_bounds(actor, day or clock.today())
    pupils = _pupils(cls.id, start, end)
    subjects = {s.id: s.name for s in Subject.select().where(Subject.school == actor.school_id)}
    rows: list[AbsenceRow] = []
    summary: list[PupilWeek] = []
    lessons_of = class_pupil_lessons(cls.id, [p.id for p in pupils], start, end)
    all_ids = sorted({ls.id for items in lessons_of.values() for ls in items}) or [-1]
    records: dict[tuple[int, int], Attendance] = {
        (a.student_id, a.lesson_id): a
        for a in Attendance.select().where(
            Attendance.lesson.in_(all_ids) & Attendance.student.in_([p.id for p in pupils] or [-1])
        )
    }
    corrected_by = {
        u.id: _short(u)
        for u in User.select().where(User.id.in_([a.corrected_by_id for a in records.values() if a.corrected_by_id] or [-1]))
    }
    cells: dict[tuple[int, dt.date], list[DayLesson]] = defaultdict(list)
    for number, pupil in enumerate(pupils, start=1):
        by_day: dict[dt.date, list[str | None]] = defaultdict(list)
        for ls in sorted(lessons_of.get(pupil.id, []), key=lambda x: (x.date, x.number)):
            record = records.get((pupil.id, ls.id))
            code = att.effective_code(record.code, record.corrected_code) if record else None
            by_day[ls.date].append(code)
            corrected = record is not None and record.corrected_code is not None and record.corrected_code != record.code
            cells[(pupil.id, ls.date)].append(DayLesson(code, corrected))
            if record is not None and (record.code or record.corrected_code):
                rows.append(_row(record, ls, pupil, subjects, corrected_by))
        summary.append(PupilWeek(pupil.id, number, _short(pupil), att.missed_days(by_day)))
    rows.sort(key=lambda r: (r.pupil, r.date, r.number))
    return AttendanceWeek(
        class_id=cls.id,
        class_name=class_label(cls),
        start=start,
        end=end,
        rows=tuple(rows),
        pupils=tuple(summary),
        editable=cls.id in access.led_class_ids(actor),
        days=tuple(start + dt.timedelta(days=i) for i in range((end - start).days + 1)),
        cells={k: tuple(v) for k, v in cells.items()},
    )


def _normalize(code: str | None) -> str | None:
    if code is None or not code.strip():
        return None
    try:
        return att.normalize_code(code)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc


def _correctable_lesson(actor: Actor, lesson_id: int, student_id: int) -> tuple[Lesson, Student]:
    lesson = (
        Lesson.select(Lesson, SchoolClass)
        .join(SchoolClass)
        .where((Lesson.id == lesson_id) & (SchoolClass.school == actor.school_id))
        .first()
    )
    if lesson is None:
        raise NotFound(f"Урок не найден: {lesson_id}")
    student = access.student_in_school(actor, student_id)
    if lesson.school_class_id not in access.led_class_ids(actor):
        raise access.deny("причины пропусков учащихся чужого класса")
    if AcademicYear.get_by_id(lesson.school_class.year_id).closed:
        raise PermissionDenied("Учебный год закрыт: записи только для чтения")
    if lesson.id not in {ls.id for ls in pupil_lessons(student.id, lesson.date, lesson.date)}:
        raise InvalidInput("Учащийся не был на этом уроке по списку класса")
    return lesson, student


def _apply(actor: Actor, lesson: Lesson, student: Student, code: str | None, reason: str) -> bool:
    """Set or clear the correction of one lesson; returns whether something changed."""
    record = Attendance.get_or_none((Attendance.lesson == lesson.id) & (Attendance.student == student.id))
    entity = f"{lesson.id}:{student.id}"
    if record is None:
        if code is None:
            return False
        Attendance.create(
            student=student.id,
            lesson=lesson.id,
            code=None,
            corrected_code=code,
            reason=reason,
            entered_by=None,
            corrected_by=actor.user_id,
            corrected_at=now(),
        )
        audit.record(actor, "update", "attendance", entity, "corrected_code", None, code)
        if reason:
            audit.record(actor, "update", "attendance", entity, "reason", None, reason)
        return True
    new_reason = reason if code is not None else ""
    if record.corrected_code == code and record.reason == new_reason:
        return False
    if code is None and record.code is None:
        Attendance.delete().where(Attendance.id == record.id).execute()
    else:
        Attendance.update(
            corrected_code=code,
            reason=new_reason,
            corrected_by=actor.user_id if code is not None else None,
            corrected_at=now() if code is not None else None,
        ).where(Attendance.id == record.id).execute()
    audit.record_changes(
        actor,
        "attendance",
        entity,
        {"corrected_code": record.corrected_code, "reason": record.reason},
        {"corrected_code": code, "reason": new_reason},
    )
    return True


def correct_attendance(
    actor: Actor, lesson_id: int, student_id: int, code: str | None, reason: str = ""
) -> AbsenceRow | None:
    """The class teacher's correction of one lesson (R-CT-1): «б» or «у» with the reason (a
    doctor's note…), «о» for a late arrival; an empty code removes the correction and the
    teacher's code counts again. The teacher's own code is never changed."""
    lesson, student = _correctable_lesson(actor, lesson_id, student_id)
    new = _normalize(code)
    reason = _text(reason, "Причина")
    with write_tx():
        _apply(actor, lesson, student, new, reason)
    record = Attendance.get_or_none((Attendance.lesson == lesson.id) & (Attendance.student == student.id))
    if record is None:
        return None
    subjects = {lesson.subject_id: Subject.get_by_id(lesson.subject_id).name}
    users = {actor.user_id: actor.login} if actor.user_id else {}
    return _row(record, lesson, student, subjects, users)


def correct_days(
    actor: Actor, student_id: int, start: dt.date, end: dt.date, code: str, reason: str = ""
) -> int:
    """One note covers days: every lesson of the pupil's class in ``[start, end]`` that the
    teacher marked missed («н», «б», «у») gets the correction. Returns how many changed."""
    student = access.student_in_school(actor, student_id)
    if end < start:
        raise InvalidInput("Конец периода раньше начала")
    if (end - start).days > 62:
        raise InvalidInput("Не больше двух месяцев за один раз")
    new = _normalize(code)
    if new is None:
        raise InvalidInput("Укажите причину: б или у (или н, чтобы вернуть)")
    reason = _text(reason, "Причина")
    led = access.led_class_ids(actor)
    lessons = pupil_lessons(student.id, start, end)
    if not any(ls.school_class_id in led for ls in lessons) and not (
        access.current_class_ids_of({student.id}) & led
    ):
        raise access.deny("причины пропусков учащихся чужого класса")
    lessons = [ls for ls in lessons if ls.school_class_id in led]
    records = {
        a.lesson_id: a
        for a in Attendance.select().where(
            (Attendance.student == student.id) & Attendance.lesson.in_([ls.id for ls in lessons] or [-1])
        )
    }
    changed = 0
    with write_tx():
        for ls in lessons:
            record = records.get(ls.id)
            if record is None or record.code not in att.MISSED_CODES:
                continue
            year = AcademicYear.get_by_id(SchoolClass.get_by_id(ls.school_class_id).year_id)
            if year.closed:
                raise PermissionDenied("Учебный год закрыт: записи только для чтения")
            changed += _apply(actor, ls, student, new, reason)
    return changed


# --- credential slips (R-ACC-2) -----------------------------------------------------------------


def issue_credentials(
    actor: Actor,
    class_id: int,
    *,
    pupils: bool = True,
    parents: bool = True,
    only_new: bool = False,
    today: dt.date | None = None,
    only: Collection[str] | None = None,
) -> Slips:
    """One-time passwords for the class's pupils and parents, for printed slips. ``only_new``
    skips accounts that already have a password; ``only`` (logins) reissues just those
    accounts of the class (one pupil or one parent). Accounts are created by the admin only;
    the people without one are listed in ``missing``."""
    cls = access.class_in_school(actor, class_id)
    if not (actor.has(R.ADMIN) or cls.id in access.led_class_ids(actor)):
        raise access.deny("выдача паролей учащимся и родителям этого класса")
    today = today or clock.today()
    roster = class_roster(actor, cls.id, today)
    slips: list[Slip] = []
    missing: list[str] = []
    done: set[str] = set()
    if only is not None:
        wanted = set(only)
        strangers = wanted - {x.login for x in roster} - {p.login for x in roster for p in x.parents}
        if strangers:
            raise access.deny("выдача паролей не ученикам и не родителям этого класса")
        # the others count as done: they are neither reissued nor listed as missing
        done = {x.login for x in roster if x.login not in wanted} | {
            p.login for x in roster for p in x.parents if p.login not in wanted
        }
    with write_tx():
        for line in roster:
            if pupils:
                if not line.login:
                    if only is None:
                        missing.append(f"{line.name} ({words.gendered('учащийся', line.sex)})")
                elif not (only_new and line.has_password) and line.login not in done:
                    password = accounts.set_password(actor, line.login)
                    slips.append(Slip("student", line.name, line.login, password,
                                      f"{words.gendered('учащийся', line.sex)} {class_label(cls)}"))
                    done.add(line.login)
            if parents:
                if not line.parents and only is None:
                    missing.append(f"родители: {line.name}")
                for p in line.parents:
                    if p.login in done or (only_new and p.has_password):
                        continue
                    password = accounts.set_password(actor, p.login)
                    slips.append(Slip("parent", p.name, p.login, password, f"родитель: {line.short}, {class_label(cls)}"))
                    done.add(p.login)
    return Slips(
        school=School.get_by_id(actor.school_id).name,
        class_name=class_label(cls),
        issued_at=now(),
        slips=tuple(slips),
        missing=tuple(missing),
    )


def slips_text(slips: Slips, url: str = "") -> str:
    """The slips as plain text to print and cut: one block per person (``url``: where to log in)."""
    blocks = []
    for s in slips.slips:
        blocks.append(
            "\n".join(
                (
                    slips.school,
                    f"Электронный журнал и дневник — {s.note}",
                    *((f"Адрес: {url}",) if url else ()),
                    f"Кому: {s.name}",
                    f"Логин:  {s.login}",
                    f"Пароль: {s.password}",
                    "Пароль одноразовый: при первом входе придумайте свой.",
                    f"Выдан {slips.issued_at:%d.%m.%Y}",
                )
            )
        )
    return ("\n" + "-" * 60 + "\n").join(blocks) + "\n"


# --- early warnings ------------------------------------------------------------------------------


def _lessons_word(n: int) -> str:
    return words.plural(n, words.LESSONS)


def early_warnings(actor: Actor, class_id: int, today: dt.date | None = None) -> list[EarlyWarning]:
    """Pupils who need attention, each with the rule that raised the warning (see :data:`RULES`)."""
    cls = _readable_class(actor, class_id)
    today = today or clock.today()
    periods = periods_of_class(cls)
    period = current_period(periods, today) if periods else None
    since = min(today - dt.timedelta(days=TWOS_WINDOW_DAYS - 1), period.start if period else today)
    policy = policy_of(actor.school_id)
    wts = {w.id: w for w in WorkType.select().where(WorkType.school == actor.school_id)}
    subjects = {s.id: s.name for s in Subject.select().where(Subject.school == actor.school_id)}
    exempt: dict[int, set[int]] = defaultdict(set)
    if period is not None:
        for pm in PeriodMark.select().where(
            (PeriodMark.school_class == cls.id) & (PeriodMark.period == period.id) & (PeriodMark.value == "осв")
        ):
            exempt[pm.student_id].add(pm.subject_id)
    warnings: list[EarlyWarning] = []
    pupils = _pupils(cls.id, today, today)
    lessons_of = class_pupil_lessons(cls.id, [p.id for p in pupils], since, today)
    all_ids = sorted({ls.id for items in lessons_of.values() for ls in items}) or [-1]
    pupil_ids = [p.id for p in pupils] or [-1]
    records_of: dict[int, list[Attendance]] = defaultdict(list)
    for a in Attendance.select().where(Attendance.lesson.in_(all_ids) & Attendance.student.in_(pupil_ids)):
        records_of[a.student_id].append(a)
    marks_of: dict[int, list[Mark]] = defaultdict(list)
    for m in (
        Mark.select()
        .where(Mark.lesson.in_(all_ids) & Mark.student.in_(pupil_ids))
        .order_by(Mark.position, Mark.id)
    ):
        marks_of[m.student_id].append(m)
    for pupil in pupils:
        name = _short(pupil)
        lessons = lessons_of.get(pupil.id, [])
        by_id = {ls.id: ls for ls in lessons}
        records = [a for a in records_of.get(pupil.id, []) if a.lesson_id in by_id]
        marks = [m for m in marks_of.get(pupil.id, []) if m.lesson_id in by_id]
        # 1. unexcused absences in the last week
        window = today - dt.timedelta(days=ABSENCES_WINDOW_DAYS - 1)
        absent = sorted(
            by_id[a.lesson_id].date
            for a in records
            if att.effective_code(a.code, a.corrected_code) == att.ABSENT and by_id[a.lesson_id].date >= window
        )
        if len(absent) >= ABSENCES_LIMIT:
            warnings.append(
                EarlyWarning(
                    pupil.id, name, "absences", RULES["absences"], "",
                    f"{len(absent)} {_lessons_word(len(absent))} с «н» с {window:%d.%m} по {today:%d.%m}: "
                    + ", ".join(f"{d:%d.%m}" for d in absent),
                )
            )
        if not marks_allowed_for(cls):
            continue
        # 2. twos in one subject within two weeks
        window = today - dt.timedelta(days=TWOS_WINDOW_DAYS - 1)
        twos: dict[int, list[dt.date]] = defaultdict(list)
        for m in marks:
            ls = by_id[m.lesson_id]
            if m.value == "2" and ls.date >= window:
                twos[ls.subject_id].append(ls.date)
        for sid, dates in sorted(twos.items(), key=lambda x: subjects.get(x[0], "")):
            if len(dates) >= TWOS_LIMIT:
                warnings.append(
                    EarlyWarning(
                        pupil.id, name, "twos", RULES["twos"], subjects.get(sid, ""),
                        f"«2» — {', '.join(f'{d:%d.%m}' for d in sorted(dates))}",
                    )
                )
        # 3. the period's forecast
        if period is None:
            continue
        per_subject: dict[int, list[WeightedMark]] = defaultdict(list)
        held: set[int] = set()
        for ls in lessons:
            if ls.date >= period.start:
                held.add(ls.subject_id)
        for m in marks:
            ls = by_id[m.lesson_id]
            value = numeric_value(m.value)
            if ls.date >= period.start and value is not None:
                weight = float(wts[m.work_type_id].weight) if m.work_type_id in wts else 1.0
                per_subject[ls.subject_id].append(WeightedMark(value, weight))
        for sid in sorted(held, key=lambda s: subjects.get(s, "")):
            if sid in exempt[pupil.id]:
                continue
            proposal = propose_period_mark(per_subject.get(sid, []), policy)
            if proposal.value == "2":
                warnings.append(
                    EarlyWarning(pupil.id, name, "forecast_2", RULES["forecast_2"], subjects.get(sid, ""), proposal.reason)
                )
            elif proposal.value == "н/а" and (period.end - today).days <= NA_WARN_DAYS_BEFORE_END:
                warnings.append(
                    EarlyWarning(
                        pupil.id, name, "forecast_na", RULES["forecast_na"], subjects.get(sid, ""),
                        f"{proposal.reason}; период кончается {period.end:%d.%m}",
                    )
                )
    return warnings
