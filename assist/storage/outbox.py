"""The outbox: one row per submission and destination, written in the submission's own transaction.

A row is never deleted before its destination has the submission. The delivery worker
(:mod:`assist.delivery`) *claims* due rows for a while (a lease), tries them, and records
the outcome:

* delivered: ``status = 'delivered'``, ``delivered_at`` set;
* failed, attempts left: ``next_attempt_at`` moves on (exponential backoff with jitter);
* failed, no attempts left: ``status = 'failed'``, shown to council admins, who can try again.

A worker that dies while it holds a lease (power cut, ``kill -9``) leaves the row claimed;
another worker takes it over when the lease runs out, or at once when the claimant was a
process on this machine that no longer exists. Each row has a stable idempotency key, so a
destination that received a submission before the crash can recognise the repeat.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta

PENDING = "pending"
DELIVERED = "delivered"
FAILED = "failed"
OUTBOX_STATUSES = (PENDING, DELIVERED, FAILED)
DESTINATION_KINDS = ("email", "webhook", "folder")

#: ``form_id -> destinations`` for new submissions; set by :meth:`OutboxMixin.set_delivery_routing`.
Routing = Callable[[str], Sequence[str]]


def worker_identity() -> str:
    """Who claims rows: ``host:pid:random`` (the pid lets a restarted worker see a dead claimant)."""
    return f"{socket.gethostname()}:{os.getpid()}:{os.urandom(4).hex()}"


def _claimant_is_dead(claimed_by: str | None) -> bool:
    """True when ``claimed_by`` names a process on this machine that no longer runs."""
    if not claimed_by:
        return True
    parts = claimed_by.split(":")
    if len(parts) != 3 or parts[0] != socket.gethostname():
        return False
    try:
        pid = int(parts[1])
    except ValueError:
        return False
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    # A zombie (killed, not yet reaped by its parent) still answers kill(0); it delivers nothing.
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


class OutboxMixin:
    """Outbox methods of :class:`assist.storage.Store`."""

    _delivery_routing: Routing | None = None

    def set_delivery_routing(self, routing: Routing | None) -> None:
        """Where submissions of each form go: ``routing(form_id) -> ["email", "folder", ...]``.

        :meth:`submit` writes one outbox row per destination in its own transaction.
        """
        self._delivery_routing = routing

    def add_outbox_listener(self, listener: Callable[[], None]) -> None:
        """Call ``listener()`` whenever rows are queued (a worker in this process wakes up). A worker
        that looks at once waits for the submitting transaction's commit: it needs the write lock."""
        self._outbox_listeners = [*getattr(self, "_outbox_listeners", ()), listener]

    def _enqueue_deliveries(self, db, reference: str, form_id: str) -> None:
        """Called by ``submit`` inside its transaction."""
        routing = self._delivery_routing
        if routing is None:
            return
        if self._insert_outbox(db, reference, routing(form_id)):
            for listener in getattr(self, "_outbox_listeners", ()):
                listener()

    def enqueue_deliveries(self, reference: str, destinations: Iterable[str]) -> int:
        """Queue ``reference`` for ``destinations`` (those already queued are left alone); returns how many new."""
        with self.transaction() as db:
            if db.execute("select 1 from submissions where reference = ?", [reference]).fetchone() is None:
                raise KeyError(reference)
            return self._insert_outbox(db, reference, destinations)

    def _insert_outbox(self, db, reference: str, destinations: Iterable[str]) -> int:
        now = self._now()
        added = 0
        for destination in dict.fromkeys(destinations):
            if destination not in DESTINATION_KINDS:
                raise ValueError(f"unknown destination {destination!r}; use one of {', '.join(DESTINATION_KINDS)}")
            cursor = db.execute(
                "insert into outbox (submission_reference, destination, idempotency_key, status, attempts, "
                "created_at, next_attempt_at) values (?, ?, ?, ?, 0, ?, ?) "
                "on conflict (submission_reference, destination) do nothing",
                [reference, destination, f"{reference}-{destination}", PENDING, now, now],
            )
            added += cursor.rowcount
        return added

    def claim_deliveries(self, worker: str, lease: timedelta, limit: int = 20) -> list[dict]:
        """Claim up to ``limit`` due rows for ``worker`` until now + ``lease``; oldest first."""
        now = self._clock()
        now_text, until = self._iso(now), self._iso(now + lease)
        with self.transaction() as db:
            rows = self._rows(db.execute(
                "select * from outbox where status = ? and next_attempt_at <= ? order by next_attempt_at, id limit ?",
                [PENDING, now_text, limit * 4],
            ))
            claimed = []
            for row in rows:
                held = row["claimed_until"] and row["claimed_until"] > now_text and row["claimed_by"] != worker
                if held and not _claimant_is_dead(row["claimed_by"]):
                    continue
                db.execute("update outbox set claimed_by = ?, claimed_until = ? where id = ?", [worker, until, row["id"]])
                row.update(claimed_by=worker, claimed_until=until)
                claimed.append(row)
                if len(claimed) >= limit:
                    break
        return claimed

    def mark_delivered(self, outbox_id: int, worker: str, detail: str | None = None) -> None:
        """Record that the destination has the submission."""
        now = self._now()
        with self.transaction() as db:
            db.execute(
                "update outbox set status = ?, delivered_at = ?, last_attempt_at = ?, attempts = attempts + 1, "
                "last_error = null, detail = ?, claimed_by = null, claimed_until = null where id = ?",
                [DELIVERED, now, now, detail, outbox_id],
            )

    def mark_attempt_failed(self, outbox_id: int, worker: str, error: str,
                            next_attempt_at: datetime | None) -> None:
        """Record a failed attempt: try again at ``next_attempt_at``, or give up (``None``)."""
        now = self._now()
        with self.transaction() as db:
            error = self._seal("outbox", "last_error", outbox_id, error[:2000])  # a reply may quote answers
            if next_attempt_at is None:
                db.execute(
                    "update outbox set status = ?, attempts = attempts + 1, last_attempt_at = ?, last_error = ?, "
                    "claimed_by = null, claimed_until = null where id = ? and status = ?",
                    [FAILED, now, error, outbox_id, PENDING],
                )
            else:
                db.execute(
                    "update outbox set attempts = attempts + 1, last_attempt_at = ?, last_error = ?, "
                    "next_attempt_at = ?, claimed_by = null, claimed_until = null where id = ? and status = ?",
                    [now, error, self._iso(next_attempt_at), outbox_id, PENDING],
                )

    def retry_delivery(self, outbox_id: int) -> bool:
        """Put a failed row back in the queue, due now, with its attempts counted afresh."""
        now = self._now()
        with self.transaction() as db:
            cursor = db.execute(
                "update outbox set status = ?, attempts = 0, next_attempt_at = ?, claimed_by = null, "
                "claimed_until = null where id = ? and status = ?",
                [PENDING, now, outbox_id, FAILED],
            )
            return cursor.rowcount == 1

    def get_delivery(self, outbox_id: int) -> dict | None:
        rows = self._rows(self.db.execute("select * from outbox where id = ?", [outbox_id]))
        return rows[0] if rows else None

    def list_deliveries(self, status: str | None = None, reference: str | None = None, limit: int = 200) -> list[dict]:
        """Outbox rows, newest first (all, or of one ``status`` and/or submission ``reference``)."""
        where, params = [], []
        if status is not None:
            where.append("status = ?")
            params.append(status)
        if reference is not None:
            where.append("submission_reference = ?")
            params.append(reference)
        sql = "select outbox.*, submissions.form_id from outbox join submissions on " \
              "submissions.reference = outbox.submission_reference"
        if where:
            sql += " where " + " and ".join(where)
        sql += " order by outbox.id desc limit ?"
        return self._rows(self.db.execute(sql, [*params, limit]))

    def delivery_counts(self) -> dict[str, int]:
        """How many outbox rows are pending, delivered and failed."""
        counts = dict.fromkeys(OUTBOX_STATUSES, 0)
        for status, count in self.db.execute("select status, count(*) from outbox group by status"):
            counts[status] = count
        return counts

    def next_delivery_due(self) -> str | None:
        """When the next pending row is due (ISO text), or ``None`` when nothing is pending."""
        row = self.db.execute(
            "select min(max(next_attempt_at, coalesce(claimed_until, ''))) from outbox where status = ?", [PENDING]
        ).fetchone()
        return row[0] if row else None

    def _rows(self, cursor) -> list[dict]:
        """Outbox rows as dicts, ``last_error`` decrypted."""
        columns = [c[0] for c in cursor.description]
        rows = [dict(zip(columns, values)) for values in cursor.fetchall()]
        for row in rows:
            row["last_error"] = self._open("outbox", "last_error", row["id"], row["last_error"])
        return rows
