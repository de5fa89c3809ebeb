"""Stored text with terminal escapes, bidi overrides and zero-width characters (written
below the services, as an old database may hold it) never reaches the terminal: the diary
and the grade grid are rendered to the very bytes the terminal would get."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from peewee import Database
from textual.app import App

from tests.services.world import build_world
from tests.ui.conftest import SIZE, screen_text, settle
from tests.ui.conftest import make_app as make_ui_app
from tests.ui.pilot import Wire, open_section, push
from tests.ui.test_grid import DAY, make_app, ref_of
from tui_journal.db.models import Lesson, Student
from tui_journal.screens import diary as diary_screens
from tui_journal.screens import role_sections, sections
from tui_journal.screens.diary import DiaryScreen
from tui_journal.screens.journal_grid import JournalGridScreen

HOSTILE = "Урок \x1b]0;owned\x07\x1b[2J\u202eотч\u200bёт\x9b31m"
FORBIDDEN = ("\x1b]0;", "\x07", "\x1b[2J", "\u202e", "\u200b", "\x9b")


# textual's own escape that sets the mouse pointer's shape (OSC 22 … BEL), not stored text
_POINTER_SHAPE = re.compile("\x1b\\]22;[a-z-]*\x07")


def _assert_safe(app: App[None], wire: Wire) -> str:
    """Nothing unsafe in what the app has written to the terminal so far, nor on the screen."""
    data = _POINTER_SHAPE.sub("", wire.take())
    assert data  # the app renders for the wire
    for bad in FORBIDDEN:
        assert bad not in data, (bad, data[:200])
    text = screen_text(app)
    assert not any(bad in text for bad in FORBIDDEN)
    return text


async def test_the_diary_never_sends_a_stored_escape(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.services.test_diary import TODAY, build_diary_world

    monkeypatch.setattr(sections, "SECTIONS", list(sections.SECTIONS))
    role_sections.register_all()
    monkeypatch.setattr(diary_screens, "today", lambda: TODAY)
    w = build_diary_world()
    assert Lesson.update(topic=HOSTILE, homework=HOSTILE).where(Lesson.topic == "Сложение дробей").execute() == 1

    app, wire = make_ui_app(actor=w.actors["parent"]), Wire()
    wire.attach(app)
    async with app.run_test(size=SIZE, headless=False) as pilot:
        await open_section(pilot, "section.diary")
        assert isinstance(app.screen, DiaryScreen)
        first = _assert_safe(app, wire)
        await pilot.press("up", "up", "up", "up", "up", "up")  # to Monday's lesson: the details
        await settle(pilot)
        shown = first + "\n" + _assert_safe(app, wire)
    assert "Урок" in shown and "отчёт" in shown  # the text itself is still there, cleaned


@pytest.mark.parametrize("term", ["xterm-256color", "linux"])
async def test_the_grade_grid_never_sends_a_stored_escape(db: Database, tmp_path: Path, term: str) -> None:
    w = build_world()
    pupil = w.students["7А"]
    Student.update(last_name="Ива\x1b]0;owned\x07\u202eнов").where(Student.id == pupil.id).execute()
    Lesson.update(topic=HOSTILE).where(Lesson.id == w.lessons["7А"].id).execute()

    ref, actor = ref_of(w)
    app, wire = make_app(tmp_path, actor, term=term), Wire()
    wire.attach(app)
    async with app.run_test(size=SIZE, headless=False) as pilot:
        await push(pilot, JournalGridScreen(ref, today=DAY))
        shown = _assert_safe(app, wire)
    assert "Ива" in shown


@given(st.lists(st.text(), min_size=1, max_size=5))
def test_the_line_filter_leaves_no_unsafe_character_and_keeps_the_width(texts: list[str]) -> None:
    from rich.cells import cell_len
    from rich.segment import Segment
    from textual.color import Color

    from tui_journal.widgets.safe_text import SafeTextFilter

    segments = [Segment(text) for text in texts]
    out = SafeTextFilter().apply(segments, Color(0, 0, 0))
    joined = "".join(seg.text for seg in out)
    assert not any(bad in joined for bad in FORBIDDEN)
    assert not any(ch in joined for ch in "\x1b\x07\x00\x7f\u202e\u2066\u200b\ufeff\n\r")
    # what was dropped took no cell, so the line keeps its width
    assert sum(cell_len(seg.text) for seg in out) == sum(cell_len(seg.text) for seg in segments)
