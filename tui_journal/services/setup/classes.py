"""Classes (R-SETUP-2) and the curriculum (учебный план): hours of each subject per class.
"""

from __future__ import annotations

from tui_journal.db.models import (
    Curriculum,
    Enrollment,
    Lesson,
    SchoolClass,
    Subject,
    User,
)
from tui_journal.domain import text
from tui_journal.domain.text import parse_class_name
from tui_journal.services import audit
from tui_journal.services.access import require_admin, require_staff
from tui_journal.services.actor import Actor
from tui_journal.services.checks import (
    clean_text,
    open_year,
    short_user,
    subject_in_school,
    teacher_by_login,
    year_in_school,
)
from tui_journal.services.errors import Conflict, InvalidInput, NotFound
from tui_journal.services.journal import class_label, class_sort_key
from tui_journal.services.roster import pupils_on_roll
from tui_journal.services.setup.base import ClassInfo, CurriculumGrid, current_year, open_class
from tui_journal.services.tx import write_tx

# --- classes (R-SETUP-2) ------------------------------------------------------------------


def _class_info(cls: SchoolClass) -> ClassInfo:
    teacher = User.get_or_none(User.id == cls.class_teacher_id) if cls.class_teacher_id else None
    pupils = pupils_on_roll(cls.id)
    return ClassInfo(
        cls.id, class_label(cls), cls.grade, cls.letter, cls.kind, cls.year_id,
        short_user(teacher), teacher.login if teacher else "", pupils,
    )


def list_classes(actor: Actor, year_id: int | None = None) -> list[ClassInfo]:
    """The classes of a year (default: the current one), with class teachers and pupils on roll."""
    require_staff(actor, "список классов")
    year = year_in_school(actor, year_id) if year_id is not None else current_year(actor)
    if year is None:
        return []
    classes = sorted(SchoolClass.select().where(SchoolClass.year == year.id), key=class_sort_key)
    return [_class_info(c) for c in classes]


def add_class(
    actor: Actor,
    year_id: int,
    name: str,
    *,
    class_teacher: str | None = None,
    preschool: bool = False,
) -> ClassInfo:
    """A class «7А» (grade and letter) or a preschool group (grade 0, any short name)."""
    require_admin(actor, "классы")
    year = open_year(actor, year_id)
    if preschool:
        grade, letter, kind = 0, clean_text(name, "название группы", kind="short_name"), "preschool"
    else:
        try:
            grade, letter = parse_class_name(name)
        except ValueError as exc:
            raise InvalidInput(str(exc)) from exc
        kind = "class"
    teacher = teacher_by_login(actor, class_teacher) if class_teacher else None
    with write_tx():
        if SchoolClass.select().where(
            (SchoolClass.year == year.id) & (SchoolClass.grade == grade) & (SchoolClass.letter == letter)
        ).exists():
            raise Conflict(f"Класс {text.class_label(grade, letter)} в {year.name} уже есть")
        cls = SchoolClass.create(
            school=actor.school_id, year=year, grade=grade, letter=letter, kind=kind,
            class_teacher=teacher.id if teacher else None,
        )
        audit.record_creation(
            actor, "class", cls.id,
            {"year": year.name, "name": class_label(cls), "kind": kind, "class_teacher": teacher.login if teacher else None},
        )
    return _class_info(cls)


def set_class_teacher(actor: Actor, class_id: int, login: str | None) -> ClassInfo:
    """Appoint (or with None remove) the class teacher (классный руководитель)."""
    require_admin(actor, "классное руководство")
    cls = open_class(actor, class_id)
    teacher = teacher_by_login(actor, login) if login else None
    with write_tx():
        old = User.get_or_none(User.id == cls.class_teacher_id) if cls.class_teacher_id else None
        SchoolClass.update(class_teacher=teacher.id if teacher else None).where(SchoolClass.id == cls.id).execute()
        audit.record_changes(
            actor, "class", cls.id,
            {"class_teacher": old.login if old else None}, {"class_teacher": teacher.login if teacher else None},
        )
    return _class_info(SchoolClass.get_by_id(cls.id))


def delete_class(actor: Actor, class_id: int) -> None:
    """Remove a class created by mistake: refused once it has pupils or lessons."""
    require_admin(actor, "классы")
    cls = open_class(actor, class_id)
    if Enrollment.select().where(Enrollment.school_class == cls.id).exists():
        raise InvalidInput(f"В классе {class_label(cls)} есть (или были) учащиеся: удалить его нельзя")
    if Lesson.select().where(Lesson.school_class == cls.id).exists():
        raise InvalidInput(f"У класса {class_label(cls)} уже есть уроки: удалить его нельзя")
    with write_tx():
        SchoolClass.delete().where(SchoolClass.id == cls.id).execute()
        audit.record(actor, "delete", "class", cls.id, "name", class_label(cls), None)


# --- curriculum (учебный план) --------------------------------------------------------


def curriculum_grid(actor: Actor, year_id: int | None = None) -> CurriculumGrid:
    """Classes × subjects with hours per week of one year (default: the current one)."""
    require_staff(actor, "учебный план")
    year = year_in_school(actor, year_id) if year_id is not None else current_year(actor)
    if year is None:
        raise NotFound("В школе нет ни одного учебного года")
    classes = sorted(SchoolClass.select().where(SchoolClass.year == year.id), key=class_sort_key)
    subjects = list(Subject.select().where(Subject.school == actor.school_id).order_by(Subject.name))
    hours = {
        (c.school_class_id, c.subject_id): c.hours_per_week
        for c in Curriculum.select().join(SchoolClass).where(SchoolClass.year == year.id)
    }
    return CurriculumGrid(
        year.id,
        tuple((c.id, class_label(c)) for c in classes),
        tuple((s.id, s.name) for s in subjects),
        hours,
    )


def set_hours(actor: Actor, class_id: int, subject_id: int, hours: float) -> float:
    """Hours per week of a subject in a class; 0 removes the subject from the class's plan."""
    require_admin(actor, "учебный план")
    cls = open_class(actor, class_id)
    subject = subject_in_school(actor, subject_id)
    if not 0 <= hours <= 40 or round(hours * 2) != hours * 2:
        raise InvalidInput(f"Часов в неделю: от 0 до 40 с шагом 0,5, а не {hours}")
    with write_tx():
        row = Curriculum.get_or_none((Curriculum.school_class == cls.id) & (Curriculum.subject == subject.id))
        old = row.hours_per_week if row else None
        if hours == 0:
            if row:
                Curriculum.delete().where(Curriculum.id == row.id).execute()
        elif row:
            Curriculum.update(hours_per_week=hours).where(Curriculum.id == row.id).execute()
        else:
            Curriculum.create(school_class=cls, subject=subject, hours_per_week=hours)
        new = hours or None
        if old != new:
            audit.record(actor, "update", "curriculum", f"{class_label(cls)}:{subject.name}", "hours_per_week", old, new)
    return hours
