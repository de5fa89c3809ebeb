"""Russian strings of one area (see the package docstring for how parts are merged)."""

from __future__ import annotations

RU: dict[str, str] = {
    "grid.saved_short": "Сохранено: {text}",
}
