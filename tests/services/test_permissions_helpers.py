"""The public service functions that are NOT operations, each with the reason, and the test
of the matrix's discovery itself.

The matrix discovers functions by module (``perm.service_functions``): every public function
of every services module. A function that reads or writes files or data on a user's behalf
takes the actor and checks it, and is an operation in a ``test_permissions*.py`` module;
what remains is listed here, one reason per function. A new public function fails
``test_every_service_operation_is_covered`` until it is placed in one or the other.
"""

from __future__ import annotations

import sys
import textwrap
import types
from pathlib import Path

import pytest

import tui_journal.services as services_pkg

from .perm import service_functions, uncovered

PURE = "pure: computes its result from its arguments, touches no data and no file"
ENGINE = "the permission engine: the predicate or in-school lookup that the operations call to check the actor"
REPORT_CHECK = "a report's permission check; exercised through reports.run_report and the direct report calls"
REPORT_PART = (
    "a report's building block: reads rows by the class/pupil/year that the report passed after its own"
    " check; called only from report functions, never from a screen or the console"
)
BUILDING = (
    "a building block of the operations: reads rows by the ids that the calling operation passed after"
    " its own check; not called from a screen or the console"
)
PRE_LOGIN = "runs before anybody is logged in (there is no actor yet); it reads only what a login needs"
CONSOLE = "the console's own bootstrap/maintenance (the server's operator, before any school account exists)"

SIBLING_HELPER = (
    "a helper shared by the topic modules of a split service package (public only so that its"
    " siblings may import it); the operations that call it cover it in the matrix"
)

