"""The permission matrix of the school-administration services: setup, timetable,
enrollment, rollover and the school's data in and out (R-ROLE-ADMIN, R-ROLE-SECRETARY,
R-CT-2). Same machinery as ``test_permissions.py``; the world gets a few more objects
(a room, a subgroup, a timetable slot, a substitution…) that these operations act on.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import pytest
from peewee import Database

from tests.factories.rows import (
    enrol,
    make_bells,
    make_class,
    make_group,
    make_lesson,
    make_pupil,
    make_room,
    make_slot,
    make_student,
    make_subject,
)
from tui_journal.db.models import (
    Assignment,
    Period,
)
from tui_journal.services import enrollment, rollover, school_data, setup, timetable
from tui_journal.services.enrollment import NewPupil, ParentData

from . import perm
from .perm import Op, check_operation
from .world import World, build_world

D = dt.date
ADMIN = frozenset({"admin"})
ADMINS = frozenset({"admin", "other_admin"})  # operations on the actor's own school as a whole
STAFF = frozenset({"admin", "director", "deputy", "secretary", "teacher", "class_teacher", "educator"})
MOVERS = frozenset({"admin", "secretary"})
CARD_EDITORS = frozenset({"admin", "secretary", "class_teacher"})  # 8Б's pupil: his class teacher too
MANAGERS = frozenset({"admin", "director", "deputy", "secretary"})
EXTRA: dict[str, int] = {}


def _admin_world() -> World:
    """The shared world plus what the admin operations act on."""
    w = build_world()
    school, c7 = w.school, w.classes["7А"]
    year_id = c7.year_id
    eng = make_subject(school, "Английский язык", split_into_groups=True)
    g1 = make_group(c7, eng, "1 группа", [(w.students["7А"], D(2026, 9, 1))])
    g2 = make_group(c7, eng, "2 группа")
    newcomer = make_student(school, c7, "Новенький", "Ной")
    gone = make_pupil(school, "Ушедший", "Устин")
    enrol(gone, c7, end=D(2026, 10, 1), order_out="№ 5")
    room = make_room(school, "12")
    schedule = make_bells(school, ())
    slot = make_slot(c7, w.subjects["math"], w.users["teacher"], 1, 1, room=room)
    substituted = make_lesson(
        c7, w.subjects["math"], D(2026, 11, 26), 3, w.users["class_teacher"], replaced_teacher=w.users["teacher"]
    )
    empty_class = make_class(school, c7.year, 9, "Я")
    EXTRA.update(
        year=year_id, eng=eng.id, g1=g1.id, g2=g2.id, newcomer=newcomer.id, gone=gone.id, room=room.id,
        schedule=schedule.id, slot=slot.id, substituted=substituted.id, empty_class=empty_class.id,
        period=Period.get(Period.year == year_id).id,
        assignment=Assignment.get(Assignment.teacher == w.users["teacher"]).id,
        work_type=w.marks["7А"].work_type_id or 0,
    )
    return w


@pytest.fixture(autouse=True)
def _richer_world(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(perm, "build_world", _admin_world)


def _c7(w: World) -> int:
    return w.classes["7А"].id


def _file(text: str, suffix: str = ".csv") -> Path:
    handle = tempfile.NamedTemporaryFile("w", suffix=suffix, delete=False, encoding="utf-8")
    with handle:
        handle.write(text)
    return Path(handle.name)


def _pupil() -> NewPupil:
    return NewPupil("Новикова", "Нина", "", D(2013, 4, 5), "ж", (ParentData("Новикова", "Ната", phone="+7 900 123-45-67"),))


_ROLLOVER: dict[str, Any] = dict(promotion_order="№ 120", graduation_order="№ 121")

OPERATIONS: tuple[Op, ...] = (
    # --- setup ---
    Op("setup.years.list_years", lambda a, w: setup.list_years(a), STAFF | {"other_admin"}, writes=False),
    Op("setup.years.add_year", lambda a, w: setup.add_year(a, "2030/2031", D(2030, 9, 1), D(2031, 5, 31)), ADMINS),
    Op("setup.years.update_year", lambda a, w: setup.update_year(a, EXTRA["year"], name="2026-2027"), ADMIN),
    Op(
        "setup.years.add_period",
        lambda a, w: setup.add_period(a, EXTRA["year"], "Осенние каникулы", "holidays", D(2026, 10, 25), D(2026, 11, 4)),
        ADMIN,
    ),
    Op("setup.years.update_period", lambda a, w: setup.update_period(a, EXTRA["period"], name="II четверть"), ADMIN),
    Op("setup.years.delete_period", lambda a, w: setup.delete_period(a, EXTRA["period"]), ADMIN),
    Op("setup.school.school_settings", lambda a, w: setup.school_settings(a), STAFF | {"other_admin"}, writes=False),
    Op("setup.school.set_week_days", lambda a, w: setup.set_week_days(a, 6), ADMINS),
    Op("setup.school.set_grading_policy", lambda a, w: setup.set_grading_policy(a, min_marks=2), ADMINS),
    Op("setup.school.add_bell_schedule", lambda a, w: setup.add_bell_schedule(a, "Сокращённое"), ADMINS),
    Op(
        "setup.school.set_bells",
        lambda a, w: setup.set_bells(a, EXTRA["schedule"], [(1, dt.time(8, 30), dt.time(9, 15))]),
        ADMIN,
    ),
    Op(
        "setup.school.set_main_bells",
        lambda a, w: setup.set_main_bells(a, [(1, dt.time(8, 30), dt.time(9, 15))]),
        ADMINS,
    ),
    Op("setup.catalogue.list_rooms", lambda a, w: setup.list_rooms(a), STAFF | {"other_admin"}, writes=False),
    Op("setup.catalogue.list_teachers", lambda a, w: setup.list_teachers(a), STAFF | {"other_admin"}, writes=False),
    Op("setup.school.list_bell_schedules", lambda a, w: setup.list_bell_schedules(a), STAFF | {"other_admin"}, writes=False),
    Op("setup.catalogue.add_room", lambda a, w: setup.add_room(a, "99"), ADMINS),
    Op("setup.catalogue.rename_room", lambda a, w: setup.rename_room(a, EXTRA["room"], "13"), ADMIN),
    Op("setup.catalogue.list_subjects", lambda a, w: setup.list_subjects(a), STAFF | {"other_admin"}, writes=False),
    Op("setup.catalogue.add_subject", lambda a, w: setup.add_subject(a, "Физика"), ADMINS),
    Op("setup.catalogue.update_subject", lambda a, w: setup.update_subject(a, w.subjects["math"].id, short_name="Мат"), ADMIN),
    Op("setup.catalogue.list_work_types", lambda a, w: setup.list_work_types(a), STAFF | {"other_admin"}, writes=False),
    Op("setup.catalogue.add_work_type", lambda a, w: setup.add_work_type(a, "Диктант", 2), ADMINS),
    Op("setup.catalogue.update_work_type", lambda a, w: setup.update_work_type(a, EXTRA["work_type"], weight=2), ADMIN),
    Op("setup.classes.list_classes", lambda a, w: setup.list_classes(a), STAFF | {"other_admin"}, writes=False),
    Op("setup.classes.add_class", lambda a, w: setup.add_class(a, EXTRA["year"], "9В"), ADMIN),
    Op("setup.classes.set_class_teacher", lambda a, w: setup.set_class_teacher(a, _c7(w), "classteacher"), ADMIN),
    Op("setup.classes.delete_class", lambda a, w: setup.delete_class(a, EXTRA["empty_class"]), ADMIN),
    Op("setup.classes.curriculum_grid", lambda a, w: setup.curriculum_grid(a, EXTRA["year"]), STAFF, writes=False),
    Op("setup.classes.set_hours", lambda a, w: setup.set_hours(a, _c7(w), w.subjects["math"].id, 5), ADMIN),
    Op("setup.groups.list_groups", lambda a, w: setup.list_groups(a, _c7(w)), STAFF, writes=False),
    Op("setup.groups.add_group", lambda a, w: setup.add_group(a, _c7(w), EXTRA["eng"], "3 группа"), ADMIN),
    Op("setup.groups.add_to_group", lambda a, w: setup.add_to_group(a, EXTRA["g1"], [EXTRA["newcomer"]], D(2026, 9, 1)), ADMIN),
    Op(
        "setup.groups.move_to_group",
        lambda a, w: setup.move_to_group(a, w.students["7А"].id, EXTRA["g2"], EXTRA["period"]),
        ADMIN,
    ),
    Op("setup.assignments.list_assignments", lambda a, w: setup.list_assignments(a, _c7(w)), STAFF, writes=False),
    Op(
        "setup.assignments.assign_teacher",
        lambda a, w: setup.assign_teacher(a, _c7(w), w.subjects["math"].id, "classteacher"),
        ADMIN,
    ),
    Op("setup.assignments.hand_over", lambda a, w: setup.hand_over(a, EXTRA["assignment"], "classteacher"), ADMIN),
    Op("setup.assignments.unassign_teacher", lambda a, w: setup.unassign_teacher(a, EXTRA["assignment"]), ADMIN),
    # --- timetable ---
    Op(
        "timetable.reading.class_timetable",
        lambda a, w: timetable.class_timetable(a, _c7(w), D(2026, 11, 2)),
        MANAGERS | {"teacher", "student", "parent"},
        writes=False,
    ),
    Op(
        "timetable.reading.teacher_timetable",
        lambda a, w: timetable.teacher_timetable(a, "teacher", D(2026, 11, 2)),
        STAFF,
        writes=False,
    ),
    Op("timetable.reading.room_timetable", lambda a, w: timetable.room_timetable(a, EXTRA["room"]), STAFF, writes=False),
    Op(
        "timetable.editing.add_slot",
        lambda a, w: timetable.add_slot(a, _c7(w), w.subjects["math"].id, "teacher", 2, 1),
        ADMIN,
    ),
    Op("timetable.editing.change_slot", lambda a, w: timetable.change_slot(a, EXTRA["slot"], D(2026, 11, 2), number=3), ADMIN),
    Op("timetable.editing.end_slot", lambda a, w: timetable.end_slot(a, EXTRA["slot"], D(2026, 11, 2)), ADMIN),
    Op("timetable.generation.generate_lessons", lambda a, w: timetable.generate_lessons(a, D(2026, 11, 2), D(2026, 11, 6)), ADMIN),
    Op("timetable.substitutions.lessons_of_day", lambda a, w: timetable.lessons_of_day(a, D(2026, 11, 27)), ADMINS, writes=False),
    Op("timetable.substitutions.free_teachers", lambda a, w: timetable.free_teachers(a, w.lessons["7А"].id), ADMIN, writes=False),
    Op("timetable.substitutions.substitute", lambda a, w: timetable.substitute(a, w.lessons["7А"].id, "classteacher"), ADMIN),
    Op("timetable.substitutions.cancel_substitution", lambda a, w: timetable.cancel_substitution(a, EXTRA["substituted"]), ADMIN),
    # --- enrollment ---
    Op(
        "enrollment.lists.search_students",
        lambda a, w: enrollment.search_students(a, "уч"),
        STAFF | {"other_admin"},
        writes=False,
    ),
    Op("enrollment.lists.class_list", lambda a, w: enrollment.class_list(a, _c7(w)), MANAGERS | {"teacher"}, writes=False),
    Op(
        "enrollment.cards.student_card",
        lambda a, w: enrollment.student_card(a, w.students["8Б"].id),
        MANAGERS | {"class_teacher"},
        writes=False,
    ),
    Op(
        "enrollment.lists.movements",
        lambda a, w: enrollment.movements(a, D(2026, 9, 1), D(2027, 5, 31)),
        MANAGERS | {"other_admin"},
        writes=False,
    ),
    Op(
        "enrollment.parents.add_guardian",
        lambda a, w: enrollment.add_guardian(a, w.students["8Б"].id, ParentData("Другая", "Дина", phone="+7 900 1111111")),
        CARD_EDITORS,
    ),
    Op(
        "enrollment.parents.update_guardian",
        lambda a, w: enrollment.update_guardian(a, w.students["8Б"].id, "otherparent", phone="+7 900 2222222"),
        CARD_EDITORS,
    ),
    Op(
        "enrollment.cards.update_student",
        lambda a, w: enrollment.update_student(a, w.students["8Б"].id, address="ул. Садовая, 5"),
        CARD_EDITORS,
    ),
    Op("enrollment.cards.confirm_contacts", lambda a, w: enrollment.confirm_contacts(a, w.students["8Б"].id), CARD_EDITORS),
    Op(
        "enrollment.moves.enroll_new",
        lambda a, w: enrollment.enroll_new(a, _pupil(), _c7(w), D(2026, 11, 2), "№ 50-у"),
        MOVERS,
    ),
    Op(
        "enrollment.moves.arrive",
        lambda a, w: enrollment.arrive(a, EXTRA["gone"], _c7(w), D(2026, 11, 2), "№ 51-у"),
        MOVERS,
    ),
    Op(
        "enrollment.moves.depart",
        lambda a, w: enrollment.depart(a, w.students["7А"].id, D(2026, 11, 2), "№ 52-у"),
        MOVERS,
    ),
    Op(
        "enrollment.moves.transfer",
        lambda a, w: enrollment.transfer(a, w.students["7А"].id, w.classes["8Б"].id, D(2026, 11, 2), "№ 53-у"),
        MOVERS,
    ),
    # --- rollover ---
    Op(
        "rollover.preview_rollover",
        lambda a, w: rollover.preview_rollover(a, EXTRA["year"], **_ROLLOVER),
        ADMIN,
        writes=False,
    ),
    Op("rollover.apply_rollover", lambda a, w: rollover.apply_rollover(a, EXTRA["year"], **_ROLLOVER), ADMIN),
    # --- the school's data ---
    Op(
        "school_data.export.export_school",
        lambda a, w: school_data.export_school(a, Path(tempfile.mkdtemp()) / "out"),
        ADMINS,
    ),
    Op(
        "school_data.table_import.import_students",
        lambda a, w: school_data.import_students(
            a, _file("фамилия;имя;дата рождения;пол;класс;приказ\nНовиков;Ник;01.02.2013;м;7А;№ 9\n")
        ),
        MOVERS,
    ),
    Op(
        "school_data.table_import.import_staff",
        lambda a, w: school_data.import_staff(a, _file("логин,фамилия,имя,роли\nnewstaff,Новый,Нил,учитель\n")),
        ADMINS,
    ),
)

NOT_OPERATIONS = {
    "setup.base.find_class": "a lookup by name in the actor's school for the CLI and the screens; the operations check",
    "setup.base.find_subject": "a lookup by name in the actor's school for the CLI and the screens; the operations check",
}


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.name)
def test_operation_as_every_role(any_db: Database, op: Op) -> None:
    check_operation(op)
