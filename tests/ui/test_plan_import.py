"""The plan comes in by pasting rows from a spreadsheet, never from a server path typed on
the screen; a replaced plan comes back with F7 (Pilot at 80x24, real SQLite)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from peewee import Database
from textual import events
from textual.pilot import Pilot
from textual.widgets import TextArea

from tests.services.world import build_world, fingerprint
from tests.ui.conftest import SIZE, screen_text, settle, type_text
from tests.ui.pilot import press
from tests.ui.test_roll_lesson_plan import make_app, push, ref_of
from tui_journal.db.models import AuditEntry, PlanItem
from tui_journal.screens.plan import PlanScreen


def _topics() -> list[str]:
    return [p.topic for p in PlanItem.select().order_by(PlanItem.ordinal)]


async def _paste(pilot: Pilot[None], text: str) -> None:
    """What the terminal's bracketed paste turns into: one Paste event from the driver."""
    pilot.app.post_message(events.Paste(text))
    await settle(pilot)


async def test_pasted_rows_replace_the_plan_after_confirmation_and_f7_brings_it_back(
    db: Database, tmp_path: Path
) -> None:
    world = build_world()
    teacher = world.actors["teacher"]
    shots: dict[str, str] = {}
    steps: list[list[str]] = []

    app = make_app(tmp_path, teacher)
    async with app.run_test(size=SIZE) as pilot:
        await push(pilot, PlanScreen(ref_of(world)))
        shots["box"] = await press(pilot, "f4")
        # rows copied from a spreadsheet: № column, tabs, \r\n, a bad line first
        await _paste(pilot, "1\tНатуральные числа\t3\r\n2\tСложение\tмного\r\n")
        shots["errors"] = screen_text(app)
        steps.append(_topics())
        box = app.screen.query_one("#plan-paste", TextArea)
        box.clear()
        await _paste(pilot, "1\tНатуральные числа\t3\r\n2\tКонтрольная работа № 1\t1\tконтр.\r\n")
        shots["confirm"] = screen_text(app)
        steps.append(_topics())
        shots["imported"] = await press(pilot, "enter")
        steps.append(_topics())
        shots["restore"] = await press(pilot, "f7")
        await pilot.press("escape")  # no: nothing changes
        await settle(pilot)
        steps.append(_topics())
        await pilot.press("f7")
        await settle(pilot)
        shots["restored"] = await press(pilot, "enter")
        steps.append(_topics())
    assert "Вставьте строки из таблицы" in shots["box"]
    assert "строка 2: «много» — не число часов" in shots["errors"]
    assert "Заменить КТП: было тем 2, станет 2?" in shots["confirm"]
    assert steps[0] == steps[1] == ["Дроби", "Проценты"]
    assert steps[2] == ["Натуральные числа", "Контрольная работа № 1"]
    assert "Натуральные числа" in shots["imported"] and "Загружено тем: 2" in shots["imported"]
    assert "Вернуть прежний КТП (тем 2)?" in shots["restore"]
    assert steps[3] == steps[2]
    assert steps[4] == ["Дроби", "Проценты"] and "Прежний план возвращён: тем 2" in shots["restored"]
    replaced = AuditEntry.get((AuditEntry.entity == "plan") & (AuditEntry.action == "import"))
    assert replaced.old_value == "Дроби; 1; обычный\nПроценты; 1; обычный" and replaced.actor_name == "teacher"


async def test_a_typed_server_path_is_never_read(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build_world()
    secret = tmp_path / "config.toml"
    secret.write_text('db_url = "postgresql://journal:SECRET-PASSWORD@db/journal"\n', encoding="utf-8")
    monkeypatch.setenv("TUI_JOURNAL_CONFIG", str(secret))
    opened: list[str] = []
    real_open = Path.open

    def spy_open(self: Path, *args: Any, **kwargs: Any) -> Any:  # records reads; the file is real
        opened.append(str(self))
        return real_open(self, *args, **kwargs)

    before = fingerprint()
    shots: list[str] = []

    app = make_app(tmp_path, world.actors["teacher"])
    async with app.run_test(size=SIZE) as pilot:
        await push(pilot, PlanScreen(ref_of(world)))
        monkeypatch.setattr(Path, "open", spy_open)
        for path in ("/etc/passwd", str(secret)):
            await type_text(pilot, path)  # on the table
            await pilot.press("enter")
            await settle(pilot)
            shots.append(screen_text(app))
            await pilot.press("f4")  # in the import box
            await type_text(pilot, path)
            await pilot.press("enter")
            await pilot.press("f2")
            await settle(pilot)
            shots.append(screen_text(app))
            await pilot.press("escape")  # the confirmation (a topic named like a path) is refused
            await pilot.press("escape")  # and the box closed
            await settle(pilot)
            shots.append(screen_text(app))
            await pilot.press("insert")  # the edit line takes text, never a file
            await type_text(pilot, path)
            await pilot.press("escape", "escape")  # a typed line: the first Esc asks, the second drops it
            await settle(pilot)
    text = "\n".join(shots)
    assert "root:" not in text and "SECRET-PASSWORD" not in text
    assert not [p for p in opened if p in ("/etc/passwd", str(secret))]
    assert _topics() == ["Дроби", "Проценты"]
    assert fingerprint() == before


async def test_a_paste_on_the_table_opens_the_box_and_esc_changes_nothing(
    db: Database, tmp_path: Path
) -> None:
    world = build_world()
    before = fingerprint()
    shots: list[str] = []

    app = make_app(tmp_path, world.actors["teacher"])
    async with app.run_test(size=SIZE) as pilot:
        await push(pilot, PlanScreen(ref_of(world)))
        await _paste(pilot, "Степени;2;\nКорни;1;контр\n")  # CSV lines from Excel, no F4
        shots.append(screen_text(app))
        await pilot.press("escape")  # not now: back to the pasted rows
        await settle(pilot)
        shots.append(screen_text(app))
        await pilot.press("escape")  # close the box
        await settle(pilot)
        shots.append(screen_text(app))
    assert "Заменить КТП: было тем 2, станет 2?" in shots[0]
    assert "Корни" in shots[1] and "Вставьте строки из таблицы" in shots[1]
    assert "Корни" not in shots[2] and "Загрузка отменена, план не изменён" in shots[2]
    assert _topics() == ["Дроби", "Проценты"] and fingerprint() == before
