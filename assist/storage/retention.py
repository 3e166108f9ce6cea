"""Retention: deleting residents' answers that are no longer needed; statistics stay.

* A submission's answers go a number of days after the back office received it (every outbox
  row delivered; a submission with no outbox rows counts as delivered when it was sent). The
  submission row stays with its reference, form, version, times and delivery record; ``answers``
  becomes ``{}`` and ``answers_deleted_at`` is set. Undelivered submissions are never touched.
* An unfinished draft goes when it expires: a draft saved with a resume code when its code
  expires; any other draft when its session has timed out (the idle limit of its mode). Its
  journey becomes "abandoned", which the statistics keep.

The policy (how many days for which form) is decided by :mod:`assist.reporting.retention`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from .journeys import ABANDONED, IN_PROGRESS

_DELIVERED = (
    "select s.reference, coalesce(max(o.delivered_at), s.submitted_at) as delivered_at from submissions s "
    "left join outbox o on o.submission_reference = s.reference "
    "where s.form_id = ? and s.answers_deleted_at is null and s.submitted_at <= ? "
    "group by s.reference having count(o.id) = coalesce(sum(o.status = 'delivered'), 0) "
    "and coalesce(max(o.delivered_at), s.submitted_at) <= ?"
)
_LIVE_CODE = "select journey_id from resume_codes where locked = 0 and expires_at > ?"


class RetentionMixin:
    """Retention methods of :class:`assist.storage.Store`."""

    def submissions_due_for_deletion(self, cutoffs: Mapping[str, datetime]) -> dict[str, list[str]]:
        """References whose answers are due for deletion, by form: delivered (all destinations)
        at or before ``cutoffs[form_id]``, answers not yet deleted."""
        due: dict[str, list[str]] = {}
        for form_id, cutoff in cutoffs.items():
            moment = self._iso(cutoff)
            references = [row[0] for row in self.db.execute(_DELIVERED, [form_id, moment, moment])]
            if references:
                due[form_id] = references
        return due

    def forms_with_answers(self) -> list[str]:
        """Forms that have submissions whose answers are still kept."""
        return [row[0] for row in self.db.execute(
            "select distinct form_id from submissions where answers_deleted_at is null")]

    def delete_submission_answers(self, references: list[str]) -> int:
        """Replace the answers of ``references`` by ``{}`` (if still delivered and kept); returns how many."""
        deleted = 0
        now = self._now()
        with self.transaction() as db:
            for start in range(0, len(references), 500):
                chunk = references[start:start + 500]
                marks = ", ".join("?" for _ in chunk)
                deleted += db.execute(
                    f"update submissions set answers = '{{}}', answers_deleted_at = ? where reference in ({marks}) "
                    "and answers_deleted_at is null and not exists (select 1 from outbox where "
                    "outbox.submission_reference = submissions.reference and outbox.status != 'delivered')",
                    [now, *chunk],
                ).rowcount
        return deleted

    def expired_drafts(self, idle_cutoffs: Mapping[str, datetime]) -> dict[str, int]:
        """How many drafts are due: ``{"saved": expired resume codes, "idle": timed-out drafts}``
        (``idle_cutoffs``: per mode, the last activity before which a draft without a code is dead)."""
        now = self._now()
        saved = self.db.execute(
            "select count(*) from resume_codes join journeys on journeys.id = resume_codes.journey_id "
            "where resume_codes.expires_at <= ? and journeys.status = ?", [now, IN_PROGRESS]).fetchone()[0]
        idle = 0
        for mode, cutoff in idle_cutoffs.items():
            idle += self.db.execute(
                f"select count(*) from journeys where status = ? and mode = ? and last_activity_at < ? "
                f"and id not in ({_LIVE_CODE}) and id not in (select journey_id from resume_codes)",
                [IN_PROGRESS, mode, self._iso(cutoff), now]).fetchone()[0]
        return {"saved": saved, "idle": idle}

    def delete_expired_drafts(self, idle_cutoffs: Mapping[str, datetime]) -> dict[str, int]:
        """Delete the drafts counted by :meth:`expired_drafts`; their journeys become "abandoned"."""
        now = self._now()
        with self.transaction() as db:
            expired = [row[0] for row in db.execute(
                "select resume_codes.journey_id from resume_codes join journeys on journeys.id = resume_codes.journey_id "
                "where resume_codes.expires_at <= ? and journeys.status = ?", [now, IN_PROGRESS])]
            for journey_id in expired:
                db.execute("delete from resume_codes where journey_id = ?", [journey_id])
                db.execute("delete from drafts where journey_id = ?", [journey_id])
                db.execute("update journeys set status = ? where id = ? and status = ?",
                           [ABANDONED, journey_id, IN_PROGRESS])
            # Codes of journeys that ended some other way are no use to anyone.
            db.execute("delete from resume_codes where expires_at <= ?", [now])
            idle = 0
            for mode, cutoff in idle_cutoffs.items():
                where = (f"status = ? and mode = ? and last_activity_at < ? and id not in ({_LIVE_CODE}) "
                         "and id not in (select journey_id from resume_codes)")
                params = [IN_PROGRESS, mode, self._iso(cutoff), now]
                db.execute(f"delete from drafts where journey_id in (select id from journeys where {where})", params)
                idle += db.execute(f"update journeys set status = '{ABANDONED}' where {where}", params).rowcount
            # No answers may outlive their journey.
            db.execute("delete from drafts where journey_id in (select id from journeys where status != ?)",
                       [IN_PROGRESS])
        return {"saved": len(expired), "idle": idle}
