"""Deliveries for council admins: what is waiting, what failed (and why), and "Try again"."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, url_for

from ..core.app import store
from ..core.helper import ADMIN, audit_event, helper_required
from ..core.times import local_time
from . import deliveries_bp as bp


@bp.get("/")
@helper_required(ADMIN)
def index():
    """Counts by status, every failed delivery with its last error, and the ones still waiting."""
    queue = store()
    failed = queue.list_deliveries(status="failed")
    pending = queue.list_deliveries(status="pending", limit=50)
    for row in failed + pending:
        row["last_attempt"] = local_time(row["last_attempt_at"]) if row["last_attempt_at"] else ""
        row["day"] = (row["last_attempt_at"] or "")[:10]
    return render_template("admin/deliveries.html", counts=queue.delivery_counts(), failed=failed, pending=pending)


@bp.post("/<int:outbox_id>/retry")
@helper_required(ADMIN)
def retry(outbox_id: int):
    """Put a failed delivery back in the queue (after fixing the destination's settings)."""
    row = store().get_delivery(outbox_id)
    if row is None:
        abort(404)
    if store().retry_delivery(outbox_id):
        audit_event("delivery_retry", detail=f"{row['submission_reference']} {row['destination']}")
        worker = current_app.extensions.get("assist.delivery_worker")
        if worker is not None:
            worker.wake()
    return redirect(url_for("deliveries.index"))
