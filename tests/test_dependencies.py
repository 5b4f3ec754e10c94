"""Dependencies point one way: read from the code (scripts/import_graph.py), no module imports a
package of a higher layer and the import graph has no cycle. Imports inside functions count;
imports under `if TYPE_CHECKING:` (type hints only) do not."""

from __future__ import annotations

import pytest

from scripts.import_graph import cycles, graph, imports, modules, package_of

# Lowest first; a package may import its own layer and those below it (README, "Layout").
LAYERS = (
    (
        "app.config",
        "app.db",
        "app.errors",
        "app.extensions",
        "app.i18n",
        "app.assets",
        "app.storage",
        "app.jobs",
        "app.web",
        "app.security",
        "app.schema",
        "app.logs",
        "app.proxies",
    ),
    ("app.auth",),
    ("app.areas",),
    ("app.volunteers",),
    ("app.content",),
    ("app.quizzes",),
    ("app.readiness",),
    ("app.media",),
    ("app.studio",),
    ("app.officers",),
    ("app.support",),
    ("app.api",),
    ("app.content_io",),
    ("app.offline",),
    ("app.privacy",),
    ("app.outreach",),
    ("app.mentoring",),
    ("app.backup",),
    ("app", "app.urls", "app.models"),
)
LAYER = {package: rank for rank, packages in enumerate(LAYERS) for package in packages}


@pytest.fixture(scope="module")
def found():
    """Every import of one app module by another."""
    return imports()


def test_every_package_has_a_layer():
    """A new feature package or top-level module is placed in LAYERS before it is imported."""
    unplaced = sorted({package_of(module) for module in modules()} - set(LAYER))
    assert not unplaced, "not in LAYERS: " + ", ".join(unplaced)


def test_no_module_imports_a_higher_layer(found):
    """A lower feature never imports a higher one, not even inside a function."""
    upward = sorted(
        f"{i.source} (line {i.line}) imports {i.target}"
        for i in found
        if not i.type_checking
        and LAYER.get(package_of(i.target), -1) > LAYER.get(package_of(i.source), len(LAYERS))
    )
    assert not upward, "imports of a higher layer:\n" + "\n".join(upward)


def test_the_package_graph_has_no_cycle(found):
    """Packages (features and top-level modules) import each other in one direction only."""
    found_cycles = cycles(graph(found, "package"))
    assert not found_cycles, "cycles:\n" + "\n".join(", ".join(c) for c in found_cycles)


def test_the_module_graph_has_no_cycle(found):
    """No module imports one that imports it back (e.g. views imported at the bottom of a file
    to add routes to a blueprint)."""
    found_cycles = cycles(graph(found, "module"))
    assert not found_cycles, "cycles:\n" + "\n".join(", ".join(c) for c in found_cycles)


def test_the_graph_reads_relative_function_level_and_type_checking_imports(tmp_path):
    """The reader behind these tests: relative and in-function imports resolved to modules,
    `from package import module` taken as the module, TYPE_CHECKING imports marked."""
    root = tmp_path / "app"
    for name, text in {
        "__init__.py": "from .low import views\n",
        "core.py": "",
        "low/__init__.py": "from .views import bp\n",
        "low/views.py": "bp = None\n\ndef show():\n    from ..high.rules import score\n",
        "high/__init__.py": "",
        "high/rules.py": (
            "from typing import TYPE_CHECKING\nimport app.core\n"
            "if TYPE_CHECKING:\n    from ..low import views\n"
        ),
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    edges = {(i.source, i.target, i.line, i.type_checking) for i in imports(root)}
    assert edges == {
        ("app", "app.low.views", 1, False),
        ("app.low", "app.low.views", 1, False),
        ("app.low.views", "app.high.rules", 4, False),
        ("app.high.rules", "app.core", 2, False),
        ("app.high.rules", "app.low.views", 4, True),
    }
    assert graph(imports(root), "package") == {
        "app": {"app.low"},
        "app.low": {"app.high"},
        "app.high": {"app.core"},
        "app.core": set(),
    }
    assert cycles({"a": {"b"}, "b": {"a", "c"}, "c": set()}) == [["a", "b"]]
