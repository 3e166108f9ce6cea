"""The condition language: when a page is asked, where a route goes, what a validation rule needs.

A condition is written in a form file as a table (see docs/forms.md):

- a comparison on one answer: ``{ question = "has-badge", equals = "no" }``, with ``not_equals``,
  ``any_of``, ``none_of``, ``includes`` / ``excludes`` (tick boxes), ``at_least``, ``at_most``,
  ``more_than``, ``less_than`` (numbers and money), ``before``, ``after``, ``on_or_before``,
  ``on_or_after`` (dates: ISO dates or "today"), ``age_at_least`` / ``age_under`` (from a date of
  birth, ``on`` a given date, today by default) or ``answered = true|false``;
- ``{ all = [...] }``, ``{ any = [...] }`` and ``{ not = {...} }``, nested freely;
- over the items of a repeating group: ``{ items = "household", any = {...} }``, ``all = {...}``,
  or ``at_least = 2`` items (those matching ``where = {...}`` when given).

Inside a repeating group a comparison reads the current item's answer first. Conditions are data:
nothing is evaluated as code. Each one says itself in plain words (:meth:`Condition.words`), the
same words on paper, in check-forms and in every language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from .messages import Message, N_, joined

CHOICE_OPS = ("equals", "not_equals", "any_of", "none_of")
TICK_OPS = ("includes", "excludes")
NUMBER_OPS = ("at_least", "at_most", "more_than", "less_than")
DATE_OPS = ("before", "after", "on_or_before", "on_or_after")
AGE_OPS = ("age_at_least", "age_under")
COMPARISONS = CHOICE_OPS + TICK_OPS + NUMBER_OPS + DATE_OPS + AGE_OPS + ("answered",)
NEGATION = {
    "equals": "not_equals", "not_equals": "equals", "any_of": "none_of", "none_of": "any_of",
    "includes": "excludes", "excludes": "includes", "at_least": "less_than", "less_than": "at_least",
    "at_most": "more_than", "more_than": "at_most", "before": "on_or_after", "on_or_after": "before",
    "after": "on_or_before", "on_or_before": "after", "age_at_least": "age_under", "age_under": "age_at_least",
}
TODAY = "today"


def _today() -> dt.date:
    from .questions_date import today  # the engine's one "today", so tests can set it

    return today()


def _date(value) -> dt.date | None:
    if value == TODAY:
        return _today()
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _number(value) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _answer_of(question: str, answers: dict, item: dict | None):
    """The answer to ``question``: the current repeating ``item``'s first, else the earlier answers'."""
    return item[question] if item and question in item else answers.get(question)


def age_on(born: dt.date, on: dt.date) -> int:
    """Age in whole years on ``on`` of someone born on ``born`` (a 29 February birthday counts from 1 March)."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class Condition:
    """A condition: :meth:`holds` for some answers, and :meth:`words` for people."""

    def holds(self, answers: dict, item: dict | None = None) -> bool:  # pragma: no cover - abstract
        """Whether the condition is true for ``answers`` (and the current repeating ``item``, if any)."""
        raise NotImplementedError

    def negated(self) -> "Condition":
        """The opposite condition, said positively where it can be ("did not answer ‘Yes’")."""
        return Not(self)

    def words(self, form) -> Message:  # pragma: no cover - abstract
        """The condition as a clause, e.g. "you answered ‘Yes’ to question 4"."""
        raise NotImplementedError

    def questions(self) -> set[str]:
        """Every question id (and repeating group id) the condition reads."""
        return set()

    def describe(self, form, section: bool = False, numbers: tuple[int, int] | None = None) -> Message:
        """The paper's instruction, e.g. "Only answer this if you answered ‘Yes’ to question 4";
        for a ``section``, or for the questions ``numbers`` (first, last) when several pages share it."""
        words = self.words(form)
        if numbers is not None and numbers[0] != numbers[1]:
            return Message(N_("Only answer questions {first} to {last} if {condition}"),
                           {"first": numbers[0], "last": numbers[1], "condition": words})
        template = N_("Only answer this section if {condition}") if section else N_("Only answer this if {condition}")
        return Message(template, {"condition": words})


