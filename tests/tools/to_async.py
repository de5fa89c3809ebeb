"""Turn old-style Pilot tests into pytest-asyncio tests, in place.

Old style::

    def test_x(admin):
        async def main():
            app = make_app()
            async with app.run_test(size=SIZE) as pilot:
                ...
            return app, home

        app, home = asyncio.run(main())
        assert home

New style (``asyncio_mode = "auto"`` in pyproject.toml)::

    async def test_x(admin):
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            ...
        app, home = app, home
        assert home

Rules: a sync ``test_*`` function that calls ``asyncio.run(CALL)`` becomes ``async def`` and
the call becomes ``await CALL``. When CALL is a local ``async def`` without parameters that
is called once and returns only as its last statement (possibly inside ``async with``/
``with``/``if``/``try``), its body is inlined in place of the call (``return X`` becomes
``TARGET = X``, ``nonlocal`` lines go); otherwise the local coroutine stays and is awaited.
Tests decorated with hypothesis' ``@given`` and functions that are not tests are left alone
(listed on stderr when they call ``asyncio.run``). Run ``ruff check --fix`` afterwards
(unused ``import asyncio``) and then the converted files.

Usage: ``python -m tests.tools.to_async tests/ui/test_a.py [more files…]`` (``--check``
only lists what would change).
"""

from __future__ import annotations

import ast
import itertools
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TypeGuard


def _is_asyncio_run(node: ast.AST) -> TypeGuard[ast.Call]:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "run"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "asyncio"
        and len(node.args) == 1
        and not node.keywords
    )


def _decorated_with_given(fn: ast.FunctionDef) -> bool:
    for d in fn.decorator_list:
        target = d.func if isinstance(d, ast.Call) else d
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        if name == "given":
            return True
    return False


def _own_returns(fn: ast.AsyncFunctionDef) -> list[ast.Return]:
    """The return statements of ``fn`` itself (not of functions nested in it)."""
    found: list[ast.Return] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
                continue
            if isinstance(child, ast.Return):
                found.append(child)
            visit(child)

    visit(fn)
    return found


def _tail_returns(body: list[ast.stmt]) -> set[int]:
    """ids of the return statements in tail position of ``body``."""
    if not body:
        return set()
    last = body[-1]
    if isinstance(last, ast.Return):
        return {id(last)}
    if isinstance(last, (ast.With, ast.AsyncWith)):
        return _tail_returns(last.body)
    if isinstance(last, ast.If):
        return _tail_returns(last.body) | _tail_returns(last.orelse)
    if isinstance(last, ast.Try) and not last.finalbody and not last.orelse:
        out = _tail_returns(last.body)
        for h in last.handlers:
            out |= _tail_returns(h.body)
        return out
    return set()


def _uses_name(nodes: Sequence[ast.AST], name: str) -> int:
    return sum(
        1 for n in nodes for sub in ast.walk(n) if isinstance(sub, ast.Name) and sub.id == name
    )


class Edit:
    def __init__(self, start: int, end: int, lines: list[str]) -> None:
        self.start, self.end, self.lines = start, end, lines  # 1-based, inclusive


