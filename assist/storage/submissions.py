"""Submissions: exactly one per journey, whatever the number of taps on Submit."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from .errors import JourneyClosed, JourneyNotFound, StorageError
from .journeys import IN_PROGRESS, SUBMITTED, dump_answers
from .paper import split_outside_route

MAX_REFERENCE_ATTEMPTS = 20


class SubmissionsMixin:
    """Submission methods of :class:`assist.storage.Store`."""

    def submit(self, journey_id: str, reference_factory: Callable[[], str], answers: dict) -> str:
        """Store ``answers`` as the journey's submission; return its reference.

        One ``BEGIN IMMEDIATE`` transaction: a second submit of the same journey (double
        tap, two threads, two processes) waits for the first, sees it submitted and returns
        the same reference. A reference already in use is replaced by a fresh one from
        ``reference_factory``. The draft is deleted: the submission now holds the answers.
        """
        text = dump_answers(answers)
        with self.transaction() as db:
            journey = db.execute(
                "select status, submission_reference, form_id, form_version, language, mode, "
                "venue_id, helper_id from journeys where id = ?",
                [journey_id],
            ).fetchone()
            if journey is None:
                raise JourneyNotFound(journey_id)
            status, existing, form_id, form_version, language, mode, venue_id, helper_id = journey
            if status == SUBMITTED:
                return existing
            if status != IN_PROGRESS:
                raise JourneyClosed(f"journey is {status}")
            now = self._now()
            record = {
                "journey_id": journey_id,
                "form_id": form_id,
                "form_version": form_version,
                "language": language,
                "mode": mode,
                "venue_id": venue_id,
                "helper_id": helper_id,
                "submitted_at": now,
            }
            reference = self._insert_submission(db, record, text, reference_factory)
            # The outbox rows (one per destination) commit with the submission, or not at all.
            self._enqueue_deliveries(db, reference, form_id)
            db.execute(
                "update journeys set status = ?, completed_at = ?, last_activity_at = ?, "
                "submission_reference = ?, exit_id = null where id = ?",
                [SUBMITTED, now, now, reference, journey_id],
            )
            db.execute("delete from drafts where journey_id = ?", [journey_id])
        return reference

    def get_submission(self, reference: str) -> dict | None:
        """The submission with this reference (answers decoded), or ``None``. Answers a helper keyed in
        from paper although the paper said to skip them are apart, in ``answers_outside_route``."""
        cursor = self.db.execute("select * from submissions where reference = ?", [reference])
        values = cursor.fetchone()
        if values is None:
            return None
        submission = dict(zip([c[0] for c in cursor.description], values))
        submission["answers"], submission["answers_outside_route"] = split_outside_route(
            self._open_answers("submissions", reference, submission["answers"]))
        return submission

    def count_submissions(self, form_id: str | None = None) -> int:
        """How many submissions there are (of ``form_id`` when given)."""
        if form_id is None:
            return self.db.execute("select count(*) from submissions").fetchone()[0]
        return self.db.execute("select count(*) from submissions where form_id = ?", [form_id]).fetchone()[0]

    def _insert_submission(self, db, record: dict, answers_text: str, reference_factory) -> str:
        columns = ["reference", *record, "answers"]
        sql = "insert into submissions ({}) values ({})".format(", ".join(columns), ", ".join("?" for _ in columns))
        for _ in range(MAX_REFERENCE_ATTEMPTS):
            reference = reference_factory()
            # The answers are bound to their reference: sealed again for each reference tried.
            answers = self._seal_answers("submissions", reference, answers_text)
            try:
                db.execute(sql, [reference, *record.values(), answers])
            except sqlite3.IntegrityError:
                # A failed statement is undone on its own; the transaction carries on.
                taken = db.execute("select 1 from submissions where reference = ?", [reference]).fetchone()
                if taken:
                    continue
                raise
            return reference
        raise StorageError(f"no free reference after {MAX_REFERENCE_ATTEMPTS} attempts")
