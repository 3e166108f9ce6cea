"""The tablet's venue, and the resident session a helper runs on it."""

from __future__ import annotations

from flask import redirect, request, url_for

from ...engine import Journey
from ..core.app import forms, store
from ..core.device import VENUE_COOKIE
from ..core.helper import helper_session


def venues() -> list[dict]:
    """The active venues where helpers work with tablets."""
    return [v for v in store().list_venues() if v["mode"] in ("assisted", "both")]


def tablet_venue() -> dict | None:
    """The venue this tablet is at: its venue cookie, or the only venue there is."""
    venue_id = request.cookies.get(VENUE_COOKIE)
    venue = store().get_venue(venue_id) if venue_id else None
    if venue is not None and venue["active"]:
        return venue
    choices = venues()
    return choices[0] if len(choices) == 1 else None


def resident_journey(current) -> dict | None:
    """The journey of the resident session on this tablet, or ``None``."""
    journey_id = current.get("journey_id") if current else None
    return store().get_journey(journey_id) if journey_id else None


def require_resident():
    """The resident journey being set up (before consent), or a redirect to the helper's home."""
    current = helper_session()
    journey = resident_journey(current)
    if journey is None or journey["status"] != "in_progress" or journey["mode"] != "assisted":
        return None, None, redirect(url_for("assisted.index"))
    return current, journey, None


def first_page_url(form, journey) -> str:
    """The first page still to answer on ``journey`` (check answers when none is)."""
    route = Journey(form, journey["answers"])
    target = route.first_incomplete()
    if target is None:
        return url_for("journey.check_answers", form_id=form.id)
    return url_for("journey.page", form_id=form.id, page_id=target.id)


def journey_page_url(journey: dict | None) -> str:
    """Where the resident session is: the page last shown, the next one to answer, or its confirmation."""
    form = forms().get(journey["form_id"]) if journey else None
    if form is None:
        return url_for("assisted.index")
    if journey["status"] == "submitted":
        return url_for("journey.confirmation", form_id=form.id)
    if journey["status"] != "in_progress":
        return url_for("assisted.index")
    last = journey.get("last_page")
    if last and last in {page.id for page in form.pages} and journey.get("consent_at"):
        return url_for("journey.page", form_id=form.id, page_id=last)
    return first_page_url(form, journey)
