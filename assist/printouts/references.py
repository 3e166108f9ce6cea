"""Paper references: the code printed on every page of a blank paper form, keyed in by a helper later.

One paper reference per **form, version and language** (not per printed copy): a blank form is
rendered once and served from a cache, and each copy that comes back is given its own submission
reference when a helper keys it in. The code names the form, the version of the definition the
paper asks, and the language it was printed in, so the helper's screen can show the very same
questions in the same order, e.g.::

    PAPER-BB-2026.1-EN-K7MX

``BB`` is the form's prefix (initials of its id, as in submission references), ``2026.1`` the
form version, ``EN`` the language, and ``K7MX`` three characters derived from all of them plus
the engine's check character: a mistyped version, language or form prefix fails the check,
and so does any single wrong character or swap in the code itself.
"""

from __future__ import annotations

import hashlib
import re

from ..engine.references import ALPHABET, check_character

PAPER = "PAPER"
_SEPARATORS = re.compile(r"[\s‐‑–—]+")


def form_prefix(form) -> str:
    """Two letters from the form's id, as submission references use ("blue-badge" → "BB")."""
    words = [w for w in form.id.split("-") if w]
    letters = "".join(w[0] for w in words)[:2] if len(words) > 1 else form.id[:2]
    return letters.upper()


def _digest(form_id: str, version: str, language: str) -> str:
    number = int.from_bytes(hashlib.sha256(f"{form_id}|{version}|{language}".encode()).digest()[:8], "big")
    body = ""
    for _ in range(3):
        number, index = divmod(number, len(ALPHABET))
        body += ALPHABET[index]
    return body + check_character(body)


def paper_reference(form, language: str) -> str:
    """The paper reference of ``form`` (at its current version) printed in ``language``."""
    language = language.lower()
    return "-".join([PAPER, form_prefix(form), form.version, language.upper(), _digest(form.id, form.version, language)])


def parse_paper_reference(text: str, forms) -> tuple[object, str, str] | None:
    """``(form, version, language)`` for a paper reference typed in (any case, spaces for hyphens),
    or ``None`` if it is not the paper reference of one of ``forms`` (a dict or list of forms).

    The version may be older than the form's current one: the helper is then told which
    version the paper asked.
    """
    compact = _SEPARATORS.sub("-", (text or "").strip()).upper()
    match = re.fullmatch(r"PAPER-([A-Z0-9]{1,4})-(.+)-([A-Z]{2,3}(?:-[A-Z0-9]{2,4})?)-([A-Z0-9]{4})", compact)
    if not match:
        return None
    prefix, version, language, code = match.groups()
    if any(c not in ALPHABET for c in code) or code[3] != check_character(code[:3]):
        return None
    for form in (forms.values() if isinstance(forms, dict) else forms):
        if form_prefix(form) != prefix:
            continue
        for candidate in {form.version, version, version.lower()}:
            if _digest(form.id, candidate, language.lower()) == code and candidate.upper() == version:
                return form, candidate, language.lower()
    return None
