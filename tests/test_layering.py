"""The house's layering, read from the source (ast, nothing imported): imports run one way
(core <- support_network <- families <- contracts <- reporting <- demo), services, selectors and
models never import a tasks module (tasks own the queue), and no two modules of the apps import
each other, directly or round a loop. Imports inside functions count too: they are how the old
loops hid. config/ wires the rooms and tests/ test them: both are exempt."""

import ast
from pathlib import Path

import pytest
from django.conf import global_settings

from config import settings as declared

ROOT = Path(__file__).resolve().parents[1]
# the floors, lowest first: a room may import only from its own floor and the ones below
ROOMS = ["core", "support_network", "families", "contracts", "reporting", "demo"]
FLOOR = {room: floor for floor, room in enumerate(ROOMS)}
NO_TASKS_IN = ("services", "selectors", "models")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {
        _module_name(path): path
        for room in ROOMS
        for path in sorted((ROOT / room).rglob("*.py"))
        if "migrations" not in path.parts
    }


MODULES = _modules()


def _imported(name: str, path: Path) -> set[str]:
    """Modules of the tree that `name` imports anywhere in its body (functions included): for
    `from X import Y` the submodule X.Y when there is one, else X."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return {module for module in found if module.split(".")[0] in FLOOR}


IMPORTS = {name: _imported(name, path) for name, path in MODULES.items()}


def _is_tasks(module: str) -> bool:
    return module.rsplit(".", maxsplit=1)[-1] == "tasks" or module.rsplit(".", maxsplit=1)[-1].startswith("tasks_")


def test_services_selectors_and_models_never_import_tasks():
    offenders = [
        f"{name} imports {module}"
        for name, imported in IMPORTS.items()
        if any(part in NO_TASKS_IN for part in name.split(".")[1:])
        for module in sorted(imported)
        if _is_tasks(module)
    ]
    assert offenders == []


def test_imports_run_one_way_from_core_to_demo():
    offenders = [
        f"{name} imports {module}"
        for name, imported in IMPORTS.items()
        for module in sorted(imported)
        if FLOOR[module.split(".")[0]] > FLOOR[name.split(".")[0]]
    ]
    assert offenders == []


def _cycles() -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in IMPORTS.get(node, ()):
            if target not in IMPORTS or target == node:
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
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

    for name in sorted(IMPORTS):
        if name not in index:
            visit(name)
    return found


def test_no_import_cycles_between_modules():
    assert _cycles() == []


def _settings_read(path: Path) -> set[str]:
    """Names read as settings.NAME or getattr(settings, "NAME", ...) in a module."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "settings":
            names.add(node.attr)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", None) == "getattr"
            and node.args
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id == "settings"
        ):
            names.add(f"getattr:{ast.unparse(node.args[1])}")
    return {name for name in names if name.isupper() or name.startswith("getattr:")}


def test_every_setting_the_code_reads_is_declared_in_config_settings():
    """config/settings.py declares each setting with its default: no getattr(settings, ..., default)."""
    read = {name: path for path in MODULES.values() for name in _settings_read(path)}
    hidden = sorted(name for name in read if name.startswith("getattr:"))
    assert hidden == []
    undeclared = sorted(name for name in read if not hasattr(declared, name) and not hasattr(global_settings, name))
    assert undeclared == []


MAX_FUNCTION_LINES = 60
DOMAIN_ROOMS = ("support_network", "families", "contracts", "reporting")


def _long_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    return [
        f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]


def test_no_function_outside_demo_data_is_longer_than_60_lines():
    """A function that does two things is two functions; demo/ (data tables) is exempt."""
    paths = [path for name, path in MODULES.items() if not name.startswith("demo")]
    paths += sorted((ROOT / "config").glob("*.py")) + sorted((ROOT / "bench").glob("*.py"))
    assert [entry for path in paths for entry in _long_functions(path)] == []


def test_demo_and_load_data_live_only_in_demo():
    """No seeder, catalogue seed or load generator in a domain room (they are demo/'s), and no
    management command that fills demo data there."""
    offenders = [
        name
        for name in MODULES
        if name.split(".")[0] in DOMAIN_ROOMS
        and any(part.startswith(("demo", "loadgen", "seed_demo", "generate_load_data")) for part in name.split("."))
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from reporting.tasks import render_report", {"reporting.tasks"}),
        ("def f():\n    from contracts import tasks", {"contracts.tasks"}),
        ("from core.errors import DomainError", {"core.errors"}),
        ("import django.db", set()),
    ],
)
def test_the_reader_sees_every_import_of_the_tree(tmp_path, source, expected):
    path = tmp_path / "probe.py"
    path.write_text(source)
    assert _imported("families.probe", path) == expected
