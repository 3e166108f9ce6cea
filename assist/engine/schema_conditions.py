"""Checking conditions, routes and validation rules in a form file, with what to write instead."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .conditions import AGE_OPS, CHOICE_OPS, COMPARISONS, DATE_OPS, NUMBER_OPS, TICK_OPS, TODAY
from .messages import suggest

CHOICE_TYPES = ("yes_no", "choose_one")
COMBINERS = ("all", "any", "not")
ITEM_MODES = ("any", "all", "at_least")
TYPES_FOR = {
    **{op: CHOICE_TYPES for op in CHOICE_OPS}, **{op: ("choose_many",) for op in TICK_OPS},
    **{op: ("number", "money") for op in NUMBER_OPS}, **{op: ("date",) for op in DATE_OPS + AGE_OPS},
}
#: What people write for a combination, and what to write instead.
COMBINER_SYNONYMS = {"and": "all", "or": "any", "all_of": "all", "either": "any", "unless": "not"}
TARGET_SYNONYMS = ("end", "END", "check_answers", "check-your-answers", "submit", "finish")


@dataclass(frozen=True)
class Scope:
    """What a condition at ``page`` may read: questions on earlier pages, on ``page`` itself when
    ``same_page``, and those of the repeating group ``group`` (the items being looked at)."""

    page: int
    same_page: bool = False
    group: str | None = None


def _choice_values(question: dict) -> list[str]:
    if question.get("type") == "yes_no":
        return ["yes", "no"]
    items = list(question.get("options", [])) + ([question["none_option"]] if question.get("none_option") else [])
    return [item.get("value") for item in items if isinstance(item, dict)]


def _is_date(value) -> bool:
    if value == TODAY:
        return True
    try:
        dt.date.fromisoformat(value)
        return isinstance(value, str) and len(value) == 10
    except (TypeError, ValueError):
        return False


class ConditionChecker:
    """Checks conditions against the form's questions (``questions``: id → (page index, question
    table, repeating group id or ``None``)) and repeating groups (``groups``: id → page index)."""

    def __init__(self, check, questions: dict, groups: dict):
        self.check, self.questions, self.groups = check, questions, groups

    def condition(self, raw, path: str, scope: Scope) -> None:
        """Add a problem for everything wrong with the condition ``raw`` at ``path``."""
        add = self.check.add
        if not isinstance(raw, dict):
            add(path, "must be a condition table, like { question = \"has-badge\", equals = \"no\" }")
            return
        for word, instead in COMBINER_SYNONYMS.items():
            if word in raw:
                add(f"{path}.{word}", f"'{word}' is not supported; combine conditions with "
                    f"{instead} = " + ("{ ... }" if instead == "not" else "[ {...}, {...} ]"))
                return
        if "items" in raw:
            self._items(raw, path, scope)
            return
        combiners = [key for key in COMBINERS if key in raw]
        if combiners:
            if len(raw) != 1:
                add(path, f"'{combiners[0]}' must be the only key of its table; put other tests inside it")
                return
            self._combined(combiners[0], raw[combiners[0]], f"{path}.{combiners[0]}", scope)
            return
        self._comparison(raw, path, scope)

    def _combined(self, key: str, parts, path: str, scope: Scope) -> None:
        if key == "not":
            self.condition(parts, path, scope)
            return
        if not isinstance(parts, list) or not parts:
            self.check.add(path, f"must be a list of conditions, like {key} = [ {{ question = \"a\", "
                           "equals = \"yes\" }, { question = \"b\", equals = \"no\" } ]")
            return
        for i, part in enumerate(parts):
            self.condition(part, f"{path}[{i}]", scope)

    def _items(self, raw: dict, path: str, scope: Scope) -> None:
        add, group = self.check.add, raw.get("items")
        for key in raw:
            if key not in ("items", "where") + ITEM_MODES:
                add(f"{path}.{key}", f"unknown key '{key}' in a condition on items{suggest(key, ITEM_MODES)}; "
                    "use any = {...}, all = {...}, or at_least = 2 with where = {...}")
        if group not in self.groups:
            add(f"{path}.items", f"no repeating group '{group}'{suggest(group, self.groups)}")
            return
        if self.groups[group] >= scope.page + (1 if scope.same_page else 0):
            add(f"{path}.items", f"'{group}' must be a repeating group on an earlier page")
            return
        modes = [mode for mode in ITEM_MODES if mode in raw]
        if len(modes) != 1:
            add(path, "needs exactly one of: any = {...}, all = {...}, at_least = <number>")
            return
        inner = Scope(scope.page, scope.same_page, group)
        if modes[0] == "at_least":
            count = raw["at_least"]
            if not isinstance(count, int) or isinstance(count, bool) or count < 1:
                add(f"{path}.at_least", "must be a whole number, 1 or more")
            if "where" in raw:
                self.condition(raw["where"], f"{path}.where", inner)
        else:
            if "where" in raw:
                add(f"{path}.where", f"'where' goes with at_least; with {modes[0]}, put the test in {modes[0]}")
            self.condition(raw[modes[0]], f"{path}.{modes[0]}", inner)

    def _comparison(self, raw: dict, path: str, scope: Scope) -> None:
        add = self.check.add
        ops = [op for op in COMPARISONS if op in raw]
        for key in raw:
            if key not in ("question", "on") + COMPARISONS:
                hint = suggest(key, ("question", "on") + COMPARISONS) or \
                    "; a condition is { question = \"id\", <test> = value }, or all/any/not to combine them"
                add(f"{path}.{key}", f"unknown key '{key}'{hint}")
        if "question" not in raw:
            add(f"{path}.question", "required but missing")
        if len(ops) != 1:
            add(path, "needs exactly one test, one of: " + ", ".join(COMPARISONS))
            return
        qid, op = raw.get("question"), ops[0]
        if not isinstance(qid, str):
            return
        question = self._question(qid, f"{path}.question", scope)
        if question is None:
            return
        qtype = question.get("type")
        if op != "answered" and qtype not in TYPES_FOR[op]:
            add(f"{path}.{op}", f"'{op}' cannot test '{qid}' (a {qtype} question); "
                f"'{op}' is for {' and '.join(TYPES_FOR[op])} questions{_instead(qtype)}")
            return
        self._value(raw, op, question, f"{path}.{op}", scope)
        if "on" in raw and op not in AGE_OPS:
            add(f"{path}.on", "'on' is only for age_at_least and age_under")

    def _question(self, qid: str, path: str, scope: Scope) -> dict | None:
        if qid not in self.questions:
            hint = suggest(qid, self.questions)
            if not hint and qid.replace("_", "-") in self.questions:
                hint = f" (use hyphens: '{qid.replace('_', '-')}')"
            self.check.add(path, f"no question '{qid}'{hint}")
            return None
        where, question, group = self.questions[qid]
        if group is not None and group != scope.group:
            self.check.add(path, f"'{qid}' is in the repeating group '{group}'; test its answers with "
                           f"{{ items = \"{group}\", any = {{ question = \"{qid}\", ... }} }}")
            return None
        if group is None and (where > scope.page or (where == scope.page and not scope.same_page)):
            self.check.add(path, f"'{qid}' must be a question on an earlier page"
                           + (" or on this page" if scope.same_page else ""))
            return None
        return question

    def _value(self, raw: dict, op: str, question: dict, path: str, scope: Scope) -> None:
        add, value = self.check.add, raw[op]
        if op == "answered":
            if not isinstance(value, bool):
                add(path, "must be true or false")
        elif op in CHOICE_OPS + TICK_OPS:
            listed = op in ("any_of", "none_of")
            values = value if listed else [value]
            if listed != isinstance(value, list) or not all(isinstance(v, str) for v in values):
                add(path, "must be a list of option values, like [\"a\", \"b\"]" if listed
                    else "must be one option value in quotes")
                return
            options = _choice_values(question)
            for item in values:
                if item not in options:
                    add(path, f"'{item}' is not an option of '{question['id']}'{suggest(item, options)}")
        elif op in NUMBER_OPS:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                add(path, "must be a number, like 3 or 2.5 (not in quotes)")
        elif op in DATE_OPS:
            if isinstance(value, str) and not _is_date(value) and value in self.questions:
                other = self._question(value, path, scope)
                if other is not None and other.get("type") != "date":
                    add(path, f"'{value}' must be a date question, a date like \"2026-04-01\", or \"today\"")
            elif not _is_date(value):
                add(path, "must be a date like \"2026-04-01\", \"today\", or the id of an earlier date question")
        else:
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                add(path, "must be an age in whole years, like 75")
            on = raw.get("on")
            if on is not None and not _is_date(on):
                found = self._question(on, path[: path.rindex(".")] + ".on", scope) if isinstance(on, str) else None
                if found is not None and found.get("type") != "date":
                    add(path[: path.rindex(".")] + ".on", f"'{on}' must be a date question, a date or \"today\"")


def _instead(qtype) -> str:
    if qtype == "choose_many":
        return "; for tick boxes use includes or excludes"
    if qtype in CHOICE_TYPES:
        return "; for a choice use equals, not_equals, any_of or none_of"
    if qtype == "date":
        return "; for dates use before, after, on_or_before, on_or_after, age_at_least or age_under"
    return "; any question can be tested with answered = true"


def check_route(check, checker: ConditionChecker, raw: dict, path: str, page: tuple, pages: dict,
                exits: set) -> None:
    """A route: its condition (``if``), and a target that is a later page, the end or an exit.

    ``page`` is ``(index, questions on it)``."""
    index, on_page = page
    for key in raw:
        if key not in ("if", "goto", "exit"):
            check.add(f"{path}.{key}", f"unknown key '{key}'{suggest(key, ('if', 'goto', 'exit'))}")
    if "if" not in raw:
        check.add(f"{path}.if", "required but missing: the answer (if = \"no\") or a condition table")
    elif isinstance(raw["if"], str):
        if len(on_page) != 1 or on_page[0].get("type") not in CHOICE_TYPES:
            check.add(f"{path}.if", "if = \"<answer>\" works on a page with one yes_no or choose_one question; "
                      "here use a condition table, like if = { question = \"id\", includes = \"none\" }")
        elif raw["if"] not in _choice_values(on_page[0]):
            values = _choice_values(on_page[0])
            check.add(f"{path}.if", f"'{raw['if']}' is not an option of this question{suggest(raw['if'], values)}")
    else:
        checker.condition(raw["if"], f"{path}.if", Scope(index, same_page=True))
    if ("goto" in raw) == ("exit" in raw):
        check.add(path, "needs one of 'goto' or 'exit'")
    target = raw.get("goto")
    if target is not None and target != "check-answers":
        if not isinstance(target, str):
            check.add(f"{path}.goto", "must be a page id in quotes, or \"check-answers\"")
        elif target in TARGET_SYNONYMS:
            check.add(f"{path}.goto", f"no page '{target}'; to go to the end of the form, "
                      "use goto = \"check-answers\"")
        elif target not in pages:
            check.add(f"{path}.goto", f"no page '{target}'{suggest(target, list(pages) + ['check-answers'])}")
        elif pages[target] <= index:
            check.add(f"{path}.goto", f"'{target}' must be a later page (routes can only go forward)")
    if "exit" in raw and raw["exit"] not in exits:
        check.add(f"{path}.exit", f"no exit '{raw['exit']}'{suggest(str(raw['exit']), exits)}")


def check_routes_once(check, page: dict, index: int) -> None:
    """Short-form routes (``if = "no"``) name each answer once."""
    seen = set()
    for r, route in enumerate(page.get("routes", [])):
        value = route.get("if") if isinstance(route, dict) else None
        if isinstance(value, str):
            if value in seen:
                check.add(f"pages[{index}].routes[{r}].if", f"there is already a route for '{value}'")
            seen.add(value)


RULE_KEYS = ("must", "at_least_one_of", "error", "question")


def check_rule(check, checker: ConditionChecker, raw: dict, path: str, page: tuple) -> None:
    """A page rule: ``must`` (with its ``error``) or ``at_least_one_of`` questions on this page."""
    index, on_page, group = page
    ids = [q.get("id") for q in on_page]
    for key in raw:
        if key not in RULE_KEYS:
            check.add(f"{path}.{key}", f"unknown key '{key}'{suggest(key, RULE_KEYS)}")
    kinds = [key for key in ("must", "at_least_one_of") if key in raw]
    if len(kinds) != 1:
        check.add(path, "needs one of: must = {condition} with error = \"...\", or at_least_one_of = [\"a\", \"b\"]")
        return
    if "question" in raw and raw["question"] not in ids:
        check.add(f"{path}.question", f"'{raw['question']}' must be a question on this page{suggest(raw['question'], ids)}")
    if "error" in raw and (not isinstance(raw["error"], str) or not raw["error"].strip()):
        check.add(f"{path}.error", "must be text in quotes, not empty")
    if kinds[0] == "must":
        if "error" not in raw:
            check.add(f"{path}.error", "required with must: the message the resident sees, like "
                      "\"Your date of birth must show you are 75 or over\"")
        checker.condition(raw["must"], f"{path}.must", Scope(index, same_page=True, group=group))
        return
    listed = raw["at_least_one_of"]
    if not isinstance(listed, list) or len(listed) < 2 or not all(isinstance(q, str) for q in listed):
        check.add(f"{path}.at_least_one_of", "must list two or more question ids on this page, like [\"phone\", \"email\"]")
        return
    for qid in listed:
        question = next((q for q in on_page if q.get("id") == qid), None)
        if question is None:
            check.add(f"{path}.at_least_one_of", f"'{qid}' must be a question on this page{suggest(qid, ids)}")
        elif not question.get("optional"):
            check.add(f"{path}.at_least_one_of", f"'{qid}' needs optional = true, so it can be left empty "
                      "when another of them is answered")
