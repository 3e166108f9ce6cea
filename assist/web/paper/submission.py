"""A paper submission: the one just sent, or the one a duplicate points to (never its answers)."""

from __future__ import annotations

from flask import abort, render_template, request

from ..core.app import forms, store
from ..core.helper import helper_required
from ..core.times import local_time
from . import bp
from .reference import may_see


@bp.get("/submissions/<reference>")
@helper_required()
def submission(reference: str):
    """What was keyed in from a paper copy (never the answers): reference, paper, who, when, delivery.
    Only for helpers of the venue where it was keyed in, and council admins (404 for anyone else)."""
    copy = store().get_paper_copy(reference)
    if copy is None or not may_see(copy["venue_id"]):
        abort(404)
    form = forms().get(copy["form_id"])
    helper = store().get_helper(copy["helper_id"]) if copy.get("helper_id") else None
    venue = store().get_venue(copy["venue_id"]) if copy.get("venue_id") else None
    deliveries = store().list_deliveries(reference=reference)
    return render_template("paper/submission.html", copy=copy, form=form, helper=helper, venue=venue,
                           deliveries=deliveries, sent=request.args.get("sent") == "1",
                           outside=request.args.get("outside"),
                           keyed_at=local_time(copy["keyed_at"]), keyed_on=copy["keyed_at"][:10])
