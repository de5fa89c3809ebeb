"""A whole school read into an EMPTY database (`db import`): every file and every line is
checked first (its checksum, its columns, its values, the references between tables and the
journal's own rules), then everything goes in in one transaction, or nothing does.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from peewee import ForeignKeyField, PostgresqlDatabase

from tui_journal.db import models as m
from tui_journal.db.models import School, database_proxy
from tui_journal.services import audit
from tui_journal.services.actor import Actor
from tui_journal.services.errors import InvalidInput, ServiceError
from tui_journal.services.school_data.base import (
    EXPORTED_MODELS,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    ImportReport,
    fields_of,
    refuse,
    sha256_of,
)
from tui_journal.services.school_data.codec import decode_value
from tui_journal.services.tx import write_tx

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
        if entry.get("sha256") and sha256_of(path) != entry["sha256"]:
            errors.append(f"{name}: файл изменён после выгрузки (контрольная сумма не совпадает с {MANIFEST})")
            continue
        fields = fields_of(model)
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
                    row[f.name] = decode_value(f, cell)
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
        raise refuse("Данные школы не загружены, ничего не изменено:", errors)
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
        fks = [f for f in fields_of(model) if isinstance(f, ForeignKeyField)]
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
            per = max(1, min(1000, 30000 // len(fields_of(model))))
            for start in range(0, len(rows), per):
                model.insert_many(rows[start:start + per]).execute()
        _fix_sequences(x._meta.table_name for x in EXPORTED_MODELS)
        console = Actor.console(int(school_row["id"]), origin=origin)
        audit.record(
            console, "import", "school", school_row["id"], "rows", None,
            f"{report.total} из {directory.resolve()} (выгрузка {manifest.get('exported_at', '?')})",
        )
    return report
