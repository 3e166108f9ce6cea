"""Loading form definition files (TOML) into the form model."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Iterable

from .messages import N_
from .conditions import Comparison, parse_condition
from .model import Exit, Form, Page, Question, Route
from .questions import TYPES
from .rules import Rule
from .schema import DefinitionError, Problem, validate

MAX_BYTES = 1_000_000


def _read(path: Path) -> tuple[dict | None, list[Problem]]:
    """The parsed file, or ``None`` and the problem that stopped it being read."""
    name = str(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            return None, [Problem(name, "", "file is too large (more than 1 MB); a form file should be much smaller")]
        text = path.read_bytes().decode("utf-8")
    except OSError as error:
        return None, [Problem(name, "", f"cannot read the file: {error.strerror or error}")]
    except UnicodeDecodeError:
        return None, [Problem(name, "", "the file is not saved as UTF-8 text")]
    try:
        return tomllib.loads(text), []
    except RecursionError:
        return None, [Problem(name, "", "not valid TOML: lists or tables are nested too deeply")]
    except tomllib.TOMLDecodeError as error:
        where = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error)) or "invalid TOML"
        path_text = f"line {where.group(1)}, column {where.group(2)}" if where else ""
        return None, [Problem(name, path_text, f"not valid TOML: {message}")]


def _question(data: dict) -> Question:
    qtype = TYPES[data["type"]]
    options = {key: data.get(key, option.default) for key, option in qtype.options.items()}
    return Question(
        id=data["id"], type=data["type"], label=data["label"], hint=data.get("hint"),
        helper_prompt=data.get("helper_prompt"), private=data.get("private", False),
        optional=data.get("optional", False) or "required_if" in data,
        name=data.get("name") or qtype.name_for(options), errors=dict(data.get("errors", {})), options=options,
        required_if=_condition(data.get("required_if")),
    )


#: The label of the question a declaration's ``signature = true`` adds after it.
SIGNATURE_LABEL = N_("Your signature")


def _questions(data: list[dict]) -> list[Question]:
    """A page's questions, with the signature question after each declaration that asks for one
    (``signature = true``): id ``<declaration id>-signature``, private when the declaration is."""
    questions = []
    for item in data:
        questions.append(_question(item))
        if item["type"] == "declaration" and item.get("signature"):
            questions.append(_question({"id": f"{item['id']}-signature", "type": "signature",
                                        "label": SIGNATURE_LABEL, "private": item.get("private", False)}))
    return questions


def _condition(data: dict | None):
    return None if data is None else parse_condition(data)


def _route(data: dict, page: dict) -> Route:
    """A route: ``if = "no"`` answers the page's only question; a table is any condition."""
    condition = data["if"]
    if isinstance(condition, str):
        question = page["questions"][0]["id"]
        return Route(Comparison(question, "equals", condition), data.get("goto"), data.get("exit"), condition)
    return Route(parse_condition(condition), data.get("goto"), data.get("exit"))


def _rule(data: dict, page: dict) -> Rule:
    first = page["questions"][0]["id"]
    if "at_least_one_of" in data:
        questions = tuple(data["at_least_one_of"])
        return Rule("at_least_one_of", data.get("question", questions[0]), questions=questions,
                    error=data.get("error"))
    return Rule("must", data.get("question", first), condition=parse_condition(data["must"]), error=data["error"])


def _page(data: dict) -> Page:
    repeat = data.get("kind") == "repeat"
    return Page(
        id=data["id"], kind=data.get("kind", "questions"), title=data.get("title"), section=data.get("section"),
        questions=_questions(data["questions"]), show_if=_condition(data.get("show_if")),
        routes=[_route(r, data) for r in data.get("routes", [])],
        item_name=data.get("item_name"), min=data.get("min", 0) if repeat else 0,
        max=data.get("max", 10) if repeat else None,
        rules=[_rule(r, data) for r in data.get("rules", [])],
    )


def _form(data: dict, path: Path) -> Form:
    return Form(
        id=data["id"], version=data["version"], title=data["title"], summary=data.get("summary", ""),
        owner=data.get("owner", ""), sensitive=data.get("sensitive", False),
        what_to_bring=list(data.get("what_to_bring", [])), retention_days=data.get("retention_days"),
        what_happens_next=data.get("what_happens_next", ""), declaration=data.get("declaration"),
        pages=[_page(p) for p in data["pages"]],
        exits={e["id"]: Exit(e["id"], e["title"], e.get("body", ""), e.get("next_steps"))
               for e in data.get("exits", [])},
        source=path,
        destinations=list(data["destinations"]) if "destinations" in data else None,
    )


def _load(path: Path) -> tuple[Form | None, list[Problem]]:
    data, problems = _read(path)
    if data is None:
        return None, problems
    problems = validate(data, str(path), path.stem)
    return (None, problems) if problems else (_form(data, path), [])


def load_form(path) -> Form:
    """Load one form file; raises :class:`DefinitionError` listing everything wrong with it."""
    form, problems = _load(Path(path))
    if problems:
        raise DefinitionError(problems)
    return form


def _files(paths: Iterable) -> list[Path]:
    found = []
    for path in map(Path, paths):
        found.extend(sorted(path.glob("*.toml")) if path.is_dir() else [path])
    return found


def load_forms(directory) -> dict[str, Form]:
    """Load every ``*.toml`` form in ``directory``, ordered by title.

    Raises :class:`DefinitionError` with the problems of all the files if any is wrong.
    """
    forms, problems = [], []
    for path in _files([directory]):
        form, found = _load(path)
        problems.extend(found)
        if form:
            forms.append(form)
    if problems:
        raise DefinitionError(problems)
    return {form.id: form for form in sorted(forms, key=lambda f: f.title.casefold())}


def check_forms(paths) -> list[Problem]:
    """Every problem in the given form files and directories of form files (``assist check-forms``)."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    problems = []
    for path in _files(paths):
        problems.extend(_load(path)[1])
    return problems
