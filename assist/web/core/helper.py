"""The signed-in helper on a shared tablet: who they are, the resident session they run, who holds
the tablet, and the decorator that guards helper pages.

The browser session carries only a random helper-session id; everything else (which helper,
which venue, which resident journey, who holds the tablet, last activity) is on the server in
``helper_sessions``. The browser session is cleared and re-made at sign-in, at the start of every
resident session, and at sign-out, so nothing of one resident survives into the next.
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta

from flask import abort, g, redirect, request, session, url_for
from flask_babel import gettext

from ...storage.helpers import PinLimits
from .app import config, store
from .times import council_zone

#: Flask-session keys kept when the session is rotated (a device preference, not personal).
KEEP_ON_ROTATE = ("lang",)
#: Who holds the tablet: the helper, or the resident (handed over for private questions).
HELPER = "helper"
RESIDENT = "resident"
#: The resident gave the tablet back: the helper sees the journey again, but helper pages need the PIN.
RETURNED = "returned"

#: Roles of people who sign in: council admins see everything, venue leads their own venues.
ADMIN = "council_admin"
LEAD = "venue_lead"
STAFF = (ADMIN, LEAD)


_UNKNOWN = object()


def setting(section: str, name: str, default):
    """A setting from ``config.toml`` (``[section] name``), or ``default`` if the config has none."""
    value = getattr(getattr(config(), section, None), name, None)
    return default if value is None else value


def pin_limits() -> PinLimits:
    """How many wrong PINs before a wait, and how long the waits are (``[security]``)."""
    return PinLimits(int(setting("security", "pin_attempts", 5)), int(setting("security", "pin_delay_minutes", 1)),
                     int(setting("security", "pin_delay_max_minutes", 60)))


def idle_minutes() -> int:
    return int(setting("sessions", "assisted_idle_minutes", 15))


def resume_days() -> int:
    return int(setting("sessions", "draft_expiry_days", 30))


def resume_attempts() -> int:
    return int(setting("sessions", "resume_attempts", 5))


# --- the signed-in helper ---------------------------------------------------------------


def helper_session() -> dict | None:
    """This tablet's helper session (with ``helper`` and ``venue`` dicts), or ``None``."""
    request_globals = g._get_current_object()
    known = request_globals.get("assisted", _UNKNOWN)
    if known is not _UNKNOWN:
        return known
    request_globals.assisted = None
    session_id = session.get("helper_session")
    if not session_id:
        return None
    row = store().get_helper_session(session_id)
    if row is None:
        return None
    helper = store().get_helper(row["helper_id"])
    if helper is None or not helper["active"]:
        return None
    row["helper"] = helper
    row["venue"] = store().get_venue(row["venue_id"]) or {"id": row["venue_id"], "name": row["venue_id"]}
    row["private"] = row["holder"] == RESIDENT
    row["needs_pin"] = row["holder"] != HELPER
    request_globals.assisted = row
    return row


def rotate_session(**values) -> None:
    """Clear the browser session (a new id), keeping the language, and set ``values``."""
    kept = {key: session[key] for key in KEEP_ON_ROTATE if key in session}
    session.clear()
    session.update(kept)
    session.update(values)
    g.pop("assisted", None)


def audit_event(event: str, *, journey_id: str | None = None, detail: str | None = None,
                helper_id: str | None = None, venue_id: str | None = None) -> None:
    """Write an audit entry, filling in the signed-in helper and venue. Never pass answer values."""
    current = helper_session()
    if current is not None:
        helper_id = helper_id or current["helper_id"]
        venue_id = venue_id or current["venue_id"]
    store().audit(event, helper_id=helper_id, venue_id=venue_id, journey_id=journey_id, detail=detail)


def end_resident_session(current: dict | None, event: str | None = "clear") -> None:
    """End the resident session on this tablet: an unsaved draft is deleted; a draft saved with a
    resume code stays on the server for its code (and nothing of it stays on the tablet)."""
    journey_id = current and current.get("journey_id")
    if journey_id:
        journey = store().get_journey(journey_id)
        if journey is not None and journey["status"] == "in_progress" and not store().has_live_resume_code(journey_id):
            store().discard_journey(journey_id)
        if event:
            audit_event(event, journey_id=journey_id)
        store().set_session_resident(current["id"], None)
        if current.get("needs_pin"):
            # Handed over since the PIN was last entered: clearing never opens the helper's pages.
            store().set_session_holder(current["id"], RETURNED)


def sign_out(reason: str = "signed_out") -> None:
    """End the helper's session and the resident session on this tablet; clear the browser session."""
    current = helper_session()
    if current is not None:
        end_resident_session(current, event="clear")
        store().end_helper_session(current["id"], reason)
        audit_event("sign_out_idle" if reason == "idle" else "sign_out")
    rotate_session()


def idle_limit() -> timedelta:
    return timedelta(minutes=idle_minutes())


# --- decorators ------------------------------------------------------------------------------


def helper_required(*roles: str, allow_private: bool = False):
    """A helper route: anonymous visitors go to sign in; ``roles`` (if given) limit who may use it.

    Once the tablet has been handed to the resident (private mode, and after it is given back until
    the PIN is entered) a helper page asks for the PIN again, unless ``allow_private``.
    """

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            current = helper_session()
            if current is None:
                return redirect(url_for("assisted.sign_in", next=request.full_path if request.method == "GET" else None))
            if current["needs_pin"] and not allow_private:
                return redirect(url_for("assisted.unlock", next=request.full_path if request.method == "GET" else None))
            if roles and current["helper"]["role"] not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorate


def typist(journey: dict) -> str:
    """Who is typing on this journey now: the helper (when a helper holds the tablet on their
    resident session) or the resident (private mode, kiosk, their own device)."""
    current = helper_session()
    if current is not None and current.get("journey_id") == journey["id"] and not current["private"]:
        return HELPER
    return RESIDENT



def wait_message(until: datetime) -> str:
    """What a helper sees when they must wait after wrong PINs (the same for any name typed)."""
    local = until.astimezone(council_zone())
    return gettext(
        "You have entered the wrong PIN too many times. Try again after %(time)s, "
        "or ask your venue lead to let you sign in now.",
        time=local.strftime("%H:%M"),
    )
