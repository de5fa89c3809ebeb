"""Long texts are readable to their end at 80x24 and on a phone (40 columns): a message with a
long body and many recipients, the compose area (multi-line, F2 sends, Esc twice drops), and
a parent sees a class-wide message's group, never the other parents' names."""

from __future__ import annotations

import pytest
from textual.app import App
from textual.pilot import Pilot

from tests.services.test_messages import _many_parents
from tests.services.world import World
from tests.ui.conftest import SIZE, make_app, screen_text, settle, type_text
from tests.ui.pilot import fits, open_section, press, wait_for_text
from tui_journal.db.models import Message
from tui_journal.screens.messages import MessagesScreen
from tui_journal.services import messages
from tui_journal.widgets.reading import ReadingPane

PHONE = (40, 30)
LONG_BODY = "\n".join(f"Строка {i}: повестка собрания, пункт {i}." for i in range(1, 31)) + "\nКОНЕЦ ПИСЬМА"


@pytest.fixture
def w(world: World, with_role_sections: None) -> World:
    _many_parents(world, 33)
    messages.send_to_class_parents(world.actors["deputy"], world.classes["7А"].id, "Собрание 7А", LONG_BODY)
    return world


async def _read_to_the_end(pilot: Pilot[None], app: App[None]) -> tuple[str, str, str]:
    await open_section(pilot, "section.messages")
    assert isinstance(app.screen, MessagesScreen)
    opened = await press(pilot, "enter")  # open the first message
    await pilot.press("tab")  # into the reading pane
    assert isinstance(app.focused, ReadingPane)
    await pilot.press("pagedown")
    await pilot.pause()
    paged = screen_text(app)
    await pilot.press("end")
    await pilot.pause()
    return opened, paged, screen_text(app)


@pytest.mark.parametrize("size", [SIZE, PHONE])
async def test_a_parent_reads_a_long_class_message_to_its_end_and_sees_only_the_group(
    w: World, size: tuple[int, int]
) -> None:
    app = make_app(actor=w.actors["parent"])
    async with app.run_test(size=size) as pilot:
        opened, paged, end = await _read_to_the_end(pilot, app)
        pane = app.screen.query_one("#msg-read", ReadingPane)
        opened, paged, end, shown = opened, paged, end, pane.text.plain
    for text in (opened, paged, end):
        fits(text, size)
    assert "родителям 7А, 34 адресата" in opened
    assert "Многодетов" not in opened + paged + end and "Многодетов" not in shown
    assert "Строка 1:" in opened and "КОНЕЦ ПИСЬМА" not in opened
    assert paged != opened
    assert "КОНЕЦ ПИСЬМА" in end
    assert "Строка 7: повестка собрания, пункт 7.\nСтрока 8:" in shown  # line breaks kept


@pytest.mark.parametrize("size", [SIZE, PHONE])
async def test_the_sender_sees_every_recipient_and_reaches_the_end(w: World, size: tuple[int, int]) -> None:
    app = make_app(actor=w.actors["deputy"])
    async with app.run_test(size=size) as pilot:
        await open_section(pilot, "section.messages")
        await pilot.press("f3")  # the sent box
        await settle(pilot)
        opened = await press(pilot, "enter")
        await pilot.press("tab", "end")
        await pilot.pause()
        pane = app.screen.query_one("#msg-read", ReadingPane)
        opened, end, shown = opened, screen_text(app), pane.text.plain
    fits(opened, size)
    assert "родителям 7А, 34 адресата" in shown
    assert all(f"Многодетов{i} П." in shown for i in range(33)) and "Родителева Р. Р." in shown
    assert "прочитали 0 из 34" in shown
    assert "КОНЕЦ ПИСЬМА" in end


