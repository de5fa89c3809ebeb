"""The thematic plan (КТП, R-J-6): editing, import with line-numbered errors, laying onto lessons."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import pytest
from peewee import Database

from tests.factories.rows import make_lesson
from tui_journal.db.models import AuditEntry, Curriculum, Lesson, PlanItem
from tui_journal.services import journal, plan
from tui_journal.services.actor import Actor
from tui_journal.services.errors import InvalidInput, NotFound, PermissionDenied

from .world import World, build_world


@pytest.fixture
def w(any_db: Database) -> World:
    return build_world(plan=False)  # start without a plan


def _lessons(w: World, days: Iterable[int]) -> list[Lesson]:
    return [make_lesson(w.classes["7А"], w.subjects["math"], dt.date(2026, 12, d), 1, w.users["teacher"]) for d in days]


def test_edit_order_and_hours_against_curriculum(w: World) -> None:
    t, c, s = w.actors["teacher"], w.classes["7А"].id, w.subjects["math"].id
    Curriculum.create(school_class=c, subject=s, hours_per_week=0.1)  # 3.4 h a year
    plan.add_item(t, c, s, "Дроби", hours=2)
    plan.add_item(t, c, s, "Проценты", hours=1, kind="контрольная")
    first = plan.add_item(t, c, s, "Повторение", after_ordinal=0)
    summary = plan.plan_summary(t, c, s)
    assert [r.topic for r in summary.rows] == ["Повторение", "Дроби", "Проценты"]
    assert summary.plan_hours == 4 and summary.curriculum_hours == pytest.approx(3.4)
    assert not summary.hours_match
    plan.update_item(t, first.id, hours=0.4)
    assert plan.plan_summary(t, c, s).hours_match
    plan.move_item(t, first.id, +2)
    assert [r.topic for r in plan.plan_summary(t, c, s).rows] == ["Дроби", "Проценты", "Повторение"]
    with pytest.raises(InvalidInput, match="Вид урока"):
        plan.add_item(t, c, s, "X", kind="экскурсия")
    with pytest.raises(PermissionDenied):
        plan.add_item(w.actors["class_teacher"], c, s, "Чужая тема")


def test_import_reports_every_bad_line_and_saves_nothing(w: World, tmp_path: Path) -> None:
    t, c, s = w.actors["teacher"], w.classes["7А"].id, w.subjects["math"].id
    bad = tmp_path / "plan.csv"
    bad.write_text("тема;часы;вид\nДроби;2;обычный\n;1;\nПроценты;два;\nОпыты;1;экскурсия\n", encoding="utf-8")
    console = Actor.console(w.actors["teacher"].school_id)
    with pytest.raises(InvalidInput) as err:
        plan.read_plan_file(console, bad)
    text = err.value.message
    assert "строка 3: Тема не может быть пустой" in text
    assert "строка 4: «два» — не число часов" in text
    assert "строка 5" in text and "экскурсия" in text
    assert PlanItem.select().count() == 0
    good = tmp_path / "plan.xlsx"
    from openpyxl import Workbook

    wb = Workbook()
    for row in (["Тема", "Часы", "Вид"], ["Дроби", 2, "обычный"], ["Контрольная работа № 1", 1, "контрольная"]):
        wb.active.append(row)
    wb.save(good)
    assert plan.import_plan(t, c, s, plan.read_plan_file(console, good)) == 2
    assert [(r.topic, r.hours) for r in plan.plan_summary(t, c, s).rows] == [("Дроби", 2.0), ("Контрольная работа № 1", 1.0)]


def test_lay_onto_lessons_moves_topics_forward(w: World) -> None:
    t, c, s = w.actors["teacher"], w.classes["7А"].id, w.subjects["math"].id
    Lesson.delete().where(Lesson.id == w.lessons["7А"].id).execute()
    a = plan.add_item(t, c, s, "Дроби", hours=2)
    b = plan.add_item(t, c, s, "Проценты", hours=1)
    lessons = _lessons(w, [1, 3, 8, 10])
    assert plan.lay_onto_lessons(t, c, s) == 3
    got = [Lesson.get_by_id(ls.id).plan_item_id for ls in lessons]
    assert got == [a.id, a.id, b.id, None]
    # the first lesson is held on its topic; the second falls out (cancelled)
    journal.set_lesson_info(t, lessons[0].id, plan_item_id=a.id)
    Lesson.delete().where(Lesson.id == lessons[1].id).execute()
    plan.lay_onto_lessons(t, c, s)
    got = [Lesson.get_by_id(ls.id).plan_item_id for ls in (lessons[0], lessons[2], lessons[3])]
    assert got == [a.id, a.id, b.id]
    summary = plan.plan_summary(t, c, s)
    assert summary.rows[0].held == 1 and summary.lessons_held == 1


def test_only_the_console_reads_a_server_file(w: World, tmp_path: Path) -> None:
    secret = tmp_path / "ssh_host_ed25519_key"
    secret.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n", encoding="utf-8")
    for role in ("teacher", "admin"):
        with pytest.raises(PermissionDenied):
            plan.read_plan_file(w.actors[role], secret)
    console = Actor.console(w.actors["admin"].school_id)
    assert plan.read_plan_file(console, secret)[0].topic.startswith("-----BEGIN")  # the console holds the server


def test_pasted_rows_tab_semicolon_numbered_and_headed(w: World) -> None:
    # a spreadsheet's copy: tab-separated, \r\n, a cell with a line break in quotes
    got = plan.parse_plan_text("Дроби\t2\tконтр\r\nПроценты\t1,5\t\r\n\"Длинная\nтема\"\t\tлаб.\r\n")
    assert got[:2] == [plan.ImportedTopic("Дроби", 2, "контрольная"), plan.ImportedTopic("Проценты", 1.5, "обычный")]
    assert got[2].kind == "лабораторная" and got[2].hours == 1
    # CSV from Excel with a header naming the columns (№, dates ignored)
    got = plan.parse_plan_text("№;Тема урока;Дата;Кол-во часов\n1;Дроби;01.09;2\n2;Проценты;03.09;\n")
    assert [(x.topic, x.hours) for x in got] == [("Дроби", 2), ("Проценты", 1)]
    # lesson numbers in the first column without a header
    assert [x.topic for x in plan.parse_plan_text("1\tДроби\n2.\tПроценты")] == ["Дроби", "Проценты"]
    # one topic a line, commas belong to the topic
    assert [x.topic for x in plan.parse_plan_text("Дроби, проценты\nУравнения\n")] == ["Дроби, проценты", "Уравнения"]
    with pytest.raises(InvalidInput) as err:
        plan.parse_plan_text("Дроби\t2\n\t1\nПро\x1b[2Jценты\t1\nОпыты\tмного\nX\t1\tэкскурсия\n" + "Я" * 501 + "\t1")
    text = err.value.message
    assert "строка 2: Тема не может быть пустой" in text
    assert "строка 3: Недопустимые символы" in text
    assert "строка 4: «много» — не число часов" in text
    assert "строка 5: Вид урока «экскурсия» неизвестен" in text
    assert "строка 6: тема: не длиннее 500 знаков" in text
    assert "строка 1" not in text
    with pytest.raises(InvalidInput, match="нет ни одной темы"):
        plan.parse_plan_text("\n \n")


def test_the_documented_example_parses(w: World) -> None:
    from pathlib import Path

    doc = (Path(__file__).parents[2] / "docs" / "import-formats.md").read_text(encoding="utf-8")
    section = doc.split("### Тематический план", 1)[1]
    example = section.split("```csv\n", 1)[1].split("```", 1)[0]
    got = plan.parse_plan_text(example)
    assert [(x.topic, x.hours, x.kind) for x in got] == [
        ("Обыкновенные дроби", 4, "обычный"),
        ("Контрольная работа № 1", 1, "контрольная"),
    ]
    pasted = section.split("```text\n", 1)[1].split("```", 1)[0]
    assert [x.topic for x in plan.parse_plan_text(pasted.replace("→", "\t"))][:2] == ["Натуральные числа", "Сложение"]


def test_replacing_a_plan_keeps_the_old_one_and_restores_it(w: World) -> None:
    t, c, s = w.actors["teacher"], w.classes["7А"].id, w.subjects["math"].id
    Lesson.delete().where(Lesson.id == w.lessons["7А"].id).execute()
    old = [plan.add_item(t, c, s, topic) for topic in ("Дроби", "Проценты", "Степени")]
    held = _lessons(w, [1])[0]
    journal.set_lesson_info(t, held.id, plan_item_id=old[0].id)  # «Дроби» was held: it stays
    assert plan.plan_summary(t, c, s).previous_topics == 0
    with pytest.raises(NotFound):
        plan.restore_previous_plan(t, c, s)
    plan.import_plan(t, c, s, plan.parse_plan_text("Уравнения\t2\nНеравенства\t1"))
    summary = plan.plan_summary(t, c, s)
    assert [r.topic for r in summary.rows] == ["Дроби", "Уравнения", "Неравенства"]
    assert summary.previous_topics == 2
    row = AuditEntry.get((AuditEntry.entity == "plan") & (AuditEntry.field == "topics"))
    assert row.action == "import" and row.actor_name == "teacher"
    assert row.old_value == "Проценты; 1; обычный\nСтепени; 1; обычный"
    assert row.new_value == "Уравнения; 2; обычный\nНеравенства; 1; обычный"
    # bring the previous plan back; what it replaced can be brought back in turn
    assert plan.restore_previous_plan(t, c, s) == 2
    assert [r.topic for r in plan.plan_summary(t, c, s).rows] == ["Дроби", "Проценты", "Степени"]
    assert AuditEntry.select().where((AuditEntry.entity == "plan") & (AuditEntry.action == "restore")).count() == 2
    assert plan.restore_previous_plan(t, c, s) == 2
    assert [r.topic for r in plan.plan_summary(t, c, s).rows] == ["Дроби", "Уравнения", "Неравенства"]
    with pytest.raises(PermissionDenied):
        plan.restore_previous_plan(w.actors["class_teacher"], c, s)
