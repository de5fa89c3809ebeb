"""Pupils and staff from a table: a CSV (UTF-8 or Windows-1251; comma, semicolon or tab) or an
XLSX file with the documented columns; every line is checked before any goes in.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui_journal.db import models as m
from tui_journal.services import access, accounts
from tui_journal.services import roles as R
from tui_journal.services.actor import Actor
from tui_journal.services.enrollment import (
    NewPupil,
    ParentData,
    check_order,
    create_pupil,
    find_duplicate,
    pupil_values,
)
from tui_journal.services.errors import InvalidInput, NotFound, ServiceError
from tui_journal.services.school_data.base import refuse
from tui_journal.services.setup import find_class
from tui_journal.services.tx import write_tx

# --- tables from CSV or XLSX ----------------------------------------------------------------


def _read_table(path: Path) -> list[list[str]]:
    """The rows of a CSV (UTF-8 or Windows-1251; comma, semicolon or tab) or XLSX file as text."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"Файл не найден: {path}")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # a broken or foreign file
            raise InvalidInput(f"Не удалось прочитать книгу {path.name}: {exc}") from None
        sheet = book.active
        if sheet is None:
            raise InvalidInput("В книге нет листов")
        rows = []
        for raw in sheet.iter_rows(values_only=True):
            rows.append([_cell_text(v) for v in raw])
        book.close()
        return rows
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1251")
        except UnicodeDecodeError:
            raise InvalidInput("Файл не в кодировке UTF-8 и не в Windows-1251") from None
    dialect: Any = csv.excel
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        pass
    return [list(r) for r in csv.reader(io.StringIO(text, newline=""), dialect)]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _key(text: str) -> str:
    return " ".join(text.strip().casefold().replace("ё", "е").replace("_", " ").split())


def _map_header(header: Sequence[str], aliases: dict[str, tuple[str, ...]], required: Sequence[str]) -> dict[str, int]:
    index: dict[str, int] = {}
    known = {_key(a): name for name, names in aliases.items() for a in (name, *names)}
    unknown = []
    for i, cell in enumerate(header):
        k = _key(cell)
        if not k:
            continue
        if k not in known:
            unknown.append(cell.strip())
            continue
        index[known[k]] = i
    errors = []
    if unknown:
        errors.append(f"строка 1: неизвестные столбцы: {', '.join(unknown)}")
    missing = [aliases[n][0] for n in required if n not in index]
    if missing:
        errors.append(f"строка 1: нет обязательных столбцов: {', '.join(missing)}")
    if errors:
        raise refuse("Файл не загружен, ничего не изменено:", errors)
    return index


def parse_date(text: str) -> dt.date:
    """«05.04.2013», «5.4.2013» or «2013-04-05»."""
    value = text.strip()
    for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise InvalidInput(f"«{value}» — не дата (пример: 05.04.2013)")


STUDENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "last_name": ("фамилия",),
    "first_name": ("имя",),
    "middle_name": ("отчество",),
    "birth_date": ("дата рождения",),
    "sex": ("пол",),
    "class": ("класс",),
    "start": ("дата зачисления",),
    "order": ("приказ", "номер приказа"),
    "came_from": ("откуда", "откуда прибыл"),
    "address": ("адрес",),
    "parent1": ("родитель 1", "родитель"),
    "phone1": ("телефон 1", "телефон"),
    "relation1": ("кем приходится 1", "кем приходится"),
    "parent2": ("родитель 2",),
    "phone2": ("телефон 2",),
    "relation2": ("кем приходится 2",),
}
STUDENT_REQUIRED = ("last_name", "first_name", "birth_date", "sex", "class", "order")


@dataclass(frozen=True)
class ImportSummary:
    rows: int  # lines taken (all of them, or none)
    dry_run: bool
    created: tuple[str, ...]  # one line per created pupil or account


def _rows_of(table: list[list[str]]) -> Iterable[tuple[int, list[str]]]:
    for number, cells in enumerate(table[1:], start=2):
        if any((c or "").strip() for c in cells):
            yield number, cells


def _cell(cells: list[str], index: dict[str, int], name: str) -> str:
    i = index.get(name)
    return (cells[i] or "").strip() if i is not None and i < len(cells) else ""


