"""One stylesheet: the screens' layout is in app.tcss (shared classes, and a screen's own rules
under its type); inline CSS is only a widget's own defaults."""

from __future__ import annotations

import importlib
import pkgutil

from textual.screen import Screen

import tui_journal.screens


def _screen_classes() -> list[type[Screen]]:
    for module in pkgutil.iter_modules(tui_journal.screens.__path__):
        importlib.import_module(f"tui_journal.screens.{module.name}")
    found: list[type[Screen]] = []
    todo: list[type[Screen]] = [Screen]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("tui_journal."):
            found.append(cls)
    return found


def test_screens_carry_no_css_of_their_own() -> None:
    screens = _screen_classes()
    assert len(screens) > 20
    inline = [f"{cls.__module__}.{cls.__name__}" for cls in screens if {"CSS", "DEFAULT_CSS"} & set(vars(cls))]
    assert inline == [], "a screen's layout goes into app.tcss"
