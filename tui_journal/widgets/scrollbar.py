"""Scrollbars without eighth-block glyphs when the app runs in safe-glyph mode.

The Linux console cannot draw the ▁▂▃ / ▉▊▋ glyphs textual uses for the ends of a scrollbar
thumb (textual issue 5011). In safe-glyph mode the thumb is drawn with whole cells only.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.scrollbar import ScrollBar, ScrollBarRender


class WholeCellScrollBarRender(ScrollBarRender):
    """Thumb ends rounded to whole cells: only spaces and colours are sent."""

    VERTICAL_BARS: ClassVar[list[str]] = [" "] * 8
    HORIZONTAL_BARS: ClassVar[list[str]] = [" "] * 8


class AdaptiveScrollBarRender(ScrollBarRender):
    """Draws like textual's renderer unless the running app asks for safe glyphs."""

    @classmethod
    def render_bar(cls, *args: Any, **kwargs: Any) -> Any:
        if _running_app_wants_safe_glyphs():
            return WholeCellScrollBarRender.render_bar(*args, **kwargs)
        return super().render_bar(*args, **kwargs)


def _running_app_wants_safe_glyphs() -> bool:
    try:
        from textual._context import active_app

        app = active_app.get()
    except (ImportError, LookupError):
        return False
    return bool(getattr(app, "safe_glyphs", False))


def install() -> None:
    """Make every scrollbar of this process use :class:`AdaptiveScrollBarRender` (idempotent)."""
    if ScrollBar.renderer is ScrollBarRender:
        ScrollBar.renderer = AdaptiveScrollBarRender
