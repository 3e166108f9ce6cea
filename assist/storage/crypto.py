"""Authenticated encryption of residents' data at rest: AES-256-GCM envelopes and a key ring.

An encrypted value is stored as text::

    enc1:<key id>:<base64(nonce || ciphertext || tag)>

* ``enc1`` - the envelope's version;
* ``<key id>`` - 8 hex digits naming the key that sealed it (a fingerprint, never the key);
* a random 96-bit nonce per value, and GCM's 128-bit tag, so any change is detected.

The associated data binds each value to where it is kept (``enc1|<key id>|drafts.answers|<row id>``):
a value copied into another row or column does not open.

A :class:`KeyRing` holds one ``AESGCM`` object per key, made once: sealing and opening cost a few
microseconds, with no key derivation per call. Its first key seals; every key in it opens.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .errors import StorageError

PREFIX = "enc1:"
KEY_BYTES = 32
NONCE_BYTES = 12
KEY_ID_LENGTH = 8


class DataKeyError(StorageError):
    """The data key is missing or malformed, or is not the key the stored data was encrypted with."""


class TamperedData(StorageError):
    """A stored encrypted value failed its integrity check: changed outside assist, or moved from another row."""


def new_key() -> bytes:
    """A fresh random 256-bit data key."""
    return AESGCM.generate_key(bit_length=256)


def encode_key(key: bytes) -> str:
    """The key as text (standard base64, 44 characters), as kept in the key file or environment."""
    return base64.b64encode(key).decode("ascii")


def decode_key(text: str, where: str) -> bytes:
    """The 32-byte key written as base64 in ``text``; :class:`DataKeyError` naming ``where`` if it is not one."""
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        raise DataKeyError(f"{where}: not a data key (expected {KEY_BYTES} random bytes in base64; make one with: "
                           "python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')")
    return key


def key_id(key: bytes) -> str:
    """The key's public name: 8 hex digits of a hash of it (it tells keys apart, it does not reveal them)."""
    return hashlib.sha256(b"assist data key id\0" + key).hexdigest()[:KEY_ID_LENGTH]


def is_sealed(value) -> bool:
    """Whether ``value`` is an encrypted envelope."""
    return isinstance(value, str) and value.startswith(PREFIX)


def sealed_key_id(value: str) -> str:
    """The key id an envelope names."""
    return value[len(PREFIX):len(PREFIX) + KEY_ID_LENGTH]


class KeyRing:
    """Data keys, newest first: the first seals, all of them open."""

    def __init__(self, keys: Sequence[bytes]):
        if not keys:
            raise DataKeyError("a key ring needs at least one data key")
        self._ciphers: dict[str, AESGCM] = {}
        for key in keys:
            self._ciphers.setdefault(key_id(key), AESGCM(key))
        self.current_id = key_id(keys[0])

    def with_new_key(self, key: bytes) -> KeyRing:
        """A ring that seals with ``key`` and still opens with every key of this one."""
        ring = KeyRing([key])
        for identifier, cipher in self._ciphers.items():
            ring._ciphers.setdefault(identifier, cipher)
        return ring

    @property
    def ids(self) -> tuple[str, ...]:
        """The ids of the keys held, the current one first."""
        return tuple(self._ciphers)

    def holds_key_of(self, value: str) -> bool:
        """Whether this ring has the key the envelope ``value`` names."""
        return sealed_key_id(value) in self._ciphers

    def seal(self, plaintext: str, context: str) -> str:
        """Encrypt ``plaintext`` for the place named by ``context`` (``"table.column:row id"``)."""
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._ciphers[self.current_id].encrypt(
            nonce, plaintext.encode("utf-8"), self._associated(self.current_id, context))
        return f"{PREFIX}{self.current_id}:{binascii.b2a_base64(nonce + sealed, newline=False).decode('ascii')}"

    def open(self, value: str, context: str) -> str:
        """Decrypt an envelope made by :meth:`seal` for the same ``context``.

        Raises :class:`DataKeyError` when no key here made it, :class:`TamperedData` when it was altered
        or belongs elsewhere.
        """
        if not is_sealed(value):
            raise TamperedData(f"{context}: expected encrypted data, found something else")
        identifier = sealed_key_id(value)
        cipher = self._ciphers.get(identifier)
        if cipher is None:
            raise DataKeyError(f"{context}: encrypted with data key {identifier}, which is not among the keys "
                               f"given ({', '.join(self.ids)})")
        body = value[len(PREFIX) + KEY_ID_LENGTH + 1:]
        try:
            raw = binascii.a2b_base64(body.encode("ascii"), strict_mode=True)
            if value[len(PREFIX) + KEY_ID_LENGTH] != ":" or len(raw) < NONCE_BYTES + 16:
                raise ValueError("too short")
            plaintext = cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], self._associated(identifier, context))
            return plaintext.decode("utf-8")
        except (InvalidTag, ValueError, IndexError, binascii.Error, UnicodeError):
            raise TamperedData(f"{context}: the encrypted data failed its integrity check (changed outside "
                               "assist, or copied from another row); it was not used") from None

    def seal_bytes(self, plaintext: bytes, context: str) -> bytes:
        """:meth:`seal` for bytes (a file): ``enc1:<key id>:`` then nonce, ciphertext and tag, as raw bytes."""
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._ciphers[self.current_id].encrypt(nonce, plaintext, self._associated(self.current_id, context))
        return f"{PREFIX}{self.current_id}:".encode("ascii") + nonce + sealed

    def open_bytes(self, value: bytes, context: str) -> bytes:
        """Decrypt what :meth:`seal_bytes` made for the same ``context``; errors as :meth:`open`."""
        head = len(PREFIX) + KEY_ID_LENGTH + 1
        if not isinstance(value, bytes) or not value.startswith(PREFIX.encode("ascii")) or len(value) < head:
            raise TamperedData(f"{context}: expected encrypted data, found something else")
        identifier = value[len(PREFIX):head - 1].decode("ascii", "replace")
        cipher = self._ciphers.get(identifier)
        if cipher is None:
            raise DataKeyError(f"{context}: encrypted with data key {identifier}, which is not among the keys "
                               f"given ({', '.join(self.ids)})")
        try:
            raw = value[head:]
            if value[head - 1:head] != b":" or len(raw) < NONCE_BYTES + 16:
                raise ValueError("too short")
            return cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], self._associated(identifier, context))
        except (InvalidTag, ValueError):
            raise TamperedData(f"{context}: the encrypted data failed its integrity check (changed outside "
                               "assist, or copied from another row); it was not used") from None

    @staticmethod
    def _associated(identifier: str, context: str) -> bytes:
        return f"enc1|{identifier}|{context}".encode("utf-8")
