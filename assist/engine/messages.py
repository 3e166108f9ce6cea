"""Translatable messages: an English template plus parameters, rendered by the caller."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Callable

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_DETERMINERS = ("your ", "the ", "a ", "an ")


def N_(text: str) -> str:
    """Mark ``text`` for Babel extraction; returns it unchanged."""
    return text


def suggest(word: str, words) -> str:
    """`` (did you mean 'x'?)`` for the closest of ``words`` to ``word``, or ``""``."""
    words = [str(w) for w in words]
    same = [w for w in words if w.casefold() == str(word).casefold()]
    close = same or difflib.get_close_matches(str(word), words, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def sentence_subject(noun_phrase: str) -> str:
    """``"your date of birth"`` → ``"Date of birth"``: GOV.UK starts such messages without a determiner."""
    lowered = noun_phrase.lower()
    for determiner in _DETERMINERS:
        if lowered.startswith(determiner) and len(noun_phrase) > len(determiner):
            noun_phrase = noun_phrase[len(determiner):]
            break
    return noun_phrase[:1].upper() + noun_phrase[1:]


def joined(items, template: str):
    """``items`` said as one phrase: "a, b and c" as nested ``template`` messages ("{first} and
    {rest}"), each item a text, a number or a :class:`Message`; one item is itself."""
    said = items[-1]
    for earlier in reversed(items[:-1]):
        said = Message(template, {"first": earlier, "rest": said})
    return said


@dataclass(frozen=True)
class Message:
    """A message for a person: ``template`` (English source string) with ``{param}`` placeholders.

    ``{Name}`` in a template is the ``name`` parameter as the start of a sentence:
    without its determiner and capitalised ("Date of birth must be a real date").
    A tuple parameter lists alternatives, rendered as "a’ or ‘b" (templates put it in quotes).
    Unknown placeholders are left as they are, so rendering never fails.
    """

    template: str
    params: dict = field(default_factory=dict)

    def render(self, gettext: Callable[[str], str] = lambda s: s) -> str:
        """The message as text, translating the template and string parameters with ``gettext``."""
        values = {key: _translate(value, gettext) for key, value in self.params.items()}
        for key, value in list(values.items()):
            if isinstance(value, str) and key[:1].islower():
                values.setdefault(key[:1].upper() + key[1:], sentence_subject(value))

        def replace(match: re.Match) -> str:
            key = match.group(1)
            return str(values[key]) if key in values else match.group(0)

        return _PLACEHOLDER.sub(replace, gettext(self.template))

    def __str__(self) -> str:
        return self.render()


def _translate(value, gettext):
    if isinstance(value, Message):
        return value.render(gettext)
    if isinstance(value, str):
        return gettext(value)
    if isinstance(value, tuple):
        return f"’ {gettext(N_('or'))} ‘".join(gettext(item) for item in value)
    return value
