"""The parts every question type shares: its options, its messages and how raw input is read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from .messages import Message, N_
from .text import clean_line

@dataclass(frozen=True)
class Option:
    """A type-specific setting a question may have in its form file.

    ``kind`` is "bool", "int", "number", "str", "choices" (a list of options), "choice" (one option)
    or a tuple of the allowed words.
    """

    kind: Any
    default: Any = None


class Raw:
    """Submitted form data, read safely: a werkzeug ``MultiDict`` or a plain dict of strings or lists."""

    def __init__(self, data: Mapping | None):
        self.data = data if data is not None else {}

    def text(self, name: str) -> str:
        """The first value submitted for ``name`` as one clean line ("" if missing)."""
        return clean_line(self.data.get(name))

    def value(self, name: str) -> object:
        """The value submitted for ``name`` unchanged (for types that clean text their own way)."""
        return self.data.get(name)

    def values(self, name: str) -> list[str]:
        """All values submitted for ``name``, cleaned, without blanks."""
        getlist = getattr(self.data, "getlist", None)
        found = getlist(name) if callable(getlist) else self.data.get(name)
        if found is None:
            found = []
        elif not isinstance(found, (list, tuple)):
            found = [found]
        cleaned = (clean_line(v) for v in found)
        return [v for v in cleaned if v]


class QuestionType:
    """One kind of question. Subclasses set the class attributes and override :meth:`parse`."""

    type: str = ""
    options: dict[str, Option] = {}
    messages: dict[str, str] = {"required": N_("Enter {name}")}
    default_name: str = N_("an answer")
    #: suffixes of the raw input names, or ``None`` for one input named after the question
    suffixes: tuple[str, ...] | None = None

    def field_names(self, question) -> list[str]:
        """Names of the raw inputs of ``question``."""
        if self.suffixes is None:
            return [question.id]
        return [f"{question.id}-{suffix}" for suffix in self.suffixes]

    def name_for(self, options: dict) -> str:
        """The noun phrase used in messages when the form does not give a ``name``."""
        return self.default_name

    def check_options(self, options: dict) -> list[tuple[str, str]]:
        """Problems with the options beyond their kinds, as ``(option path, message)``."""
        return []

    def parse(self, question, raw: Raw) -> tuple[Any, dict[str, Message]]:
        """Read, check and normalise the answer; see :func:`assist.engine.parse_answer`."""
        value = raw.text(question.id)
        if not value:
            return self.missing(question)
        return value, {}

    def to_raw(self, question, value) -> dict:
        """The raw inputs that would give ``value`` (to fill the fields again)."""
        return {question.id: "" if value is None else str(value)}

    def display(self, question, value) -> str:
        """``value`` as text for people (English; the web layer translates choice labels)."""
        return str(value)

    # helpers for subclasses
    def missing(self, question, field: str | None = None):
        """The answer for an empty question: nothing if optional, else the "required" error."""
        if question.optional:
            return None, {}
        return None, {field or self.field_names(question)[0]: self.error(question, "required")}

    def error(self, question, code: str, **params) -> Message:
        """The message ``code`` for ``question``, using the form's own wording when it gives one."""
        template = question.errors.get(code) or self.messages[code]
        return Message(template, {"name": question.name, **params})

    def fail(self, question, code: str, field: str | None = None, **params):
        """``(None, {field: message})`` for error ``code`` (on the first input unless ``field`` is given)."""
        return None, {field or self.field_names(question)[0]: self.error(question, code, **params)}
