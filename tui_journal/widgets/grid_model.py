"""The grade grid's model: the sizes of its columns, what a cell holds as far as the teacher's
typing is concerned, and the row's totals recomputed from its cells (no Textual here, so the
layout, the drawing and the keys of :mod:`~tui_journal.widgets.grade_grid` share one copy)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len

from tui_journal.domain.grading import Proposal, propose_period_mark
from tui_journal.domain.marks import EXEMPT, MAX_MARKS_PER_CELL, WeightedMark, format_cell
from tui_journal.services.journal import CellView, Grid

#: Width of one lesson column: a space and five characters («27.11», «н4/5»).
COLUMN_WIDTH = 6
NUMBER_WIDTH = 2
NAME_MIN = 16
NAME_MAX = 26
AVG_WIDTH = 4  # «4,25»
PROPOSAL_WIDTH = 3  # «н/а»
FINAL_WIDTH = 5  # «незач»
#: «│» + average + space + proposal + space + period mark + the scrollbar column
TOTALS_WIDTH = 1 + AVG_WIDTH + 1 + PROPOSAL_WIDTH + 1 + FINAL_WIDTH + 1
FINAL_X = 1 + AVG_WIDTH + 1 + PROPOSAL_WIDTH + 1
#: The attendance codes that a typed mark keeps (an absent or late pupil can still get a
#: mark: «н5» is a missed work written later, «о5» a late pupil); «б» and «у» are replaced.
CODES_KEPT_BY_A_MARK = ("н", "о")
UNSAVED_MARK = "*"


@dataclass(frozen=True)
class CellBase:
    """What a cell holds as far as the teacher's typing is concerned."""

    marks: tuple[int, ...]
    code: str | None

    @property
    def text(self) -> str:
        return format_cell(self.marks, self.code)


def base_of(view: CellView) -> CellBase:
    """The teacher's part of a saved cell: point marks and his own attendance code.

    Special marks (н/а, зач…) are left alone by set_cell, so they are not part of it.
    """
    marks = tuple(int(m.value) for m in view.marks if m.value.isdigit())[:MAX_MARKS_PER_CELL]
    return CellBase(marks, view.teacher_code)


def fit(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` cells, with «…» when something was cut."""
    if cell_len(text) <= width:
        return text
    out = ""
    for ch in text:
        if cell_len(out + ch) > width - 1:
            break
        out += ch
    return out + "…"


def row_proposal(grid: Grid, student_id: int) -> tuple[float | None, Proposal]:
    """The row's weighted average and proposal, recomputed from the grid's cells."""
    weighted: list[WeightedMark] = []
    for col in grid.columns:
        view = grid.cells.get((student_id, col.lesson_id))
        if view is None:
            continue
        for m in view.marks:
            if m.value.isdigit():
                weighted.append(WeightedMark(int(m.value), m.weight))
    exempt = grid.period_marks.get(student_id) == EXEMPT
    proposal = propose_period_mark(weighted, grid.policy, exempt=exempt)
    return proposal.average, proposal


def is_low(text: str) -> bool:
    """A cell holding a 2 or a 1 (shown in the error colour)."""
    return any(ch in "12" for ch in text)
