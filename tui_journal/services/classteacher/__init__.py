"""The class teacher's work (R-CT-1..3, R-ACC-2): his class's weekly attendance control with
absence reasons, the class list with accounts and parents' contacts, credential slips, early
warnings. (Personal cards are edited through :mod:`tui_journal.services.enrollment`.)

The subject teacher's attendance code and the class teacher's correction are kept apart
(``Attendance.code`` and ``Attendance.corrected_code``): a doctor's note turns «н» into «б»
without erasing what the teacher entered, and both are shown.

One module per topic: ``base`` (who reads a class's records, its pupils, names),
``class_list`` (his classes, the roster with accounts and contacts), ``attendance`` (the
weekly control and the corrections), ``credentials`` (password slips), ``alerts`` (early
warnings).
"""

from tui_journal.services.classteacher.alerts import (
    ABSENCES_LIMIT,
    ABSENCES_WINDOW_DAYS,
    NA_WARN_DAYS_BEFORE_END,
    RULES,
    TWOS_LIMIT,
    TWOS_WINDOW_DAYS,
    EarlyWarning,
    early_warnings,
)
from tui_journal.services.classteacher.attendance import (
    TEXT_MAX,
    AbsenceRow,
    AttendanceWeek,
    DayLesson,
    PupilWeek,
    attendance_week,
    correct_attendance,
    correct_days,
)
from tui_journal.services.classteacher.class_list import (
    CONTACTS_VALID_DAYS,
    ClassRef,
    ParentLine,
    PupilLine,
    class_roster,
    contacts_stale,
    my_classes,
)
from tui_journal.services.classteacher.credentials import Slip, Slips, issue_credentials, slips_text

__all__ = [
    "ABSENCES_LIMIT",
    "ABSENCES_WINDOW_DAYS",
    "CONTACTS_VALID_DAYS",
    "NA_WARN_DAYS_BEFORE_END",
    "RULES",
    "TEXT_MAX",
    "TWOS_LIMIT",
    "TWOS_WINDOW_DAYS",
    "AbsenceRow",
    "AttendanceWeek",
    "ClassRef",
    "DayLesson",
    "EarlyWarning",
    "ParentLine",
    "PupilLine",
    "PupilWeek",
    "Slip",
    "Slips",
    "attendance_week",
    "class_roster",
    "contacts_stale",
    "correct_attendance",
    "correct_days",
    "early_warnings",
    "issue_credentials",
    "my_classes",
    "slips_text",
]
