"""``tui-journal report list`` and ``tui-journal report NAME …``: the reports on the console.

The console acts as the school's administrator (see :class:`~tui_journal.services.actor.Actor`),
so every report is open to it; each run is audited like any export (R-ACC-5). Text and CSV go
to standard output unless ``-o`` names a file; PDF and XLSX go to ``-o FILE`` or to a file
named after the report in the current folder.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui_journal.cli.base import CliError, Context, add_command, tr
from tui_journal.cli.output import render_table
from tui_journal.export import FORMATS, file_name, format_of, render
from tui_journal.private import private_dir, write_private
from tui_journal.services import reports
from tui_journal.services.errors import InvalidInput
from tui_journal.services.reports.params import ReportParams, parse_date
from tui_journal.services.roles import ALL_ROLES

LIST = "list"


def _date(text: str) -> object:
    try:
        return parse_date(text)
    except InvalidInput as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def _student(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(tr("cli.bad_number", "нужно целое число").format(value=text)) from None
    if value <= 0:
        raise argparse.ArgumentTypeError(tr("cli.bad_number", "нужно целое число").format(value=text))
    return value


def _epilog() -> str:
    names = "\n".join(f"  {spec.name:<22} {spec.title}" for spec in reports.REPORTS.values())
    return tr("cli.epilog.report", "Отчёты:\n{names}\n").format(names=names)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    """Add ``report`` to the ``tui-journal`` parser."""
    p = add_command(subparsers, "report", "cli.help.report", cmd_report, epilog=_epilog())
    p.add_argument(
        "name",
        metavar="NAME",
        choices=[LIST, *reports.REPORTS],
        help=tr("cli.arg.report", "имя отчёта или list — список отчётов"),
    )
    p.add_argument("--class", dest="class_name", metavar="7А", help=tr("cli.opt.report_class", "класс"))
    p.add_argument("--subject", metavar="NAME", help=tr("cli.opt.report_subject", "предмет"))
    p.add_argument("--period", metavar="NAME", help=tr("cli.opt.report_period", "период"))
    p.add_argument("--date", type=_date, metavar="ДД.ММ.ГГГГ", help=tr("cli.opt.report_date", "дата"))
    p.add_argument("--student", type=_student, metavar="ID", help=tr("cli.opt.report_student", "учащийся"))
    p.add_argument("--format", choices=FORMATS, help=tr("cli.opt.report_format", "формат"))
    p.add_argument("-o", "--output", metavar="FILE", help=tr("cli.opt.report_output", "файл"))


def _who(spec: reports.ReportSpec) -> str:
    names = [tr(f"role.short.{r}", r) for r in ALL_ROLES if r in spec.roles]
    if reports.CLASS_TEACHER in spec.roles:
        names.append(tr("role.short.class_teacher", "кл. руководитель"))
    return ", ".join(names)


def cmd_list() -> int:
    rows = [(spec.name, spec.title, spec.requirement, _who(spec)) for spec in reports.REPORTS.values()]
    headers = [
        tr("cli.col.report", "Отчёт"),
        tr("cli.col.title", "Название"),
        tr("cli.col.requirement", "Требование"),
        tr("cli.col.who", "Кто может"),
    ]
    print(render_table(headers, rows, max_cell=200))
    return 0


def cmd_report(ctx: Context, args: argparse.Namespace) -> int:
    if args.name == LIST:
        return cmd_list()
    fmt = args.format or (format_of(args.output) if args.output and args.output != "-" else "txt")
    params = ReportParams(
        class_name=args.class_name,
        subject=args.subject,
        period=args.period,
        date=args.date,
        student_id=args.student,
        ssh_address=ctx.settings.ssh_address,
        web_url=ctx.settings.web_url,
    )
    ctx.open()
    model = reports.run_report(ctx.actor(), args.name, params, fmt=fmt)
    data = render(model, fmt)
    output = args.output
    if output is None and fmt in ("pdf", "xlsx"):
        output = file_name(model, fmt)
    if output is None or output == "-":
        if fmt in ("txt", "csv"):
            sys.stdout.write(data.decode("utf-8"))
            sys.stdout.flush()
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        return 0
    path = Path(output).expanduser()
    try:
        private_dir(path.parent)
        write_private(path, data)  # reports hold personal data: 0600
    except OSError as exc:
        raise CliError(tr("cli.report_write_failed", "Не удалось записать {path}: {error}").format(path=path, error=exc)) from None
    print(tr("cli.report_saved", "Отчёт сохранён: {path}").format(path=path))
    return 0
