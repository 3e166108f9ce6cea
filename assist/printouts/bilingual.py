"""Bilingual printouts (English and Welsh, as Welsh councils print them).

A bilingual printout is made from two ordinary contexts, one per language, built from the same
form and submission. :func:`merge` walks them side by side: where the two texts differ they become
one :class:`Bilingual` text, printed as the first language with the second beneath it, each in a
``<span lang=...>`` so the tagged PDF carries the language of each. Answers (``lines``) are taken
from one language only: they are printed once.
"""

from __future__ import annotations

from typing import Callable

from markupsafe import Markup

#: The bilingual printout's code, its languages (printed in this order) and what it needs configured.
BILINGUAL = "cy+en"
PAIR = ("cy", "en")
#: Context keys printed as plain text (document title, alt text, page margins): "Welsh / English".
PLAIN_KEYS = {"document_title", "qr_alt", "footer_left", "alt", "alt_passport"}
#: Context keys holding answers: printed once, in one language.
ANSWER_KEYS = {"lines"}
SEPARATOR = " / "


def is_bilingual(language: str | None) -> bool:
    """``True`` for ``"cy+en"`` (and ``"cy en"``, a ``+`` in a typed address decoded as a space)."""
    return (language or "").replace(" ", "+").lower() == BILINGUAL


def available(languages) -> bool:
    """Whether a bilingual printout can be offered: both Welsh and English are configured."""
    return all(code in list(languages) for code in PAIR)


class Bilingual(str):
    """A text in two languages. As plain text (``str``) it is ``"first / second"``; in HTML
    (Jinja autoescape, ``Markup.format``) it is two spans, each with its ``lang``."""

    def __new__(cls, first: str, second: str, languages: tuple[str, str] = PAIR):
        self = super().__new__(cls, f"{first}{SEPARATOR}{second}")
        self.first, self.second, self.languages = str(first), str(second), languages
        return self

    def __html__(self) -> Markup:
        (a, b) = self.languages
        return (Markup('<span lang="{}" class="bi bi-first">{}</span><span lang="{}" class="bi bi-second">{}</span>')
                   .format(a, self.first, b, self.second))

    def part(self, index: int) -> str:
        return self.first if index == 0 else self.second

    def format(self, *args, **kwargs) -> "Bilingual":  # type: ignore[override]
        def pick(value, index):
            return value.part(index) if isinstance(value, Bilingual) else value

        first = self.first.format(*[pick(a, 0) for a in args], **{k: pick(v, 0) for k, v in kwargs.items()})
        second = self.second.format(*[pick(a, 1) for a in args], **{k: pick(v, 1) for k, v in kwargs.items()})
        return both(first, second, self.languages)


def both(first, second, languages: tuple[str, str] = PAIR):
    """``first`` alone when the two are the same text (names, numbers, untranslated text), else both."""
    if str(first) == str(second):
        return first
    return Bilingual(first, second, languages)


def bilingual_gettext(first: Callable[[str], str], second: Callable[[str], str],
                      languages: tuple[str, str] = PAIR) -> Callable[[str], str]:
    """A ``gettext`` for templates: each interface string in both languages."""
    def gettext(text: str) -> str:
        return both(first(text), second(text), languages)
    return gettext


def merge(first, second, *, answers_from: int = 0, languages: tuple[str, str] = PAIR, key: str | None = None):
    """Two contexts of the same printout in two languages as one bilingual context."""
    if key in ANSWER_KEYS:
        return second if answers_from == 1 else first
    if isinstance(first, dict) and isinstance(second, dict):
        return {k: merge(v, second.get(k, v), answers_from=answers_from, languages=languages, key=k)
                for k, v in first.items()}
    if isinstance(first, (list, tuple)) and isinstance(second, (list, tuple)) and len(first) == len(second):
        merged = [merge(a, b, answers_from=answers_from, languages=languages) for a, b in zip(first, second)]
        return tuple(merged) if isinstance(first, tuple) else merged
    if isinstance(first, str) and isinstance(second, str):
        text = both(first, second, languages)
        return str(text) if key in PLAIN_KEYS else text
    return first


def paragraphs_of(text: Bilingual, split: Callable[[str], list[str]]) -> list[str]:
    """Paragraphs of a bilingual text: paired when both languages have as many, else whole."""
    first, second = split(text.first), split(text.second)
    if len(first) == len(second):
        return [both(a, b, text.languages) for a, b in zip(first, second)]
    return [text]


__all__ = ["BILINGUAL", "PAIR", "Bilingual", "available", "bilingual_gettext", "both", "is_bilingual",
           "merge", "paragraphs_of"]
