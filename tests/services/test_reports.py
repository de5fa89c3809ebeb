"""Reports computed on a school built in the test (``tests/export/school.py``), against
numbers worked out by hand.

Quarter 1, mathematics in 7А (pupils on the roll at 24.10: А Б В Г Д Ж З; Е left on 10.10):
5, 4, 3, 2, н/а, осв, 4 (and Е's 5, not counted) → N = 6 (осв out, н/а in), N5 = 1, N4 = 2,
N3 = 1, N2 = 1, Nн/а = 1; % успеваемости = 4·100/6 = 66,67; % качества = 3·100/6 = 50,00;
СОУ = (100 + 128 + 36 + 16 + 7)/6 = 287/6 = 47,83; средний балл = 18/5 = 3,60.
Russian: everybody н/а → N = 7, 0 %, 0 %, СОУ 7,00, no average. PE: everybody exempt → N = 0,
«—». English: no marks at all → N = 0, «—». The class: N = 13, 4·100/13 = 30,77,
3·100/13 = 23,08, 336/13 = 25,85.

Attendance, 09–11.11 (quarter 2):
- А: 09.11 all three lessons «н» but the class teacher corrected mathematics to «б» → a day
  missed, unexcused (one «н» makes the day unexcused), lessons: 1 ill + 2 unexcused; 10.11 the
  two class lessons and his English group's lesson «б» → a day missed by illness, 3 lessons.
- Б: 10.11 «у» in both class lessons, but present in her English group → not a full day;
  11.11 «у», «у» → a day missed with a valid reason; 4 lessons by a valid reason.
- В: 11.11 late («о») then «н» → not a day, 1 lesson unexcused, 1 late arrival.
- Г (in no English group): 10.11 «н», «н» → the group lessons are not hers: a full day, 2 lessons.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from peewee import Database

from tests.export.school import DAY2, Q1, TODAY, build
from tui_journal.db.models import AuditEntry, User
from tui_journal.domain.text import rounded
from tui_journal.export import render
from tui_journal.services import reports
from tui_journal.services.errors import InvalidInput, NotFound, PermissionDenied
from tui_journal.services.passwords import verify_password
from tui_journal.services.reports import ReportParams, run_report
from tui_journal.services.reports.model import DASH


def _p(**kwargs: object) -> ReportParams:
    return ReportParams(today=TODAY, **kwargs)  # type: ignore[arg-type]


def _rows(model: reports.TableModel) -> dict[str, dict[str, object]]:
    """Rows by their first text cell (the subject, the pupil…), keyed by column key."""
    keys = [c.key for c in model.columns]
    out: dict[str, dict[str, object]] = {}
    for row in model.rows:
        label = next(str(v) for v in row if isinstance(v, str))
        out[label] = dict(zip(keys, row, strict=True))
    return out


# --- class progress (R-REP-4) ----------------------------------------------------------


def test_class_progress_indicators_by_hand(any_db: Database) -> None:
    w = build()
    model = run_report(w.actors["deputy"], "class-progress", _p(class_name="7А", period=Q1))
    rows = _rows(model)
    math = rows["Математика"]
    assert (math["n"], math["n5"], math["n4"], math["n3"], math["n2"], math["na"], math["exempt"]) == (6, 1, 2, 1, 1, 1, 1)
    assert math["success_pct"] == rounded(400 / 6, 2)
    assert math["quality_pct"] == pytest.approx(50.0)
    assert math["sou_pct"] == rounded(287 / 6, 2)
    assert math["avg_mark"] == pytest.approx(3.6)
    rus = rows["Русский язык"]  # everybody н/а
    assert (rus["n"], rus["na"], rus["success_pct"], rus["quality_pct"]) == (7, 7, 0.0, 0.0)
    assert rus["sou_pct"] == pytest.approx(7.0)
    assert rus["avg_mark"] == DASH
    pe = rows["Физическая культура"]  # everybody exempt
    assert (pe["n"], pe["exempt"], pe["success_pct"], pe["sou_pct"], pe["avg_mark"]) == (0, 7, DASH, DASH, DASH)
    eng = rows["Английский язык"]  # no marks at all
    assert (eng["n"], eng["success_pct"]) == (0, DASH)
    totals = dict(zip([c.key for c in model.columns], model.totals or [], strict=True))
    assert totals["n"] == 13 and totals["na"] == 8
    assert totals["success_pct"] == rounded(400 / 13, 2)
    assert totals["quality_pct"] == rounded(300 / 13, 2)
    assert totals["sou_pct"] == rounded(336 / 13, 2)
    assert any("Выбывшие" in note for note in model.footnotes)
    assert any("СОУ = (100·N5+64·N4+36·N3+16·N2+7·Nн/а)/N" in note for note in model.footnotes)


def test_class_progress_csv_columns_and_values(any_db: Database) -> None:
    w = build()
    model = run_report(w.actors["deputy"], "class-progress", _p(class_name="7А", period=Q1), fmt="csv")
    text = render(model, "csv").decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == "subject,teacher,n,n5,n4,n3,n2,na,exempt,success_pct,quality_pct,sou_pct,avg_mark"
    by_subject = {r["subject"]: r for r in csv.DictReader(io.StringIO(text))}
    assert by_subject["Математика"]["success_pct"] == "66.67"
    assert by_subject["Математика"]["sou_pct"] == "47.83"
    assert by_subject["Математика"]["avg_mark"] == "3.60"
    assert by_subject["Физическая культура"]["success_pct"] == DASH
    assert set(by_subject) == {"Математика", "Русский язык", "Физическая культура", "Английский язык", "Итого по классу"}
    assert lines[-1].startswith("Итого по классу,,")  # the totals row ends the CSV, label first


def test_a_teacher_sees_only_his_subjects_and_subject_filter(any_db: Database) -> None:
    w = build()
    mine = run_report(w.actors["math"], "class-progress", _p(class_name="7А", period=Q1))
    assert [r[0] for r in mine.rows] == ["Математика"]
    only = run_report(w.actors["deputy"], "class-progress", _p(class_name="7А", period=Q1, subject="рус. яз."))
    assert [r[0] for r in only.rows] == ["Русский язык"]


def test_class_progress_of_the_whole_school(any_db: Database) -> None:
    w = build()
    model = run_report(w.actors["deputy"], "class-progress", _p(period=Q1))
    rows = _rows(model)
    assert rows["7А"]["n"] == 13
    assert rows["7Б"]["n"] == 0 and rows["7Б"]["success_pct"] == DASH


# --- attendance (R-REP-1, R-REP-6) --------------------------------------------------------


EXPECTED_ATTENDANCE = {
    # days total, ill, valid, unexcused; lessons total, ill, valid, unexcused; late
    "Алексеев Артём Андреевич": (2, 1, 0, 1, 6, 4, 0, 2, 0),
    "Борисова Вера Викторовна": (1, 0, 1, 0, 4, 0, 4, 0, 0),
    "Васильев Глеб Геннадьевич": (0, 0, 0, 0, 1, 0, 0, 1, 1),
    "Григорьева Дарья Денисовна": (1, 0, 0, 1, 2, 0, 0, 2, 0),
    "Дмитриев Егор Евгеньевич": (0,) * 9,
}


@pytest.mark.parametrize("name", ["attendance-summary", "attendance-by-month"])
def test_attendance_by_hand(any_db: Database, name: str) -> None:
    w = build()
    model = run_report(w.actors["ct"], name, _p(class_name="7А"))
    got = {str(row[1]): tuple(row[2:]) for row in model.rows}
    for pupil, expected in EXPECTED_ATTENDANCE.items():
        assert got[pupil] == expected, pupil
    assert "Егорова Жанна Игоревна" not in got  # left in October
    assert model.totals is not None
    assert tuple(model.totals[2:]) == (4, 1, 1, 2, 13, 4, 4, 5, 1)


def test_attendance_by_month_has_the_year_month_by_month(any_db: Database) -> None:
    w = build()
    model = run_report(w.actors["ct"], "attendance-by-month", _p(class_name="7А"))
    overview = model.sections[0]
    keys = [c.key for c in overview.columns]
    assert keys[-2:] == ["days_total", "lessons_total"]
    row = next(r for r in overview.rows if r[1] == "Алексеев Артём Андреевич")
    by_key = dict(zip(keys, row, strict=True))
    assert (by_key["days_2026_11"], by_key["lessons_2026_11"], by_key["days_2026_09"]) == (2, 6, 0)


def test_attendance_of_the_school_by_class(any_db: Database) -> None:
    w = build()
    model = run_report(w.actors["deputy"], "attendance-summary", _p())
    rows = {r[0]: r for r in model.rows}
    assert rows["7А"][1:11] == [7, 4, 1, 1, 2, 13, 4, 4, 5, 1]
    assert rows["7А"][11] == rounded(13 / 7, 1)


def test_a_class_teacher_gets_his_class_without_asking(any_db: Database) -> None:
    w = build()
    model = run_report(w.actors["ct"], "attendance-summary", _p())
    assert model.params["Класс"] == "7А"


def test_a_late_correction_wins_and_late_is_not_missed(any_db: Database) -> None:
    """The domain's rule reaches the report: «б» over «н», «о» is present."""
    w = build()
    model = run_report(w.actors["ct"], "attendance-summary", _p(class_name="7А", period="2"))
    a = next(r for r in model.rows if r[1] == "Алексеев Артём Андреевич")
    assert a[7] == 4  # lessons by illness: the corrected one counts as «б»


