"""The school's data in and out (docs/import-formats.md).

- :func:`export_school` writes the whole school as CSV files, one per kind (table), with a
  ``manifest.json`` that lists the files, their columns, row counts and SHA-256 sums.
- :func:`import_school` reads such a directory into an empty database: everything is checked
  first (every bad line is reported by file, number and reason, in Russian), then it goes in
  in one transaction, or nothing does. The ids are kept, so a round trip loses nothing.
- :func:`import_students` and :func:`import_staff` take a CSV (UTF-8 or Windows-1251, comma,
  semicolon or tab) or an XLSX file with the documented columns, with the same all-or-nothing
  rule.

Text is stored as typed: markup characters such as ``[`` and ``]`` are data, never
interpreted; control characters in names are refused (as :mod:`accounts` does).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import io
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from peewee import (
    BooleanField,
    DateField,
    DateTimeField,
    Field,
    FloatField,
    ForeignKeyField,
    IntegerField,
    PostgresqlDatabase,
    SqliteDatabase,
    TimeField,
)

from tui_journal import __version__, clock
from tui_journal.db import models as m
from tui_journal.db.models import School, database_proxy
from tui_journal.private import open_private, private_dir, write_private
from tui_journal.services import access, accounts, audit
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
from tui_journal.services.setup import find_class
from tui_journal.services.tx import write_tx

FORMAT = "tui-journal-school"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
NULL = "\\N"
ENCODING = "utf-8"
MAX_ERRORS = 200
#: The school's signing key never leaves the database in a plain export (R-DIR-1).
SKIPPED_MODELS: tuple[type[m.BaseModel], ...] = (m.SchoolKey,)
EXPORTED_MODELS: tuple[type[m.BaseModel], ...] = tuple(x for x in m.ALL_MODELS if x not in SKIPPED_MODELS)


# --- values -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportResult:
    directory: Path
    school: str
    counts: dict[str, int]


@dataclass
class ImportReport:
    """What an import did (or, with ``dry_run``, would do)."""

    school: str
    counts: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _refuse(title: str, errors: Sequence[str]) -> InvalidInput:
    shown = list(errors[:MAX_ERRORS])
    if len(errors) > MAX_ERRORS:
        shown.append(f"… и ещё ошибок: {len(errors) - MAX_ERRORS}")
    return InvalidInput(title + "\n" + "\n".join(shown))


# --- encoding of values -------------------------------------------------------------------


def _is_text(f: Field) -> bool:
    return not isinstance(f, (IntegerField, FloatField, BooleanField, DateField, DateTimeField, TimeField, ForeignKeyField))


def _encode(f: Field, value: Any) -> str:
    if value is None:
        return NULL
    if isinstance(f, BooleanField):
        return "1" if value else "0"
    if isinstance(f, FloatField):
        return repr(float(value))
    if isinstance(f, (DateTimeField, DateField, TimeField)) and hasattr(value, "isoformat"):
        return str(value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat())
    text = str(value)
    if _is_text(f) and text.startswith("\\"):
        return "\\" + text  # «\N» typed by somebody stays text
    return text


def _decode(f: Field, text: str) -> Any:
    """The cell as the field's value; raises ValueError with a Russian reason."""
    if text == NULL:
        if not f.null:
            raise ValueError("пусто (\\N), а значение обязательно")
        return None
    if _is_text(f):
        return text[1:] if text.startswith("\\") else text
    if isinstance(f, BooleanField):
        if text not in ("0", "1"):
            raise ValueError(f"«{text}» — не 0 и не 1")
        return text == "1"
    if isinstance(f, (IntegerField, ForeignKeyField)):
        try:
            return int(text)
        except ValueError:
            raise ValueError(f"«{text}» — не целое число") from None
    if isinstance(f, FloatField):
        try:
            return float(text)
        except ValueError:
            raise ValueError(f"«{text}» — не число") from None
    if isinstance(f, DateTimeField):
        try:
            return dt.datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"«{text}» — не дата и время ГГГГ-ММ-ДД ЧЧ:ММ:СС") from None
    if isinstance(f, DateField):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"«{text}» — не дата ГГГГ-ММ-ДД") from None
    if isinstance(f, TimeField):
        try:
            return dt.time.fromisoformat(text)
        except ValueError:
            raise ValueError(f"«{text}» — не время ЧЧ:ММ:СС") from None
    return text


