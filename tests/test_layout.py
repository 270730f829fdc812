"""The house's layout holds: the project's modules import one another without cycles, none reaches for another's
private helpers, each is short enough to read whole, and the pages never lean on the API.

Imports are read from the source (module level and inside functions alike: an import tucked into a function
to dodge a cycle is still a cycle), so the test needs no Django and imports nothing it checks.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("alignment", "config")
MAX_LINES = 400
# A module may run longer only if it says why, in a comment that starts so.
LONGER_BECAUSE = "# Longer than 400 lines because"


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


MODULES = _modules()


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _type_checking_only(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


def _imports(name: str) -> list[tuple[str, list[str], int]]:
    """(module imported, names taken from it, line) for every import in module ``name`` that stays in the project."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    package = name if _is_package(name) else name.rpartition(".")[0]
    out = []
    for node in ast.walk(tree):
        if _type_checking_only(node, parents):
            continue
        if isinstance(node, ast.Import):
            out += [(alias.name, [], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                if submodule in MODULES:  # `from alignment import audit` imports the module alignment.audit
                    out.append((submodule, [], node.lineno))
                else:
                    out.append((base, [alias.name], node.lineno))
    return [(target, names, line) for target, names, line in out if target in MODULES]


def _graph() -> dict[str, set[str]]:
    return {name: {target for target, _, _ in _imports(name) if target != name} for name in MODULES}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def _is_ancestor(package: str, module: str) -> bool:
    return module.startswith(package + ".")


def test_the_checker_finds_a_cycle_and_reads_relative_imports():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []
    assert ("alignment.models", ["Story"], 0)[0] in MODULES
    # alignment.pipeline's package file imports its submodules relatively; they must resolve.
    targets = {target for target, _, _ in _imports("alignment.pipeline")}
    assert "alignment.pipeline.types" in targets


def test_no_module_imports_itself_round_a_cycle():
    graph = _graph()
    # A package's __init__ re-exporting its own submodules, which name the package back, is how packages work.
    for name, targets in graph.items():
        graph[name] = {t for t in targets if not (_is_package(name) and _is_ancestor(name, t))}
    cycles = _cycles(graph)
    assert not cycles, "import cycles: " + "; ".join(" <-> ".join(c) for c in cycles)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_takes_another_modules_private_helpers(name):
    borrowed = [
        f"line {line}: {target}.{taken}"
        for target, names, line in _imports(name)
        for taken in names
        if taken.startswith("_") and not taken.startswith("__") and target != name
        # A package may lift a private name from its own submodule to re-export it under a public one.
        and not (_is_package(name) and _is_ancestor(name, target))
    ]
    assert not borrowed, f"{name} imports private names: " + ", ".join(borrowed)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_each_module_is_short_enough_to_read_whole(name):
    text = MODULES[name].read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_LINES or LONGER_BECAUSE in text


def test_the_pages_do_not_import_the_api():
    leaning = sorted(
        f"{name} -> {target}" for name, targets in _graph().items() if name.startswith("alignment.web")
        for target in targets if target == "alignment.api" or target.startswith("alignment.api.")
    )
    assert leaning == []
