"""What a key costs on the wire: the bytes the app writes to an 80x24 xterm-256color terminal.

The app runs under Pilot with a driver that keeps what textual writes (the headless driver
writes nothing). Bytes are deterministic, unlike time, so the bounds are the goals of issue
13 with room (twice the goal); ``bench/wire_bench.py`` prints the real figures.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from textual import constants as textual_constants
from textual.pilot import Pilot

from tests.services.world import World, make_student
from tests.ui.conftest import SIZE, settle
from tests.ui.conftest import make_app as ui_make_app
from tests.ui.pilot import Wire, push
from tui_journal.app import JournalApp
from tui_journal.db.models import Lesson
from tui_journal.screens import roll
from tui_journal.screens.base import JournalScreen
from tui_journal.screens.journal_grid import JournalGridScreen
from tui_journal.screens.roll import RollScreen
from tui_journal.services import journal
from tui_journal.services.actor import Actor
from tui_journal.widgets import grid_layout
from tui_journal.widgets.status import StatusLine

DAY = dt.date(2026, 11, 28)
MARK_GOAL, CURSOR_GOAL, ROLL_GOAL = 200, 300, 500


_SGR = re.compile(r"\x1b\[[0-9;]*m")
SGR_BYTES = 20  # «ESC[38;5;253;48;5;233m»: a foreground and a background in 256 colours


def size(data: str) -> int:
    """Bytes as an xterm-256color session gets them, with every colour change counted at its
    256-colour length: a style rendered earlier in the same test process may reach the output
    as a 24-bit code, and the figure must measure what is painted, not the process's past."""

    def sgr(match: re.Match[str]) -> str:
        return match.group(0) if match.group(0) == "\x1b[0m" else "x" * SGR_BYTES

    return len(_SGR.sub(sgr, data).encode())


def rows_painted(data: str) -> list[int]:
    """The screen rows a chunk of output moves to (one entry per cursor move)."""
    return [int(y) for y, _x in re.findall(r"\x1b\[(\d+);(\d+)H", data)]


@pytest.fixture
def slow_enough(monkeypatch: pytest.MonkeyPatch) -> None:
    """Generous waits, so that a loaded machine cannot split the first frame: the test is
    about how many times the screen is sent, not about how fast it comes."""
    monkeypatch.setattr(JournalGridScreen, "FIRST_PAINT_WAIT", 10.0)
    monkeypatch.setattr(JournalScreen, "PAINT_HOLD", 0.3)
    # a save slower than this shows «*» first: on a loaded machine it may be, which is
    # right for the user but not what this test counts
    monkeypatch.setattr(grid_layout, "PENDING_PAINT_DELAY", 10.0)
    monkeypatch.setattr(roll, "PENDING_PAINT_DELAY", 10.0)
    # what an xterm-256color SSH session gets, whatever the test process's own terminal is
    monkeypatch.setattr(textual_constants, "COLOR_SYSTEM", "256")


def make_app(tmp_path: Path, actor: Actor) -> tuple[JournalApp, Wire]:
    """The teacher's app at 80x24, writing to a :class:`Wire` (run it with ``headless=False``)."""
    app = ui_make_app(actor=actor, settings={"exports_dir": str(tmp_path / "exports")})
    wire = Wire()
    wire.attach(app)
    return app, wire


async def open_grid(pilot: Pilot[None], wire: Wire, ref: journal.JournalRef) -> str:
    await settle(pilot)
    wire.take()
    pilot.app.push_screen(JournalGridScreen(ref, today=DAY))
    await settle(pilot)
    await pilot.pause(0.5)
    await settle(pilot)
    return wire.take()


