"""Pieces several reports share: signatures, the parameter block, attendance columns."""

from __future__ import annotations

import datetime as dt

from tui_journal.db.models import School, SchoolClass, User, UserRole
from tui_journal.domain import ru_words as words
from tui_journal.domain.attendance import MissedDays
from tui_journal.domain.text import surname_initials
from tui_journal.services import roles as R
from tui_journal.services.journal import class_label
from tui_journal.services.reports.data import class_teacher_name
from tui_journal.services.reports.model import Cell, Column
from tui_journal.services.reports.scope import Span

CLASS_TEACHER_SIG = "Классный руководитель"
DEPUTY_SIG = "Заместитель директора по УВР"
DIRECTOR_SIG = "Директор"
SECRETARY_SIG = "Секретарь"
STAMP = "М.П."

ALL_SIGNATURES = (CLASS_TEACHER_SIG, DEPUTY_SIG, DIRECTOR_SIG, STAMP)
ADMIN_SIGNATURES = (DEPUTY_SIG, DIRECTOR_SIG, STAMP)

MONTHS = words.MONTHS
WEEKDAYS_SHORT = tuple(w.capitalize() for w in words.WEEKDAYS_SHORT)

ATTENDANCE_NOTE = (
    "День считается пропущенным, только если пропущены все уроки, проведённые в этот день для класса "
    "или группы учащегося; опоздание («о») не считается пропуском урока. Причина пропуска — с учётом "
    "исправлений классного руководителя."
)


def day(d: dt.date) -> str:
    return f"{d:%d.%m.%Y}"


def short_day(d: dt.date) -> str:
    return f"{WEEKDAYS_SHORT[d.weekday()]} {d:%d.%m}"


def month_name(d: dt.date) -> str:
    return f"{MONTHS[d.month - 1]} {d.year}"


def _short_user(user: User) -> str:
    return surname_initials(user.last_name, user.first_name, user.middle_name or None)


def _short_full(text: str) -> str:
    parts = text.split()
    if len(parts) < 2:
        return text
    return surname_initials(parts[0], parts[1], parts[2] if len(parts) > 2 else None)


def deputy_name(school_id: int) -> str:
    user = (
        User.select()
        .join(UserRole)
        .where((User.school == school_id) & (UserRole.role == R.DEPUTY) & (User.state == "active"))
        .order_by(User.id)
        .first()
    )
    return _short_user(user) if user is not None else ""


def signers(school: School, cls: SchoolClass | None = None) -> dict[str, str]:
    """Names under the signature lines, where the school knows them."""
    names = {DIRECTOR_SIG: _short_full(school.director_name) if school.director_name else "", DEPUTY_SIG: deputy_name(school.id)}
    if cls is not None:
        names[CLASS_TEACHER_SIG] = class_teacher_name(cls)
    return {k: v for k, v in names.items() if v}


def params(
    cls: SchoolClass | None = None,
    span: Span | None = None,
    on: dt.date | None = None,
    **extra: str,
) -> dict[str, str]:
    """The parameter block: «Класс», «Период», «Дата», then anything else given."""
    block: dict[str, str] = {}
    if cls is not None:
        block["Класс"] = class_label(cls)
    if span is not None:
        block["Период"] = span.label
    if on is not None:
        block["Дата"] = day(on)
    block.update({k: v for k, v in extra.items() if v})
    return block


def attendance_columns(with_days: bool = True) -> tuple[Column, ...]:
    """Missed days and lessons, each in total and by reason, and late arrivals apart."""
    cols: list[Column] = []
    groups = (("days", "Пропущено дней"), ("lessons", "Пропущено уроков")) if with_days else (
        ("lessons", "Пропущено уроков"),
    )
    for key, group in groups:
        cols += [
            Column(f"{key}_total", "всего", 6, "right", True, group),
            Column(f"{key}_ill", "по болезни", 8, "right", True, group),
            Column(f"{key}_valid", "по уважит. причине", 9, "right", True, group),
            Column(f"{key}_unexcused", "без уважит. причины", 9, "right", True, group),
        ]
    cols.append(Column("late", "Опозданий", 9, "right", True))
    return tuple(cols)


def attendance_cells(m: MissedDays, with_days: bool = True) -> list[Cell]:
    cells: list[Cell] = []
    if with_days:
        cells += [m.days.total, m.days.ill, m.days.valid, m.days.unexcused]
    cells += [m.lessons.total, m.lessons.ill, m.lessons.valid, m.lessons.unexcused, m.late]
    return cells


def sum_columns(rows: list[list[Cell]], first: int, width: int) -> list[Cell]:
    """Column sums from ``first`` to ``width`` (numbers only; other cells count as 0)."""
    sums: list[Cell] = []
    for i in range(first, width):
        total = 0.0
        is_int = True
        for row in rows:
            value = row[i]
            if isinstance(value, bool):
                continue
            if isinstance(value, int):
                total += value
            elif isinstance(value, float):
                total += value
                is_int = False
        sums.append(int(total) if is_int else total)
    return sums


def of_class(cls: SchoolClass) -> str:
    """«7А класса», «группы ГКП» (for titles: «Успеваемость учащихся 7А класса»)."""
    label = class_label(cls)
    return f"группы {label}" if cls.grade == 0 else f"{label} класса"
