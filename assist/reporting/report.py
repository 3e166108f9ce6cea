"""The monthly report for council meetings: the dashboard's figures and charts as a PDF.

Rendered by the printouts' WeasyPrint :class:`~assist.printouts.renderer.Renderer` from
``printouts/report.html``; the charts are the same SVG as on screen, each with its table.
Aggregate counts only: no names, no references, no answers.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable

from .dashboard import Dashboard, minutes_text, percent

Gettext = Callable[[str], str]


def _identity(text: str) -> str:
    return text


def report_context(dashboard: Dashboard, *, council, venue_label: str, generated: dt.datetime,
                   gettext: Gettext = _identity) -> dict:
    """What ``printouts/report.html`` shows; ``generated`` in the zone the report should show it in."""
    f = dashboard.filters
    period = f"{f.since.day} {f.since.strftime('%B %Y')} – {f.until.day} {f.until.strftime('%B %Y')}"
    title = gettext("Residents helped with council forms")
    return {
        "council": council,
        "document_title": f"{title} – {period} – {venue_label}",
        "footer_left": f"{council.name} · {period}",
        "title": title,
        "period": period,
        "venue_label": venue_label,
        "generated": f"{generated.day} {generated.strftime('%B %Y, %H:%M')} {generated.tzname() or ''}".strip(),
        "d": dashboard,
        "percent": percent,
        "minutes_text": minutes_text,
    }


def render_report(printouts, dashboard: Dashboard, *, venue_label: str, generated: dt.datetime,
                  gettext: Gettext = _identity, language: str = "en") -> bytes:
    """The report as PDF bytes (``printouts``: the app's :class:`assist.printouts.Printouts`)."""
    context = report_context(dashboard, council=printouts.council, venue_label=venue_label, generated=generated,
                             gettext=gettext)
    return printouts.renderer.render("report.html", context, language=language, gettext=gettext)


def report_html(printouts, dashboard: Dashboard, *, venue_label: str, generated: dt.datetime,
                gettext: Gettext = _identity, language: str = "en") -> str:
    context = report_context(dashboard, council=printouts.council, venue_label=venue_label, generated=generated,
                             gettext=gettext)
    return printouts.renderer.html("report.html", context, language=language, gettext=gettext)