NOT_OPERATIONS: dict[str, str] = {
    **{name: SIBLING_HELPER for name in (
        "setup.base.current_year", "setup.base.open_class", "setup.years.period_of",
        "journal.base.cell_view", "journal.base.default_work_type", "journal.base.make_cell",
        "journal.base.student_of_lesson", "journal.base.work_type_of", "journal.base.writable_lesson",
        "classteacher.base.full_name_of", "classteacher.base.pupils_between",
        "classteacher.base.readable_class", "classteacher.base.short_name_of", "diary.base.attendance_of",
        "diary.base.class_on", "diary.base.holidays_of", "diary.base.marks_of", "diary.base.names_of",
        "diary.base.require_diary", "diary.base.teacher_names", "diary.base.work_types_of",
        "diary.lessons.enrollment_spans", "diary.lessons.group_memberships", "diary.lessons.in_group_on",
        "enrollment.base.check_birth", "enrollment.base.check_file_no_free", "enrollment.base.check_sex",
        "enrollment.base.current_enrollment", "enrollment.base.guardians_of", "enrollment.base.joined_name",
        "enrollment.base.manages_pupils", "enrollment.base.require_card_editor",
        "enrollment.parents.check_parent", "enrollment.parents.link_parent",
        "enrollment.parents.parent_user", "messages.base.clean_message_text", "messages.base.roles_of",
        "messages.base.user_name", "messages.boxes.sent_view", "school_data.base.columns_of",
        "school_data.base.fields_of", "school_data.base.refuse", "school_data.base.sha256_of",
        "school_data.codec.decode_value", "school_data.codec.encode_value", "timetable.base.school_slots",
        "timetable.base.slot_views", "timetable.base.valid_on", "timetable.generation.generate_slots",
    )},
    # the permission engine
    **{f"access.{name}": ENGINE for name in (
        "can_edit_personal_data", "can_see_student", "can_write_lesson", "children_ids", "class_in_school",
        "current_class_ids_of", "group_student_ids", "led_class_ids", "lesson_in_school", "own_student_ids",
        "require_any_role", "require_lesson_writable", "require_student_visible", "row_in_school", "row_in_school_via",
        "student_in_school", "taught_class_ids", "teaches", "user_in_school", "visible_class_ids",
    )},
    "access.deny": PURE,
    # accounts and login
    "accounts.find_user": PRE_LOGIN + " (and the console's lookup by login)",
    "accounts.require_user": PRE_LOGIN + " (find_user that raises NotFound)",
    "accounts.split_full_name": PURE,
    "auth.actor_for": PRE_LOGIN + ": the actor of a user that has just been authenticated",
    "auth.authenticate": PRE_LOGIN + ": it checks the password itself",
    "ssh_keys.key_matches": PRE_LOGIN + ": the SSH server's public-key check",
    "ssh_keys.record_key_login": PRE_LOGIN + ": records the SSH key login's outcome",
    "ssh_keys.parse_public_key": PURE,
    "ui_support.login_notice": PRE_LOGIN + ": the school's name and login note on the login screen",
    "passwords.check_password_rules": PURE,
    "passwords.hash_password": PURE,
    "passwords.one_time_password": PURE,
    "passwords.verify_password": PURE,
    # text and transactions
    "user_text.clean": PURE + " (the text boundary)",
    "tx.write_tx": "the write transaction the operations run in",
    # schools and the console
    "school.create_school_with_admin": CONSOLE + ": `tui-journal init`",
    "school.get_school": "the name and settings of the actor's own school (the caller passes actor.school_id)",
    "school.has_admin": CONSOLE,
    "school.list_schools": CONSOLE + ": `tui-journal school list`, the server's operator",
    "school.resolve_school": CONSOLE + ": picks the school the console acts for",
    "school_data.school_import.check_school_export": CONSOLE + ": checks a school export before `db import` (files the operator names)",
    "school_data.school_import.import_school": CONSOLE + ": `db import` into an EMPTY database (it refuses any other)",
    "school_data.table_import.parse_date": PURE,
    "signing.create_key": CONSOLE + ": `tui-journal sign keygen` (the TUI goes through signing.keygen)",
    "signing.generate_key_pair": PURE,
    "signing.key_id": PURE,
    "signing.sig_path_for": PURE,
    "signing.read_signature": "reads the signature next to a file the caller verifies (verify_file); no data",
    "signing.verify_file": "checks a signature against a public key: anybody may verify a document; no data",
    "setup.years.default_periods": PURE,
    "messages.boxes.addressees": PURE + " (the Russian plural of «адресат»)",
    "auth.address_failures": PRE_LOGIN + " (the browser route's per-address slow-down)",
    "auth.unknown_login": PURE + " (what the login log keeps of an unknown login)",
    "db_errors.kind": PURE + " (names a database failure)",
    "db_errors.message": PURE + " (the user's message for a database failure)",
    "pending.is_retryable": PURE + " (whether a failure may wait in the queue)",
    "signing.default_key_dir": PURE + " (the default folder of key files)",
    "signing.key_file_path": PURE + " (the key file's name in a folder)",
    "signing.load_private_key": "reads the key file the server's configuration names (sign_file checks the actor first)",
    "signing.move_keys_out": CONSOLE + ": `db upgrade` / `sign migrate-key` move private keys to files",
    "signing.keys_in_database": CONSOLE + ": `doctor` counts private keys still in the database",
    "enrollment.base.check_in_year": PURE,
    "journal.base.check_period_mark_value": PURE,
    "journal.base.policy_from": PURE,
    "plan.archived_topics": PURE + " (parses an archive row's JSON the caller already read)",
    "plan.normalize_kind": PURE,
    "plan.parse_plan_text": PURE + " (the pasted text; import_plan then checks who writes)",
    # building blocks of the operations
    "classteacher.class_list.contacts_stale": PURE,
    "classteacher.credentials.slips_text": PURE,
    "diary.marks.average_formula": PURE,
    "diary.marks.forecast": PURE,
    "diary.base.homework_text": PURE,
    "diary.weekly.monday_of": PURE,
    "diary.marks.number_text": PURE,
    "diary.marks.rule_text": PURE,
    "diary.base.bell_times": "the bell times of the actor's own school (callers pass actor.school_id): not personal data",
    "diary.lessons.class_pupil_lessons": BUILDING,
    "diary.lessons.pupil_lessons": BUILDING,
    "diary.base.student_ref": BUILDING,
    "enrollment.parents.parse_parents": PURE,
    "journal.base.class_label": PURE,
    "journal.base.class_sort_key": PURE,
    "journal.grid.current_period": PURE,
    "journal.lessons.homework_is_late": PURE,
    "journal.base.marks_allowed_for": PURE,
    "journal.grid.periods_of_class": BUILDING,
    "journal.base.policy_of": BUILDING,
    "plan.parse_plan_rows": PURE,
    # reports
    "reports.get_spec": PURE,
    "reports.params.parse_date": PURE,
    "reports.model.column_groups": PURE,
    "reports.model.format_cell": PURE,
    "reports.diary.credentials_document": PURE + " (the slips of passwords a screen has just issued)",
    **{f"reports.{name}": REPORT_CHECK for name in (
        "attendance.authorize_by_month", "attendance.authorize_summary", "diary.authorize_credentials",
        "diary.authorize_parent_weekly", "journal_print.authorize_blank_journal",
        "journal_print.authorize_journal_print", "monitoring.authorize_monitoring", "movement.authorize_class_fill",
        "movement.authorize_movement", "movement.authorize_movement_school", "progress.authorize_class_progress",
        "progress.authorize_class_teacher_report", "progress.authorize_preliminary",
        "progress.authorize_progress_summary", "progress.authorize_student_final",
        "context.class_ctx", "context.school_ctx", "scope.class_scope", "scope.require_school_wide",
        "scope.student_scope", "scope.in_school", "attendance.authorize_day_sheet",
    )},
    **{f"reports.diary.{name}": PURE for name in ("connection_rows", "slip", "slips_document")},
    "enrollment.moves.next_file_no": "a building block of enrol (the personal-file number), called after its checks",
    "journal.lessons.homework_due_dates": "a building block of the grid, diary and weekly sheet: lessons the caller already may see",
    "journal.lessons.next_lesson_dates": "a building block of homework_due_dates and the lesson panel, on lessons already checked",
    **{f"reports.common.{name}": PURE for name in (
        "attendance_cells", "attendance_columns", "day", "month_name", "of_class", "params", "short_day",
        "sum_columns",
    )},
    "reports.common.deputy_name": REPORT_PART,
    "reports.common.signers": REPORT_PART,
    **{f"reports.data.{name}": PURE for name in ("covers", "indicator_value", "lesson_is_for", "overlaps")},
    **{f"reports.data.{name}": REPORT_PART for name in (
        "class_subjects", "class_teacher_name", "codes_by_lesson", "count_on", "group_spans", "lessons_of",
        "missed_by_pupil", "period_marks", "proposals", "roster", "teachers_of", "user_short",
    )},
    "reports.movement.class_flow": PURE,
    "reports.movement.school_moves": REPORT_PART,
    **{f"reports.scope.{name}": REPORT_PART for name in (
        "audience", "class_of_student", "classes_of_year", "default_class", "find_class", "find_subject",
        "need_class", "school_of", "year_for",
    )},
    **{f"reports.scope.{name}": PURE for name in ("periods_of_year", "resolve_span", "week_of", "year_span")},
    # shared checks of the admin services (once private helpers imported across modules)
    **{f"access.{name}": ENGINE for name in ("require_admin", "require_staff", "roles_of")},
    **{f"checks.{name}": BUILDING for name in (
        "group_in_class", "open_year", "room_in_school", "short_user", "subject_in_school", "teacher_by_login",
        "year_in_school",
    )},
    "checks.clean_text": PURE + " (the text boundary for a name)",
    "checks.refuse_taken_name": BUILDING + " (one name per school, inside the operation's transaction)",
    "audit.save_changes": "writes the fields and audit rows of a row the calling operation loaded and checked; never called from a screen or the console",
    **{name: PURE for name in ("setup.years.check_periods", "setup.years.check_span", "setup.catalogue.check_weight")},
    **{name: PURE for name in (
        "enrollment.base.check_order", "enrollment.base.search_key_after", "enrollment.moves.pupil_values",
    )},
    **{name: BUILDING for name in (
        "enrollment.moves.create_pupil", "enrollment.moves.find_duplicate", "enrollment.parents.free_login",
    )},
    "plan.check_item": PURE,
    "accounts.person_fields": PURE,
    **{f"roster.{name}": PURE + " (a query condition)" for name in ("in_group", "on_roll")},
    "roster.roster_on": BUILDING,
    "roster.pupils_on_roll": BUILDING,
}


