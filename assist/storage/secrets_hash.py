"""Slow, salted hashes for PINs and resume checks (``hashlib.scrypt``), compared in constant time.

Stored as ``scrypt$<n>$<r>$<p>$<salt hex>$<hash hex>`` so the cost can be raised later
without breaking the hashes already stored.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

N, R, P = 2**14, 8, 1
DKLEN = 32


def hash_secret(secret: str) -> str:
    """A salted scrypt hash of ``secret``."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=N, r=R, p=P, dklen=DKLEN)
    return f"scrypt${N}${R}${P}${salt.hex()}${digest.hex()}"


def verify_secret(secret: str, stored: str | None) -> bool:
    """Whether ``secret`` matches ``stored`` (a :func:`hash_secret` value); constant-time compare."""
    if not stored:
        # Spend the same time as a real check, so a missing hash cannot be told apart.
        hashlib.scrypt(secret.encode(), salt=b"\0" * 16, n=N, r=R, p=P, dklen=DKLEN)
        return False
    try:
        scheme, n, r, p, salt, expected = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(
            secret.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=len(expected) // 2
        )
    except ValueError:
        return False
    return hmac.compare_digest(digest.hex(), expected)


def lookup_hash(text: str) -> str:
    """A fast, unsalted hash used only to look a random code up by its hash (never for PINs)."""
    return hashlib.sha256(text.encode()).hexdigest()
