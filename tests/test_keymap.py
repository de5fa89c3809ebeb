"""The keymap: Russian-layout twins are generated, every binding has an id."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest
from textual.binding import Binding

import tui_journal
import tui_journal.screens
import tui_journal.widgets
from tui_journal.keymap import bind, bind_code, twins, with_twins

CYRILLIC = re.compile(r"[\u0400-\u04ff]")
PACKAGE = Path(tui_journal.__file__).parent


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        # the strings the screens listed by hand before the keymap
        ("r,R", "r,к,R,К"),
        ("t,T", "t,е,T,Е"),
        ("c,C", "c,с,C,С"),
        ("s,S", "s,ы,S,Ы"),
        ("a,A", "a,ф,A,Ф"),
        ("m,M", "m,ь,M,Ь"),
        ("w,W", "w,ц,W,Ц"),
        ("d,D", "d,в,D,В"),
        ("p,P", "p,з,P,З"),
        ("k,K", "k,л,K,Л"),
        ("left_square_bracket", "left_square_bracket,х,Х"),
        ("right_square_bracket", "right_square_bracket,ъ,Ъ"),
        ("semicolon", "semicolon,ж,Ж"),
        ("apostrophe", "apostrophe,э,Э"),
        ("comma", "comma,б,Б"),
        ("full_stop", "full_stop,ю,Ю"),
        # keys that are not letters get no twin
        ("f2,ctrl+s", "f2,ctrl+s"),
        ("escape", "escape"),
        ("ctrl+z", "ctrl+z"),
        ("delete,minus", "delete,minus"),
        ("enter", "enter"),
        ("1", "1"),
    ],
)
def test_twins_are_generated(written: str, expected: str) -> None:
    assert with_twins(written) == expected


def test_whole_layout() -> None:
    latin = "qwertyuiopasdfghjklzxcvbnm"
    russian = "йцукенгшщзфывапролдячсмить"
    assert [twins(ch)[0] for ch in latin] == list(russian)
    assert [twins(ch.upper())[0] for ch in latin] == list(russian.upper())
    assert twins("ctrl+r") == [] and twins("f5") == []


def test_a_hand_written_cyrillic_key_is_refused() -> None:
    with pytest.raises(ValueError):
        with_twins("r,к")


def test_bind_sets_id_and_keys() -> None:
    binding = bind("x.timetable", "r,R", "timetable", "Расписание", key_display="R")
    assert binding == Binding("r,к,R,К", "timetable", "Расписание", key_display="R", id="x.timetable")
    code = bind_code("x.code_n", "н", "n", "mark", show=False)
    assert code == Binding("н,Н,n,N", "mark('н')", show=False, id="x.code_n")


def _ui_classes() -> list[type]:
    classes: list[type] = []
    for package in (tui_journal.screens, tui_journal.widgets):
        for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            module = importlib.import_module(info.name)
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if cls.__module__ == module.__name__ and "BINDINGS" in cls.__dict__:
                    classes.append(cls)
    return classes


def test_every_binding_has_an_id_unique_in_its_class() -> None:
    classes = _ui_classes()
    assert len(classes) > 20
    count = 0
    for cls in classes:
        ids: list[str] = []
        for binding in cls.__dict__["BINDINGS"]:
            assert isinstance(binding, Binding), (cls, binding)
            assert binding.id, (cls, binding)
            ids.append(binding.id)
            count += 1
        assert len(ids) == len(set(ids)), (cls, ids)
    assert count > 150


def test_no_binding_lists_a_cyrillic_key_by_hand() -> None:
    # Binding("…к…", …) or bind("id", "…к…", …): the keys string must be Latin only.
    patterns = [
        re.compile(r'\bBinding\(\s*(["\'])(?P<keys>.*?)\1'),
        re.compile(r'\bbind\(\s*(["\']).*?\1\s*,\s*(["\'])(?P<keys>.*?)\2'),
    ]
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for pattern in patterns:
            for match in pattern.finditer(text):
                if CYRILLIC.search(match.group("keys")):
                    offenders.append(f"{path.relative_to(PACKAGE)}: {match.group(0)}")
    assert offenders == []


def test_screens_and_widgets_use_the_keymap() -> None:
    for folder in ("screens", "widgets"):
        for path in (PACKAGE / folder).rglob("*.py"):
            assert "Binding(" not in path.read_text(encoding="utf-8"), path


async def test_set_keymap_remaps_a_binding_by_its_id() -> None:
    from textual.app import App

    class Probe(App[None]):
        BINDINGS = [bind("probe.hit", "r,R", "hit")]  # noqa: RUF012
        hits = 0

        def action_hit(self) -> None:
            self.hits += 1

    app = Probe()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("к")  # the Russian twin fires
        assert app.hits == 1
        app.set_keymap({"probe.hit": "f6"})
        await pilot.press("r")
        assert app.hits == 1
        await pilot.press("f6")
        assert app.hits == 2
