"""The layers of docs/ARCHITECTURE.md, read from the source.

The import graph is built with ``ast`` from every module under visa/ (imports
inside functions included: a lazy import is still a dependency). It must have no
cycle between packages, every import must point down the layer order, and the
pure modules must not import Flask, a Flask extension or ``visa.extensions``,
not even through another module: imported on its own in a fresh interpreter,
none of them loads Flask.
"""

from __future__ import annotations

import ast
import graphlib
import itertools
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "visa"

#: Packages and top-level modules under visa/, lowest first; each imports only from those before it.
#: A new package goes here and in docs/ARCHITECTURE.md ("Layers").
LAYER_ORDER = [
    # Pure foundation: no Flask, no database session.
    "messages", "geo", "values", "timeutil", "config", "redirects", "catalogs", "emails",
    # Platform: extension objects and request-wide helpers every feature may use.
    "extensions", "i18n", "mailer", "l10n", "request_checks", "rate_limits", "rate_limit_setup", "wire", "cli",
    "health",
    # Features, lower first: each owns its models, services, forms, views and CLI commands.
    "geocoding", "web", "maps", "accounts", "directory", "photos", "reciprocity", "moderation", "hosts", "passes",
    "volunteers", "impact", "backup", "campaigns", "badges", "embed", "surveys",
    # Pages that join several features, the error pages, process start-up, and the app factory.
    "finder", "api", "pages", "startup", "doctor", "app",
]

#: Modules that import no Flask (directly or through another module): the domain rules, geometry,
#: geocoder parsing, value cleaning. Tested without an app; usable from any script.
PURE_MODULES = [
    "visa.backup.dump",
    "visa.backup.transfer",
    "visa.badges.layout",
    "visa.catalogs",
    "visa.config",
    "visa.directory.duplicates",
    "visa.directory.terms_schema",
    "visa.directory.websites",
    "visa.emails",
    "visa.directory.links",
    "visa.geo.boundaries",
    "visa.geo.distance",
    "visa.geocoding.gazetteer",
    "visa.geocoding.namesakes",
    "visa.geocoding.normalize",
    "visa.geocoding.offline",
    "visa.geocoding.place_names",
    "visa.geocoding.providers",
    "visa.impact.record",
    "visa.surveys.questionnaire",
    "visa.surveys.stats",
    "visa.surveys.demo",
    "visa.impact.suppression",
    "visa.passes.keys",
    "visa.passes.limits",
    "visa.passes.tokens",
    "visa.photos.images",
    "visa.photos.storage",
    "visa.geocoding.resolve",
    "visa.geocoding.results",
    "visa.maps.builder",
    "visa.maps.labels",
    "visa.messages",
    "visa.moderation.cleaning",
    "visa.moderation.coordinate_check",
    "visa.moderation.rows",
    "visa.reciprocity.rules",
    "visa.redirects",
    "visa.timeutil",
    "visa.values",
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_names(path: Path, here: str | None = None) -> list[tuple[str, int]]:
    """Every module *path* imports, anywhere in the file, with its line; ``from a import b`` gives a and a.b.

    *here* is the module's dotted name (by default, from its place under the project).
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    here = here or module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolved against this module's package
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.append((base, node.lineno))
            found += [(f"{base}.{alias.name}", node.lineno) for alias in node.names]
    return found


def owner(module: str) -> str | None:
    """The package (or top-level module) of visa/ that *module* belongs to; None outside visa."""
    parts = module.split(".")
    if parts[0] != "visa" or len(parts) < 2:
        return None
    return parts[1]


def internal_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def package_edges() -> dict[tuple[str, str], list[str]]:
    """(importing package, imported package) -> where: "module:line" of each import behind the edge."""
    modules = internal_modules()
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for name, path in modules.items():
        source = owner(name)
        for target, line in imported_names(path):
            imported = owner(target)
            # "from visa.x import y" names a module or an attribute: only real modules count.
            if imported is None or imported == source or target not in modules:
                continue
            edges[(source, imported)].append(f"{name}:{line}")
    return edges


def test_the_graph_sees_lazy_and_relative_imports(tmp_path):
    sample = tmp_path / "views.py"
    sample.write_text("import visa.geo\n\ndef page():\n    from visa.reciprocity.home import current_home\n"
                      "    from . import forms\n    from ..directory import search\n")
    names = {name for name, _ in imported_names(sample, "visa.finder.views")}
    assert {"visa.geo", "visa.reciprocity.home", "visa.reciprocity.home.current_home", "visa.finder.forms",
            "visa.directory.search"} <= names


def test_no_cycle_between_packages():
    graph: dict[str, set[str]] = defaultdict(set)
    edges = package_edges()
    for source, target in edges:
        graph[source].add(target)
    try:
        list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as err:
        cycle = err.args[1]
        where = "; ".join(f"{a} -> {b} ({', '.join(edges[(a, b)][:3])})" for a, b in itertools.pairwise(cycle))
        pytest.fail(f"import cycle between packages: {' -> '.join(cycle)}: {where}")


def test_every_import_points_down_the_layers():
    rank = {name: i for i, name in enumerate(LAYER_ORDER)}
    packages = {owner(name) for name in internal_modules()} - {None}
    unplaced = sorted(packages - set(rank))
    assert not unplaced, f"packages not in LAYER_ORDER (and docs/ARCHITECTURE.md): {unplaced}"
    upward = [f"{a} -> {b} ({', '.join(where[:3])})" for (a, b), where in sorted(package_edges().items())
              if rank[b] > rank[a]]
    assert not upward, "imports that point up the layers:\n" + "\n".join(upward)


def _forbidden(module: str) -> bool:
    return module in ("flask", "visa.extensions", "visa.app") or module.startswith(("flask.", "flask_"))


@pytest.mark.parametrize("name", PURE_MODULES)
def test_pure_module_imports_no_flask(name: str):
    path = internal_modules()[name]
    direct = [f"{target} (line {line})" for target, line in imported_names(path) if _forbidden(target)]
    assert not direct, f"{name} imports {direct}"


@pytest.mark.parametrize("name", PURE_MODULES)
def test_pure_module_loads_no_flask_on_its_own(name: str):
    probe = (f"import sys, {name}\n"
             "loaded = sorted(m for m in sys.modules if m == 'flask' or m.startswith(('flask_', 'flask.'))"
             " or m == 'visa.extensions')\n"
             "print(','.join(loaded))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"importing {name} alone loads {result.stdout.strip()}"
