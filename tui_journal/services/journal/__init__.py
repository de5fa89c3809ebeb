"""The teacher's journal (R-J-1..8): the grade grid, marks, attendance, lessons, period marks.

Reading a grid needs the class to be visible to the actor; every write needs the lesson to
be writable (his own class/group and subject, or a lesson he substitutes). Each write is
one short transaction with its audit rows, so a mark typed is either saved whole or not
at all.
"""

from tui_journal.services.journal.base import (
    HOMEWORK_DEADLINE,
    NO_HOMEWORK_IN_GRADE_1,
    NO_MARKS_IN_GRADE_1,
    PERIOD_KINDS,
    CellView,
    ColumnView,
    Grid,
    JournalRef,
    MarkView,
    PeriodInfo,
    RowView,
    check_period_mark_value,
    class_label,
    class_sort_key,
    marks_allowed_for,
    policy_from,
    policy_of,
)
from tui_journal.services.journal.cells import (
    RollLesson,
    lessons_of_day,
    set_cell,
    set_cell_details,
    set_column_work_type,
    set_mark_details,
    take_roll,
)
from tui_journal.services.journal.grid import (
    current_period,
    lesson_roll,
    my_journals,
    open_grid,
    periods_of_class,
    require_journal_visible,
)
from tui_journal.services.journal.lessons import (
    DUE_HORIZON_DAYS,
    LessonInfo,
    homework_due_dates,
    homework_is_late,
    lesson_info,
    next_lesson_dates,
    set_individual_homework,
    set_lesson_info,
)
from tui_journal.services.journal.period_marks import set_period_mark
from tui_journal.services.journal.week import WeekSession, week_sessions

__all__ = [
    "DUE_HORIZON_DAYS",
    "HOMEWORK_DEADLINE",
    "NO_HOMEWORK_IN_GRADE_1",
    "NO_MARKS_IN_GRADE_1",
    "PERIOD_KINDS",
    "CellView",
    "ColumnView",
    "Grid",
    "JournalRef",
    "LessonInfo",
    "MarkView",
    "PeriodInfo",
    "RollLesson",
    "RowView",
    "WeekSession",
    "check_period_mark_value",
    "class_label",
    "class_sort_key",
    "current_period",
    "homework_due_dates",
    "homework_is_late",
    "lesson_info",
    "lesson_roll",
    "lessons_of_day",
    "marks_allowed_for",
    "my_journals",
    "next_lesson_dates",
    "open_grid",
    "periods_of_class",
    "policy_from",
    "policy_of",
    "require_journal_visible",
    "set_cell",
    "set_cell_details",
    "set_column_work_type",
    "set_individual_homework",
    "set_lesson_info",
    "set_mark_details",
    "set_period_mark",
    "take_roll",
    "week_sessions",
]
