"""The house's layers, checked: core is pure, each layer imports only the ones below it, and
no module imports itself back through others (docs/architecture.md#layers)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parents[2] / "shared"
# Each layer and the relance layers it may import (besides itself).
ALLOWED = {
    "relance.core": set(),
    "relance.config": set(),
    "relance.ports": {"relance.core", "relance.config"},
    "relance.aws_clients": set(),
    "relance.telemetry": set(),
    "relance.adapters": {"relance.core", "relance.ports", "relance.aws_clients", "relance.config"},
    "relance.services": {"relance.core", "relance.ports", "relance.adapters"},
    "relance.wiring": {"relance.adapters", "relance.ports", "relance.config", "relance.aws_clients"},
    "relance.http": {
        "relance.core",
        "relance.ports",
        "relance.adapters",
        "relance.services",
        "relance.wiring",
        "relance.telemetry",
    },
}
CORE_MAY_IMPORT = {"pydantic", "pydantic_core", "babel", "jinja2", "markupsafe", "css_inline", "zoneinfo"}


def _modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.glob("relance/**/*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    found.pop("relance", None)  # the layer's package itself: no code
    return found


MODULES = _modules()


def _imports(name: str) -> set[str]:
    """Every module ``name`` imports, at any depth of its code (TYPE_CHECKING included)."""
    tree = ast.parse(MODULES[name].read_text())
    package = name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # from . import x: relative to the package
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base])
            found.add(base.strip("."))
            found.update(f"{base}.{alias.name}".strip(".") for alias in node.names)
    return found


def _layer(module: str) -> str:
    return next(layer for layer in sorted(ALLOWED, key=len, reverse=True) if module.startswith(layer))


def _relance_imports(name: str) -> set[str]:
    return {m for m in _imports(name) if m in MODULES and m != name}


def test_each_layer_imports_only_the_layers_below_it() -> None:
    wrong = []
    for name in MODULES:
        layer = _layer(name)
        for imported in _relance_imports(name):
            other = _layer(imported)
            if other != layer and other not in ALLOWED[layer]:
                wrong.append(f"{name} -> {imported}")
    assert wrong == []


def test_the_core_uses_no_aws_and_no_io_library() -> None:
    wrong = []
    for name in (n for n in MODULES if n.startswith("relance.core")):
        for imported in _imports(name):
            top = imported.split(".")[0]
            if top in {"boto3", "botocore", "aws_lambda_powertools", "requests", "urllib", "socket"}:
                wrong.append(f"{name} -> {imported}")
            if top not in {"relance", "__future__"} | CORE_MAY_IMPORT and not _is_stdlib(top):
                wrong.append(f"{name} -> {imported}")
    assert wrong == []


def _is_stdlib(top: str) -> bool:
    import sys

    return top in sys.stdlib_module_names


def test_no_module_imports_itself_back() -> None:
    graph = {name: _relance_imports(name) for name in MODULES}
    # Importing a package runs its __init__: a package and its modules are not a cycle.
    cycles = []
    for start in graph:
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in graph[node]:
                if nxt == start and len(path) > 1 and not start.startswith(f"{path[1]}."):
                    cycles.append(" -> ".join([*path, nxt]))
                elif nxt not in path and len(path) < 8:
                    stack.append((nxt, [*path, nxt]))
    assert sorted(set(cycles))[:5] == []


def test_the_layers_exist() -> None:
    """The checks above would pass on an empty tree: make sure they read the real one."""
    assert {"relance.core.sequence.decisions", "relance.services.ingest", "relance.http.auth"} <= set(MODULES)
    assert "relance.core.cart.state" in _relance_imports("relance.core.sequence.decisions")
