"""Assisted journeys: consent, who typed each answer, and a helper's sessions of the day."""

from __future__ import annotations

import json

from .journeys import IN_PROGRESS


def _answered_ids(answers: dict) -> set[str]:
    ids = set()
    for key, value in (answers or {}).items():
        ids.add(key)
        if isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    ids.update(item)
    return ids


class AssistedMixin:
    """Assisted-journey methods of :class:`assist.storage.Store`.

    Comes before ``SubmissionsMixin`` in :class:`Store`'s bases: :meth:`submit` carries who
    typed which answer into the submission, in the same transaction.
    """

    def record_consent(self, journey_id: str, version: str) -> bool:
        """Store that the resident agreed to consent text ``version`` now. False if unknown or closed."""
        with self.transaction() as db:
            cursor = db.execute(
                "update journeys set consent_version = ?, consent_at = ?, last_activity_at = ? "
                "where id = ? and status = ?",
                [version, self._now(), self._now(), journey_id, IN_PROGRESS],
            )
        return cursor.rowcount == 1

    def typed_by(self, journey_id: str) -> dict:
        """Who typed each answer of the draft so far: ``{question_id: "helper"|"resident"}``."""
        row = self.db.execute("select typed_by from drafts where journey_id = ?", [journey_id]).fetchone()
        return json.loads(row[0]) if row and row[0] else {}

    def submit(self, journey_id, reference_factory, answers):
        """Submit (see :meth:`SubmissionsMixin.submit`), keeping who typed the submitted answers,
        and forgetting the journey's resume code."""
        with self.transaction() as db:
            row = db.execute(
                "select drafts.typed_by, journeys.status from journeys left join drafts "
                "on drafts.journey_id = journeys.id where journeys.id = ?",
                [journey_id],
            ).fetchone()
            reference = super().submit(journey_id, reference_factory, answers)
            if row is not None and row[1] == IN_PROGRESS:
                submitted = _answered_ids(answers)
                typed = {k: v for k, v in (json.loads(row[0]) if row[0] else {}).items() if k in submitted}
                db.execute("update submissions set typed_by = ? where reference = ?",
                           [json.dumps(typed, separators=(",", ":")), reference])
            db.execute("delete from resume_codes where journey_id = ?", [journey_id])
        return reference

    def get_submission(self, reference):
        submission = super().get_submission(reference)
        if submission is not None:
            submission["typed_by"] = json.loads(submission["typed_by"]) if submission.get("typed_by") else {}
        return submission

    def discard_journey(self, journey_id):
        """Delete the answers now (see :meth:`JourneysMixin.discard_journey`) and any resume code."""
        with self.transaction() as db:
            found = super().discard_journey(journey_id)
            db.execute("delete from resume_codes where journey_id = ?", [journey_id])
        return found

    def helper_journeys(self, helper_id: str, venue_id: str, since) -> list[dict]:
        """A helper's journeys at a venue started (or resumed) since ``since``: form, times, status,
        reference. Never answers."""
        cursor = self.db.execute(
            "select id, form_id, form_version, mode, status, started_at, last_activity_at, completed_at, "
            "submission_reference, consent_at from journeys where helper_id = ? and venue_id = ? "
            "and (started_at >= ? or last_activity_at >= ?) order by started_at desc",
            [helper_id, venue_id, self._iso(since), self._iso(since)],
        )
        columns = [c[0] for c in cursor.description]
        return [dict(zip(columns, values)) for values in cursor.fetchall()]

    def assign_journey(self, journey_id: str, mode: str, venue_id: str | None, helper_id: str | None,
                       reset_consent: bool = False) -> bool:
        """Carry a resumed journey on in a new place: its mode, venue and helper become these
        (``reset_consent``: a new helper asks for consent again)."""
        consent = ", consent_version = null, consent_at = null" if reset_consent else ""
        with self.transaction() as db:
            cursor = db.execute(
                f"update journeys set mode = ?, venue_id = ?, helper_id = ?, last_activity_at = ?{consent} "
                "where id = ? and status = ?",
                [mode, venue_id, helper_id, self._now(), journey_id, IN_PROGRESS],
            )
        return cursor.rowcount == 1

    def now(self):
        """The store's clock (tests inject their own)."""
        return self._clock()