# --- progress summary, class teacher's report, preliminary, final data ------------------


def test_progress_summary_marks_and_missed(any_db: Database) -> None:
    w = build()
    model = run_report(w.actors["ct"], "progress-summary", _p(class_name="7А"))
    keys = [c.key for c in model.columns]
    math = f"s{w.subjects['math'].id}"
    rows = {r[1]: dict(zip(keys, r, strict=True)) for r in model.rows}
    assert rows["Алексеев Артём Андреевич"][math] == "5"
    assert rows["Жуков Захар Ильич"][math] == "н/а"
    assert (rows["Алексеев Артём Андреевич"]["days"], rows["Алексеев Артём Андреевич"]["lessons"]) == (2, 6)
    # Q2 mathematics: 5, 5, 4, 3, 2 → average 3,80
    assert dict(zip(keys, model.totals or [], strict=True))[math] == "3,80"


def test_progress_summary_of_the_whole_school_has_a_section_per_class(any_db: Database) -> None:
    w = build()
    model = run_report(w.actors["deputy"], "progress-summary", _p(period=Q1))
    assert [s.params["Класс"] for s in model.sections] == ["7А", "7Б"]
    left = [r[1] for r in model.sections[0].rows if "выбыл" in str(r[1])]
    assert left == ["Егорова Жанна Игоревна (выбыла 10.10.2026)"]


