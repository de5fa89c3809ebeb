"""Scopes of the roles as the permission engine computes them (R-ROLE-*)."""

from __future__ import annotations

from peewee import Database

from tui_journal.services import access

from .world import build_world


def test_parent_sees_only_his_children(any_db: Database) -> None:
    w = build_world()
    parent = w.actors["parent"]
    assert access.can_see_student(parent, w.students["7А"].id)
    assert not access.can_see_student(parent, w.students["8Б"].id)
    assert access.visible_class_ids(parent) == {w.classes["7А"].id}


def test_pupil_sees_only_himself(any_db: Database) -> None:
    w = build_world()
    pupil = w.actors["student"]
    assert access.can_see_student(pupil, w.students["7А"].id)
    assert not access.can_see_student(pupil, w.students["8Б"].id)


def test_teacher_scope_is_his_assignments(any_db: Database) -> None:
    w = build_world()
    teacher = w.actors["teacher"]
    assert access.visible_class_ids(teacher) == {w.classes["7А"].id}
    assert access.can_write_lesson(teacher, w.lessons["7А"])
    assert not access.can_write_lesson(teacher, w.lessons["8Б"])
    assert not access.can_see_student(teacher, w.students["8Б"].id)


def test_class_teacher_sees_his_class(any_db: Database) -> None:
    w = build_world()
    ct = w.actors["class_teacher"]
    assert w.classes["8Б"].id in ct.led_class_ids
    assert access.can_see_student(ct, w.students["8Б"].id)
    assert access.can_edit_personal_data(ct, w.students["8Б"].id)
    assert not access.can_edit_personal_data(ct, w.students["7А"].id)


def test_school_wide_roles_see_every_class_of_their_school_only(any_db: Database) -> None:
    w = build_world()
    all_classes = {c.id for c in w.classes.values()}
    for role in ("admin", "director", "deputy", "secretary"):
        assert access.visible_class_ids(w.actors[role]) == all_classes, role
    assert access.visible_class_ids(w.actors["other_admin"]) == set()
    assert not access.can_see_student(w.actors["other_admin"], w.students["7А"].id)


def test_deputy_and_director_cannot_write_journals(any_db: Database) -> None:
    w = build_world()
    for role in ("deputy", "director", "admin", "secretary", "parent", "student"):
        assert not access.can_write_lesson(w.actors[role], w.lessons["7А"]), role


def test_substitute_writes_the_lesson_he_teaches(any_db: Database) -> None:
    w = build_world()
    lesson = w.lessons["8Б"]
    assert not access.can_write_lesson(w.actors["teacher"], lesson)
    lesson.teacher = w.users["teacher"]
    lesson.replaced_teacher = w.users["class_teacher"]
    lesson.save()
    assert access.can_write_lesson(w.actors["teacher"], lesson)
