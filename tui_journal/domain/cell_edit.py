"""The edit line's little language of the grade grid (pure parsing, no I/O).

A lesson cell is typed as «н4:1/5:2 # у доски»: an attendance code, point marks separated by
``/``, each optionally followed by ``:`` and its work type (a number in the list, a name or
the start of a name), and after ``#`` a comment for the cell's point marks. A period mark is
typed as «5», «5; причина», «н/а», «год 5», «экз 4; причина».

:func:`cell_edit_text` and :func:`cell_details_text` write a saved cell back in the same
language (they take anything shaped like :class:`~tui_journal.services.journal.CellView`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from tui_journal.domain.marks import InvalidCell, parse_cell
from tui_journal.i18n import t

PERIOD_KINDS_TYPED = {
    "год": "year",
    "годовая": "year",
    "экз": "exam",
    "экзамен": "exam",
    "итог": "final",
    "итоговая": "final",
}


class MarkLike(Protocol):
    """What the formatters read of a saved mark (a ``MarkView``)."""

    @property
    def value(self) -> str: ...
    @property
    def work_type(self) -> str: ...
    @property
    def comment(self) -> str: ...


class CellLike(Protocol):
    """What the formatters read of a saved cell (a ``CellView``)."""

    @property
    def marks(self) -> Sequence[MarkLike]: ...
    @property
    def code(self) -> str | None: ...
    @property
    def teacher_code(self) -> str | None: ...


@dataclass(frozen=True)
class CellEdit:
    """A cell as typed in the edit line: «н4:1/5:2 # у доски»."""

    text: str  # what set_cell gets («н4/5»)
    work_types: tuple[int | None, ...]  # per point mark, None: keep / the column's
    comment: str | None  # None: keep the comments


def resolve_work_type(text: str, work_types: list[tuple[int, str, float]]) -> int:
    """A work type by its number in the list (1-based), its name, or the start of its name."""
    text = text.strip()
    if text.isdigit() and 1 <= int(text) <= len(work_types):
        return work_types[int(text) - 1][0]
    key = text.casefold()
    exact = [w for w in work_types if w[1].casefold() == key]
    if exact:
        return exact[0][0]
    starts = [w for w in work_types if w[1].casefold().startswith(key)]
    if len(starts) == 1:
        return starts[0][0]
    raise InvalidCell(t("grid.bad_work_type", text=text, types=work_types_text(work_types)))


def work_types_text(work_types: list[tuple[int, str, float]]) -> str:
    return " · ".join(f"{i} {name}" for i, (_, name, _) in enumerate(work_types, start=1))


def parse_cell_edit(value: str, work_types: list[tuple[int, str, float]]) -> CellEdit:
    """Read the edit line of a lesson cell; raises InvalidCell with a Russian message."""
    body, sep, comment = value.partition("#")
    marks_parts: list[str] = []
    types: list[int | None] = []
    for token in body.strip().split("/") if body.strip() else []:
        mark, colon, wt = token.partition(":")
        marks_parts.append(mark.strip())
        has_mark = any(ch.isdigit() for ch in mark)
        if colon and wt.strip():
            if not has_mark:
                raise InvalidCell(t("grid.type_after_mark"))
            types.append(resolve_work_type(wt, work_types))
        elif has_mark:
            types.append(None)
    entry = parse_cell("/".join(marks_parts))
    if entry.marks and len(types) != len(entry.marks):
        types = [None] * len(entry.marks)
    return CellEdit(entry.text, tuple(types), comment.strip() if sep else None)


@dataclass(frozen=True)
class FinalEdit:
    kind: str  # period | year | exam | final
    value: str
    reason: str


def parse_final_edit(value: str) -> FinalEdit:
    """«5», «5; причина», «н/а», «год 5», «экз 4; причина»."""
    body, _, reason = value.partition(";")
    words = body.split()
    kind = "period"
    if words and words[0].casefold().rstrip(".:") in PERIOD_KINDS_TYPED:
        kind = PERIOD_KINDS_TYPED[words[0].casefold().rstrip(".:")]
        words = words[1:]
    return FinalEdit(kind, " ".join(words), reason.strip())


def cell_edit_text(view: CellLike, work_types: list[tuple[int, str, float]]) -> str:
    """The edit line's text for a saved cell: «н4:1/5:2 # комментарий»."""
    numbers = {name: i for i, (_, name, _) in enumerate(work_types, start=1)}
    numeric = [m for m in view.marks if m.value.isdigit()]
    parts = [
        f"{m.value}:{numbers.get(m.work_type, m.work_type)}" if m.work_type else m.value for m in numeric
    ]
    text = (view.teacher_code or "") + "/".join(parts)
    comments = sorted({m.comment for m in numeric if m.comment})
    if comments:
        text += " # " + "; ".join(comments)
    return text


def cell_details_text(view: CellLike) -> str:
    """«4 — Ответ на уроке; 5 — Контрольная (у доски)» for the read-only view of a cell."""
    parts = []
    for m in view.marks:
        part = m.value + (f" — {m.work_type}" if m.work_type else "")
        if m.comment:
            part += f" ({m.comment})"
        parts.append(part)
    if view.code:
        parts.insert(0, view.code)
    return "; ".join(parts) or t("grid.cell_empty")


__all__ = [
    "PERIOD_KINDS_TYPED",
    "CellEdit",
    "FinalEdit",
    "cell_details_text",
    "cell_edit_text",
    "parse_cell_edit",
    "parse_final_edit",
    "resolve_work_type",
    "work_types_text",
]