def test_class_teacher_report_categories_by_name(any_db: Database) -> None:
    w = build()
    model = run_report(w.actors["ct"], "class-teacher-report", _p(class_name="7А"))
    by_cat = {r[0]: r for r in model.rows}
    assert by_cat["Отличники (только «5»)"][1:] == [1, rounded(100 / 7, 1), "Алексеев А. А."]
    assert by_cat["Хорошисты («4» и «5»)"][3] == "Борисова В. В."
    assert by_cat["С одной «3»"][3] == "Васильев Г. Г. (Рус. яз.)"
    assert by_cat["Неуспевающие («2» или н/а)"][1] == 2
    assert "Дмитриев Е. Е. (Матем. — 2)" in str(by_cat["Неуспевающие («2» или н/а)"][3])
    assert "Жуков З. И. (Матем. — н/а)" in str(by_cat["Неуспевающие («2» или н/а)"][3])
    assert by_cat["Без отметок"][3] == "Зайцева И. К."
    assert any("66,67 %" in n and "33,33 %" in n for n in model.footnotes)
    missed = model.sections[0]
    assert missed.totals is not None and missed.totals[2:] == [4, 1, 1, 2, 13, 4, 4, 5, 1]
    movement = model.sections[1]
    assert movement.rows == [[7, 0, 0, 0, 0, 7]]