def _fields(model: type[m.BaseModel]) -> list[Field]:
    return list(model._meta.sorted_fields)


def _columns(model: type[m.BaseModel]) -> list[str]:
    return [f.column_name for f in _fields(model)]


# --- which rows belong to the school ------------------------------------------------------


def _scoped(model: type[m.BaseModel], school_id: int) -> Any:
    """A query of ``model``'s rows that belong to the school (through the first scoped parent)."""
    if model is School:
        return School.select().where(School.id == school_id)
    fks = [f for f in _fields(model) if isinstance(f, ForeignKeyField)]
    for f in fks:
        if f.rel_model is School:
            return model.select().where(f == school_id)
    for f in fks:
        if f.rel_model in EXPORTED_MODELS and f.rel_model is not model:
            parent = f.rel_model
            return model.select().where(f.in_(_scoped(parent, school_id).select(parent.id)))
    raise RuntimeError(f"{model.__name__}: no path to the school")  # pragma: no cover


# --- export ---------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


@contextlib.contextmanager
def _snapshot() -> Iterator[None]:
    """A read transaction that sees one state of the database and does not block writers:
    DEFERRED on SQLite (WAL readers never wait), REPEATABLE READ on PostgreSQL."""
    db = database_proxy.obj
    if isinstance(db, SqliteDatabase):
        with db.atomic(lock_type="DEFERRED"):
            yield
        return
    top = db.transaction_depth() == 0  # inside a caller's transaction its snapshot rules
    with db.atomic():
        if top and isinstance(db, PostgresqlDatabase):
            db.execute_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def export_school(actor: Actor, directory: Path) -> ExportResult:
    """Write the whole school to ``directory`` (new or empty): one CSV per table and a manifest.

    The files hold personal data and password hashes (so that accounts survive a move): the
    directory is created readable by its owner only, and the export is audited (R-ACC-5).
    """
    access.require_any_role(actor, R.ADMIN, what="выгрузка всех данных школы")
    directory = Path(directory)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise InvalidInput(f"Каталог {directory} не пуст: выберите новый или пустой каталог")
    school = School.get_by_id(actor.school_id)
    private_dir(directory)
    os.chmod(directory, 0o700)
    files: list[dict[str, Any]] = []
    counts: dict[str, int] = {}
    with write_tx():  # first, so that the export holds its own audit row (R-ACC-5)
        audit.record(actor, "export", "school", school.id, "directory", None, str(directory.resolve()))
    with _snapshot():
        for model in EXPORTED_MODELS:
            table = model._meta.table_name
            fields = _fields(model)
            path = directory / f"{table}.csv"
            rows = 0
            with open_private(path, "w", encoding=ENCODING, newline="") as fh:
                writer = csv.writer(fh, lineterminator="\r\n")
                writer.writerow([f.column_name for f in fields])
                query = _scoped(model, school.id).order_by(model.id).tuples()
                columns = [getattr(model, f.name) for f in fields]
                for row in query.select(*columns).iterator():
                    writer.writerow([_encode(f, v) for f, v in zip(fields, row, strict=True)])
                    rows += 1
            counts[table] = rows
            files.append({"file": path.name, "table": table, "rows": rows, "columns": _columns(model), "sha256": _sha256(path)})
    manifest = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "program": f"tui-journal {__version__}",
        "exported_at": clock.now().replace(microsecond=0).isoformat(sep=" "),
        "school": {"id": school.id, "name": school.name},
        "encoding": "UTF-8",
        "null": NULL,
        "files": files,
    }
    write_private(directory / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding=ENCODING)
    return ExportResult(directory, school.name, counts)


# --- import of a whole school ---------------------------------------------------------------


def _read_manifest(directory: Path) -> dict[str, Any]:
    path = directory / MANIFEST
    if not path.is_file():
        raise InvalidInput(f"В каталоге {directory} нет {MANIFEST}: это не выгрузка школы")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{MANIFEST} повреждён: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InvalidInput(f"{MANIFEST}: это не выгрузка школы tui-journal")
    if manifest.get("version") != FORMAT_VERSION:
        raise InvalidInput(f"{MANIFEST}: версия формата {manifest.get('version')} не поддерживается (нужна {FORMAT_VERSION})")
    return manifest


