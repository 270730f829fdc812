"""The HTTP side's shape: the pages (alignment/web/) and the API (alignment/api/) in small modules that share only
public names, with no import cycle among them, and the pages never leaning on the API."""

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGES = ("alignment.web", "alignment.api")
MAX_LINES = 400


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package.replace(".", "/")).glob("*.py")):
            found[package if path.stem == "__init__" else f"{package}.{path.stem}"] = path
    return found


def imports(path: Path) -> list[tuple[str, str]]:
    """(module, name) for each ``from alignment... import name`` in the file."""
    tree = ast.parse(path.read_text())
    return [
        (node.module, alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("alignment")
        for alias in node.names
    ]


def depends_on(path: Path, known: dict[str, Path]) -> set[str]:
    """The modules of web/ and api/ that the file imports (a name that is a module counts as that module)."""
    return {f"{module}.{name}" if f"{module}.{name}" in known else module for module, name in imports(path)} & set(known)


@pytest.mark.parametrize("name", list(modules()))
def test_each_module_is_short_enough_to_read_whole(name):
    assert len(modules()[name].read_text().splitlines()) <= MAX_LINES


@pytest.mark.parametrize("name", list(modules()))
def test_no_module_imports_another_modules_private_name(name):
    private = [f"{module}.{imported}" for module, imported in imports(modules()[name]) if imported.startswith("_")]
    assert private == []


def test_there_is_no_import_cycle():
    known = modules()
    graph = {name: depends_on(path, known) - {name} for name, path in known.items()}
    done: set[str] = set()

    def visit(name, trail):
        assert name not in trail, " -> ".join([*trail, name])
        if name not in done:
            for dependency in sorted(graph[name]):
                visit(dependency, [*trail, name])
            done.add(name)

    for name in graph:
        visit(name, [])


def test_the_pages_do_not_import_the_api():
    known = modules()
    leaning = {name: sorted(d for d in depends_on(path, known) if d.startswith("alignment.api"))
               for name, path in known.items() if name.startswith("alignment.web")}
    assert {name: found for name, found in leaning.items() if found} == {}
