"""Submission references people can read out and type, like "BB-7K4M-2QXT", with a check character."""

from __future__ import annotations

import re
import secrets

#: 29 characters (a prime number): no 0/O, 1/I/L, U, or Z (read as 2), so nothing is easily misread.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXY"
RANDOM_LENGTH = 7
_PREFIX = re.compile(r"^[A-Z0-9]{0,4}$")
_SEPARATORS = re.compile(r"[\s\-‐‑–—]+")


def check_character(body: str) -> str:
    """The character that makes ``sum(weight * value) % 29 == 0``, with weights 2, 3, … for ``body``
    and 1 for the check character itself.

    Because 29 is prime and all weights are different and below 29, any one wrong character and any
    two neighbouring characters swapped change the sum, so the reference no longer checks.
    """
    total = sum((position + 2) * ALPHABET.index(ch) for position, ch in enumerate(body))
    return ALPHABET[-total % len(ALPHABET)]


def make_reference(prefix: str = "") -> str:
    """A new random reference, e.g. ``make_reference("BB")`` → ``"BB-7K4M-2QXT"``.

    ``prefix`` (up to 4 letters or digits, usually the form's initials) is not part of the check.
    """
    prefix = prefix.upper()
    if not _PREFIX.match(prefix):
        raise ValueError(f"reference prefix must be up to 4 letters or digits, not {prefix!r}")
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    code = body + check_character(body)
    groups = [prefix] if prefix else []
    return "-".join(groups + [code[:4], code[4:]])


def normalise_reference(text: str) -> str | None:
    """``text`` as a reference in its usual form ("BB-7K4M-2QXT"), or ``None`` if it does not check.

    Lower case, spaces and any hyphens are accepted.
    """
    compact = _SEPARATORS.sub("", text or "").upper()
    prefix, code = compact[:-RANDOM_LENGTH - 1], compact[-RANDOM_LENGTH - 1:]
    if len(code) != RANDOM_LENGTH + 1 or not _PREFIX.match(prefix) or any(ch not in ALPHABET for ch in code):
        return None
    if check_character(code[:-1]) != code[-1]:
        return None
    return "-".join(([prefix] if prefix else []) + [code[:4], code[4:]])


def is_valid_reference(text: str) -> bool:
    """Whether ``text`` is a reference whose check character is right (case, spaces and hyphens ignored)."""
    return normalise_reference(text) is not None
