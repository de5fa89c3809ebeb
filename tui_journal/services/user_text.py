"""The services' side of the text boundary (:mod:`tui_journal.domain.user_text`): the same
check, with a refusal raised as :class:`InvalidInput` so every screen and the console show
it like any other refusal. Pure: it touches no data."""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec

from tui_journal.domain import user_text
from tui_journal.services.errors import InvalidInput

P = ParamSpec("P")


def _refusing(check: Callable[P, str]) -> Callable[P, str]:
    """``check`` with its :class:`~tui_journal.domain.user_text.UserTextError` raised as
    :class:`InvalidInput`: the domain's signature and checks stay the one definition."""

    def clean(*args: P.args, **kwargs: P.kwargs) -> str:
        try:
            return check(*args, **kwargs)
        except user_text.UserTextError as err:
            raise InvalidInput(err.message) from None

    clean.__doc__ = f":func:`tui_journal.domain.user_text.clean`, refusing with :class:`InvalidInput`.\n\n{check.__doc__}"
    return clean


clean = _refusing(user_text.clean)
