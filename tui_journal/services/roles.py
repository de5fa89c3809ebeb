"""The roles of the regulation (R-ROLE-*) as they are named on the command line."""

from __future__ import annotations

ADMIN = "admin"
DIRECTOR = "director"
DEPUTY = "deputy"
SECRETARY = "secretary"
TEACHER = "teacher"
EDUCATOR = "educator"
STUDENT = "student"
PARENT = "parent"

ALL_ROLES: tuple[str, ...] = (
    ADMIN,
    DIRECTOR,
    DEPUTY,
    SECRETARY,
    TEACHER,
    EDUCATOR,
    STUDENT,
    PARENT,
)

#: Roles that see every journal of the school (R-ROLE-ADMIN, -DIRECTOR, -DEPUTY).
SCHOOL_WIDE = frozenset({ADMIN, DIRECTOR, DEPUTY})

#: Staff roles (they appear in the staff list and may write messages to anybody).
STAFF = frozenset({ADMIN, DIRECTOR, DEPUTY, SECRETARY, TEACHER, EDUCATOR})