def test_preliminary_report_proposes_from_weighted_current_marks(any_db: Database) -> None:
    """А: 5 (weight 1), 4 (контрольная, weight 2), 5 → 18/4 = 4,5 → 5; Б: two marks (< 3) → н/а;
    В: 3, 3, 2 → 2,67 → 3; Г has no English lessons (no group) → nothing proposed."""
    w = build()
    model = run_report(w.actors["math"], "preliminary-report", _p(class_name="7А"))
    expected = model.sections[0]
    keys = [c.key for c in expected.columns]
    math = f"s{w.subjects['math'].id}"
    assert keys == ["n", "pupil", math]  # the mathematics teacher sees his subject only
    got = {r[1]: r[2] for r in expected.rows}
    assert got["Алексеев Артём Андреевич"] == "5"
    assert got["Борисова Вера Викторовна"] == "н/а"
    assert got["Васильев Глеб Геннадьевич"] == "3"
    full = run_report(w.actors["ct"], "preliminary-report", _p(class_name="7А")).sections[0]
    eng = [c.key for c in full.columns].index(f"s{w.subjects['eng'].id}")
    assert next(r for r in full.rows if r[1] == "Григорьева Дарья Денисовна")[eng] is None


def test_student_final_card(any_db: Database) -> None:
    w = build()
    model = run_report(w.actors["ct"], "student-final", _p(student_id=w.pupils["A"].id))
    keys = [c.key for c in model.columns]
    rows = {r[0]: dict(zip(keys, r, strict=True)) for r in model.rows}
    q1, q2 = f"p{w.periods[Q1].id}", f"p{w.periods['2 четверть'].id}"
    assert (rows["Математика"][q1], rows["Математика"][q2]) == ("5", "5")
    assert rows["Русский язык"][q1] == "н/а"
    assert any("дней — 2" in n and "уроков — 6" in n for n in model.footnotes)


# --- movement and fill (R-REP-7, R-REP-8) -----------------------------------------------------


def test_movement_of_a_class(any_db: Database) -> None:
    w = build()
    model = run_report(w.actors["secretary"], "movement", _p(class_name="7А", period=Q1))
    events = [(r[1], r[2], r[3], r[4], r[5]) for r in model.rows]
    assert events == [
        ("01.10.2026", "Зайцева Ирина Кирилловна", "переведена из 7Б", "", "Приказ № 47-у от 30.09.2026"),
        ("05.10.2026", "Жуков Захар Ильич", "прибыл", "МБОУ СОШ № 3 г. Бийска", "Приказ № 48-у от 05.10.2026"),
        ("10.10.2026", "Егорова Жанна Игоревна", "выбыла", "МБОУ СОШ № 7 г. Новоалтайска", "Приказ № 50-у от 10.10.2026"),
    ]
    assert model.sections[0].rows == [[6, 1, 1, 1, 0, 7]]


def test_moves_inside_the_school_are_not_arrivals_or_departures(any_db: Database) -> None:
    w = build()
    school = run_report(w.actors["secretary"], "movement", _p(period=Q1))
    kinds = [r[4] for r in school.rows]  # №, date, class, pupil, event…
    assert kinds == ["перевод 7Б → 7А", "прибыл", "выбыла"]  # Егорова Жанна Игоревна
    assert school.sections[0].rows == [[8, 1, 1, 8]]  # at the start, arrived, left, at the end
    dynamics = run_report(w.actors["secretary"], "movement-school", _p(period=Q1))
    rows = {r[0]: r[1:] for r in dynamics.rows}
    assert rows["7А"] == [6, 1, 1, 1, 0, 7]
    assert rows["7Б"] == [2, 0, 0, 0, 1, 1]
    assert dynamics.totals == ["По школе", 8, 1, 1, 1, 1, 8]


