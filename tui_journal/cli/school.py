"""``export school``, ``import school|students|staff|plan``, ``timetable generate`` and
``year rollover``: the school's data in and out and the admin's batch jobs.

File formats: docs/import-formats.md. Every import checks the whole file first and prints
each bad line with its number and reason; then all of it goes in, or nothing does.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tui_journal.cli.base import CliError, Context, add_command, add_group, confirm, positive
from tui_journal.cli.base import date_arg as _date
from tui_journal.cli.output import clean, print_card
from tui_journal.db.database import schema_state, upgrade
from tui_journal.i18n import t
from tui_journal.services import plan, rollover, school_data, setup, timetable
from tui_journal.services.errors import InvalidInput, NotFound


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    epilog = t("cli.epilog.formats")
    export = add_command(sub, "export", "cli.help.export", epilog=epilog)
    esub = add_group(export)
    p = add_command(esub, "school", "cli.help.export_school", cmd_export_school, epilog=epilog)
    p.add_argument("directory", metavar="DIR", help=t("cli.arg.export_dir"))

    imp = add_command(sub, "import", "cli.help.import", epilog=epilog)
    isub = add_group(imp)
    p = add_command(isub, "school", "cli.help.import_school", cmd_import_school, epilog=epilog)
    p.add_argument("directory", metavar="DIR", help=t("cli.arg.import_dir"))
    p.add_argument("--dry-run", action="store_true", help=t("cli.opt.dry_run"))
    for name, func in (("students", cmd_import_students), ("staff", cmd_import_staff)):
        p = add_command(isub, name, f"cli.help.import_{name}", func, epilog=epilog)
        p.add_argument("file", metavar="FILE", help=t("cli.arg.import_file"))
        p.add_argument("--dry-run", action="store_true", help=t("cli.opt.dry_run"))
    p = add_command(isub, "plan", "cli.help.import_plan", cmd_import_plan, epilog=epilog)
    p.add_argument("file", metavar="FILE", help=t("cli.arg.import_file"))
    p.add_argument("--class", dest="class_name", required=True, metavar="7А", help=t("cli.opt.class"))
    p.add_argument("--subject", required=True, metavar="NAME", help=t("cli.opt.subject"))
    p.add_argument("--group", metavar="NAME", help=t("cli.opt.group"))
    p.add_argument("--dry-run", action="store_true", help=t("cli.opt.dry_run"))

    tt = add_command(sub, "timetable", "cli.help.timetable")
    tsub = add_group(tt)
    p = add_command(tsub, "generate", "cli.help.timetable_generate", cmd_generate)
    p.add_argument("--from", dest="start", type=_date, required=True, metavar="DATE", help=t("cli.opt.from"))
    p.add_argument("--to", dest="end", type=_date, required=True, metavar="DATE", help=t("cli.opt.to"))

    year = add_command(sub, "year", "cli.help.year")
    ysub = add_group(year)
    p = add_command(ysub, "rollover", "cli.help.year_rollover", cmd_rollover)
    p.add_argument("--year", metavar="NAME", help=t("cli.opt.year"))
    p.add_argument("--order", required=True, metavar="№", help=t("cli.opt.promotion_order"))
    p.add_argument("--graduation-order", default="", metavar="№", help=t("cli.opt.graduation_order"))
    p.add_argument("--repeater", action="append", default=[], type=positive, metavar="ID", help=t("cli.opt.repeater"))
    p.add_argument("--graduating", action="append", type=positive, metavar="GRADE", help=t("cli.opt.graduating"))
    p.add_argument("--apply", action="store_true", help=t("cli.opt.apply"))
    p.add_argument("--yes", action="store_true", help=t("cli.opt.yes"))


# --- the school in and out ------------------------------------------------------------------


def cmd_export_school(ctx: Context, args: argparse.Namespace) -> int:
    result = school_data.export_school(ctx.actor(), Path(args.directory))
    print(t("cli.export_done", school=clean(result.school), path=result.directory))
    print_card([(table, count) for table, count in result.counts.items() if count])
    return 0


def _print_report(report: school_data.ImportReport) -> None:
    print_card([(table, count) for table, count in report.counts.items() if count])


def cmd_import_school(ctx: Context, args: argparse.Namespace) -> int:
    db = ctx.open(check_schema=False, create=True)
    state = schema_state(db)
    if state.is_empty and not db.table_exists("school"):
        if args.dry_run:
            print(t("cli.import_empty_schema"))
        else:
            upgrade(db)
    else:
        ctx.open()  # an existing database must have the current schema
    if args.dry_run and state.is_empty:
        # nothing to compare against: check the files only
        report = school_data.check_school_export(Path(args.directory))
    else:
        report = school_data.import_school(Path(args.directory), dry_run=args.dry_run, origin="import")
    if args.dry_run:
        print(t("cli.import_checked", school=clean(report.school), rows=report.total))
    else:
        print(t("cli.import_school_done", school=clean(report.school), rows=report.total, url=ctx.shown_url))
    _print_report(report)
    return 0


def _summary(summary: school_data.ImportSummary, key_done: str) -> int:
    for line in summary.created:
        print(clean(line))
    print(t("cli.import_checked_rows", rows=summary.rows) if summary.dry_run else t(key_done, rows=summary.rows))
    return 0


def cmd_import_students(ctx: Context, args: argparse.Namespace) -> int:
    summary = school_data.import_students(ctx.actor(), Path(args.file), dry_run=args.dry_run)
    return _summary(summary, "cli.import_students_done")


def cmd_import_staff(ctx: Context, args: argparse.Namespace) -> int:
    summary = school_data.import_staff(ctx.actor(), Path(args.file), dry_run=args.dry_run)
    if not summary.dry_run:
        print(t("cli.import_staff_passwords"))
    return _summary(summary, "cli.import_staff_done")


def cmd_import_plan(ctx: Context, args: argparse.Namespace) -> int:
    actor = ctx.actor()
    cls = setup.find_class(actor, args.class_name)
    subject = setup.find_subject(actor, args.subject)
    group_id = None
    if args.group:
        found = [g for g in setup.list_groups(actor, cls.id) if g.name.casefold() == args.group.strip().casefold()]
        if not found:
            raise NotFound(t("cli.group_not_found", group=args.group))
        group_id = found[0].id
    path = Path(args.file)
    if not path.is_file():
        raise InvalidInput(t("cli.file_missing", path=path))
    topics = plan.read_plan_file(actor, path)
    if args.dry_run:
        print(t("cli.import_checked_rows", rows=len(topics)))
        return 0
    count = plan.import_plan(actor, cls.id, subject.id, topics, group_id=group_id)
    print(t("cli.import_plan_done", rows=count))
    return 0


# --- batch jobs -------------------------------------------------------------------------------


def cmd_generate(ctx: Context, args: argparse.Namespace) -> int:
    result = timetable.generate_lessons(ctx.actor(), args.start, args.end)
    print(t("cli.generate_done", created=result.created, existing=result.existing, days=result.school_days))
    return 0


def cmd_rollover(ctx: Context, args: argparse.Namespace) -> int:
    actor = ctx.actor()
    years = [y for y in setup.list_years(actor) if not y.closed]
    if args.year:
        years = [y for y in years if y.name == args.year.strip()]
    if not years:
        raise NotFound(t("cli.no_open_year", year=args.year or "—"))
    year = years[0] if args.year else years[-1]
    options = rollover.RolloverOptions(
        promotion_order=args.order,
        graduation_order=args.graduation_order,
        repeaters=args.repeater,
        graduating_grades=args.graduating,
    )
    preview = rollover.preview_rollover(actor, year.id, **options)
    for line in preview.lines():
        print(clean(line))
    if not args.apply:
        print(t("cli.rollover_preview_only"))
        return 0
    if not args.yes and not confirm(t("cli.rollover_confirm", year=year.name)):
        raise CliError(t("cli.cancelled"))
    done = rollover.apply_rollover(actor, year.id, **options)
    print(t("cli.rollover_done", old=done.old_year, new=done.name))
    return 0