@dataclass(frozen=True)
class Comparison(Condition):
    """One answer compared with a value; ``on`` is the date an age is worked out on."""

    question: str
    op: str
    value: Any
    on: str | None = None

    def holds(self, answers, item=None):
        answer = _answer_of(self.question, answers, item)
        op, value = self.op, self.value
        if op == "answered":
            return (answer not in (None, "", [])) is bool(value)
        if op in ("equals", "not_equals"):
            return (answer == value) is (op == "equals")
        if op in ("any_of", "none_of"):
            return (answer in value) is (op == "any_of")
        if op in TICK_OPS:
            return (isinstance(answer, list) and value in answer) is (op == "includes")
        if op in NUMBER_OPS:
            return _compare_numbers(op, _number(answer), _number(value))
        if op in DATE_OPS:
            other = _date(value)
            if other is None:  # another date question's answer
                other = _date(_answer_of(value, answers, item))
            return _compare_dates(op, _date(answer), other)
        born, on = _date(answer), self._age_date(answers, item)
        if born is None or on is None:
            return False
        age = age_on(born, on)
        return age >= value if op == "age_at_least" else age < value

    def _age_date(self, answers: dict, item: dict | None) -> dt.date | None:
        """The date an age is worked out on: ``on`` (a date, "today" or another answer), else today."""
        if self.on is None:
            return _today()
        if _date(self.on) is not None:
            return _date(self.on)
        return _date(_answer_of(self.on, answers, item))

    def negated(self):
        if self.op == "answered":
            return Comparison(self.question, self.op, not self.value, self.on)
        return Comparison(self.question, NEGATION[self.op], self.value, self.on)

    def questions(self):
        other = {self.value} if self.op in DATE_OPS and _date(self.value) is None else set()
        return {self.question} | other | ({self.on} if self.on and not _date(self.on) else set())

    def words(self, form) -> Message:
        question = form.question(self.question)
        number = form.number_of(self.question)
        op, value = self.op, self.value
        params = {"number": number}
        if op in CHOICE_OPS + TICK_OPS:
            values = value if isinstance(value, list) else [value]
            labels = [question.choice_label(v) for v in values]
            params["answer"] = labels[0] if len(labels) == 1 else tuple(labels)
        elif op in NUMBER_OPS:
            params["value"] = _shown_number(question, value)
        elif op in DATE_OPS:
            if _date(value) is None:
                params["other"] = form.number_of(value)
            else:
                params["date"] = _shown_date(value)
        elif op in AGE_OPS:
            params["age"] = value
            params["date"] = _shown_date(self.on) if self.on and _date(self.on) and self.on != TODAY else None
            if self.on and not _date(self.on):
                params["other"] = form.number_of(self.on)
        return Message(_comparison_template(op, value, params), params)


def _compare_numbers(op: str, answer: Decimal | None, value: Decimal | None) -> bool:
    if answer is None or value is None:
        return False
    return {"at_least": answer >= value, "at_most": answer <= value,
            "more_than": answer > value, "less_than": answer < value}[op]


def _compare_dates(op: str, answer: dt.date | None, value: dt.date | None) -> bool:
    if answer is None or value is None:
        return False
    return {"before": answer < value, "after": answer > value,
            "on_or_before": answer <= value, "on_or_after": answer >= value}[op]


def _shown_number(question, value) -> str:
    text = format(Decimal(str(value)).normalize(), "f")
    return f"£{Decimal(str(value)):,.2f}" if question.type == "money" else text


def _shown_date(value) -> str:
    if value == TODAY:
        return N_("today")
    from .questions_date import long_date

    return long_date(dt.date.fromisoformat(value))


def _comparison_template(op: str, value, params: dict) -> str:
    if op == "answered":
        return N_("you answered question {number}") if value else N_("you did not answer question {number}")
    if op in AGE_OPS:
        if "other" in params:
            return {"age_at_least": N_("the date of birth in question {number} gives an age of {age} or more "
                                       "on the date in question {other}"),
                    "age_under": N_("the date of birth in question {number} gives an age under {age} "
                                    "on the date in question {other}")}[op]
        if params.get("date"):
            return {"age_at_least": N_("the date of birth in question {number} gives an age of {age} or more "
                                       "on {date}"),
                    "age_under": N_("the date of birth in question {number} gives an age under {age} on {date}")}[op]
        return {"age_at_least": N_("the date of birth in question {number} gives an age of {age} or more"),
                "age_under": N_("the date of birth in question {number} gives an age under {age}")}[op]
    if op in DATE_OPS and "other" in params:
        return {"before": N_("the date in question {number} is before the date in question {other}"),
                "after": N_("the date in question {number} is after the date in question {other}"),
                "on_or_before": N_("the date in question {number} is the same as or before the date in question "
                                   "{other}"),
                "on_or_after": N_("the date in question {number} is the same as or after the date in question "
                                  "{other}")}[op]
    return {
        "equals": N_("you answered ‘{answer}’ to question {number}"),
        "any_of": N_("you answered ‘{answer}’ to question {number}"),
        "not_equals": N_("you did not answer ‘{answer}’ to question {number}"),
        "none_of": N_("you did not answer ‘{answer}’ to question {number}"),
        "includes": N_("you selected ‘{answer}’ in question {number}"),
        "excludes": N_("you did not select ‘{answer}’ in question {number}"),
        "at_least": N_("your answer to question {number} is {value} or more"),
        "at_most": N_("your answer to question {number} is {value} or less"),
        "more_than": N_("your answer to question {number} is more than {value}"),
        "less_than": N_("your answer to question {number} is less than {value}"),
        "before": N_("the date in question {number} is before {date}"),
        "after": N_("the date in question {number} is after {date}"),
        "on_or_before": N_("the date in question {number} is {date} or earlier"),
        "on_or_after": N_("the date in question {number} is {date} or later"),
    }[op]