def test_class_fill_on_20_september_and_the_period(any_db: Database) -> None:
    w = build()
    model = run_report(w.actors["secretary"], "class-fill", _p(period=Q1))
    rows = {r[0]: r[1:] for r in model.rows}
    # 20.09: 7А has А…Е (6: 3 boys, 3 girls); 01.09 → 6; 24.10 → 7
    assert rows["7А"] == ["Классова К. К.", 6, 3, 3, 6, 7]
    assert rows["7Б"] == ["", 2, 1, 1, 2, 1]
    assert model.totals == ["Итого", "", 8, 4, 4, 8, 8]
    at_date = run_report(w.actors["secretary"], "class-fill", _p(period=Q1, date=dt.date(2026, 10, 6)))
    assert {r[0]: r[2] for r in at_date.rows}["7А"] == 8  # Е still there, Ж and З arrived


# --- monitoring, journal print, blank forms, the week, credentials -----------------------


def test_monitoring_per_teacher(any_db: Database) -> None:
    w = build()
    model = run_report(w.actors["deputy"], "monitoring", _p())
    keys = [c.key for c in model.columns]
    rows = {r[1]: dict(zip(keys, r, strict=True)) for r in model.rows}
    math = rows["Математиков М. М."]
    assert (math["held"], math["no_topic"], math["no_homework"], math["no_roll"]) == (3, 1, 2, 0)
    assert math["marks_per_pupil"] == rounded(8 / 21, 2)  # 8 marks, 3 lessons × 7 pupils
    assert (math["plan_hours"], math["held_hours"], math["plan_pct"]) == (10.0, 2, pytest.approx(20.0))
    assert rows["Британова Б."]["no_roll"] == 1  # no roll and no attendance at all
    assert rows["Классова К. К."]["no_homework"] == 1


def test_journal_print_cells_and_topics(any_db: Database) -> None:
    w = build()
    model = run_report(w.actors["deputy"], "journal-print", _p(class_name="7А"))
    grid = model.sections[0]
    assert grid.title == "Математика: отметки и посещаемость"
    rows = {r[1]: r[2:] for r in grid.rows}
    assert rows["Алексеев А. А."] == ["б5", "б", "4/5", "5"]  # corrected absence, two marks, the period mark
    assert rows["Васильев Г. Г."] == ["3", "3", "о2", "4"]
    topics = model.sections[1]
    assert [r[3] for r in topics.rows] == ["Дроби", "", "Проценты"]
    groups = [s.title for s in model.sections if "отметки" in s.title]
    assert "Английский язык (1 группа): отметки и посещаемость" in groups
    eng1 = next(s for s in model.sections if s.title.startswith("Английский язык (1 группа): отметки"))
    assert [r[1] for r in eng1.rows] == ["Алексеев А. А.", "Васильев Г. Г.", "Жуков З. И."]
    assert model.signatures[-1] == "М.П."


def test_blank_journal_has_the_timetable_and_the_pupils(any_db: Database) -> None:
    w = build()
    model = run_report(w.actors["eng1"], "blank-journal", _p(class_name="7А", date=DAY2))
    # the English teacher of group 1: only his lesson, on Tuesday
    assert [s.title for s in model.sections] == ["Вторник, 10.11.2026"]
    day = model.sections[0]
    assert [c.title for c in day.columns] == ["№", "Учащийся", "3. Англ. яз. (1 группа)"]
    cells = {r[1]: r[2] for r in day.rows}
    assert cells["Алексеев А. А."] is None and cells["Борисова В. В."] == "—"
    assert [r[1] for r in day.rows[-3:]] == ["Тема урока", "Домашнее задание", "Подпись учителя"]
    full = run_report(w.actors["ct"], "blank-journal", _p(class_name="7А", date=DAY2))
    assert len(full.sections) == 5
    assert [c.title for c in full.sections[0].columns][2:] == ["1. Матем.", "2. Рус. яз."]


