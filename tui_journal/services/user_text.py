"""The services' side of the text boundary (:mod:`tui_journal.domain.user_text`): the same
check, with a refusal raised as :class:`InvalidInput` so every screen and the console show
it like any other refusal. Pure: it touches no data."""

from __future__ import annotations

from typing import Literal

from tui_journal.domain import user_text
from tui_journal.domain.user_text import Kind
from tui_journal.services.errors import InvalidInput


def clean(
    text: str | None,
    kind: str | Kind,
    *,
    field: str,
    required: bool = False,
    mode: Literal["refuse", "remove"] = "refuse",
) -> str:
    """:func:`tui_journal.domain.user_text.clean`, refusing with :class:`InvalidInput`."""
    try:
        return user_text.clean(text, kind, field=field, required=required, mode=mode)
    except user_text.UserTextError as err:
        raise InvalidInput(err.message) from None
