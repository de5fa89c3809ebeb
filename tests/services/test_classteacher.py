"""The class teacher's services (R-CT-1..3, R-ACC-2): attendance control with both codes kept,
the class list with contacts, credential slips, early warnings with their rules."""

from __future__ import annotations

import datetime as dt

import pytest
from peewee import Database

from tests.factories.rows import make_lesson, make_subject, mark_absent
from tui_journal.db.models import Attendance, AuditEntry, Lesson, Mark, Subject, User, WorkType
from tui_journal.services import auth, classteacher, diary
from tui_journal.services.errors import InvalidInput, PermissionDenied

from .world import World, build_world, fingerprint

TODAY = dt.date(2026, 11, 27)  # Friday
MONDAY = dt.date(2026, 11, 23)


@pytest.fixture
def w(any_db: Database) -> World:
    """8Б (led by `class_teacher`) with three lessons on Monday and the Friday one."""
    w = build_world()
    c8, ct = w.classes["8Б"], w.users["class_teacher"]
    rus = make_subject(w.school, "Русский язык")
    w.subjects["rus"] = rus
    w.lessons["m1"] = make_lesson(c8, w.subjects["math"], MONDAY, 1, ct)
    w.lessons["m2"] = make_lesson(c8, rus, MONDAY, 2, w.users["teacher"])
    w.lessons["m3"] = make_lesson(c8, rus, MONDAY, 3, w.users["teacher"])
    return w


def _absent(w: World, *keys: str, code: str = "н") -> None:
    for key in keys:
        mark_absent(w.students["8Б"], w.lessons[key], code, entered_by=w.users["teacher"])


def test_a_doctors_note_turns_n_into_b_and_both_codes_are_kept(w: World) -> None:
    _absent(w, "8Б")
    ct, pupil, lesson = w.actors["class_teacher"], w.students["8Б"], w.lessons["8Б"]
    row = classteacher.correct_attendance(ct, lesson.id, pupil.id, "б", "справка из поликлиники")
    assert row is not None
    assert (row.teacher_code, row.corrected_code, row.code, row.codes_text) == ("н", "б", "б", "н→б")
    record = Attendance.get()
    assert (record.code, record.corrected_code, record.reason) == ("н", "б", "справка из поликлиники")
    assert record.corrected_by_id == w.users["class_teacher"].id and record.corrected_at is not None
    audit = {(e.field, e.old_value, e.new_value) for e in AuditEntry.select().where(AuditEntry.entity == "attendance")}
    assert audit == {("corrected_code", None, "б"), ("reason", "", "справка из поликлиники")}
    # the week shows both codes
    week = classteacher.attendance_week(ct, w.classes["8Б"].id, TODAY)
    assert [(r.pupil, r.codes_text, r.reason) for r in week.rows] == [("Другой Д.", "н→б", "справка из поликлиники")]
    # an empty code takes the correction back: the teacher's «н» counts again
    row = classteacher.correct_attendance(ct, lesson.id, pupil.id, "", "")
    assert row is not None and (row.teacher_code, row.corrected_code, row.code) == ("н", None, "н")


def test_latin_twins_are_read_as_codes_and_nonsense_is_refused(w: World) -> None:
    _absent(w, "8Б")
    ct = w.actors["class_teacher"]
    row = classteacher.correct_attendance(ct, w.lessons["8Б"].id, w.students["8Б"].id, "u", "соревнования")
    assert row is not None and row.corrected_code == "у"
    before = fingerprint()
    for bad in ("x", "нб", "5"):
        with pytest.raises(InvalidInput):
            classteacher.correct_attendance(ct, w.lessons["8Б"].id, w.students["8Б"].id, bad, "")
    with pytest.raises(InvalidInput):
        classteacher.correct_attendance(ct, w.lessons["8Б"].id, w.students["8Б"].id, "б", "\x1b[31m")
    assert fingerprint() == before


def test_a_reason_for_a_lesson_the_teacher_left_blank(w: World) -> None:
    row = classteacher.correct_attendance(w.actors["class_teacher"], w.lessons["m1"].id, w.students["8Б"].id, "у", "олимпиада")
    assert row is not None and (row.teacher_code, row.code, row.codes_text) == (None, "у", "·→у")
    assert classteacher.correct_attendance(w.actors["class_teacher"], w.lessons["m1"].id, w.students["8Б"].id, "", "") is None
    assert Attendance.select().count() == 0


def test_only_the_class_teacher_of_the_class_corrects(w: World) -> None:
    _absent(w, "8Б")
    before = fingerprint()
    for role in ("teacher", "deputy", "admin", "parent"):
        with pytest.raises(PermissionDenied):
            classteacher.correct_attendance(w.actors[role], w.lessons["8Б"].id, w.students["8Б"].id, "б", "")
    with pytest.raises(PermissionDenied):  # the 7А lesson is not his class's
        classteacher.correct_attendance(w.actors["class_teacher"], w.lessons["7А"].id, w.students["7А"].id, "б", "")
    assert fingerprint() == before


