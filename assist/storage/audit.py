"""The audit log: events with time, helper, venue and session; never answer values.

``detail`` is for short, non-personal facts only (a form id, a count, a reason code).
"""

from __future__ import annotations

EVENTS = (
    "sign_in",
    "sign_in_failed",  # a wrong name or PIN (helper_id only when the name is a helper's)
    "sign_in_locked",  # a try refused, its PIN not checked: the name must wait after wrong PINs
    "lockout",  # a wrong PIN that starts (or lengthens) a wait
    "sign_out",
    "sign_out_idle",
    "pin_reset",
    "pin_wait_cleared",  # a venue lead or admin let a helper try their PIN again at once (detail: helper id)
    "helper_added",
    "helper_deactivated",
    "session_start",
    "self_application_confirmed",
    "consent",
    "consent_refused",
    "hand_over",
    "give_back",
    "unlock",
    "save",
    "resume",
    "resume_failed",
    "resume_locked",
    "submit",
    "print",
    "clear",
    "paper_keyed",  # a paper copy keyed in (detail: form, paper reference and number, submission reference)
    "paper_duplicate_refused",
    "delivery_retry",  # an admin put a failed delivery back in the queue
    # council administration (assist/web/admin.py, assist/reporting): references and counts only
    "submission_viewed",  # an admin opened a submission's council copy (detail: reference)
    "evidence_viewed",  # an admin opened one of a submission's evidence files (detail: reference and file id)
    "venue_added",
    "venue_closed",
    "venue_reopened",
    "export",  # detail: what was exported (dashboard CSV, audit CSV, monthly report) and the period
    "purge",  # retention: a purge run, with counts only
)


class AuditMixin:
    """Audit methods of :class:`assist.storage.Store`."""

    def audit(
        self,
        event: str,
        *,
        helper_id: str | None = None,
        venue_id: str | None = None,
        journey_id: str | None = None,
        detail: str | None = None,
    ) -> None:
        """Append one event to the audit log."""
        if event not in EVENTS:
            raise ValueError(f"unknown audit event {event!r}")
        if detail is not None and len(detail) > 200:
            raise ValueError("audit detail is for short, non-personal facts only")
        with self.transaction() as db:
            db["audit"].insert(
                {"at": self._now(), "event": event, "helper_id": helper_id, "venue_id": venue_id,
                 "journey_id": journey_id, "detail": detail}
            )

    def audit_log(self, since=None, until=None, *, helper_id=None, journey_id=None, event=None,
                  limit: int | None = None) -> list[dict]:
        """Audit events, oldest first, filtered by time range (aware datetimes), helper, journey or event."""
        where, params = [], []
        if since is not None:
            where.append("at >= ?")
            params.append(self._iso(since))
        if until is not None:
            where.append("at < ?")
            params.append(self._iso(until))
        for column, value in (("helper_id", helper_id), ("journey_id", journey_id), ("event", event)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        sql = "select id, at, event, helper_id, venue_id, journey_id, detail from audit"
        if where:
            sql += " where " + " and ".join(where)
        sql += " order by id"
        if limit:
            sql += f" limit {int(limit)}"
        cursor = self.db.execute(sql, params)
        columns = [c[0] for c in cursor.description]
        return [dict(zip(columns, values)) for values in cursor.fetchall()]