@pytest.mark.parametrize("size", [SIZE, PHONE])
async def test_a_written_text_survives_one_esc_and_f2_sends_it(w: World, size: tuple[int, int]) -> None:
    app = make_app(actor=w.actors["teacher"])
    async with app.run_test(size=size) as pilot:
        await open_section(pilot, "section.messages")
        await pilot.press("f2")
        await settle(pilot)
        await type_text(pilot, "Родителева")
        await wait_for_text(pilot, "Родителева Рита Романовна")  # the debounced search
        await pilot.press("enter", "enter")  # add her; an empty «Кому»: on to the subject
        await type_text(pilot, "Экскурсия")
        await pilot.press("enter")
        await type_text(pilot, "Сбор в 9:00")
        await pilot.press("enter")
        await type_text(pilot, "у школы")
        assert not app.screen.query_one("#msg-table").display  # the text takes the list's place
        await pilot.press("escape")
        await pilot.pause()
        warned = screen_text(app)
        await pilot.press("escape")  # Esc on the question: go on writing
        await pilot.pause()
        await type_text(pilot, ".")
        await pilot.pause()
        still = screen_text(app)
        sent = await press(pilot, "f2")
        # and a text dropped with Esc and Enter is gone, nothing sent
        await pilot.press("f2")
        await settle(pilot)
        await type_text(pilot, "Родителева")
        await wait_for_text(pilot, "Родителева Рита Романовна")  # the debounced search
        await pilot.press("enter", "enter", "enter")
        await type_text(pilot, "Черновик")
        await pilot.press("escape", "enter")  # asked once: Enter drops it
        await pilot.pause()
        warned, still, sent, dropped = warned, still, sent, screen_text(app)
    fits(warned, size)
    assert "Выбросить его?" in warned and "у школы" in warned
    assert "у школы." in still
    assert "Отправлено" in sent
    bodies = [m.body for m in Message.select().where(Message.sender == w.users["teacher"])]
    assert bodies == ["Сбор в 9:00\nу школы."]
    assert "Черновик" not in dropped and "Отменено" in dropped


async def test_a_long_announcement_is_read_to_its_end_on_a_phone(w: World) -> None:
    from tui_journal.db.models import Announcement
    from tui_journal.screens.messages import AnnouncementsScreen

    body = "\n".join(f"{i}. Сменная обувь обязательна, в классе чисто." for i in range(1, 25)) + "\nПОСЛЕДНЯЯ_СТРОКА"
    Announcement.create(school=w.school, title="Правила на время ремонта школы и столовой", body=body, author=w.users["director"])

    app = make_app(actor=w.actors["parent"])
    async with app.run_test(size=PHONE) as pilot:
        await open_section(pilot, "section.announcements")
        assert isinstance(app.screen, AnnouncementsScreen)
        opened = await press(pilot, "enter")
        await pilot.press("tab", "end")
        await pilot.pause()
        narrow, opened, end = app.screen.has_class("-narrow"), opened, screen_text(app)
    assert narrow
    fits(opened, PHONE)
    fits(end, PHONE)
    assert "Правила на время" in opened
    assert "1. Сменная обувь" in opened and "ПОСЛЕДНЯЯ_СТРОКА" not in opened
    assert "ПОСЛЕДНЯЯ_СТРОКА" in end


async def test_the_director_publishes_a_multi_line_announcement(w: World) -> None:
    from tui_journal.db.models import Announcement
    from tui_journal.screens.messages import AnnouncementsScreen

    app = make_app(actor=w.actors["director"])
    async with app.run_test(size=SIZE) as pilot:
        await open_section(pilot, "section.announcements")
        assert isinstance(app.screen, AnnouncementsScreen)
        await pilot.press("f2")
        await type_text(pilot, "Ремонт")
        await pilot.press("enter")
        await pilot.press("enter")  # no class: the whole school
        await settle(pilot)
        await type_text(pilot, "Первая строка")
        await pilot.press("enter")
        await type_text(pilot, "Вторая строка")
        await pilot.press("escape")
        await pilot.pause()
        warned = screen_text(app)
        await pilot.press("escape", "f2")  # go on writing, then publish
        await settle(pilot)
        warned, published = warned, screen_text(app)
    fits(warned, SIZE)
    assert "Вторая строка" in warned and "Выбросить его?" in warned
    assert "Объявление опубликовано: Ремонт" in published
    assert Announcement.get(Announcement.title == "Ремонт").body == "Первая строка\nВторая строка"
