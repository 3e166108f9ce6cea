"""CSV exports: the dashboard's figures and the audit log. Safe to open in a spreadsheet.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be read as a
formula by Excel, LibreOffice or Google Sheets ("CSV injection"); such text cells get a leading
apostrophe. Numbers are written as numbers. The dashboard CSV holds aggregate counts only; the
audit CSV holds who did what and when, never answers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from .dashboard import Dashboard
from .events import Gettext, event_words

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value) -> object:
    """``value`` as a spreadsheet cell that cannot run as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def write_csv(rows: Iterable[Iterable]) -> str:
    """``rows`` as CSV text (with a BOM so Excel reads UTF-8) and CRLF line ends."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()


DASHBOARD_HEADER = ("section", "period_start", "period_end", "venue", "week_beginning", "dimension", "key", "label",
                    "sessions", "sent", "unfinished", "in_progress", "told_cannot_continue", "completion_rate",
                    "median_minutes")


def dashboard_rows(dashboard: Dashboard, venue_label: str) -> list[list]:
    """One row per figure: totals, per form, per venue/form/language/mode, per week, stop pages."""
    f = dashboard.filters
    head = [f.since.isoformat(), f.until.isoformat(), venue_label]
    rows: list[list] = [list(DASHBOARD_HEADER)]
    t = dashboard.totals
    rows.append(["totals", *head, "", "", "", "", t["started"], t["submitted"], t["unfinished"], t["in_progress"],
                 t["exited"], _rate(dashboard.completion_rate), dashboard.median_minutes])
    for form in dashboard.forms:
        rows.append(["form", *head, "", "form", form.form_id, form.title, form.started, form.submitted,
                     form.unfinished, form.in_progress, form.exited, _rate(form.completion_rate), form.median_minutes])
    for dimension in ("venue", "form", "language", "mode"):
        for key, label, started, submitted in dashboard.breakdowns[dimension]:
            rows.append(["breakdown", *head, "", dimension, key, label, started, submitted, "", "", "", "", ""])
    for dimension in ("venue", "form", "language", "mode"):
        for key, weeks in dashboard.weekly[dimension].items():
            label = dashboard.labels[dimension].get(key, key)
            for week in dashboard.weeks:
                count = weeks.get(week.isoformat(), 0)
                if count:
                    rows.append(["weekly", *head, week.isoformat(), dimension, key, label, count,
                                 "", "", "", "", "", ""])
    for form in dashboard.forms:
        for stop, label, count in dashboard.stops.get(form.form_id, []):
            rows.append(["stopped_at", *head, "", form.form_id, stop, label, "", "", count, "", "", "", ""])
    return rows


def _rate(value):
    return "" if value is None else round(value, 4)


AUDIT_HEADER = ("time_utc", "event", "helper_id", "helper_name", "venue_id", "form_id", "submission_reference",
                "detail", "what")


def _identity(text: str) -> str:
    return text


def audit_rows(entries: list[dict], gettext: Gettext = _identity) -> list[list]:
    """The audit CSV: one row per entry, its time in UTC and its event's code; the event in words is the
    last column (added after the others, so a spreadsheet reading columns by position still works)."""
    rows: list[list] = [list(AUDIT_HEADER)]
    for e in entries:
        rows.append([e["at"], e["event"], e["helper_id"], e["helper_name"], e["venue_id"], e["form_id"],
                     e["reference"], e["detail"], event_words(e["event"], e["detail"], gettext)])
    return rows
