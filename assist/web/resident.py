"""The resident's session: which journey (draft) this browser is working on.

The session cookie carries only random journey ids; answers stay in the database.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from flask import current_app, session

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
    return timedelta(minutes=current_app.extensions["assist.config"].sessions.online_idle_minutes)


def _timed_out(journey: dict) -> bool:
    last = datetime.fromisoformat(journey["last_activity_at"].replace("Z", "+00:00"))
    return datetime.now(timezone.utc) - last > idle_limit()


def current_journey(form) -> dict | None:
    """This browser's journey on ``form``: in progress, or just submitted; else ``None``.

    A draft left idle past the limit is deleted on the server, and ``session['timed_out']``
    is set so the page can say so.
    """
    journey_id = _journey_ids().get(form.id)
    if not journey_id:
        return None
    journey = _store().get_journey(journey_id)
    if journey is None or journey["status"] not in (ACTIVE, "submitted"):
        _set_journey_id(form.id, None)
        return None
    if journey["status"] == ACTIVE and _timed_out(journey):
        _store().discard_journey(journey_id)
        _set_journey_id(form.id, None)
        session["timed_out"] = True
        return None
    return journey


def start_journey(form, language: str) -> dict:
    """Begin a new journey on ``form`` for this browser."""
    journey_id = _store().start_journey(form.id, form.version, language, mode="online")
    _set_journey_id(form.id, journey_id)
    session.pop("timed_out", None)
    return _store().get_journey(journey_id)


def finish_journey(form_id: str) -> None:
    """Forget the journey on ``form_id`` (after submitting, exiting or clearing)."""
    _set_journey_id(form_id, None)


def record_language(code: str) -> None:
    """Note a language change on every journey in progress in this browser."""
    for journey_id in _journey_ids().values():
        _store().set_language(journey_id, code)