async def test_grid_opens_in_one_frame_and_keys_cost_little(
    world: World, tmp_path: Path, slow_enough: None
) -> None:
    cls = world.classes["7А"]
    for i in range(25):  # a school class: more pupils and lessons than fit the screen
        make_student(world.school, cls, f"Ученикович{i:02d}", "Пётр")
    for d in range(0, 44, 2):
        Lesson.create(
            school_class=cls, subject=world.subjects["math"], date=dt.date(2026, 11, 6) + dt.timedelta(days=d),
            number=3, teacher=world.users["teacher"], topic="Делимость чисел: обобщение и систематизация знаний",
        )
    ref = journal.JournalRef(cls.id, "7А", world.subjects["math"].id, "Математика", writable=True)
    out: dict[str, str] = {}

    app, wire = make_app(tmp_path, world.actors["teacher"])
    async with app.run_test(size=SIZE, headless=False) as pilot:
        out["open"] = await open_grid(pilot, wire, ref)
        app.screen.refresh()  # one whole frame, to compare the opening with
        await settle(pilot)
        out["frame"] = wire.take()
        for name, key in (("down", "down"), ("up", "up"), ("left", "left"), ("right", "right")):
            await pilot.press(key)
            await settle(pilot)
            await pilot.pause(JournalGridScreen.INFO_DELAY + 0.2)  # the info line follows
            await settle(pilot)
            out[name] = wire.take()
        await pilot.press("3")
        await settle(pilot)
        await pilot.pause(0.3)
        await settle(pilot)
        out["mark"] = wire.take()
        await pilot.press("down", "2")  # another pupil, another mark: the status changes too
        await settle(pilot)
        await pilot.pause(0.3)
        await settle(pilot)
        wire.take()
        await pilot.press("up")
        await settle(pilot)
        await pilot.pause(0.3)
        wire.take()
        await pilot.press("4")
        await settle(pilot)
        await pilot.pause(0.3)
        await settle(pilot)
        out["mark again"] = wire.take()
    frame = size(out["frame"])
    assert frame > 2000  # it is a whole screen
    # once: not an empty «loading» frame and then two repaints of the grid (3-4 frames before)
    assert size(out["open"]) < 1.3 * frame, (size(out["open"]), frame)
    assert sorted(set(rows_painted(out["open"]))) == list(range(1, 25))
    for name in ("down", "up", "left", "right"):
        assert 0 < size(out[name]) < 2 * CURSOR_GOAL, (name, size(out[name]), out[name])
    for name in ("mark", "mark again"):
        assert "Сохранено" in out[name]
        assert 0 < size(out[name]) < 2 * MARK_GOAL, (name, size(out[name]), out[name])
        # the cell is sent once: not first as «not saved» and then again as saved
        assert out[name].count("*") == 0


async def test_roll_space_repaints_one_row_not_the_table(
    world: World, tmp_path: Path, slow_enough: None
) -> None:
    for i in range(25):
        make_student(world.school, world.classes["7А"], f"Ученикович{i:02d}", "Пётр")
    out: dict[str, str] = {}

    app, wire = make_app(tmp_path, world.actors["teacher"])
    async with app.run_test(size=SIZE, headless=False) as pilot:
        await push(pilot, RollScreen(day=dt.date(2026, 11, 27)))
        await pilot.press("enter")  # his one lesson of the day
        await settle(pilot)
        await pilot.pause(0.5)
        wire.take()
        await pilot.press("space")
        await settle(pilot)
        await pilot.pause(0.3)
        await settle(pilot)
        out["space"] = wire.take()
        await pilot.press("down")
        await settle(pilot)
        out["down"] = wire.take()
        status_row = app.screen.query_one(StatusLine).region.y + 1  # above the keys (one or two rows)
    assert "отсутствует" in out["space"] or "без уважительной" in out["space"]
    assert 0 < size(out["space"]) < 2 * ROLL_GOAL, (size(out["space"]), out["space"])
    # the changed row and the row the cursor went to, and the status line: nothing else
    assert len(set(rows_painted(out["space"])) - {1, status_row}) <= 2, out["space"]
    assert size(out["down"]) < 2 * CURSOR_GOAL
