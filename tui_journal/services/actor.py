"""Who is acting: the value every service function takes first."""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field

from tui_journal.services import roles as R


@dataclass(frozen=True)
class Actor:
    """The acting user as the services see him.

    ``user_id`` is None only for the console actor: whoever runs ``tui-journal`` on the
    server already holds the database file, so the CLI acts as the school's administrator
    and is recorded in the audit as ``консоль (<os user>)``.
    """

    school_id: int
    login: str
    name: str
    roles: frozenset[str]
    origin: str = "tui"  # tui | cli | import | ssh | demo
    user_id: int | None = None
    address: str = ""
    led_class_ids: frozenset[int] = field(default_factory=frozenset)

    def has(self, *roles: str) -> bool:
        return any(r in self.roles for r in roles)

    @property
    def school_wide(self) -> bool:
        """Admin, director and deputy see every journal of the school."""
        return bool(self.roles & R.SCHOOL_WIDE)

    @property
    def is_console(self) -> bool:
        return self.user_id is None

    @property
    def audit_name(self) -> str:
        return self.login if self.user_id is not None else self.name

    @classmethod
    def console(cls, school_id: int, origin: str = "cli") -> Actor:
        try:
            os_user = getpass.getuser()
        except Exception:  # pragma: no cover - no passwd entry in odd containers
            os_user = "?"
        return cls(
            school_id=school_id,
            login=f"console:{os_user}",
            name=f"консоль ({os_user})",
            roles=frozenset({R.ADMIN}),
            origin=origin,
        )
