"""The layout holds: imports between apps run one way (no cycle, and each app imports only the
apps below it, as the README's "How the code is laid out" says), and no test module imports
another (shared helpers live in `tests/**/support.py`)."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
NOT_APPS = {"tests", "bench", "node_modules", "staticfiles", "artifacts"}
#: Each app and the apps it may import (the project package, `itbcare`, may import them all).
MAY_IMPORT = {
    "kit": set(),
    "screening": {"kit"},
    "accounts": {"kit", "screening"},
    "rehab": {"kit", "screening"},
    "reminders": {"kit", "screening", "accounts", "rehab"},
    "reports": {"kit", "screening", "accounts", "rehab"},
    "imports": {"kit", "screening", "accounts", "rehab"},
}


def _apps() -> list[str]:
    return sorted(
        path.name
        for path in ROOT.iterdir()
        if (path / "__init__.py").exists() and path.name not in NOT_APPS and not path.name.startswith(".")
    )


def _imports(path: Path) -> set[str]:
    """The top-level packages a module imports (absolute imports, wherever they stand)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def _graph() -> dict[str, dict[str, set[str]]]:
    """app -> {app it imports: the modules that do}."""
    apps = _apps()
    graph: dict[str, dict[str, set[str]]] = {app: {} for app in apps}
    for app in apps:
        for path in (ROOT / app).rglob("*.py"):
            for other in _imports(path) & set(apps) - {app}:
                graph[app].setdefault(other, set()).add(str(path.relative_to(ROOT)))
    return graph


def _cycle(graph) -> list[str] | None:
    """One import cycle between apps, as a path that ends where it starts, or None."""
    done: set[str] = set()

    def walk(app: str, path: list[str]) -> list[str] | None:
        if app in path:
            return path[path.index(app) :] + [app]
        if app in done:
            return None
        for other in sorted(graph[app]):
            found = walk(other, [*path, app])
            if found:
                return found
        done.add(app)
        return None

    for app in sorted(graph):
        found = walk(app, [])
        if found:
            return found
    return None


def test_no_import_cycle_between_apps():
    graph = _graph()
    cycle = _cycle(graph)
    if cycle:
        steps = [f"{a} -> {b} ({', '.join(sorted(graph[a][b]))})" for a, b in zip(cycle, cycle[1:], strict=False)]
        raise AssertionError("import cycle between apps:\n" + "\n".join(steps))


def test_each_app_imports_only_the_apps_below_it():
    graph = _graph()
    wrong = [
        f"{app} -> {other} ({', '.join(sorted(modules))})"
        for app, allowed in MAY_IMPORT.items()
        for other, modules in graph.get(app, {}).items()
        if other not in allowed
    ]
    assert not wrong, "imports that run back up:\n" + "\n".join(wrong)


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b": set()}, "b": {"c": set()}, "c": {"a": set()}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b": set()}, "b": {}, "c": {"a": set()}}) is None


def test_no_test_module_imports_another():
    tests = ROOT / "tests"
    wrong = []
    for path in tests.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            if any(name.startswith("tests.") and name.rsplit(".", 1)[-1].startswith("test_") for name in names):
                wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not wrong, "test modules importing test modules (move the helper to a support.py):\n" + "\n".join(wrong)
