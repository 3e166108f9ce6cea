"""The registry of question types and the functions the web layer calls on answers."""

from __future__ import annotations

from typing import Any, Mapping

from .formatting import format_date, format_money, format_number
from .messages import Message, N_
from .questions_base import QuestionType, Raw
from .questions_choice import ChooseMany, ChooseOne, YesNo
from .questions_contact import Address, Email, Name, NINumber, Phone, Postcode
from .questions_date import Date
from .questions_file import File
from .questions_signature import Signature, display_signature
from .questions_text import Content, Declaration, LongText, Money, Number, Text

#: Question types by the word used for ``type`` in form files.
TYPES: dict[str, QuestionType] = {
    cls.type: cls()
    for cls in (Text, LongText, Number, Money, Date, YesNo, ChooseOne, ChooseMany,
                Email, Phone, Postcode, Address, Name, NINumber, Content, Declaration, File, Signature)
}
#: Reserved types the loader rejects for now, with the reason.
NOT_SUPPORTED: dict[str, str] = {}
NOT_PROVIDED = N_("Not provided")


def question_type(question) -> QuestionType:
    """The :class:`QuestionType` of ``question``."""
    return TYPES[question.type]


def parse_answer(question, raw: Mapping) -> tuple[Any, dict[str, Message]]:
    """Check and normalise what was submitted for ``question``.

    Returns ``(value, errors)``: the value to store (``None`` when an optional question is left
    empty, or when there are errors) and error messages keyed by the input they belong to.
    """
    return question_type(question).parse(question, Raw(raw))


def raw_from_value(question, value) -> dict:
    """The raw inputs of ``question`` filled from a stored ``value`` (to show it again)."""
    if value is None:
        return {}
    try:
        return question_type(question).to_raw(question, value)
    except (TypeError, ValueError, AttributeError, KeyError):  # a stored value of the wrong shape
        return {}


def display_answer(question, value, locale: str = "en", gettext=None) -> str:
    """A stored answer as text for check answers and printouts; "Not provided" when empty.

    Dates, numbers and money are written the way ``locale`` writes them (Babel). With ``gettext``
    (the caller's translation function), "Not provided", choice labels and units are translated too;
    without it they stay in the form's own language.
    """
    translate = gettext or (lambda text: text)
    if value is None or value == "" or value == []:
        return translate(NOT_PROVIDED)
    try:
        if question.type == "date":
            return format_date(value, locale)
        if question.type == "money":
            return format_money(value, locale)
        if question.type == "number":
            unit = question.options.get("unit")
            number = format_number(value, locale)
            return f"{number} {translate(unit)}" if unit else number
        if question.type in ("choose_one", "yes_no", "choose_many") and gettext is not None:
            values = value if isinstance(value, list) else [value]
            return "\n".join(translate(question.choice_label(v)) for v in values)
        if question.type == "signature":
            return display_signature(value, translate)
        return question_type(question).display(question, value)
    except (TypeError, ValueError, AttributeError, KeyError, ArithmeticError):
        return str(value)
