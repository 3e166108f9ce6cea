"""A Babel extractor for form definitions (``forms/*.toml``).

Registered by the package as the ``assist_forms`` extraction method (``setup.cfg``,
``babel.extractors``) and named in ``babel.cfg``, so ``pybabel extract`` (``make translations``)
puts every piece of text a resident can see in a form next to the interface strings in
``translations/messages.pot``. Translators never edit form files: the web layer and the printouts
look the English text up in the catalogues at run time (``t()`` in templates).

Each message carries a translator comment naming the form and the place in it
(``blue-badge: pages[3].questions[0].label``), so a translator can see where it is used.
"""

from __future__ import annotations

import tomllib
from typing import Iterator

from ..engine.definitions import SIGNATURE_LABEL

#: Keys of the form itself whose text residents see.
FORM_KEYS = ("title", "summary", "owner", "what_happens_next", "declaration")
#: Keys of a page, a question, an option and an exit whose text residents or helpers see.
PAGE_KEYS = ("title", "section", "item_name")
QUESTION_KEYS = ("label", "hint", "helper_prompt", "name", "unit", "body", "text", "checkbox_label", "attach")
OPTION_KEYS = ("label", "hint")
EXIT_KEYS = ("title", "body", "next_steps")


def form_messages(data: dict) -> Iterator[tuple[str, str]]:
    """``(path, text)`` for every translatable string of a parsed form definition, in file order."""
    for key in FORM_KEYS:
        yield from _text(key, data.get(key))
    for index, item in enumerate(_list(data.get("what_to_bring"))):
        yield from _text(f"what_to_bring[{index}]", item)
    for p, page in enumerate(_list(data.get("pages"))):
        if not isinstance(page, dict):
            continue
        for key in PAGE_KEYS:
            yield from _text(f"pages[{p}].{key}", page.get(key))
        for q, question in enumerate(_list(page.get("questions"))):
            if not isinstance(question, dict):
                continue
            where = f"pages[{p}].questions[{q}]"
            for key in QUESTION_KEYS:
                yield from _text(f"{where}.{key}", question.get(key))
            if question.get("type") == "declaration" and question.get("signature") is True:
                yield f"{where}.signature", SIGNATURE_LABEL  # the label of the signature question it adds
            errors = question.get("errors")
            if isinstance(errors, dict):
                for code, message in errors.items():
                    yield from _text(f"{where}.errors.{code}", message)
            for o, option in enumerate(_list(question.get("options"))):
                if isinstance(option, dict):
                    for key in OPTION_KEYS:
                        yield from _text(f"{where}.options[{o}].{key}", option.get(key))
            none_option = question.get("none_option")
            if isinstance(none_option, dict):
                for key in OPTION_KEYS:
                    yield from _text(f"{where}.none_option.{key}", none_option.get(key))
        for r, rule in enumerate(_list(page.get("rules"))):
            if isinstance(rule, dict):
                yield from _text(f"pages[{p}].rules[{r}].error", rule.get("error"))
    for e, exit_ in enumerate(_list(data.get("exits"))):
        if isinstance(exit_, dict):
            for key in EXIT_KEYS:
                yield from _text(f"exits[{e}].{key}", exit_.get(key))


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _text(path: str, value) -> Iterator[tuple[str, str]]:
    if isinstance(value, str) and value.strip():
        yield path, value


def extract_forms(fileobj, keywords, comment_tags, options):
    """Babel extraction method: yields ``(lineno, funcname, message, comments)`` for a TOML form file.

    A file that is not valid TOML yields nothing (``assist check-forms`` reports why).
    """
    source = fileobj.read()
    text = source.decode(options.get("encoding", "utf-8")) if isinstance(source, bytes) else source
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return
    form_id = data.get("id", "form")
    lines = text.splitlines()
    for path, message in form_messages(data):
        yield _line_of(lines, message), None, message, [f"{form_id}: {path}"]


def _line_of(lines: list[str], message: str) -> int:
    """The 1-based line where ``message`` starts in the file (its first non-empty line), or 1."""
    first = next((line.strip() for line in message.splitlines() if line.strip()), "")
    probe = first[:60]
    for number, line in enumerate(lines, start=1):
        if probe and probe in line.replace('\\"', '"'):
            return number
    return 1
