"""Print the import cycles of app/ at package and at module level, read from the code with ast.

Usage: python scripts/import_graph.py [APP_DIR]

Every import counts, at module level and inside functions; relative imports are resolved and
`from package import name` is an import of the submodule when `name` is one. Imports under
`if TYPE_CHECKING:` never run and are left out. A package-level node is a feature package
(`app.auth`, `app.content`, ...), a top-level module (`app.db`, `app.loading`, ...) or `app`
itself (app/__init__.py). A cycle is a strongly connected component of more than one node.
tests/test_dependencies.py checks the layer order with the same graph.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"


@dataclass(frozen=True)
class Import:
    """One import statement's target, as a module of the app."""

    source: str  # the importing module, e.g. "app.content.export"
    target: str  # the imported module, e.g. "app.quizzes.files"
    line: int
    type_checking: bool  # under `if TYPE_CHECKING:`: never runs


def module_name(path: Path, root: Path) -> str:
    """app/content/files.py -> app.content.files; app/content/__init__.py -> app.content."""
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(root: Path = APP) -> dict[str, Path]:
    """Every module under root by its dotted name."""
    return {module_name(p, root): p for p in sorted(root.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(node: ast.AST, type_checking: bool = False) -> Iterator[tuple[ast.AST, bool]]:
    """Every import node below node, with whether it sits under `if TYPE_CHECKING:`."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child, type_checking
        elif isinstance(child, ast.If) and _is_type_checking(child.test):
            for part in child.body:
                yield from _walk_one(part, True)
            for part in child.orelse:
                yield from _walk_one(part, type_checking)
        else:
            yield from _walk(child, type_checking)


def _walk_one(node: ast.AST, type_checking: bool) -> Iterator[tuple[ast.AST, bool]]:
    if isinstance(node, ast.Import | ast.ImportFrom):
        yield node, type_checking
    else:
        yield from _walk(node, type_checking)


def _base(source: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute module a `from ... import` names (relative levels resolved)."""
    if not node.level:
        return node.module or ""
    package = source.split(".") if is_package else source.split(".")[:-1]
    package = package[: len(package) - (node.level - 1)]
    return ".".join(package + ([node.module] if node.module else []))


def imports(root: Path = APP) -> list[Import]:
    """Every import of one app module by another, read from the code."""
    known = modules(root)
    found: list[Import] = []
    for source, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        is_package = path.name == "__init__.py"
        for node, type_checking in _walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = _base(source, is_package, node)
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    targets.append(sub if sub in known else base)
            for target in targets:
                # `import app.x.y` names app.x.y; keep the longest prefix that is a module
                while target and target not in known:
                    target = target.rpartition(".")[0]
                if target and target != source:
                    found.append(Import(source, target, node.lineno, type_checking))
    return found


def package_of(module: str) -> str:
    """app.content.files -> app.content; app.db -> app.db; app -> app."""
    return ".".join(module.split(".")[:2])


def graph(found: Iterable[Import], level: str = "package") -> dict[str, set[str]]:
    """Edges of the runtime imports (TYPE_CHECKING left out) at "package" or "module" level."""
    edges: dict[str, set[str]] = {}
    for item in found:
        if item.type_checking:
            continue
        source, target = item.source, item.target
        if level == "package":
            source, target = package_of(source), package_of(target)
        edges.setdefault(source, set())
        edges.setdefault(target, set())
        if source != target:
            edges[source].add(target)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10 * len(edges) + 100))
    try:
        for node in sorted(edges):
            if node not in index:
                visit(node)
    finally:
        sys.setrecursionlimit(limit)
    return sorted(found)


def main(argv: list[str]) -> int:
    """Print the cycle count and members at package and module level."""
    root = Path(argv[0]).resolve() if argv else APP
    found = imports(root)
    for level in ("package", "module"):
        components = cycles(graph(found, level))
        print(f"{level} level: {len(components)} cycle(s)")
        for component in components:
            print("  " + ", ".join(component))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
