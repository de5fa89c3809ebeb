"""The demo's class rows and weekly structure: classes, groups and their members,
enrollments (with the autumn's movements), curriculum, assignments, the conflict-free
timetable and the thematic plans.
"""

from __future__ import annotations

from tui_journal.db import models as m
from tui_journal.db.demo import catalog as C
from tui_journal.db.demo.stages.state import ENROLL_ORDER, BuilderState, Klass, PlanRef, Slot
from tui_journal.db.demo.timetable import Unit, day_counts, solve
from tui_journal.db.demo.topics import plan_topics


class ClassStage(BuilderState):
    """Class rows, timetable and plans."""

    def _class_rows(self) -> None:
        """Classes, groups and members, enrollments, curriculum, assignments."""
        for k in self.classes:
            self.rows.data[m.SchoolClass].append(
                {"id": k.id, "school": self.school, "year": self.year, "grade": k.grade, "letter": k.letter,
                 "class_teacher": k.teacher, "kind": k.kind}
            )
        moves_out = {}
        moves_in = {}
        for _day, kind, what, order in self.moves:
            if kind == "in":
                k, pupil, origin = what
                moves_in[(k.id, pupil.id)] = (order, origin)
            elif kind == "out":
                k, pupil, target = what
                moves_out[(k.id, pupil.id)] = (order, target)
            else:
                a, b, pupil = what
                moves_out[(a.id, pupil.id)] = (order, "")
                moves_in[(b.id, pupil.id)] = (order, "")
        for k in self.classes:
            for pupil, start, end in k.roll:
                order_in, came_from = moves_in.get((k.id, pupil.id), (ENROLL_ORDER, ""))
                order_out, went_to = moves_out.get((k.id, pupil.id), ("", ""))
                self.rows.add(
                    m.Enrollment, student=pupil.id, school_class=k.id, start=start, end=end,
                    order_in=order_in, order_out=order_out, came_from=came_from, went_to=went_to,
                )
            # groups: list halves at the start; later arrivals join the smaller group
            for subject, (g1, g2) in k.groups.items():
                for number, gid in ((1, g1), (2, g2)):
                    self.rows.data[m.Group].append(
                        {"id": gid, "school_class": k.id, "subject": self.subjects[subject],
                         "name": f"{number} группа"}
                    )
                    self.group_roll[gid] = []
                initial = [r for r in k.roll if r[1] == C.YEAR_START]
                half = (len(initial) + 1) // 2
                for i, (pupil, start, end) in enumerate(initial):
                    self.group_roll[g1 if i < half else g2].append((pupil, start, end))
                for pupil, start, end in k.roll:
                    if start != C.YEAR_START:
                        gid = g1 if len(self.group_roll[g1]) <= len(self.group_roll[g2]) else g2
                        self.group_roll[gid].append((pupil, start, end))
                for gid in (g1, g2):
                    for pupil, start, end in self.group_roll[gid]:
                        self.rows.add(m.GroupMember, group=gid, student=pupil.id, start=start, end=end)
            for subject, hours in k.curriculum:
                self.rows.add(
                    m.Curriculum, school_class=k.id, subject=self.subjects[subject], hours_per_week=float(hours)
                )
                if subject in k.groups:
                    for g, gid in zip((1, 2), k.groups[subject], strict=True):
                        self.rows.add(
                            m.Assignment, teacher=self.teacher_for[(k.id, subject, g)], school_class=k.id,
                            group=gid, subject=self.subjects[subject],
                        )
                else:
                    self.rows.add(
                        m.Assignment, teacher=self.teacher_for[(k.id, subject, 0)], school_class=k.id,
                        group=None, subject=self.subjects[subject],
                    )

    # --- timetable and plans ----------------------------------------------------------------

    def _parts(self, k: Klass, subject: str) -> list[tuple[int | None, int, int]]:
        """(group, teacher, room) of one weekly lesson."""
        if subject in k.groups:
            return [
                (gid, self.teacher_for[(k.id, subject, g)], self.teacher_by_id[self.teacher_for[(k.id, subject, g)]].room)
                for g, gid in zip((1, 2), k.groups[subject], strict=True)
            ]
        tid = self.teacher_for[(k.id, subject, 0)]
        return [(None, tid, self.teacher_by_id[tid].room)]

    def _timetable(self) -> None:
        rng = self.rng("timetable")
        units: list[Unit] = []
        parts_of: list[list[tuple[int | None, int, int]]] = []
        cells: dict[int, list[tuple[int, int]]] = {}
        for k in self.classes:
            total = sum(h for _, h in k.curriculum)
            counts = day_counts(total, 5, rng)
            cells[k.id] = [(d, n) for d in range(5) for n in range(1, counts[d] + 1)]
            for subject, hours in k.curriculum:
                parts = self._parts(k, subject)
                resources: list[tuple[str, int]] = []
                for _g, tid, room in parts:
                    resources += [("t", tid), ("r", room)]
                busy = max(self.teacher_by_id[tid].load for _g, tid, _r in parts)
                weight = (3 if len(parts) > 1 else 1) + (1 if busy >= 20 else 0)
                for _ in range(hours):
                    units.append(Unit(k.id, subject, tuple(resources), 1 if hours <= 5 else 2, weight))
                    parts_of.append(parts)
        placed = solve(units, cells, rng)
        klass_of = {k.id: k for k in self.classes}
        entries = []
        for unit, parts, (d, n) in zip(units, parts_of, placed, strict=True):
            for gid, tid, room in parts:
                entries.append((klass_of[unit.class_key], gid, unit.subject, tid, room, d + 1, n))
        entries.sort(key=lambda e: (self.classes.index(e[0]), e[5], e[6], e[1] or 0))
        for k, gid, subject, tid, room, weekday, number in entries:
            sid = self.rows.add(
                m.TimetableSlot, school_class=k.id, group=gid, subject=self.subjects[subject], teacher=tid,
                room=room, weekday=weekday, number=number, valid_from=C.YEAR_START, valid_to=None,
            )
            self.slots.append(Slot(sid, k, gid, subject, tid, room, weekday, number))

    def _plans(self) -> None:
        for k in self.classes:
            for subject, hours in k.curriculum:
                topics = plan_topics(subject, k.grade, hours * C.WEEKS)
                for gid in k.groups.get(subject, [None]):
                    ref = PlanRef([], [], [])
                    for ordinal, item in enumerate(topics, start=1):
                        pid = self.rows.add(
                            m.PlanItem, school_class=k.id, group=gid, subject=self.subjects[subject],
                            ordinal=ordinal, topic=item.topic, hours=1.0, kind=item.kind,
                        )
                        ref.ids.append(pid)
                        ref.topics.append(item.topic)
                        ref.kinds.append(item.kind)
                    self.plans[(k.id, gid, subject)] = ref
