"""Reports (R-REP-1..11, R-DEP-2, R-DEP-3, R-ACC-2, R-CONT-1): the registry and the one way to
run them.

A report is a function of (acting user, parameters) that returns a
:class:`~tui_journal.services.reports.model.TableModel`; :mod:`tui_journal.export` renders any
model as PDF, XLSX, CSV or text, and the reports screen shows it in a DataTable.
:func:`run_report` checks the roles, runs the report (which checks the scope: which class,
which pupil, which subjects) and writes the audit row every export and printout needs
(R-ACC-5: action «export», entity «report», the report's name, the parameters).

Who may run what (the permission matrix in ``tests/services/test_permissions_reports.py``
proves it). «Школа» = the admin, the director and the deputy, on every class of their
school; «кл. рук.» = a teacher or educator on the class he leads; «учитель» = a subject
teacher on the classes he teaches, limited to his own subjects (and groups):

=====================  =========================================================================
report                 who
=====================  =========================================================================
attendance-by-month    школа; кл. рук.
attendance-summary     школа (also without a class: the whole school by class); кл. рук.
class-progress         школа (also the whole school by class); кл. рук.; учитель (his subjects)
progress-summary       школа (also the whole school, a section per class); кл. рук.; учитель
class-teacher-report   школа; кл. рук.
preliminary-report     школа; кл. рук.; учитель (his subjects)
movement               школа, секретарь (a class or the whole school); кл. рук. (his class)
movement-school        школа, секретарь
class-fill             школа, секретарь
student-final          школа; кл. рук. (pupils who are or were in his class)
monitoring             школа
journal-print          школа; кл. рук.; учитель (his journals of the class)
parent-weekly          школа; кл. рук. (his pupils); родитель (his children); учащийся (himself)
credentials            администратор; кл. рук. (his class) — passwords go through
                       accounts.set_password, which allows exactly these two
blank-journal          школа; кл. рук.; учитель (his lessons of the class)
=====================  =========================================================================

The secretary keeps class lists and movement (R-ROLE-SECRETARY) and sees no marks; pupils
and parents see only their own week. Everything else is refused with PermissionDenied (or
NotFound for another school's class or pupil), before anything is read or written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tui_journal.services import audit
from tui_journal.services import roles as R
from tui_journal.services.access import deny
from tui_journal.services.actor import Actor
from tui_journal.services.errors import NotFound
from tui_journal.services.reports import attendance, diary, journal_print, monitoring, movement, progress
from tui_journal.services.reports.model import Column, TableModel
from tui_journal.services.reports.params import PARAM_LABELS, ReportParams, parse_date
from tui_journal.services.reports.scope import CLASS_TEACHER, audience
from tui_journal.services.tx import write_tx

__all__ = [
    "REPORTS",
    "Column",
    "ReportParams",
    "ReportSpec",
    "TableModel",
    "list_reports",
    "parse_date",
    "record_export",
    "run_report",
]

SCHOOL = frozenset({R.ADMIN, R.DIRECTOR, R.DEPUTY})
TEACHERS = frozenset({R.TEACHER, R.EDUCATOR})

FORMATS = ("screen", "pdf", "xlsx", "csv", "txt", "print")


@dataclass(frozen=True)
class ReportSpec:
    """A report as the CLI and the app list it.

    ``roles`` are the roles (and ``class_teacher``) that may run it at all; the report then
    checks the scope. ``params`` are the parameters it reads, ``required`` those it cannot do
    without (a class teacher's own class is found for him).
    """

    name: str
    title: str
    requirement: str
    roles: frozenset[str]
    params: tuple[str, ...]
    run: Callable[[Actor, ReportParams], TableModel]
    authorize: Callable[[Actor, ReportParams], object]
    description: str = ""
    required: tuple[str, ...] = ()
    writes: bool = False  # credentials sets passwords

    def allowed_for(self, actor: Actor) -> bool:
        return bool(self.roles & audience(actor))

    @property
    def params_text(self) -> str:
        return ", ".join(PARAM_LABELS[p].lower() for p in self.params)


_CT = frozenset({CLASS_TEACHER})

_SPECS = (
    ReportSpec(
        attendance.BY_MONTH, "Посещаемость класса за месяц", "R-REP-1", SCHOOL | _CT,
        ("class", "date"), attendance.attendance_by_month, attendance.authorize_by_month,
        "пропуски дней и уроков по причинам за месяц даты и помесячно с начала года", ("class",),
    ),
    ReportSpec(
        attendance.DAY_SHEET, "Табель посещаемости группы", "R-ROLE-EDUCATOR", SCHOOL | _CT | {R.EDUCATOR},
        ("class", "date"), attendance.day_sheet, attendance.authorize_day_sheet,
        "по дням месяца: был ли ребёнок, дни присутствия (для родительской платы) и пропусков", ("class",),
    ),
    ReportSpec(
        attendance.SUMMARY, "Сводная ведомость посещаемости", "R-REP-6", SCHOOL | _CT,
        ("class", "period", "date"), attendance.attendance_summary, attendance.authorize_summary,
        "пропуски за период по учащимся класса, без класса — по классам школы",
    ),
    ReportSpec(
        progress.CLASS_PROGRESS, "Успеваемость класса", "R-REP-4", SCHOOL | _CT | TEACHERS,
        ("class", "period", "date"), progress.class_progress, progress.authorize_class_progress,
        "по предметам: «5», «4», «3», «2», н/а, осв., % успеваемости и качества, СОУ, средний балл",
    ),
    ReportSpec(
        progress.PROGRESS_SUMMARY, "Сводная ведомость успеваемости", "R-REP-5", SCHOOL | _CT | TEACHERS,
        ("class", "period", "date"), progress.progress_summary, progress.authorize_progress_summary,
        "учащиеся × предметы: отметки за период, пропуски; без класса — вся школа",
    ),
    ReportSpec(
        progress.CLASS_TEACHER_REPORT, "Отчёт классного руководителя", "R-REP-3", SCHOOL | _CT,
        ("class", "period", "date"), progress.class_teacher_report, progress.authorize_class_teacher_report,
        "отличники, хорошисты, с одной «3», неуспевающие — поимённо; пропуски; движение", ("class",),
    ),
    ReportSpec(
        progress.PRELIMINARY, "Предварительный отчёт", "R-REP-2", SCHOOL | _CT | TEACHERS,
        ("class", "period", "date"), progress.preliminary_report, progress.authorize_preliminary,
        "то же по ожидаемым отметкам до конца периода", ("class",),
    ),
    ReportSpec(
        movement.MOVEMENT, "Движение учащихся", "R-REP-7", SCHOOL | _CT | {R.SECRETARY},
        ("class", "period", "date"), movement.movement, movement.authorize_movement,
        "прибытие и выбытие: дата, приказ, откуда и куда; без класса — вся школа",
    ),
    ReportSpec(
        movement.MOVEMENT_SCHOOL, "Динамика движения по школе", "R-REP-7", SCHOOL | {R.SECRETARY},
        ("period", "date"), movement.movement_school, movement.authorize_movement_school,
        "по классам: на начало, прибыло, выбыло, переведено, на конец",
    ),
    ReportSpec(
        movement.CLASS_FILL, "Наполняемость классов", "R-REP-8", SCHOOL | {R.SECRETARY},
        ("period", "date"), movement.class_fill, movement.authorize_class_fill,
        "число учащихся по классам на дату (по умолчанию 20 сентября), на начало и конец периода",
    ),
    ReportSpec(
        progress.STUDENT_FINAL, "Итоговые данные учащегося", "R-REP-9", SCHOOL | _CT,
        ("student", "class", "date"), progress.student_final, progress.authorize_student_final,
        "отметки за периоды, год, экзамен и итоговые; пропуски за год (учащийся или весь класс)",
    ),
    ReportSpec(
        monitoring.MONITORING, "Мониторинг ведения журнала", "R-REP-10", SCHOOL,
        ("period", "date"), monitoring.monitoring, monitoring.authorize_monitoring,
        "по учителям: темы, д/з, посещаемость, поздние записи, накопляемость отметок, КТП; активность семей",
    ),
    ReportSpec(
        journal_print.JOURNAL_PRINT, "Печать классного журнала", "R-REP-11", SCHOOL | _CT | TEACHERS,
        ("class", "period", "date"), journal_print.journal_print, journal_print.authorize_journal_print,
        "журнал для бумажного архива по предметам: отметки, посещаемость, темы, д/з", ("class",),
    ),
    ReportSpec(
        diary.PARENT_WEEKLY, "Недельный отчёт для родителей", "R-DEP-3",
        SCHOOL | _CT | {R.PARENT, R.STUDENT},
        ("student", "date"), diary.parent_weekly, diary.authorize_parent_weekly,
        "неделя учащегося на одной странице: отметки, пропуски, домашние задания", ("student",),
    ),
    ReportSpec(
        diary.CREDENTIALS, "Пароли учащихся и родителей", "R-ACC-2", frozenset({R.ADMIN}) | _CT,
        ("class", "date"), diary.credentials, diary.authorize_credentials,
        "бланки с логином и одноразовым паролем для учащихся класса и их родителей", ("class",), writes=True,
    ),
    ReportSpec(
        journal_print.BLANK_JOURNAL, "Бланки временного журнала", "R-CONT-1", SCHOOL | _CT | TEACHERS,
        ("class", "date"), journal_print.blank_journal, journal_print.authorize_blank_journal,
        "пустые формы посещаемости и отметок класса на неделю даты (на случай сбоя)", ("class",),
    ),
)

REPORTS: dict[str, ReportSpec] = {spec.name: spec for spec in _SPECS}


def get_spec(name: str) -> ReportSpec:
    spec = REPORTS.get(name.strip())
    if spec is None:
        raise NotFound(f"Нет отчёта «{name}». Список отчётов: tui-journal report list")
    return spec


def list_reports(actor: Actor) -> list[ReportSpec]:
    """The reports this actor may run (on some class or pupil), in catalogue order."""
    roles = audience(actor)
    return [spec for spec in _SPECS if spec.roles & roles]


def _check(actor: Actor, spec: ReportSpec) -> None:
    if not spec.allowed_for(actor):
        raise deny(f"отчёт «{spec.title}»")


def _audit_text(model: TableModel, fmt: str) -> str:
    parts = [f"{k}: {v}" for k, v in model.params.items() if v and k != "Выдал"]
    parts.append(f"Формат: {fmt}")
    return "; ".join(parts)


def run_report(actor: Actor, name: str, params: ReportParams, *, fmt: str = "screen") -> TableModel:
    """Run a report as ``actor`` and log it (R-ACC-5). ``fmt`` is what it is run for:
    screen, pdf, xlsx, csv, txt or print."""
    spec = get_spec(name)
    _check(actor, spec)
    model = spec.run(actor, params)
    with write_tx():
        audit.record(actor, "export", "report", spec.name, "", None, _audit_text(model, fmt))
    return model


def record_export(actor: Actor, name: str, params: ReportParams, model: TableModel, fmt: str) -> None:
    """Log that a report already shown is saved to a file or printed (R-ACC-5).

    The actor must still be allowed to run the report with these parameters.
    """
    spec = get_spec(name)
    _check(actor, spec)
    spec.authorize(actor, params)
    with write_tx():
        audit.record(actor, "export", "report", spec.name, "", None, _audit_text(model, fmt))
