"""The school itself: creating it at `init`, reading it, and finding the one to work on."""

from __future__ import annotations

from dataclasses import dataclass

from tui_journal.db.models import School, User, UserRole
from tui_journal.i18n import t
from tui_journal.services import audit, user_text
from tui_journal.services import roles as R
from tui_journal.services.accounts import UserInfo, add_user
from tui_journal.services.actor import Actor
from tui_journal.services.errors import NotFound
from tui_journal.services.tx import write_tx


@dataclass(frozen=True)
class SchoolInfo:
    id: int
    name: str
    short_name: str


def _info(school: School) -> SchoolInfo:
    return SchoolInfo(id=school.id, name=school.name, short_name=school.short_name or school.name)


def list_schools() -> list[SchoolInfo]:
    """Schools in this database (a district holds several); used to pick one at the console."""
    return [_info(s) for s in School.select().order_by(School.id)]


def get_school(school_id: int) -> SchoolInfo:
    school = School.get_or_none(School.id == school_id)
    if school is None:
        raise NotFound(t("err.no_school", school=school_id))
    return _info(school)


def resolve_school(selector: str | None) -> SchoolInfo:
    """The school named by id or name on the command line, or the only one there is."""
    schools = list_schools()
    if selector:
        for s in schools:
            if selector == str(s.id) or selector.casefold() in (s.name.casefold(), s.short_name.casefold()):
                return s
        raise NotFound(t("err.no_school", school=selector))
    if len(schools) == 1:
        return schools[0]
    if not schools:
        raise NotFound(t("err.no_school", school="—"))
    raise NotFound(t("err.several_schools", schools=", ".join(f"{s.id}: {s.name}" for s in schools)))


def create_school_with_admin(
    name: str,
    admin_login: str,
    admin_name: tuple[str, str, str],
    admin_password: str,
    *,
    short_name: str = "",
    origin: str = "cli",
) -> tuple[SchoolInfo, UserInfo]:
    """`tui-journal init`: a new school and its first administrator, in one transaction."""
    with write_tx():
        school = School.create(
            name=user_text.clean(name, "school_name", field="название школы", required=True),
            short_name=user_text.clean(short_name, "school_name", field="краткое название школы"),
        )
        console = Actor.console(school.id, origin=origin)
        audit.record_creation(console, "school", school.id, {"name": school.name, "short_name": school.short_name})
        admin = add_user(
            console,
            admin_login,
            *admin_name,
            roles=[R.ADMIN],
            password=admin_password,
        )
    return _info(school), admin


def has_admin(school_id: int) -> bool:
    return (
        User.select()
        .join(UserRole)
        .where((User.school == school_id) & (UserRole.role == R.ADMIN))
        .exists()
    )
