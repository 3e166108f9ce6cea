"""Assisted mode's state on a shared tablet: the signed-in helper, the resident session they run,
who holds the tablet, and the guard rails around the resident's journey.

The Flask session carries only a random helper-session id; everything else (which helper,
which venue, which resident journey, who holds the tablet, last activity) is on the server in
``helper_sessions``. The Flask session is cleared and re-made at sign-in, at the start of every
resident session, and at sign-out, so nothing of one resident survives into the next.
"""

from __future__ import annotations

import functools
import re
from datetime import datetime, timedelta, timezone
from urllib.parse import unquote, urlsplit

from flask import current_app, g, redirect, request, session, url_for
from flask_babel import gettext

from ..storage.helpers import PinLimits
from .resident import read_journey

#: Flask-session keys kept when the session is rotated (a device preference, not personal).
KEEP_ON_ROTATE = ("lang",)
#: Endpoints that work without a helper while a helper is signed in (the resident's journey, assets).
HELPER = "helper"
RESIDENT = "resident"
#: The resident gave the tablet back: the helper sees the journey again, but helper pages need the PIN.
RETURNED = "returned"


_UNKNOWN = object()


def _store():
    return current_app.extensions["assist.store"]


def _config():
    return current_app.extensions["assist.config"]


def setting(section: str, name: str, default):
    """A setting from ``config.toml`` (``[section] name``), or ``default`` if the config has none."""
    value = getattr(getattr(_config(), section, None), name, None)
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


def now() -> datetime:
    """The time, from the store's clock (tests inject their own)."""
    return _store().now()


def _parse(moment: str) -> datetime:
    return datetime.fromisoformat(moment.replace("Z", "+00:00"))


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
    row = _store().get_helper_session(session_id)
    if row is None:
        return None
    helper = _store().get_helper(row["helper_id"])
    if helper is None or not helper["active"]:
        return None
    row["helper"] = helper
    row["venue"] = _store().get_venue(row["venue_id"]) or {"id": row["venue_id"], "name": row["venue_id"]}
    row["private"] = row["holder"] == RESIDENT
    row["needs_pin"] = row["holder"] != HELPER
    request_globals.assisted = row
    return row


def rotate_session(**values) -> None:
    """Clear the Flask session (a new cookie), keeping the language, and set ``values``."""
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
    _store().audit(event, helper_id=helper_id, venue_id=venue_id, journey_id=journey_id, detail=detail)


def end_resident_session(current: dict | None, event: str | None = "clear") -> None:
    """End the resident session on this tablet: an unsaved draft is deleted; a draft saved with a
    resume code stays on the server for its code (and nothing of it stays on the tablet)."""
    journey_id = current and current.get("journey_id")
    if journey_id:
        journey = _store().get_journey(journey_id)
        if journey is not None and journey["status"] == "in_progress" and not _store().has_live_resume_code(journey_id):
            _store().discard_journey(journey_id)
        if event:
            audit_event(event, journey_id=journey_id)
        _store().set_session_resident(current["id"], None)
        if current.get("needs_pin"):
            # Handed over since the PIN was last entered: clearing never opens the helper's pages.
            _store().set_session_holder(current["id"], RETURNED)


def sign_out(reason: str = "signed_out") -> None:
    """End the helper's session and the resident session on this tablet; clear the Flask session."""
    current = helper_session()
    if current is not None:
        end_resident_session(current, event="clear")
        _store().end_helper_session(current["id"], reason)
        audit_event("sign_out_idle" if reason == "idle" else "sign_out")
    rotate_session()


def idle_limit() -> timedelta:
    return timedelta(minutes=idle_minutes())


#: What browsers read as a slash or leave out of an address: a backslash, tabs, line breaks and the
#: other control characters.
_UNSAFE_IN_TARGET = re.compile(r"[\\\x00-\x1f\x7f]")
#: Rounds of percent-decoding a target is checked through (``%255c`` is ``%5c`` is a backslash).
_DECODINGS = 3


