"""The admin area's pages: the dashboard and its exports, submissions and their deliveries,
forms in use, the audit trail, and retention."""

from __future__ import annotations

import datetime as dt

from babel import Locale
from babel.dates import format_date
from flask import Response, abort, current_app, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale, gettext

from ...engine.formatting import babel_locale
from ...engine.references import normalise_reference
from ...reporting import dashboard as reporting
from ...reporting.exports import audit_rows, dashboard_rows, write_csv
from ...reporting.report import render_report
from ...reporting.retention import purge, retention_days
from ..core.app import config, forms, store
from ..core.helper import ADMIN, STAFF, audit_event, helper_required
from ..core.pdf import pdf_response, printouts
from ..core.times import local_time
from . import bp
from .roles import allowed_venues, is_admin, venue_names, visible_venues

PAGE_SIZE = 50
#: The longest period the audit CSV covers in one file.
MAX_AUDIT_DAYS = 366


def page_language() -> str:
    """The language the page is written in (English inside ``force_locale("en")``)."""
    return str(get_locale() or "en")


def language_names() -> dict[str, str]:
    """Each configured language named in the page's language ("Welsh", "Cymraeg", "ওয়েলশ")."""
    names = {}
    for code in config().languages.available:
        try:
            names[code] = Locale.parse(code).get_display_name(page_language()).split(" (")[0]
        except (ValueError, TypeError):
            names[code] = code
    return names


def today() -> dt.date:
    return store().now().date()


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        return None


def read_filters() -> tuple[reporting.Filters, dict[str, str]]:
    """The dashboard's filters from the query string (``from``, ``to``, ``venue``), and any errors."""
    errors: dict[str, str] = {}
    default = reporting.Filters.default(today())
    since, until = default.since, default.until
    if request.args.get("from"):
        since = _date(request.args["from"]) or since
        if _date(request.args["from"]) is None:
            errors["from"] = gettext("Enter the first day as a date, like 2026-10-01")
    if request.args.get("to"):
        until = _date(request.args["to"]) or until
        if _date(request.args["to"]) is None:
            errors["to"] = gettext("Enter the last day as a date, like 2026-10-31")
    if since > until and not errors:
        errors["to"] = gettext("The last day must be the same as or after the first day")
        since, until = default.since, default.until
    if (until - since).days > 3 * 366:
        errors["from"] = gettext("Choose a period of 3 years or less")
        since, until = default.since, default.until
    venue_id = request.args.get("venue") or None
    allowed = allowed_venues()
    if venue_id is not None and venue_id not in venue_names():
        errors["venue"] = gettext("Select a venue from the list")
        venue_id = None
    if venue_id is not None and allowed is not None and venue_id not in allowed:
        abort(403)
    return reporting.Filters(since, until, venue_id), errors


def venue_label(filters: reporting.Filters) -> str:
    if filters.venue_id:
        return venue_names().get(filters.venue_id, filters.venue_id)
    allowed = allowed_venues()
    if allowed is None:
        return gettext("All venues")
    names = venue_names()
    return ", ".join(names.get(v, v) for v in allowed) or gettext("No venue")


def build_dashboard(filters: reporting.Filters) -> reporting.Dashboard:
    return reporting.build(store(), forms(), filters, allowed_venues=allowed_venues(),
                           venue_names=venue_names(), language_names=language_names(), gettext=gettext,
                           language=page_language())


# --- the dashboard ----------------------------------------------------------------------------


@bp.get("/")
@helper_required(*STAFF)
def dashboard():
    filters, errors = read_filters()
    data = build_dashboard(filters)
    return render_template("admin/dashboard.html", d=data, filters=filters, errors=errors,
                           venues=visible_venues(), venue_label=venue_label(filters),
                           percent=reporting.percent,
                           minutes_text=lambda value: reporting.minutes_text(value, page_language()),
                           query=request.args.to_dict(), back_url=None), 400 if errors else 200


