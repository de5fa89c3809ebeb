"""Year rollover (R-SETUP-4, regulation 4.1.5): the next year from this one.

:func:`preview_rollover` computes every change and writes nothing; :func:`apply_rollover`
computes the same plan again and applies it in one transaction:

- the new year with this year's periods and holidays moved one year on;
- its classes: every class one grade up (same letter, same class teacher, its subgroups and
  the teachers' assignments), new first grades with the letters of this year's first grades,
  the preschool groups as they are; each new class gets the curriculum of this year's class
  of the same grade and letter (or of the same grade);
- every pupil on the roll promoted one grade by the promotion order, the repeaters kept in
  their grade, the graduating classes leaving by the graduation order;
- this year closed: read-only from then on (AcademicYear.closed, R-CONT-2).

Subjects, work types, rooms and bells belong to the school and carry over as they are; the
timetable is made anew for the new year.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

from tui_journal.db.models import (
    AcademicYear,
    Assignment,
    Curriculum,
    Enrollment,
    Group,
    GroupMember,
    Period,
    SchoolClass,
    Student,
    Subject,
    User,
)
from tui_journal.domain import text
from tui_journal.services import audit
from tui_journal.services.access import require_admin
from tui_journal.services.actor import Actor
from tui_journal.services.checks import clean_text, open_year, refuse_taken_name, short_user
from tui_journal.services.errors import InvalidInput
from tui_journal.services.journal import class_label
from tui_journal.services.setup import check_periods
from tui_journal.services.tx import write_tx

if TYPE_CHECKING:
    from typing_extensions import Unpack  # typing.Unpack from Python 3.11

GRADUATED = "выпуск"


@dataclass(frozen=True)
class PupilMove:
    student_id: int
    name: str
    from_class: str
    to_class: str  # "" for a graduate


@dataclass(frozen=True)
class PlannedClass:
    name: str
    grade: int
    letter: str
    kind: str
    source: str  # the class it continues («7А» for 8А), "" for a new first grade
    class_teacher: str
    pupils: int
    curriculum: int  # subjects in its curriculum
    groups: tuple[str, ...]
    assignments: int


@dataclass
class RolloverPlan:
    old_year_id: int
    old_year: str
    name: str
    start: dt.date
    end: dt.date
    periods: list[tuple[str, str, dt.date, dt.date]] = field(default_factory=list)
    classes: list[PlannedClass] = field(default_factory=list)
    promotions: list[PupilMove] = field(default_factory=list)
    repeaters: list[PupilMove] = field(default_factory=list)
    graduates: list[PupilMove] = field(default_factory=list)
    promotion_order: str = ""
    graduation_order: str = ""
    new_year_id: int | None = None  # set once applied

    def lines(self) -> list[str]:
        """Every change, one line each, in Russian (what the preview shows)."""
        out = [f"Новый учебный год {self.name}: {self.start:%d.%m.%Y}–{self.end:%d.%m.%Y}"]
        out += [f"  период «{n}»: {s:%d.%m.%Y}–{e:%d.%m.%Y}" for n, _, s, e in self.periods]
        for c in self.classes:
            origin = f"из {c.source}" if c.source else "новый"
            teacher = f", кл. рук. {c.class_teacher}" if c.class_teacher else ""
            groups = f", группы: {', '.join(c.groups)}" if c.groups else ""
            out.append(
                f"Класс {c.name} ({origin}{teacher}): учащихся {c.pupils}, предметов в плане {c.curriculum}, "
                f"назначений учителей {c.assignments}{groups}"
            )
        out += [f"Перевод: {m.name}, {m.from_class} → {m.to_class}" for m in self.promotions]
        out += [f"Повторное обучение: {m.name}, остаётся в {m.to_class}" for m in self.repeaters]
        out += [f"Выпуск: {m.name}, {m.from_class} (приказ {self.graduation_order})" for m in self.graduates]
        out.append(f"Учебный год {self.old_year} будет закрыт: только чтение")
        return out


def _next_name(name: str) -> str:
    """«2026/2027» → «2027/2028»: every number in the name one up."""
    bumped = re.sub(r"\d{4}", lambda m: str(int(m.group()) + 1), name)
    return bumped if bumped != name else f"{name} (следующий)"


def _plus_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


@dataclass
class _Work:
    """What the plan needs to apply itself (kept apart from what the preview shows)."""

    targets: dict[tuple[int, str], tuple[SchoolClass | None, SchoolClass | None, str]] = field(default_factory=dict)
    moves: list[tuple[Enrollment, tuple[int, str] | None]] = field(default_factory=list)


class _Orders(TypedDict):
    promotion_order: str


class RolloverOptions(_Orders, total=False):
    """What the admin decides, the same for :func:`preview_rollover` and :func:`apply_rollover`:
    the promotion order (required) and the graduation order, the pupils kept in their grade,
    the graduating grades (by default the top one, 9 or 11), and the new year's name and
    dates (by default this year's moved one year on)."""

    graduation_order: str
    repeaters: Collection[int]
    graduating_grades: Collection[int] | None
    name: str | None
    start: dt.date | None
    end: dt.date | None


def _plan(actor: Actor, year_id: int, options: RolloverOptions) -> tuple[RolloverPlan, _Work]:
    require_admin(actor, "переход на новый учебный год")
    old = open_year(actor, year_id)
    promotion_order = clean_text(options["promotion_order"], "приказ о переводе", kind="order")
    new_name = clean_text(options.get("name") or _next_name(old.name), "название нового учебного года", kind="year_name")
    new_start = options.get("start") or _plus_year(old.start)
    new_end = options.get("end") or _plus_year(old.end)
    if new_start <= old.end:
        raise InvalidInput(f"Новый год должен начаться после {old.end:%d.%m.%Y}")
    if new_end <= new_start:
        raise InvalidInput("Новый учебный год кончается раньше, чем начинается")
    refuse_taken_name(AcademicYear, actor, new_name, f"Учебный год {new_name} уже есть")
    plan = RolloverPlan(old.id, old.name, new_name, new_start, new_end, promotion_order=promotion_order)
    periods = [
        (p.name, p.kind, _plus_year(p.start), _plus_year(p.end))
        for p in Period.select().where(Period.year == old.id).order_by(Period.start)
    ]
    plan.periods = [p for p in periods if new_start <= p[2] and p[3] <= new_end]
    check_periods(new_start, new_end, plan.periods)

    classes = list(SchoolClass.select().where(SchoolClass.year == old.id))
    regular = [c for c in classes if c.kind != "preschool" and c.grade > 0]
    top = max((c.grade for c in regular), default=11)
    graduating_grades = options.get("graduating_grades")
    graduating = set(graduating_grades) if graduating_grades is not None else ({top} if top in (9, 11) else {11})
    by_key = {(c.grade, c.letter): c for c in classes}

    on_roll = list(
        Enrollment.select(Enrollment, Student)
        .join(Student)
        .where(Enrollment.school_class.in_([c.id for c in classes] or [-1]) & Enrollment.end.is_null())
        .order_by(Student.last_name, Student.first_name, Student.id)
    )
    wanted_repeaters = set(options.get("repeaters", ()))
    unknown = wanted_repeaters - {e.student_id for e in on_roll}
    if unknown:
        raise InvalidInput(f"Не числятся в классах {old.name}: учащиеся № {', '.join(map(str, sorted(unknown)))}")

    work = _Work()
    # (grade, letter) of the new year → (source class promoted into it, class of the same grade
    # and letter this year, kind)
    for c in classes:
        if c.kind == "preschool" or c.grade == 0:
            work.targets[(c.grade, c.letter)] = (c, c, c.kind)
            continue
        if c.grade == 1:
            work.targets.setdefault((1, c.letter), (None, c, "class"))
        if c.grade not in graduating:
            key = (c.grade + 1, c.letter)
            work.targets[key] = (c, by_key.get(key), "class")
    for e in on_roll:
        cls = next(c for c in classes if c.id == e.school_class_id)
        name_of = " ".join(p for p in (e.student.last_name, e.student.first_name, e.student.middle_name) if p)
        here = class_label(cls)
        if cls.kind == "preschool" or cls.grade == 0 or e.student_id in wanted_repeaters:
            key = (cls.grade, cls.letter)
            if key not in work.targets:
                work.targets[key] = (None, cls, cls.kind)
            work.moves.append((e, key))
            if e.student_id in wanted_repeaters:
                plan.repeaters.append(PupilMove(e.student_id, name_of, here, here))
        elif cls.grade in graduating:
            work.moves.append((e, None))
            plan.graduates.append(PupilMove(e.student_id, name_of, here, ""))
        else:
            key = (cls.grade + 1, cls.letter)
            work.moves.append((e, key))
            plan.promotions.append(PupilMove(e.student_id, name_of, here, f"{key[0]}{key[1]}"))
    if plan.graduates:
        plan.graduation_order = clean_text(options.get("graduation_order", ""), "приказ о выпуске", kind="order")

    for (grade, letter), (source, _same, kind) in sorted(work.targets.items(), key=lambda kv: (kv[0][0] or 100, kv[0][1])):
        teacher_id = source.class_teacher_id if source is not None else None
        teacher = User.get_or_none(User.id == teacher_id) if teacher_id else None
        pupils = sum(1 for _, key in work.moves if key == (grade, letter))
        curriculum = _curriculum_source(classes, grade, letter)
        groups = tuple(g.name for g in Group.select().where(Group.school_class == source.id)) if source else ()
        assignments = Assignment.select().where(Assignment.school_class == source.id).count() if source else 0
        plan.classes.append(
            PlannedClass(
                text.class_label(grade, letter), grade, letter, kind,
                class_label(source) if source is not None else "", short_user(teacher), pupils,
                Curriculum.select().where(Curriculum.school_class == curriculum.id).count() if curriculum else 0,
                groups, assignments,
            )
        )
    return plan, work


def _curriculum_source(classes: list[SchoolClass], grade: int, letter: str) -> SchoolClass | None:
    same = [c for c in classes if c.grade == grade and c.letter == letter]
    if same:
        return same[0]
    grade_mates = sorted((c for c in classes if c.grade == grade), key=lambda c: c.letter)
    return grade_mates[0] if grade_mates else None


def preview_rollover(actor: Actor, year_id: int, **options: Unpack[RolloverOptions]) -> RolloverPlan:
    """Every change the rollover would make; nothing is written."""
    plan, _ = _plan(actor, year_id, options)
    return plan


def apply_rollover(actor: Actor, year_id: int, **options: Unpack[RolloverOptions]) -> RolloverPlan:
    """Apply the plan of :func:`preview_rollover` in one transaction and close this year."""
    with write_tx():
        plan, work = _plan(actor, year_id, options)
        old = AcademicYear.get_by_id(plan.old_year_id)
        new = AcademicYear.create(school=actor.school_id, name=plan.name, start=plan.start, end=plan.end)
        plan.new_year_id = new.id
        audit.record_creation(actor, "year", new.id, {"name": new.name, "start": new.start, "end": new.end, "from_year": old.name})
        for ordinal_name, kind, p_start, p_end in plan.periods:
            ordinal = sum(1 for p in plan.periods if p[1] == kind and p[2] <= p_start)
            period = Period.create(year=new, name=ordinal_name, kind=kind, ordinal=ordinal, start=p_start, end=p_end)
            audit.record_creation(actor, "period", period.id, {"year": new.name, "name": ordinal_name, "start": p_start, "end": p_end})
        classes = list(SchoolClass.select().where(SchoolClass.year == old.id))
        new_classes: dict[tuple[int, str], SchoolClass] = {}
        group_map: dict[int, Group] = {}
        for key, (source, _same, kind) in work.targets.items():
            grade, letter = key
            cls = SchoolClass.create(
                school=actor.school_id, year=new, grade=grade, letter=letter, kind=kind,
                class_teacher=source.class_teacher_id if source is not None else None,
            )
            new_classes[key] = cls
            audit.record_creation(
                actor, "class", cls.id,
                {"year": new.name, "name": class_label(cls), "from_class": class_label(source) if source else None},
            )
            curriculum = _curriculum_source(classes, grade, letter)
            if curriculum is not None:
                for row in Curriculum.select().where(Curriculum.school_class == curriculum.id):
                    Curriculum.create(school_class=cls, subject=row.subject_id, hours_per_week=row.hours_per_week)
                    subject = Subject.get_by_id(row.subject_id)
                    audit.record(actor, "update", "curriculum", f"{class_label(cls)}:{subject.name}", "hours_per_week", None, row.hours_per_week)
            if source is not None:
                for group in Group.select().where(Group.school_class == source.id):
                    copy = Group.create(school_class=cls, subject=group.subject_id, name=group.name)
                    group_map[group.id] = copy
                    audit.record_creation(actor, "group", copy.id, {"class": class_label(cls), "name": group.name})
                for a in Assignment.select().where(Assignment.school_class == source.id):
                    copy_a = Assignment.create(
                        teacher=a.teacher_id, school_class=cls, subject=a.subject_id,
                        group=group_map[a.group_id].id if a.group_id in group_map else None,
                    )
                    audit.record_creation(actor, "assignment", copy_a.id, {"teacher": a.teacher_id, "class": class_label(cls), "subject": a.subject_id})
        for e, target_key in work.moves:
            graduate = target_key is None
            order_out = plan.graduation_order if graduate else plan.promotion_order
            went_to = GRADUATED if graduate else ""
            audit.save_changes(actor, "enrollment", e, {"end": old.end, "order_out": order_out, "went_to": went_to})
            GroupMember.update(end=old.end).where(
                (GroupMember.student == e.student_id) & GroupMember.end.is_null()
                & GroupMember.group.in_(Group.select(Group.id).where(Group.school_class == e.school_class_id))
            ).execute()
            if target_key is None:
                continue
            target = new_classes[target_key]
            new_row = Enrollment.create(student=e.student_id, school_class=target, start=new.start, order_in=plan.promotion_order)
            audit.record_creation(
                actor, "enrollment", new_row.id,
                {"student": e.student_id, "class": class_label(target), "start": new.start, "order_in": plan.promotion_order},
            )
            for member in GroupMember.select().where((GroupMember.student == e.student_id) & (GroupMember.end == old.end)):
                copy_group = group_map.get(member.group_id)
                if copy_group is not None and copy_group.school_class_id == target.id:
                    GroupMember.create(group=copy_group, student=e.student_id, start=new.start)
        audit.save_changes(actor, "year", old, {"closed": True})
    return plan
