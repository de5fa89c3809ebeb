"""The demo's staff and classes: the key accounts, the teachers and their rooms, the
classes with their groups, who teaches what where, and the class teachers.
"""

from __future__ import annotations

from tui_journal.db import models as m
from tui_journal.db.demo import catalog as C
from tui_journal.db.demo.names import adult
from tui_journal.db.demo.stages.state import BuilderState, Klass, Teacher
from tui_journal.domain.text import class_order


class StaffStage(BuilderState):
    """The staff, the classes and the teaching assignments."""

    def _staff(self) -> None:
        key = self.key
        for role, person in (
            ("admin", key.admin), ("director", key.director), ("deputy", key.deputy),
            ("secretary", key.secretary),
        ):
            self.staff[role] = self._user(person, key.logins[role], (role,), key.passwords[role])

    def _teachers(self) -> None:
        rng = self.rng("teachers")
        key = self.key
        roster = C.ROSTER[self.size]
        n_primary = sum(1 for g in self._grades() if 1 <= g <= 4) * (1 if self.tiny else 2)
        specs: list[tuple[str, ...]] = [("primary",)] * n_primary + list(roster)
        key_teacher: Teacher | None = None
        for areas in specs:
            is_key = areas == ("math",) and key_teacher is None
            if is_key:
                person, login, password = key.teacher, key.logins["teacher"], key.passwords["teacher"]
            else:
                male_share = 0.5 if areas[0] in ("pe", "obzr", "tech") else (0.03 if areas[0] == "primary" else 0.15)
                person = adult(rng, "м" if rng.random() < male_share else "ж")
                login, password = self.logins.make(person), None
            tid = self._user(person, login, ("teacher",), password)
            self.teachers.append(Teacher(tid, person, areas, login, order=rng.random()))
            if is_key:
                key_teacher = self.teachers[-1]
        educator = self._user(key.educator, key.logins["educator"], ("educator",), key.passwords["educator"])
        self.teachers.append(Teacher(educator, key.educator, ("preschool",), key.logins["educator"]))
        self.teacher_by_id = {t.id: t for t in self.teachers}
        assert key_teacher is not None
        self.key_teacher = key_teacher
        self.educator = educator
        # Rooms: each teacher works in his own room.
        generic = [f"каб. {n}" for n in [*range(201, 221), *range(307, 321), *range(401, 421)]]
        special = {area: list(names) for area, names in C.AREA_ROOMS.items()}
        primary_no = 100
        for teacher in self.teachers:
            area = teacher.areas[0]
            if area == "primary":
                primary_no += 1
                name = f"каб. {primary_no}"
            elif special.get(area):
                name = special[area].pop(0)
            else:
                name = generic.pop(0)
            teacher.room = self.rows.add(m.Room, school=self.school, name=name)
            self.rooms[name] = teacher.room
        for name in C.SPARE_ROOMS:
            self.rooms[name] = self.rows.add(m.Room, school=self.school, name=name)

    def _classes(self) -> None:
        letters = ["А"] if self.tiny else ["А", "Б"]
        for grade in self._grades():
            if grade == 0:
                k = Klass(self.rows.ids.take(m.SchoolClass), 0, "ГКП", "preschool", "ГКП")
                self.classes.append(k)
                continue
            for letter in letters:
                k = Klass(self.rows.ids.take(m.SchoolClass), grade, letter, "class", f"{grade}{letter}")
                self.classes.append(k)
        # the preschool group goes last in lists
        self.classes.sort(key=lambda k: class_order(k.grade, k.letter))
        self.by_name = {k.name: k for k in self.classes}
        for k in self.classes:
            for subject, _hours in k.curriculum:
                if C.is_split(subject, k.grade):
                    k.groups[subject] = [self.rows.ids.take(m.Group), self.rows.ids.take(m.Group)]

    def _assign(self) -> None:
        """Who teaches what where; the class teachers."""
        rng = self.rng("assign")
        primary = [t for t in self.teachers if t.areas == ("primary",)]
        jobs: dict[tuple[int, str, int], list[tuple[str, int]]] = {}
        klass_of: dict[int, Klass] = {k.id: k for k in self.classes}
        p_index = 0
        for k in self.classes:
            if k.grade == 0:
                k.teacher = self.educator
            elif k.grade <= 4:
                k.teacher = primary[p_index].id
                primary[p_index].led = True
                p_index += 1
            for subject, hours in k.curriculum:
                area = C.area_of(subject, k.grade)
                if area == "preschool":
                    self.teacher_for[(k.id, subject, 0)] = self.educator
                    continue
                if area == "primary":
                    self.teacher_for[(k.id, subject, 0)] = k.teacher
                    self.teacher_by_id[k.teacher].load += hours
                    continue
                groups = (1, 2) if C.is_split(subject, k.grade) else (0,)
                for g in groups:
                    jobs.setdefault((k.id, area, g), []).append((subject, hours))
        seven_a = self.by_name["7А"]
        order = sorted(
            jobs,
            key=lambda j: (
                j != (seven_a.id, "math", 0),
                -sum(h for _, h in jobs[j]),
                klass_of[j[0]].grade,
                klass_of[j[0]].letter,
                j[2],
            ),
        )
        chosen: dict[tuple[int, str, int], int] = {}
        for job in order:
            class_id, area, g = job
            pool = [t for t in self.teachers if area in t.areas]
            if g == 2:
                pool = [t for t in pool if t.id != chosen[(class_id, area, 1)]] or pool
            if job == (seven_a.id, "math", 0):
                teacher = self.key_teacher
            else:
                teacher = min(pool, key=lambda t: (t.load, t.order))
            chosen[job] = teacher.id
            for subject, hours in jobs[job]:
                self.teacher_for[(class_id, subject, g)] = teacher.id
                teacher.load += hours
        # class teachers of grades 5–11: 7А has the key teacher; the others someone teaching there
        seven_a.teacher = self.key_teacher.id
        self.key_teacher.led = True
        for k in self.classes:
            if k.grade < 5 or k.teacher:
                continue
            hours_in: dict[int, int] = {}
            for subject, hours in k.curriculum:
                for g in ((1, 2) if C.is_split(subject, k.grade) else (0,)):
                    tid = self.teacher_for[(k.id, subject, g)]
                    hours_in[tid] = hours_in.get(tid, 0) + hours
            candidates = [
                t for t in self.teachers
                if not t.led and t.areas[0] not in ("primary", "preschool") and hours_in.get(t.id, 0) >= 2
            ]
            if not candidates:
                candidates = [t for t in self.teachers if not t.led and t.areas[0] not in ("primary", "preschool")]
            best = max(candidates, key=lambda t: (hours_in.get(t.id, 0), rng.random()))
            best.led = True
            k.teacher = best.id
