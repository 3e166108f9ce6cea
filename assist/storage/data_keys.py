"""Where the data key comes from: an environment variable, or a key file beside the database.

* **Environment** (``$ASSIST_DATA_KEY``, or whatever ``security.data_key_env`` names): a base64 key;
  during a key change, several separated by commas, the new one first.
* **Key file** ``<data_dir>/data_key``: one base64 key per line, the current one first. Made on
  first start with permissions 0600 (owner only), in a folder made 0700. While ``assist rotate-key``
  runs it holds the new key and the old ones; once every value is re-encrypted, the new key only.

The key is never written to the database: the database records only which key id sealed a value.
The key file is re-read when it changes, so a running server follows ``assist rotate-key``: sealing
checks it (one ``stat``) every time, so nothing is ever sealed with a key that has been retired;
opening checks it at most once a second, and at once when a value names a key not yet read (a key
that has been retired but is still read can only open what it sealed). A key in the environment
is read once, at start-up.
"""

from __future__ import annotations

import errno
import os
import threading
import time
from pathlib import Path

from ..files import write_atomically, write_once
from .crypto import DataKeyError, KeyRing, decode_key, encode_key, new_key

DATA_KEY_FILE = "data_key"
#: How long the keys read may be used to open values before the key file is looked at again.
RECHECK_SECONDS = 1.0
DEFAULT_DATA_KEY_ENV = "ASSIST_DATA_KEY"


class DataKeys:
    """The data keys of one database (see the module docstring).

    ``env_value`` is the environment variable's value when it is set (``None`` otherwise);
    ``env_name`` is its name, for messages.
    """

    def __init__(self, key_file: str | os.PathLike, env_name: str = DEFAULT_DATA_KEY_ENV,
                 env_value: str | None = None):
        self.key_file = Path(key_file)
        self._key_path = str(self.key_file)
        self.env_name = env_name
        self._env_ring = self._parse_env(env_value) if env_value and env_value.strip() else None
        self._lock = threading.Lock()
        self._cached: tuple[tuple, KeyRing] | None = None
        self._checked_at = float("-inf")

    @property
    def from_environment(self) -> bool:
        """True when the keys come from the environment variable, not the key file."""
        return self._env_ring is not None

    def describe(self) -> str:
        """Where the keys come from, for messages: ``$ASSIST_DATA_KEY`` or the key file's path."""
        return f"${self.env_name}" if self.from_environment else str(self.key_file)

    def available(self) -> bool:
        """Whether a key is there to use (the variable is set, or the key file exists)."""
        return self.from_environment or self.key_file.exists()

    def ring(self, create: bool = False) -> KeyRing:
        """The current key ring. ``create`` (at start-up only): make the key file (0600) when there is
        none yet; otherwise a missing key raises :class:`DataKeyError`."""
        if self._env_ring is not None:
            return self._env_ring
        try:
            status = os.stat(self._key_path)
        except FileNotFoundError:
            if self._cached is not None:
                return self._cached[1]  # removed while running: carry on with the keys read, never make new ones
            if not create:
                raise DataKeyError(f"no data key: {self.key_file} does not exist and ${self.env_name} is not set")
            self._create_file()
            status = self.key_file.stat()
        signature = (status.st_ino, status.st_mtime_ns, status.st_ctime_ns, status.st_size)
        self._checked_at = time.monotonic()
        cached = self._cached
        if cached is not None and cached[0] == signature:
            return cached[1]
        with self._lock:
            ring = KeyRing(self._read_file())
            self._cached = (signature, ring)
        return ring

    def opening_ring(self, value: str) -> KeyRing:
        """A ring to open the envelope ``value`` with (see the module docstring): the keys as read at
        most a second ago, unless ``value`` names a key they do not hold."""
        cached = self._cached
        if self._env_ring is not None or cached is None or time.monotonic() - self._checked_at > RECHECK_SECONDS:
            return self.ring()
        if not cached[1].holds_key_of(value):
            return self.ring()
        return cached[1]

    def protect_file(self) -> None:
        """Make the key file owner-only again if it is not (restored from a backup, copied by hand)."""
        try:
            mode = self.key_file.stat().st_mode
        except FileNotFoundError:
            return
        if mode & 0o077:
            os.chmod(self.key_file, 0o600)

    def write_file(self, keys: list[bytes]) -> None:
        """Replace the key file with ``keys`` (current first), atomically and owner-only."""
        self.key_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_atomically(self.key_file, "".join(encode_key(key) + "\n" for key in keys).encode("ascii"))

    def file_keys(self) -> list[bytes]:
        """The keys in the key file, current first (empty when there is no file)."""
        try:
            return self._read_file()
        except FileNotFoundError:
            return []

    # --- internals ------------------------------------------------------------------------------

    def _parse_env(self, value: str) -> KeyRing:
        parts = [part for part in value.split(",") if part.strip()]
        return KeyRing([decode_key(part, f"${self.env_name}") for part in parts])

    def _read_file(self) -> list[bytes]:
        lines = [line for line in self.key_file.read_text(encoding="ascii").splitlines() if line.strip()]
        if not lines:
            raise DataKeyError(f"{self.key_file}: the data key file is empty; restore it from your backup")
        return [decode_key(line, str(self.key_file)) for line in lines]

    def _create_file(self) -> None:
        """Make the key file with one new key, unless another process made it first."""
        self.key_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_once(self.key_file, (encode_key(new_key()) + "\n").encode("ascii"))  # never overwrites a key


def write_new_key_file(path: str | os.PathLike, key: bytes) -> None:
    """Write ``key`` to a new file at ``path`` (owner-only); refuses to overwrite an existing file."""
    path = Path(path)
    if not write_once(path, (encode_key(key) + "\n").encode("ascii")):
        raise FileExistsError(errno.EEXIST, "a file is already there", str(path))
