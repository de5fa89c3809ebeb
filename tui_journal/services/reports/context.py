"""The resolved parameters of one run: school, year, class, period, date and what is visible."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tui_journal.db.models import AcademicYear, School, SchoolClass
from tui_journal.services.actor import Actor
from tui_journal.services.reports import scope as S
from tui_journal.services.reports.params import ReportParams
from tui_journal.services.reports.scope import Span, SubjectScope


@dataclass(frozen=True)
class Ctx:
    school: School
    year: AcademicYear
    cls: SchoolClass | None
    span: Span
    scope: SubjectScope
    on: dt.date

    @property
    def until(self) -> dt.date:
        """The end of what has happened: the period's end, or the report's date if earlier."""
        return min(self.span.end, self.on)

    def need_class(self) -> SchoolClass:
        assert self.cls is not None
        return self.cls


def class_ctx(
    actor: Actor,
    params: ReportParams,
    what: str,
    *,
    class_teacher: bool = True,
    teacher: bool = False,
    secretary: bool = False,
    class_optional: bool = False,
) -> Ctx:
    """Resolve and authorise a report on one class (or, where optional, on the whole school).

    Without a class, a class teacher of exactly one class gets his class; otherwise a report
    that may run on the whole school does so for school-wide roles only.
    """
    school = S.school_of(actor)
    on = params.on
    year = S.year_for(actor, on)
    cls = S.default_class(actor, year, params.class_name)
    if cls is None and not class_optional:
        cls = S.need_class(actor, year, params.class_name)
    if cls is None:
        S.require_school_wide(actor, what, secretary=secretary)
        scope = S.EVERYTHING
    else:
        scope = S.class_scope(actor, cls, what, class_teacher=class_teacher, teacher=teacher, secretary=secretary)
    if params.subject and params.subject.strip():
        scope = scope.only(S.find_subject(actor, params.subject).id)
    span = S.resolve_span(year, params.period, on)
    return Ctx(school, year, cls, span, scope, on)


def school_ctx(actor: Actor, params: ReportParams, what: str, *, secretary: bool = False) -> Ctx:
    """Resolve and authorise a report on the whole school."""
    S.require_school_wide(actor, what, secretary=secretary)
    school = S.school_of(actor)
    on = params.on
    year = S.year_for(actor, on)
    span = S.resolve_span(year, params.period, on)
    return Ctx(school, year, None, span, S.EVERYTHING, on)
