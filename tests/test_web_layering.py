"""The packages of assist import each other in one direction only.

Inside ``assist/`` no modules import each other round in a circle. The web layer is arranged by
area (``assist/web/<area>/``, each a blueprint package) over one ``assist/web/core`` that every
area uses: an area imports core and the packages below the web layer, never another area, and
core imports no area. Names starting with ``_`` stay in the module that defines them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import assist

ROOT = Path(assist.__file__).parent
WEB = ROOT / "web"
AREAS = {"journey", "assisted", "kiosk", "paper", "printing", "admin", "site"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in ROOT.rglob("*.py")}


def _absolute(module: str, is_package: bool, level: int, target: str | None) -> str:
    if not level:
        return target or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join(base + ([target] if target else []))


def imports(module: str, path: Path, known: dict[str, Path]) -> list[tuple[str, list[str]]]:
    """Every assist module ``module`` imports (anywhere in it, also inside functions), with the
    names taken from it by ``from ... import``."""
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names if alias.name.startswith("assist")]
        elif isinstance(node, ast.ImportFrom):
            target = _absolute(module, is_package, node.level, node.module)
            if not target.startswith("assist"):
                continue
            names = []
            for alias in node.names:
                if f"{target}.{alias.name}" in known:  # a submodule, not a name
                    found.append((f"{target}.{alias.name}", []))
                else:
                    names.append(alias.name)
            if names:
                found.append((target, names))
    return found


def graph() -> dict[str, set[str]]:
    """Which assist modules each assist module imports. A package importing its own submodules
    (to register them) is left out: that is how a package is put together, not a dependency."""
    known = modules()
    edges: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        for target, _names in imports(name, path, known):
            while target not in known and "." in target:
                target = target.rsplit(".", 1)[0]
            if target == name or (path.name == "__init__.py" and target.startswith(name + ".")):
                continue
            edges[name].add(target)
    return edges


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return groups


def area_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[:2] != ["assist", "web"] or len(parts) < 3:
        return None
    return parts[2]


def test_no_modules_in_assist_import_each_other_in_a_circle():
    assert circles(graph()) == []


def test_the_circle_finder_finds_a_circle():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert circles(edges) == [["a", "b", "c"]]


def test_the_web_layer_is_core_and_one_package_per_area():
    loose = sorted(path.name for path in WEB.glob("*.py") if path.name != "__init__.py")
    assert loose == []
    packages = {path.parent.name for path in WEB.glob("*/__init__.py")}
    assert packages == AREAS | {"core"}
    for area in AREAS:
        text = (WEB / area / "__init__.py").read_text(encoding="utf-8")
        assert "Blueprint(" in text, f"assist/web/{area} has no blueprint"


def test_an_area_imports_core_and_the_layers_below_never_another_area():
    for module, targets in graph().items():
        area = area_of(module)
        if area is None or area == "core":
            continue
        for target in targets:
            other = area_of(target)
            assert other in (None, "core", area) or target == "assist.web", f"{module} imports {target}"
            assert target != "assist.web", f"{module} imports the web package itself"


def test_core_imports_no_area():
    for module, targets in graph().items():
        if area_of(module) != "core":
            continue
        for target in targets:
            assert area_of(target) in (None, "core") and target != "assist.web", f"{module} imports {target}"


def test_the_layers_below_the_web_never_import_it():
    for module, targets in graph().items():
        if module.startswith("assist.web") or module in ("assist.cli", "assist.server") or module.startswith("assist.cli"):
            continue
        assert not any(target.startswith("assist.web") for target in targets), f"{module} imports the web layer"


def test_no_module_takes_a_private_name_from_another():
    known = modules()
    taken = []
    for name, path in known.items():
        for target, names in imports(name, path, known):
            taken += [f"{name} takes {target}.{each}" for each in names if each.startswith("_")
                      and not each.startswith("__")]
    assert taken == []
