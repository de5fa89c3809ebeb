"""Parse the stylesheets once per process, not once per session (issue 13: first paint).

Textual parses every CSS source (the app's ``app.tcss`` and each widget's DEFAULT_CSS) for
each App instance: ~80 ms of the ~150 ms of CPU that a session started in a warm process
spent before its first frame. The parsed rules depend only on the source text, its place,
its scope and the theme's variables, and textual does not change them after parsing (it
already reuses them between re-parses of one stylesheet), so they are kept here for every
App of the process: a warm fork server parses once and each forked session starts with the
rules in memory (shared copy-on-write).
"""

from __future__ import annotations

from typing import Any

_parsed: dict[tuple[Any, ...], Any] = {}
_installed = False


def install() -> None:
    """Wrap textual's ``Stylesheet._parse_rules`` with a process-wide cache (idempotent)."""
    global _installed
    if _installed:
        return
    from textual.css.stylesheet import Stylesheet

    original = Stylesheet._parse_rules

    def _parse_rules(
        self: Stylesheet,
        css: str,
        read_from: Any,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> Any:
        variables = tuple(sorted(self._variables.items()))
        key = (css, read_from, is_default_rules, tie_breaker, scope, variables)
        rules = _parsed.get(key)
        if rules is None:
            rules = _parsed[key] = original(self, css, read_from, is_default_rules, tie_breaker, scope)
        return rules

    Stylesheet._parse_rules = _parse_rules  # type: ignore[method-assign]
    _installed = True
