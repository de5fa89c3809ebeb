"""Credential slips (R-ACC-2): one-time passwords for a class's pupils and parents, and the
slips as text to print and cut.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from tui_journal import clock
from tui_journal.db.models import School, now
from tui_journal.domain import ru_words as words
from tui_journal.services import access, accounts
from tui_journal.services import roles as R
from tui_journal.services.actor import Actor
from tui_journal.services.classteacher.class_list import class_roster
from tui_journal.services.journal import class_label
from tui_journal.services.tx import write_tx


@dataclass(frozen=True)
class Slip:
    role: str  # student | parent
    name: str
    login: str
    password: str
    note: str  # «учащийся 7А», «родитель: Учеников К.»


@dataclass(frozen=True)
class Slips:
    school: str
    class_name: str
    issued_at: dt.datetime
    slips: tuple[Slip, ...]
    missing: tuple[str, ...]  # people without an account (only the admin creates accounts)


# --- credential slips (R-ACC-2) -----------------------------------------------------------------


def issue_credentials(
    actor: Actor,
    class_id: int,
    *,
    pupils: bool = True,
    parents: bool = True,
    only_new: bool = False,
    today: dt.date | None = None,
    only: Collection[str] | None = None,
) -> Slips:
    """One-time passwords for the class's pupils and parents, for printed slips. ``only_new``
    skips accounts that already have a password; ``only`` (logins) reissues just those
    accounts of the class (one pupil or one parent). Accounts are created by the admin only;
    the people without one are listed in ``missing``."""
    cls = access.class_in_school(actor, class_id)
    if not (actor.has(R.ADMIN) or cls.id in access.led_class_ids(actor)):
        raise access.deny("выдача паролей учащимся и родителям этого класса")
    today = today or clock.today()
    roster = class_roster(actor, cls.id, today)
    slips: list[Slip] = []
    missing: list[str] = []
    done: set[str] = set()
    if only is not None:
        wanted = set(only)
        strangers = wanted - {x.login for x in roster} - {p.login for x in roster for p in x.parents}
        if strangers:
            raise access.deny("выдача паролей не ученикам и не родителям этого класса")
        # the others count as done: they are neither reissued nor listed as missing
        done = {x.login for x in roster if x.login not in wanted} | {
            p.login for x in roster for p in x.parents if p.login not in wanted
        }
    with write_tx():
        for line in roster:
            if pupils:
                if not line.login:
                    if only is None:
                        missing.append(f"{line.name} ({words.gendered('учащийся', line.sex)})")
                elif not (only_new and line.has_password) and line.login not in done:
                    password = accounts.set_password(actor, line.login)
                    slips.append(Slip("student", line.name, line.login, password,
                                      f"{words.gendered('учащийся', line.sex)} {class_label(cls)}"))
                    done.add(line.login)
            if parents:
                if not line.parents and only is None:
                    missing.append(f"родители: {line.name}")
                for p in line.parents:
                    if p.login in done or (only_new and p.has_password):
                        continue
                    password = accounts.set_password(actor, p.login)
                    slips.append(Slip("parent", p.name, p.login, password, f"родитель: {line.short}, {class_label(cls)}"))
                    done.add(p.login)
    return Slips(
        school=School.get_by_id(actor.school_id).name,
        class_name=class_label(cls),
        issued_at=now(),
        slips=tuple(slips),
        missing=tuple(missing),
    )


def slips_text(slips: Slips, url: str = "") -> str:
    """The slips as plain text to print and cut: one block per person (``url``: where to log in)."""
    blocks = []
    for s in slips.slips:
        blocks.append(
            "\n".join(
                (
                    slips.school,
                    f"Электронный журнал и дневник — {s.note}",
                    *((f"Адрес: {url}",) if url else ()),
                    f"Кому: {s.name}",
                    f"Логин:  {s.login}",
                    f"Пароль: {s.password}",
                    "Пароль одноразовый: при первом входе придумайте свой.",
                    f"Выдан {slips.issued_at:%d.%m.%Y}",
                )
            )
        )
    return ("\n" + "-" * 60 + "\n").join(blocks) + "\n"
