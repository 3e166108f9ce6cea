"""Kiosk mode and shared-device privacy.

A kiosk is a browser at a venue that was opened once at ``/kiosk/<venue>``: that sets a device
cookie (``assist_kiosk``, the venue id; not personal) so the device stays a kiosk whoever uses
it. Residents then see:

* a start screen with a large button per language (each named in its own script), text size and
  high-contrast options kept in the Flask session of that visit only, and the list of forms;
* "Ask for help" and "Finish and clear this device" on every page;
* a timeout warning before the visit is wiped (drafts deleted on the server) and the screen goes
  back to the start. The server enforces the limit on every request, with or without JavaScript.

Helpers signed in at the venue see the open help requests (a list that refreshes) and
acknowledge them. Shared devices (kiosks, and tablets set up for assisted mode) switch browser
autofill off; a resident's own device keeps GOV.UK's ``autocomplete`` tokens.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from flask import (Blueprint, abort, current_app, g, jsonify, make_response, redirect, render_template, request,
                   session, url_for)

from . import assisted_session as state
from . import resident
from .assisted import VENUE_COOKIE

bp = Blueprint("kiosk", __name__)

KIOSK_COOKIE = "assist_kiosk"
#: Text sizes a resident can choose at a kiosk (the html element's font size, see _kiosk.scss).
TEXT_SIZES = ("standard", "large", "largest")
#: Endpoints that are not anyone's activity (a helper's list refreshing itself).
PASSIVE_ENDPOINTS = state.PASSIVE_ENDPOINTS
#: Where "Exit this page" goes on a resident's own device (GOV.UK's suggestion: a neutral page).
NEUTRAL_EXIT_URL = "https://www.bbc.co.uk/weather"


def _store():
    return current_app.extensions["assist.store"]


def _config():
    return current_app.extensions["assist.config"]


def _now() -> datetime:
    return _store().now()


def _parse(moment: str) -> datetime:
    return datetime.fromisoformat(moment.replace("Z", "+00:00"))


# --- what kind of device this is ------------------------------------------------------------------


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
            found = _store().get_venue(venue_id)
        except Exception:  # noqa: BLE001 - an error page must render even when the database is down
            found = None
        if found is not None and found["active"]:
            venue = found
    request_globals.kiosk_venue = venue
    return venue


def device_mode() -> str:
    """``assisted`` (a helper is signed in), ``kiosk`` (the device cookie), else ``online``."""
    if state.helper_session() is not None:
        return "assisted"
    if kiosk_venue() is not None:
        return "kiosk"
    return "online"


def shared_device() -> bool:
    """Kiosks and tablets set up for assisted mode: decided by the device's configuration, never by
    the resident. On these, browser autofill is switched off."""
    try:
        return (kiosk_venue() is not None or bool(request.cookies.get(VENUE_COOKIE))
                or state.helper_session() is not None)
    except Exception:  # noqa: BLE001 - when in doubt, treat the device as shared (autofill off)
        return True


def idle_seconds(mode: str) -> float:
    sessions = _config().sessions
    if mode == "kiosk":
        return float(sessions.kiosk_idle_minutes) * 60
    if mode == "assisted":
        return float(sessions.assisted_idle_minutes) * 60
    return float(sessions.online_idle_minutes) * 60


def warning_seconds(mode: str) -> float:
    sessions = _config().sessions
    if mode == "kiosk":
        return float(sessions.kiosk_warning_seconds)
    if mode == "assisted":
        return float(sessions.assisted_warning_seconds)
    return 0.0


def display() -> dict:
    """The visit's display choices: text size and high contrast (this visit only)."""
    chosen = session.get("kiosk_display") or {}
    text = chosen.get("text") if chosen.get("text") in TEXT_SIZES else "standard"
    return {"text": text, "contrast": bool(chosen.get("contrast"))}


def _visit_has_state() -> bool:
    return any(key in session for key in ("journeys", "confirmation", "lang", "kiosk_display", "help_request",
                                          "kiosk_active", "resident_who"))


# --- clearing a visit ---------------------------------------------------------------------------------


