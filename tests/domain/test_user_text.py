"""The one text boundary: what is refused on the way in, what is dropped on the way out."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui_journal.db import models
from tui_journal.domain.user_text import COLUMN_MAX, LIMITS, UserTextError, clean, is_clean, safe

ESC, BEL = "\x1b", "\x07"
BAD = [
    ESC, BEL, "\x00", "\x7f", "\x85", "\x9b",  # C0, DEL, C1 (NEL, CSI)
    "\u202e", "\u202a", "\u2066", "\u2069", "\u200e", "\u200f", "\u061c",  # bidi
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff",  # zero width
    "\u2028", "\u2029",
]
# Everything that may drive a terminal or reorder text, for the property tests.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
                       "\u200b-\u200d\u2060\ufeff\u2028\u2029\ud800-\udfff]")


@pytest.mark.parametrize("char", BAD, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("kind", ["name", "topic", "homework", "message", "subject"])
def test_a_forbidden_character_is_refused_naming_the_field(kind: str, char: str) -> None:
    with pytest.raises(UserTextError) as err:
        clean(f"Урок {char}]0;owned", kind, field="тема урока")
    assert "тема урока" in err.value.message
    assert char not in err.value.message  # the message itself is safe to show


def test_terminal_title_sequence_from_the_review_is_refused() -> None:
    with pytest.raises(UserTextError, match="тема"):
        clean("Урок \x1b]0;owned\x07", "topic", field="тема")
    with pytest.raises(UserTextError, match="домашнее задание"):
        clean("\x1b[2J", "homework", field="домашнее задание")


def test_line_breaks_and_tabs_only_where_the_field_allows_them() -> None:
    assert clean("стр. 5\r\n№ 3\tи 4", "homework", field="дз") == "стр. 5\n№ 3\tи 4"
    with pytest.raises(UserTextError, match="одну строку"):
        clean("Иванов\nПётр", "name", field="фамилия")
    with pytest.raises(UserTextError, match="фамилия"):
        clean("Иванов\tПётр", "name", field="фамилия")


def test_markup_and_ordinary_unicode_are_kept() -> None:
    text = "[b]Дроби[/b] — «проценты» № 5 ё Ё 𝑥² 😀 ç"
    assert clean(f"  {text} ", "topic", field="тема") == text


def test_length_limit_and_required() -> None:
    limit = LIMITS["name"].limit
    assert clean("я" * limit, "name", field="имя") == "я" * limit
    with pytest.raises(UserTextError, match=f"имя: не длиннее {limit} знаков"):
        clean("я" * (limit + 1), "name", field="имя")
    with pytest.raises(UserTextError, match="Не указано: имя"):
        clean("   ", "name", field="имя", required=True)
    assert clean(None, "name", field="имя") == ""


def test_remove_mode_drops_what_it_would_refuse() -> None:
    assert clean("Ур\u200bок \x1b]0;owned\x07\u202e", "topic", field="тема", mode="remove") == "Урок ]0;owned"
    assert clean("Иванов\nПётр", "name", field="имя", mode="remove") == "Иванов Пётр"


def test_every_limit_fits_its_column() -> None:
    """A limit is never longer than a VARCHAR column, so SQLite and PostgreSQL agree."""
    for kind in LIMITS.values():
        assert 0 < kind.limit
    char_columns = {
        "name": models.Subject.name, "short_name": models.Subject.short_name, "login": models.User.login,
        "order": models.Enrollment.order_in, "place": models.Enrollment.came_from, "relation": models.GuardianLink.relation,
        "phone": models.User.phone, "email": models.User.email, "subject": models.Message.subject,
        "homework_ref": models.Lesson.homework_pages, "key_comment": models.SshKey.comment, "line": models.Room.name,
        "plan_kind": models.PlanItem.kind, "year_name": models.AcademicYear.name, "group_name": models.Group.name,
        "school_name": models.School.name,
    }
    for name, column in char_columns.items():
        assert LIMITS[name].limit <= (column.max_length or COLUMN_MAX), name


@given(st.text())
def test_safe_output_never_holds_a_forbidden_character(text: str) -> None:
    for multiline in (False, True):
        out = safe(text, multiline=multiline)
        assert FORBIDDEN.search(out) is None
        assert is_clean(out, multiline=multiline)
    assert "\n" not in safe(text) and "\t" not in safe(text)


@given(st.text(), st.sampled_from(sorted(LIMITS)))
def test_clean_either_refuses_or_returns_clean_text(text: str, kind: str) -> None:
    try:
        out = clean(text, kind, field="поле")
    except UserTextError as err:
        assert "поле" in err.message
        return
    assert FORBIDDEN.search(out) is None
    assert len(out) <= LIMITS[kind].limit


@given(st.text(max_size=300), st.sampled_from(sorted(LIMITS)))
def test_remove_mode_output_is_always_clean(text: str, kind: str) -> None:
    try:
        out = clean(text, kind, field="поле", mode="remove")
    except UserTextError as err:  # only too long or empty
        assert "не длиннее" in err.message
        return
    assert is_clean(out, multiline=LIMITS[kind].multiline)
    assert FORBIDDEN.search(out) is None


def test_safe_replaces_controls_and_drops_invisible() -> None:
    assert safe("Урок \x1b]0;owned\x07") == "Урок ?]0;owned?"
    assert safe("a\u202eb\u200bc") == "abc"
    assert safe("a\r\nb\tc") == "a b c"
    assert safe("a\r\nb", multiline=True) == "a\nb"
    assert safe(None) == "" and safe(5) == "5"
