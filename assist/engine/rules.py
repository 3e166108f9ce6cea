"""Validation across answers: rules a page's answers must keep together with earlier ones.

- ``required_if`` on a question: it must be answered when a condition holds ("give the other
  reason if you chose Other"), and may be left empty otherwise.
- ``[[pages.rules]]`` with ``at_least_one_of = ["phone", "email"]``: one of them must be answered.
- ``[[pages.rules]]`` with ``must = {condition}`` and its own ``error``: the answers must make the
  condition hold ("your date of birth must agree with your answer about being 75 or over").

On a repeating group's page the rules are kept by each item, reading that item's answers first.
"""

from __future__ import annotations

from dataclasses import dataclass

from .conditions import Condition
from .messages import Message, N_, joined
from .questions import question_type

EMPTY = (None, "", [])


@dataclass(frozen=True)
class Rule:
    """One page rule: ``must`` a condition holds, or ``at_least_one_of`` the ``questions`` is answered.

    ``error`` is the form's own message; ``question`` the question it is shown against (the page's
    first question of the rule by default), whose first input the error summary links to.
    """

    kind: str
    question: str
    condition: Condition | None = None
    questions: tuple[str, ...] = ()
    error: str | None = None

    def broken(self, answers: dict, item: dict | None = None) -> bool:
        """Whether ``answers`` (with the current repeating ``item``) break the rule."""
        if self.kind == "at_least_one_of":
            scope = item if item is not None else answers
            return all(scope.get(qid) in EMPTY for qid in self.questions)
        return not self.condition.holds(answers, item)

    def message(self, form) -> Message:
        """What the resident is told: the form's own ``error``, or GOV.UK-style default words."""
        if self.error:
            return Message(self.error)
        names = [form.question(qid).name for qid in self.questions]
        return Message(N_("Enter {names}"), {"names": joined(names, N_("{first} or {rest}"))})


def page_problems(form, page, values: dict, answers: dict, item: dict | None = None) -> dict[str, Message]:
    """Messages by input name for the rules ``page``'s answers break.

    ``values``: the page's own parsed answers (a repeating group's: one item's); ``answers``: the
    earlier answers on the resident's route. Inputs that already have an error are left to it.
    """
    if page.is_repeat:
        scope, item = answers, values
    else:
        scope = {**answers, **values}
    problems: dict[str, Message] = {}
    for question in page.questions:
        required = question.required_if
        if required is not None and values.get(question.id) in EMPTY and required.holds(scope, item):
            field = question.field_names[0]
            problems[field] = question_type(question).error(question, "required")
    for rule in page.rules:
        if rule.broken(scope, item):
            field = form.question(rule.question).field_names[0]
            problems.setdefault(field, rule.message(form))
    return problems