def _csv_response(text: str, filename: str) -> Response:
    response = Response(text, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/dashboard.csv")
@helper_required(*STAFF)
def dashboard_csv():
    filters, errors = read_filters()
    if errors:
        abort(400)
    data = build_dashboard(filters)
    period = f"{filters.since.isoformat()}_{filters.until.isoformat()}"
    audit_event("export", detail=f"dashboard csv {period} {filters.venue_id or 'all'}")
    return _csv_response(write_csv(dashboard_rows(data, venue_label(filters))), f"assist-dashboard-{period}.csv")


@bp.get("/report")
@helper_required(*STAFF)
def report_form():
    """Choose the month (and venue) of the monthly report."""
    first = today().replace(day=1)
    last_month = (first - dt.timedelta(days=1)).replace(day=1)
    months = []
    month = first
    for _ in range(13):
        months.append((month.strftime("%Y-%m"), format_date(month, "LLLL y", locale=babel_locale(page_language()))))
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return render_template("admin/report.html", months=months, selected=last_month.strftime("%Y-%m"),
                           venues=visible_venues())


@bp.get("/report.pdf")
@helper_required(*STAFF)
def report_pdf():
    """The monthly report for council meetings, as a PDF (aggregate counts only)."""
    try:
        year, month = (int(part) for part in request.args.get("month", "").split("-"))
        filters = reporting.Filters.month(year, month, request.args.get("venue") or None)
    except (ValueError, OverflowError):  # not a month from the form's list
        abort(400)
    allowed = allowed_venues()
    if filters.venue_id and (filters.venue_id not in venue_names()
                             or (allowed is not None and filters.venue_id not in allowed)):
        abort(403 if filters.venue_id in venue_names() else 400)
    with force_locale("en"):
        data = reporting.build(store(), forms(), filters, allowed_venues=allowed, venue_names=venue_names(),
                               language_names=language_names(), gettext=gettext)
        label = venue_label(filters)
        pdf = render_report(printouts(), data, venue_label=label, generated=store().now(), gettext=gettext)
    audit_event("export", detail=f"monthly report {year:04d}-{month:02d} {filters.venue_id or 'all'}")
    response = pdf_response(pdf, f"assist-report-{year:04d}-{month:02d}.pdf", private=True)
    return response


# --- submissions ---------------------------------------------------------------------------------


def _delivery_rows(record: dict) -> None:
    for delivery in record["deliveries"]:
        when = delivery["delivered_at"] or delivery["last_attempt_at"]
        delivery["when"] = f"{when[:10]} {local_time(when)}" if when else ""


@bp.get("/submissions")
@helper_required(*STAFF)
def submissions():
    """Submissions, newest first; search by reference; failed deliveries first and highlighted."""
    query = (request.args.get("reference") or "").strip()
    failed_only = request.args.get("failed") == "1"
    page = request.args.get("page", "1")
    page = max(int(page), 1) if page.isdigit() else 1
    reference = None
    if query:
        reference = normalise_reference(query) or "-".join(
            part for part in query.upper().replace(" ", "-").split("-") if part)
    rows = store().find_submissions(reference=reference, venues=allowed_venues(), failed_only=failed_only,
                                     limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    for row in rows:
        _delivery_rows(row)
    return render_template("admin/submissions.html", rows=rows, query=query, failed_only=failed_only, page=page,
                           more=more, failed_count=store().count_failed_submissions(allowed_venues()),
                           forms=forms(), venues=venue_names())


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
    for entry in trail:
            entry["when"] = f"{entry['at'][:10]} {local_time(entry['at'])}"
    helper = store().get_helper(record["helper_id"]) if record["helper_id"] else None
    return render_template("admin/submission.html", s=record, trail=trail, form_def=forms().get(record["form_id"]),
                           helper=helper, venues=venue_names(), is_admin=is_admin(), languages=language_names(),
                           back_url=url_for("admin.submissions"))


@bp.post("/submissions/<reference>/send-again/<int:outbox_id>")
@helper_required(*STAFF)
def send_again(reference: str, outbox_id: int):
    """Put a failed delivery back in the queue, due now."""
    record = _record_or_404(reference)
    if outbox_id not in {d["id"] for d in record["deliveries"]}:
        abort(404)
    if store().retry_delivery(outbox_id):
        row = next(d for d in record["deliveries"] if d["id"] == outbox_id)
        audit_event("delivery_retry", journey_id=record["journey_id"], detail=f"{reference} {row['destination']}")
        worker = current_app.extensions.get("assist.delivery_worker")
        if worker is not None:
            worker.wake()
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
        pdf = printouts().completed_copy(form, submission, language="en", gettext=gettext, for_council=True)
    audit_event("submission_viewed", journey_id=record["journey_id"], detail=reference)
    return pdf_response(pdf, f"{reference}.pdf", private=True)


# --- forms, audit, retention (council admins) ------------------------------------------------


@bp.get("/forms")
@helper_required(ADMIN)
def forms_in_use():
    """Forms loaded now (with their version and retention) and every version residents have used."""
    used = store().forms_in_use()
    loaded = [{"form": f, "retention_days": retention_days(f, config())} for f in forms().values()]
    return render_template("admin/forms.html", loaded=loaded, used=used, forms=forms())


def _audit_period() -> tuple[dt.date, dt.date, dict]:
    errors = {}
    until = _date(request.args.get("to")) or today()
    since = _date(request.args.get("from")) or (until - dt.timedelta(days=6))
    if request.args.get("from") and _date(request.args["from"]) is None:
        errors["from"] = gettext("Enter the first day as a date, like 2026-10-01")
    if request.args.get("to") and _date(request.args["to"]) is None:
        errors["to"] = gettext("Enter the last day as a date, like 2026-10-31")
    if since > until:
        errors["to"] = gettext("The last day must be the same as or after the first day")
        since = until - dt.timedelta(days=6)
    if (until - since).days >= MAX_AUDIT_DAYS:
        errors["from"] = gettext("Choose a period of a year or less")
        since = until - dt.timedelta(days=6)
    return since, until, errors


def _iso_day(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


AUDIT_VIEW_EVENTS = {"records": ("submission_viewed", "print", "delivery_retry", "export"), "all": None}


@bp.get("/audit")
@helper_required(ADMIN)
def audit():
    """Who viewed or printed which submission, and when; search one reference's trail."""
    since, until, errors = _audit_period()
    show = request.args.get("show", "records")
    events = AUDIT_VIEW_EVENTS.get(show, AUDIT_VIEW_EVENTS["records"])
    entries = store().audit_entries(_iso_day(since), _iso_day(until + dt.timedelta(days=1)), events=events,
                                     limit=1000)
    for entry in entries:
        entry["when"] = f"{entry['at'][:10]} {local_time(entry['at'])}"
    return render_template("admin/audit.html", entries=entries, since=since, until=until, errors=errors, show=show,
                           venues=venue_names()), 400 if errors else 200


@bp.get("/audit.csv")
@helper_required(ADMIN)
def audit_csv():
    """The audit log for a date range as CSV."""
    since, until, errors = _audit_period()
    if errors:
        abort(400)
    entries = store().audit_entries(_iso_day(since), _iso_day(until + dt.timedelta(days=1)))
    audit_event("export", detail=f"audit csv {since.isoformat()}_{until.isoformat()}")
    return _csv_response(write_csv(audit_rows(entries)), f"assist-audit-{since.isoformat()}_{until.isoformat()}.csv")


@bp.get("/retention")
@helper_required(ADMIN)
def retention():
    """The retention rules per form, what a purge would delete now, and the last purges."""
    preview = purge(store(), forms(), config(), dry_run=True)
    rules = [{"form": f, "days": retention_days(f, config()), "own": bool(f.retention_days)}
             for f in forms().values()]
    since = _iso_day(today() - dt.timedelta(days=60))
    runs = list(reversed(store().audit_entries(since, _iso_day(today() + dt.timedelta(days=1)),
                                                events=["purge"], limit=500)))[:20]
    return render_template("admin/retention.html", preview=preview, rules=rules, runs=runs,
                           default_days=config().retention.days_after_delivery,
                           draft_days=config().sessions.draft_expiry_days)
