"""The permission matrix of the diary, the class teacher, the deputy's control, messages and
signing (R-ROLE-*, R-D-*, R-CT-*, R-DEP-*, R-DIR-1): every operation as every role.

The world of ``world.py`` gets a few more rows here (see :func:`build_roles_world`): the
school's signing key, an announcement for 8Б, a message from the 7А teacher to the 7А
parent, an «н» of the 8Б pupil and a file to sign.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from peewee import Database

from tests.factories.rows import mark_absent
from tui_journal.db.models import Announcement, Attendance, Message, MessageRecipient
from tui_journal.services import classteacher, control, diary, messages, signing

from . import perm
from .perm import EVERYONE, Op, check_operation
from .world import World, build_world

DAY = dt.date(2026, 11, 27)
SCHOOL_WIDE = frozenset({"admin", "director", "deputy"})
DIARY_READERS = frozenset({"admin", "director", "deputy", "teacher", "student", "parent"})
CARD_READERS = frozenset({"admin", "director", "deputy", "secretary", "class_teacher"})
CLASS_8B = frozenset({"admin", "director", "deputy", "class_teacher"})
STAFF = frozenset({"admin", "director", "deputy", "secretary", "teacher", "class_teacher", "educator"})


def build_roles_world() -> World:
    """``build_world()`` plus the rows these operations work on (stored as attributes)."""
    w = build_world()
    signing.create_key(w.school.id, "test")
    w.announcement_8b = Announcement.create(  # type: ignore[attr-defined]
        school=w.school, school_class=w.classes["8Б"], author=w.users["class_teacher"], title="Собрание 8Б", body="В четверг"
    )
    msg = Message.create(school=w.school, sender=w.users["teacher"], subject="Дроби", body="Повторите дроби")
    MessageRecipient.create(message=msg, user=w.users["parent"])
    w.message = msg  # type: ignore[attr-defined]
    mark_absent(w.students["8Б"], w.lessons["8Б"], "н", entered_by=w.users["class_teacher"])
    folder = Path(tempfile.mkdtemp(prefix="tj-sign-"))
    w.to_sign = folder / "journal-7A.csv"  # type: ignore[attr-defined]
    w.to_sign.write_text("Учеников Коля;4\n", encoding="utf-8")  # type: ignore[attr-defined]
    return w


def _s7(w: World) -> int:
    return w.students["7А"].id


def _s8(w: World) -> int:
    return w.students["8Б"].id


OPERATIONS: tuple[Op, ...] = (
    # --- the diary ---
    Op("diary.base.diary_students", lambda a, w: diary.diary_students(a), EVERYONE, writes=False),
    Op("diary.weekly.week", lambda a, w: diary.week(a, _s7(w), DAY, today=DAY), DIARY_READERS, writes=False),
    Op("diary.marks.marks_summary", lambda a, w: diary.marks_summary(a, _s7(w), today=DAY), DIARY_READERS, writes=False),
    Op(
        "diary.marks.subject_view",
        lambda a, w: diary.subject_view(a, _s7(w), w.subjects["math"].id, today=DAY),
        DIARY_READERS,
        writes=False,
    ),
    Op("diary.schedule.timetable", lambda a, w: diary.timetable(a, _s7(w), DAY), DIARY_READERS, writes=False),
    Op("diary.recent.news", lambda a, w: diary.news(a, today=DAY), EVERYONE, writes=False),
    Op("diary.recent.previous_visit", lambda a, w: diary.previous_visit(a), EVERYONE, writes=False),
    # --- messages and announcements ---
    Op("messages.addressing.contacts", lambda a, w: messages.contacts(a), EVERYONE, writes=False),
    Op("messages.sending.class_choices", lambda a, w: messages.class_choices(a), EVERYONE, writes=False),
    Op("messages.addressing.may_write_to", lambda a, w: messages.may_write_to(a, w.users["teacher"]), EVERYONE, writes=False),
    Op(
        "messages.sending.send_message",
        # the 7А math teacher: staff write to anybody, the 7А pupil and parent to their teacher
        lambda a, w: messages.send_message(a, [w.users["teacher"].id], "Вопрос", "Здравствуйте!"),
        EVERYONE - {"other_admin"},
    ),
    Op(
        "messages.sending.send_to_parents",
        lambda a, w: messages.send_to_parents(a, _s7(w), "Успеваемость", "Прошу зайти в школу"),
        frozenset({"admin", "director", "deputy", "secretary", "teacher"}),
    ),
    Op(
        "messages.sending.send_to_class_parents",
        lambda a, w: messages.send_to_class_parents(a, w.classes["7А"].id, "Собрание", "В пятницу"),
        frozenset({"admin", "director", "deputy", "secretary", "teacher"}),
    ),
    Op("messages.sending.send_to_staff", lambda a, w: messages.send_to_staff(a, "Педсовет", "В 15:00"), STAFF | {"other_admin"}),
    Op(
        "messages.sending.notify_about_pupil",
        lambda a, w: messages.notify_about_pupil(a, _s7(w), w.subjects["math"].id, "Три «2» подряд"),
        frozenset({"teacher"}),
    ),
    Op("messages.boxes.inbox", lambda a, w: messages.inbox(a), EVERYONE, writes=False),
    Op("messages.boxes.sent", lambda a, w: messages.sent(a), EVERYONE, writes=False),
    Op("messages.boxes.read_message", lambda a, w: messages.read_message(a, w.message.id), frozenset({"parent"})),  # type: ignore[attr-defined]
    Op("messages.board.announcements", lambda a, w: messages.announcements(a), EVERYONE, writes=False),
    Op(
        "messages.board.publish_announcement",
        lambda a, w: messages.publish_announcement(a, "Экскурсия", "В музей", class_id=w.classes["8Б"].id),
        CLASS_8B,
    ),
    Op(
        "messages.board.mark_announcement_read",
        lambda a, w: messages.mark_announcement_read(a, w.announcement_8b.id),  # type: ignore[attr-defined]
        CLASS_8B | {"secretary"},
    ),
    Op("messages.board.unread_counts", lambda a, w: messages.unread_counts(a), EVERYONE, writes=False),
    # --- the class teacher ---
    Op("classteacher.class_list.my_classes", lambda a, w: classteacher.my_classes(a), EVERYONE, writes=False),
    Op("classteacher.class_list.class_roster", lambda a, w: classteacher.class_roster(a, w.classes["8Б"].id, DAY), CARD_READERS, writes=False),
    Op(
        "classteacher.attendance.attendance_week",
        lambda a, w: classteacher.attendance_week(a, w.classes["8Б"].id, DAY),
        CLASS_8B,
        writes=False,
    ),
    Op(
        "classteacher.attendance.correct_attendance",
        lambda a, w: classteacher.correct_attendance(a, w.lessons["8Б"].id, _s8(w), "б", "справка"),
        frozenset({"class_teacher"}),
    ),
    Op(
        "classteacher.attendance.correct_days",
        lambda a, w: classteacher.correct_days(a, _s8(w), DAY, DAY, "у", "соревнования"),
        frozenset({"class_teacher"}),
    ),
    Op(
        "classteacher.credentials.issue_credentials",
        lambda a, w: classteacher.issue_credentials(a, w.classes["8Б"].id, today=DAY),
        frozenset({"admin", "class_teacher"}),
    ),
    Op(
        "classteacher.alerts.early_warnings",
        lambda a, w: classteacher.early_warnings(a, w.classes["8Б"].id, DAY),
        CLASS_8B,
        writes=False,
    ),
    # --- the deputy's control (read-only) ---
    Op("control.teachers", lambda a, w: control.teachers(a), SCHOOL_WIDE | {"other_admin"}, writes=False),
    Op("control.periods", lambda a, w: control.periods(a, DAY), SCHOOL_WIDE | {"other_admin"}, writes=False),
    Op("control.classes", lambda a, w: control.classes(a), SCHOOL_WIDE | {"other_admin"}, writes=False),
    Op(
        "control.teachers_overview",
        lambda a, w: control.teachers_overview(a, dt.date(2026, 11, 1), DAY, DAY),
        SCHOOL_WIDE | {"other_admin"},
        writes=False,
    ),
    Op(
        "control.teacher_control",
        lambda a, w: control.teacher_control(a, w.users["teacher"].id, dt.date(2026, 11, 1), DAY, DAY),
        SCHOOL_WIDE,
        writes=False,
    ),
    Op(
        "control.class_control",
        lambda a, w: control.class_control(a, w.classes["7А"].id, dt.date(2026, 11, 1), DAY, DAY),
        SCHOOL_WIDE,
        writes=False,
    ),
    Op("control.objectivity", lambda a, w: control.objectivity(a, w.classes["7А"].id, today=DAY), SCHOOL_WIDE, writes=False),
    Op(
        "control.activity",
        lambda a, w: control.activity(a, dt.date(2026, 11, 1), DAY),
        SCHOOL_WIDE | {"other_admin"},
        writes=False,
    ),
    # --- signing (R-DIR-1) ---
    Op("signing.keygen", lambda a, w: signing.keygen(a, replace=True), frozenset({"admin", "other_admin"})),
    Op("signing.public_key", lambda a, w: signing.public_key(a), EVERYONE - {"other_admin"}, writes=False),
    Op("signing.sign_file", lambda a, w: signing.sign_file(a, w.to_sign), frozenset({"director"})),  # type: ignore[attr-defined]
)


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.name)
def test_operation_as_every_role(any_db: Database, monkeypatch: pytest.MonkeyPatch, op: Op) -> None:
    monkeypatch.setattr(perm, "build_world", build_roles_world)
    check_operation(op)


def test_the_extra_world_is_what_the_matrix_expects(any_db: Database) -> None:
    w = build_roles_world()
    assert signing.public_key(w.actors["parent"]).key_id
    assert Attendance.get().code == "н"
    assert w.to_sign.read_text(encoding="utf-8").startswith("Учеников")  # type: ignore[attr-defined]
