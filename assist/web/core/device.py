"""What kind of device this is: a kiosk at a venue, a tablet set up for helpers, or a resident's own.

Decided by the device's own cookies (a venue id each, not personal) and by whether a helper is
signed in: never by anything the resident chooses.
"""

from __future__ import annotations

from flask import g, request

from .app import config, store
from .helper import helper_session

#: The venue a tablet for helpers is at (set on its first sign-in).
VENUE_COOKIE = "assist_venue"
#: The venue a kiosk is at (set by opening ``/kiosk/<venue>`` once).
KIOSK_COOKIE = "assist_kiosk"
#: Requests a page makes by itself (the kiosk help-request list refreshing): nobody's activity.
PASSIVE_ENDPOINTS = {"kiosk.help_requests_list"}

_UNKNOWN = object()


def kiosk_venue() -> dict | None:
    """The venue this device is a kiosk at (from the device cookie), or ``None``."""
    request_globals = g._get_current_object()
    known = request_globals.get("kiosk_venue", _UNKNOWN)
    if known is not _UNKNOWN:
        return known
    venue = None
    venue_id = request.cookies.get(KIOSK_COOKIE)
    if venue_id:
        try:
            found = store().get_venue(venue_id)
        except Exception:  # noqa: BLE001 - an error page must render even when the database is down
            found = None
        if found is not None and found["active"]:
            venue = found
    request_globals.kiosk_venue = venue
    return venue


def device_mode() -> str:
    """``assisted`` (a helper is signed in), ``kiosk`` (the device cookie), else ``online``."""
    if helper_session() is not None:
        return "assisted"
    if kiosk_venue() is not None:
        return "kiosk"
    return "online"


def shared_device() -> bool:
    """Kiosks and tablets set up for assisted mode: decided by the device's configuration, never by
    the resident. On these, browser autofill is switched off."""
    try:
        return kiosk_venue() is not None or bool(request.cookies.get(VENUE_COOKIE)) or helper_session() is not None
    except Exception:  # noqa: BLE001 - when in doubt, treat the device as shared (autofill off)
        return True


def idle_seconds(mode: str) -> float:
    """How long a visit in ``mode`` (kiosk, assisted, online) may sit unused before it is cleared."""
    sessions = config().sessions
    if mode == "kiosk":
        return float(sessions.kiosk_idle_minutes) * 60
    if mode == "assisted":
        return float(sessions.assisted_idle_minutes) * 60
    return float(sessions.online_idle_minutes) * 60


def warning_seconds(mode: str) -> float:
    """How long the timeout warning shows before a visit in ``mode`` is cleared (none online)."""
    sessions = config().sessions
    if mode == "kiosk":
        return float(sessions.kiosk_warning_seconds)
    if mode == "assisted":
        return float(sessions.assisted_warning_seconds)
    return 0.0
