"""The demo's lessons: every timetable slot held up to today, with its topic from the plan,
homework, work type and substitutions for ill teachers; each lesson's roll gets its
attendance and marks (:mod:`.marks`).
"""

from __future__ import annotations

import datetime as dt
import random

from tui_journal.db import models as m
from tui_journal.db.demo import catalog as C
from tui_journal.db.demo.stages.marks import MarkStage
from tui_journal.db.demo.stages.state import Pupil, Row, Slot, at_time, on_roll
from tui_journal.db.demo.topics import CONTROL, LAB, PRACTICAL, WORK_DONE, homework
from tui_journal.domain.attendance import ABSENT, ILL, VALID
from tui_journal.domain.marks import WeightedMark


class LessonStage(MarkStage):
    """Lessons, with substitutions and individual homework."""

    def _roll_at(self, slot: Slot, day: dt.date) -> list[Pupil]:
        roll = self.group_roll[slot.group] if slot.group is not None else slot.klass.roll
        return [p for p, start, end in roll if on_roll(start, end, day)]

    def _substitutions(self, rng: random.Random) -> dict[tuple[int, dt.date], bool]:
        """(teacher, day) pairs when a teacher is ill and others replace him."""
        past = [d for d in self.held_days if self.window <= d < self.today]
        absent: dict[tuple[int, dt.date], bool] = {}
        if not past:
            return absent
        subject_teachers = [t for t in self.teachers if t.areas[0] not in ("primary", "preschool")]
        for _ in range(1 if self.tiny else 3):
            teacher = rng.choice(subject_teachers)
            start = rng.randrange(len(past))
            for d in past[start : start + rng.randint(1, 2)]:
                absent[(teacher.id, d)] = True
        return absent

    def _lessons(self) -> None:
        rng = self.rng("lessons")
        mrng = self.rng("marks")
        arng = self.rng("attendance")
        absent = self._substitutions(rng)
        busy_slot = {(s.teacher, s.weekday, s.number) for s in self.slots}
        by_weekday: dict[int, list[Slot]] = {}
        for s in self.slots:
            by_weekday.setdefault(s.weekday, []).append(s)
        day_codes = self._day_codes(arng)
        quarter_of = {d: q for q in self.quarters for d in self.held_days if q.start <= d <= q.end}
        mark_count: dict[tuple[int, int, str, str], int] = {}
        marks_of: dict[tuple[int, int, str, str], list[WeightedMark]] = {}
        bells = C.BELLS
        homework_ok = {k.id: k.grade >= 2 for k in self.classes}
        marks_ok = homework_ok
        sub_used: set[tuple[dt.date, int, int]] = set()
        lessons_7a_algebra: list[tuple[int, dt.date]] = []
        for day in self.held_days:
            past = day < self.today
            in_window = day >= self.window
            for slot in by_weekday.get(day.isoweekday(), []):
                plan = self.plans[(slot.klass.id, slot.group, slot.subject)]
                item = plan.pointer if past else None
                if past:
                    plan.pointer += 1
                if not in_window:
                    continue
                k = slot.klass
                teacher, replaced = slot.teacher, None
                if past and (slot.teacher, day) in absent:
                    sub = self._substitute(slot, day, busy_slot, sub_used, absent)
                    if sub is not None:
                        teacher, replaced = sub, slot.teacher
                        sub_used.add((day, slot.number, sub))
                starts, ends = bells[slot.number - 1]
                values: Row = {
                    "school_class": k.id, "group": slot.group, "subject": self.subjects[slot.subject],
                    "date": day, "number": slot.number, "teacher": teacher, "replaced_teacher": replaced,
                    "slot": slot.id, "room": slot.room, "plan_item": None, "work_type": None, "topic": "",
                    "work_done": "", "homework": "", "homework_pages": "", "homework_tasks": "",
                    "topic_set_at": None, "homework_set_at": None, "roll_taken_at": None,
                    "transferred_from_paper": False,
                }
                kind = ""
                if item is not None:
                    if item < len(plan.ids):
                        values["plan_item"] = plan.ids[item]
                        values["topic"] = plan.topics[item]
                        kind = plan.kinds[item]
                    else:
                        values["topic"] = "Повторение изученного"
                    values["topic_set_at"] = at_time(day, ends, rng.randint(0, 40))
                    values["roll_taken_at"] = at_time(day, starts, rng.randint(2, 9))
                    if k.grade > 0:
                        values["work_done"] = rng.choice(WORK_DONE)
                    if homework_ok[k.id] and slot.subject not in C.NO_HOMEWORK_SUBJECTS and rng.random() < 0.93:
                        position = item / max(1, len(plan.ids))
                        text, pages, tasks = homework(slot.subject, position, rng)
                        values["homework"], values["homework_pages"], values["homework_tasks"] = text, pages, tasks
                        # within 1.5 h after the lesson, or in the afternoon but by 18:00 (R-J-4)
                        if rng.random() < 0.6:
                            values["homework_set_at"] = at_time(day, ends, rng.randint(5, 90))
                        else:
                            values["homework_set_at"] = at_time(day, max(ends, dt.time(14, 0)), rng.randint(5, 100))
                        values["homework_set_at"] = min(values["homework_set_at"], at_time(day, dt.time(18, 0)))
                    work_type = self._work_type(slot.subject, kind, values["topic"]) if k.grade >= 2 else None
                    values["work_type"] = work_type
                lesson = self.rows.add(m.Lesson, **values)
                if item is None:
                    continue
                if k.name == "7А" and slot.subject == "alg":
                    lessons_7a_algebra.append((lesson, day))
                roll_at = values["roll_taken_at"]
                quarter = quarter_of.get(day)
                late_in_quarter = quarter is not None and (quarter.end - day).days < 7
                for pupil in self._roll_at(slot, day):
                    code = self._attendance(pupil, slot, day, lesson, teacher, roll_at, day_codes, arng)
                    if code in (ABSENT, ILL, VALID) or not marks_ok[k.id] or slot.subject == "orkse":
                        continue
                    if quarter is None:
                        continue
                    key = (pupil.id, k.id, slot.subject, quarter.name)
                    self._marks(
                        pupil, slot, day, lesson, teacher, kind, values["work_type"], key, mark_count,
                        marks_of, late_in_quarter, mrng,
                    )
        self._period_marks(marks_of)
        self._individual_homework(lessons_7a_algebra, rng)

    def _substitute(
        self,
        slot: Slot,
        day: dt.date,
        busy_slot: set[tuple[int, int, int]],
        used: set[tuple[dt.date, int, int]],
        absent: dict[tuple[int, dt.date], bool],
    ) -> int | None:
        area = C.area_of(slot.subject, slot.klass.grade)
        same = [t for t in self.teachers if area in t.areas and t.id != slot.teacher]
        others = [t for t in self.teachers if t.areas[0] not in ("primary", "preschool") and t.id != slot.teacher]
        for t in [*same, *others]:
            if (t.id, slot.weekday, slot.number) in busy_slot or (day, slot.number, t.id) in used:
                continue
            if (t.id, day) in absent:
                continue
            return t.id
        return None

    def _work_type(self, subject: str, kind: str, topic: str) -> int | None:
        wt = self.work_types
        if kind == CONTROL:
            if subject == "rus" and "диктант" in topic.lower():
                return wt["Диктант"]
            if subject == "lit":
                return wt["Сочинение"]
            return wt["Контрольная работа"]
        if kind == LAB:
            return wt["Лабораторная работа"]
        if kind == PRACTICAL:
            return wt["Практическая работа"]
        return None

    def _individual_homework(self, lessons: list[tuple[int, dt.date]], rng: random.Random) -> None:
        seven_a = self.by_name["7А"]
        pupils = [p for p, _s, end in seven_a.roll if end is None]
        if not lessons or not pupils:
            return
        weakest = sorted(pupils, key=lambda p: (p.ability, p.id))[:3]
        for lesson, _day in lessons[-3:]:
            pupil = rng.choice(weakest)
            first = rng.randint(200, 600)
            self.rows.add(
                m.IndividualHomework, lesson=lesson, student=pupil.id,
                text=f"Работа над ошибками: № {first}, {first + 1}, {first + 4}",
            )
