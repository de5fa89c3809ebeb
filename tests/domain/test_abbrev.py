"""Short names for the timetable's narrow cells."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui_journal.domain.abbrev import short_room, short_subject


def test_known_and_generic_abbreviations() -> None:
    assert short_subject("Алгебра", 9) == "Алгебра"
    assert short_subject("Русский язык", 8) == "Рус.яз"
    assert short_subject("Физическая культура", 8) == "Физ-ра"
    assert short_subject("Мировая художественная культура", 8) == "Ми.ху.ку"
    assert short_room("каб. 217") == "217" and short_room("Спортзал") == "Спортзал"


@given(st.text(min_size=1, max_size=60), st.integers(min_value=1, max_value=20))
def test_never_wider_than_asked(name: str, width: int) -> None:
    assert len(short_subject(name, width)) <= max(width, 2)