def test_parent_weekly_for_his_own_child(any_db: Database) -> None:
    w = build()
    model = run_report(w.actors["mother"], "parent-weekly", _p(student_id=w.pupils["A"].id, date=DAY2))
    assert len(model.rows) == 8  # 3 + 3 (his group only) + 2
    assert model.params["Неделя"] == "09.11.2026–15.11.2026"
    assert any("пропущено уроков — 6" in n and "средний балл — 4,50" in n for n in model.footnotes)
    d3 = [r for r in model.rows if r[2] == "Математика" and r[4]]
    assert "4 (к/р), 5 (отв.)" in [r[4] for r in d3]
    # homework says the day it is due (the next lesson of the subject)
    from tui_journal.db.models import Lesson, Subject

    maths = list(Lesson.select().join(Subject).where(Subject.name == "Математика").order_by(Lesson.date, Lesson.number))
    first = next(ls for ls in maths if dt.date(2026, 11, 9) <= ls.date <= dt.date(2026, 11, 15))
    following = next(ls.date for ls in maths if ls.date > first.date and ls.school_class_id == first.school_class_id
                     and ls.group_id == first.group_id)
    Lesson.update(homework="§ 5").where(Lesson.id == first.id).execute()
    model = run_report(w.actors["mother"], "parent-weekly", _p(student_id=w.pupils["A"].id, date=DAY2))
    assert f"§ 5 (к {following:%d.%m})" in [r[6] for r in model.rows]
    with pytest.raises(InvalidInput) as two:  # two children: say which, and list them
        run_report(w.actors["mother"], "parent-weekly", _p(date=DAY2))
    assert f"{w.pupils['A'].id} — Алексеев Артём Андреевич" in two.value.message
    assert f"{w.pupils['B'].id} — Борисова Вера Викторовна" in two.value.message
    with pytest.raises(PermissionDenied):
        run_report(w.actors["mother"], "parent-weekly", _p(student_id=w.pupils["C"].id, date=DAY2))
    own = run_report(w.actors["alekseev"], "parent-weekly", _p(date=DAY2))
    assert own.params["Учащийся"] == "Алексеев Артём Андреевич"


def test_credentials_set_one_time_passwords_through_accounts(any_db: Database) -> None:
    w = build()
    audit_before = AuditEntry.select().count()
    model = run_report(w.actors["ct"], "credentials", _p(class_name="7А"))
    slips = {str(s.rows[2][1]): str(s.rows[3][1]) for s in model.sections}
    assert set(slips) == {"alekseev", "mother", "borisova"}  # the mother of two gets one slip
    for login, password in slips.items():
        user = User.get(User.login == login)
        assert verify_password(user.password_hash, password)
        assert user.must_change_password
    assert model.section_break == "cut"
    assert any("Васильев Г. Г." in n for n in model.footnotes)  # no account
    # without a configured address the slip says whom to ask
    assert ["Как войти", "адрес для входа сообщит администратор журнала"] in model.sections[0].rows
    # three password changes and the export itself
    assert AuditEntry.select().count() - audit_before == 4
    with pytest.raises(PermissionDenied):
        run_report(w.actors["deputy"], "credentials", _p(class_name="7А"))


# --- the registry -----------------------------------------------------------------------------


