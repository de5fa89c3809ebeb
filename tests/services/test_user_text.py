"""Every service that stores user text passes it through the one text boundary: control,
bidi and zero-width characters are refused (nothing stored), limits are the same on SQLite
and PostgreSQL (``any_db`` runs both when TUI_JOURNAL_TEST_PG is set)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from peewee import Database

from tui_journal.domain.user_text import LIMITS
from tui_journal.services import accounts, classteacher, enrollment, journal, messages, plan, setup
from tui_journal.services.actor import Actor
from tui_journal.services.errors import InvalidInput

from .world import World, build_world, fingerprint

BAD = {
    "esc-title": "Урок \x1b]0;owned\x07",
    "clear": "\x1b[2J",
    "rlo": "Дроби \u202eотч",
    "isolate": "Дроби \u2067x\u2069",
    "zero-width": "Дро\u200bби",
    "bom": "\ufeffДроби",
    "c1-csi": "Дроби \x9b2J",
}


@pytest.fixture
def w(any_db: Database) -> World:
    return build_world(marks=False)


def _calls(w: World) -> dict[str, tuple[str, Callable[[str], object]]]:
    t, lesson, pupil = w.actors["teacher"], w.lessons["7А"], w.students["7А"]
    admin, c, s = w.actors["admin"], w.classes["7А"].id, w.subjects["math"].id
    return {
        "topic": ("тема урока", lambda x: journal.set_lesson_info(t, lesson.id, topic=x)),
        "homework": ("домашнее задание", lambda x: journal.set_lesson_info(t, lesson.id, homework=x)),
        "homework_pages": ("страницы", lambda x: journal.set_lesson_info(t, lesson.id, homework_pages=x)),
        "individual": ("индивидуальное", lambda x: journal.set_individual_homework(t, lesson.id, pupil.id, x)),
        "plan_item": ("тема", lambda x: plan.add_item(t, c, s, x)),
        "plan_import": ("тема", lambda x: plan.import_plan(t, c, s, [plan.ImportedTopic(x, 1.0, "обычный")])),
        "user_name": ("фамилия", lambda x: accounts.add_user(admin, "newbie", x, "Иван", "", roles=["teacher"])),
        "subject": ("название предмета", lambda x: setup.add_subject(admin, x)),
        "room": ("кабинет", lambda x: setup.add_room(admin, x)),
        "pupil_name": ("имя", lambda x: enrollment.update_student(admin, pupil.id, first_name=x)),
        "pupil_notes": ("заметки", lambda x: enrollment.update_student(admin, pupil.id, notes=x)),
        "message": ("Сообщение", lambda x: messages.send_message(t, [w.users["admin"].id], "Тема", x)),
        "message_subject": ("Тема", lambda x: messages.send_message(t, [w.users["admin"].id], x, "Текст")),
        "announcement": ("Заголовок", lambda x: messages.publish_announcement(admin, x, "")),
        "absence_reason": (
            "Причина",
            lambda x: classteacher.correct_attendance(
                w.actors["class_teacher"], w.lessons["8Б"].id, w.students["8Б"].id, "б", x
            ),
        ),
    }


CASES = [
    "topic", "homework", "homework_pages", "individual", "plan_item", "plan_import", "user_name", "subject",
    "room", "pupil_name", "pupil_notes", "message", "message_subject", "announcement", "absence_reason",
]


# every kind of bad text on a topic and a name; the three kinds (escape, bidi, zero width) elsewhere
PAIRS = [(case, bad) for case in ("topic", "user_name") for bad in sorted(BAD)] + [
    (case, bad) for case in CASES if case not in ("topic", "user_name") for bad in ("esc-title", "rlo", "zero-width")
]


@pytest.mark.parametrize(("case", "bad"), PAIRS)
def test_forbidden_characters_are_refused_and_nothing_is_stored(w: World, case: str, bad: str) -> None:
    field, call = _calls(w)[case]
    before = fingerprint()
    with pytest.raises(InvalidInput) as err:
        call(BAD[bad])
    assert field in err.value.message
    assert "\x1b" not in err.value.message and "\u202e" not in err.value.message
    assert fingerprint() == before


@pytest.mark.parametrize(
    ("case", "kind"),
    [("topic", "topic"), ("homework", "homework"), ("user_name", "name"), ("subject", "name"),
     ("message", "message"), ("message_subject", "subject"), ("plan_item", "topic"), ("room", "name")],
)
def test_limits_are_the_same_on_every_backend(w: World, case: str, kind: str) -> None:
    """The limit is the boundary's, not the database's: a text one longer is refused with
    the Russian message (never a raw database error) and nothing is stored."""
    _, call = _calls(w)[case]
    limit = LIMITS[kind].limit
    before = fingerprint()
    with pytest.raises(InvalidInput, match=f"не длиннее {limit} знаков"):
        call("я" * (limit + 1))
    assert fingerprint() == before
    call("я" * limit)  # the limit itself is stored, on SQLite as on PostgreSQL


def test_a_5000_character_name_is_refused_not_a_database_error(w: World) -> None:
    with pytest.raises(InvalidInput, match="не длиннее 100 знаков"):
        accounts.add_user(w.actors["admin"], "longname", "Ф" * 5000, "Иван", "", roles=["teacher"])


def test_clean_text_with_line_breaks_and_markup_is_stored(w: World) -> None:
    t, lesson = w.actors["teacher"], w.lessons["7А"]
    info = journal.set_lesson_info(t, lesson.id, topic="[b]Дроби[/b]", homework="§ 5\n№ 3\tи 4")
    assert info.topic == "[b]Дроби[/b]" and info.homework == "§ 5\n№ 3\tи 4"


def test_a_plan_file_drops_control_characters_and_names_nothing_else(w: World, tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    path.write_text("Тема,Часы\nУрок \x1b]0;owned\x07,1\nДро\u200bби,2\n", encoding="utf-8")
    topics = plan.read_plan_file(Actor.console(w.actors["admin"].school_id), path)
    assert [x.topic for x in topics] == ["Урок ]0;owned", "Дроби"]
