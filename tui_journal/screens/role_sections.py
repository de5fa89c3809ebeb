"""The home-screen sections of every role other than the subject teacher.

The app calls :func:`register_all` once at start (``sections.register`` replaces a section of
the same key, so a second call is harmless). Screens are named lazily: their modules load only
when a section is opened.

Who sees what (the services still check every read and write):

- «Дневник»: pupils (their own) and parents (their children's) — R-D-1, R-D-2;
- «Сообщения» and «Объявления»: everybody — R-D-3;
- «Классное руководство»: teachers (the screen works for those who lead a class) — R-CT-*;
- «Контроль ведения журналов»: deputy, director, admin — R-DEP-*, R-AN-2;
- «Заверение подписью»: the director — R-DIR-1;
- «Группа ГКП»: educators — R-ROLE-EDUCATOR.
"""

from __future__ import annotations

from tui_journal.screens import sections
from tui_journal.screens.sections import Section
from tui_journal.services import roles as R

ROLE_SECTIONS: list[Section] = [
    Section("diary", "section.diary", frozenset({R.STUDENT, R.PARENT}), "tui_journal.screens.diary:DiaryScreen"),
    Section("messages", "section.messages", None, "tui_journal.screens.messages:MessagesScreen"),
    Section("announcements", "section.announcements", None, "tui_journal.screens.messages:AnnouncementsScreen"),
    Section(
        "classteacher",
        "section.classteacher",
        frozenset({R.TEACHER}),
        "tui_journal.screens.classteacher:ClassTeacherScreen",
        class_teachers_only=True,
    ),
    Section(
        "control",
        "section.control",
        frozenset({R.DEPUTY, R.DIRECTOR, R.ADMIN}),
        "tui_journal.screens.control:ControlScreen",
    ),
    Section("sign", "section.sign", frozenset({R.DIRECTOR}), "tui_journal.screens.control:SignScreen"),
    Section("educator", "section.educator", frozenset({R.EDUCATOR}), "tui_journal.screens.educator:EducatorScreen"),
]


def register_all() -> None:
    """Add these sections to the home screen's registry."""
    for section in ROLE_SECTIONS:
        sections.register(section)
