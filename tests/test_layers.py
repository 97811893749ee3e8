"""The packages of src/anliegen import one way: each layer only what lies below it, and no two packages in a cycle.

Read from the source (every `import`, also inside functions; imports only for type checkers excepted), so a
lazy import cannot hide a cycle. docs/architecture.md explains the layers.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

pytestmark = pytest.mark.nodb

SRC = Path(__file__).resolve().parent.parent / "src"

# Top to bottom; a unit may import its own layer's units (without a cycle) and every layer below. A unit is a
# package (each channel on its own); a package whose parts sit in different layers lists those parts apart.
LAYERS: list[tuple[str, list[str]]] = [
    ("entry points", ["anliegen.runtime", "anliegen.asgi", "anliegen.urls", "anliegen.cli", "anliegen.__main__"]),
    (
        "channels and pages",
        [
            "anliegen.channels.*",
            "anliegen.desk",
            "anliegen.portal",
            "anliegen.api",
            "anliegen.integrations",  # API tokens, endpoints, the webhook log's pages
            "anliegen.audit",  # the audit log's pages
            "anliegen.privacy",  # export, erasure, retention
            "anliegen.reports",
            "anliegen.csat",  # satisfaction surveys and their follow-ups
            "anliegen.selfservice",
            "anliegen.workday",  # macros, tags, saved views, bulk actions
        ],
    ),
    ("intake", ["anliegen.intake"]),
    (
        "domain beside the core",
        ["anliegen.promises", "anliegen.routing", "anliegen.search", "anliegen.sla", "anliegen.privacy.roles"],
    ),
    ("core", ["anliegen.core"]),
    (
        "what core services record into",
        [
            "anliegen.audit.services",
            "anliegen.audit.models",
            "anliegen.integrations.events",
            "anliegen.integrations.delivery",
            "anliegen.integrations.models",
            "anliegen.integrations.signing",
            "anliegen.integrations.targets",
        ],
    ),
    (
        "base",
        [
            "anliegen.base",
            "anliegen.channels.registry",
            "anliegen.settings",
            "anliegen.settings_security",
            "anliegen.environ",
            "anliegen.datadir",
            "anliegen.formats",
        ],
    ),
]
_PARTS = sorted((m for _n, members in LAYERS for m in members if not m.endswith(".*")), key=len, reverse=True)


def package(module: str) -> str:
    """The unit the rules speak of: a part listed in LAYERS, else anliegen.<app> (each channel on its own)."""
    for part in _PARTS:
        if module == part or module.startswith(part + "."):
            return part
    parts = module.split(".")
    if parts[:2] == ["anliegen", "channels"] and len(parts) > 2:
        return ".".join(parts[:3])
    return ".".join(parts[:2])


def layer(pkg: str) -> int:
    for index, (_name, members) in enumerate(LAYERS):
        if pkg in members:
            return index
    for index, (_name, members) in enumerate(LAYERS):
        if any(m.endswith(".*") and pkg.startswith(m[:-1]) for m in members):
            return index
    raise AssertionError(f"{pkg} is in no layer of tests/test_layers.py: add it where it belongs")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(tree: ast.AST) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(inner) for inner in ast.walk(node))
    return skipped


def imports() -> dict[tuple[str, str], list[str]]:
    """(importing package, imported package) -> the module imports that make the edge."""
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in sorted((SRC / "anliegen").rglob("*.py")):
        if "migrations" in path.parts or "tests" in path.parts or path.name == "conftest.py":
            continue  # tests and migrations may reach anything
        module = _module_name(path)
        tree = ast.parse(path.read_text(), str(path))
        skipped = _type_checking_only(tree)
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    here = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
                    here = here[: len(here) - node.level + 1]
                    base = ".".join([*here, *([node.module] if node.module else [])])
                targets = [f"{base}.{alias.name}" for alias in node.names] if base else []
                targets = targets or [base]
            else:
                continue
            for target in targets:
                if not target.startswith("anliegen."):
                    continue
                source, imported = package(module), package(target)
                if imported.count(".") == 2 and imported.startswith("anliegen.channels.") and not _exists(imported):
                    imported = "anliegen.channels"  # `from anliegen.channels import registry` names the module
                if source != imported and imported != "anliegen.channels":
                    edges[(source, imported)].append(f"{module} -> {target}")
    return edges


def _exists(pkg: str) -> bool:
    path = SRC.joinpath(*pkg.split("."))
    return path.is_dir() or path.with_suffix(".py").is_file()


def _home(unit: str) -> str:
    parts = unit.split(".")
    return ".".join(parts[:3] if parts[:2] == ["anliegen", "channels"] else parts[:2])


def cycles(edges: dict[tuple[str, str], list[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one package (Tarjan); the parts of one package may use each other."""
    graph: dict[str, set[str]] = defaultdict(set)
    for source, target in edges:
        if _home(source) != _home(target):
            graph[source].add(target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_every_package_has_a_layer():
    packages = {package(_module_name(p)) for p in (SRC / "anliegen").rglob("*.py") if "migrations" not in p.parts}
    for pkg in sorted(packages - {"anliegen", "anliegen.channels"}):
        layer(pkg)


def test_no_package_imports_a_layer_above_it():
    upward = [
        f"{source} ({LAYERS[layer(source)][0]}) imports {target} ({LAYERS[layer(target)][0]}): {ways[0]}"
        for (source, target), ways in sorted(imports().items())
        if layer(target) < layer(source)
    ]
    assert upward == [], "\n".join(upward)


def test_no_import_cycles_between_packages():
    edges = imports()
    found = cycles(edges)
    detail = [
        f"{a} -> {b}: {edges[(a, b)][0]}" for group in found for a in group for b in group if (a, b) in edges
    ]
    assert found == [], "\n".join(detail)


def test_the_rules_catch_an_upward_import_and_a_cycle():
    edges = {("anliegen.core", "anliegen.desk"): ["x"], ("anliegen.desk", "anliegen.core"): ["y"]}
    assert cycles(edges) == [["anliegen.core", "anliegen.desk"]]
    assert layer("anliegen.core") > layer("anliegen.desk")
    assert layer("anliegen.channels.email") < layer("anliegen.intake") < layer("anliegen.channels.registry")