def test_every_exclusion_has_a_reason() -> None:
    assert all(isinstance(reason, str) and len(reason) > 10 for reason in NOT_OPERATIONS.values())


def test_no_file_reader_escapes_the_matrix() -> None:
    """Reading a file a user names is an operation with a check, never an exclusion."""
    assert "plan.read_plan_file" not in NOT_OPERATIONS
    assert "school_data.table_import.read_table" not in service_functions(services_pkg)


# --- the discovery itself ---------------------------------------------------------------------


@pytest.fixture
def fake_services(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """A services-like package on disk: a module with an operation, a function without an
    actor (named otherwise), a private helper, an imported function, and a subpackage."""
    root = tmp_path / "fake_services_pkg"
    (root / "reports").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "plan.py").write_text(textwrap.dedent('''
        from pathlib import Path
        from os.path import join

        def add_item(actor, topic): ...
        def read_plan_file(path: Path): return path.read_text()
        def _private(actor): ...
    '''))
    (root / "reports" / "__init__.py").write_text("def run_report(who, name): ...\n")
    (root / "reports" / "data.py").write_text("def roster(class_id): ...\n")
    (root / "_internal.py").write_text("def hidden(x): ...\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in [m for m in sys.modules if m.startswith("fake_services_pkg")]:
        monkeypatch.delitem(sys.modules, name)
    import fake_services_pkg

    return fake_services_pkg


def test_discovery_finds_every_public_function_by_module(fake_services: types.ModuleType) -> None:
    assert service_functions(fake_services) == {
        "plan.add_item",
        "plan.read_plan_file",  # no actor: the old discovery (by the first parameter's name) missed it
        "reports.run_report",  # first parameter not called «actor»
        "reports.data.roster",  # a subpackage's module
    }


def test_a_function_missing_from_the_matrix_is_reported(fake_services: types.ModuleType) -> None:
    declared = {"plan.add_item", "reports.run_report:class-progress", "reports.data.roster"}
    assert uncovered(fake_services, declared) == {"plan.read_plan_file"}
    assert uncovered(fake_services, declared | {"plan.read_plan_file"}) == set()
