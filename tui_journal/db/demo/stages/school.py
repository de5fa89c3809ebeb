"""The school's own rows in the demo: the school (with the printed trial logins under the
login form), the year, its quarters and holidays, the bells, the subjects and the work
types.
"""

from __future__ import annotations

import datetime as dt

from tui_journal.db import models as m
from tui_journal.db.demo import catalog as C
from tui_journal.db.demo.people import ROLE_ORDER, ROLE_TITLES
from tui_journal.db.demo.stages.state import ACCOUNTS_CREATED, DAYS_OFF, BuilderState, monday_of
from tui_journal.domain.periods import HOLIDAYS, QUARTER, school_days, standard_quarters


class SchoolStage(BuilderState):
    """The school, its calendar and its catalogue."""

    def _school(self) -> None:
        key, ident = self.key, self.identity
        # one line of preface and one per role: all eight fit under the login form at 80x24
        lines = ["Демо-школа: люди и данные вымышлены. Входы (логин / пароль):"]
        titles = dict(ROLE_TITLES, student="ученик 7А" if key.pupil.sex == "м" else "ученица 7А")
        for role in ROLE_ORDER:
            lines.append(f"{titles[role]}: {key.logins[role]} / {key.passwords[role]}")
        self.school = self.rows.add(
            m.School,
            name=ident.name,
            short_name=ident.short_name,
            address=ident.address,
            director_name=key.director.full,
            week_days=5,
            rounding="half_up",
            threshold_5=4.65,
            threshold_4=3.65,
            threshold_3=2.65,
            min_marks=3,
            login_note="\n".join(lines),
            created_at=ACCOUNTS_CREATED,
        )

    def _calendar(self) -> None:
        self.year = self.rows.add(
            m.AcademicYear, school=self.school, name=C.YEAR_NAME, start=C.YEAR_START, end=C.YEAR_END,
            closed=False,
        )
        self.spans = standard_quarters(C.YEAR_START.year)
        self.period_ids = {}
        quarter = holidays = 0
        for span in self.spans:
            if span.kind == QUARTER:
                quarter += 1
                ordinal = quarter
            else:
                holidays += 1
                ordinal = holidays
            self.period_ids[span.name] = self.rows.add(
                m.Period, year=self.year, name=span.name, kind=span.kind, ordinal=ordinal,
                start=span.start, end=span.end,
            )
        off = [(s.start, s.end) for s in self.spans if s.kind == HOLIDAYS]
        off += [(d, d) for d in DAYS_OFF]
        quarters = [s for s in self.spans if s.kind == QUARTER]
        self.quarters = quarters
        self.school_days = [
            d for d in school_days(C.YEAR_START, C.YEAR_END, 5, off)
            if any(q.start <= d <= q.end for q in quarters)
        ]
        self.held_days = [d for d in self.school_days if d <= self.ref]
        if self.tiny:
            self.window = max(C.YEAR_START, monday_of(self.ref - dt.timedelta(days=26)))
        else:
            self.window = C.YEAR_START
        schedule = self.rows.add(m.BellSchedule, school=self.school, name="Основное")
        for number, (starts, ends) in enumerate(C.BELLS, start=1):
            self.rows.add(m.Bell, schedule=schedule, number=number, starts=starts, ends=ends)

    def _catalogue(self) -> None:
        used = {s for grade in self._grades() for s, _ in C.CURRICULUM[grade]}
        for key, (name, short, split) in C.SUBJECTS.items():
            if key in used:
                self.subjects[key] = self.rows.add(
                    m.Subject, school=self.school, name=name, short_name=short, split_into_groups=split,
                    has_control_works=key not in C.NO_CONTROL_SUBJECTS,
                )
        for name, short, weight, control in C.WORK_TYPES:
            wt = self.rows.add(
                m.WorkType, school=self.school, name=name, short_name=short, weight=weight, is_control=control
            )
            self.work_types[name] = wt
            self.wt_weight[wt] = weight
