"""The shape of the house (docs/DESIGN.md, "Layers"): no import cycles, services.py is the façade only the
CLI and the GUI call, and document builders are small section functions. Read from the source with `ast`,
so imports inside functions count too."""

from __future__ import annotations

import ast
from pathlib import Path

import schoolvault

ROOT = Path(schoolvault.__file__).parent
MAX_BUILDER_LINES = 80  # reports/ and district/: a longer function is a document that wants sections


def _modules() -> dict[str, Path]:
    mods = {}
    for path in ROOT.rglob("*.py"):
        parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        mods[".".join(parts)] = path
    return mods


MODULES = _modules()


def _owner(name: str) -> str | None:
    """The module of ours that `name` (a module or a name inside one) lives in."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imported(module: str, path: Path) -> set[str]:
    """Our modules that `module` imports anywhere in its source, including inside functions."""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[: len(package) - node.level + 1]) if node.level else ""
            mod = ".".join(p for p in (base, node.module or "") if p)
            names = [f"{mod}.{a.name}" for a in node.names]
        else:
            continue
        for name in names:
            owner = _owner(name)
            if owner and owner != module:
                found.add(owner)
    return found


GRAPH = {m: _imported(m, p) for m, p in MODULES.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    comp.append(top)
                    if top == node:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))
    return out


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_imports_inside_functions():
    # importing/commit.py reads the workspace inside its functions; the graph must see that
    assert any(dep.startswith("schoolvault.workspace") for dep in GRAPH["schoolvault.importing.commit"])


def test_no_import_cycles():
    assert _cycles(GRAPH) == []


def test_only_the_cli_and_the_gui_call_services():
    callers = sorted(m for m, deps in GRAPH.items() if "schoolvault.services" in deps
                     and not m.startswith(("schoolvault.cli", "schoolvault.ui")))
    assert callers == []


def test_document_builders_are_short():
    long = []
    for module, path in MODULES.items():
        if not module.startswith(("schoolvault.reports", "schoolvault.district")):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_BUILDER_LINES:
                    long.append(f"{path.relative_to(ROOT.parent)}:{node.lineno} {node.name} ({lines} lines)")
    assert long == []
