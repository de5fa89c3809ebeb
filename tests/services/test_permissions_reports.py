"""Who may run which report (the table in :mod:`tui_journal.services.reports`), as every role.

In the world of ``world.py``: ``teacher`` teaches mathematics in 7А (which has no class
teacher); ``class_teacher`` leads 8Б and teaches it; ``educator`` leads the preschool group;
``student`` is the 7А pupil and ``parent`` his mother; ``other_admin`` is the admin of another
school. Every report run writes one audit row (R-ACC-5), so ``run_report`` is a writing
operation; the report functions themselves only read (except credentials, which sets
passwords) and must refuse on their own, without the registry's role check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from peewee import Database

from tui_journal.services import reports
from tui_journal.services.actor import Actor
from tui_journal.services.reports import attendance, diary, journal_print, monitoring, movement, progress
from tui_journal.services.reports.params import ReportParams

from .perm import EVERYONE, Op, check_operation
from .world import World

TODAY = dt.date(2026, 11, 28)
SCHOOL = frozenset({"admin", "director", "deputy"})
SECRETARY = SCHOOL | {"secretary"}
TEACHER_7A = SCHOOL | {"teacher"}
CLASS_TEACHER_8B = SCHOOL | {"class_teacher"}


def _p(cls: str | None = None, **kwargs: object) -> ReportParams:
    return ReportParams(class_name=cls, today=TODAY, **kwargs)  # type: ignore[arg-type]


def _student(w: World, cls: str) -> ReportParams:
    return ReportParams(student_id=w.students[cls].id, today=TODAY)


# parameters, or how to make them from the world (a pupil's id)
Params = ReportParams | Callable[[World], ReportParams]


def _params(params: Params, w: World) -> ReportParams:
    return params if isinstance(params, ReportParams) else params(w)


def _run(name: str, params: Params) -> Callable[[Actor, World], object]:
    def call(a: Actor, w: World) -> object:
        return reports.run_report(a, name, _params(params, w))

    return call


# (report, parameters, who may run it)
CASES: tuple[tuple[str, Params, frozenset[str]], ...] = (
    ("attendance-by-month", _p("8Б"), CLASS_TEACHER_8B),
    ("attendance-summary", _p("8Б"), CLASS_TEACHER_8B),
    ("day-sheet", _p("8Б"), CLASS_TEACHER_8B),
    ("day-sheet", _p("ГКП"), SCHOOL | {"educator"}),
    ("class-progress", _p("7А"), TEACHER_7A),
    ("progress-summary", _p("7А"), TEACHER_7A),
    ("class-teacher-report", _p("8Б"), CLASS_TEACHER_8B),
    ("preliminary-report", _p("7А"), TEACHER_7A),
    ("movement", _p("7А"), SECRETARY),
    ("movement-school", _p(), SECRETARY),
    ("class-fill", _p(), SECRETARY),
    ("student-final", lambda w: _student(w, "8Б"), CLASS_TEACHER_8B),
    ("monitoring", _p(), SCHOOL),
    ("journal-print", _p("7А"), TEACHER_7A),
    ("parent-weekly", lambda w: _student(w, "7А"), SCHOOL | {"parent", "student"}),
    ("credentials", _p("8Б"), frozenset({"admin", "class_teacher"})),
    ("blank-journal", _p("7А"), TEACHER_7A),
)

OPERATIONS: tuple[Op, ...] = (
    Op("reports.list_reports", lambda a, w: reports.list_reports(a), EVERYONE, writes=False),
    # the generic entry point, once under its own name for the coverage test
    Op("reports.run_report", _run("class-progress", _p("7А")), TEACHER_7A),
    *(Op(f"reports.run_report:{name}", _run(name, params), allowed) for name, params, allowed in CASES),
    # reports on the whole school without a class: a class teacher gets his own class
    Op(
        "reports.run_report:attendance-summary(school)",
        _run("attendance-summary", _p()),
        SCHOOL | {"class_teacher", "educator"},
    ),
    Op(
        "reports.run_report:progress-summary(school)",
        _run("progress-summary", _p()),
        SCHOOL | {"class_teacher", "educator"},
    ),
    Op("reports.run_report:attendance-summary(ГКП)", _run("attendance-summary", _p("ГКП")), SCHOOL | {"educator"}),
    Op(
        "reports.run_report:class-progress(--subject)",
        _run("class-progress", _p("7А", subject="Математика")),
        TEACHER_7A,
    ),
    Op(
        "reports.record_export",
        lambda a, w: reports.record_export(
            a, "class-progress", _p("7А"), reports.TableModel(name="class-progress", title="t"), "pdf"
        ),
        TEACHER_7A,
    ),
)

# The report functions, called directly (without the registry's role check).
DIRECT: tuple[tuple[str, Callable[[Actor, ReportParams], object], Params, frozenset[str], bool], ...] = (
    ("attendance.attendance_by_month", attendance.attendance_by_month, _p("8Б"), CLASS_TEACHER_8B, False),
    ("attendance.attendance_summary", attendance.attendance_summary, _p("8Б"), CLASS_TEACHER_8B, False),
    ("attendance.day_sheet", attendance.day_sheet, _p("ГКП"), SCHOOL | {"educator"}, False),
    ("progress.class_progress", progress.class_progress, _p("7А"), TEACHER_7A, False),
    ("progress.progress_summary", progress.progress_summary, _p("7А"), TEACHER_7A, False),
    ("progress.class_teacher_report", progress.class_teacher_report, _p("8Б"), CLASS_TEACHER_8B, False),
    ("progress.preliminary_report", progress.preliminary_report, _p("7А"), TEACHER_7A, False),
    ("progress.student_final", progress.student_final, lambda w: _student(w, "8Б"), CLASS_TEACHER_8B, False),
    ("movement.movement", movement.movement, _p("7А"), SECRETARY, False),
    ("movement.movement_school", movement.movement_school, _p(), SECRETARY, False),
    ("movement.class_fill", movement.class_fill, _p(), SECRETARY, False),
    ("monitoring.monitoring", monitoring.monitoring, _p(), SCHOOL, False),
    ("journal_print.journal_print", journal_print.journal_print, _p("7А"), TEACHER_7A, False),
    ("journal_print.blank_journal", journal_print.blank_journal, _p("7А"), TEACHER_7A, False),
    ("diary.parent_weekly", diary.parent_weekly, lambda w: _student(w, "7А"), SCHOOL | {"parent", "student"}, False),
    ("diary.credentials", diary.credentials, _p("8Б"), frozenset({"admin", "class_teacher"}), True),
)


def _direct(fn: Callable[[Actor, ReportParams], object], params: Params) -> Callable[[Actor, World], object]:
    def call(a: Actor, w: World) -> object:
        return fn(a, _params(params, w))

    return call


OPERATIONS += tuple(
    Op(f"reports.{name}", _direct(fn, params), allowed, writes=writes) for name, fn, params, allowed, writes in DIRECT
)


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.name)
def test_report_operation_as_every_role(any_db: Database, op: Op) -> None:
    check_operation(op)


def test_every_report_is_in_the_matrix() -> None:
    covered = {name for name, _, _ in CASES}
    assert covered == set(reports.REPORTS)
