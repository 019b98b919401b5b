"""The shape of the code: ``core`` serves every app and imports none of them, and the
modules of one app import each other without cycles (at module level: a task may import
the services it runs inside its body, as the services queue it)."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "osallistu"
APPS = sorted(
    path.name for path in PACKAGE.iterdir() if (path / "apps.py").exists() and path.is_dir()
)


def modules(app):
    """``{dotted name: path}`` of an app's modules, migrations aside."""
    found = {}
    for path in (PACKAGE / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts).removesuffix(".__init__")
        found[name] = path
    return found


def imported(name, path, *, top_level_only):
    """The modules ``name`` imports, absolute."""
    tree = ast.parse(path.read_text())
    nodes = tree.body if top_level_only else ast.walk(tree)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in nodes:
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package
            for _level in range(node.level - 1):
                base = base.rpartition(".")[0]
            module = node.module or ""
            target = f"{base}.{module}".strip(".") if node.level else module
            yield target
            yield from (f"{target}.{alias.name}" for alias in node.names)


def test_core_imports_no_domain_app():
    domain = {f"osallistu.{app}" for app in APPS} - {"osallistu.core"}
    for name, path in modules("core").items():
        for target in imported(name, path, top_level_only=False):
            assert not any(target == app or target.startswith(f"{app}.") for app in domain), (
                f"{name} imports {target}"
            )


@pytest.mark.parametrize("app", APPS)
def test_no_import_cycles_inside_an_app(app):
    found = modules(app)
    graph = {
        name: {
            target
            for target in imported(name, path, top_level_only=True)
            if target in found and target != name
        }
        for name, path in found.items()
    }
    # A package's __init__ is imported with any of its modules: a module importing its
    # own package is not a cycle through the package's other modules.
    for name in graph:
        graph[name] = {t for t in graph[name] if not name.startswith(f"{t}.")}
    state = {}

    def visit(name, trail):
        if state.get(name) == "done":
            return
        if state.get(name) == "open":
            cycle = [*trail[trail.index(name) :], name]
            pytest.fail(f"import cycle: {' -> '.join(cycle)}")
        state[name] = "open"
        for target in sorted(graph[name]):
            visit(target, [*trail, name])
        state[name] = "done"

    for name in sorted(graph):
        visit(name, [])
