"""The home screen: who is logged in, his roles, the school, and the sections he may open."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import App
from textual.binding import BindingType
from textual.message import Message
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui_journal.i18n import t
from tui_journal.keymap import bind
from tui_journal.screens.base import FAILED, JournalScreen, failure_message
from tui_journal.screens.sections import get_section, sections_for
from tui_journal.services import accounts, diary, messages, school
from tui_journal.services import roles as R
from tui_journal.services.actor import Actor


def roles_text(actor: Actor, led_classes: Iterable[str] = ()) -> str:
    """Roles in the regulation's order, e.g. «администратор, учитель, классный руководитель 7А»."""
    names = [t(f"role.{r}") for r in R.ALL_ROLES if r in actor.roles]
    classes = [c for c in led_classes if c]
    if classes:
        names.append(t("home.led", classes=", ".join(classes)))
    return ", ".join(names)


class UnreadChanged(Message):
    """Something was read (or arrived): the home screen recounts its unread numbers."""


def unread_changed(app: App[object]) -> None:
    """Tell the home screen(s) under the current one to recount the unread: called by the
    reading panes once the read is saved, which may be after the user went back home."""
    for screen in app.screen_stack:
        if isinstance(screen, HomeScreen):
            screen.post_message(UnreadChanged())


class SectionList(OptionList):
    """The home list: Enter opens a section, and the footer says so."""

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("section_list.select", "enter", "select", t("key.open"), key_display="Enter"),
    ]


class HomeScreen(JournalScreen):
    TITLE_KEY: ClassVar[str] = "home.title"
    HELP_KEY: ClassVar[str] = "home"

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("home.back", "escape", "back", t("key.back"), show=False),  # nothing to go back to
        bind("home.change_password", "f2", "change_password", t("key.passwd"), key_display="F2"),
        bind("home.logout", "ctrl+l", "logout", t("key.logout"), key_display="^L"),
    ]

    def __init__(self, message: str = "") -> None:
        super().__init__()
        self._first_message = message

    def compose_body(self) -> Iterable[Widget]:
        actor = self.actor
        yield Static(Text(actor.name, style="bold"), id="home-who")
        yield Static(Text(t("home.roles", roles=roles_text(actor))), id="home-roles")
        yield Static("", id="home-school")
        if actor.has(R.PARENT, R.STUDENT):
            yield Static("", id="home-news")  # each child's new marks and absences since the last visit
        yield Static(t("home.sections"), id="home-sections-title", classes="caption")
        sections = sections_for(actor.roles, leads_a_class=bool(actor.led_class_ids))
        if sections:
            yield SectionList(*(Option(Text(s.title), id=s.key) for s in sections), id="sections", classes="list")
        else:
            yield Static(t("home.no_sections"), id="home-no-sections")

    def on_mount(self) -> None:
        if self._first_message:
            self.set_status(self._first_message)
        self.load_details()

    @work(thread=True, exclusive=True, group="home")
    def load_details(self) -> None:
        actor = self.actor
        info = self.call_service(school.get_school, actor.school_id)
        led: tuple[str, ...] = ()
        if actor.led_class_ids:
            me = self.call_service(accounts.get_user, actor, actor.login)
            if me is not FAILED:
                led = me.led_classes
        if info is not FAILED:
            self.deliver(self._show_details, info.name, info.short_name, led)
        if actor.has(R.PARENT, R.STUDENT):
            news = self.call_service(diary.news, actor)
            if news is not FAILED:
                self.deliver(self._show_news, news)
        self._load_unread()

    def _show_news(self, news: list[diary.ChildNews]) -> None:
        """«С прошлого входа (01.12 18:05):» then one line per child (names shown as text)."""
        widgets = self.query("#home-news")
        if not news or not widgets:
            return
        text = Text(t("home.news_since", since=f"{news[0].since:%d.%m %H:%M}"), style="bold")
        for item in news:
            text.append("\n")
            text.append(f"{item.student.title}: ", style="bold")
            text.append(item.text)
        widgets.first(Static).update(text)

    def on_screen_resume(self) -> None:
        """Back from a section (messages read there): recount the unread."""
        self.refresh_unread()

    def on_unread_changed(self, event: UnreadChanged) -> None:
        event.stop()
        self.refresh_unread()

    @work(thread=True, exclusive=True, group="home-unread")
    def refresh_unread(self) -> None:
        self._load_unread()

    def _load_unread(self) -> None:
        counts = self.call_service(messages.unread_counts, self.actor)
        if counts is not FAILED:
            self.deliver(self._show_unread, *counts)

    def _show_unread(self, unread_messages: int, unread_announcements: int) -> None:
        """«Сообщения (2 новых)» in the section list (R-D-1: unread counted on the home screen)."""
        lists = self.query(SectionList)
        if not lists:
            return
        options = lists.first()
        for key, count in (("messages", unread_messages), ("announcements", unread_announcements)):
            section = get_section(key)
            if section is None:
                continue
            try:
                options.get_option(key)
            except Exception:  # the section is not in this user's list
                continue
            title = section.title + (t("home.unread", n=count) if count else "")
            options.replace_option_prompt(key, Text(title))

    def _show_details(self, school_name: str, short_name: str, led: tuple[str, ...]) -> None:
        self.app.title = short_name or school_name
        self.query_one("#home-school", Static).update(Text(school_name))
        if led:
            self.query_one("#home-roles", Static).update(
                Text(t("home.roles", roles=roles_text(self.actor, led)))
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        section = get_section(event.option_id or "")
        if section is None or not section.allowed_for(self.actor.roles):
            return
        try:
            screen = section.make_screen()
        except Exception as exc:  # a screen that cannot be built is a bug: logged, said so
            self.set_status(failure_message(exc, f"section {section.key}"), error=True)
            return
        self.app.push_screen(screen)

    def go_back(self) -> None:
        """Esc on the home screen leaves nothing: say how to quit instead."""
        self.set_status(t("quit.hint"))

    def action_change_password(self) -> None:
        from tui_journal.screens.password import PasswordScreen

        self.app.push_screen(PasswordScreen(forced=False))

    def action_logout(self) -> None:
        self.journal.logout()
