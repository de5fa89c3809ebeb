"""The parts of «Настройка школы» (R-SETUP-1..3): what each lists and how its one-line form
is read. Everything here runs in the screen's thread workers and goes through the services
(:mod:`tui_journal.services.setup`, :mod:`tui_journal.services.timetable`); a refusal is a
:class:`ServiceError` whose Russian message the screen puts on the status line.

The line typed in the form holds fields separated by «;» in the order its placeholder shows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

from tui_journal import clock as sysclock
from tui_journal.i18n import t
from tui_journal.services import diary, enrollment, setup, timetable
from tui_journal.services.actor import Actor
from tui_journal.services.errors import InvalidInput, NotFound
from tui_journal.services.school_data import parse_date
from tui_journal.services.setup import YearInfo
from tui_journal.widgets.picker import Choice, matches

ADD, EDIT, EXTRA = "add", "edit", "extra"

LAYOUTS = {
    "": "quarter", "четверти": "quarter", "четверть": "quarter", "quarter": "quarter",
    "полугодия": "half", "полугодие": "half", "half": "half",
    "триместры": "trimester", "триместр": "trimester", "trimester": "trimester",
    "нет": None, "none": None, "-": None,
}
KINDS = {
    "четверть": "quarter", "quarter": "quarter", "полугодие": "half", "half": "half",
    "триместр": "trimester", "trimester": "trimester", "каникулы": "holidays", "holidays": "holidays",
}
YES = {"да", "д", "yes", "y", "+", "1"}
NO = {"нет", "н", "no", "n", "-", "0", ""}


# --- values the screen shows -------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    key: str
    cells: tuple[str, ...]
    edit_value: str = ""  # what Enter puts into the form
    edit_hint: str = ""  # i18n key of the form's placeholder for Enter ("" → not editable)


@dataclass(frozen=True)
class Listing:
    columns: tuple[tuple[str, int], ...]  # (title, width)
    rows: tuple[Row, ...]
    note: str = ""  # shown on the status line after loading


# --- reading the typed line ------------------------------------------------------------


def split(text: str, least: int, most: int, hint_key: str) -> list[str]:
    parts = [p.strip() for p in text.split(";")]
    if parts == [""]:
        parts = []
    if not least <= len(parts) <= most:
        raise InvalidInput(t("setup.bad_line", hint=t(hint_key)))
    return parts + [""] * (most - len(parts))


def yes_no(text: str, what: str) -> bool:
    value = text.strip().casefold()
    if value in YES:
        return True
    if value in NO:
        return False
    raise InvalidInput(t("setup.bad_yes_no", what=what, value=text.strip()))


def number(text: str, what: str) -> float:
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        raise InvalidInput(t("setup.bad_number", what=what, value=text.strip())) from None


def whole(text: str, what: str) -> int:
    value = number(text, what)
    if value != int(value):
        raise InvalidInput(t("setup.bad_number", what=what, value=text.strip()))
    return int(value)


def clock(text: str) -> dt.time:
    value = text.strip().replace(".", ":")
    try:
        return dt.datetime.strptime(value, "%H:%M").time()
    except ValueError:
        raise InvalidInput(t("setup.bad_time", value=text.strip())) from None


def bells(text: str) -> list[tuple[int, dt.time, dt.time]]:
    """«1 08:30-09:15; 2 09:25-10:10» → [(1, 08:30, 09:15), (2, 09:25, 10:10)]."""
    result = []
    for item in (p.strip() for p in text.split(";")):
        if not item:
            continue
        match = re.fullmatch(r"(\d{1,2})\s*[:.)]?\s+(\d{1,2}[:.]\d{2})\s*[-–—]\s*(\d{1,2}[:.]\d{2})", item)
        if match is None:
            raise InvalidInput(t("setup.bad_bell", value=item))
        result.append((int(match[1]), clock(match[2]), clock(match[3])))
    if not result:
        raise InvalidInput(t("setup.bad_line", hint=t("setup.hint.bells")))
    return result


def short_date(day: dt.date) -> str:
    return f"{day:%d.%m.%Y}"


def num_text(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def current_year(actor: Actor) -> YearInfo:
    """The year holding today, else the latest open one (the classes' year in the lists)."""
    years = setup.list_years(actor)
    today = sysclock.today()
    for year in years:
        if year.start <= today <= year.end:
            return year
    open_years = [y for y in years if not y.closed]
    if open_years:
        return open_years[-1]
    if years:
        return years[-1]
    raise NotFound(t("setup.no_year"))


def row_id(key: str) -> int:
    return int(key.rpartition(":")[2])


# --- the parts ---------------------------------------------------------------------------


@dataclass
class Part:
    key: ClassVar[str] = ""
    add_hint: ClassVar[str] = ""  # i18n key of the F2 placeholder ("" → F2 does nothing here)
    extra_hint: ClassVar[str] = ""  # i18n key of the F3 placeholder
    extra_needs_row: ClassVar[bool] = True
    state: dict[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return t(f"setup.part.{self.key}")

    @property
    def short(self) -> str:
        return t(f"setup.short.{self.key}")

    def listing(self, actor: Actor) -> Listing:
        raise NotImplementedError

    def add(self, actor: Actor, text: str) -> str:
        raise InvalidInput(t("setup.no_add"))

    def edit(self, actor: Actor, key: str, text: str) -> str:
        raise InvalidInput(t("setup.no_edit"))

    def extra(self, actor: Actor, key: str | None, text: str) -> str:
        raise InvalidInput(t("setup.no_extra"))

    def delete(self, actor: Actor, key: str) -> str:
        raise InvalidInput(t("setup.no_delete"))

    def submit(self, actor: Actor, mode: str, key: str | None, text: str) -> str:
        if mode == ADD:
            return self.add(actor, text)
        if mode == EXTRA:
            return self.extra(actor, key, text)
        assert key is not None
        return self.edit(actor, key, text)


class YearsPart(Part):
    key = "years"
    add_hint = "setup.hint.year_add"
    extra_hint = "setup.hint.period_add"

    def listing(self, actor: Actor) -> Listing:
        rows: list[Row] = []
        for year in setup.list_years(actor):
            what = t("setup.year_closed") if year.closed else t("setup.year")
            rows.append(
                Row(
                    f"y:{year.id}", (year.name, what, short_date(year.start), short_date(year.end)),
                    f"{year.name}; {short_date(year.start)}; {short_date(year.end)}", "setup.hint.year_edit",
                )
            )
            for p in year.periods:
                rows.append(
                    Row(
                        f"p:{p.id}", ("  " + p.name, setup.PERIOD_KIND_NAMES.get(p.kind, p.kind),
                                      short_date(p.start), short_date(p.end)),
                        f"{p.name}; {short_date(p.start)}; {short_date(p.end)}", "setup.hint.period_edit",
                    )
                )
        columns = ((t("setup.col.name"), 20), (t("setup.col.kind"), 12), (t("setup.col.start"), 10),
                   (t("setup.col.end"), 10))
        return Listing(columns, tuple(rows))

    def _year_of(self, actor: Actor, key: str) -> YearInfo:
        wanted = row_id(key)
        for year in setup.list_years(actor):
            if year.id == wanted if key.startswith("y:") else any(p.id == wanted for p in year.periods):
                return year
        raise NotFound(t("setup.no_year"))

    def add(self, actor: Actor, text: str) -> str:
        name, start, end, layout = split(text, 3, 4, self.add_hint)
        kind = layout.casefold()
        if kind not in LAYOUTS:
            raise InvalidInput(t("setup.bad_layout", value=layout))
        year = setup.add_year(actor, name, parse_date(start), parse_date(end), layout=LAYOUTS[kind])
        return t("setup.year_added", name=year.name, n=len(year.periods))

    def extra(self, actor: Actor, key: str | None, text: str) -> str:
        if key is None:
            raise InvalidInput(t("setup.pick_year"))
        year = self._year_of(actor, key)
        name, kind, start, end = split(text, 4, 4, self.extra_hint)
        code = KINDS.get(kind.casefold())
        if code is None:
            raise InvalidInput(t("setup.bad_kind", value=kind))
        setup.add_period(actor, year.id, name, code, parse_date(start), parse_date(end))
        return t("setup.saved")

    def edit(self, actor: Actor, key: str, text: str) -> str:
        hint = "setup.hint.year_edit" if key.startswith("y:") else "setup.hint.period_edit"
        name, start, end = split(text, 3, 3, hint)
        if key.startswith("y:"):
            setup.update_year(actor, row_id(key), name=name, start=parse_date(start), end=parse_date(end))
        else:
            setup.update_period(actor, row_id(key), name=name, start=parse_date(start), end=parse_date(end))
        return t("setup.saved")

    def delete(self, actor: Actor, key: str) -> str:
        if key.startswith("y:"):
            raise InvalidInput(t("setup.no_delete_year"))
        setup.delete_period(actor, row_id(key))
        return t("setup.deleted")


class ModePart(Part):
    key = "mode"

    def listing(self, actor: Actor) -> Listing:
        s = setup.school_settings(actor)
        if s.rounding == "threshold":
            policy = t("setup.policy_threshold", t5=num_text(s.threshold_5), t4=num_text(s.threshold_4),
                       t3=num_text(s.threshold_3), n=s.min_marks)
        else:
            policy = t("setup.policy_half_up", n=s.min_marks)
        policy_edit = (f"{s.rounding}; {num_text(s.threshold_5)}; {num_text(s.threshold_4)}; "
                       f"{num_text(s.threshold_3)}; {s.min_marks}")
        rows = [
            Row("week", (t("setup.week"), t("setup.week_days", n=s.week_days)), str(s.week_days), "setup.hint.week"),
            Row("policy", (t("setup.policy"), policy), policy_edit, "setup.hint.policy"),
        ]
        times = diary.bell_times(actor.school_id)
        bells_edit = "; ".join(f"{n} {v.replace('–', '-')}" for n, v in sorted(times.items()))
        if not times:
            rows.append(Row("bells", (t("setup.bells"), t("setup.no_bells")), "", "setup.hint.bells"))
        for n, value in sorted(times.items()):
            rows.append(Row(f"bell:{n}", (t("setup.bell", n=n), value), bells_edit, "setup.hint.bells"))
        return Listing(((t("setup.col.what"), 22), (t("setup.col.value"), 33)), tuple(rows))

    def edit(self, actor: Actor, key: str, text: str) -> str:
        if key == "week":
            (days,) = split(text, 1, 1, "setup.hint.week")
            setup.set_week_days(actor, whole(days, t("setup.week")))
        elif key == "policy":
            rounding, t5, t4, t3, least = split(text, 1, 5, "setup.hint.policy")
            setup.set_grading_policy(
                actor,
                rounding=rounding.casefold() or None,
                threshold_5=number(t5, "«5»") if t5 else None,
                threshold_4=number(t4, "«4»") if t4 else None,
                threshold_3=number(t3, "«3»") if t3 else None,
                min_marks=whole(least, t("setup.min_marks")) if least else None,
            )
        else:
            setup.set_main_bells(actor, bells(text), name=t("setup.main_bells"))
        return t("setup.saved")


class RoomsPart(Part):
    key = "rooms"
    add_hint = "setup.hint.room"

    def listing(self, actor: Actor) -> Listing:
        rows = tuple(Row(f"r:{r.id}", (r.name,), r.name, "setup.hint.room") for r in setup.list_rooms(actor))
        return Listing(((t("setup.col.room"), 40),), rows)

    def add(self, actor: Actor, text: str) -> str:
        (name,) = split(text, 1, 1, self.add_hint)
        return t("setup.added", name=setup.add_room(actor, name).name)

    def edit(self, actor: Actor, key: str, text: str) -> str:
        (name,) = split(text, 1, 1, self.add_hint)
        setup.rename_room(actor, row_id(key), name)
        return t("setup.saved")


class SubjectsPart(Part):
    key = "subjects"
    add_hint = "setup.hint.subject_add"

    def listing(self, actor: Actor) -> Listing:
        def preset(s: setup.Named) -> str:
            groups = "да" if setup.SPLIT_NOTE in s.detail else "нет"
            control = "нет" if setup.NO_CONTROL_NOTE in s.detail else "да"
            return f"{s.name}; ; {groups}; {control}"

        rows = tuple(
            Row(f"s:{s.id}", (s.name, s.detail), preset(s), "setup.hint.subject_edit")
            for s in setup.list_subjects(actor)
        )
        return Listing(((t("setup.col.subject"), 30), (t("setup.col.note"), 36)), rows)

    def add(self, actor: Actor, text: str) -> str:
        name, short, groups, control = split(text, 1, 4, self.add_hint)
        subject = setup.add_subject(
            actor, name, short, split_into_groups=yes_no(groups, t("setup.col.groups")),
            has_control_works=yes_no(control, t("setup.col.control_works")) if control else True,
        )
        return t("setup.added", name=subject.name)

    def edit(self, actor: Actor, key: str, text: str) -> str:
        name, short, groups, control = split(text, 1, 4, "setup.hint.subject_edit")
        setup.update_subject(
            actor, row_id(key), name=name or None, short_name=short or None,
            split_into_groups=yes_no(groups, t("setup.col.groups")) if groups else None,
            has_control_works=yes_no(control, t("setup.col.control_works")) if control else None,
        )
        return t("setup.saved")


class WorkTypesPart(Part):
    key = "work_types"
    add_hint = "setup.hint.work_type"

    def listing(self, actor: Actor) -> Listing:
        rows = []
        for w in setup.list_work_types(actor):
            match = re.search(r"вес ([\d.]+)", w.detail)
            weight = num_text(float(match[1])) if match else ""
            control = "да" if "контрольная" in w.detail else "нет"
            rows.append(Row(f"w:{w.id}", (w.name, w.detail), f"{w.name}; {weight}; {control}", "setup.hint.work_type"))
        return Listing(((t("setup.col.work_type"), 30), (t("setup.col.weight"), 24)), tuple(rows))

    def add(self, actor: Actor, text: str) -> str:
        name, weight, control = split(text, 1, 3, self.add_hint)
        wt = setup.add_work_type(
            actor, name, number(weight, t("setup.col.weight")) if weight else 1.0,
            is_control=yes_no(control, t("setup.control")),
        )
        return t("setup.added", name=wt.name)

    def edit(self, actor: Actor, key: str, text: str) -> str:
        name, weight, control = split(text, 1, 3, self.add_hint)
        setup.update_work_type(
            actor, row_id(key), name=name or None,
            weight=number(weight, t("setup.col.weight")) if weight else None,
            is_control=yes_no(control, t("setup.control")) if control else None,
        )
        return t("setup.saved")


class ClassesPart(Part):
    key = "classes"
    add_hint = "setup.hint.class_add"

    def listing(self, actor: Actor) -> Listing:
        rows = tuple(
            Row(f"c:{c.id}", (c.name, c.class_teacher, c.class_teacher_login, str(c.pupils)),
                c.class_teacher_login, "setup.hint.class_teacher")
            for c in setup.list_classes(actor)
        )
        columns = ((t("setup.col.class"), 6), (t("setup.col.class_teacher"), 24), (t("setup.col.login"), 14),
                   (t("setup.col.pupils"), 5))
        return Listing(columns, rows)

    def add(self, actor: Actor, text: str) -> str:
        name, login = split(text, 1, 2, self.add_hint)
        login = teacher_login(actor, login)
        info = setup.add_class(actor, current_year(actor).id, name, class_teacher=login or None)
        return t("setup.added", name=info.name)

    def edit(self, actor: Actor, key: str, text: str) -> str:
        (login,) = split(text, 0, 1, "setup.hint.class_teacher")
        setup.set_class_teacher(actor, row_id(key), teacher_login(actor, login) or None)
        return t("setup.saved")

    def delete(self, actor: Actor, key: str) -> str:
        setup.delete_class(actor, row_id(key))
        return t("setup.deleted")


def pick_one(choices: list[Choice], text: str, what: str) -> Choice:
    """The one choice ``text`` stands for: typed exactly (a login, a name), else the only one
    containing it («иван» → ivanova); several or none is an InvalidInput naming them."""
    text = text.strip()
    folded = text.casefold()
    exact = [c for c in choices if folded in (c.value.casefold(), c.label.casefold())]
    if len(exact) == 1:
        return exact[0]
    found = exact or matches(choices, text)
    if len(found) == 1:
        return found[0]
    if not found:
        raise NotFound(t("pick.not_found", what=what, text=text))
    names = ", ".join(f"{c.label} ({c.value})" if c.value != c.label else c.label for c in found[:5])
    raise InvalidInput(t("pick.several", what=what, text=text, names=names))


def teacher_login(actor: Actor, text: str) -> str:
    """A teacher by login or part of the surname (the setup lines once needed the exact login)."""
    if not text.strip():
        return ""
    teachers = [Choice(x.name, x.detail) for x in setup.list_teachers(actor)]
    return pick_one(teachers, text, t("pick.what.teacher")).value


def _group_id(actor: Actor, class_id: int, name: str) -> int | None:
    if not name:
        return None
    for g in setup.list_groups(actor, class_id):
        if g.name.casefold() == name.casefold():
            return g.id
    raise NotFound(t("cli.group_not_found", group=name))


class LoadPart(Part):
    key = "load"
    add_hint = "setup.hint.assign"

    def listing(self, actor: Actor) -> Listing:
        rows = []
        for c in setup.list_classes(actor):
            for a in setup.list_assignments(actor, c.id):
                rows.append(Row(f"a:{a.id}", (a.class_name, a.subject, a.group, a.teacher, a.teacher_login),
                                a.teacher_login, "setup.hint.reassign"))
        columns = ((t("setup.col.class"), 5), (t("setup.col.subject"), 15), (t("setup.col.group"), 8),
                   (t("setup.col.teacher"), 13), (t("setup.col.login"), 10))
        return Listing(columns, tuple(rows))

    def add(self, actor: Actor, text: str) -> str:
        class_name, subject_name, login, group = split(text, 3, 4, self.add_hint)
        cls = setup.find_class(actor, class_name)
        subject = setup.find_subject(actor, subject_name)
        login = teacher_login(actor, login)
        info = setup.assign_teacher(actor, cls.id, subject.id, login, group_id=_group_id(actor, cls.id, group))
        return t("setup.assigned", teacher=info.teacher, subject=info.subject, name=info.class_name)

    def edit(self, actor: Actor, key: str, text: str) -> str:
        """Another teacher for the same class, subject and group (one change in the service)."""
        (login,) = split(text, 1, 1, "setup.hint.reassign")
        new = setup.hand_over(actor, row_id(key), teacher_login(actor, login))
        return t("setup.assigned", teacher=new.teacher, subject=new.subject, name=new.class_name)

    def delete(self, actor: Actor, key: str) -> str:
        setup.unassign_teacher(actor, row_id(key))
        return t("setup.deleted")


class GroupsPart(Part):
    key = "groups"
    add_hint = "setup.hint.group_add"
    extra_hint = "setup.hint.group_move"

    def listing(self, actor: Actor) -> Listing:
        rows = []
        for c in setup.list_classes(actor):
            for g in setup.list_groups(actor, c.id):
                rows.append(Row(f"g:{c.id}:{g.id}", (c.name, g.name, g.detail), "", "setup.hint.group_members"))
        columns = ((t("setup.col.class"), 5), (t("setup.col.group"), 16), (t("setup.col.members"), 32))
        return Listing(columns, tuple(rows))

    def add(self, actor: Actor, text: str) -> str:
        class_name, subject_name, name = split(text, 3, 3, self.add_hint)
        cls = setup.find_class(actor, class_name)
        subject = setup.find_subject(actor, subject_name)
        return t("setup.added", name=setup.add_group(actor, cls.id, subject.id, name).name)

    @staticmethod
    def _pupil(actor: Actor, class_id: int, surname: str) -> int:
        wanted = surname.strip().casefold()
        found = [p for p in enrollment.class_list(actor, class_id) if p.full_name.casefold().startswith(wanted)]
        if len(found) != 1:
            raise NotFound(t("setup.no_pupil" if not found else "setup.many_pupils", name=surname.strip()))
        return found[0].id

    def edit(self, actor: Actor, key: str, text: str) -> str:
        """Enter: put pupils of the class into the selected group (the first split, a newcomer)."""
        names, since = split(text, 2, 2, "setup.hint.group_members")
        class_id, group_id = (int(x) for x in key.split(":")[1:])
        ids = [self._pupil(actor, class_id, n) for n in names.split(",") if n.strip()]
        added = setup.add_to_group(actor, group_id, ids, parse_date(since))
        return t("setup.group_added", n=added)

    def extra(self, actor: Actor, key: str | None, text: str) -> str:
        """F3: move a pupil into the selected group at the end of a period."""
        if key is None:
            raise InvalidInput(t("setup.pick_group"))
        surname, period_name = split(text, 2, 2, self.extra_hint)
        class_id, group_id = (int(x) for x in key.split(":")[1:])
        student_id = self._pupil(actor, class_id, surname)
        year_id = next(c.year_id for c in setup.list_classes(actor) if c.id == class_id)
        year = next(y for y in setup.list_years(actor) if y.id == year_id)
        period = next((p for p in year.periods if p.name.casefold() == period_name.casefold()), None)
        if period is None:
            raise NotFound(t("setup.no_period", name=period_name))
        setup.move_to_group(actor, student_id, group_id, period.id)
        return t("setup.moved", since=short_date(period.end + dt.timedelta(days=1)))


class WeekPart(Part):
    """«Расписание учителя / кабинета»: type a login or a room, see the week."""

    key = "week"
    add_hint = "setup.hint.week_of"
    ROWS: ClassVar[int] = 7

    def listing(self, actor: Actor) -> Listing:
        days = setup.school_settings(actor).week_days
        columns = (("№", 2), *((timetable.WEEKDAYS_SHORT[d], 7) for d in range(days)))
        who = self.state.get("who", "")
        if not who:
            return Listing(columns, (), t("setup.week_pick"))
        # a room or a teacher, by part of the name («217», «иван») as well as exactly
        rooms = {Choice(r.name, r.name): r.id for r in setup.list_rooms(actor)}
        choices = [*rooms, *(Choice(x.name, x.detail) for x in setup.list_teachers(actor))]
        picked = pick_one(choices, who, t("pick.what.week"))
        if picked in rooms:
            slots = timetable.room_timetable(actor, rooms[picked])
            title = t("setup.week_room", name=picked.label)
        else:
            slots = timetable.teacher_timetable(actor, picked.value)
            title = t("setup.week_teacher", name=picked.value)
        rows = []
        for n in range(1, max([self.ROWS, *(s.number for s in slots)]) + 1):
            cells = []
            for d in range(1, days + 1):
                here = [s for s in slots if (s.weekday, s.number) == (d, n)]
                cells.append(" / ".join(f"{s.class_name} {s.subject[:3]}" for s in here))
            rows.append(Row(f"n:{n}", (str(n), *cells), who, self.add_hint))
        return Listing(columns, tuple(rows), t("setup.week_shown", title=title, n=len(slots)))

    def add(self, actor: Actor, text: str) -> str:
        (who,) = split(text, 1, 1, self.add_hint)
        before = self.state.get("who", "")
        self.state["who"] = who
        try:
            self.listing(actor)  # an unknown login is refused here, not on every reload
        except Exception:
            self.state["who"] = before
            raise
        return ""

    def edit(self, actor: Actor, key: str, text: str) -> str:
        return self.add(actor, text)


PARTS: tuple[Callable[[], Part], ...] = (
    YearsPart, ModePart, RoomsPart, SubjectsPart, WorkTypesPart, ClassesPart, LoadPart, GroupsPart, WeekPart,
)
