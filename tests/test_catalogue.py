"""Every key of the Russian catalogue is used somewhere in tui_journal/.

A string nobody shows is translation and review work for nothing, and it hides the real
wording of a message (a search for a text finds the dead key first). Keys are used as
literal strings (``t("grid.saved_short")``, or a literal handed to ``t`` later); a few are
built from a template, listed in :data:`TEMPLATES` with where and why, and a key matching a
template counts as used only when every part filled in is itself a literal of the code
(a column key, a role, a mode), so a title left behind by a removed column is still found.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tui_journal.i18n import RU

PACKAGE = Path(__file__).resolve().parent.parent / "tui_journal"

# «{}» stands for the part filled in at run time (a column key, a mode, a role…)
TEMPLATES: dict[str, str] = {
    "audit.{}": "screens/audit.py: the audit table's column titles, f\"audit.{key}\"",
    "audit.action.{}": "cli/admin.py: an audit row's action, f\"audit.action.{e.action}\"",
    "audit.entity.{}": "screens/audit.py translated('audit.entity', …): what an audit row is about",
    "audit.field.{}": "screens/audit.py translated('audit.field', …): the changed field of an audit row",
    "audit.kind.{}": "cli/admin.py: the kinds of `audit --kind`",
    "card.col.{}": "screens/student_card.py: the card table's column titles",
    "card.f.{}": "screens/student_card.py: the names of the card's fields",
    "cli.count.{}": "cli/app.py: the counts printed by `demo`/`status`",
    "cli.epilog.serve_{}": "cli/ssh.py: the epilog of `serve ssh|web`",
    "cli.help.import_{}": "cli/school.py: the help of the `import` subcommands",
    "cli.help.serve_{}": "cli/ssh.py: the help of `serve ssh|web`",
    "cli.help.user_{}": "cli/users.py: the help of `user lock|unlock|remove`",
    "cli.opt.{}_host": "cli/ssh.py: --host of `serve ssh|web`",
    "cli.opt.{}_port": "cli/ssh.py: --port of `serve ssh|web`",
    "config.type.{}": "config.py: the expected type of a setting, by the type's name",
    "ct.col.{}.{}": "screens/classteacher.py: column titles per mode of the class teacher's screen",
    "ct.rule.{}": "screens/classteacher_parts.py: the warning rules",
    "ctl.col.{}.{}": "screens/control.py: column titles per tab of the control screen",
    "ctl.report.{}": "screens/reports.py: the report presets",
    "ctl.rule.{}": "screens/control.py: the monitoring rules",
    "enr.col.{}": "screens/enrollment.py: the enrolment table's column titles",
    "enr.confirm.{}": "screens/enrollment.py: the confirmation of each move",
    "enr.mode.{}": "screens/enrollment.py: the form's title per move",
    "err.db.{}": "services/db_errors.py: the database failures recognised by kind",
    "grid.final_saved.{}": "screens/journal_grid.py: a period mark saved, per kind of edit",
    "grid.pending.{}": "screens/journal_grid.py: a queued change, per database failure",
    "help.{}": "widgets/help.py: the help text of each screen's HELP_KEY",
    "lesson.{}": "screens/lesson_panel.py: the lesson panel's field labels",
    "plan.col.{}": "screens/plan.py: the plan table's column titles",
    "report.param.{}": "screens/reports.py: the report parameters' labels",
    "role.{}": "a role's name (screens and console), f\"role.{r}\"",
    "role.short.{}": "a role's short name in tables (screens and console)",
    "setup.mode.{}": "screens/admin_setup.py: the edit form's title per mode",
    "setup.mode.{}.{}": "screens/admin_setup.py: the title of a part's extra mode",
    "setup.part.{}": "screens/admin_setup_parts.py: the setup screen's parts",
    "setup.short.{}": "screens/admin_setup_parts.py: the parts' short names (tabs)",
    "sign.col.{}": "screens/control.py: the signing table's column titles",
    "state.{}": "an account's state (screens and console)",
    "sub.col.{}": "screens/admin_substitutions.py: the substitutions table's column titles",
    "tt.{}": "screens/admin_timetable.py: the timetable form's labels",
    "users.{}": "screens/users.py: the users table's column titles",
    "users.f.{}": "screens/users.py: the user form's labels",
    # a catalogue prefix kept in a literal and joined with the column key by
    # screens/common.py add_columns (COLUMN_TITLES of a screen, or passed directly)
    "ann.col.{}": "screens/messages.py: COLUMN_TITLES of the announcements",
    "diary.col.{}": "screens/diary.py: COLUMN_TITLES of the week",
    "diary.mcol.{}": "screens/diary.py: COLUMN_TITLES of the marks",
    "diary.scol.{}": "screens/diary.py: COLUMN_TITLES of one subject",
    "diary.tcol.{}": "screens/diary.py: COLUMN_TITLES of the timetable",
    "edu.col.{}": "screens/educator.py: add_columns(…, 'edu.col')",
    "msg.col.{}": "screens/messages.py: COLUMN_TITLES of the mailboxes",
}

# the parts a template is filled with that are not literals of the code
FILLED_BY: dict[str, frozenset[str]] = {
    "config.type.{}": frozenset({"bool", "float", "int", "str"}),  # a setting's Python type: kind.__name__
}


def _code_strings() -> tuple[set[str], set[str]]:
    """The string literals of tui_journal/ outside the catalogue, and the templates of its
    f-strings (placeholders as «{}»)."""
    literals: set[str] = set()
    templates: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        if "i18n" in path.relative_to(PACKAGE).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.add(node.value)
            elif isinstance(node, ast.JoinedStr):
                templates.add("".join(str(v.value) if isinstance(v, ast.Constant) else "{}" for v in node.values))
    return literals, templates


def _pattern(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.escape(template).replace(r"\{\}", "(.+?)") + "$")


def _used_by_template(key: str, literals: set[str]) -> bool:
    for template in TEMPLATES:
        found = _pattern(template).match(key)
        if found and all(part in literals | FILLED_BY.get(template, frozenset()) for part in found.groups()):
            return True
    return False


def test_every_russian_key_is_used() -> None:
    literals, _ = _code_strings()
    dead = sorted(key for key in RU if key not in literals and not _used_by_template(key, literals))
    assert not dead, f"catalogue keys used nowhere in tui_journal/ (remove them, or list how they are built): {dead}"


def test_templates_are_still_built() -> None:
    """A template listed here but no longer built would let dead keys through."""
    literals, templates = _code_strings()
    stale = []
    for template in TEMPLATES:
        head = template.split("{}", 1)[0]
        if template not in templates and head.rstrip(".") not in literals and f"{head}{{}}" not in templates:
            stale.append(template)
    assert not stale, f"templates no longer built in tui_journal/: {stale}"
