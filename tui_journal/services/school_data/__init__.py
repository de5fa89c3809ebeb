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

One module per topic: ``base`` (the format, the values, the tables' columns), ``codec`` (a
cell's text to a value and back), ``export``, ``school_import`` (a whole school into an empty
database), ``table_import`` (pupils and staff from a CSV or XLSX file).
"""

from tui_journal.services.school_data.base import (
    ENCODING,
    EXPORTED_MODELS,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MAX_ERRORS,
    NULL,
    SKIPPED_MODELS,
    ExportResult,
    ImportReport,
)
from tui_journal.services.school_data.export import export_school
from tui_journal.services.school_data.school_import import check_school_export, import_school
from tui_journal.services.school_data.table_import import (
    STAFF_COLUMNS,
    STAFF_REQUIRED,
    STUDENT_COLUMNS,
    STUDENT_REQUIRED,
    ImportSummary,
    import_staff,
    import_students,
    parse_date,
)

__all__ = [
    "ENCODING",
    "EXPORTED_MODELS",
    "FORMAT",
    "FORMAT_VERSION",
    "MANIFEST",
    "MAX_ERRORS",
    "NULL",
    "SKIPPED_MODELS",
    "STAFF_COLUMNS",
    "STAFF_REQUIRED",
    "STUDENT_COLUMNS",
    "STUDENT_REQUIRED",
    "ExportResult",
    "ImportReport",
    "ImportSummary",
    "check_school_export",
    "export_school",
    "import_school",
    "import_staff",
    "import_students",
    "parse_date",
]