def test_one_note_covers_the_missed_lessons_of_several_days(w: World) -> None:
    _absent(w, "m1", "m2", "8Б")
    Attendance.create(student=w.students["8Б"], lesson=w.lessons["m3"], code="о")  # late: not a missed lesson
    changed = classteacher.correct_days(w.actors["class_teacher"], w.students["8Б"].id, MONDAY, TODAY, "б", "справка")
    assert changed == 3
    codes = {a.lesson_id: (a.code, a.corrected_code) for a in Attendance.select()}
    assert codes[w.lessons["m3"].id] == ("о", None)
    assert codes[w.lessons["m1"].id] == ("н", "б")
    assert classteacher.correct_days(w.actors["class_teacher"], w.students["8Б"].id, MONDAY, TODAY, "б", "справка") == 0


def test_the_week_counts_missed_days_only_when_every_lesson_was_missed(w: World) -> None:
    _absent(w, "m1", "m2", "m3")
    _absent(w, "8Б", code="б")
    week = classteacher.attendance_week(w.actors["deputy"], w.classes["8Б"].id, TODAY)
    assert not week.editable
    pupil = week.pupils[0]
    assert (pupil.missed.days.unexcused, pupil.missed.days.ill) == (1, 1)
    assert pupil.missed.lessons.total == 4
    _absent_none = Attendance.delete().where(Attendance.lesson == w.lessons["m3"].id).execute()
    assert _absent_none == 1
    pupil = classteacher.attendance_week(w.actors["class_teacher"], w.classes["8Б"].id, TODAY).pupils[0]
    assert pupil.missed.days.unexcused == 0 and pupil.missed.lessons.unexcused == 2


def test_the_class_list_shows_accounts_and_parents_contacts(w: World) -> None:
    User.update(phone="+7 900 000-00-01").where(User.login == "otherparent").execute()
    roster = classteacher.class_roster(w.actors["class_teacher"], w.classes["8Б"].id, TODAY)
    assert [(p.name, p.login, p.has_password) for p in roster] == [("Другой Денис", "otherstudent", True)]
    assert [(g.name, g.relation, g.phone) for g in roster[0].parents] == [("Чужая Чара", "мать", "+7 900 000-00-01")]
    assert classteacher.contacts_stale(roster[0].contacts_checked_at, TODAY)
    assert not classteacher.contacts_stale(TODAY - dt.timedelta(days=10), TODAY)


def test_credential_slips_give_one_time_passwords_that_work(w: World) -> None:
    slips = classteacher.issue_credentials(w.actors["class_teacher"], w.classes["8Б"].id, today=TODAY)
    assert [(s.role, s.login) for s in slips.slips] == [("student", "otherstudent"), ("parent", "otherparent")]
    assert slips.class_name == "8Б" and slips.missing == ()
    for slip in slips.slips:
        result = auth.authenticate(slip.login, slip.password)
        assert result.outcome == "must_change", result
    text = classteacher.slips_text(slips)
    assert "Логин:  otherparent" in text and slips.slips[1].password in text and "родитель: Другой Д., 8Б" in text
    again = classteacher.issue_credentials(w.actors["class_teacher"], w.classes["8Б"].id, only_new=True, today=TODAY)
    assert again.slips == ()


def test_pupils_without_accounts_are_listed_as_missing(w: World) -> None:
    from .world import make_student

    make_student(w.school, w.classes["8Б"], "Безучётный", "Борис")
    slips = classteacher.issue_credentials(w.actors["class_teacher"], w.classes["8Б"].id, parents=False, today=TODAY)
    assert [s.login for s in slips.slips] == ["otherstudent"]
    assert slips.missing == ("Безучётный Борис (учащийся)",)


def test_credentials_of_another_class_are_refused(w: World) -> None:
    with pytest.raises(PermissionDenied):
        classteacher.issue_credentials(w.actors["class_teacher"], w.classes["7А"].id)


