"""Checking a parsed form file against the form definition format, collecting every problem."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .messages import suggest
from .model import CHECK_ANSWERS
from .questions import NOT_SUPPORTED, TYPES
from .questions_base import Option
from .schema_conditions import ConditionChecker, Scope, check_route, check_routes_once, check_rule

ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# key: (kind, required). Kinds as in questions_base.Option, plus "table", "tables", "strings", "id", "any".
FORM_KEYS = {
    "id": ("id", True), "version": ("str", True), "title": ("str", True), "summary": ("str", False),
    "owner": ("str", False), "sensitive": ("bool", False), "what_to_bring": ("strings", False),
    "retention_days": ("int", False), "what_happens_next": ("str", False), "declaration": ("str", False),
    "pages": ("tables", True), "exits": ("tables", False), "destinations": ("strings", False),
}
#: Where a form's submissions can go (``destinations = ["email", "folder"]``); see docs/delivery.md.
DESTINATIONS = ("email", "webhook", "folder")
PAGE_KEYS = {
    "id": ("id", True), "kind": (("questions", "repeat"), False), "title": ("str", False),
    "section": ("str", False), "show_if": ("table", False), "questions": ("tables", True),
    "routes": ("tables", False), "item_name": ("str", False), "min": ("int", False), "max": ("int", False),
    "rules": ("tables", False),
}
QUESTION_KEYS = {
    "id": ("id", True), "type": ("str", True), "label": ("str", True), "hint": ("str", False),
    "helper_prompt": ("str", False), "private": ("bool", False), "optional": ("bool", False),
    "name": ("str", False), "errors": ("table", False), "required_if": ("table", False),
}
EXIT_KEYS = {"id": ("id", True), "title": ("str", True), "body": ("str", False), "next_steps": ("str", False)}
REPEAT_ONLY = ("item_name", "min", "max")
# Words people often write for a question type.
TYPE_SYNONYMS = {
    "radio": "choose_one", "radios": "choose_one", "select": "choose_one", "dropdown": "choose_one",
    "checkbox": "choose_many", "checkboxes": "choose_many", "textarea": "long_text", "string": "text",
    "integer": "number", "currency": "money", "telephone": "phone", "tel": "phone", "boolean": "yes_no",
    "nino": "ni_number", "national_insurance": "ni_number",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a form file, at ``path`` inside it (e.g. ``pages[3].questions[0].type``)."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path}: {self.message}" if self.path else f"{self.file}: {self.message}"


class DefinitionError(Exception):
    """Form files that cannot be loaded; ``problems`` lists everything wrong with them."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def _kind_problem(value, kind) -> str | None:
    """Why ``value`` is not of ``kind``, or ``None`` when it is."""
    if isinstance(kind, tuple):
        if value in kind:
            return None
        return f"unknown value '{value}'{suggest(value, kind)}; use one of: " + ", ".join(kind)
    checks = {
        "str": (lambda v: isinstance(v, str) and v.strip(), "must be text in quotes, not empty"),
        "id": (lambda v: isinstance(v, str) and ID.match(v),
               "must be lowercase letters, digits and single hyphens, like 'date-of-birth'"),
        "bool": (lambda v: isinstance(v, bool), "must be true or false"),
        "int": (lambda v: isinstance(v, int) and not isinstance(v, bool), "must be a whole number"),
        "number": (lambda v: isinstance(v, (int, float)) and not isinstance(v, bool), "must be a number"),
        "strings": (lambda v: isinstance(v, list) and all(isinstance(i, str) and i.strip() for i in v),
                    "must be a list of text, like [\"a\", \"b\"]"),
        "table": (lambda v: isinstance(v, dict), "must be a table, like { key = \"value\" }"),
        "tables": (lambda v: isinstance(v, list) and all(isinstance(i, dict) for i in v), "must be a list of tables"),
        "choices": (lambda v: isinstance(v, list) and all(isinstance(i, dict) for i in v),
                    "must be a list of options, like [{ value = \"a\", label = \"A\" }]"),
        "choice": (lambda v: isinstance(v, dict), "must be an option, like { value = \"none\", label = \"None\" }"),
    }
    if kind == "any":
        return None
    test, message = checks[kind]
    return None if test(value) else message


def _misplaced(key: str, path: str) -> str:
    """A hint when a page's key was written after its questions, so TOML gave it to the last question."""
    if path.endswith("]") and ".questions[" in path and key in PAGE_KEYS and key not in QUESTION_KEYS:
        return f"; if '{key}' is for the page, put it before the page's first [[pages.questions]]"
    return ""


