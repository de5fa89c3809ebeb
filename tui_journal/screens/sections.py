"""The sections the home screen lists, and who may open them.

To add a section, append one :class:`Section` to :data:`SECTIONS` below (or call
:func:`register` from your own module at import time). ``screen_factory`` is either a
zero-argument callable returning a Screen, or a lazy ``"module:ClassName"`` string: the
module is imported only when the section is opened, so heavy imports (reportlab) do not
slow down every session's start. A lazy section whose module or class is missing fails
loudly when the list is built (ImportError/AttributeError), never vanishes from the list.

``roles`` is the set of roles that see the section, or None for everybody. The screen
itself must still rely on the services for permission checks: hiding a section is a
convenience, not a protection.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeAlias

from textual.screen import Screen

from tui_journal.i18n import t
from tui_journal.services import roles as R

ScreenFactory: TypeAlias = "Callable[[], Screen] | str"


@dataclass(frozen=True)
class Section:
    key: str  # stable id, used as the option id in the home list
    title_key: str  # i18n key of the title shown in the home list
    roles: frozenset[str] | None  # None: every role
    screen_factory: ScreenFactory
    class_teachers_only: bool = False  # shown only to those who lead a class

    @property
    def title(self) -> str:
        return t(self.title_key)

    def allowed_for(self, roles: Iterable[str]) -> bool:
        return self.roles is None or bool(self.roles & frozenset(roles))

    def exists(self) -> bool:
        """True, or ImportError for a lazy section whose module is not in the package (a
        renamed module must fail, not make the section disappear)."""
        if callable(self.screen_factory):
            return True
        module_name = self.screen_factory.partition(":")[0]
        if importlib.util.find_spec(module_name) is None:
            raise ImportError(f"section {self.key!r}: no module {module_name!r}", name=module_name)
        return True

    def make_screen(self) -> Screen:
        factory = self.screen_factory
        if isinstance(factory, str):
            module_name, _, attr = factory.partition(":")
            factory = getattr(importlib.import_module(module_name), attr)
        assert callable(factory)
        return factory()


SECTIONS: list[Section] = [
    Section("account", "section.account", None, "tui_journal.screens.account:AccountScreen"),
    Section(
        "users",
        "section.users",
        frozenset({R.ADMIN, R.DIRECTOR, R.DEPUTY, R.SECRETARY}),
        "tui_journal.screens.users:UsersScreen",
    ),
    Section(
        "audit",
        "section.audit",
        frozenset({R.ADMIN, R.DIRECTOR, R.DEPUTY}),
        "tui_journal.screens.audit:AuditScreen",
    ),
]


def register(section: Section) -> None:
    """Add a section, replacing one registered before under the same key."""
    for index, existing in enumerate(SECTIONS):
        if existing.key == section.key:
            SECTIONS[index] = section
            return
    SECTIONS.append(section)


def sections_for(roles: Iterable[str], *, leads_a_class: bool = True) -> list[Section]:
    """The sections these roles may open, in registry order."""
    role_set = frozenset(roles)
    return [
        s
        for s in SECTIONS
        if s.allowed_for(role_set) and s.exists() and (leads_a_class or not s.class_teachers_only)
    ]


def get_section(key: str) -> Section | None:
    return next((s for s in SECTIONS if s.key == key), None)
