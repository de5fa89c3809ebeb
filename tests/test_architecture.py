"""The layers of ARCHITECTURE.md hold: domain, db, services and export never import Textual,
and no layer imports one above it (import-linter contracts in pyproject.toml); no modules of
the package import each other in a circle, none imports another's private names, and none is
over 600 lines (the catalogue and the generated migrations aside)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_are_kept() -> None:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.fail("lint-imports is not installed in the test environment (pip install -e '.[dev]')")
    result = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


# --- no import cycles ---------------------------------------------------------------------------


def import_cycles(package: str, *, search_path: Path | None = None) -> list[list[str]]:
    """The groups of modules of ``package`` that import each other round in a circle (the
    strongly connected components of grimp's import graph with more than one module). An
    import under ``if TYPE_CHECKING:`` is only for the type checker and is not counted."""
    import grimp

    if search_path is not None:
        sys.path.insert(0, str(search_path))
    try:
        graph = grimp.build_graph(package, exclude_type_checking_imports=True, cache_dir=None)
    finally:
        if search_path is not None:
            sys.path.remove(str(search_path))
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in sorted(graph.modules)}
    # Tarjan's algorithm, iterative (no recursion limit to meet on a deep chain).
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    for root in edges:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            for j in range(i, len(edges[node])):
                nxt = edges[node][j]
                if nxt not in index:
                    work.append((node, j + 1))
                    work.append((nxt, 0))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        cycles.append(sorted(group))
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
    return cycles


def test_no_import_cycles() -> None:
    assert import_cycles("tui_journal") == []


def test_cycle_finder_finds_a_cycle(tmp_path: Path) -> None:
    """The finder fails on a throwaway package whose modules import each other in a circle,
    and does not count an import made only for the type checker."""
    pkg = tmp_path / "cyclic_pkg_for_test"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from cyclic_pkg_for_test import b\n")
    (pkg / "b.py").write_text("def f():\n    from cyclic_pkg_for_test import c\n")
    (pkg / "c.py").write_text("import cyclic_pkg_for_test.a\n")
    (pkg / "d.py").write_text("from cyclic_pkg_for_test import a\n")
    (pkg / "e.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from cyclic_pkg_for_test import f\n"
    )
    (pkg / "f.py").write_text("from cyclic_pkg_for_test import e\n")
    cycles = import_cycles("cyclic_pkg_for_test", search_path=tmp_path)
    assert cycles == [["cyclic_pkg_for_test.a", "cyclic_pkg_for_test.b", "cyclic_pkg_for_test.c"]]


# --- no module reaches into another one's private names ----------------------------------------


def private_imports(package_dir: Path) -> list[str]:
    """``file:line name`` for every ``from <package>... import _name`` and every
    ``module._name`` where ``module`` was imported from the package, in the package's files
    (dunder names such as ``__version__`` are public)."""
    import ast

    package = package_dir.name
    found: list[str] = []
    for path in sorted(package_dir.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        modules: set[str] = set()  # local names bound to a module of the package
        where = path.relative_to(package_dir.parent)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and (
                node.module == package or node.module.startswith(package + ".")
            ):
                for alias in node.names:
                    if _is_private(alias.name):
                        found.append(f"{where}:{node.lineno} from {node.module} import {alias.name}")
                    else:
                        modules.add(alias.asname or alias.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name == package or alias.name.startswith(package + "."):
                        modules.add(alias.asname or alias.name.split(".")[0])
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in modules
                and _is_private(node.attr)
            ):
                found.append(f"{where}:{node.lineno} {node.value.id}.{node.attr}")
    return found


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def test_no_module_imports_another_modules_private_names() -> None:
    assert private_imports(ROOT / "tui_journal") == []


def test_private_import_finder_finds_them(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("__version__ = '1'\n")
    (pkg / "a.py").write_text("def _helper(): ...\nclass _Hidden: ...\n")
    (pkg / "b.py").write_text(
        "from pkg.a import _helper\nfrom pkg import a\nfrom pkg import __version__\n"
        "a._Hidden()\nx = object()\nx._fine = 1\n"
    )
    assert private_imports(pkg) == ["pkg/b.py:1 from pkg.a import _helper", "pkg/b.py:4 a._Hidden"]


# --- small modules ------------------------------------------------------------------------------

#: A module longer than this is doing more than one job; split it by topic (docs/architecture.md).
MAX_MODULE_LINES = 600

#: Exempt: the string catalogue (data, kept in parts by area) and generated migrations.
EXEMPT_FROM_SIZE = ("tui_journal/i18n/", "tui_journal/db/migrations/")


def long_modules(root: Path, limit: int = MAX_MODULE_LINES) -> dict[str, int]:
    """The package's modules over ``limit`` lines, outside the exempt folders."""
    found: dict[str, int] = {}
    for path in sorted((root / "tui_journal").rglob("*.py")):
        name = path.relative_to(root).as_posix()
        if name.startswith(EXEMPT_FROM_SIZE):
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > limit:
            found[name] = lines
    return found


def test_no_module_is_over_600_lines() -> None:
    assert long_modules(ROOT) == {}


def test_long_module_finder_finds_one(tmp_path: Path) -> None:
    (tmp_path / "tui_journal" / "i18n").mkdir(parents=True)
    (tmp_path / "tui_journal" / "big.py").write_text("x = 1\n" * 601, encoding="utf-8")
    (tmp_path / "tui_journal" / "small.py").write_text("x = 1\n" * 600, encoding="utf-8")
    (tmp_path / "tui_journal" / "i18n" / "ru.py").write_text("x = 1\n" * 2000, encoding="utf-8")
    assert long_modules(tmp_path) == {"tui_journal/big.py": 601}