class Checker:
    """Collects the problems of one parsed form file. Use :func:`validate`."""

    def __init__(self, file: str):
        self.file, self.problems = file, []

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(self.file, path, message))

    def table(self, data: dict, keys: dict, path: str, extra: dict | None = None) -> dict:
        """Check ``data`` has the ``keys`` it needs, of the right kinds; return only the good values."""
        allowed = {**keys, **(extra or {})}
        good = {}
        prefix = f"{path}." if path else ""
        for key, value in data.items():
            if key not in allowed:
                self.add(prefix + key, f"unknown key '{key}'{suggest(key, allowed)}{_misplaced(key, path)}")
                continue
            problem = _kind_problem(value, allowed[key][0])
            if problem:
                self.add(prefix + key, problem)
            else:
                good[key] = value
        for key, (kind, required) in keys.items():
            if required and key not in data:
                self.add(prefix + key, "required but missing")
        return good


def validate(data: dict, file: str, stem: str) -> list[Problem]:
    """Every problem with the parsed form file ``data`` (named ``file``, stem ``stem``)."""
    check = Checker(file)
    form = check.table(data, FORM_KEYS, "")
    if "id" in form and form["id"] != stem:
        check.add("id", f"must be the same as the file name: '{stem}'")
    if form.get("retention_days", 1) < 1:
        check.add("retention_days", "must be 1 or more")
    for i, destination in enumerate(form.get("destinations", [])):
        if destination not in DESTINATIONS:
            check.add(f"destinations[{i}]", f"unknown destination '{destination}'{suggest(destination, DESTINATIONS)}; "
                      "use one of: " + ", ".join(DESTINATIONS))
        elif destination in form["destinations"][:i]:
            check.add(f"destinations[{i}]", f"'{destination}' is listed twice")
    exits = _check_exits(check, form.get("exits", []))
    pages = [check.table(page, PAGE_KEYS, f"pages[{i}]") for i, page in enumerate(form.get("pages", []))]
    if "pages" in form and not pages:
        check.add("pages", "a form needs at least one page")
    _check_pages(check, pages, form.get("pages", []), exits)
    return check.problems


def _check_exits(check: Checker, exits: list[dict]) -> set[str]:
    ids = set()
    for i, raw in enumerate(exits):
        exit_ = check.table(raw, EXIT_KEYS, f"exits[{i}]")
        if exit_.get("id") in ids:
            check.add(f"exits[{i}].id", f"duplicate exit id '{exit_['id']}'")
        ids.add(exit_.get("id"))
    ids.discard(None)
    return ids


def _check_pages(check: Checker, pages: list[dict], raw_pages: list, exits: set[str]) -> None:
    page_index: dict[str, int] = {}
    questions: dict[str, tuple[int, dict, bool]] = {}
    fields: set[str] = set()
    for i, page in enumerate(pages):
        path = f"pages[{i}]"
        if "id" in page:
            if page["id"] in page_index:
                check.add(f"{path}.id", f"duplicate page id '{page['id']}'")
            elif page["id"] == CHECK_ANSWERS:
                check.add(f"{path}.id", f"'{CHECK_ANSWERS}' is kept for the check answers page")
            page_index.setdefault(page["id"], i)
        repeat = page.get("kind") == "repeat"
        raw_questions = raw_pages[i].get("questions") if isinstance(raw_pages[i].get("questions"), list) else []
        page_questions = [_check_question(check, q, f"{path}.questions[{j}]") if isinstance(q, dict) else {}
                          for j, q in enumerate(raw_questions)]
        _check_page_shape(check, page, page_questions, path, repeat)
        for j, question in enumerate(page_questions):
            qid = question.get("id")
            if qid is None:
                continue
            if qid in questions:
                added = " (the signature question of a declaration with signature = true)" \
                    if questions[qid][1].get("added") else ""
                check.add(f"{path}.questions[{j}].id", f"duplicate question id '{qid}'{added}")
                continue
            questions[qid] = (i, question, page.get("id") if repeat else None)
            qtype = TYPES.get(question.get("type"))
            names = set(qtype.field_names(_Stub(question))) if qtype else set()
            for name in sorted(names & fields):
                check.add(f"{path}.questions[{j}].id", f"input name '{name}' is used by another question")
            fields |= names
            _check_signature(check, question, f"{path}.questions[{j}]", (i, repeat), questions, fields)
    groups = {page["id"]: i for i, page in enumerate(pages) if page.get("kind") == "repeat" and "id" in page}
    conditions = ConditionChecker(check, questions, groups)
    for i, page in enumerate(pages):
        group = page.get("id") if page.get("kind") == "repeat" else None
        on_page = [q for where, q, _ in questions.values() if where == i]
        if group is not None and group in questions:
            check.add(f"pages[{i}].id", f"a repeating group cannot have the same id as a question: '{page['id']}'")
        if "show_if" in page:
            conditions.condition(page["show_if"], f"pages[{i}].show_if", Scope(i))
        for j, question in enumerate(q for q in on_page if not q.get("added")):
            if "required_if" in question:
                conditions.condition(question["required_if"], f"pages[{i}].questions[{j}].required_if",
                                     Scope(i, same_page=True, group=group))
        for r, route in enumerate(page.get("routes", [])):
            check_route(check, conditions, route, f"pages[{i}].routes[{r}]", (i, on_page), page_index, exits)
        check_routes_once(check, page, i)
        for r, rule in enumerate(page.get("rules", [])):
            check_rule(check, conditions, rule, f"pages[{i}].rules[{r}]", (i, on_page, group))


