"""Save and carry on later: a short resume code plus a second check chosen by the resident.

The code is stored only as a hash (it is random, so a fast hash is enough to look it up);
the second check (date of birth by default) only as a salted scrypt hash. Tries of the second
check are counted per code, each before it is checked: after the limit of wrong ones the code is
locked and the draft deleted. Codes expire; expired drafts are deleted (their statistics stay,
status "abandoned").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from .errors import JourneyClosed, JourneyNotFound
from .journeys import ABANDONED, CLEARED, IN_PROGRESS
from .secrets_hash import hash_secret, lookup_hash, verify_secret

CHECK_KINDS = ("date_of_birth", "postcode")


def normalise_check(kind: str, value: str) -> str:
    """The second check as compared: a date as YYYY-MM-DD, a postcode upper case without spaces."""
    if kind not in CHECK_KINDS:
        raise ValueError(f"unknown second check {kind!r}")
    if kind == "postcode":
        return re.sub(r"\s+", "", value or "").upper()
    return (value or "").strip()


@dataclass(frozen=True)
class ResumeAttempt:
    """The outcome of :meth:`ResumeMixin.try_resume`."""

    outcome: str  # "ok" | "wrong" | "locked" | "expired" | "unknown"
    journey_id: str | None = None
    attempts_left: int | None = None
    just_locked: bool = False


class ResumeMixin:
    """Resume-code methods of :class:`assist.storage.Store`."""

    def save_for_later(self, journey_id: str, code: str, check_kind: str, check_value: str, expires_at: datetime) -> None:
        """Give the journey in progress a resume code (replacing any earlier code)."""
        check_hash = hash_secret(normalise_check(check_kind, check_value))
        with self.transaction() as db:
            row = db.execute("select status from journeys where id = ?", [journey_id]).fetchone()
            if row is None:
                raise JourneyNotFound(journey_id)
            if row[0] != IN_PROGRESS:
                raise JourneyClosed(f"journey is {row[0]}")
            db.execute("delete from resume_codes where journey_id = ?", [journey_id])
            db["resume_codes"].insert(
                {"code_hash": lookup_hash(code), "journey_id": journey_id, "check_kind": check_kind,
                 "check_hash": check_hash, "failed_attempts": 0, "created_at": self._now(),
                 "expires_at": self._iso(expires_at), "locked": 0}
            )
            db.execute("update journeys set last_activity_at = ? where id = ?", [self._now(), journey_id])

    def resume_code_info(self, code: str) -> dict | None:
        """``{journey_id, check_kind, expires_at, locked, expired, form_id, failed_attempts}`` for a code,
        or ``None``. ``failed_attempts`` counts the wrong second checks since the last right one."""
        row = self.db.execute(
            "select resume_codes.journey_id, check_kind, expires_at, locked, journeys.form_id, journeys.status, "
            "failed_attempts "
            "from resume_codes join journeys on journeys.id = resume_codes.journey_id where code_hash = ?",
            [lookup_hash(code)],
        ).fetchone()
        if row is None:
            return None
        journey_id, kind, expires_at, locked, form_id, status, failed = row
        return {"journey_id": journey_id, "check_kind": kind, "expires_at": expires_at, "locked": bool(locked),
                "expired": expires_at <= self._now() or status != IN_PROGRESS, "form_id": form_id,
                "failed_attempts": failed}

    def try_resume(self, code: str, check_value: str, max_attempts: int = 5) -> ResumeAttempt:
        """Check the second check for ``code``. The try is counted against the code (in one write
        transaction) before the slow check runs, so tries sent at the same moment get at most
        ``max_attempts`` checks between them; a right answer sets the count back to 0."""
        with self.transaction() as db:
            row = db.execute(
                "select resume_codes.journey_id, check_kind, check_hash, failed_attempts, expires_at, locked, "
                "journeys.status from resume_codes join journeys on journeys.id = resume_codes.journey_id "
                "where code_hash = ?",
                [lookup_hash(code)],
            ).fetchone()
            if row is not None:
                journey_id, kind, check_hash, failed, expires_at, locked, status = row
                if locked or failed >= max_attempts:
                    return ResumeAttempt("locked")
                if expires_at <= self._now() or status != IN_PROGRESS:
                    self._expire_code(db, journey_id)
                    return ResumeAttempt("expired")
                db.execute("update resume_codes set failed_attempts = failed_attempts + 1 where journey_id = ?",
                           [journey_id])
        if row is None:
            verify_secret(check_value or "", None)
            return ResumeAttempt("unknown")
        right = verify_secret(normalise_check(kind, check_value), check_hash)
        with self.transaction() as db:
            current = db.execute(
                "select failed_attempts, locked from resume_codes where journey_id = ? and code_hash = ?",
                [journey_id, lookup_hash(code)]).fetchone()
            if current is None:
                return ResumeAttempt("expired")  # deleted meanwhile: expired, or the form was sent
            failed, locked = current
            if locked:
                return ResumeAttempt("locked")
            if right:
                db.execute("update resume_codes set failed_attempts = 0 where journey_id = ?", [journey_id])
                return ResumeAttempt("ok", journey_id=journey_id)
            if failed >= max_attempts:
                # Too many wrong answers: lock the code and delete the answers it protected.
                db.execute("update resume_codes set locked = 1 where journey_id = ?", [journey_id])
                db.execute("delete from drafts where journey_id = ?", [journey_id])
                db.execute("update journeys set status = ?, last_activity_at = ? where id = ? and status = ?",
                           [CLEARED, self._now(), journey_id, IN_PROGRESS])
                return ResumeAttempt("locked", attempts_left=0, just_locked=True)
        return ResumeAttempt("wrong", attempts_left=max_attempts - failed)

    def has_live_resume_code(self, journey_id: str) -> bool:
        """Whether the journey can still be carried on with a code (saved, not expired, not locked)."""
        return self.db.execute(
            "select 1 from resume_codes where journey_id = ? and locked = 0 and expires_at > ?",
            [journey_id, self._now()],
        ).fetchone() is not None

    def resume_expiry(self, journey_id: str) -> str | None:
        """When the journey's resume code expires (ISO UTC), or ``None``."""
        row = self.db.execute("select expires_at from resume_codes where journey_id = ? and locked = 0",
                              [journey_id]).fetchone()
        return row[0] if row else None

    def expire_resume_codes(self) -> int:
        """Delete expired codes and the drafts they kept (journeys become "abandoned"); returns how many."""
        now = self._now()
        with self.transaction() as db:
            journeys = [r[0] for r in db.execute("select journey_id from resume_codes where expires_at <= ?", [now])]
            for journey_id in journeys:
                self._expire_code(db, journey_id)
        return len(journeys)

    def expire_journeys(self, older_than) -> int:
        """Like :meth:`JourneysMixin.expire_journeys`, but a draft saved with a live resume code is kept
        until the code expires; expired codes are deleted with their drafts first."""
        expired_codes = self.expire_resume_codes()
        cutoff = self._iso(older_than)
        now = self._now()
        live = "select journey_id from resume_codes where locked = 0 and expires_at > ?"
        with self.transaction() as db:
            db.execute(
                "delete from drafts where journey_id in (select id from journeys where status = ? and "
                f"last_activity_at < ? and id not in ({live}))",
                [IN_PROGRESS, cutoff, now],
            )
            count = db.execute(
                f"update journeys set status = ? where status = ? and last_activity_at < ? and id not in ({live})",
                [ABANDONED, IN_PROGRESS, cutoff, now],
            ).rowcount
            db.execute("delete from drafts where journey_id in (select id from journeys where status != ?)",
                       [IN_PROGRESS])
        return count + expired_codes

    def forget_resume_code(self, journey_id: str) -> None:
        """Delete the journey's resume code (after it was submitted or cleared)."""
        with self.transaction() as db:
            db.execute("delete from resume_codes where journey_id = ?", [journey_id])

    def _expire_code(self, db, journey_id: str) -> None:
        db.execute("delete from resume_codes where journey_id = ?", [journey_id])
        db.execute("delete from drafts where journey_id = ?", [journey_id])
        db.execute("update journeys set status = ? where id = ? and status = ?", [ABANDONED, journey_id, IN_PROGRESS])
