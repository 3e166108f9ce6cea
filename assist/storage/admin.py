"""What council admins and venue leads look up: venues on and off, submissions by reference with
their delivery status, and the audit trail of a submission. Never answer values."""

from __future__ import annotations

from collections.abc import Sequence

#: Submission columns an admin list may show (``answers`` is never selected here).
SUBMISSION_COLUMNS = ("reference", "journey_id", "form_id", "form_version", "language", "mode", "venue_id",
                      "helper_id", "submitted_at", "answers_deleted_at")
#: Audit events about one submission that the "who saw this record" view lists.
#: The start of a subquery: the references with an outbox row of a status (written after it).
_WITH_STATUS = "select submission_reference from outbox where status ="
RECORD_EVENTS = ("submit", "print", "submission_viewed", "evidence_viewed", "delivery_retry", "paper_keyed")


def _rows(cursor) -> list[dict]:
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, values)) for values in cursor.fetchall()]


def _in(column: str, values: Sequence[str]) -> tuple[str, list]:
    return f"{column} in ({', '.join('?' for _ in values) or 'null'})", list(values)


class AdminMixin:
    """Administration methods of :class:`assist.storage.Store`."""

    # --- venues ------------------------------------------------------------------------------

    def set_venue_active(self, venue_id: str, active: bool) -> bool:
        """Open or close a venue (closed: no sign-in there, not offered on tablets). False if unknown."""
        with self.transaction() as db:
            cursor = db.execute("update venues set active = ? where id = ?", [1 if active else 0, venue_id])
            if not active:
                db.execute(
                    "update helper_sessions set ended_at = ?, end_reason = 'venue_closed' "
                    "where venue_id = ? and ended_at is null",
                    [self._now(), venue_id],
                )
        return cursor.rowcount == 1

    def set_helper_venues(self, helper_id: str, venues: Sequence[str]) -> None:
        """Where a helper works (replaces the list)."""
        with self.transaction() as db:
            db.execute("delete from helper_venues where helper_id = ?", [helper_id])
            for venue_id in venues:
                db["helper_venues"].insert({"helper_id": helper_id, "venue_id": venue_id}, ignore=True)

    # --- submissions -------------------------------------------------------------------------

    def find_submissions(self, *, reference: str | None = None, venues: Sequence[str] | None = None,
                         failed_only: bool = False, since: str | None = None, before: str | None = None,
                         form_id: str | None = None, mode: str | None = None, status: str | None = None,
                         limit: int = 50, offset: int = 0) -> list[dict]:
        """Submissions newest first, without answers, each with ``deliveries``: its outbox rows
        (destination, status, attempts, delivered_at, last_error, id).

        ``reference``: a whole reference (exact) or its beginning (``"BB-7K"``); ``venues``: only
        those venues (a venue lead's); ``failed_only``: only those with a failed delivery;
        ``since``/``before``: sent at or after / before these ISO UTC times; ``form_id``, ``mode``:
        only that form or way of taking part; ``status``: only those whose ``delivery_status`` is
        "failed", "pending", "delivered" or "none" (never queued).
        """
        clauses, params = [], []
        if reference:
            clauses.append("reference >= ? and reference < ?")
            params += [reference, reference + "~"]
        if venues is not None:
            clause, values = _in("venue_id", venues)
            clauses.append(clause)
            params += values
        if failed_only or status == "failed":
            clauses.append(f"reference in ({_WITH_STATUS} 'failed')")
        for column, value in (("submitted_at >=", since), ("submitted_at <", before), ("form_id =", form_id),
                              ("mode =", mode)):
            if value:
                clauses.append(f"{column} ?")
                params.append(value)
        if status == "pending":
            clauses.append(f"reference in ({_WITH_STATUS} 'pending') and reference not in ({_WITH_STATUS} 'failed')")
        elif status == "delivered":
            clauses.append("reference in (select submission_reference from outbox) "
                           f"and reference not in ({_WITH_STATUS} 'pending') "
                           f"and reference not in ({_WITH_STATUS} 'failed')")
        elif status == "none":
            clauses.append("reference not in (select submission_reference from outbox)")
        sql = f"select {', '.join(SUBMISSION_COLUMNS)} from submissions"
        if clauses:
            sql += " where " + " and ".join(clauses)
        sql += " order by submitted_at desc, reference limit ? offset ?"
        submissions = _rows(self.db.execute(sql, [*params, int(limit), int(offset)]))
        self._attach_deliveries(submissions)
        return submissions

    def count_failed_submissions(self, venues: Sequence[str] | None = None) -> int:
        """Submissions with at least one failed delivery (at ``venues``)."""
        sql = ("select count(*) from submissions where reference in "
               "(select submission_reference from outbox where status = 'failed')")
        params: list = []
        if venues is not None:
            clause, params = _in("venue_id", venues)
            sql += " and " + clause
        return self.db.execute(sql, params).fetchone()[0]

    def submission_record(self, reference: str) -> dict | None:
        """One submission's facts for admins (no answers): as :meth:`find_submissions`, plus
        ``has_answers`` (False once deleted under the retention rules)."""
        cursor = self.db.execute(
            f"select {', '.join(SUBMISSION_COLUMNS)}, answers != '{{}}' as has_answers from submissions "
            "where reference = ?",
            [reference],
        )
        rows = _rows(cursor)
        if not rows:
            return None
        record = rows[0]
        record["has_answers"] = bool(record["has_answers"]) and not record["answers_deleted_at"]
        self._attach_deliveries([record])
        return record

    def _attach_deliveries(self, submissions: list[dict]) -> None:
        if not submissions:
            return
        clause, params = _in("submission_reference", [s["reference"] for s in submissions])
        by_reference: dict[str, list[dict]] = {}
        for row in _rows(self.db.execute(
                "select id, submission_reference, destination, status, attempts, delivered_at, last_attempt_at, "
                f"last_error from outbox where {clause} order by destination", params)):
            row["last_error"] = self._open("outbox", "last_error", row["id"], row["last_error"])
            by_reference.setdefault(row.pop("submission_reference"), []).append(row)
        for submission in submissions:
            deliveries = by_reference.get(submission["reference"], [])
            submission["deliveries"] = deliveries
            statuses = {d["status"] for d in deliveries}
            submission["delivery_status"] = (
                "failed" if "failed" in statuses else "pending" if "pending" in statuses
                else "delivered" if deliveries else "none")

    # --- audit -------------------------------------------------------------------------------

    def submission_audit(self, reference: str) -> list[dict]:
        """Who did what with this submission's record, oldest first: submitted, printed, viewed,
        sent again, answers deleted. Each row: at, event, helper_id, helper_name, venue_id, detail."""
        row = self.db.execute("select journey_id from submissions where reference = ?", [reference]).fetchone()
        if row is None:
            return []
        clause, params = _in("audit.event", RECORD_EVENTS)
        return _rows(self.db.execute(
            "select audit.at, audit.event, audit.helper_id, helpers.display_name as helper_name, audit.venue_id, "
            "audit.detail from audit left join helpers on helpers.id = audit.helper_id "
            f"where audit.journey_id = ? and {clause} order by audit.id",
            [row[0], *params],
        ))

    def audit_entries(self, since: str, until: str, *, events: Sequence[str] | None = None,
                      venues: Sequence[str] | None = None, limit: int | None = None) -> list[dict]:
        """Audit entries with ``since <= at < until`` (ISO UTC), oldest first, with the helper's
        name and the submission reference of the session (when it was sent)."""
        clauses, params = ["audit.at >= ?", "audit.at < ?"], [since, until]
        if events:
            clause, values = _in("audit.event", events)
            clauses.append(clause)
            params += values
        if venues is not None:
            clause, values = _in("audit.venue_id", venues)
            clauses.append(clause)
            params += values
        sql = ("select audit.id, audit.at, audit.event, audit.helper_id, helpers.display_name as helper_name, "
               "audit.venue_id, journeys.form_id, journeys.submission_reference as reference, audit.detail "
               "from audit left join helpers on helpers.id = audit.helper_id "
               "left join journeys on journeys.id = audit.journey_id "
               f"where {' and '.join(clauses)} order by audit.id")
        if limit:
            sql += f" limit {int(limit)}"
        return _rows(self.db.execute(sql, params))
