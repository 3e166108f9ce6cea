"""The admin area's pages: the dashboard and its exports, submissions and their deliveries,
forms in use, the audit trail, and retention."""

from __future__ import annotations

import datetime as dt

from babel import Locale
from babel.dates import format_date
from flask import Response, abort, render_template, request
from flask_babel import force_locale, get_locale, get_translations, gettext

from ...engine.formatting import babel_locale
from ...reporting import dashboard as reporting
from ...reporting.exports import audit_rows, dashboard_rows, write_csv
from ...reporting.report import render_report
from ...reporting.retention import purge, retention_days
from ..core.app import config, forms, store
from ..core.helper import ADMIN, STAFF, audit_event, helper_required
from ..core.pdf import pdf_response, printouts
from ..core.times import council_zone
from . import bp
from .roles import allowed_venues, venue_names, visible_venues

#: The longest period the audit CSV covers in one file.
MAX_AUDIT_DAYS = 366


def page_language() -> str:
    """The language the page is written in (English inside ``force_locale("en")``)."""
    return str(get_locale() or "en")


def plural_text(singular: str, plural: str, n: int) -> str:
    """The form of a message for ``n`` in the page's language, not yet filled in (the reporting
    code fills in the numbers as it writes them)."""
    return get_translations().ungettext(singular, plural, n)


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


def parse_day(text: str | None) -> dt.date | None:
    """A day typed as ``2026-10-01`` (what a date field sends), or ``None`` when it is not one."""
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
        since = parse_day(request.args["from"]) or since
        if parse_day(request.args["from"]) is None:
            errors["from"] = gettext("Enter the first day as a date, like 2026-10-01")
    if request.args.get("to"):
        until = parse_day(request.args["to"]) or until
        if parse_day(request.args["to"]) is None:
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
                           ngettext=plural_text, language=page_language())


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
                               language_names=language_names(), gettext=gettext, ngettext=plural_text)
        label = venue_label(filters)
        pdf = render_report(printouts(), data, venue_label=label, generated=store().now().astimezone(council_zone()),
                            gettext=gettext)
    audit_event("export", detail=f"monthly report {year:04d}-{month:02d} {filters.venue_id or 'all'}")
    response = pdf_response(pdf, f"assist-report-{year:04d}-{month:02d}.pdf", private=True)
    return response


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
    until = parse_day(request.args.get("to")) or today()
    since = parse_day(request.args.get("from")) or (until - dt.timedelta(days=6))
    if request.args.get("from") and parse_day(request.args["from"]) is None:
        errors["from"] = gettext("Enter the first day as a date, like 2026-10-01")
    if request.args.get("to") and parse_day(request.args["to"]) is None:
        errors["to"] = gettext("Enter the last day as a date, like 2026-10-31")
    if since > until:
        errors["to"] = gettext("The last day must be the same as or after the first day")
        since = until - dt.timedelta(days=6)
    if (until - since).days >= MAX_AUDIT_DAYS:
        errors["from"] = gettext("Choose a period of a year or less")
        since = until - dt.timedelta(days=6)
    return since, until, errors


def _iso_day(day: dt.date) -> str:
    """The start of ``day`` in the council's time zone, as stored times are written (ISO UTC)."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=council_zone()).astimezone(dt.timezone.utc)
    return start.strftime("%Y-%m-%dT%H:%M:%SZ")


AUDIT_VIEW_EVENTS = {"records": ("submission_viewed", "evidence_viewed", "print", "delivery_retry", "export"),
                     "all": None}


@bp.get("/audit")
@helper_required(ADMIN)
def audit():
    """Who viewed or printed which submission, and when; search one reference's trail."""
    since, until, errors = _audit_period()
    show = request.args.get("show", "records")
    events = AUDIT_VIEW_EVENTS.get(show, AUDIT_VIEW_EVENTS["records"])
    entries = store().audit_entries(_iso_day(since), _iso_day(until + dt.timedelta(days=1)), events=events,
                                     limit=1000)
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
    return _csv_response(write_csv(audit_rows(entries, gettext)), f"assist-audit-{since.isoformat()}_{until.isoformat()}.csv")


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
