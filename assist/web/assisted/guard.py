"""Assisted mode's guard rails, run before every request on a tablet where a helper is signed in:
idle sign-out, the helper's activity, private mode while the resident holds the tablet, and the
resident session's journey (consent first; no other browser's journey). Also what the header bar
and question pages show of the helper, and the audit of printing on a helper's tablet."""

from __future__ import annotations

from flask import redirect, request, session, url_for

from ...storage import StorageUnwritable
from ..core import helper
from ..core.app import store
from ..core.device import PASSIVE_ENDPOINTS
from ..core.helper import audit_event, helper_session
from ..core.resident import read_journey
from ..core.times import now, parse_moment

JOURNEY_ENDPOINTS = {
    "journey.page",
    "journey.repeat_item",
    "journey.repeat_remove",
    "journey.check_answers",
    "journey.submit",
    "journey.cannot_continue",
    "journey.evidence_image",
}


#: What responds while the resident holds the tablet, besides the current journey's own pages: giving
#: it back, the PIN, the idle timer, "Exit this page", and the copy of what the resident has just sent.
PRIVATE_ENDPOINTS = {"assisted.give_back", "assisted.unlock", "kiosk.keep_alive", "kiosk.time_out",
                     "kiosk.leave", "printing.resident_copy", "printing.copy_page"}
#: The journey's own pages, on the current journey's form.
PRIVATE_JOURNEY_ENDPOINTS = JOURNEY_ENDPOINTS | {"journey.start", "journey.confirmation"}

def before_request():
    """Idle sign-out, activity, and the guard rails around assisted journeys."""
    this_request = request._get_current_object()
    endpoint = this_request.endpoint
    if endpoint in (None, "static"):
        return None
    current = helper_session()
    if current is None and session.get("helper_session"):
        # The helper session ended elsewhere (deactivated, signed out on the server): clear the tablet.
        helper.rotate_session()
        return redirect(url_for("assisted.sign_in", ended=1))
    if current is not None:
        if now() - parse_moment(current["last_activity_at"]) > helper.idle_limit():
            helper.sign_out("idle")
            return redirect(url_for("assisted.sign_in", idle=1))
        if endpoint not in PASSIVE_ENDPOINTS:
            try:
                store().touch_helper_session(current["id"])
            except StorageUnwritable:  # a note of activity only: the page still says whether it saved
                pass
    form_id = (this_request.view_args or {}).get("form_id")
    if current is not None and current["private"] and not _open_in_private(current, endpoint, form_id):
        # Handed over: the resident can use their own journey and give the tablet back, nothing else.
        return redirect(url_for("assisted.unlock"))
    if endpoint == "journey.start" and current is not None and not current["needs_pin"] and form_id:
        # Back from the first question: the helper's own step, never the public start page and its button.
        journey = read_journey(current["journey_id"], hand_on=True) if current.get("journey_id") else None
        if journey is not None and journey["form_id"] == form_id and journey["status"] == "in_progress":
            return redirect(url_for("assisted.help_resident", form=form_id))
    if endpoint == "journey.begin" and current is not None:
        # A helper starts a resident session through "Help a resident", never a plain journey.
        return redirect(url_for("assisted.help_resident", form=form_id), code=303)
    if endpoint in JOURNEY_ENDPOINTS and form_id:
        return _guard_assisted_journey(current, form_id)
    return None


def _open_in_private(current: dict, endpoint: str, form_id: str | None) -> bool:
    """Whether ``endpoint`` responds while the resident holds the tablet."""
    if endpoint in PRIVATE_ENDPOINTS:
        return True
    if endpoint not in PRIVATE_JOURNEY_ENDPOINTS or not form_id:
        return False
    journey = read_journey(current["journey_id"], hand_on=True) if current.get("journey_id") else None
    return journey is not None and journey["form_id"] == form_id


def _guard_assisted_journey(current, form_id: str):
    journey_id = (session.get("journeys") or {}).get(form_id)
    if not journey_id:
        return None
    journey = read_journey(journey_id, hand_on=True)  # the view reads it next
    if journey is None or journey["mode"] != "assisted" or journey["status"] != "in_progress":
        return None
    if current is None or current.get("journey_id") != journey_id:
        # Not this tablet's resident session any more: forget it, show nothing.
        ids = dict(session.get("journeys") or {})
        ids.pop(form_id, None)
        session["journeys"] = ids
        return redirect(url_for("journey.start", form_id=form_id))
    if not journey.get("consent_at"):
        return redirect(url_for("assisted.consent"))
    return None



def after_request(response):
    """Audit printing done on a helper's tablet."""
    if request.endpoint in ("printing.resident_copy", "printing.carry_on_slip") and response.status_code == 200:
        current = helper_session()
        if current is not None:
            kind = "copy" if request.endpoint == "printing.resident_copy" else "carry_on_slip"
            audit_event("print", journey_id=current.get("journey_id"), detail=kind)
    return response


def template_globals() -> dict:
    """``assisted``: the signed-in helper's view of the tablet, for the header bar and question pages."""
    try:
        current = helper_session() if request else None
    except Exception:  # noqa: BLE001 - an error page must render even when the database is down
        current = None
    if current is None:
        return {"assisted": None}
    return {
        "assisted": {
            "helper": current["helper"],
            "venue": current["venue"],
            "private": current["private"],
            "journey_id": current.get("journey_id"),
            "has_resident": bool(current.get("journey_id")),
            "idle_minutes": helper.idle_minutes(),
        }
    }
