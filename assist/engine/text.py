"""Cleaning what people type before it is checked or stored."""

from __future__ import annotations

import re
import unicodedata

# Zero-width and invisible characters, and bidirectional embeddings/overrides/isolates, which can
# disguise text. Zero-width joiner/non-joiner (U+200C, U+200D) are kept: Bengali, Punjabi, Urdu and
# other scripts need them to spell words correctly.
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u180e\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"[ \t]+")
_PLAIN_LINE = re.compile(r"[!-~]+(?: [!-~]+)*")


def _unsafe_pattern(keep: str) -> re.Pattern:
    """Control characters (Unicode category Cc) other than ``keep``, lone surrogates (Cs) and the
    Unicode noncharacters (U+FDD0–U+FDEF and the last two code points of every plane): never part of
    what anyone means to type, and not allowed in HTML."""
    controls = "".join(chr(code) for code in (*range(0x20), *range(0x7F, 0xA0)) if chr(code) not in keep)
    noncharacters = "".join(chr(plane | last) for plane in range(0, 0x110000, 0x10000) for last in (0xFFFE, 0xFFFF))
    return re.compile("[" + re.escape(controls) + "\ud800-\udfff\ufdd0-\ufdef" + re.escape(noncharacters) + "]")


_UNSAFE = {keep: _unsafe_pattern(keep) for keep in ("", "\n", "\t\n\r")}


def _drop_control(text: str, keep: str = "") -> str:
    if text.isprintable():  # nothing unsafe in it (the common case, checked without a regex)
        return text
    return _UNSAFE[keep].sub("", text)


def without_control(text: str) -> str:
    """``text`` with control characters (except tab and line breaks), lone surrogates and
    noncharacters removed: what was typed, safe to show back in a page."""
    return _drop_control(text, keep="\t\n\r")


def clean_line(value: object) -> str:
    """One line of text: control and invisible characters removed, runs of spaces collapsed, stripped."""
    text = _as_text(value)
    if _PLAIN_LINE.fullmatch(text):  # printable ASCII words with single spaces: already clean
        return text
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[\r\n\t\v\f]+", " ", text)
    text = _INVISIBLE.sub("", _drop_control(text))
    return _SPACES.sub(" ", text).strip()


def clean_lines(value: object) -> str:
    """Several lines of text (long answers): as :func:`clean_line`, but line breaks are kept."""
    text = unicodedata.normalize("NFC", _as_text(value)).replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", _drop_control(text.replace("\t", " "), keep="\n"))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = value[0] if value else ""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return value if isinstance(value, str) else str(value)
