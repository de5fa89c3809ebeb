"""The school's data in and out: the export/import round trip (SQLite and PostgreSQL), the
checks that report every bad line, and the pupils' and staff's imports from CSV and XLSX."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from tests.factories.school import BuiltSchool, Slot, build_school
from tui_journal.db import models as m
from tui_journal.services import enrollment, journal, plan, school_data, setup
from tui_journal.services.actor import Actor
from tui_journal.services.errors import InvalidInput, PermissionDenied

from .world import fingerprint

D = dt.date


def _rich_school(admin: Actor) -> BuiltSchool:
    s = build_school(
        admin,
        hours={("7А", "Математика"): 5},
        assignments=(("7А", "Математика", "ivanova"),),
        groups=(("7А", "Английский язык", "1 группа [англ]", ["Алексеев"]),),
        bells=((1, dt.time(8, 30), dt.time(9, 15)),),
        slots=(
            Slot("7А", "Математика", "ivanova", 1, 1, room="12"),
            Slot("7А", "Английский язык", "orlova", 2, 1, group="1 группа [англ]"),
        ),
        lessons=(D(2026, 9, 1), D(2026, 9, 30)),
    )
    math, c7 = s.subjects["Математика"], s.classes["7А"]
    teacher = s.actors["ivanova"]
    lesson = m.Lesson.select().where(m.Lesson.subject == math).order_by(m.Lesson.date).first()
    journal.set_cell(teacher, lesson.id, s.pupils["Алексеев"], "5")
    journal.set_cell(teacher, lesson.id, s.pupils["Борисова"], "н")
    journal.set_lesson_info(teacher, lesson.id, topic="Дроби\nи «проценты» [b]", homework="§ 1, \\N")
    plan.add_item(teacher, c7, math, "Дроби [b]", hours=2)
    plan.import_plan(teacher, c7, math, [plan.ImportedTopic("Проценты", 1, "контрольная")])  # one archived
    m.Attendance.create(student=s.pupils["Ёлкин"], lesson=lesson, code=None, corrected_code="у", reason="")
    first_quarter = next(p for p in s.year.periods if p.kind == "quarter")
    m.PeriodMark.create(
        student=s.pupils["Алексеев"], subject=math, school_class=c7, period=first_quarter.id, value="5",
        proposed="4", reason="контрольная", entered_by=teacher.user_id,
    )
    enrollment.update_student(admin, s.pupils["Алексеев"], notes="строка 1\r\nстрока 2\t[i]", address="\\ул. Обратная")
    enrollment.enroll_new(
        admin,
        enrollment.NewPupil("[red]Марков[/red]", "Марк", "", D(2013, 1, 2), "м",
                            (enrollment.ParentData("Маркова", "Майя", phone="+7 900 000-00-00", relation="мать"),)),
        c7, D(2026, 9, 10), "№ 2",
    )
    enrollment.depart(admin, s.pupils["Воронов"], D(2026, 9, 20), "№ 3", went_to="Лицей № 1")
    message = m.Message.create(school=admin.school_id, sender=teacher.user_id, subject="Тема", body="Текст\n2")
    m.MessageRecipient.create(message=message, user=s.actors["petrov"].user_id)
    return s


def _dump() -> dict[str, list[Any]]:
    return {
        model._meta.table_name: list(model.select().order_by(model.id).tuples())
        for model in school_data.EXPORTED_MODELS
    }


def _wipe() -> None:
    for model in reversed(m.ALL_MODELS):
        model.delete().execute()


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.name != school_data.MANIFEST}


def test_round_trip_loses_nothing(admin: Actor, tmp_path: Path) -> None:
    _rich_school(admin)
    first = school_data.export_school(admin, tmp_path / "out1")
    assert first.counts["mark"] >= 1 and first.counts["attendance"] >= 2 and first.counts["lesson"] > 5
    manifest = json.loads((tmp_path / "out1" / "manifest.json").read_text(encoding="utf-8"))
    assert {f["table"] for f in manifest["files"]} == {x._meta.table_name for x in school_data.EXPORTED_MODELS}
    before = _dump()
    _wipe()
    assert m.School.select().count() == 0
    report = school_data.import_school(tmp_path / "out1")
    assert report.school == "МКОУ «Тестовая СШ»" and report.counts["student"] == 7
    after = _dump()
    imported_audit = after["audit_entry"][len(before["audit_entry"]):]
    assert len(imported_audit) == 1 and imported_audit[0][7] == "import"
    after["audit_entry"] = after["audit_entry"][: len(before["audit_entry"])]
    for table in before:
        if after[table] != before[table]:
            diff = [(a, b) for a, b in zip(after[table], before[table], strict=False) if a != b]
            raise AssertionError((table, diff[:3]))
    assert after == before
    # the journal reads the imported data as before
    student = m.Student.get(m.Student.last_name == "Алексеев")
    # line breaks are stored as \n (the text boundary), tabs and markup as typed
    assert student.notes == "строка 1\nстрока 2\t[i]" and student.address == "\\ул. Обратная"
    lesson = m.Lesson.get(m.Lesson.topic != "")
    assert lesson.topic == "Дроби\nи «проценты» [b]" and lesson.homework == "§ 1, \\N"
    assert m.Attendance.get(m.Attendance.corrected_code == "у").code is None
    # a second export of the imported school gives the same files (audit aside)
    second = school_data.export_school(admin, tmp_path / "out2")
    assert second.counts == {**first.counts, "audit_entry": first.counts["audit_entry"] + 2}
    files1, files2 = _files(tmp_path / "out1"), _files(tmp_path / "out2")
    files1.pop("audit_entry.csv"), files2.pop("audit_entry.csv")
    assert files1 == files2
    # ids go on after the imported ones (PostgreSQL sequences are moved past them)
    room = setup.add_room(admin, "101")
    assert room.id > max(r[0] for r in before["room"])


def _rewrite(directory: Path, name: str, old: str, new: str) -> None:
    """Edit an exported file by hand and fix its checksum in the manifest."""
    path = directory / name
    text = path.read_bytes().decode("utf-8")
    assert old in text
    path.write_bytes(text.replace(old, new, 1).encode("utf-8"))
    manifest_path = directory / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        if entry["file"] == name:
            entry["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def test_import_reports_every_bad_line_and_changes_nothing(admin: Actor, tmp_path: Path) -> None:
    _rich_school(admin)
    out = tmp_path / "out"
    school_data.export_school(admin, out)
    _wipe()
    _rewrite(out, "student.csv", "2013-03-01", "2013-13-01")
    _rewrite(out, "enrollment.csv", "\r\n1,1,1,", "\r\n1,999,1,")
    before = fingerprint()
    with pytest.raises(InvalidInput) as info:
        school_data.import_school(out, dry_run=True)
    text = info.value.message
    assert "student.csv, строка 2: поле birth_date: «2013-13-01» — не дата" in text
    assert fingerprint() == before
    _rewrite(out, "student.csv", "2013-13-01", "2013-03-01")
    with pytest.raises(InvalidInput) as info:
        school_data.import_school(out)
    assert "enrollment.csv, строка 2: поле student_id: нет записи 999 в student.csv" in info.value.message
    assert fingerprint() == before


def test_import_checks_the_manifest_and_an_empty_database(admin: Actor, tmp_path: Path) -> None:
    _rich_school(admin)
    out = tmp_path / "out"
    school_data.export_school(admin, out)
    path = out / "room.csv"
    path.write_bytes(path.read_bytes() + b"99,1,x\r\n")
    with pytest.raises(InvalidInput, match="контрольная сумма"):
        school_data.import_school(out, dry_run=True)
    _rewrite(out, "room.csv", "99,1,x\r\n", "")
    with pytest.raises(InvalidInput, match="не пуста"):
        school_data.import_school(out, dry_run=True)
    _wipe()
    report = school_data.import_school(out, dry_run=True)
    assert report.dry_run and m.School.select().count() == 0
    with pytest.raises(InvalidInput, match="не пуст"):
        school_data.export_school(admin, out)
    with pytest.raises(InvalidInput, match=r"manifest\.json"):
        school_data.import_school(tmp_path)


def test_only_the_admin_exports(admin: Actor, tmp_path: Path) -> None:
    s = build_school(admin)
    with pytest.raises(PermissionDenied):
        school_data.export_school(s.actors["sekretar"], tmp_path / "x")
    assert not (tmp_path / "x").exists()


# --- pupils and staff from files ----------------------------------------------------------

STUDENTS_HEADER = "Фамилия;Имя;Отчество;Дата рождения;Пол;Класс;Дата зачисления;Приказ;Откуда;Родитель 1;Телефон 1;Кем приходится 1"


def test_students_from_a_windows_csv(admin: Actor, tmp_path: Path) -> None:
    s = build_school(admin)
    path = tmp_path / "pupils.csv"
    path.write_bytes(
        "\r\n".join(
            [
                STUDENTS_HEADER,
                "Смирнова;Софья;Сергеевна;12.03.2013;ж;7а;01.09.2026;№ 5-у;;Смирнов Сергей Петрович;+7 912 345-67-89;отец",
                "[Квадратов];Кирилл;;2013-05-06;м;7Б;;№ 5-у;СОШ № 2;;;",
            ]
        ).encode("cp1251")
    )
    summary = school_data.import_students(s.actors["sekretar"], path)
    assert summary.rows == 2 and not summary.dry_run
    hits = {h.full_name: h.class_name for h in enrollment.search_students(admin, "в")}
    assert hits["Смирнова Софья Сергеевна"] == "7А" and hits["[Квадратов] Кирилл"] == "7Б"
    card = enrollment.student_card(admin, enrollment.search_students(admin, "смирнова")[0].id)
    assert card.guardians[0].full_name == "Смирнов Сергей Петрович" and card.guardians[0].relation == "отец"
    assert card.history[0].start == D(2026, 9, 1)


def test_students_bad_lines_are_all_reported_and_nothing_goes_in(admin: Actor, tmp_path: Path) -> None:
    build_school(admin)
    path = tmp_path / "pupils.csv"
    path.write_text(
        "\n".join(
            [
                STUDENTS_HEADER,
                "Хороший;Харитон;;01.01.2013;м;7А;;№ 1;;;;",
                "Плохой;Пётр;;31.02.2013;м;7А;;№ 1;;;;",
                "Безклассов;Борис;;01.01.2013;м;9Я;;№ 1;;;;",
                "Беспол;Бен;;01.01.2013;?;7А;;№ 1;;;;",
                "Хороший;Харитон;;01.01.2013;м;7Б;;№ 1;;;;",
                "Алексеев;Антон;;01.03.2013;м;7А;;№ 1;;;;",
                "Управ\x07ляющий;Ян;;01.01.2013;м;7А;;№ 1;;;;",
                "Родня;Рита;;01.01.2013;ж;7А;;№ 1;;;+7 900 000-00-00;",
            ]
        ),
        encoding="utf-8",
    )
    before = fingerprint()
    with pytest.raises(InvalidInput) as info:
        school_data.import_students(admin, path)
    text = info.value.message
    for expected in (
        "строка 3: «31.02.2013» — не дата",
        "строка 4: Класс «9Я» не найден",
        "строка 5: Пол «?» непонятен",
        "строка 6: тот же учащийся, что в строке 2",
        "строка 7: Алексеев Антон с этой датой рождения уже есть",
        "строка 8: Недопустимые символы",
        "строка 9: телефон 1 без ФИО родителя 1",
    ):
        assert expected in text, text
    assert "строка 2:" not in text
    assert fingerprint() == before


def test_students_from_xlsx_and_a_dry_run(admin: Actor, tmp_path: Path) -> None:
    from openpyxl import Workbook

    s = build_school(admin)
    book = Workbook()
    sheet = book.active
    sheet.append(["фамилия", "имя", "дата рождения", "пол", "класс", "приказ"])
    sheet.append(["Экселев", "Эмиль", dt.datetime(2013, 7, 8), "м", "7А", 17])
    path = tmp_path / "pupils.xlsx"
    book.save(path)
    dry = school_data.import_students(admin, path, dry_run=True)
    assert dry.dry_run and dry.created == ("Экселев Эмиль — 7А",)
    assert not enrollment.search_students(admin, "экселев")
    school_data.import_students(admin, path)
    card = enrollment.student_card(admin, enrollment.search_students(admin, "экселев")[0].id)
    assert card.birth_date == D(2013, 7, 8) and card.history[0].order_in == "17"
    assert s.classes["7А"] == card.class_id


def test_unknown_columns_are_refused(admin: Actor, tmp_path: Path) -> None:
    build_school(admin)
    path = tmp_path / "pupils.csv"
    path.write_text("фамилия,имя,рост\nИванов,Иван,150\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        school_data.import_students(admin, path)
    assert "неизвестные столбцы: рост" in info.value.message
    assert "нет обязательных столбцов: дата рождения" in info.value.message


def test_staff_import(admin: Actor, tmp_path: Path) -> None:
    s = build_school(admin)
    path = tmp_path / "staff.csv"
    path.write_text(
        "логин,фамилия,имя,отчество,роли,телефон\n"
        "kuznetsova,Кузнецова,Клавдия,Петровна,\"учитель, завуч\",+7 900 1\n"
        ",Жуков,Жорж,,учитель,\n"
        ",Жуков,Жан,,учитель,\n",
        encoding="utf-8",
    )
    summary = school_data.import_staff(admin, path)
    assert summary.rows == 3
    k = m.User.get(m.User.login == "kuznetsova")
    assert {r.role for r in m.UserRole.select().where(m.UserRole.user == k.id)} == {"teacher", "deputy"} and k.password_hash is None
    assert m.User.select().where(m.User.login.startswith("zhukov.z")).count() == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("логин,фамилия,имя,роли\nivanova,Иванова,Инна,учитель\nx y,Икс,Игрек,учитель\nnew1,Нов,Ник,классный руководитель\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        school_data.import_staff(admin, bad)
    text = info.value.message
    assert "строка 2: логин «ivanova» уже занят" in text
    assert "строка 3: логин «x y» недопустим" in text
    assert "строка 4: роль «классный руководитель» неизвестна" in text
    with pytest.raises(PermissionDenied):
        school_data.import_staff(s.actors["sekretar"], path)


# --- the console commands (tui_journal.cli.school) ---------------------------------------


def _cli(capsys: pytest.CaptureFixture[str], url: str, *argv: str) -> tuple[int, str, str]:
    import argparse

    from tui_journal.cli import core, school
    from tui_journal.cli.base import common_options

    parser = argparse.ArgumentParser(parents=[common_options(suppress=False)])
    school.register(parser.add_subparsers())
    code = core._dispatch(parser.parse_args([*argv, "--db", url]))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def test_console_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sqlite3
    import sys

    from tui_journal.db.database import open_database, sqlite_url, upgrade
    from tui_journal.services.auth import actor_for
    from tui_journal.services.school import create_school_with_admin

    source, target = sqlite_url(tmp_path / "a.db"), sqlite_url(tmp_path / "b.db")
    db = open_database(source, check_schema=False)
    upgrade(db)
    create_school_with_admin("Школа [№ 1]", "admin", ("Админов", "Андрей", ""), "Admin-pass-2026")
    build_school(actor_for(m.User.get(m.User.login == "admin")))
    db.close()
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))

    code, out, err = _cli(capsys, source, "export", "school", str(tmp_path / "out"))
    assert code == 0, err
    assert "Школа [№ 1]" in out and (tmp_path / "out" / "manifest.json").is_file()
    code, out, err = _cli(capsys, target, "import", "school", str(tmp_path / "out"), "--dry-run")
    assert code == 0 and "ошибок нет" in out, err
    code, out, err = _cli(capsys, target, "import", "school", str(tmp_path / "out"))
    assert code == 0 and "загружена" in out, err

    def count(url: str, table: str) -> int:
        con = sqlite3.connect(url.split("sqlite:///", 1)[1])
        try:
            return int(con.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])
        finally:
            con.close()

    for table in ("student", "enrollment", "user", "school_class", "period", "guardian_link"):
        assert count(source, table) == count(target, table), table
    code, out, err = _cli(capsys, target, "import", "school", str(tmp_path / "out"))
    assert code == 1 and "не пуста" in err

    bad = tmp_path / "pupils.csv"
    bad.write_text("фамилия;имя;дата рождения;пол;класс;приказ\nИванов;Иван;1.1.2013;м;7Ъ;№ 1\n", encoding="utf-8")
    code, out, err = _cli(capsys, target, "import", "students", str(bad))
    assert code == 1 and "строка 2: Класс «7Ъ» не найден" in err
    bad.write_text("фамилия;имя;дата рождения;пол;класс;приказ\nИванов;Иван;1.1.2013;м;7Б;№ 1\n", encoding="utf-8")
    code, out, err = _cli(capsys, target, "import", "students", str(bad))
    assert code == 0 and "Зачислено учащихся: 1" in out, err

    staff = tmp_path / "staff.csv"
    staff.write_text("фамилия,имя,роли\nСтаров,Степан,учитель\n", encoding="utf-8")
    code, out, err = _cli(capsys, target, "import", "staff", str(staff), "--dry-run")
    assert code == 0 and "ничего не записано" in out, err

    topics = tmp_path / "plan.csv"
    topics.write_text("тема;часы;вид\nДроби;2;обычный\nКонтрольная;1;контрольная\n", encoding="utf-8")
    code, out, err = _cli(capsys, target, "import", "plan", str(topics), "--class", "7а", "--subject", "математика", "--dry-run")
    assert code == 0 and "Проверено строк: 2" in out, err
    code, out, err = _cli(capsys, target, "import", "plan", str(topics), "--class", "7а", "--subject", "математика")
    assert code == 0 and "Загружено тем: 2" in out, err  # the console may load a plan (docs/import-formats.md)
    topics.write_text("1\tСтепени\t2\n2\tКорни\t1\tконтр.\n", encoding="utf-8")
    code, out, err = _cli(capsys, target, "import", "plan", str(topics), "--class", "7а", "--subject", "математика")
    assert code == 0 and "Загружено тем: 2" in out, err
    assert count(target, "plan_archive") == 1 and count(target, "plan_item") == 2

    code, out, err = _cli(capsys, target, "timetable", "generate", "--from", "01.09.2026", "--to", "2026-09-30")
    assert code == 0 and "Создано уроков: 0" in out, err

    code, out, err = _cli(capsys, target, "year", "rollover", "--order", "№ 120", "--graduation-order", "№ 121")
    assert code == 0 and "Перевод: Алексеев Антон, 7А → 8А" in out and "предпросмотр" in out, err
    code, out, err = _cli(capsys, target, "year", "rollover", "--order", "№ 120", "--graduation-order", "№ 121", "--apply", "--yes")
    assert code == 0 and "2026/2027 закрыт" in out, err


# --- the journal's rules on an exported school (the same validators as the services) --------


def _set_cell(directory: Path, name: str, column: str, value: str, *, where: dict[str, str] | None = None) -> int:
    """Set ``column`` of the first record of ``name`` matching ``where``; fix the manifest's
    checksum; return the record's line number in the file."""
    import csv
    import io

    path = directory / name
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8"), newline="")))
    header = rows[0]
    found = [i for i, row in enumerate(rows) if i and all(row[header.index(k)] == v for k, v in (where or {}).items())]
    assert found, f"no record of {name} matches {where}"
    index = found[0]
    rows[index][header.index(column)] = value
    assert all("\n" not in c for r in rows[: index + 1] for c in r)  # so the line is index + 1
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path.write_bytes(out.getvalue().encode("utf-8"))
    manifest_path = directory / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        if entry["file"] == name:
            entry["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return index + 1


@pytest.fixture
def exported(admin: Actor, tmp_path: Path) -> Path:
    _rich_school(admin)
    out = tmp_path / "out"
    school_data.export_school(admin, out)
    _wipe()
    return out


def _refused(out: Path, *expected: str) -> str:
    before = fingerprint()
    for dry_run in (True, False):
        with pytest.raises(InvalidInput) as info:
            school_data.import_school(out, dry_run=dry_run)
        text = info.value.message
        assert text.startswith("Данные школы не загружены, ничего не изменено:"), text
        for line in expected:
            assert line in text, text
    assert fingerprint() == before and m.School.select().count() == 0
    return text


def test_a_mark_off_the_scale_is_refused(exported: Path) -> None:
    line = _set_cell(exported, "mark.csv", "value", "9")
    _refused(exported, f"mark.csv, строка {line}: «9» — не отметка. Допустимы 1–5, н/а, осв., зач., незач.")


def test_an_unknown_attendance_code_is_refused(exported: Path) -> None:
    line = _set_cell(exported, "attendance.csv", "code", "x", where={"code": "н"})
    _refused(exported, f"attendance.csv, строка {line}: «x» — не отметка посещаемости. Допустимы н, б, у, о.")
    line = _set_cell(exported, "attendance.csv", "code", "н")
    line = _set_cell(exported, "attendance.csv", "corrected_code", "опоздал", where={"corrected_code": "у"})
    _refused(exported, f"attendance.csv, строка {line}: «опоздал» — не отметка посещаемости")


def test_a_period_mark_outside_the_allowed_values_is_refused(exported: Path) -> None:
    line = _set_cell(exported, "period_mark.csv", "value", "отл")
    _refused(exported, f"period_mark.csv, строка {line}: «отл» — не отметка")
    _set_cell(exported, "period_mark.csv", "value", "1")
    _refused(exported, f"period_mark.csv, строка {line}: Итоговая отметка «1» не ставится")
    for allowed in ("н/а", "осв", "зач"):
        _set_cell(exported, "period_mark.csv", "value", allowed)
        assert school_data.import_school(exported, dry_run=True).dry_run


def test_marks_in_a_grade_1_class_are_refused(exported: Path) -> None:
    # the class of the marked lesson becomes a first grade
    _set_cell(exported, "school_class.csv", "grade", "1", where={"letter": "А", "grade": "7"})
    text = _refused(exported, "mark.csv, строка 2: В 1-х классах и группах ГКП отметки не ставятся (п. 3.8 Положения)")
    assert "period_mark.csv, строка 2: В 1-х классах и группах ГКП отметки не ставятся" in text
    assert "lesson.csv, строка" in text and "домашние задания не задаются" in text


def test_dates_outside_the_year_and_a_bad_policy_are_refused(exported: Path) -> None:
    line = _set_cell(exported, "lesson.csv", "date", "2030-01-01")
    text = _refused(exported, f"lesson.csv, строка {line}: Дата 01.01.2030 вне 2026/2027 учебного года класса")
    assert text.count("\n") == 1  # that line only
    _set_cell(exported, "lesson.csv", "date", "2026-09-07", where={"date": "2030-01-01"})
    line = _set_cell(exported, "enrollment.csv", "start", "2025-01-01")
    _refused(exported, f"enrollment.csv, строка {line}: Дата 01.01.2025 вне 2026/2027 учебного года")
    _set_cell(exported, "enrollment.csv", "start", "2026-09-01", where={"start": "2025-01-01"})
    _set_cell(exported, "school.csv", "rounding", "banker")
    _refused(exported, "school.csv, строка 2: Неизвестный способ округления «banker»")
    _set_cell(exported, "school.csv", "rounding", "threshold")
    _set_cell(exported, "school.csv", "threshold_4", "4.9")
    _refused(exported, "school.csv, строка 2: Пороги должны строго убывать")
    _set_cell(exported, "school.csv", "threshold_4", "3.65")
    line = _set_cell(exported, "period.csv", "end", "2027-12-31")
    _refused(exported, f"period.csv, строка {line}: «")
    _set_cell(exported, "period.csv", "end", "2026-10-26", where={"end": "2027-12-31"})
    report = school_data.import_school(exported)
    assert report.counts["mark"] >= 1 and m.School.select().count() == 1


def test_plan_topics_follow_the_plan_rules(exported: Path) -> None:
    line = _set_cell(exported, "plan_item.csv", "kind", "экскурсия")
    _refused(exported, f"plan_item.csv, строка {line}: Вид урока «экскурсия» неизвестен")
    _set_cell(exported, "plan_item.csv", "kind", "обычный")
    _set_cell(exported, "plan_item.csv", "topic", "Тема\x1b[2J")
    _refused(exported, f"plan_item.csv, строка {line}: Недопустимые символы")


def test_latin_twins_are_stored_in_the_journal_form(exported: Path) -> None:
    _set_cell(exported, "attendance.csv", "code", "n", where={"code": "н"})
    _set_cell(exported, "period_mark.csv", "value", "na")
    school_data.import_school(exported)
    assert m.Attendance.select().where(m.Attendance.code == "н").count() == 1
    assert m.PeriodMark.get().value == "н/а"
