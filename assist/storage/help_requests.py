"""Kiosk "Ask for help" requests, and clearing idle kiosk visits.

A help request says only where (venue), when, and which form and language the resident is
using, so the helper who walks over knows what to expect. Never a name or an answer.
"""

from __future__ import annotations

from datetime import timedelta

OPEN = "open"
ACKNOWLEDGED = "acknowledged"
CANCELLED = "cancelled"
HELP_STATUSES = (OPEN, ACKNOWLEDGED, CANCELLED)


def _rows(cursor) -> list[dict]:
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, values)) for values in cursor.fetchall()]


class HelpRequestsMixin:
    """Help-request methods of :class:`assist.storage.Store`."""

    def request_help(self, venue_id: str, form_id: str | None = None, language: str | None = None) -> int:
        """Raise a help request at ``venue_id``; returns its id."""
        with self.transaction() as db:
            cursor = db.execute(
                "insert into help_requests (venue_id, form_id, language, status, created_at) values (?, ?, ?, ?, ?)",
                [venue_id, form_id, language, OPEN, self._now()],
            )
            return cursor.lastrowid

    def get_help_request(self, request_id: int) -> dict | None:
        rows = _rows(self.db.execute("select * from help_requests where id = ?", [request_id]))
        return rows[0] if rows else None

    def help_requests(self, venue_id: str, within_minutes: int = 120, include_done: bool = False) -> list[dict]:
        """Requests at ``venue_id`` raised in the last ``within_minutes``, oldest first (open ones only
        unless ``include_done``)."""
        since = self._iso(self.now() - timedelta(minutes=within_minutes))
        statuses = HELP_STATUSES if include_done else (OPEN,)
        marks = ", ".join("?" for _ in statuses)
        return _rows(self.db.execute(
            f"select * from help_requests where venue_id = ? and created_at >= ? and status in ({marks}) "
            "order by created_at, id",
            [venue_id, since, *statuses],
        ))

    def acknowledge_help(self, request_id: int, helper_id: str | None) -> bool:
        """A helper has seen the request and is on the way. False if it was not open."""
        with self.transaction() as db:
            cursor = db.execute(
                "update help_requests set status = ?, acknowledged_at = ?, acknowledged_by = ? "
                "where id = ? and status = ?",
                [ACKNOWLEDGED, self._now(), helper_id, request_id, OPEN],
            )
        return cursor.rowcount == 1

    def cancel_help(self, request_id: int) -> bool:
        """The resident left (finished, or the kiosk timed out): nobody needs to walk over."""
        with self.transaction() as db:
            cursor = db.execute(
                "update help_requests set status = ? where id = ? and status = ?", [CANCELLED, request_id, OPEN]
            )
        return cursor.rowcount == 1

    def expire_idle_journeys(self, mode: str, idle: timedelta, venue_id: str | None = None) -> int:
        """Delete the answers of ``mode`` journeys (optionally at one venue) idle for longer than ``idle``,
        unless saved with a live resume code; their status becomes "cleared". Returns how many."""
        cutoff = self._iso(self.now() - idle)
        where = "mode = ? and status = 'in_progress' and last_activity_at < ?"
        params: list = [mode, cutoff]
        if venue_id is not None:
            where += " and venue_id = ?"
            params.append(venue_id)
        ids = [row[0] for row in self.db.execute(f"select id from journeys where {where}", params)]
        cleared = 0
        for journey_id in ids:
            if self.has_live_resume_code(journey_id):
                continue
            self.discard_journey(journey_id)
            cleared += 1
        return cleared