def clear_visit() -> None:
    """Delete every unsaved draft of this browser's visit on the server, call off its help request,
    and clear the Flask session (the kiosk device cookie stays)."""
    resident.discard_all()
    request_id = session.get("help_request")
    if request_id:
        _store().cancel_help(request_id)
    session.clear()


def _start_url(venue: dict | None = None) -> str:
    venue = venue or kiosk_venue()
    return url_for("kiosk.start", venue_id=venue["id"]) if venue else url_for("home.index")


def before_request():
    """On a kiosk: the start screen instead of the home page (which links to helpers), and the idle
    limit enforced on the server for every request, JavaScript or not."""
    endpoint = request.endpoint
    if endpoint in (None, "static"):
        return None
    venue = kiosk_venue()
    if venue is None or state.helper_session() is not None:
        return None
    if endpoint == "home.index":
        return redirect(_start_url(venue))
    now = _now()
    last = session.get("kiosk_at")
    if last and _visit_has_state() and now - _parse(last) > timedelta(seconds=idle_seconds("kiosk")):
        clear_visit()
        session["kiosk_notice"] = "timed_out"
        session["kiosk_at"] = now.isoformat()
        if endpoint in ("kiosk.keep_alive", "kiosk.time_out"):
            return jsonify(expired=True, next=_start_url(venue))
        if endpoint != "kiosk.start" or request.method != "GET":
            return redirect(_start_url(venue))
        return None
    if endpoint not in PASSIVE_ENDPOINTS:
        session["kiosk_at"] = now.isoformat()
    if endpoint != "kiosk.start":
        session["kiosk_active"] = True
    return None


def sweep() -> None:
    """Clear kiosk drafts at this venue left idle past the limit (nobody came back to the kiosk)."""
    venue = kiosk_venue()
    if venue is not None:
        _store().expire_idle_journeys("kiosk", timedelta(seconds=idle_seconds("kiosk")), venue["id"])


# --- the kiosk start screen ----------------------------------------------------------------------------


@bp.get("/kiosk/<venue_id>")
def start(venue_id):
    """Choose your language, text size and colours, then a form. Opening it makes this device a kiosk."""
    venue = _store().get_venue(venue_id)
    if venue is None or not venue["active"]:
        abort(404)
    g.kiosk_venue = venue  # this device is a kiosk from this response on
    sweep()
    notice = session.pop("kiosk_notice", None)
    from . import forms
    from .language import language_choices

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


def help_status() -> str | None:
    """This visit's help request: ``open``, ``acknowledged``, or ``None``."""
    request_id = session.get("help_request")
    if not request_id:
        return None
    row = _store().get_help_request(request_id)
    if row is None or row["status"] not in ("open", "acknowledged"):
        return None
    return row["status"]


@bp.post("/kiosk/help")
def ask_for_help():
    """Raise a help request at this kiosk's venue (once per visit while it is open)."""
    venue = kiosk_venue()
    if venue is None:
        abort(404)
    if help_status() is None:
        from . import forms
        from .language import current_language

        form_id = request.form.get("form_id")
        form_id = form_id if form_id in forms() else None
        session["help_request"] = _store().request_help(venue["id"], form_id, current_language())
    return redirect(state.safe_next(request.form.get("next"), _start_url(venue)), code=303)


@bp.get("/helpers/kiosk-requests")
@state.helper_required()
def help_requests():
    """Residents at kiosks in this venue who asked for help; refreshes itself."""
    return render_template("kiosk/requests.html", **_requests_context())


@bp.get("/helpers/kiosk-requests/list")
@state.helper_required()
def help_requests_list():
    """Just the list, for the page to refresh (not counted as the helper's activity)."""
    context = _requests_context()
    return jsonify(html=render_template("kiosk/_requests_list.html", **context), signature=context["signature"],
                   count=len(context["requests"]))


@bp.post("/helpers/kiosk-requests/<int:request_id>/acknowledge")
@state.helper_required()
def acknowledge(request_id):
    """"I'm on my way": the kiosk shows that a helper has seen the request."""
    current = state.helper_session()
    row = _store().get_help_request(request_id)
    if row is None or row["venue_id"] != current["venue_id"]:
        abort(404)
    _store().acknowledge_help(request_id, current["helper_id"])
    return redirect(url_for("kiosk.help_requests"), code=303)


