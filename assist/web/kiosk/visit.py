"""A visit on a kiosk or another shared device: its display choices, its idle limit (enforced on
the server for every request), its help request, clearing it, and what the base template shows.
"""

from __future__ import annotations

from datetime import timedelta

from flask import jsonify, redirect, request, session, url_for

from ..core import helper, resident
from ..core.app import store
from ..core.device import PASSIVE_ENDPOINTS, device_mode, idle_seconds, kiosk_venue, shared_device, warning_seconds
from ..core.helper import helper_session
from ..core.times import now, parse_moment

#: Text sizes a resident can choose at a kiosk (the html element's font size, see _kiosk.scss).
TEXT_SIZES = ("standard", "large", "largest")


def display() -> dict:
    """The visit's display choices: text size and high contrast (this visit only)."""
    chosen = session.get("kiosk_display") or {}
    text = chosen.get("text") if chosen.get("text") in TEXT_SIZES else "standard"
    return {"text": text, "contrast": bool(chosen.get("contrast"))}


def _visit_has_state() -> bool:
    return any(key in session for key in ("journeys", "confirmation", "lang", "kiosk_display", "help_request",
                                          "kiosk_active", "resident_who"))


def clear_visit() -> None:
    """Delete every unsaved draft of this browser's visit on the server, call off its help request,
    and clear the browser session (the kiosk device cookie stays)."""
    resident.discard_all()
    request_id = session.get("help_request")
    if request_id:
        store().cancel_help(request_id)
    session.clear()


def start_url(venue: dict | None = None) -> str:
    """The kiosk's start screen (this device's venue unless ``venue``), else the home page."""
    venue = venue or kiosk_venue()
    return url_for("kiosk.start", venue_id=venue["id"]) if venue else url_for("home.index")


def before_request():
    """On a kiosk: the start screen instead of the home page (which links to helpers), and the idle
    limit enforced on the server for every request, JavaScript or not."""
    endpoint = request.endpoint
    if endpoint in (None, "static"):
        return None
    venue = kiosk_venue()
    if venue is None or helper_session() is not None:
        return None
    if endpoint == "home.index":
        return redirect(start_url(venue))
    moment = now()
    last = session.get("kiosk_at")
    if last and _visit_has_state() and moment - parse_moment(last) > timedelta(seconds=idle_seconds("kiosk")):
        clear_visit()
        session["kiosk_notice"] = "timed_out"
        session["kiosk_at"] = moment.isoformat()
        if endpoint in ("kiosk.keep_alive", "kiosk.time_out"):
            return jsonify(expired=True, next=start_url(venue))
        if endpoint != "kiosk.start" or request.method != "GET":
            return redirect(start_url(venue))
        return None
    if endpoint not in PASSIVE_ENDPOINTS:
        session["kiosk_at"] = moment.isoformat()
    if endpoint != "kiosk.start":
        session["kiosk_active"] = True
    return None


def sweep() -> None:
    """Clear kiosk drafts at this venue left idle past the limit (nobody came back to the kiosk)."""
    venue = kiosk_venue()
    if venue is not None:
        store().expire_idle_journeys("kiosk", timedelta(seconds=idle_seconds("kiosk")), venue["id"])


def help_status() -> str | None:
    """This visit's help request: ``open``, ``acknowledged``, or ``None``."""
    request_id = session.get("help_request")
    if not request_id:
        return None
    row = store().get_help_request(request_id)
    if row is None or row["status"] not in ("open", "acknowledged"):
        return None
    return row["status"]


def open_help_count() -> int:
    """How many help requests are open at the signed-in helper's venue."""
    current = helper_session()
    return len(store().help_requests(current["venue_id"])) if current else 0


def finish_and_clear() -> str:
    """Finish and clear this device: every unsaved draft deleted on the server, the helper's resident
    session ended, the browser session replaced. Returns where to go next."""
    current = helper_session()
    if current is not None:
        resident.discard_all()
        helper.end_resident_session(current, event="clear")
        helper.rotate_session(helper_session=current["id"], cleared=True)
        return url_for("assisted.index")
    venue = kiosk_venue()
    clear_visit()
    if venue is not None:
        session["kiosk_notice"] = "cleared"
        return start_url(venue)
    return url_for("kiosk.cleared")


def template_globals() -> dict:
    """``device``: what the base template needs to show kiosk and shared-device parts."""
    try:
        mode = device_mode() if request else "online"
    except Exception:  # noqa: BLE001 - an error page must render even when the database is down
        return {"device": {"mode": "online", "kiosk": None, "html_classes": "", "timeout": None, "help": None,
                           "finish": False, "help_waiting": 0, "start_url": url_for("home.index")}}
    venue = kiosk_venue() if mode == "kiosk" else None
    chosen = display() if venue else {"text": "standard", "contrast": False}
    classes = []
    if venue:
        classes.append("assist-kiosk")
        if chosen["text"] != "standard":
            classes.append(f"assist-text-{chosen['text']}")
        if chosen["contrast"]:
            classes.append("assist-contrast")
    timeout = None
    if mode == "kiosk" and (_visit_has_state() or request.endpoint != "kiosk.start"):
        timeout = {"idle": idle_seconds("kiosk"), "warning": warning_seconds("kiosk")}
    elif mode == "assisted":
        timeout = {"idle": idle_seconds("assisted"), "warning": warning_seconds("assisted")}
    resident_pages = bool(session.get("journeys") or session.get("confirmation"))
    return {"device": {
        "mode": mode,
        "kiosk": venue,
        "display": chosen,
        "html_classes": " ".join(classes),
        "timeout": timeout,
        "help": help_status() if venue else None,
        # Residents get "Finish and clear this device" on every page of their session on a shared
        # device (never on their own phone); a helper has "Finish and clear this tablet" in the helper bar.
        "finish": mode != "assisted" and (venue is not None or (resident_pages and shared_device())),
        "help_waiting": open_help_count() if mode == "assisted" else 0,
        "start_url": start_url(venue) if venue else url_for("home.index"),
    }}
