"""The timetable (R-SETUP-5), the lessons generated from it, and substitutions (R-J-7).

A :class:`TimetableSlot` is a weekly lesson valid over a date range. The admin edits the
timetable class by class; a teacher, a room or a class twice in one slot is refused with a
message naming the other lesson (two subgroups of one class may share a slot). A change made
during the year applies from a chosen date: the slot is split, and the lessons generated
from it afterwards never replace lessons that already hold marks, attendance or a topic.

:func:`generate_lessons` turns the timetable into the journal's lessons for each school day
(the working week, no holidays), idempotently. A substitution gives a lesson to a free
teacher and keeps the planned one in ``Lesson.replaced_teacher``.

One module per topic: ``base`` (the values, a slot as the screens show it), ``reading`` (the
week of a class, a teacher, a room), ``generation`` (lessons from the timetable), ``editing``
(adding, changing and ending a slot, with the conflicts), ``substitutions``.
"""

from tui_journal.services.timetable.base import (
    FAR,
    MAX_GENERATE_DAYS,
    MAX_NUMBER,
    WEEKDAYS,
    WEEKDAYS_SHORT,
    ChangeResult,
    GenerateResult,
    SlotView,
)
from tui_journal.services.timetable.editing import add_slot, change_slot, end_slot
from tui_journal.services.timetable.generation import generate_lessons
from tui_journal.services.timetable.reading import class_timetable, room_timetable, teacher_timetable
from tui_journal.services.timetable.substitutions import (
    DayLesson,
    TeacherOption,
    cancel_substitution,
    free_teachers,
    lessons_of_day,
    substitute,
)

__all__ = [
    "FAR",
    "MAX_GENERATE_DAYS",
    "MAX_NUMBER",
    "WEEKDAYS",
    "WEEKDAYS_SHORT",
    "ChangeResult",
    "DayLesson",
    "GenerateResult",
    "SlotView",
    "TeacherOption",
    "add_slot",
    "cancel_substitution",
    "change_slot",
    "class_timetable",
    "end_slot",
    "free_teachers",
    "generate_lessons",
    "lessons_of_day",
    "room_timetable",
    "substitute",
    "teacher_timetable",
]
