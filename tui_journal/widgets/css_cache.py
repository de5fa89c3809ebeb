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
            global misses
            misses += 1
            rules = _parsed[key] = original(self, css, read_from, is_default_rules, tie_breaker, scope)
        return rules

    Stylesheet._parse_rules = _parse_rules  # type: ignore[method-assign]
    _installed = True

#: Parses that were not in the cache (a session forked from a warm server after
#: :func:`preparse` should add none: ``TUI_JOURNAL_WARM_TRACE`` reports this count).
misses = 0


def _widget_classes() -> list[type]:
    from textual.widget import Widget

    found: list[type] = []
    todo: list[type] = [Widget]
    seen: set[type] = set()
    while todo:
        cls = todo.pop()
        if cls in seen:
            continue
        seen.add(cls)
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def preparse(app: Any) -> int:
    """Parse, into the cache, every stylesheet a session of ``app``'s class and theme can use:
    the app's CSS file and ``CSS``, the ``DEFAULT_CSS`` of every widget class imported so
    far (with the tie-breaker and scope that textual gives it) and each screen's ``CSS``.
    Called by the warm server before it forks (issue 13: per-session CPU); the app is not
    run. Returns the number of sources parsed; a source that fails is skipped (the session
    reports it as textual would)."""
    import inspect

    from textual.css.stylesheet import Stylesheet
    from textual.dom import DOMNode
    from textual.screen import Screen

    install()
    sheet = Stylesheet(variables=app.get_css_variables())
    sources: list[tuple[str, Any, bool, int, str]] = []
    for path in app.css_path or ():
        sheet.read(path)  # textual's own reading; parsed below through the cache
    for read_from, (css, is_default, tie_breaker, scope) in list(sheet.source.items()):
        sources.append((css, read_from, is_default, tie_breaker, scope))
    for read_from, css, tie_breaker, scope in app._get_default_css():
        sources.append((css, read_from, True, tie_breaker, scope))
    if app.CSS:
        try:
            app_path = inspect.getfile(type(app))
        except (TypeError, OSError):
            app_path = ""
        sources.append((app.CSS, (app_path, f"{type(app).__name__}.CSS"), False, 0, ""))
    for cls in _widget_classes():
        node: Any = object.__new__(cls)
        try:
            default = DOMNode._get_default_css(node)
        except Exception:
            continue
        for read_from, css, tie_breaker, scope in default:
            sources.append((css, read_from, True, tie_breaker, scope))
        if issubclass(cls, Screen) and cls.__dict__.get("CSS"):
            try:
                path = inspect.getfile(cls)
            except (TypeError, OSError):
                path = ""
            scope = cls._css_type_name if cls.SCOPED_CSS else ""
            sources.append((cls.CSS, (path, f"{cls.__name__}.CSS"), False, 0, scope))
    done = 0
    for css, read_from, is_default, tie_breaker, scope in sources:
        try:
            sheet._parse_rules(css, read_from, is_default, tie_breaker, scope)
        except Exception:
            continue
        done += 1
    return done