def test_early_warnings_name_the_rule_that_raised_them(w: World) -> None:
    _absent(w, "m1", "m2", "m3")
    two = WorkType.create(school=w.school, name="Диктант", weight=1)
    pupil = w.students["8Б"]
    for key in ("m2", "m3"):
        Mark.create(student=pupil, lesson=w.lessons[key], work_type=two, value="2")
    Mark.create(student=pupil, lesson=w.lessons["m1"], value="2")
    for day in (dt.date(2026, 11, 10), dt.date(2026, 11, 12)):
        lesson = Lesson.create(school_class=w.classes["8Б"], subject=w.subjects["math"], date=day, number=1, teacher=w.users["class_teacher"])
        Mark.create(student=pupil, lesson=lesson, value="2")
    warnings = classteacher.early_warnings(w.actors["class_teacher"], w.classes["8Б"].id, TODAY)
    found = {(x.rule, x.subject) for x in warnings}
    assert ("absences", "") in found
    assert ("twos", "Русский язык") in found
    assert ("forecast_2", "Математика") in found
    absences = next(x for x in warnings if x.rule == "absences")
    assert absences.rule_text == classteacher.RULES["absences"]
    assert absences.detail.startswith("3 урока с «н» с 21.11 по 27.11")
    forecast = next(x for x in warnings if x.rule == "forecast_2")
    assert forecast.detail == "Средний балл 2,00 по 3 отметкам; округление (0,5 вверх) → 2"
    # a doctor's note removes the absence warning
    classteacher.correct_days(w.actors["class_teacher"], pupil.id, MONDAY, MONDAY, "б", "справка")
    again = classteacher.early_warnings(w.actors["class_teacher"], w.classes["8Б"].id, TODAY)
    assert "absences" not in {x.rule for x in again}


def test_forecast_na_warns_only_near_the_end_of_the_period(w: World) -> None:
    Lesson.create(school_class=w.classes["8Б"], subject=w.subjects["math"], date=dt.date(2026, 12, 14), number=1, teacher=w.users["class_teacher"])
    early = classteacher.early_warnings(w.actors["class_teacher"], w.classes["8Б"].id, TODAY)
    assert "forecast_na" not in {x.rule for x in early}
    late = classteacher.early_warnings(w.actors["class_teacher"], w.classes["8Б"].id, dt.date(2026, 12, 14))
    assert {(x.rule, x.subject) for x in late} >= {("forecast_na", "Математика")}


def test_the_diary_shows_the_correction_made_here(w: World) -> None:
    _absent(w, "8Б")
    classteacher.correct_attendance(w.actors["class_teacher"], w.lessons["8Б"].id, w.students["8Б"].id, "б", "справка")
    week = diary.week(w.actors["class_teacher"], w.students["8Б"].id, TODAY, today=TODAY)
    lesson = next(ls for d in week.days for ls in d.lessons if ls.lesson_id == w.lessons["8Б"].id)
    assert (lesson.teacher_code, lesson.attendance) == ("н", "б")


def test_my_classes(w: World) -> None:
    assert [c.name for c in classteacher.my_classes(w.actors["class_teacher"])] == ["8Б"]
    assert classteacher.my_classes(w.actors["teacher"]) == []
    assert [c.name for c in classteacher.my_classes(w.actors["deputy"])] == ["7А", "8Б", "ГКП"]


def test_the_day_sheet_of_a_group_counts_days_present_for_the_fee(any_db: Database) -> None:
    """Issue 11: the educator's табель: «+» on a day the child came (some session attended),
    the reason of a full day missed, and the days present that the parents' fee is counted from."""
    from tests.services.world import build_world, make_student
    from tui_journal.db.models import Attendance, Lesson
    from tui_journal.services.reports import ReportParams, run_report

    w = build_world()
    gkp, educator = w.classes["ГКП"], w.users["educator"]
    talk = Subject.create(school=w.school, name="Развитие речи")
    anya = make_student(w.school, gkp, "Алексеева", "Аня")
    boris = make_student(w.school, gkp, "Борисов", "Боря")
    sessions = {}
    for day in (2, 3, 4):
        for number in (1, 2):
            sessions[(day, number)] = Lesson.create(
                school_class=gkp, subject=talk, date=dt.date(2026, 11, day), number=number, teacher=educator
            )
    Attendance.create(student=boris, lesson=sessions[(3, 1)], code="б")  # ill all day 3 November
    Attendance.create(student=boris, lesson=sessions[(3, 2)], code="б")
    Attendance.create(student=boris, lesson=sessions[(4, 1)], code="н")  # came later on the 4th: present
    Attendance.create(student=anya, lesson=sessions[(2, 1)], code="н")
    Attendance.create(student=anya, lesson=sessions[(2, 2)], code="н", corrected_code="у")
    model = run_report(w.actors["educator"], "day-sheet", ReportParams(class_name="ГКП", date=dt.date(2026, 11, 20)))
    keys = [c.key for c in model.columns]
    assert keys[2:5] == ["d02", "d03", "d04"] and keys[-4:] == ["present", "ill", "valid", "unexcused"]
    rows = {r[1]: r[2:] for r in model.rows}
    assert rows["Алексеева Аня"] == ["н", "+", "+", 2, 0, 0, 1]  # one «н» makes the whole day unexcused
    assert rows["Борисов Боря"] == ["+", "б", "+", 2, 1, 0, 0]
    assert model.totals is not None and model.totals[-4:] == [4, 1, 0, 1]
    assert "родительской платы" in model.footnotes[0]
