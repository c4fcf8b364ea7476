"""The house rules, checked on the code itself: the import graph of ``mtqa/`` has no cycle,
every check module imports alone, and the registries list what exists."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "mtqa"


def modules() -> dict[str, Path]:
    out = {}
    for p in PKG.rglob("*.py"):
        parts = list(p.relative_to(PKG.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = p
    return out


def import_graph() -> dict[str, set[str]]:
    """Module → the mtqa modules it imports (anywhere in the file, function bodies included)."""
    mods = modules()
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for m, p in mods.items():
        base = m.split(".") if p.name == "__init__.py" else m.split(".")[:-1]
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                mod = node.module or ""
                if node.level:
                    mod = ".".join(base[: len(base) - node.level + 1] + ([mod] if mod else []))
                names = [mod] + [f"{mod}.{a.name}" for a in node.names]
            else:
                continue
            for n in names:
                while n and n not in mods:
                    n = n.rpartition(".")[0]
                if n and n != m:
                    graph[m].add(n)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))
    return out


def test_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_import_graph_has_no_cycle():
    assert cycles(import_graph()) == []


def test_the_graph_sees_function_level_and_package_imports():
    g = import_graph()
    assert "mtqa.embed.usem3" in g["mtqa.embed"]  # imported inside get_embedder
    assert "mtqa.checks.engine" in g["mtqa.pipeline"]


CHECK_MODULES = sorted(m for m in modules() if m.startswith("mtqa.checks.")
                       and m not in ("mtqa.checks.registry", "mtqa.checks.engine"))


@pytest.mark.parametrize("module", CHECK_MODULES)
def test_a_check_module_imports_alone(module):
    """Importing one check module loads neither the registry nor the engine."""
    code = (f"import sys, {module}; "
            "bad = [m for m in ('mtqa.checks.registry', 'mtqa.checks.engine', 'mtqa.pipeline') if m in sys.modules]; "
            "sys.exit(', '.join(bad) or None)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr or r.stdout


def test_every_check_module_is_in_the_registry_tuple():
    from mtqa.checks.base import Check
    from mtqa.checks.registry import CHECKS

    import importlib

    defined = set()
    for m in CHECK_MODULES:
        mod = importlib.import_module(m)
        for v in vars(mod).values():
            if isinstance(v, type) and issubclass(v, Check) and v is not Check and v.__module__ == m \
                    and not getattr(v, "__abstractmethods__", None):
                defined.add(v)
    assert defined == set(CHECKS)


def test_every_scorer_row_names_a_scorer():
    from mtqa.scores.base import Scorer
    from mtqa.scores.registry import SCORERS, get_scorer

    for name in SCORERS:
        cls = get_scorer(name)
        assert issubclass(cls, Scorer) and cls.name == name


def test_every_loader_row_names_a_function():
    from mtqa.inputs import LOADERS, loader_for

    for suffix in LOADERS:
        assert callable(loader_for("x" + suffix.upper()))
    assert loader_for("story.fr.txt") is None


def test_the_report_package_reaches_no_stage_it_renders():
    """Renderers read only the report dict: no module under mtqa.report imports, even through other
    modules or the packages around them, mtqa.checks, mtqa.scores, mtqa.pipeline or mtqa.compare."""
    graph = import_graph()
    stages = ("mtqa.checks", "mtqa.scores", "mtqa.pipeline", "mtqa.compare")
    report_modules = [m for m in graph if m == "mtqa.report" or m.startswith("mtqa.report.")]
    assert "mtqa.report.formats.sarif" in report_modules and "mtqa.report.views" in report_modules
    reached: dict[str, list[str]] = {}
    for root in report_modules:
        seen: set[str] = set()
        todo = [root]
        while todo:
            m = todo.pop()
            if m in seen:
                continue
            seen.add(m)
            parts = m.split(".")
            todo += [".".join(parts[:i]) for i in range(1, len(parts))]  # importing a module runs its packages
            todo += sorted(graph.get(m, ()))
        bad = sorted(m for m in seen if any(m == s or m.startswith(s + ".") for s in stages))
        if bad:
            reached[root] = bad
    assert reached == {}


MAX_FUNCTION_LINES = 60


def _is_command(node: ast.AST) -> bool:
    """A typer command: its signature (one typer.Option per line) does not count, its body does."""
    return any(isinstance(d, ast.Call) and getattr(d.func, "attr", "") == "command" for d in node.decorator_list)


def long_functions(limit: int = MAX_FUNCTION_LINES) -> list[str]:
    out = []
    for p in PKG.rglob("*.py"):
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            start = node.body[0].lineno if _is_command(node) else node.lineno
            if node.end_lineno - start + 1 > limit:
                out.append(f"{p.relative_to(PKG.parent)}:{node.lineno} {node.name} ({node.end_lineno - start + 1} lines)")
    return out


def test_no_function_is_longer_than_60_lines():
    assert long_functions() == []


def test_the_length_rule_sees_a_long_function():
    assert long_functions(limit=20)  # mtqa has functions of more than 20 lines: the scan reads them
