"""Undo of the grade grid (Ctrl+Z): what a change replaced, and how the undo is reported."""

from __future__ import annotations

from dataclasses import dataclass

from tui_journal.i18n import t

#: How many changes Ctrl+Z can take back.
UNDO_DEPTH = 200


@dataclass(frozen=True)
class UndoCell:
    lesson_id: int
    student_id: int
    old_text: str


@dataclass(frozen=True)
class UndoFinal:
    student_id: int
    old_value: str



def undo_text(where: str, undone: str, restored: str) -> str:
    """«Отменено: Иванов П., 12.11 — «4» убрана» (or «… — снова «5», было «4»»)."""
    if not restored:
        key = "grid.undone_removed" if any(c.isdigit() for c in undone) else "grid.undone_removed_code"
        return t(key, where=where, text=undone)
    if not undone:
        return t("grid.undone_back", where=where, text=restored)
    return t("grid.undone_changed", where=where, text=restored, was=undone)


__all__ = ["UNDO_DEPTH", "UndoCell", "UndoFinal", "undo_text"]
