"""The kiosk's own pages: the start screen, the display choices, and "Ask for help" with the
helpers' list of requests at their venue."""

from __future__ import annotations

import hashlib

from flask import abort, g, jsonify, make_response, redirect, render_template, request, session, url_for

from ..core.app import forms, store
from ..core.device import KIOSK_COOKIE, kiosk_venue
from ..core.helper import helper_required, helper_session
from ..core.language import current_language, language_choices, language_name
from ..core.redirects import safe_next
from ..core.times import local_time
from . import bp
from .visit import TEXT_SIZES, display, help_status, start_url, sweep


@bp.get("/kiosk/<venue_id>")
def start(venue_id):
    """Choose your language, text size and colours, then a form. Opening it makes this device a kiosk."""
    venue = store().get_venue(venue_id)
    if venue is None or not venue["active"]:
        abort(404)
    g.kiosk_venue = venue  # this device is a kiosk from this response on
    sweep()
    notice = session.pop("kiosk_notice", None)
    response = make_response(render_template(
        "kiosk/start.html", venue=venue, forms=list(forms().values()), languages=language_choices(),
        display=display(), text_sizes=TEXT_SIZES, notice=notice,
    ))
    if request.cookies.get(KIOSK_COOKIE) != venue["id"]:
        response.set_cookie(KIOSK_COOKIE, venue["id"], max_age=365 * 24 * 3600, httponly=True, samesite="Lax",
                            secure=request.is_secure)
    return response


@bp.post("/kiosk/<venue_id>/display")
def set_display(venue_id):
    """Text size and high contrast for this visit only (the timeout and "Finish and clear" reset them)."""
    chosen = display()
    if request.form.get("text") in TEXT_SIZES:
        chosen["text"] = request.form["text"]
    if request.form.get("contrast") in ("on", "off"):
        chosen["contrast"] = request.form["contrast"] == "on"
    session["kiosk_display"] = chosen
    return redirect(url_for("kiosk.start", venue_id=venue_id) + "#display")


# --- ask for help --------------------------------------------------------------------------------------


@bp.post("/kiosk/help")
def ask_for_help():
    """Raise a help request at this kiosk's venue (once per visit while it is open)."""
    venue = kiosk_venue()
    if venue is None:
        abort(404)
    if help_status() is None:
        form_id = request.form.get("form_id")
        form_id = form_id if form_id in forms() else None
        session["help_request"] = store().request_help(venue["id"], form_id, current_language())
    return redirect(safe_next(request.form.get("next"), start_url(venue)), code=303)


@bp.get("/helpers/kiosk-requests")
@helper_required()
def help_requests():
    """Residents at kiosks in this venue who asked for help; refreshes itself."""
    return render_template("kiosk/requests.html", **_requests_context())


@bp.get("/helpers/kiosk-requests/list")
@helper_required()
def help_requests_list():
    """Just the list, for the page to refresh (not counted as the helper's activity)."""
    context = _requests_context()
    return jsonify(html=render_template("kiosk/_requests_list.html", **context), signature=context["signature"],
                   count=len(context["requests"]))


@bp.post("/helpers/kiosk-requests/<int:request_id>/acknowledge")
@helper_required()
def acknowledge(request_id):
    """"I'm on my way": the kiosk shows that a helper has seen the request."""
    current = helper_session()
    row = store().get_help_request(request_id)
    if row is None or row["venue_id"] != current["venue_id"]:
        abort(404)
    store().acknowledge_help(request_id, current["helper_id"])
    return redirect(url_for("kiosk.help_requests"), code=303)


def _requests_context() -> dict:
    current = helper_session()
    rows = []
    for row in store().help_requests(current["venue_id"]):
        form = forms().get(row["form_id"] or "")
        rows.append({
            "id": row["id"],
            "time": local_time(row["created_at"]),
            "form": form.title if form else None,
            "language": language_name(row["language"]) if row["language"] else None,
            "language_code": row["language"],
        })
    signature = hashlib.sha256(repr([(r["id"], r["form"], r["language"]) for r in rows]).encode()).hexdigest()[:16]
    return {"requests": rows, "signature": signature, "venue": current["venue"]}