def import_students(actor: Actor, path: Path, *, dry_run: bool = False) -> ImportSummary:
    """Enrol pupils (with their parents) from a file; every line is checked before any goes in."""
    access.require_any_role(actor, R.ADMIN, R.SECRETARY, what="загрузка учащихся")
    if not m.AcademicYear.select().where(m.AcademicYear.school == actor.school_id).exists():
        raise NotFound("В школе нет ни одного учебного года: сначала задайте год и классы")
    table = _read_table(path)
    if not table:
        raise InvalidInput("Файл пуст")
    index = _map_header(table[0], STUDENT_COLUMNS, STUDENT_REQUIRED)
    errors: list[str] = []
    ready: list[tuple[NewPupil, Any, dt.date, str, str]] = []
    seen: dict[tuple[str, dt.date | None], int] = {}
    for number, cells in _rows_of(table):
        try:
            v = {name: _cell(cells, index, name) for name in STUDENT_COLUMNS}
            cls = find_class(actor, v["class"])
            year = m.AcademicYear.get_by_id(cls.year_id)
            start = parse_date(v["start"]) if v["start"] else year.start
            parents = []
            for n in ("1", "2"):
                name = v[f"parent{n}"]
                if name:
                    last, first, middle = accounts.split_full_name(name)
                    parents.append(ParentData(last, first, middle, v[f"phone{n}"], v[f"relation{n}"]))
                elif v[f"phone{n}"]:
                    raise InvalidInput(f"телефон {n} без ФИО родителя {n}")
            birth = parse_date(v["birth_date"])
            pupil = pupil_values(
                NewPupil(v["last_name"], v["first_name"], v["middle_name"], birth, v["sex"],
                         tuple(parents), v["address"]),
                start,
            )
            order = check_order(v["order"])
            if year.closed:
                raise InvalidInput(f"учебный год {year.name} закрыт")
            if not year.start <= start <= year.end:
                raise InvalidInput(f"дата зачисления {start:%d.%m.%Y} вне {year.name} учебного года")
            key = (" ".join((pupil.last_name, pupil.first_name, pupil.middle_name)).casefold(), pupil.birth_date)
            if key in seen:
                raise InvalidInput(f"тот же учащийся, что в строке {seen[key]}")
            seen[key] = number
            if find_duplicate(actor, pupil) is not None:
                raise InvalidInput(f"{pupil.last_name} {pupil.first_name} с этой датой рождения уже есть в школе")
            ready.append((pupil, cls, start, order, v["came_from"]))
        except ServiceError as exc:
            errors.append(f"строка {number}: {exc.message}")
    if errors:
        raise refuse("Учащиеся не загружены, ничего не изменено:", errors)
    created = tuple(f"{p.last_name} {p.first_name} {p.middle_name}".strip() + f" — {c.grade}{c.letter}" for p, c, *_ in ready)
    if dry_run:
        return ImportSummary(len(ready), True, created)
    with write_tx():
        for pupil, cls, start, order, came_from in ready:
            create_pupil(actor, pupil, cls, start, order, came_from)
    return ImportSummary(len(ready), False, created)


STAFF_COLUMNS: dict[str, tuple[str, ...]] = {
    "login": ("логин",),
    "last_name": ("фамилия",),
    "first_name": ("имя",),
    "middle_name": ("отчество",),
    "roles": ("роли", "роль", "должность"),
    "phone": ("телефон",),
    "email": ("email", "e-mail", "почта"),
}
STAFF_REQUIRED = ("last_name", "first_name", "roles")
_ROLE_WORDS = {
    "администратор": R.ADMIN, "директор": R.DIRECTOR, "заместитель директора": R.DEPUTY, "завуч": R.DEPUTY,
    "заместитель директора по увр": R.DEPUTY, "секретарь": R.SECRETARY, "учитель": R.TEACHER,
    "воспитатель": R.EDUCATOR, "воспитатель гкп": R.EDUCATOR,
}


def _roles(text: str) -> list[str]:
    result = []
    for part in text.replace(";", ",").split(","):
        word = _key(part)
        if not word:
            continue
        role = word if word in R.ALL_ROLES else _ROLE_WORDS.get(word)
        if role is None or role in (R.STUDENT, R.PARENT):
            raise InvalidInput(
                f"роль «{part.strip()}» неизвестна: администратор, директор, завуч, секретарь, учитель, воспитатель"
            )
        if role not in result:
            result.append(role)
    if not result:
        raise InvalidInput("не указана роль")
    return result


def import_staff(actor: Actor, path: Path, *, dry_run: bool = False) -> ImportSummary:
    """Create staff accounts (without passwords: credentials are issued later, R-ACC-2)."""
    access.require_any_role(actor, R.ADMIN, what="загрузка сотрудников")
    from tui_journal.services.enrollment import free_login

    table = _read_table(path)
    if not table:
        raise InvalidInput("Файл пуст")
    index = _map_header(table[0], STAFF_COLUMNS, STAFF_REQUIRED)
    errors: list[str] = []
    ready: list[dict[str, Any]] = []
    logins: dict[str, int] = {}
    for number, cells in _rows_of(table):
        try:
            v = {name: _cell(cells, index, name) for name in STAFF_COLUMNS}
            last, first, middle = v["last_name"], v["first_name"], v["middle_name"]
            if not last or not first:
                raise InvalidInput("нет фамилии или имени")
            last, first, middle, v["phone"], v["email"] = accounts.person_fields(last, first, middle, v["phone"], v["email"])
            roles = _roles(v["roles"])
            login = v["login"] or free_login(last, first)
            base, n = login, 1
            while not v["login"] and login.lower() in logins:
                n += 1
                login = f"{base}{n}"
            if not accounts.LOGIN_RE.match(login):
                raise InvalidInput(f"логин «{login}» недопустим: латинские буквы, цифры, точка, дефис и _, 3–32 знака")
            if login.lower() in logins:
                raise InvalidInput(f"логин «{login}» уже в строке {logins[login.lower()]}")
            if accounts.find_user(login) is not None:
                raise InvalidInput(f"логин «{login}» уже занят")
            logins[login.lower()] = number
            ready.append(
                {"login": login, "last_name": last, "first_name": first, "middle_name": middle, "roles": roles,
                 "phone": v["phone"], "email": v["email"]}
            )
        except ServiceError as exc:
            errors.append(f"строка {number}: {exc.message}")
    if errors:
        raise refuse("Сотрудники не загружены, ничего не изменено:", errors)
    created = tuple(f"{r['login']}: {r['last_name']} {r['first_name']} ({', '.join(r['roles'])})" for r in ready)
    if dry_run:
        return ImportSummary(len(ready), True, created)
    with write_tx():
        for r in ready:
            accounts.add_user(
                actor, r["login"], r["last_name"], r["first_name"], r["middle_name"],
                roles=r["roles"], phone=r["phone"], email=r["email"],
            )
    return ImportSummary(len(ready), False, created)
