"""A ``multipart/form-data`` request body (RFC 7578), built once as bytes so it can be signed.

The webhook signs the exact bytes it sends, so the body is made here in one piece (not streamed
by an HTTP library that might choose its own boundary or line endings): the same parts and
boundary always give the same bytes.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Part:
    """One part: a form field ``name``, a ``filename`` when it is a file, its type and its bytes."""

    name: str
    content_type: str
    data: bytes = field(repr=False)
    filename: str | None = None


def new_boundary() -> str:
    """A random boundary: 32 hex digits after ``assist-`` (never found in real content by chance)."""
    return f"assist-{secrets.token_hex(16)}"


def _quoted(value: str) -> str:
    if any(c in value for c in '\r\n"\\') or not value.isascii():
        raise ValueError(f"not a safe multipart header value: {value!r}")
    return f'"{value}"'


def encode_multipart(parts: list[Part], boundary: str | None = None) -> tuple[bytes, str]:
    """``(body, content type)`` for ``parts``, with ``boundary`` (else a new random one; one that
    occurs in a part's bytes is replaced, so the body always parses back to the same parts)."""
    boundary = boundary or new_boundary()
    while any(boundary.encode("ascii") in part.data for part in parts):
        boundary = new_boundary()
    delimiter = b"--" + boundary.encode("ascii")
    chunks = []
    for part in parts:
        disposition = f"form-data; name={_quoted(part.name)}"
        if part.filename is not None:
            disposition += f"; filename={_quoted(part.filename)}"
        headers = f"Content-Disposition: {disposition}\r\nContent-Type: {part.content_type}\r\n\r\n"
        chunks += [delimiter, b"\r\n", headers.encode("ascii"), part.data, b"\r\n"]
    chunks += [delimiter, b"--\r\n"]
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"