def _parse_school(directory: Path) -> tuple[dict[str, Any], dict[type[m.BaseModel], list[dict[str, Any]]]]:
    """Read and check every file; returns the rows per model or raises with every bad line."""
    manifest = _read_manifest(directory)
    listed = {f.get("table"): f for f in manifest.get("files", []) if isinstance(f, dict)}
    errors: list[str] = []
    data: dict[type[m.BaseModel], list[dict[str, Any]]] = {}
    for model in EXPORTED_MODELS:
        table = model._meta.table_name
        entry = listed.get(table)
        name = f"{table}.csv"
        path = directory / name
        if entry is None or not path.is_file():
            errors.append(f"{name}: файла нет в выгрузке")
            continue
        if entry.get("sha256") and _sha256(path) != entry["sha256"]:
            errors.append(f"{name}: файл изменён после выгрузки (контрольная сумма не совпадает с {MANIFEST})")
            continue
        fields = _fields(model)
        by_column = {f.column_name: f for f in fields}
        try:
            text = path.read_bytes().decode("utf-8-sig")  # not read_text: it would turn \r\n in a cell into \n
        except UnicodeDecodeError:
            errors.append(f"{name}: файл не в кодировке UTF-8")
            continue
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, None)
        if header is None or set(header) != set(by_column) or len(header) != len(by_column):
            missing = sorted(set(by_column) - set(header or []))
            extra = sorted(set(header or []) - set(by_column))
            errors.append(
                f"{name}, строка 1: столбцы не те"
                + (f"; нет: {', '.join(missing)}" if missing else "")
                + (f"; лишние: {', '.join(extra)}" if extra else "")
            )
            continue
        rows: list[dict[str, Any]] = []
        next_line = reader.line_num + 1
        for cells in reader:
            line, next_line = next_line, reader.line_num + 1  # a record may span lines: report its first
            if len(cells) != len(header):
                errors.append(f"{name}, строка {line}: {len(cells)} значений вместо {len(header)}")
                continue
            row: dict[str, Any] = {}
            for column, cell in zip(header, cells, strict=True):
                f = by_column[column]
                try:
                    row[f.name] = _decode(f, cell)
                except ValueError as exc:
                    errors.append(f"{name}, строка {line}: поле {column}: {exc}")
            row["_line"] = line
            rows.append(row)
        if entry.get("rows") is not None and entry["rows"] != len(rows):
            errors.append(f"{name}: строк {len(rows)}, а в {MANIFEST} указано {entry['rows']}")
        data[model] = rows
    if not errors:
        errors = _check_references(data)
    if not errors:
        errors = _check_rules(data)
    schools = data.get(School, [])
    if not errors and len(schools) != 1:
        errors.append(f"school.csv: должна быть ровно одна школа, а их {len(schools)}")
    if errors:
        raise _refuse("Данные школы не загружены, ничего не изменено:", errors)
    return manifest, data


def _check_references(data: dict[type[m.BaseModel], list[dict[str, Any]]]) -> list[str]:
    errors: list[str] = []
    ids: dict[type[m.BaseModel], set[int]] = {}
    for model, rows in data.items():
        seen: set[int] = set()
        for row in rows:
            if row["id"] in seen:
                errors.append(f"{model._meta.table_name}.csv, строка {row['_line']}: id {row['id']} повторяется")
            seen.add(row["id"])
        ids[model] = seen
    for model, rows in data.items():
        fks = [f for f in _fields(model) if isinstance(f, ForeignKeyField)]
        for row in rows:
            for f in fks:
                value = row.get(f.name)
                if value is None:
                    continue
                if value not in ids.get(f.rel_model, set()):
                    errors.append(
                        f"{model._meta.table_name}.csv, строка {row['_line']}: поле {f.column_name}: "
                        f"нет записи {value} в {f.rel_model._meta.table_name}.csv"
                    )
    return errors


