"""Residents' data encrypted in the database: sealed on write, opened on read, re-encrypted on a key change.

What is encrypted (:data:`ENCRYPTED_COLUMNS`): the answers of drafts and of submissions, the
last error a destination gave for a delivery (a back office's reply may quote answers), and what a
browser session holds on the server (journey ids, a confirmation, a code just saved), and evidence
files with their thumbnails (:mod:`.evidence`, sealed as bytes). An empty
set of answers is stored as ``{}``, which says nothing about anyone (a new draft, or answers deleted
under the retention rules). Everything the statistics, indexes and admin lists use - references,
forms, venues, times, statuses - stays in plain columns; hashes (PINs, resume checks) stay hashes.

The rest of the app is unchanged: the storage methods seal and open values themselves.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .crypto import PREFIX, DataKeyError, KeyRing, new_key, sealed_key_id
from .data_keys import write_new_key_file

EMPTY_ANSWERS = "{}"


@dataclass(frozen=True)
class EncryptedColumn:
    table: str
    column: str
    row_id: str  # the column whose value binds an encrypted value to its row
    empty: str | None = None  # a value stored as it is: it holds nothing personal


ENCRYPTED_COLUMNS = (
    EncryptedColumn("drafts", "answers", "journey_id", EMPTY_ANSWERS),
    EncryptedColumn("submissions", "answers", "reference", EMPTY_ANSWERS),
    EncryptedColumn("outbox", "last_error", "id"),
    EncryptedColumn("browser_sessions", "data", "id"),
    EncryptedColumn("digest_keys", "key", "name"),  # the key of the paper copies' answer digests
)


@dataclass(frozen=True)
class Rotation:
    """What :meth:`EncryptionMixin.rotate_data_key` did."""

    old_ids: tuple[str, ...]
    new_id: str
    values: int  # how many stored values were re-encrypted
    new_key_file: Path | None  # where the new key was written when the keys come from the environment


class EncryptionMixin:
    """Encryption methods of :class:`assist.storage.Store` (``self._keys`` is its :class:`DataKeys`)."""

    # --- sealing and opening, used by the other mixins ---------------------------------------------

    def _seal(self, table: str, column: str, row_id, text: str | None) -> str | None:
        if text is None:
            return None
        return self._keys.ring().seal(text, f"{table}.{column}:{row_id}")

    def _open(self, table: str, column: str, row_id, value: str | None) -> str | None:
        if value is None:
            return None
        return self._keys.opening_ring(value).open(value, f"{table}.{column}:{row_id}")

    def _seal_answers(self, table: str, row_id: str, text: str) -> str:
        """Answers as JSON ``text``, as stored: encrypted, or ``{}`` when there are none."""
        return EMPTY_ANSWERS if text == EMPTY_ANSWERS else self._seal(table, "answers", row_id, text)

    def _open_answers(self, table: str, row_id: str, value: str | None) -> dict:
        if not value or value == EMPTY_ANSWERS:
            return {}
        return json.loads(self._open(table, "answers", row_id, value))

    # --- start-up -----------------------------------------------------------------------------------

    def stored_key_ids(self) -> dict[str, int]:
        """How many encrypted values each data key id sealed (the ids only: keys are never stored)."""
        counts: dict[str, int] = {}
        start = len(PREFIX) + 1
        for spec in ENCRYPTED_COLUMNS:
            for identifier, count in self.db.execute(
                    f"select substr({spec.column}, {start}, 8), count(*) from {spec.table} "
                    f"where {spec.column} like '{PREFIX}%' group by 1"):
                counts[identifier] = counts.get(identifier, 0) + count
        for identifier, count in self._evidence_key_ids().items():
            counts[identifier] = counts.get(identifier, 0) + count
        return counts

    def check_data_key(self) -> None:
        """Make sure the data key opens what the database holds; make the key file on a new database.

        Raises :class:`DataKeyError` with what to do when the key is missing or is another key.
        """
        stored = self.stored_key_ids()
        keys = self._keys
        if stored and not keys.available():
            raise DataKeyError(
                f"The database {self.path} holds encrypted answers, but there is no data key: "
                f"{keys.key_file} does not exist and ${keys.env_name} is not set. Restore the data key file "
                f"from your backup (or set ${keys.env_name} to the key). A new key cannot open these answers.")
        ring = keys.ring(create=True)
        keys.protect_file()
        missing = sorted(set(stored) - set(ring.ids))
        if missing:
            raise DataKeyError(
                f"The database {self.path} holds answers encrypted with data key {', '.join(missing)}, but "
                f"{keys.describe()} has key {', '.join(ring.ids)}. Restore the matching data key from your "
                f"backup, or set ${keys.env_name} to it. If a key change (`assist rotate-key --new-key-file`) "
                "was interrupted, the new key is in the file it wrote.")

    def encrypt_plaintext(self) -> int:
        """Encrypt values stored before encryption (older databases); returns how many."""
        changed = 0
        with self.transaction() as db:
            for spec in ENCRYPTED_COLUMNS:
                rows = db.execute(
                    f"select {spec.row_id}, {spec.column} from {spec.table} where {spec.column} is not null "
                    f"and {spec.column} not like '{PREFIX}%' and {spec.column} is not ?", [spec.empty]).fetchall()
                for row_id, value in rows:
                    db.execute(f"update {spec.table} set {spec.column} = ? where {spec.row_id} = ?",
                               [self._seal(spec.table, spec.column, row_id, value), row_id])
                changed += len(rows)
        if changed:
            self._checkpoint()
        return changed

    # --- key change ---------------------------------------------------------------------------------

    def reencrypt(self, ring: KeyRing) -> int:
        """Re-encrypt every encrypted value with ``ring``'s current key, in one transaction; returns how many."""
        changed = 0
        with self.transaction() as db:
            for spec in ENCRYPTED_COLUMNS:
                rows = db.execute(f"select {spec.row_id}, {spec.column} from {spec.table} "
                                  f"where {spec.column} like '{PREFIX}%'").fetchall()
                for row_id, value in rows:
                    context = f"{spec.table}.{spec.column}:{row_id}"
                    if sealed_key_id(value) == ring.current_id:
                        continue
                    db.execute(f"update {spec.table} set {spec.column} = ? where {spec.row_id} = ?",
                               [ring.seal(ring.open(value, context), context), row_id])
                    changed += 1
            changed += self._reencrypt_evidence(db, ring)
        return changed

    def rotate_data_key(self, new_key_file: str | Path | None = None) -> Rotation:
        """Encrypt everything with a new data key; the old key is no longer needed afterwards.

        Key file: the new key is added to the file first (old keys kept), every value is re-encrypted
        in one transaction, then the file keeps the new key only. Interrupted, the file still holds
        every key in use and running it again finishes the job.

        Environment: the new key is written to ``new_key_file`` (required, must not exist) before
        anything changes; the operator then puts it in the environment variable.
        """
        keys = self._keys
        self.check_data_key()
        old = keys.ring()
        key = new_key()
        if keys.from_environment:
            if new_key_file is None:
                raise DataKeyError(f"the data key comes from ${keys.env_name}: give --new-key-file PATH for the "
                                   "new key, then put that key in the environment")
            write_new_key_file(new_key_file, key)
            ring = old.with_new_key(key)
            count = self.reencrypt(ring)
            self._checkpoint()
            return Rotation(old.ids, ring.current_id, count, Path(new_key_file))
        if new_key_file is not None:
            raise DataKeyError(f"the data key is kept in {keys.key_file}: --new-key-file is only for a key "
                               f"in ${keys.env_name}")
        held = keys.file_keys()
        keys.write_file([key, *held])
        ring = keys.ring()
        count = self.reencrypt(ring)
        keys.write_file([key])
        self._checkpoint()
        return Rotation(old.ids, ring.current_id, count, None)

    def _checkpoint(self) -> None:
        """Move the write-ahead log into the database and empty it, so earlier versions of the values
        (plaintext, or under the old key) do not linger there. Best effort: readers may hold it back."""
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