def safe_next(target: str | None, default: str) -> str:
    """``target`` if it is a path on this site, else ``default`` (no open redirects).

    A path on this site starts with one ``/`` and has no scheme or host, also after percent-decoding
    it: so ``/\\evil.example``, ``/%5cevil.example``, ``/%2fevil.example`` and a tab or line break
    anywhere (raw or encoded) are refused, as browsers and proxies may read them as ``//``.
    """
    if not target or not target.startswith("/"):
        return default
    text = target
    for _ in range(_DECODINGS + 1):
        parts = urlsplit(text)
        if parts.scheme or parts.netloc or text.startswith("//") or _UNSAFE_IN_TARGET.search(text):
            return default
        decoded = unquote(text)
        if decoded == text:
            return target
        text = decoded
    return default


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
                from flask import abort

                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorate


# --- hooks on every request --------------------------------------------------------------------

JOURNEY_ENDPOINTS = {
    "journey.page",
    "journey.repeat_item",
    "journey.repeat_remove",
    "journey.check_answers",
    "journey.submit",
    "journey.cannot_continue",
}


#: What responds while the resident holds the tablet, besides the current journey's own pages: giving
#: it back, the PIN, the idle timer, "Exit this page", and the copy of what the resident has just sent.
PRIVATE_ENDPOINTS = {"assisted.give_back", "assisted.unlock", "kiosk.keep_alive", "kiosk.time_out",
                     "kiosk.leave", "printing.resident_copy"}
#: The journey's own pages, on the current journey's form.
PRIVATE_JOURNEY_ENDPOINTS = JOURNEY_ENDPOINTS | {"journey.start", "journey.confirmation"}

#: Requests a page makes by itself (the kiosk help-request list refreshing): not the helper's activity.
PASSIVE_ENDPOINTS = {"kiosk.help_requests_list"}


def before_request():
    """Idle sign-out, activity, and the guard rails around assisted journeys."""
    this_request = request._get_current_object()
    endpoint = this_request.endpoint
    if endpoint in (None, "static"):
        return None
    current = helper_session()
    if current is None and session.get("helper_session"):
        # The helper session ended elsewhere (deactivated, signed out on the server): clear the tablet.
        rotate_session()
        return redirect(url_for("assisted.sign_in", ended=1))
    if current is not None:
        if now() - _parse(current["last_activity_at"]) > idle_limit():
            sign_out("idle")
            return redirect(url_for("assisted.sign_in", idle=1))
        if endpoint not in PASSIVE_ENDPOINTS:
            _store().touch_helper_session(current["id"])
    form_id = (this_request.view_args or {}).get("form_id")
    if current is not None and current["private"] and not _open_in_private(current, endpoint, form_id):
        # Handed over: the resident can use their own journey and give the tablet back, nothing else.
        return redirect(url_for("assisted.unlock"))
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


def typist(journey: dict) -> str:
    """Who is typing on this journey now: the helper (when a helper holds the tablet on their
    resident session) or the resident (private mode, kiosk, their own device)."""
    current = helper_session()
    if current is not None and current.get("journey_id") == journey["id"] and not current["private"]:
        return HELPER
    return RESIDENT


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
            "idle_minutes": idle_minutes(),
        }
    }


def wait_message(until: datetime) -> str:
    """What a helper sees when they must wait after wrong PINs (the same for any name typed)."""
    local = until.astimezone(_london())
    return gettext(
        "You have entered the wrong PIN too many times. Try again after %(time)s, "
        "or ask your venue lead to let you sign in now.",
        time=local.strftime("%H:%M"),
    )


def _london():
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Europe/London")
    except Exception:  # noqa: BLE001 - no time zone database: show UTC
        return timezone.utc


def local_time(moment: str | datetime | None) -> str:
    """A stored time as UK local ``HH:MM``."""
    if not moment:
        return ""
    if isinstance(moment, str):
        moment = _parse(moment)
    return moment.astimezone(_london()).strftime("%H:%M")


def start_of_today() -> datetime:
    """Midnight today in UK time, as an aware datetime."""
    local = now().astimezone(_london())
    return local.replace(hour=0, minute=0, second=0, microsecond=0)