def _check_rules(data: dict[type[m.BaseModel], list[dict[str, Any]]]) -> list[str]:
    """The journal's own rules on the content, through the validators the services use when a
    person types it: the grading policy, the mark scale, attendance codes, period marks, no
    marks or homework in grade 1, periods and dates inside their academic year. Codes typed in
    another accepted form («n», «na») are stored in the journal's form. Returns every bad line."""
    from tui_journal.domain.attendance import normalize_code
    from tui_journal.domain.marks import InvalidMark, is_numeric, normalize_mark
    from tui_journal.services import journal, plan
    from tui_journal.services.enrollment import check_in_year
    from tui_journal.services.setup import check_periods, check_span, check_weight

    errors: list[str] = []

    def bad(model: type[m.BaseModel], row: dict[str, Any], reason: str) -> None:
        errors.append(f"{model._meta.table_name}.csv, строка {row['_line']}: {reason}")

    def check(model: type[m.BaseModel], row: dict[str, Any], rule: Any, *args: Any) -> Any:
        try:
            return rule(*args)
        except (ServiceError, ValueError) as exc:
            bad(model, row, exc.message if isinstance(exc, ServiceError) else str(exc))
            return None

    for row in data.get(School, []):
        thresholds = (row["threshold_5"], row["threshold_4"], row["threshold_3"])
        check(School, row, journal.policy_from, row["rounding"], thresholds, row["min_marks"])
    for row in data.get(m.WorkType, []):
        check(m.WorkType, row, check_weight, row["weight"])
    years = {r["id"]: r for r in data.get(m.AcademicYear, [])}
    for row in years.values():
        check(m.AcademicYear, row, check_span, row["start"], row["end"], f"учебный год {row['name']}")
    by_year: dict[int, list[dict[str, Any]]] = {}
    for row in data.get(m.Period, []):
        year = years[row["year"]]
        before = len(errors)
        check(m.Period, row, check_periods, year["start"], year["end"], [(row["name"], row["kind"], row["start"], row["end"])])
        if len(errors) == before:  # each period is sound: then the year's periods together
            by_year.setdefault(row["year"], []).append(row)
    for year_id, rows in by_year.items():
        year = years[year_id]
        try:
            check_periods(year["start"], year["end"], [(r["name"], r["kind"], r["start"], r["end"]) for r in rows])
        except InvalidInput as exc:
            errors.append(f"period.csv, строки {', '.join(str(r['_line']) for r in rows)}: {exc.message}")
    classes = {
        r["id"]: m.SchoolClass(grade=r["grade"], letter=r["letter"], kind=r["kind"], year=r["year"])
        for r in data.get(m.SchoolClass, [])
    }

    def in_year(model: type[m.BaseModel], row: dict[str, Any], class_id: int, on: Any) -> None:
        cls = classes[class_id]
        year = years[cls.year_id]
        check(model, row, check_in_year, on, year["start"], year["end"], year["name"], journal.class_label(cls))

    for row in data.get(m.Enrollment, []):
        in_year(m.Enrollment, row, row["school_class"], row["start"])
        if row["end"] is not None:
            in_year(m.Enrollment, row, row["school_class"], row["end"])
            check(m.Enrollment, row, check_span, row["start"], row["end"], "зачисление")
    for row in data.get(m.PlanItem, []):
        check(m.PlanItem, row, plan.check_item, row["topic"], row["hours"], row["kind"])
    for row in data.get(m.PlanArchive, []):
        check(m.PlanArchive, row, plan.archived_topics, row["topics"])
    lessons = {r["id"]: r for r in data.get(m.Lesson, [])}
    for row in lessons.values():
        in_year(m.Lesson, row, row["school_class"], row["date"])
        homework = any(row[k] for k in ("homework", "homework_pages", "homework_tasks"))
        if homework and not journal.marks_allowed_for(classes[row["school_class"]]):
            bad(m.Lesson, row, journal.NO_HOMEWORK_IN_GRADE_1)
    for row in data.get(m.IndividualHomework, []):
        if not journal.marks_allowed_for(classes[lessons[row["lesson"]]["school_class"]]):
            bad(m.IndividualHomework, row, journal.NO_HOMEWORK_IN_GRADE_1)

    def mark_value(text: str) -> str:
        try:
            return normalize_mark(text)
        except InvalidMark as exc:
            raise InvalidInput(str(exc)) from None

    for row in data.get(m.Mark, []):
        value = check(m.Mark, row, mark_value, row["value"])
        if value is None:
            continue
        row["value"] = value
        if is_numeric(value) and not journal.marks_allowed_for(classes[lessons[row["lesson"]]["school_class"]]):
            bad(m.Mark, row, journal.NO_MARKS_IN_GRADE_1)
    for row in data.get(m.Attendance, []):
        for name in ("code", "corrected_code"):
            if row[name] is not None:
                code = check(m.Attendance, row, normalize_code, row[name])
                if code is not None:
                    row[name] = code
    periods = {r["id"]: r for r in data.get(m.Period, [])}
    for row in data.get(m.PeriodMark, []):
        cls = classes[row["school_class"]]
        if row["kind"] not in journal.PERIOD_KINDS:
            bad(m.PeriodMark, row, f"Неизвестный вид итоговой отметки: {row['kind']}")
        elif row["kind"] == "period" and row["period"] is None:
            bad(m.PeriodMark, row, "Не указан период")
        if row["period"] is not None and periods[row["period"]]["year"] != cls.year_id:
            bad(m.PeriodMark, row, f"период {row['period']} не из учебного года класса {journal.class_label(cls)}")
        if not journal.marks_allowed_for(cls):
            bad(m.PeriodMark, row, journal.NO_MARKS_IN_GRADE_1)
            continue
        value = check(m.PeriodMark, row, journal.check_period_mark_value, row["value"])
        if value is not None:
            row["value"] = value
    return errors


