"""Question types where people choose from options: yes/no, choose one, choose many."""

from __future__ import annotations

from dataclasses import dataclass

from .messages import N_, suggest
from .questions_base import Option, QuestionType

CONTROLS = ("radios", "select", "autocomplete")
CHOICE_KEYS = ("value", "label", "hint")


@dataclass(frozen=True)
class Choice:
    """One option of a choice question."""

    value: str
    label: str
    hint: str | None = None


YES_NO = [Choice("yes", N_("Yes")), Choice("no", N_("No"))]


def choices_of(question) -> list[Choice]:
    """The options of ``question`` in order, including its "none" option last."""
    if question.type == "yes_no":
        return list(YES_NO)
    found = [Choice(o["value"], o["label"], o.get("hint")) for o in question.options.get("options") or []]
    none = question.options.get("none_option")
    if none:
        found.append(Choice(none["value"], none["label"], none.get("hint")))
    return found


def _check_values(options: dict) -> list[tuple[str, str]]:
    problems, seen = [], set()
    items = list(enumerate(options.get("options") or []))
    none = options.get("none_option")
    if not items:
        problems.append(("options", "must list at least one option"))
    for index, item in items + ([("none_option", none)] if none else []):
        path = f"options[{index}]" if isinstance(index, int) else index
        for key in item:
            if key not in CHOICE_KEYS:
                problems.append((f"{path}.{key}", f"unknown key '{key}'{suggest(key, CHOICE_KEYS)}"))
        for key in ("value", "label"):
            if not isinstance(item.get(key), str) or not item.get(key).strip():
                problems.append((f"{path}.{key}", "required, as text"))
        value = item.get("value")
        if isinstance(value, str) and value in seen:
            problems.append((f"{path}.value", f"duplicate option value '{value}'"))
        seen.add(value)
    return problems


class ChooseOne(QuestionType):
    """One option from a list (radios, or a select list for long lists)."""

    type = "choose_one"
    options = {"options": Option("choices", []), "none_option": Option("choice"), "control": Option(CONTROLS)}
    messages = {"required": N_("Select {name}")}
    default_name = N_("an option")

    def check_options(self, options):
        return _check_values(options)

    def parse(self, question, raw):
        value = raw.text(question.id)
        if value not in {choice.value for choice in choices_of(question)}:
            return self.missing(question)
        return value, {}

    def display(self, question, value):
        labels = {choice.value: choice.label for choice in choices_of(question)}
        return labels.get(value, str(value))


class YesNo(ChooseOne):
    """Yes or no, stored as "yes" or "no"."""

    type = "yes_no"
    options = {}
    default_name = N_("yes or no")

    def check_options(self, options):
        return []


class ChooseMany(ChooseOne):
    """Any number of options (checkboxes); a "none" option cannot be combined with the others."""

    type = "choose_many"
    options = {"options": Option("choices", []), "none_option": Option("choice")}
    messages = {
        "required": N_("Select {name}"),
        "none_and_others": N_("Select {name}, or select ‘{none}’"),
    }
    default_name = N_("at least one option")

    def parse(self, question, raw):
        known = [choice.value for choice in choices_of(question)]
        chosen = set(raw.values(question.id))
        values = [value for value in known if value in chosen]
        if not values:
            return self.missing(question)
        none = question.options.get("none_option")
        if none and none["value"] in values and len(values) > 1:
            return self.fail(question, "none_and_others", none=none["label"])
        return values, {}

    def to_raw(self, question, value):
        return {question.id: list(value or [])}

    def display(self, question, value):
        labels = {choice.value: choice.label for choice in choices_of(question)}
        return "\n".join(labels.get(v, str(v)) for v in value)
