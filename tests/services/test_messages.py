"""Messages and announcements (R-D-3, R-D-2, R-J-9): who may write to whom, the inbox and the
sent box, unread counts, notifications about a pupil."""

from __future__ import annotations

import pytest

from tests.factories.rows import link_parent, make_student, make_user
from tui_journal.db.models import Announcement, AuditEntry, Message, MessageRecipient, SchoolClass
from tui_journal.services import messages
from tui_journal.services import roles as R
from tui_journal.services.errors import InvalidInput, NotFound, PermissionDenied

from .world import World, fingerprint


def _uid(w: World, role: str) -> int:
    return w.users[role].id


def test_a_parent_writes_to_his_childs_teacher_and_the_administration_only(w: World) -> None:
    parent = w.actors["parent"]
    for role in ("teacher", "director", "deputy", "admin"):
        messages.send_message(parent, [_uid(w, role)], "Вопрос", "Здравствуйте")
    before = fingerprint()
    for role in ("class_teacher", "secretary", "other_parent", "other_student", "student"):
        with pytest.raises(PermissionDenied):
            messages.send_message(parent, [_uid(w, role)], "Вопрос", "Здравствуйте")
    with pytest.raises(NotFound):
        messages.send_message(parent, [_uid(w, "other_admin")], "Вопрос", "Здравствуйте")
    assert fingerprint() == before


def test_a_pupil_writes_to_his_teachers_and_class_teacher(w: World) -> None:
    SchoolClass.update(class_teacher=w.users["class_teacher"]).where(SchoolClass.id == w.classes["7А"].id).execute()
    pupil = w.actors["student"]
    messages.send_message(pupil, [_uid(w, "teacher"), _uid(w, "class_teacher")], "", "Я заболел")
    for role in ("director", "parent", "other_student"):
        with pytest.raises(PermissionDenied):
            messages.send_message(pupil, [_uid(w, role)], "", "Привет")
    names = {c.login: c.note for c in messages.contacts(pupil)}
    assert names == {"teacher": "Математика (7А)", "classteacher": "классный руководитель 7А"}


def test_staff_write_to_anybody_of_the_school_and_anybody_may_answer(w: World) -> None:
    sent = messages.send_message(w.actors["secretary"], [_uid(w, "parent")], "Справка", "Справка готова")
    assert sent.recipients == ("Родителева Р. Р.",)
    # the secretary is not a teacher of the child nor the administration, but she wrote first
    messages.send_message(w.actors["parent"], [_uid(w, "secretary")], "Re: Справка", "Спасибо")
    assert "secretary" in {c.login for c in messages.contacts(w.actors["parent"])}


def test_inbox_sent_box_reading_and_unread_counts(w: World) -> None:
    teacher, parent = w.actors["teacher"], w.actors["parent"]
    body = "[bold]Коля[/bold] молодец\nвторая строка"
    sent = messages.send_message(teacher, [_uid(w, "parent")], "Успехи", body)
    assert messages.unread_counts(parent) == (1, 0)
    inbox = messages.inbox(parent)
    assert [(m.subject, m.body, m.sender, m.unread) for m in inbox] == [
        ("Успехи", body, "Учителев Иван Иванович", True)
    ]
    assert messages.sent(teacher)[0].read_count == 0
    opened = messages.read_message(parent, sent.id)
    assert not opened.unread and messages.unread_counts(parent) == (0, 0)
    assert messages.sent(teacher)[0].read_count == 1
    reads = AuditEntry.select().where((AuditEntry.entity == "message") & (AuditEntry.action == "read")).count()
    messages.read_message(parent, sent.id)  # a second reading records nothing new
    assert AuditEntry.select().where((AuditEntry.entity == "message") & (AuditEntry.action == "read")).count() == reads == 1
    with pytest.raises(PermissionDenied):
        messages.read_message(w.actors["other_parent"], sent.id)