@dataclass(frozen=True)
class All(Condition):
    """Every one of ``parts`` holds."""

    parts: tuple[Condition, ...]

    def holds(self, answers, item=None):
        return all(part.holds(answers, item) for part in self.parts)

    def negated(self):
        return AnyOf(tuple(part.negated() for part in self.parts))

    def questions(self):
        return set().union(*(part.questions() for part in self.parts))

    def words(self, form):
        return _joined(self.parts, form, N_("{first} and {rest}"))


@dataclass(frozen=True)
class AnyOf(Condition):
    """At least one of ``parts`` holds."""

    parts: tuple[Condition, ...]

    def holds(self, answers, item=None):
        return any(part.holds(answers, item) for part in self.parts)

    def negated(self):
        return All(tuple(part.negated() for part in self.parts))

    def questions(self):
        return set().union(*(part.questions() for part in self.parts))

    def words(self, form):
        return _joined(self.parts, form, N_("{first} or {rest}"))


def _joined(parts, form, template: str) -> Message:
    """"a, b and c": each part in its own words, compound parts in brackets."""
    return joined([_bracketed(part, form) for part in parts], template)


def _bracketed(part: Condition, form) -> Message:
    words = part.words(form)
    said = part
    while isinstance(said, Not) and not isinstance(said.part.negated(), Not):
        said = said.part.negated()  # "not (a and b)" is said "not a or not b": bracketed like it
    return Message(N_("({condition})"), {"condition": words}) if isinstance(said, (All, AnyOf)) else words


@dataclass(frozen=True)
class Not(Condition):
    """``part`` does not hold (said positively when the engine can: see :meth:`Condition.negated`)."""

    part: Condition

    def holds(self, answers, item=None):
        return not self.part.holds(answers, item)

    def negated(self):
        return self.part

    def questions(self):
        return self.part.questions()

    def words(self, form):
        opposite = self.part.negated()
        if isinstance(opposite, Not):
            return Message(N_("it is not true that {condition}"), {"condition": self.part.words(form)})
        return opposite.words(form)


@dataclass(frozen=True)
class Items(Condition):
    """Over a repeating group's items: ``mode`` "any" or "all" items match ``where``, or "at_least"
    ``count`` items (matching ``where``, when given) were added."""

    group: str
    mode: str
    where: Condition | None = None
    count: int = 0

    def holds(self, answers, item=None):
        items = [i for i in answers.get(self.group) or [] if isinstance(i, dict)]
        matching = [i for i in items if self.where is None or self.where.holds(answers, i)]
        if self.mode == "any":
            return bool(matching)
        if self.mode == "all":
            return len(matching) == len(items) and bool(items)
        if self.mode == "fewer_than":
            return len(matching) < self.count
        return len(matching) >= self.count

    def negated(self):
        if self.mode in ("at_least", "fewer_than"):
            return Items(self.group, "fewer_than" if self.mode == "at_least" else "at_least", self.where, self.count)
        return Not(self)

    def questions(self):
        return {self.group} | (self.where.questions() if self.where else set())

    def words(self, form):
        number = form.first_number_from(self.group)
        if self.mode in ("any", "all"):
            template = N_("for at least one of the answers to question {number}, {condition}") if self.mode == "any" \
                else N_("for every one of the answers to question {number}, {condition}")
            return Message(template, {"number": number, "condition": self.where.words(form)})
        if self.where is None:
            template = N_("you gave {count} or more answers to question {number}") if self.mode == "at_least" \
                else N_("you gave fewer than {count} answers to question {number}")
            return Message(template, {"number": number, "count": self.count})
        template = N_("for {count} or more of the answers to question {number}, {condition}") \
            if self.mode == "at_least" else N_("for fewer than {count} of the answers to question {number}, {condition}")
        return Message(template, {"number": number, "count": self.count, "condition": self.where.words(form)})


def parse_condition(data: dict) -> Condition:
    """The condition a checked form file's table describes (see the module docstring)."""
    if "all" in data and "items" not in data:
        return All(tuple(parse_condition(part) for part in data["all"]))
    if "any" in data and "items" not in data:
        return AnyOf(tuple(parse_condition(part) for part in data["any"]))
    if "not" in data:
        return Not(parse_condition(data["not"]))
    if "items" in data:
        where = data.get("where")
        for mode in ("any", "all"):
            if mode in data:
                return Items(data["items"], mode, parse_condition(data[mode]))
        return Items(data["items"], "at_least", parse_condition(where) if where else None, data.get("at_least", 1))
    op = next(op for op in COMPARISONS if op in data)
    return Comparison(data["question"], op, data[op], data.get("on"))
