"""Import rules of the layer, read from the source (every import: top level, inside functions, type-only):
the domain imports nothing of AWS nor the adapters; persistence imports no edge; no module imports itself back."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

LAYER = Path(__file__).resolve().parents[2] / "layers"
AWS_LIBRARIES = ("boto3", "botocore", "pynamodb", "aws_lambda_powertools", "chalice")
ADAPTERS = ("omnicase.persistence", "omnicase.aws", "omnicase.channels")
EDGES = ("omnicase.api", "omnicase.console_api", "omnicase.reports", "omnicase.escalation", "functions")


def module_name(path: Path) -> str:
    parts = path.relative_to(LAYER).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(package: str = "omnicase") -> dict[str, Path]:
    return {module_name(p): p for p in (LAYER / package.replace(".", "/")).rglob("*.py")}


def imports_of(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_the_domain_imports_nothing_of_aws_nor_the_adapters():
    found = {
        (module, imported)
        for module, path in modules("omnicase.domain").items()
        for imported in imports_of(path)
        if under(imported, AWS_LIBRARIES + ADAPTERS)
    }

    assert found == set()


def test_persistence_imports_no_edge():
    found = {
        (module, imported)
        for module, path in modules("omnicase.persistence").items()
        for imported in imports_of(path)
        if under(imported, EDGES)
    }

    assert found == set()


def test_no_module_of_the_layer_imports_itself_back():
    known = modules()
    graph = {name: {i for i in imports_of(path) if i in known and i != name} for name, path in known.items()}

    assert strongly_connected(graph) == []


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import circles (components of more than one module), by Tarjan's algorithm without recursion."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            successor = next(successors, None)
            if successor is not None:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph[successor]))))
                elif successor in on_stack:
                    low[node] = min(low[node], index[successor])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    circles.append(sorted(component))
    return circles


def test_the_circle_finder_finds_a_circle():
    # The rule above is only as good as this search: a three-module circle and a tail must come out as one circle.
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}

    assert strongly_connected(graph) == [["a", "b", "c"]]
