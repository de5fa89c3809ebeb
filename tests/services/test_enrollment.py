"""Enrolment and movement of pupils (R-SEC-1), search, class lists and personal cards with
the parents' contacts (R-CT-2)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories.rows import PASSWORD
from tests.factories.school import SEPT1, BuiltSchool, actor_of
from tui_journal.db.models import AuditEntry, Enrollment, GroupMember, GuardianLink, Student, User
from tui_journal.services import accounts, enrollment, journal, setup
from tui_journal.services.enrollment import NewPupil, ParentData
from tui_journal.services.errors import Conflict, InvalidInput, PermissionDenied

D = dt.date


def _new(last: str = "Новикова", first: str = "Нина", **kw: object) -> NewPupil:
    values = dict(
        middle_name="Николаевна",
        birth_date=D(2013, 4, 5),
        sex="ж",
        parents=(ParentData("Новикова", "Наталья", "Петровна", "+7 900 111-22-33", "мать"),),
    )
    values.update(kw)
    return NewPupil(last, first, **values)  # type: ignore[arg-type]


def test_search_finds_a_pupil_anywhere_by_part_of_the_surname(school: BuiltSchool) -> None:
    sec = school.actors["sekretar"]
    hits = enrollment.search_students(sec, "вор")
    assert [(h.full_name, h.class_name) for h in hits] == [("Воронов Виктор", "7Б")]
    # Cyrillic folds (SQLite's lower() would not) and ё is found as е
    assert [h.full_name for h in enrollment.search_students(sec, "ЕЛК")] == ["Ёлкин Егор"]
    assert [h.full_name for h in enrollment.search_students(sec, "ёлк")] == ["Ёлкин Егор"]
    # surnames starting with the text come first
    names = [h.full_name for h in enrollment.search_students(sec, "ов")]
    assert names[:1] == ["Воронов Виктор"] or all("ов" in n.casefold() for n in names)
    assert enrollment.search_students(sec, "  ") == []
    assert enrollment.search_students(sec, "%") == []


def test_a_teacher_finds_only_his_classes(school: BuiltSchool) -> None:
    hits = enrollment.search_students(school.actors["ivanova"], "о")  # class teacher of 7А
    assert {h.class_name for h in hits} == {"7А"}
    accounts.add_user(school.admin, "roditel", "Родителев", "Роман", roles=["parent"], password=PASSWORD)
    with pytest.raises(PermissionDenied):
        enrollment.search_students(actor_of("roditel"), "о")


def test_enrol_a_new_pupil_with_parents_in_one_call(school: BuiltSchool) -> None:
    sec = school.actors["sekretar"]
    card = enrollment.enroll_new(sec, _new(), school.classes["7А"], D(2026, 10, 12), "№ 45-у", came_from="МБОУ СОШ № 5")
    assert (card.class_name, card.full_name, card.sex) == ("7А", "Новикова Нина Николаевна", "ж")
    assert card.guardians[0].phone == "+7 900 111-22-33" and card.guardians[0].relation == "мать"
    parent = User.get(User.login == card.guardians[0].login)
    assert parent.password_hash is None  # cannot log in until credentials are issued
    assert card.history[0].order_in == "№ 45-у" and card.history[0].came_from == "МБОУ СОШ № 5"
    # the class list and the journal change at once
    assert "Новикова Нина Николаевна" in [h.full_name for h in enrollment.class_list(sec, school.classes["7А"])]
    assert [h.full_name for h in enrollment.search_students(sec, "новик")] == ["Новикова Нина Николаевна"]
    fields = {r.field for r in AuditEntry.select().where((AuditEntry.entity == "student") & (AuditEntry.action == "create"))}
    assert {"last_name", "first_name", "middle_name", "birth_date", "sex"} <= fields
    # a brother reuses the same parent record
    brother = enrollment.enroll_new(sec, _new("Новиков", "Никита", middle_name="Николаевич", sex="м"),
                                    school.classes["7Б"], D(2026, 10, 12), "№ 46-у")
    assert brother.guardians[0].login == card.guardians[0].login
    with pytest.raises(Conflict, match="уже есть"):
        enrollment.enroll_new(sec, _new(), school.classes["7Б"], D(2026, 10, 12), "№ 47-у")


@pytest.mark.parametrize(
    ("pupil", "order", "message"),
    [
        (_new(last=""), "№ 1", "фамилия"),
        (_new(sex="x"), "№ 1", "Пол"),
        (_new(birth_date=D(2030, 1, 1)), "№ 1", "Дата рождения"),
        (_new(birth_date=None), "№ 1", "дата рождения"),
        (_new(), "", "приказ"),
        (_new(first="Ни\x07на"), "№ 1", "Недопустимые"),
        (_new(parents=(ParentData("Новикова", "Н", phone="звоните"),)), "№ 1", "Телефон"),
    ],
)
def test_bad_input_changes_nothing(school: BuiltSchool, pupil: NewPupil, order: str, message: str) -> None:
    before = Student.select().count(), User.select().count(), AuditEntry.select().count()
    with pytest.raises(InvalidInput, match=message):
        enrollment.enroll_new(school.admin, pupil, school.classes["7А"], D(2026, 10, 1), order)
    assert (Student.select().count(), User.select().count(), AuditEntry.select().count()) == before


def test_markup_in_names_is_stored_as_typed(school: BuiltSchool) -> None:
    card = enrollment.enroll_new(school.admin, _new(last="[red]Хакер[/red]", first="Ян"), school.classes["7А"], SEPT1, "1")
    assert card.last_name == "[red]Хакер[/red]"
    assert enrollment.search_students(school.admin, "[red]")[0].full_name.startswith("[red]Хакер[/red]")


def test_transfer_departure_and_arrival(school: BuiltSchool) -> None:
    sec = school.actors["sekretar"]
    pupil = school.pupils["Алексеев"]
    c7a, c7b = school.classes["7А"], school.classes["7Б"]
    eng = school.subjects["Английский язык"]
    group = setup.add_group(school.admin, c7a, eng, "1 группа")
    setup.add_to_group(school.admin, group.id, [pupil], SEPT1)
    card = enrollment.transfer(sec, pupil, c7b, D(2026, 11, 9), "№ 60-у")
    assert card.class_name == "7Б"
    assert [(m.class_name, m.start, m.end) for m in card.history] == [
        ("7А", SEPT1, D(2026, 11, 8)), ("7Б", D(2026, 11, 9), None)]
    assert GroupMember.get(GroupMember.student == pupil).end == D(2026, 11, 8)
    assert pupil not in {h.id for h in enrollment.class_list(sec, c7a)}
    assert pupil in {h.id for h in enrollment.class_list(sec, c7a, on=D(2026, 10, 1))}
    with pytest.raises(InvalidInput, match="уже в 7Б"):
        enrollment.transfer(sec, pupil, c7b, D(2026, 11, 20), "№ 61-у")
    card = enrollment.depart(sec, pupil, D(2026, 12, 1), "№ 70-у", went_to="МБОУ СОШ № 3, г. Тверь")
    assert card.class_id is None
    hit = enrollment.search_students(sec, "алекс")[0]
    assert hit.status.startswith("выбыл 01.12.2026") and "Тверь" in hit.status
    with pytest.raises(InvalidInput, match="позже"):
        enrollment.arrive(sec, pupil, c7a, D(2026, 11, 30), "№ 80-у")
    card = enrollment.arrive(sec, pupil, c7a, D(2027, 1, 12), "№ 80-у", came_from="МБОУ СОШ № 3")
    assert card.class_name == "7А"
    moves = enrollment.movements(sec, SEPT1, D(2027, 5, 31))
    kinds = [(m.kind, m.from_class, m.to_class) for m in moves if m.student_id == pupil]
    assert kinds == [("прибыл", "", "7А"), ("переведён", "7А", "7Б"), ("выбыл", "7Б", ""), ("прибыл", "", "7А")]


def test_the_journal_roster_follows_the_movement(school: BuiltSchool) -> None:
    sec = school.actors["sekretar"]
    setup.assign_teacher(school.admin, school.classes["7А"], school.subjects["Математика"], "ivanova")
    enrollment.depart(sec, school.pupils["Борисова"], D(2026, 10, 2), "№ 9")
    grid = journal.open_grid(
        school.actors["ivanova"], school.classes["7А"], school.subjects["Математика"], today=D(2026, 10, 5)
    )
    notes = {r.full_name: r.note for r in grid.rows}
    assert notes["Борисова Белла"] == "выбыл 02.10"


def test_only_secretary_and_admin_move_pupils(school: BuiltSchool) -> None:
    with pytest.raises(PermissionDenied):
        enrollment.enroll_new(school.actors["ivanova"], _new(), school.classes["7А"], SEPT1, "№ 1")
    with pytest.raises(PermissionDenied):
        enrollment.depart(school.actors["ivanova"], school.pupils["Алексеев"], D(2026, 10, 1), "№ 1")


def test_class_teacher_edits_personal_cards_of_his_class_field_by_field(school: BuiltSchool) -> None:
    teacher = school.actors["ivanova"]  # class teacher of 7А
    pupil = school.pupils["Алексеев"]
    card = enrollment.update_student(teacher, pupil, address="ул. Ленина, 1", middle_name="Андреевич", sex="м")
    assert card.address == "ул. Ленина, 1" and card.editable
    rows = AuditEntry.select().where((AuditEntry.entity == "student") & (AuditEntry.action == "update"))
    assert {(r.field, r.old_value, r.new_value) for r in rows} == {
        ("address", "", "ул. Ленина, 1"),
        ("middle_name", "", "Андреевич"),
    }
    assert Student.get_by_id(pupil).search_key == "алексеев антон андреевич"
    guardian = enrollment.add_guardian(teacher, pupil, ParentData("Алексеева", "Анна", phone="8 (912) 000-00-00", relation="мать"))
    guardian = enrollment.update_guardian(teacher, pupil, guardian.login, phone="+7 912 000-00-01", relation="опекун")
    assert (guardian.phone, guardian.relation) == ("+7 912 000-00-01", "опекун")
    user_rows = AuditEntry.select().where((AuditEntry.entity == "user") & (AuditEntry.field == "phone"))
    assert [(r.old_value, r.new_value) for r in user_rows if r.action == "update"] == [
        ("8 (912) 000-00-00", "+7 912 000-00-01")]
    card = enrollment.confirm_contacts(teacher, pupil, on=D(2026, 10, 1))
    assert card.contacts_checked_at == D(2026, 10, 1)
    # not his class
    with pytest.raises(PermissionDenied):
        enrollment.update_student(teacher, school.pupils["Воронов"], address="x")
    with pytest.raises(PermissionDenied):
        enrollment.student_card(teacher, school.pupils["Воронов"])
    assert GuardianLink.select().count() == 1
    assert Enrollment.select().count() == 6


def test_the_personal_file_number_is_given_on_enrolment_and_kept_on_the_card(school: BuiltSchool) -> None:
    """Issue 11: the alphabetical book's number (номер личного дела) on enrolment and the card."""
    from tui_journal.services.enrollment import NewPupil

    sec = school.actors["sekretar"]
    c7a = school.classes["7А"]
    n = int(enrollment.next_file_no(sec.school_id, "П").split("-")[1])  # the world has П pupils already
    first = enrollment.enroll_new(sec, NewPupil("Петрова", "Ольга", "Ивановна", D(2013, 3, 1), "ж"), c7a, SEPT1, "№ 1")
    second = enrollment.enroll_new(sec, NewPupil("Павлов", "Олег", "", D(2013, 4, 1), "м"), c7a, SEPT1, "№ 2")
    typed = enrollment.enroll_new(
        sec, NewPupil("Смирнов", "Иван", "", D(2013, 5, 1), "м", personal_file_no="С-40"), c7a, SEPT1, "№ 3"
    )
    assert (first.personal_file_no, second.personal_file_no, typed.personal_file_no) == (f"П-{n}", f"П-{n + 1}", "С-40")
    card = enrollment.update_student(sec, first.id, personal_file_no="П-70")
    assert card.personal_file_no == "П-70"
    assert enrollment.student_card(sec, first.id).personal_file_no == "П-70"
    with pytest.raises(Conflict, match="С-40"):
        enrollment.update_student(sec, second.id, personal_file_no="С-40")
    third = enrollment.enroll_new(sec, NewPupil("Попов", "Пётр", "", D(2013, 6, 1), "м"), c7a, SEPT1, "№ 4")
    assert third.personal_file_no == "П-71"  # one more than the highest of the letter