def convert_source(source: str, path: str = "<source>") -> tuple[str, list[str]]:
    """The converted source and notes about what was left alone."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    edits: list[Edit] = []
    notes: list[str] = []

    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef):
            continue
        runs = [n for n in ast.walk(fn) if _is_asyncio_run(n)]
        if not runs:
            continue
        if not fn.name.startswith("test_") or _decorated_with_given(fn) or fn not in tree.body:
            notes.append(f"{path}:{fn.lineno}: {fn.name} calls asyncio.run: left alone")
            continue
        def_line = lines[fn.lineno - 1]
        assert def_line.lstrip().startswith("def "), (path, fn.lineno)
        edits.append(Edit(fn.lineno, fn.lineno, [def_line.replace("def ", "async def ", 1)]))
        local_coros = {
            s.name: s for s in fn.body if isinstance(s, ast.AsyncFunctionDef)
        }
        for stmt in fn.body:
            if isinstance(stmt, ast.AsyncFunctionDef):
                continue
            calls = [n for n in ast.walk(stmt) if _is_asyncio_run(n)]
            kept: list[ast.Call] = []
            for call in calls:
                inner = call.args[0]
                name = inner.func.id if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) else ""
                coro = local_coros.get(name)
                inline = (
                    coro is not None
                    and isinstance(inner, ast.Call)
                    and not inner.args
                    and not inner.keywords
                    and not coro.args.args
                    and not coro.decorator_list
                    and _uses_name(fn.body, name) == 1
                    and isinstance(stmt, (ast.Expr, ast.Assign))
                    and stmt.value is call
                    and all(id(r) in _tail_returns(coro.body) for r in _own_returns(coro))
                )
                if inline:
                    assert coro is not None
                    edits.extend(_inline(lines, fn, stmt, coro))
                    local_coros.pop(name)
                else:
                    kept.append(call)
            if kept:
                edits.append(_await_in_place(lines, stmt, kept))
    if not edits:
        return source, notes
    edits.sort(key=lambda e: e.start)
    # Apply from the bottom so that line numbers above stay valid; overlapping edits are a bug.
    for a, b in itertools.pairwise(edits):
        if b.start <= a.end:
            raise ValueError(f"{path}: overlapping edits at lines {a.start}-{a.end} and {b.start}-{b.end}")
    for e in reversed(edits):
        lines[e.start - 1 : e.end] = e.lines
    return "".join(lines), notes


def _await_in_place(lines: list[str], stmt: ast.stmt, calls: list[ast.Call]) -> Edit:
    """Every ``asyncio.run(X)`` of ``stmt`` -> ``await X`` (same lines); in parentheses unless
    it is a whole statement or the whole value assigned."""
    start, end = stmt.lineno, stmt.end_lineno or stmt.lineno
    whole = {
        id(n.value)
        for n in ast.walk(stmt)
        if isinstance(n, (ast.Expr, ast.Assign, ast.AnnAssign, ast.Return)) and n.value is not None
    }
    chunk = "".join(lines[start - 1 : end])

    def offset(lineno: int, col: int) -> int:
        return len("".join(lines[start - 1 : lineno - 1])) + _byte_to_char(lines[lineno - 1], col)

    spans = sorted(
        (
            (offset(c.lineno, c.col_offset), offset(c.end_lineno or c.lineno, c.end_col_offset or 0), id(c) not in whole)
            for c in calls
        ),
        reverse=True,
    )
    for head, tail, parens in spans:
        text = chunk[head:tail]
        assert text.startswith("asyncio.run(") and text.endswith(")"), text
        new = "await " + text[len("asyncio.run(") : -1]
        if parens:
            new = f"({new})"
        chunk = chunk[:head] + new + chunk[tail:]
    return Edit(start, end, [chunk])


def _same(target: str, value: str) -> bool:
    def norm(text: str) -> str:
        return "".join(text.split()).strip("()").rstrip(",")

    return norm(target) == norm(value)


def _byte_to_char(line: str, col: int) -> int:
    return len(line.encode("utf-8")[:col].decode("utf-8"))


def _inline(lines: list[str], fn: ast.FunctionDef, stmt: ast.stmt, coro: ast.AsyncFunctionDef) -> list[Edit]:
    target = ""
    if isinstance(stmt, ast.Assign):
        seg = "".join(lines[stmt.lineno - 1 : stmt.end_lineno])
        # the text before "asyncio.run(" on the statement's first line is the target and " = "
        first = lines[stmt.lineno - 1]
        target = first[: first.index("asyncio.run(")].strip().rstrip("=").strip()
        del seg
    body_start = coro.body[0].lineno
    # keep comment lines between the def line and the first statement
    header_end = coro.lineno
    while not lines[header_end - 1].rstrip().endswith(":"):
        header_end += 1
    body_lines = lines[header_end : coro.end_lineno]
    del body_start
    returns = {r.lineno: r for r in _own_returns(coro)}
    out: list[str] = []
    skip_until = 0
    for offset, line in enumerate(body_lines):
        lineno = header_end + 1 + offset
        if lineno <= skip_until:
            continue
        stripped = line.lstrip()
        if stripped.startswith("nonlocal "):
            continue
        r = returns.get(lineno)
        if r is not None:
            indent = line[: len(line) - len(stripped)]
            end = r.end_lineno or lineno
            text = "".join(lines[lineno - 1 : end])[len(indent) :]
            value = text[len("return") :].strip()
            skip_until = end
            if target and value and _same(target, value):
                pass  # ``app, home = app, home``: the names are there already
            elif target and value:
                out.append(f"{indent}{target} = {value}\n")
            elif value:
                out.append(f"{indent}{value}\n")
            continue
        out.append(line)
    stmt_indent = lines[stmt.lineno - 1][: len(lines[stmt.lineno - 1]) - len(lines[stmt.lineno - 1].lstrip())]
    body = textwrap.dedent("".join(out))
    body = textwrap.indent(body, stmt_indent)
    if not body.endswith("\n"):
        body += "\n"
    # the coroutine's definition (with a blank line after it) goes, its body replaces the call
    start = coro.lineno - len(coro.decorator_list)
    end = coro.end_lineno or coro.lineno
    while end < stmt.lineno - 1 and not lines[end].strip():
        end += 1
    return [Edit(start, end, []), Edit(stmt.lineno, stmt.end_lineno or stmt.lineno, [body])]


def main(argv: list[str]) -> int:
    check = "--check" in argv
    paths = [Path(a) for a in argv if a != "--check"]
    changed = 0
    for path in paths:
        source = path.read_text(encoding="utf-8")
        new, notes = convert_source(source, str(path))
        for note in notes:
            print(note, file=sys.stderr)
        if new != source:
            changed += 1
            print(f"{'would convert' if check else 'converted'} {path}")
            if not check:
                path.write_text(new, encoding="utf-8")
    return 1 if check and changed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
