"""The resident's session: which journey (draft) this browser is working on.

The session (kept on the server, :mod:`.session`) holds only random journey ids;
answers stay in the database.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache

from flask import current_app, g, session

from ...moments import parse_moment
from ...storage import StorageUnwritable
from . import session as browser_session
from .device import device_mode, kiosk_venue
from .helper import audit_event, typist

ACTIVE = "in_progress"


def _store():
    return current_app.extensions["assist.store"]


def _journey_ids() -> dict:
    return session.get("journeys", {})


def _set_journey_id(form_id: str, journey_id: str | None) -> None:
    ids = dict(_journey_ids())
    if journey_id is None:
        ids.pop(form_id, None)
    else:
        ids[form_id] = journey_id
    session["journeys"] = ids


def idle_limit() -> timedelta:
    """How long a draft may sit untouched before it is deleted."""
    return _minutes(current_app.extensions["assist.config"].sessions.online_idle_minutes)


@lru_cache(maxsize=32)
def _minutes(minutes: float) -> timedelta:
    return timedelta(minutes=minutes)


def journey_idle_limit(journey: dict) -> timedelta:
    """The idle limit of ``journey``: short on a kiosk (``sessions.kiosk_idle_minutes``), else
    :func:`idle_limit` (a helper's tablet is also governed by the helper's own idle sign-out)."""
    if journey.get("mode") == "kiosk":
        return _minutes(current_app.extensions["assist.config"].sessions.kiosk_idle_minutes)
    return idle_limit()


def _now() -> datetime:
    """The store's clock (tests inject their own)."""
    return _store().now()


def _timed_out(journey: dict) -> bool:
    last = parse_moment(journey["last_activity_at"])
    return _now() - last > journey_idle_limit(journey)


def read_journey(journey_id: str, hand_on: bool = False) -> dict | None:
    """The stored journey ``journey_id`` (see :meth:`Store.get_journey`), read once per request.

    A hook that reads it before the view passes ``hand_on=True``: the next read of the same
    journey in this request, the view's, takes that copy instead of reading (and decrypting) again.
    """
    request_globals = g._get_current_object()
    held = request_globals.pop("_journey_handed_on", None)
    journey = held[1] if held is not None and held[0] == journey_id else _store().get_journey(journey_id)
    if hand_on:
        request_globals._journey_handed_on = (journey_id, journey)
    return journey


def current_journey(form) -> dict | None:
    """This browser's journey on ``form``: in progress, or just submitted; else ``None``.

    A draft left idle past the limit is deleted on the server, and ``session['timed_out']``
    is set so the page can say so.
    """
    journey_id = _journey_ids().get(form.id)
    if not journey_id:
        return None
    journey = read_journey(journey_id)
    if journey is None or journey["status"] not in (ACTIVE, "submitted"):
        _set_journey_id(form.id, None)
        return None
    if journey["status"] == ACTIVE and _timed_out(journey):
        if not _store().has_live_resume_code(journey_id):
            _store().discard_journey(journey_id)
        # else: saved with a resume code, it stays on the server for its code, but leaves this browser.
        _set_journey_id(form.id, None)
        session["timed_out"] = True
        return None
    return journey


def start_journey(form, language: str) -> dict:
    """Begin a new journey on ``form`` for this browser."""
    # On a kiosk the journey is a kiosk journey at its venue (shorter idle limit; statistics by mode).
    venue = kiosk_venue() if device_mode() == "kiosk" else None
    if not _journey_ids():
        # A new resident session: a new session id and a new CSRF token.
        session.pop("csrf_token", None)
        browser_session.rotate()
    journey_id = _store().start_journey(form.id, form.version, language, mode="kiosk" if venue else "online",
                                        venue_id=venue["id"] if venue else None)
    _set_journey_id(form.id, journey_id)
    session.pop("timed_out", None)
    return _store().get_journey(journey_id)


def finish_journey(form_id: str) -> None:
    """Forget the journey on ``form_id`` (after submitting, exiting or clearing)."""
    _set_journey_id(form_id, None)


def discard_all() -> None:
    """Delete every unsaved draft of this browser on the server ("Finish and clear", timeout); a draft
    saved with a resume code stays on the server for its code. This browser forgets them all."""
    for journey_id in _journey_ids().values():
        journey = _store().get_journey(journey_id)
        if journey is not None and journey["status"] == ACTIVE and not _store().has_live_resume_code(journey_id):
            _store().discard_journey(journey_id)
    session.pop("journeys", None)
    session.pop("confirmation", None)


def unsent_drafts() -> list[dict]:
    """This browser's drafts that hold answers not yet sent and not saved with a code: what clearing
    the device now would delete."""
    drafts = []
    for journey_id in _journey_ids().values():
        journey = _store().get_journey(journey_id)
        if (journey is not None and journey["status"] == ACTIVE and journey["answers"]
                and not _store().has_live_resume_code(journey_id)):
            drafts.append(journey)
    return drafts


def touch_all() -> None:
    """The resident is still here (e.g. "Continue" in the timeout warning): keep their drafts alive."""
    for journey_id in _journey_ids().values():
        _store().touch(journey_id)


def record_language(code: str) -> None:
    """Note a language change on every journey in progress in this browser."""
    for journey_id in _journey_ids().values():
        _store().set_language(journey_id, code)


def typed_by(journey: dict, questions) -> dict:
    """Who is typing the answers to ``questions`` (the helper or the resident), for ``save_answers``."""
    who = typist(journey)
    return {q.id: who for q in questions if q.type != "content"}


def submitted(journey: dict, reference: str) -> None:
    """Hook after a journey is submitted: audited when a helper ran it (never the answers)."""
    if journey.get("mode") == "assisted":
        audit_event("submit", journey_id=journey["id"], detail=journey["form_id"])


#: Seen-page notes closer together than this are skipped: each one is a durable write.
NOTE_INTERVAL = timedelta(seconds=30)


def note_page(journey: dict, page_id: str) -> None:
    """Record the page the resident is on, and that they are still active."""
    last = parse_moment(journey["last_activity_at"])
    interval = min(NOTE_INTERVAL, journey_idle_limit(journey) / 4)
    if journey["last_page"] == page_id and _now() - last < interval:
        return
    try:
        _store().view_page(journey["id"], page_id)
    except StorageUnwritable:  # only a note of where they are: the page still shows (the log says why)
        pass
