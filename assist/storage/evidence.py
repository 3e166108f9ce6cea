"""Evidence files (photos of documents, PDFs) kept for a journey, sealed with the data key.

Each file's bytes, and its thumbnail, are encrypted with the same key ring and envelope as
answers, bound to the file's id and its journey: a file moved to another row or journey does not
open. Files are kept in SQLite beside the answers, so they are written, backed up, replicated and
deleted with them in the same transactions (the evidence bench measures what that costs). They go
when their journey is cleared or abandoned and when its submission's answers are deleted
(triggers in the ``create_evidence`` migration).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from .crypto import PREFIX, KEY_ID_LENGTH, KeyRing
from .errors import JourneyClosed, JourneyNotFound
from .journeys import IN_PROGRESS


@dataclass(frozen=True)
class EvidenceFile:
    """One kept file, opened."""

    id: str
    question_id: str
    media_type: str
    data: bytes


def _context(column: str, file_id: str, journey_id: str) -> str:
    return f"evidence.{column}:{file_id}:{journey_id}"


class EvidenceMixin:
    """Evidence methods of :class:`assist.storage.Store`."""

    def add_evidence(self, journey_id: str, question_id: str, media_type: str, data: bytes,
                     thumbnail: bytes | None = None) -> str:
        """Keep a file for a journey in progress; returns its new random id."""
        file_id = secrets.token_urlsafe(16)
        ring = self._keys.ring()
        row = {
            "id": file_id, "journey_id": journey_id, "question_id": question_id, "media_type": media_type,
            "size": len(data), "created_at": self._now(),
            "data": ring.seal_bytes(data, _context("data", file_id, journey_id)),
            "thumbnail": ring.seal_bytes(thumbnail, _context("thumbnail", file_id, journey_id))
            if thumbnail is not None else None,
        }
        with self.transaction() as db:
            found = db.execute("select status from journeys where id = ?", [journey_id]).fetchone()
            if found is None:
                raise JourneyNotFound(journey_id)
            if found[0] != IN_PROGRESS:
                raise JourneyClosed(f"journey is {found[0]}")
            db["evidence"].insert(row)
        return file_id

    def evidence_size(self, journey_id: str) -> int:
        """The bytes of every file kept for the journey (for the per-journey limit)."""
        return self.db.execute("select coalesce(sum(size), 0) from evidence where journey_id = ?",
                               [journey_id]).fetchone()[0]

    def open_evidence(self, journey_id: str, file_id: str, thumbnail: bool = False) -> EvidenceFile | None:
        """A file of this journey, decrypted (its thumbnail when ``thumbnail``); ``None`` when the
        journey has no such file (or no thumbnail of it)."""
        column = "thumbnail" if thumbnail else "data"
        row = self.db.execute(f"select question_id, media_type, {column} from evidence "
                              "where id = ? and journey_id = ?", [file_id, journey_id]).fetchone()
        if row is None or row[2] is None:
            return None
        data = self._keys.ring().open_bytes(
            bytes(row[2]), _context(column, file_id, journey_id))
        return EvidenceFile(file_id, row[0], "image/jpeg" if thumbnail else row[1], data)

    def journey_evidence(self, journey_id: str) -> list[EvidenceFile]:
        """Every file kept for the journey, decrypted, oldest first."""
        ids = [row[0] for row in self.db.execute(
            "select id from evidence where journey_id = ? order by created_at, rowid", [journey_id])]
        return [found for found in (self.open_evidence(journey_id, file_id) for file_id in ids) if found]

    def submission_evidence(self, reference: str) -> list[EvidenceFile]:
        """Every file kept with the submission ``reference`` (none once its answers are deleted)."""
        row = self.db.execute("select journey_id from submissions where reference = ?", [reference]).fetchone()
        return self.journey_evidence(row[0]) if row else []

    def submission_evidence_file(self, reference: str, file_id: str, thumbnail: bool = False) -> EvidenceFile | None:
        """One file kept with the submission ``reference``, decrypted (its thumbnail when
        ``thumbnail``); ``None`` when the submission has no such file (or no thumbnail of it), and
        once its answers are deleted under the retention rules."""
        row = self.db.execute("select journey_id from submissions where reference = ? and answers_deleted_at is null",
                              [reference]).fetchone()
        return self.open_evidence(row[0], file_id, thumbnail=thumbnail) if row and row[0] else None

    def remove_evidence(self, journey_id: str, file_id: str) -> bool:
        """Delete a file of a journey in progress now; False when there was no such file."""
        with self.transaction() as db:
            return db.execute(
                "delete from evidence where id = ? and journey_id = ? and journey_id in "
                "(select id from journeys where status = ?)", [file_id, journey_id, IN_PROGRESS]).rowcount > 0

    def keep_only_evidence(self, journey_id: str, file_ids) -> int:
        """Delete the journey's files not in ``file_ids`` (those its answers no longer name); returns how many."""
        keep = list(file_ids)
        marks = ", ".join("?" for _ in keep) or "''"
        with self.transaction() as db:
            return db.execute(f"delete from evidence where journey_id = ? and id not in ({marks})",
                              [journey_id, *keep]).rowcount

    # --- key change, used by EncryptionMixin -------------------------------------------------------

    def _evidence_key_ids(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        start = len(PREFIX) + 1
        for column in ("data", "thumbnail"):
            for identifier, count in self.db.execute(
                    f"select cast(substr({column}, {start}, {KEY_ID_LENGTH}) as text), count(*) from evidence "
                    f"where {column} is not null group by 1"):
                counts[identifier] = counts.get(identifier, 0) + count
        return counts

    def _reencrypt_evidence(self, db, ring: KeyRing) -> int:
        changed = 0
        for file_id, journey_id, data, thumbnail in db.execute(
                "select id, journey_id, data, thumbnail from evidence").fetchall():
            update = {}
            for column, value in (("data", data), ("thumbnail", thumbnail)):
                if value is None or _key_id_of(bytes(value)) == ring.current_id:
                    continue
                context = _context(column, file_id, journey_id)
                update[column] = ring.seal_bytes(ring.open_bytes(bytes(value), context), context)
            if update:
                db["evidence"].update(file_id, update)
                changed += len(update)
        return changed


def _key_id_of(value: bytes) -> str:
    return value[len(PREFIX):len(PREFIX) + KEY_ID_LENGTH].decode("ascii", "replace")
