"""The pupil's and the parent's diary (R-D-1, R-D-2, R-AN-1): the week, the marks of a
subject with the proposed period mark and a forecast, the timetable.

Who reads a diary: the pupil his own, a parent his own children's (R-ROLE-STUDENT,
R-ROLE-PARENT), and the staff who read that pupil's journal anyway (the school-wide roles,
his class teacher and his class's teachers). The check is made here, for every call, so a
crafted student id reaches nothing.

One module per topic: ``base`` (who reads a diary, the pupil's class, shared lookups),
``lessons`` (the lessons held for a pupil, also used by the class teacher's services),
``recent`` (what is new since the last visit), ``weekly`` (the week), ``marks`` (the marks
of a period, the average's formula and the forecast), ``schedule`` (the weekly timetable).
"""

from tui_journal.services.diary.base import StudentRef, bell_times, diary_students, homework_text, student_ref
from tui_journal.services.diary.lessons import class_pupil_lessons, pupil_lessons
from tui_journal.services.diary.marks import (
    FORECAST_MAX,
    DatedMark,
    Forecast,
    MarksSummary,
    SubjectLine,
    SubjectView,
    average_formula,
    forecast,
    marks_summary,
    number_text,
    rule_text,
    subject_view,
)
from tui_journal.services.diary.recent import (
    NEWS_DAYS_WITHOUT_VISIT,
    ChildNews,
    NewMark,
    news,
    previous_visit,
)
from tui_journal.services.diary.schedule import TimetableEntry, timetable
from tui_journal.services.diary.weekly import (
    HOMEWORK_LOOKBACK_DAYS,
    WEEKDAYS,
    WEEKDAYS_SHORT,
    DiaryDay,
    DiaryLesson,
    DiaryMark,
    DiaryWeek,
    monday_of,
    week,
)

__all__ = [
    "FORECAST_MAX",
    "HOMEWORK_LOOKBACK_DAYS",
    "NEWS_DAYS_WITHOUT_VISIT",
    "WEEKDAYS",
    "WEEKDAYS_SHORT",
    "ChildNews",
    "DatedMark",
    "DiaryDay",
    "DiaryLesson",
    "DiaryMark",
    "DiaryWeek",
    "Forecast",
    "MarksSummary",
    "NewMark",
    "StudentRef",
    "SubjectLine",
    "SubjectView",
    "TimetableEntry",
    "average_formula",
    "bell_times",
    "class_pupil_lessons",
    "diary_students",
    "forecast",
    "homework_text",
    "marks_summary",
    "monday_of",
    "news",
    "number_text",
    "previous_visit",
    "pupil_lessons",
    "rule_text",
    "student_ref",
    "subject_view",
    "timetable",
    "week",
]
