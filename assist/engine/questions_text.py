"""Question types for text, numbers and money, plus content and declarations."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .messages import N_
from .questions_base import Option, QuestionType
from .text import clean_lines

_NUMBER = re.compile(r"^[-+]?\d+(\.\d+)?$")
_LONGEST_NUMBER = 30


class Text(QuestionType):
    """One line of text."""

    type = "text"
    options = {"max_length": Option("int", 100), "autocomplete": Option("str"), "min_length": Option("int"),
               "pattern": Option("str"), "example": Option("str"), "strip_spaces": Option("bool", False)}
    messages = {
        "required": N_("Enter {name}"),
        "too_long": N_("{Name} must be {max_length} characters or less"),
        "too_short": N_("{Name} must be {min_length} characters or more"),
        "pattern": N_("Enter {name} in the right format"),
        "pattern_example": N_("Enter {name} in the right format, like {example}"),
    }

    def check_options(self, options):
        problems = []
        low, high = options.get("min_length"), options.get("max_length", self.options["max_length"].default)
        if low is not None and (low < 1 or (high is not None and low > high)):
            problems.append(("min_length", f"must be between 1 and max_length ({high})"))
        pattern = options.get("pattern")
        if pattern is not None:
            try:
                compiled = re.compile(pattern)
            except re.error as error:
                problems.append(("pattern", f"is not a valid regular expression: {error}"))
                return problems
            if _NESTED_REPEAT.search(pattern):
                problems.append(("pattern", "has a repeat inside a repeat, like (a+)+, which can take very long "
                                            "to check; write it without the nesting"))
            example = options.get("example")
            if example is not None and not compiled.fullmatch(example.replace(" ", "") if options.get("strip_spaces")
                                                              else example):
                problems.append(("example", f"'{example}' does not match the pattern"))
        elif options.get("example") is not None:
            problems.append(("example", "only used with pattern"))
        return problems

    def parse(self, question, raw):
        options = question.options
        value = raw.text(question.id) if self.type == "text" else clean_lines(raw.value(question.id))
        if value and options.get("strip_spaces"):
            value = "".join(value.split())
        if not value:
            return self.missing(question)
        limit = options["max_length"]
        if len(value) > limit:
            return self.fail(question, "too_long", max_length=limit)
        if options.get("min_length") and len(value) < options["min_length"]:
            return self.fail(question, "too_short", min_length=options["min_length"])
        if options.get("pattern") and not re.fullmatch(options["pattern"], value):
            if options.get("example") and "pattern" not in question.errors:
                return self.fail(question, "pattern_example", example=options["example"])
            return self.fail(question, "pattern")
        return value, {}


#: A group with a repeat inside, itself repeated: the shape of pattern that backtracks for ever.
_NESTED_REPEAT = re.compile(r"\([^()]*[+*][^()]*\)[+*{]")


class LongText(Text):
    """Several lines of text; line breaks are kept."""

    type = "long_text"
    options = {"max_length": Option("int", 1200), "min_length": Option("int")}


def parse_decimal(text: str) -> Decimal | None:
    """``text`` as a number, allowing thousands commas; ``None`` if it is not a plain number."""
    text = text.replace(",", "").replace(" ", "")
    if len(text) > _LONGEST_NUMBER or not _NUMBER.match(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def plain_number(number) -> str:
    """A number without exponent or trailing zeros: ``Decimal("12.50")`` → ``"12.5"``."""
    return format(Decimal(str(number)).normalize(), "f")


class Number(QuestionType):
    """A whole or decimal number, optionally between ``min`` and ``max``."""

    type = "number"
    options = {"whole": Option("bool", True), "min": Option("number"), "max": Option("number"), "unit": Option("str")}
    messages = {
        "required": N_("Enter {name}"),
        "invalid": N_("{Name} must be a number"),
        "whole": N_("{Name} must be a whole number"),
        "too_small": N_("{Name} must be {min} or more"),
        "too_big": N_("{Name} must be {max} or less"),
    }
    default_name = N_("a number")

    def parse(self, question, raw):
        text = raw.text(question.id)
        if not text:
            return self.missing(question)
        number = parse_decimal(text)
        if number is None:
            return self.fail(question, "invalid")
        options = question.options
        if options["whole"] and number != number.to_integral_value():
            return self.fail(question, "whole")
        if options["min"] is not None and number < Decimal(str(options["min"])):
            return self.fail(question, "too_small", min=plain_number(options["min"]))
        if options["max"] is not None and number > Decimal(str(options["max"])):
            return self.fail(question, "too_big", max=plain_number(options["max"]))
        return (int(number) if options["whole"] else plain_number(number)), {}

    def display(self, question, value):
        unit = question.options.get("unit")
        return f"{value} {unit}" if unit else str(value)


def money_text(amount) -> str:
    """An amount in pounds for people: ``"£1,234.50"``, or ``"£10"`` for whole pounds."""
    amount = Decimal(str(amount))
    if amount == amount.to_integral_value():
        return f"£{int(amount):,}"
    return f"£{amount:,.2f}"


class Money(QuestionType):
    """An amount of money in pounds, stored as a string with 2 decimal places."""

    type = "money"
    options = {"min": Option("number"), "max": Option("number"), "whole_pounds": Option("bool", False)}
    messages = {
        "required": N_("Enter {name}"),
        "invalid": N_("{Name} must be a number, like 12.50"),
        "whole_pounds": N_("{Name} must be a whole number of pounds, like 120"),
        "too_small": N_("{Name} must be {min} or more"),
        "too_big": N_("{Name} must be {max} or less"),
    }
    default_name = N_("an amount")

    def parse(self, question, raw):
        text = raw.text(question.id)
        if not text:
            return self.missing(question)
        text = text.replace("£", "", 1).strip()
        if text.startswith("-£"):
            text = "-" + text[2:]
        amount = parse_decimal(text)
        if amount is None or amount.as_tuple().exponent < -2:
            return self.fail(question, "invalid")
        options = question.options
        if options["whole_pounds"] and amount != amount.to_integral_value():
            return self.fail(question, "whole_pounds")
        low = Decimal(str(options["min"] if options["min"] is not None else 0))
        if amount < low:
            return self.fail(question, "too_small", min=money_text(low))
        if options["max"] is not None and amount > Decimal(str(options["max"])):
            return self.fail(question, "too_big", max=money_text(options["max"]))
        return f"{amount:.2f}", {}

    def display(self, question, value):
        return f"£{Decimal(value):,.2f}"


class Content(QuestionType):
    """Guidance text only: nothing to answer."""

    type = "content"
    options = {"body": Option("str", "")}
    suffixes = ()

    def parse(self, question, raw):
        return None, {}

    def to_raw(self, question, value):
        return {}

    def display(self, question, value):
        return ""


class Declaration(QuestionType):
    """A statement the person confirms by selecting a checkbox; stored as ``True``."""

    type = "declaration"
    #: ``signature = true``: the loader adds a signature question after it on the same page.
    options = {"text": Option("str", ""), "checkbox_label": Option("str", N_("I confirm")),
               "signature": Option("bool", False)}
    messages = {"required": N_("Select ‘{checkbox}’ to continue")}
    default_name = N_("the declaration")

    def parse(self, question, raw):
        if "confirmed" in raw.values(question.id):
            return True, {}
        if question.optional:
            return None, {}
        return self.fail(question, "required", checkbox=question.options["checkbox_label"])

    def to_raw(self, question, value):
        return {question.id: "confirmed" if value else ""}

    def display(self, question, value):
        return N_("Confirmed") if value else ""