def _check_signature(check: Checker, question: dict, path: str, where: tuple[int, bool], questions: dict,
                     fields: set) -> None:
    """A signature question, or the one a declaration's ``signature = true`` adds after it (registered
    in ``questions`` and ``fields`` like a question of the file): not in a repeating group, no id
    or input name another question has."""
    page, repeat = where
    if question.get("type") == "signature" and repeat:
        check.add(f"{path}.type", "a signature cannot be in a repeating group")
    if question.get("type") != "declaration" or not question.get("signature"):
        return
    if repeat:
        check.add(f"{path}.signature", "a signature cannot be in a repeating group")
        return
    added = {"id": f"{question['id']}-signature", "type": "signature", "added": True}
    if added["id"] in questions:
        check.add(f"{path}.signature", f"adds the question '{added['id']}', but another question has that id")
        return
    questions[added["id"]] = (page, added, repeat)
    names = set(TYPES["signature"].field_names(_Stub(added)))
    for name in sorted(names & fields):
        check.add(f"{path}.signature", f"adds the input '{name}', but another question uses that name")
    fields |= names


class _Stub:
    """Just enough of a question for :meth:`QuestionType.field_names` during checking."""

    def __init__(self, question: dict):
        self.id = question["id"]
        self.options = {"parts": question.get("parts", "full"), "international": question.get("international", False)}


def _check_page_shape(check: Checker, page: dict, questions: list[dict], path: str, repeat: bool) -> None:
    if "questions" in page and not questions:
        check.add(f"{path}.questions", "a page needs at least one question")
    if repeat:
        for key in ("title", "item_name"):
            if key not in page:
                check.add(f"{path}.{key}", "required for a repeating group (kind = \"repeat\")")
        low, high = page.get("min", 0), page.get("max", 10)
        if low < 0:
            check.add(f"{path}.min", "must be 0 or more")
        if high < 1:
            check.add(f"{path}.max", "must be 1 or more")
        elif low > high:
            check.add(f"{path}.min", f"must not be more than max ({high})")
    else:
        for key in REPEAT_ONLY:
            if key in page:
                check.add(f"{path}.{key}", "only for repeating groups (kind = \"repeat\")")
        if len(questions) > 1 and "title" not in page:
            check.add(f"{path}.title", "required when a page has more than one question")


def _check_question(check: Checker, raw: dict, path: str) -> dict:
    qtype = raw.get("type")
    if isinstance(qtype, str) and qtype in NOT_SUPPORTED:
        check.add(f"{path}.type", f"type '{qtype}' is {NOT_SUPPORTED[qtype]}")
        qtype = None
    elif isinstance(qtype, str) and qtype not in TYPES:
        hint = f" (did you mean '{TYPE_SYNONYMS[qtype]}'?)" if qtype in TYPE_SYNONYMS else suggest(qtype, TYPES)
        check.add(f"{path}.type", f"unknown type '{qtype}'{hint}")
        qtype = None
    kind = TYPES.get(qtype) if isinstance(qtype, str) else None
    options: dict[str, Option] = kind.options if kind else {}
    # Without a known type, other keys cannot be checked: accept them as they are.
    if kind:
        extra = {k: (o.kind, False) for k, o in options.items()}
    else:
        extra = {k: ("any", False) for k in raw if k not in QUESTION_KEYS}
    question = check.table(raw, QUESTION_KEYS, path, extra)
    if kind is None:
        question.pop("type", None)
        return question
    for key, problem in kind.check_options({k: question[k] for k in options if k in question}):
        check.add(f"{path}.{key}", problem)
    for code, text in question.get("errors", {}).items():
        if code not in kind.messages:
            check.add(f"{path}.errors.{code}", f"unknown error '{code}' for type '{qtype}'"
                      f"{suggest(code, kind.messages)}; use one of: " + ", ".join(kind.messages))
        elif not isinstance(text, str) or not text.strip():
            check.add(f"{path}.errors.{code}", "must be text in quotes, not empty")
    return question
