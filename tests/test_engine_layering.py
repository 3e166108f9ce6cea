"""The engine is plain Python: it imports no web framework, no PDF library and nothing else from assist."""

import ast
from pathlib import Path

import assist.engine

ENGINE = Path(assist.engine.__file__).parent
FORBIDDEN = {"flask", "flask_babel", "flask_wtf", "wtforms", "weasyprint", "jinja2", "werkzeug", "sqlite_utils"}


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield ("." * node.level) + (node.module or "")


def test_engine_imports_only_the_standard_library_phonenumbers_and_itself():
    for path in ENGINE.glob("*.py"):
        for module in imported_modules(path):
            top = module.split(".")[0]
            assert top not in FORBIDDEN, f"{path.name} imports {module}"
            assert not module.startswith("assist") and not module.startswith(".."), f"{path.name} imports {module}"
