"""Deliveries for council admins: what is waiting, what failed (and why), and "Try again"."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for

from ..core.app import store
from ..core.helper import ADMIN, helper_required
from . import deliveries_bp as bp
from .submissions import requeue


@bp.get("/")
@helper_required(ADMIN)
def index():
    """Counts by status, every failed delivery with its last error, and the ones still waiting."""
    queue = store()
    failed = queue.list_deliveries(status="failed")
    pending = queue.list_deliveries(status="pending", limit=50)
    return render_template("admin/deliveries.html", counts=queue.delivery_counts(), failed=failed, pending=pending)


@bp.post("/<int:outbox_id>/retry")
@helper_required(ADMIN)
def retry(outbox_id: int):
    """Put a failed delivery back in the queue (after fixing the destination's settings); the page says so."""
    row = store().get_delivery(outbox_id)
    if row is None:
        abort(404)
    requeue(row, row["submission_reference"])
    return redirect(url_for("deliveries.index"), code=303)
