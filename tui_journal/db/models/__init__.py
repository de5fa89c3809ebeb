"""peewee models for the whole school domain, one module per area, all re-exported here.

The models are bound to :data:`database_proxy`; :func:`tui_journal.db.database.open_database`
initialises it from a URL. Every table that holds one school's data reaches a ``school``
column directly or through its parent, so that a district database keeps schools apart.

Later features add behaviour, not tables: the schema here covers everything listed in
ARCHITECTURE.md ("Data, roughly"). Schema changes go through ``db/migrations``.

The modules: :mod:`.base` (the proxy, the base model), :mod:`.school` (structure),
:mod:`.people` (accounts, pupils, parents), :mod:`.classes` (classes, timetable, plans),
:mod:`.journal` (lessons, marks, attendance), :mod:`.communication` (messages,
announcements), :mod:`.records` (audit, logins, signing keys). Import the models from here.
"""

from __future__ import annotations

from tui_journal.db.models.base import BaseModel, database_proxy, now, search_key_for
from tui_journal.db.models.classes import (
    Assignment,
    Curriculum,
    Enrollment,
    Group,
    GroupMember,
    PlanArchive,
    PlanItem,
    SchoolClass,
    TimetableSlot,
)
from tui_journal.db.models.communication import (
    Announcement,
    AnnouncementRead,
    Message,
    MessageRecipient,
)
from tui_journal.db.models.journal import (
    Attendance,
    IndividualHomework,
    Lesson,
    Mark,
    PeriodMark,
)
from tui_journal.db.models.people import (
    GuardianLink,
    SshKey,
    Student,
    User,
    UserRole,
)
from tui_journal.db.models.records import (
    AuditEntry,
    LoginEvent,
    SchoolKey,
)
from tui_journal.db.models.school import (
    AcademicYear,
    Bell,
    BellSchedule,
    Period,
    Room,
    School,
    Subject,
    WorkType,
)

__all__ = [
    "ALL_MODELS",
    "AcademicYear",
    "Announcement",
    "AnnouncementRead",
    "Assignment",
    "Attendance",
    "AuditEntry",
    "BaseModel",
    "Bell",
    "BellSchedule",
    "Curriculum",
    "Enrollment",
    "Group",
    "GroupMember",
    "GuardianLink",
    "IndividualHomework",
    "Lesson",
    "LoginEvent",
    "Mark",
    "Message",
    "MessageRecipient",
    "Period",
    "PeriodMark",
    "PlanArchive",
    "PlanItem",
    "Room",
    "School",
    "SchoolClass",
    "SchoolKey",
    "SshKey",
    "Student",
    "Subject",
    "TimetableSlot",
    "User",
    "UserRole",
    "WorkType",
    "database_proxy",
    "now",
    "search_key_for",
]

ALL_MODELS: tuple[type[BaseModel], ...] = (
    School,
    AcademicYear,
    Period,
    BellSchedule,
    Bell,
    Room,
    Subject,
    WorkType,
    User,
    UserRole,
    SshKey,
    Student,
    GuardianLink,
    SchoolClass,
    Group,
    GroupMember,
    Enrollment,
    Curriculum,
    Assignment,
    TimetableSlot,
    PlanItem,
    PlanArchive,
    Lesson,
    IndividualHomework,
    Mark,
    Attendance,
    PeriodMark,
    Message,
    MessageRecipient,
    Announcement,
    AnnouncementRead,
    AuditEntry,
    LoginEvent,
    SchoolKey,
)