def _requests_context() -> dict:
    from . import forms
    from .language import language_name

    current = state.helper_session()
    rows = []
    for row in _store().help_requests(current["venue_id"]):
        form = forms().get(row["form_id"] or "")
        rows.append({
            "id": row["id"],
            "time": state.local_time(row["created_at"]),
            "form": form.title if form else None,
            "language": language_name(row["language"]) if row["language"] else None,
            "language_code": row["language"],
        })
    signature = hashlib.sha256(repr([(r["id"], r["form"], r["language"]) for r in rows]).encode()).hexdigest()[:16]
    return {"requests": rows, "signature": signature, "venue": current["venue"]}


def open_help_count() -> int:
    current = state.helper_session()
    return len(_store().help_requests(current["venue_id"])) if current else 0


# --- keeping a session alive, timing out, finishing ------------------------------------------------------


@bp.post("/device/keep-alive")
def keep_alive():
    """"Continue" in the timeout warning (and activity on a page): the visit carries on."""
    resident.touch_all()
    mode = device_mode()
    return jsonify(expired=False, idle_seconds=idle_seconds(mode))


@bp.post("/device/time-out")
def time_out():
    """The timeout warning ran out: wipe the visit now and say where the screen goes."""
    mode = device_mode()
    if mode == "assisted":
        state.sign_out("idle")
        return jsonify(expired=True, next=url_for("assisted.sign_in", idle=1))
    venue = kiosk_venue()
    clear_visit()
    if venue is not None:
        session["kiosk_notice"] = "timed_out"
        return jsonify(expired=True, next=_start_url(venue))
    return jsonify(expired=True, next=url_for("kiosk.cleared"))


def finish_and_clear() -> str:
    """Finish and clear this device: every unsaved draft deleted on the server, the helper's resident
    session ended, the Flask session replaced. Returns where to go next."""
    current = state.helper_session()
    if current is not None:
        resident.discard_all()
        state.end_resident_session(current, event="clear")
        state.rotate_session(helper_session=current["id"], cleared=True)
        return url_for("assisted.index")
    venue = kiosk_venue()
    clear_visit()
    if venue is not None:
        session["kiosk_notice"] = "cleared"
        return _start_url(venue)
    return url_for("kiosk.cleared")


@bp.post("/device/finish")
def finish():
    """"Finish and clear this device", on every page of a resident's session and after printing."""
    return redirect(finish_and_clear(), code=303)


@bp.get("/device/cleared")
def cleared():
    """On a resident's own device, after "Finish and clear"."""
    return render_template("kiosk/cleared.html")


@bp.post("/device/leave")
def leave():
    """"Exit this page" (a form with the CSRF token: a link from another site must clear nothing):
    clear the visit at once, then a neutral page (the kiosk's start screen, the helper's home, or a
    weather page on a resident's own device). The weather page is reached by a page that moves on
    by itself, not a redirect: browsers hold a form's redirect to ``form-action 'self'``."""
    target = finish_and_clear()
    if target == url_for("kiosk.cleared"):
        return render_template("kiosk/exit_to.html", target=NEUTRAL_EXIT_URL)
    return redirect(target, code=303)


# --- templates -------------------------------------------------------------------------------------------


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
        # Residents get "Finish and clear this device" on every page of their session; a helper has
        # "Finish and clear this tablet" in the helper bar.
        "finish": mode != "assisted" and (venue is not None or resident_pages),
        "help_waiting": open_help_count() if mode == "assisted" else 0,
        "start_url": _start_url(venue) if venue else url_for("home.index"),
    }}


def init_app(app) -> None:
    """Register the blueprint, the kiosk hook, the template globals, and keep shared pages unshared."""
    from . import fragments

    app.register_blueprint(bp)
    app.before_request(before_request)
    app.context_processor(template_globals)
    # Pages on shared devices differ (autofill off, kiosk bar, text size, contrast, timeout): never shared.
    fragments.veto_page_cache(app, shared_device)
