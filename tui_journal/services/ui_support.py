"""Small reads the screens need before anybody has logged in.

Pure peewee reads, no permission check: what is returned here is shown to anyone who
reaches the login form (the school's name and its note under the form).
"""

from __future__ import annotations

from dataclasses import dataclass

from tui_journal.db.models import School


@dataclass(frozen=True)
class LoginNotice:
    school_name: str  # empty when the database holds several schools (a district) or none
    note: str  # School.login_note: help-desk contacts, the demo school's trial logins
    short_name: str = ""  # the short name, or the full one when there is none


def login_notice() -> LoginNotice:
    """The school's name and login note when the database holds exactly one school.

    A district database holds several schools and the login form does not yet know whose
    user is typing, so it shows neither (the notes of one school must not leak to another's
    users).
    """
    schools = list(School.select(School.name, School.short_name, School.login_note).limit(2))
    if len(schools) != 1:
        return LoginNotice("", "")
    school = schools[0]
    return LoginNotice(school.name, school.login_note or "", school.short_name or school.name)
