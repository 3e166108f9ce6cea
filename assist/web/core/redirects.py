"""Where a ``next`` or back address may send the browser: only to a path on this site."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

#: What browsers read as a slash or leave out of an address: a backslash, tabs, line breaks and the
#: other control characters.
_UNSAFE_IN_TARGET = re.compile(r"[\\\x00-\x1f\x7f]")
#: Rounds of percent-decoding a target is checked through (``%255c`` is ``%5c`` is a backslash).
_DECODINGS = 3


def safe_next(target: str | None, default: str) -> str:
    """``target`` if it is a path on this site, else ``default`` (no open redirects).

    A path on this site starts with one ``/`` and has no scheme or host, also after percent-decoding
    it: so ``/\\evil.example``, ``/%5cevil.example``, ``/%2fevil.example`` and a tab or line break
    anywhere (raw or encoded) are refused, as browsers and proxies may read them as ``//``.
    """
    if not target or not target.startswith("/"):
        return default
    text = target
    for _ in range(_DECODINGS + 1):
        parts = urlsplit(text)
        if parts.scheme or parts.netloc or text.startswith("//") or _UNSAFE_IN_TARGET.search(text):
            return default
        decoded = unquote(text)
        if decoded == text:
            return target
        text = decoded
    return default
