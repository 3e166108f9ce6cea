"""Submissions for council admins and venue leads: find them (by reference, dates, form, venue,
delivery status and way of taking part), one submission's facts and deliveries with "Send again",
and the council's copy (audited). Its evidence files are in :mod:`.evidence`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, gettext

from ...engine.references import normalise_reference
from ...reporting.dashboard import MODES
from ..core.app import forms, store
from ..core.helper import ADMIN, STAFF, audit_event, helper_required
from ..core.pdf import pdf_response, printouts
from ..core.times import council_zone
from . import bp
from .banners import DONE, NOTE
from .evidence import evidence_section
from .roles import allowed_venues, is_admin, venue_names, visible_venues
from .views import language_names, parse_day

PAGE_SIZE = 50
#: Delivery statuses a list can be narrowed to (see ``Store.find_submissions``).
STATUSES = ("failed", "pending", "delivered", "none")
#: The query-string fields of the search, as the page's inputs are named.
FIELDS = ("reference", "from", "to", "form", "venue", "status", "mode")


@dataclass
class Search:
    """What the person asked for (``typed``: as typed, to show back) and what it means."""

    typed: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    reference: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None

    @property
    def active(self) -> bool:
        return any(self.typed.values())

    def _utc(self, day: dt.date) -> str:
        """The start of ``day`` in the council's time zone, as stored (ISO UTC)."""
        start = dt.datetime.combine(day, dt.time(), tzinfo=council_zone()).astimezone(dt.timezone.utc)
        return start.strftime("%Y-%m-%dT%H:%M:%SZ")

    def store_filters(self) -> dict:
        """Keyword arguments of ``Store.find_submissions`` (nothing for a field with an error)."""
        typed = self.typed
        return {
            "reference": self.reference, "form_id": typed["form"] or None, "mode": typed["mode"] or None,
            "status": typed["status"] or None,
            "since": self._utc(self.since) if self.since else None,
            "before": self._utc(self.until + dt.timedelta(days=1)) if self.until else None,
            "venues": [typed["venue"]] if typed["venue"] and "venue" not in self.errors else allowed_venues(),
        }


def read_search() -> Search:
    """The search from the query string, with GOV.UK errors for dates that are not dates."""
    typed = {name: (request.args.get(name) or "").strip() for name in FIELDS}
    if not typed["status"] and request.args.get("failed") == "1":
        typed["status"] = "failed"
    search = Search(typed)
    query = typed["reference"]
    if query:
        search.reference = normalise_reference(query) or "-".join(
            part for part in query.upper().replace(" ", "-").split("-") if part)
    for name, message in (("from", gettext("Enter the first day as a date, like 2026-10-01")),
                          ("to", gettext("Enter the last day as a date, like 2026-10-31"))):
        if typed[name] and parse_day(typed[name]) is None:
            search.errors[name] = message
    search.since, search.until = parse_day(typed["from"]), parse_day(typed["to"])
    if search.since and search.until and search.since > search.until:
        search.errors["to"] = gettext("The last day must be the same as or after the first day")
        search.since = search.until = None
    if typed["venue"] and typed["venue"] not in {v["id"] for v in visible_venues()}:
        search.errors["venue"] = gettext("Select a venue from the list")
    for name, allowed in (("form", forms()), ("status", STATUSES), ("mode", MODES)):
        if typed[name] and typed[name] not in allowed:
            typed[name] = ""
    return search


def _delivery_rows(record: dict) -> None:
    for delivery in record["deliveries"]:
        delivery["when"] = delivery["delivered_at"] or delivery["last_attempt_at"]


@bp.get("/submissions")
@helper_required(*STAFF)
def submissions():
    """Submissions, newest first, 50 a page; search and narrow them down; failed deliveries highlighted."""
    search = read_search()
    page = request.args.get("page", "1")
    page = max(int(page), 1) if page.isdigit() else 1
    rows = store().find_submissions(**search.store_filters(), limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    for row in rows:
        _delivery_rows(row)
    query = {name: value for name, value in search.typed.items() if value}
    return render_template("admin/submissions.html", rows=rows, search=search, query=query, page=page, more=more,
                           failed_count=store().count_failed_submissions(allowed_venues()), forms=forms(),
                           venues=venue_names(), venue_choices=visible_venues(), statuses=STATUSES,
                           modes=MODES, errors=search.errors), 400 if search.errors else 200


def _record_or_404(reference: str) -> dict:
    record = store().submission_record(reference)
    if record is None:
        abort(404)
    allowed = allowed_venues()
    if allowed is not None and record["venue_id"] not in allowed:
        abort(404)
    return record


@bp.get("/submissions/<reference>")
@helper_required(*STAFF)
def submission(reference: str):
    """One submission: its facts (never answers), deliveries with "Send again", and who saw it."""
    record = _record_or_404(reference)
    _delivery_rows(record)
    trail = store().submission_audit(reference) if is_admin() else []
    helper = store().get_helper(record["helper_id"]) if record["helper_id"] else None
    form_def = forms().get(record["form_id"])
    return render_template("admin/submission.html", s=record, trail=trail, form_def=form_def,
                           helper=helper, venues=venue_names(), is_admin=is_admin(), languages=language_names(),
                           evidence=evidence_section(record, form_def), back_url=url_for("admin.submissions"))


def requeue(row: dict, reference: str, journey_id: str | None = None) -> None:
    """Put the failed delivery ``row`` back in the queue, due now, audited and with the worker woken,
    and say so on the next page (or that nothing changed: it had not failed, e.g. a second click)."""
    destination = row["destination"]
    if not store().retry_delivery(row["id"]):
        flash(gettext("Nothing changed: the delivery of %(reference)s to %(destination)s had not failed. It is "
                      "waiting or delivered.", reference=reference, destination=destination), NOTE)
        return
    audit_event("delivery_retry", journey_id=journey_id, detail=f"{reference} {destination}")
    worker = current_app.extensions.get("assist.delivery_worker")
    if worker is not None:
        worker.wake()
    flash(gettext("%(reference)s will be sent to %(destination)s again in a moment. Refresh the page to see "
                  "when it has been delivered.", reference=reference, destination=destination), DONE)


@bp.post("/submissions/<reference>/send-again/<int:outbox_id>")
@helper_required(*STAFF)
def send_again(reference: str, outbox_id: int):
    """Put a failed delivery back in the queue, due now; the page then says so."""
    record = _record_or_404(reference)
    row = next((d for d in record["deliveries"] if d["id"] == outbox_id), None)
    if row is None:
        abort(404)
    requeue(row, reference, record["journey_id"])
    return redirect(url_for("admin.submission", reference=reference), code=303)


@bp.get("/submissions/<reference>/council-copy.pdf")
@helper_required(ADMIN)
def council_copy(reference: str):
    """The council's copy (with answers) while they are kept; every viewing is audited."""
    record = _record_or_404(reference)
    if not record["has_answers"]:
        abort(410)
    submission = store().get_submission(reference)
    form = forms().get(submission["form_id"])
    if form is None:
        abort(404)
    with force_locale("en"):
        pdf = printouts().completed_copy(form, submission, language="en", gettext=gettext, for_council=True,
                                         evidence=store().submission_evidence(reference))
    audit_event("submission_viewed", journey_id=record["journey_id"], detail=reference)
    return pdf_response(pdf, f"{reference}.pdf", private=True)
