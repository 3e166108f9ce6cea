"""The form engine: form definitions, answers, routing and references. Plain Python, no web framework."""

from .conditions import parse_condition
from .definitions import check_forms, load_form, load_forms
from .messages import Message, N_
from .model import Condition, Exit, Form, Page, Question, Route
from .questions import display_answer, parse_answer, raw_from_value
from .questions_choice import Choice
from .questions_file import FILE_KINDS, file_descriptions
from .questions_signature import signature_svg, stamp_signatures
from .references import is_valid_reference, make_reference, normalise_reference
from .routing import Journey
from .rules import Rule, page_problems
from .schema import DefinitionError, Problem

__all__ = [
    "Choice", "Condition", "DefinitionError", "Exit", "FILE_KINDS", "Form", "Journey", "Message", "N_", "Page",
    "Problem", "Rule", "file_descriptions", "page_problems", "parse_condition",
    "Question", "Route", "check_forms", "display_answer", "is_valid_reference", "load_form", "load_forms",
    "make_reference", "normalise_reference", "parse_answer", "raw_from_value", "signature_svg", "stamp_signatures",
]