def test_bad_texts_change_nothing(w: World) -> None:
    before = fingerprint()
    for subject, body in (("Тема", ""), ("Тема", "   "), ("Тема", "x" * 5001), ("Те\x1bма", "текст"), ("две\nстроки", "текст")):
        with pytest.raises(InvalidInput):
            messages.send_message(w.actors["teacher"], [_uid(w, "parent")], subject, body)
    with pytest.raises(InvalidInput):
        messages.send_message(w.actors["teacher"], [], "Тема", "Текст")
    assert fingerprint() == before


def test_messages_to_the_parents_of_a_pupil_of_a_class_and_to_the_staff(w: World) -> None:
    one = messages.send_to_parents(w.actors["teacher"], w.students["7А"].id, "Успеваемость", "Зайдите")
    assert one.recipients == ("Родителева Р. Р.",) and one.about == "Учеников Коля"
    klass = messages.send_to_class_parents(w.actors["class_teacher"], w.classes["8Б"].id, "Собрание", "В четверг")
    assert klass.recipients == ("Чужая Ч.",)
    with pytest.raises(PermissionDenied):
        messages.send_to_class_parents(w.actors["class_teacher"], w.classes["7А"].id, "Собрание", "В четверг")
    assert messages.class_choices(w.actors["class_teacher"]) == [(w.classes["8Б"].id, "8Б")]
    assert [name for _, name in messages.class_choices(w.actors["deputy"])] == ["7А", "8Б", "ГКП"]
    assert messages.class_choices(w.actors["parent"]) == []
    staff = messages.send_to_staff(w.actors["deputy"], "Педсовет", "В 15:00")
    assert len(staff.recipients) == 8  # admin, director, deputy, secretary, three teachers, the locked teacher
    with pytest.raises(PermissionDenied):
        messages.send_to_staff(w.actors["parent"], "Всем", "Привет")


def test_the_teacher_notifies_the_class_teacher_and_the_parents_about_a_pupil(w: World) -> None:
    SchoolClass.update(class_teacher=w.users["class_teacher"]).where(SchoolClass.id == w.classes["7А"].id).execute()
    view = messages.notify_about_pupil(w.actors["teacher"], w.students["7А"].id, w.subjects["math"].id, "Три «2» подряд, пропустил две контрольные")
    assert view.subject == "Учеников К.: Математика"
    assert set(view.recipients) == {"Родителева Р. Р.", "Классная К. К."}
    assert view.about == "Учеников Коля"
    assert messages.unread_counts(w.actors["parent"]) == (1, 0)
    assert messages.unread_counts(w.actors["class_teacher"]) == (1, 0)
    before = fingerprint()
    with pytest.raises(PermissionDenied):  # he does not teach the 8Б pupil
        messages.notify_about_pupil(w.actors["teacher"], w.students["8Б"].id, w.subjects["math"].id, "Не успевает")
    with pytest.raises(InvalidInput):
        messages.notify_about_pupil(w.actors["teacher"], w.students["7А"].id, w.subjects["math"].id, "  ")
    assert fingerprint() == before


def test_announcements_for_the_school_and_for_a_class(w: World) -> None:
    school = messages.publish_announcement(w.actors["director"], "Каникулы", "С 29 декабря")
    messages.publish_announcement(w.actors["class_teacher"], "Собрание 8Б", "В четверг", class_id=w.classes["8Б"].id)
    assert school.class_name == "" and school.author == "Директорова Д. Д."
    parent = w.actors["parent"]
    assert [a.title for a in messages.announcements(parent)] == ["Каникулы"]
    assert {a.title for a in messages.announcements(w.actors["other_parent"])} == {"Каникулы", "Собрание 8Б"}
    assert messages.unread_counts(parent) == (0, 1)
    messages.mark_announcement_read(parent, school.id)
    messages.mark_announcement_read(parent, school.id)
    assert messages.unread_counts(parent) == (0, 0)
    assert messages.announcements(parent)[0].read
    other = Announcement.get(Announcement.title == "Собрание 8Б")
    with pytest.raises(PermissionDenied):
        messages.mark_announcement_read(parent, other.id)
    with pytest.raises(PermissionDenied):
        messages.publish_announcement(w.actors["class_teacher"], "Всем", "", class_id=None)
    with pytest.raises(PermissionDenied):
        messages.publish_announcement(w.actors["teacher"], "7А", "", class_id=w.classes["7А"].id)
    with pytest.raises(InvalidInput):
        messages.publish_announcement(w.actors["director"], "  ", "Текст")


