"""The engine is plain Python: it imports only the standard library, phonenumbers, babel and itself.

An allow-list, not a deny-list: a new dependency of the engine fails here until it is added below
on purpose. babel is allowed because the engine writes dates, numbers and money the way each
language writes them (``assist/engine/formatting.py``, used by ``display_answer`` for check answers,
printouts and the delivered JSON); like phonenumbers it is a plain library with no web framework,
no database and no PDF code, so the engine still runs, and is tested, without any of those.
"""

import ast
import sys
from pathlib import Path

import assist.engine

ENGINE = Path(assist.engine.__file__).parent
#: Third-party packages the engine may import, and why.
ALLOWED_PACKAGES = {
    "phonenumbers": "checks and formats UK phone numbers",
    "babel": "formats dates, numbers and money for the resident's language",
}


def imported_modules(source: str):
    """Every module ``source`` imports (anywhere, also inside functions), relative ones with their dots."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield ("." * node.level) + (node.module or "")


def not_allowed(source: str) -> list[str]:
    """The imports in ``source`` outside the allow-list: the standard library, the packages above,
    and the engine's own modules (relative, one dot: never ``..``, never ``assist.`` elsewhere)."""
    found = []
    for module in imported_modules(source):
        if module.startswith("."):
            if module.startswith(".."):
                found.append(module)
            continue
        top = module.split(".")[0]
        if top == "__future__" or top in sys.stdlib_module_names or top in ALLOWED_PACKAGES:
            continue
        found.append(module)
    return found


def test_engine_imports_only_the_standard_library_phonenumbers_babel_and_itself():
    modules = sorted(ENGINE.rglob("*.py"))
    assert len(modules) > 10
    found = {path.name: not_allowed(path.read_text(encoding="utf-8")) for path in modules}
    assert {name: imports for name, imports in found.items() if imports} == {}


def test_the_allow_list_refuses_what_is_not_on_it():
    source = """
import re, json
import datetime as dt
from __future__ import annotations
from .model import Form
from babel.dates import format_date
import phonenumbers
import flask
from werkzeug.datastructures import MultiDict
from ..storage import Store
from assist.config import load_config
import requests

def later():
    import weasyprint
"""
    assert not_allowed(source) == ["flask", "werkzeug.datastructures", "..storage", "assist.config", "requests",
                                   "weasyprint"]