def _fix_sequences(tables: Iterable[str]) -> None:
    db = database_proxy.obj
    if not isinstance(db, PostgresqlDatabase):
        return
    for table in tables:
        db.execute_sql(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
            f'GREATEST(COALESCE((SELECT MAX(id) FROM "{table}"), 0), 1), '
            f'(SELECT MAX(id) FROM "{table}") IS NOT NULL)',
            (f'"{table}"',),
        )


def _database_is_empty() -> bool:
    return not School.select().exists() and not m.User.select().exists()


def check_school_export(directory: Path) -> ImportReport:
    """Check an exported school's files without touching any database."""
    _, data = _parse_school(Path(directory))
    return ImportReport(str(data[School][0]["name"]), {x._meta.table_name: len(r) for x, r in data.items()}, True)


def import_school(directory: Path, *, dry_run: bool = False, origin: str = "import") -> ImportReport:
    """Read an exported school into an empty database, all or nothing (no actor: there is no
    school yet; the import is audited as the console of the new school)."""
    directory = Path(directory)
    manifest, data = _parse_school(directory)
    school_row = data[School][0]
    report = ImportReport(str(school_row["name"]), {x._meta.table_name: len(r) for x, r in data.items()}, dry_run)
    if not _database_is_empty():
        raise InvalidInput("База данных не пуста: данные школы загружаются только в пустую базу (tui-journal db upgrade на новом файле)")
    if dry_run:
        report.notes.append("Проверка без загрузки: ошибок нет")
        return report
    with write_tx():
        for model in EXPORTED_MODELS:
            rows = [{k: v for k, v in row.items() if k != "_line"} for row in data[model]]
            if not rows:
                continue
            per = max(1, min(1000, 30000 // len(_fields(model))))
            for start in range(0, len(rows), per):
                model.insert_many(rows[start:start + per]).execute()
        _fix_sequences(x._meta.table_name for x in EXPORTED_MODELS)
        console = Actor.console(int(school_row["id"]), origin=origin)
        audit.record(
            console, "import", "school", school_row["id"], "rows", None,
            f"{report.total} из {directory.resolve()} (выгрузка {manifest.get('exported_at', '?')})",
        )
    return report


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
        raise _refuse("Файл не загружен, ничего не изменено:", errors)
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
        raise _refuse("Учащиеся не загружены, ничего не изменено:", errors)
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
        raise _refuse("Сотрудники не загружены, ничего не изменено:", errors)
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