def test_nothing_crosses_into_another_school(w: World) -> None:
    messages.publish_announcement(w.actors["other_admin"], "Соседняя школа", "")
    assert "Соседняя школа" not in {a.title for a in messages.announcements(w.actors["parent"])}
    assert all(c.login != "otheradmin" for c in messages.contacts(w.actors["admin"], ""))
    Message.create(school=w.other_school, sender=w.users["other_admin"], body="чужое")
    assert messages.inbox(w.actors["admin"]) == []
    assert MessageRecipient.select().count() == 0


def _many_parents(w: World, n: int) -> list[int]:
    """``n`` more pupils of 7А, each with a parent of his own."""
    ids = []
    for i in range(n):
        parent = make_user(w.school, f"par{i}", f"Многодетов{i}", "Пётр", "", R.PARENT)
        pupil = make_student(w.school, w.classes["7А"], f"Многодетов{i}", "Ваня")
        link_parent(pupil, parent, "отец")
        ids.append(parent.id)
    return ids


def test_a_parent_sees_the_class_group_not_the_other_parents_and_the_sender_sees_the_list(w: World) -> None:
    _many_parents(w, 33)
    sent = messages.send_to_class_parents(w.actors["deputy"], w.classes["7А"].id, "Собрание", "В четверг\nв 18:00,\tкаб. 12")
    assert sent.recipient_count == 34 and len(sent.recipients) == 34
    assert sent.group == "родителям 7А, 34 адресата"
    assert "Многодетов5 П." in sent.to and "Родителева Р. Р." in sent.to
    assert messages.sent(w.actors["deputy"])[0].recipients == sent.recipients

    got = messages.inbox(w.actors["parent"])[0]
    assert got.body == "В четверг\nв 18:00,\tкаб. 12"  # line breaks and tabs stored as typed
    assert got.recipients == () and got.group == "родителям 7А, 34 адресата"
    assert got.to == "родителям 7А, 34 адресата" and "Многодетов" not in got.to
    assert got.recipient_count == 34
    opened = messages.read_message(w.actors["parent"], got.id)
    assert opened.to == "родителям 7А, 34 адресата"


def test_a_parent_sees_the_staff_by_name_and_himself_but_not_other_parents(w: World) -> None:
    SchoolClass.update(class_teacher=w.users["class_teacher"]).where(SchoolClass.id == w.classes["7А"].id).execute()
    view = messages.notify_about_pupil(w.actors["teacher"], w.students["7А"].id, w.subjects["math"].id, "Две «2»")
    got = messages.inbox(w.actors["parent"])[0]
    assert got.id == view.id and set(got.recipients) == {"Родителева Р. Р.", "Классная К. К."} and got.group == ""
    seen_by_staff = messages.inbox(w.actors["class_teacher"])[0]
    assert set(seen_by_staff.recipients) == {"Родителева Р. Р.", "Классная К. К."}  # the staff see the names
    others = _many_parents(w, 2)
    several = messages.send_message(w.actors["teacher"], [_uid(w, "parent"), *others], "Экскурсия", "Сбор в 9:00")
    assert several.group == "родителям 7А, 3 адресата" and len(several.recipients) == 3
    got = messages.inbox(w.actors["parent"])[0]
    assert got.id == several.id and got.recipients == () and got.to == "родителям 7А, 3 адресата"
    staff = messages.send_to_staff(w.actors["deputy"], "Педсовет", "В 15:00")
    seen = messages.inbox(w.actors["teacher"])[0]
    assert seen.id == staff.id and len(seen.recipients) == 8 and seen.group == "сотрудникам школы, 8 адресатов"


def test_addressees_plural() -> None:
    assert [messages.addressees(n) for n in (1, 2, 5, 11, 21, 22, 34, 112)] == [
        "1 адресат", "2 адресата", "5 адресатов", "11 адресатов", "21 адресат", "22 адресата", "34 адресата",
        "112 адресатов",
    ]