def test_every_run_is_audited_with_its_parameters(any_db: Database) -> None:
    w = build()
    run_report(w.actors["deputy"], "class-progress", _p(class_name="7А", period=Q1), fmt="pdf")
    entry = AuditEntry.select().order_by(AuditEntry.id.desc()).get()
    assert (entry.action, entry.entity, entry.entity_id, entry.actor_name) == ("export", "report", "class-progress", "deputy")
    assert entry.new_value is not None
    assert "Класс: 7А" in entry.new_value and "1 четверть" in entry.new_value and "Формат: pdf" in entry.new_value


def test_list_reports_by_role(any_db: Database) -> None:
    w = build()
    names = {a: {s.name for s in reports.list_reports(w.actors[a])} for a in ("secretary", "mother", "math", "ct", "admin")}
    assert names["secretary"] == {"movement", "movement-school", "class-fill"}
    assert names["mother"] == {"parent-weekly"}
    assert "credentials" not in names["math"] and "class-progress" in names["math"]
    assert "credentials" in names["ct"] and "monitoring" not in names["ct"]
    assert names["admin"] == set(reports.REPORTS)


def test_unknown_report_class_and_period(any_db: Database) -> None:
    w = build()
    with pytest.raises(NotFound):
        run_report(w.actors["admin"], "no-such-report", _p())
    with pytest.raises(NotFound):
        run_report(w.actors["admin"], "class-progress", _p(class_name="9Я"))
    with pytest.raises(NotFound):
        run_report(w.actors["admin"], "class-progress", _p(class_name="7А", period="5 четверть"))
    with pytest.raises(InvalidInput):
        run_report(w.actors["admin"], "class-teacher-report", _p())  # which class?


def test_latin_class_letter_and_year_period(any_db: Database) -> None:
    w = build()
    model = run_report(w.actors["admin"], "class-progress", _p(class_name="7a", period="год"))
    assert model.params["Класс"] == "7А" and model.params["Период"].startswith("2026/2027 учебный год")


def test_credential_slips_say_how_to_connect(any_db: Database) -> None:
    """Issue 11: the slip names the SSH command (and PuTTY's fields) and the web address."""
    w = build()
    model = run_report(
        w.actors["ct"], "credentials",
        _p(class_name="7А", ssh_address="journal.school.ru:2222", web_url="https://journal.school.ru/"),
    )
    slip = {s.rows[2][1]: s.rows for s in model.sections}["alekseev"]
    assert ["Вход по SSH", "ssh -p 2222 alekseev@journal.school.ru"] in slip
    assert ["", "PuTTY: адрес journal.school.ru, порт 2222, имя alekseev"] in slip
    assert ["Вход в браузере", "https://journal.school.ru/"] in slip
    who = {s.rows[2][1]: str(s.rows[1][1]) for s in model.sections}
    assert who["borisova"].startswith("Учащаяся ") and who["alekseev"].startswith("Учащийся ")  # Вера Викторовна


def test_credentials_document_of_passwords_issued_on_a_screen() -> None:
    """One document for the users screen's slip and the class teacher's slips: a slip a
    person, cut lines between them, how to connect on each."""
    from tui_journal.services.reports.diary import Credential, credentials_document

    people = [Credential("Алексеев Антон", "Учащийся 7А", "alekseev", "pw-1"), Credential("Мать", "Мать", "mother", "pw-2")]
    model = credentials_document(
        "СОШ № 1", "Учётные данные 7А", people, ssh_address="journal.school.ru:2222", params={"Класс": "7А"}
    )
    assert (model.name, model.title, model.school, model.params) == ("credentials", "Учётные данные 7А", "СОШ № 1", {"Класс": "7А"})
    assert model.section_break == "cut" and model.orientation == "portrait"
    assert [(s.rows[2][1], s.rows[3][1]) for s in model.sections] == [("alekseev", "pw-1"), ("mother", "pw-2")]
    assert ["Вход по SSH", "ssh -p 2222 alekseev@journal.school.ru"] in model.sections[0].rows
    one = credentials_document("СОШ № 1", "Доступ", people[:1], name="credentials_alekseev")
    assert one.name == "credentials_alekseev" and len(one.sections) == 1
