"""Failures in the app: a full database sends the typed mark to the pending queue with its own
message; a bug in a service call is logged with its traceback and shown as «Внутренняя ошибка»."""

from __future__ import annotations

from pathlib import Path

import pytest
from peewee import Database

from tests.services.test_db_failures import fill_to_the_limit
from tests.services.world import build_world
from tests.ui.conftest import SIZE, screen_text, settle
from tests.ui.conftest import make_app as make_plain_app
from tests.ui.pilot import status
from tests.ui.test_grid import cell_marks, make_app, open_grid, ref_of, settings_for
from tui_journal.db.models import database_proxy
from tui_journal.screens.grid_lane import pending_dir
from tui_journal.services import school
from tui_journal.services.pending import PendingQueue


async def test_a_full_database_queues_the_mark_with_its_own_message(db: Database, tmp_path: Path) -> None:
    w = build_world()
    ref, teacher = ref_of(w)
    lesson, pupil = w.lessons["7А"], w.students["7А"]
    fill_to_the_limit(w)
    before = cell_marks(lesson.id, pupil.id)
    queue = PendingQueue(pending_dir(settings_for(tmp_path)), teacher.login)
    seen: dict[str, object] = {}

    app = make_app(tmp_path, actor=teacher)
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(pilot, ref)
        grid.focus()
        await pilot.press("3")
        await settle(pilot)
        seen["status"] = status(app)
        seen["screen"] = screen_text(app)
        seen["queued"] = [(c.lesson_id, c.student_id, c.text) for c in queue.items()]
        seen["unsaved"] = grid.is_unsaved(pupil.id, lesson.id)
    assert str(seen["status"]).startswith("Диск сервера заполнен:"), seen["status"]
    assert "НЕ СОХРАНЕНО" in str(seen["status"]) and "cannot rollback" not in str(seen["screen"])
    assert seen["queued"] == [(lesson.id, pupil.id, "3")] and seen["unsaved"] is True
    assert before != ["3"]
    assert cell_marks(lesson.id, pupil.id) == before  # nothing half-written; the queue keeps it


async def test_a_read_only_database_queues_the_mark_with_its_own_message(
    db: Database, tmp_path: Path
) -> None:
    w = build_world()
    ref, teacher = ref_of(w)
    lesson, pupil = w.lessons["7А"], w.students["7А"]
    database_proxy.obj.pragma("query_only", 1, permanent=True)  # every connection of the app
    queue = PendingQueue(pending_dir(settings_for(tmp_path)), teacher.login)

    app = make_app(tmp_path, actor=teacher)
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(pilot, ref)
        grid.focus()
        await pilot.press("3")
        await settle(pilot)
        shown_status = status(app)
    assert shown_status.startswith("База только для чтения:") and "НЕ СОХРАНЕНО" in shown_status, shown_status
    assert [(c.lesson_id, c.student_id, c.text) for c in queue.items()] == [(lesson.id, pupil.id, "3")]
    assert cell_marks(lesson.id, pupil.id) == ["4"]


async def test_a_bug_in_a_service_call_is_logged_and_named(
    db: Database, log_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = build_world()

    def broken(school_id: int) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(school, "get_school", broken)

    app = make_plain_app(actor=w.actors["admin"])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown_status = status(app)
    assert shown_status == f"Внутренняя ошибка, подробности в журнале программы ({log_file})"
    text = log_file.read_text(encoding="utf-8")
    assert "ZeroDivisionError: a bug" in text and "Traceback" in text and "HomeScreen" in text


async def test_an_unhandled_exception_in_the_app_is_logged(db: Database, log_file: Path) -> None:
    from textual.screen import Screen

    build_world()

    class Broken(Screen[None]):
        def on_mount(self) -> None:
            raise RuntimeError("broken screen")

    async def main() -> None:
        app = make_plain_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await app.push_screen(Broken())
            await pilot.pause()

    with pytest.raises(RuntimeError, match="broken screen"):  # textual re-raises it in tests
        await main()
    text = log_file.read_text(encoding="utf-8")
    assert "RuntimeError: broken screen" in text and "Traceback" in text
