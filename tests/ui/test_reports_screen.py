"""The reports screen at 80x24: a deputy opens class-progress from the home screen, runs it
in a worker, sees it in the table and exports a CSV into the exports folder (audited)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from peewee import Database
from textual.pilot import Pilot
from textual.widgets import DataTable, OptionList

from tests.export.school import build
from tests.ui.conftest import SIZE, screen_text, settle, type_text
from tests.ui.pilot import app_with_exports, current, open_section, press, push, sections_added
from tui_journal.db.models import AuditEntry
from tui_journal.screens import sections
from tui_journal.screens.report_sections import REPORT_SECTIONS, register_all
from tui_journal.screens.reports import ReportsScreen
from tui_journal.services import roles as R


@pytest.fixture
def report_sections() -> Iterator[None]:
    with sections_added(register_all):
        yield


make_app = app_with_exports


def choose(screen: ReportsScreen, name: str) -> None:
    """Highlight the report ``name`` in the screen's list."""
    names = [spec.name for spec in screen.specs]
    screen.query_one("#report-list", OptionList).highlighted = names.index(name)


async def _open_reports(pilot: Pilot[None]) -> None:
    await open_section(pilot, "section.reports")


def test_the_section_is_offered_to_every_role(report_sections: None) -> None:
    for role in R.ALL_ROLES:
        assert "reports" in {s.key for s in sections.sections_for([role])}
    assert all(s.exists() for s in REPORT_SECTIONS)


async def test_deputy_runs_class_progress_and_exports_csv(
    db: Database, tmp_path: Path, report_sections: None
) -> None:
    w = build()
    out: dict[str, str] = {}

    app = make_app(tmp_path, w.actors["deputy"])
    async with app.run_test(size=SIZE) as pilot:
        await _open_reports(pilot)
        screen = current(app, ReportsScreen)
        out["list"] = screen_text(app)
        out["names"] = " ".join(spec.name for spec in screen.specs)
        choose(screen, "class-progress")
        await settle(pilot)
        screen.query_one("#report-class").focus()
        await type_text(pilot, "7А")
        screen.query_one("#report-period").focus()
        await type_text(pilot, "1 четверть")
        out["shown"] = await press(pilot, "enter")
        table = screen.query_one("#report-table", DataTable)
        out["rows"] = str(table.row_count)
        out["first"] = " | ".join(str(cell) for cell in table.get_row_at(0))
        out["saved"] = await press(pilot, "f4")
    assert "Успеваемость класса" in out["list"] and "Класс" in out["list"] and "Период" in out["list"]
    assert "monitoring" in out["names"]
    assert "R-REP" not in out["list"] and "R-" not in out["shown"]  # requirement ids stay in the docs
    assert "credentials" not in out["names"]  # the deputy cannot issue passwords
    assert "Математика" in out["shown"] and "Число  отметок" in out["shown"]
    assert out["first"].startswith("Математика | Математиков М. М. | 6 | 1 | 2 | 1 | 1 | 1 | 1 | 66,67 | 50,00 | 47,83 | 3,60")
    assert out["rows"] == "5"  # four subjects and the class total
    files = list((tmp_path / "exports").glob("class-progress_7А_*.csv"))
    assert len(files) == 1, files
    rows = list(csv.DictReader(io.StringIO(files[0].read_text(encoding="utf-8"))))
    assert rows[0]["subject"] == "Математика" and rows[0]["success_pct"] == "66.67"
    assert "Сохранено" in out["saved"]
    # the whole path is on screen (wrapped in the status area), not cut at 80 columns
    flat = "".join(out["saved"].split())
    assert files[0].name in flat and str(tmp_path / "exports") in flat
    exports = [str(e.new_value) for e in AuditEntry.select().where(AuditEntry.action == "export").order_by(AuditEntry.id)]
    assert len(exports) == 2
    assert "Формат: screen" in exports[0] and "Формат: csv" in exports[1]


async def test_a_refusal_is_shown_on_the_status_line(
    db: Database, tmp_path: Path, report_sections: None
) -> None:
    w = build()
    out: dict[str, str] = {}

    app = make_app(tmp_path, w.actors["math"])
    async with app.run_test(size=SIZE) as pilot:
        await push(pilot, ReportsScreen())
        screen = current(app, ReportsScreen)
        choose(screen, "class-progress")
        screen.query_one("#report-class").focus()
        await type_text(pilot, "7Б")  # he does not teach 7Б
        out["text"] = await press(pilot, "enter")
    assert "Недостаточно прав" in out["text"]
