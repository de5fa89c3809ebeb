"""Placing a week's lessons into weekday × lesson-number cells without conflicts.

Every class has fixed cells (its lessons 1..k of each day, no gaps). A unit is one weekly
lesson of a class: one subject with one teacher and room, or — for a split subject — both
groups at once, each with its own teacher and room. A unit may not share a cell with another
unit holding the same class, teacher or room, and a subject appears at most ``cap`` times a
day in a class.

The solver is a randomized greedy with ejection: each unit goes to the cell where it
displaces the fewest placed units (ties broken by the seeded RNG); displaced units are queued
again. On this kind of load (teachers busy about 60 % of the week) it converges in a few
passes; after too many steps it starts over in a new random order.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

Cell = tuple[int, int]  # (weekday 0..4, lesson number 1..)


@dataclass(frozen=True)
class Unit:
    class_key: int
    subject: str
    resources: tuple[Hashable, ...]  # teachers and rooms, e.g. ("t", 12), ("r", 3)
    cap: int = 1  # at most this many lessons of the subject per day in the class
    weight: int = 1  # harder units (split lessons, busy teachers) go first


class TimetableError(RuntimeError):
    """The timetable could not be built (should not happen with the demo's loads)."""


def day_counts(hours: int, days: int, rng: random.Random) -> list[int]:
    """Spread ``hours`` over ``days`` as evenly as possible; which days get one more is random."""
    base, extra = divmod(hours, days)
    longer = set(rng.sample(range(days), extra))
    return [base + (1 if d in longer else 0) for d in range(days)]


def solve(
    units: Sequence[Unit],
    cells: dict[int, list[Cell]],
    rng: random.Random,
    *,
    max_restarts: int = 30,
) -> list[Cell]:
    """Return a cell for every unit (same order); raises :class:`TimetableError` if none found."""
    for key, class_cells in cells.items():
        wanted = sum(1 for u in units if u.class_key == key)
        if wanted != len(class_cells):
            raise TimetableError(f"class {key}: {wanted} lessons for {len(class_cells)} cells")
    for _ in range(max_restarts):
        result = _attempt(units, cells, rng)
        if result is not None:
            return result
    raise TimetableError("не удалось составить расписание без накладок")


def _attempt(units: Sequence[Unit], cells: dict[int, list[Cell]], rng: random.Random) -> list[Cell] | None:
    n = len(units)
    keys = [(("c", u.class_key), *u.resources) for u in units]
    busy: dict[tuple[Hashable, int, int], int] = {}
    per_day: dict[tuple[int, str, int], list[int]] = {}
    where: list[Cell | None] = [None] * n
    evictions = [0] * n
    order = sorted(range(n), key=lambda i: (-units[i].weight, rng.random()))
    queue = deque(order)
    limit = 60 * n + 1000
    steps = 0

    def unplace(j: int) -> None:
        cell = where[j]
        assert cell is not None
        d, k = cell
        for r in keys[j]:
            del busy[(r, d, k)]
        per_day[(units[j].class_key, units[j].subject, d)].remove(j)
        where[j] = None

    while queue:
        steps += 1
        if steps > limit:
            return None
        i = queue.popleft()
        u = units[i]
        best: list[tuple[Cell, list[int]]] = []
        best_cost = 1e9
        for cell in cells[u.class_key]:
            d, k = cell
            hit: list[int] = []
            for r in keys[i]:
                j = busy.get((r, d, k))
                if j is not None and j not in hit:
                    hit.append(j)
            same = per_day.get((u.class_key, u.subject, d), [])
            if len(same) >= u.cap:
                need = len(same) - u.cap + 1 - sum(1 for j in same if j in hit)
                for j in same:
                    if need <= 0:
                        break
                    if j not in hit:
                        hit.append(j)
                        need -= 1
            cost = sum(1 + evictions[j] * 0.3 for j in hit) + rng.random() * 0.5
            if cost < best_cost - 1e-9:
                best_cost = cost
                best = [(cell, hit)]
        cell, hit = best[0]
        for j in hit:
            unplace(j)
            evictions[j] += 1
            queue.append(j)
        d, k = cell
        for r in keys[i]:
            busy[(r, d, k)] = i
        per_day.setdefault((u.class_key, u.subject, d), []).append(i)
        where[i] = cell
    return [c for c in where if c is not None] if all(c is not None for c in where) else None
