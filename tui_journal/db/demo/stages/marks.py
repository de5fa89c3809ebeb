"""What the pupils get in the demo's lessons: whole days missed, attendance codes (with the
class teacher's corrections), current marks by work type, and the quarter marks proposed
from them.
"""

from __future__ import annotations

import datetime as dt
import random

from tui_journal.db import models as m
from tui_journal.db.demo import catalog as C
from tui_journal.db.demo.stages.state import (
    ILL_REASON,
    VALID_REASONS,
    BuilderState,
    Pupil,
    Row,
    Slot,
    at_time,
    on_roll,
)
from tui_journal.db.demo.topics import CONTROL, LAB, PRACTICAL
from tui_journal.domain.attendance import ABSENT, ILL, LATE, VALID
from tui_journal.domain.grading import RoundingPolicy, propose_period_mark
from tui_journal.domain.marks import WeightedMark


class MarkStage(BuilderState):
    """Attendance, marks and period marks."""

    def _day_codes(self, rng: random.Random) -> dict[tuple[int, dt.date], tuple[str, bool, dt.date]]:
        """Whole days missed: (pupil, day) → (code, entered as «н» first?, last day of the spell)."""
        codes: dict[tuple[int, dt.date], tuple[str, bool, dt.date]] = {}
        days = [d for d in self.held_days if self.window <= d < self.today]
        seen: set[int] = set()
        for k in self.classes:
            for pupil in k.pupils:
                if pupil.id in seen:
                    continue
                seen.add(pupil.id)
                rate = 0.013 * pupil.illness * (1.6 if k.grade == 0 else 1.0)
                i = 0
                while i < len(days):
                    r = rng.random()
                    if r < rate:
                        length = rng.randint(2, 5)
                        spell = days[i : i + length]
                        first_n = rng.random() < 0.5
                        for d in spell:
                            codes[(pupil.id, d)] = (ILL, first_n, spell[-1])
                        i += length + 1
                        continue
                    if r < rate + 0.004:
                        codes[(pupil.id, days[i])] = (VALID, False, days[i])
                    i += 1
        return codes

    def _attendance(
        self,
        pupil: Pupil,
        slot: Slot,
        day: dt.date,
        lesson: int,
        teacher: int,
        roll_at: dt.datetime,
        day_codes: dict[tuple[int, dt.date], tuple[str, bool, dt.date]],
        rng: random.Random,
    ) -> str | None:
        spell = day_codes.get((pupil.id, day))
        row: Row | None = None
        if spell is not None:
            code, first_n, last = spell
            if code == ILL and first_n:
                fixed = last + dt.timedelta(days=rng.randint(1, 3))
                row = {"code": ABSENT, "reason": ""}
                if fixed <= self.ref:
                    row.update(
                        corrected_code=ILL, reason=ILL_REASON, corrected_by=slot.klass.teacher,
                        corrected_at=at_time(fixed, dt.time(15, 0), rng.randint(0, 120)),
                    )
            elif code == ILL:
                row = {"code": ILL, "reason": ""}
            else:
                row = {"code": VALID, "reason": VALID_REASONS[pupil.id % len(VALID_REASONS)]}
        else:
            r = rng.random()
            if r < 0.004:
                row = {"code": ABSENT, "reason": ""}
            elif r < 0.004 + (0.025 if slot.number == 1 else 0.003):
                row = {"code": LATE, "reason": ""}
        if row is None:
            return None
        self.rows.add(
            m.Attendance, student=pupil.id, lesson=lesson, entered_by=teacher, entered_at=roll_at, late=False,
            corrected_code=row.pop("corrected_code", None), corrected_by=row.pop("corrected_by", None),
            corrected_at=row.pop("corrected_at", None), **row,
        )
        code = row["code"]
        return str(code)

    def _value(self, pupil: Pupil, subject: str, rng: random.Random, shift: float = 0.0) -> str:
        offset = pupil.offsets.get(subject)
        if offset is None:
            offset = pupil.offsets[subject] = rng.gauss(0.0, 0.35)
        easy = 0.4 if subject in ("pe", "music", "art", "tech", "obzr") else 0.0
        value = round(pupil.ability + offset + easy + shift + rng.gauss(0.0, 0.7))
        return str(min(5, max(2, value)))

    def _marks(
        self,
        pupil: Pupil,
        slot: Slot,
        day: dt.date,
        lesson: int,
        teacher: int,
        kind: str,
        work_type: int | None,
        key: tuple[int, int, str, str],
        mark_count: dict[tuple[int, int, str, str], int],
        marks_of: dict[tuple[int, int, str, str], list[WeightedMark]],
        late_in_quarter: bool,
        rng: random.Random,
    ) -> None:
        wt = self.work_types
        starts = C.BELLS[slot.number - 1][0]
        hours = dict(slot.klass.curriculum)[slot.subject]
        given: list[tuple[int, str]] = []
        if kind == CONTROL and work_type is not None:
            given.append((work_type, self._value(pupil, slot.subject, rng, -0.15)))
        elif kind in (LAB, PRACTICAL) and work_type is not None:
            if rng.random() < 0.75:
                given.append((work_type, self._value(pupil, slot.subject, rng, 0.1)))
        else:
            p = min(0.6, max(0.3, 0.65 / hours))
            if late_in_quarter and mark_count.get(key, 0) < 3:
                p = 0.9
            if rng.random() < p:
                r = rng.random()
                if r < 0.64:
                    w = wt["Ответ на уроке"]
                elif r < 0.76:
                    w = wt["Самостоятельная работа"]
                elif r < 0.86:
                    w = wt["Домашняя работа"]
                elif r < 0.93:
                    w = wt["Тест"]
                elif slot.subject == "rus" and slot.klass.grade >= 5 and r < 0.96:
                    w = wt["Изложение"]
                else:
                    w = wt["Проверочная работа"]
                given.append((w, self._value(pupil, slot.subject, rng)))
                if rng.random() < 0.06:
                    second = wt["Домашняя работа"] if w != wt["Домашняя работа"] else wt["Самостоятельная работа"]
                    given.append((second, self._value(pupil, slot.subject, rng)))
        for position, (w, value) in enumerate(given):
            if kind == CONTROL:
                created = at_time(day, dt.time(17, 0), rng.randint(0, 240))
            else:
                created = at_time(day, starts, rng.randint(10, 50))
            self.rows.add(
                m.Mark, student=pupil.id, lesson=lesson, work_type=w, value=value, position=position,
                comment="", created_by=teacher, created_at=created, late=False,
            )
            mark_count[key] = mark_count.get(key, 0) + 1
            marks_of.setdefault(key, []).append(WeightedMark(int(value), self.wt_weight[w]))

    def _period_marks(self, marks_of: dict[tuple[int, int, str, str], list[WeightedMark]]) -> None:
        """Quarter marks for the quarters that ended inside the lessons' window."""
        policy = RoundingPolicy("half_up", (4.65, 3.65, 2.65), 3)
        for quarter in self.quarters:
            if not (self.window <= quarter.start and quarter.end < self.today):
                continue
            set_day = quarter.end - dt.timedelta(days=2)
            for k in self.classes:
                if k.grade < 2:
                    continue
                for subject, _hours in k.curriculum:
                    if subject == "orkse":
                        continue
                    for g, gid in enumerate(k.groups.get(subject, [None]), start=1):
                        roll = self.group_roll[gid] if gid is not None else k.roll
                        tid = self.teacher_for[(k.id, subject, g if gid is not None else 0)]
                        for pupil, start, end in roll:
                            if not on_roll(start, end, quarter.end) or start > quarter.start + dt.timedelta(days=21):
                                continue
                            marks = marks_of.get((pupil.id, k.id, subject, quarter.name), [])
                            proposal = propose_period_mark(marks, policy)
                            self.rows.add(
                                m.PeriodMark, student=pupil.id, subject=self.subjects[subject], school_class=k.id,
                                period=self.period_ids[quarter.name], kind="period", value=proposal.value,
                                proposed=proposal.value, reason="", entered_by=tid,
                                set_at=at_time(set_day, dt.time(16, 0)),
                            )
