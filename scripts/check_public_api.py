"""Fail when the project touches a private name of Django or another package.

Private means a name that starts with one underscore; ``Model._meta`` and ``_state`` are
documented and allowed. Three ways in are checked:

- importing a private module or name from a package that is not ours;
- reading, writing or passing (as a keyword argument) an attribute with a private
  name that our own code never defines, so it can only be someone else's;
- a class of ours that defines a private attribute its base classes from other
  packages already have: an override of their internals.

Migrations are left out: Django writes them, with its own private keywords.
"""

import ast
import importlib
import inspect
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OURS = ("osallistu", "config", "tests", "bench", "scripts")
ALLOWED = {"_meta", "_state"}


def is_private(name):
    sunder = len(name) > 2 and name.endswith("_") and not name.endswith("__")  # enum's own
    return (
        name.startswith("_")
        and not name.startswith("__")
        and not sunder
        and name not in ALLOWED | {"_"}
    )


def is_ours(module):
    return module.split(".")[0] in OURS or module.startswith(".")


def sources():
    for top in OURS:
        for path in sorted((ROOT / top).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def defined_names(trees):
    """Every private name our code defines: functions, classes, arguments, variables,
    and attributes it assigns."""
    names = set()
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.alias):
                names.add(node.asname or node.name.split(".")[0])
    return {name for name in names if is_private(name)}


def source_problems(trees):
    ours = defined_names(trees)
    for path, tree in trees.items():
        where = path.relative_to(ROOT)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if not is_ours(alias.name) and any(map(is_private, alias.name.split("."))):
                        yield f"{where}:{node.lineno}: imports the private module {alias.name}"
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                if is_ours(node.module):
                    continue
                if any(map(is_private, node.module.split("."))):
                    yield f"{where}:{node.lineno}: imports from the private module {node.module}"
                for alias in node.names:
                    if is_private(alias.name):
                        yield f"{where}:{node.lineno}: imports the private {alias.name}"
            elif (
                isinstance(node, ast.Attribute) and is_private(node.attr) and node.attr not in ours
            ):
                yield f"{where}:{node.lineno}: uses the private attribute .{node.attr}"
            elif (
                isinstance(node, ast.keyword)
                and node.arg
                and is_private(node.arg)
                and node.arg not in ours
            ):
                yield f"{where}:{node.lineno}: passes the private keyword {node.arg}="


def class_body_names(tree):
    """``{class name: private names its body defines}`` (not those a metaclass adds)."""
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            names = found.setdefault(node.name, set())
            for statement in node.body:
                if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
                    names.add(statement.name)
                elif isinstance(statement, ast.Assign | ast.AnnAssign):
                    targets = (
                        statement.targets
                        if isinstance(statement, ast.Assign)
                        else [statement.target]
                    )
                    names.update(t.id for t in targets if isinstance(t, ast.Name))
    return {name: {n for n in names if is_private(n)} for name, names in found.items()}


def override_problems(trees):
    """Classes of ours that define private members their foreign bases have."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    for path in sorted((ROOT / "osallistu").rglob("*.py")):
        if "migrations" in path.parts or path.name == "__main__.py":
            continue
        module = importlib.import_module(
            ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        )
        defined = class_body_names(trees[path])
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__:
                continue
            foreign = [base for base in cls.__mro__[1:] if not is_ours(base.__module__)]
            for attribute in defined.get(cls.__name__, ()):
                if any(hasattr(base, attribute) for base in foreign):
                    yield (
                        f"{cls.__module__}.{cls.__qualname__} overrides the private "
                        f"{attribute} of a class it extends"
                    )


def main():
    trees = {path: ast.parse(path.read_text(), filename=str(path)) for path in sources()}
    problems = [*source_problems(trees), *override_problems(trees)]
    for problem in problems:
        print(problem)
    print(f"{len(trees)} files checked, {len(problems)} private names of other packages used")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
