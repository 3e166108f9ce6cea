"""Assisted mode: a helper signs in on a shared tablet and guides a resident through a form.

Sign in (venue, name, PIN) → Help a resident → choose a form → who is this for → what to bring
→ consent (the resident taps "I agree") → the journey's own question pages, with helper prompts
→ hand the tablet over for private questions → check answers → submit → print → finish and clear.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from ..engine import Journey
from ..storage.helpers import name_key, valid_pin
from . import assisted_session as state
from .assisted_session import audit_event, helper_required, helper_session
from .core import session as browser_session

bp = Blueprint("assisted", __name__, url_prefix="/helpers")

VENUE_COOKIE = "assist_venue"
#: The consent script's version, stored with each journey that agreed to it.
#: Change it whenever the wording below changes.
CONSENT_VERSION = "2026-1"


def consent_paragraphs(helper_name: str, venue_name: str, council_name: str) -> list[str]:
    """The consent script the helper reads out, in the page's language."""
    return [
        gettext("My name is %(helper)s. I work at %(venue)s, not for the council. I can help you fill in "
                "this form for %(council)s.", helper=helper_name, venue=venue_name, council=council_name),
        gettext("I will see the answers you give while I help. I will not keep them or tell anyone about "
                "them. Your answers go only to the council, to deal with this form."),
        gettext("Some questions are private, such as questions about money or health. For those, you can hold "
                "the tablet and type the answer yourself."),
        gettext("You can stop at any time. If you stop, your answers are deleted, unless you ask to save them "
                "and carry on later."),
        gettext("The council keeps a record that I helped you today, and which answers you typed and which I "
                "typed. That record does not include your answers."),
    ]


def _store():
    return current_app.extensions["assist.store"]


def _forms() -> dict:
    return current_app.extensions["assist.forms"]


def _venues() -> list[dict]:
    return [v for v in _store().list_venues() if v["mode"] in ("assisted", "both")]


def _tablet_venue() -> dict | None:
    venue_id = request.cookies.get(VENUE_COOKIE)
    venue = _store().get_venue(venue_id) if venue_id else None
    if venue is not None and venue["active"]:
        return venue
    venues = _venues()
    return venues[0] if len(venues) == 1 else None


def _resident_journey(current) -> dict | None:
    journey_id = current.get("journey_id") if current else None
    return _store().get_journey(journey_id) if journey_id else None


def _require_resident():
    """The resident journey being set up (before consent), or a redirect to the helper's home."""
    current = helper_session()
    journey = _resident_journey(current)
    if journey is None or journey["status"] != "in_progress" or journey["mode"] != "assisted":
        return None, None, redirect(url_for("assisted.index"))
    return current, journey, None


def _first_page_url(form, journey) -> str:
    route = Journey(form, journey["answers"])
    target = route.first_incomplete()
    if target is None:
        return url_for("journey.check_answers", form_id=form.id)
    return url_for("journey.page", form_id=form.id, page_id=target.id)


# --- the tablet's venue and signing in ---------------------------------------------------------


@bp.route("/venue", methods=["GET", "POST"])
def choose_venue():
    """Which venue this tablet is at (remembered on the tablet; not personal)."""
    venues = _venues()
    error = None
    if request.method == "POST":
        chosen = request.form.get("venue")
        if chosen in {v["id"] for v in venues}:
            response = redirect(url_for("assisted.sign_in"))
            response.set_cookie(VENUE_COOKIE, chosen, max_age=365 * 24 * 3600, httponly=True, samesite="Lax",
                                secure=request.is_secure)
            return response
        error = gettext("Select where this tablet is")
    return render_template("assisted/venue.html", venues=venues, error=error,
                           errors={"venue": error} if error else {}), 400 if error else 200


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    """Type your name and enter your PIN. The page never lists helpers, and a refused sign-in looks
    the same whether or not the name typed is a helper's."""
    if helper_session() is not None and request.method == "GET":
        return redirect(url_for("assisted.index"))
    venue = _tablet_venue()
    if venue is None:
        return redirect(url_for("assisted.choose_venue"))
    errors: dict[str, str] = {}
    name = request.form.get("name", "")
    if request.method == "POST":
        pin = request.form.get("pin", "")
        if not name.strip():
            errors["name"] = gettext("Enter your name")
        if not pin:
            errors["pin"] = gettext("Enter your PIN")
        elif not valid_pin(pin):
            errors["pin"] = gettext("Your PIN is 4 to 8 numbers")
        if not errors:
            outcome = _store().sign_in_helper(venue["id"], name, pin, state.pin_limits())
            if outcome.ok:
                if helper_session() is not None:
                    state.sign_out()  # someone else was signed in here: end their session and resident first
                rotate_to_helper(outcome.helper_id, venue["id"])
                audit_event("sign_in")
                return redirect(state.safe_next(request.args.get("next"), url_for("assisted.index")))
            errors["name"] = _refusal(outcome, venue["id"])
            name = ""  # nothing typed comes back: the page is the same whichever name was tried
    notice = None
    if request.args.get("idle"):
        notice = gettext("You were signed out because the tablet was not used for %(minutes)s minutes. "
                         "Anything on screen has been cleared.", minutes=state.idle_minutes())
    elif request.args.get("ended"):
        notice = gettext("You were signed out. Anything on screen has been cleared.")
    elif request.args.get("signed_out"):
        notice = gettext("You have signed out. Nothing of the last resident is on this tablet.")
    return render_template("assisted/sign_in.html", venue=venue, errors=errors, name=name, notice=notice,
                           many_venues=len(_venues()) > 1), 400 if errors else 200


def _refusal(outcome, venue_id: str) -> str:
    """Audit a refused sign-in and say why, in words that are the same for any name."""
    if outcome.outcome == "wait":
        audit_event("lockout" if outcome.wait_started else "sign_in_locked", helper_id=outcome.helper_id,
                    venue_id=venue_id)
        return state.wait_message(outcome.wait_until)
    audit_event("sign_in_failed", helper_id=outcome.helper_id, venue_id=venue_id)
    message = gettext("The name or PIN is not right. Check them and try again.")
    if outcome.attempts_left is not None and outcome.attempts_left <= 2:
        message += " " + gettext("After %(count)s more wrong PINs you will have to wait before you can sign in.",
                                 count=outcome.attempts_left)
    return message


def rotate_to_helper(helper_id: str, venue_id: str) -> None:
    """Sign in: a new server-side helper session and a brand-new Flask session pointing at it."""
    session_id = _store().start_helper_session(helper_id, venue_id)
    state.rotate_session(helper_session=session_id)


@bp.post("/sign-out")
def sign_out():
    """One tap: sign out, and end any resident session on this tablet."""
    state.sign_out()
    return redirect(url_for("assisted.sign_in", signed_out=1))


@bp.route("/unlock", methods=["GET", "POST"])
@helper_required(allow_private=True)
def unlock():
    """The resident has the tablet: the helper's PIN opens anything other than their own session."""
    current = helper_session()
    target = state.safe_next(request.args.get("next"), url_for("assisted.index"))
    if not current["needs_pin"]:
        return redirect(target)
    error = None
    if request.method == "POST":
        pin = request.form.get("pin", "")
        if not pin:
            error = gettext("Enter your PIN")
        else:
            outcome = _store().check_pin(current["helper_id"], current["venue_id"], pin, state.pin_limits())
            if outcome.ok:
                _store().set_session_holder(current["id"], state.HELPER)
                audit_event("unlock", journey_id=current.get("journey_id"))
                return redirect(target)
            if outcome.outcome == "wait":
                audit_event("lockout" if outcome.wait_started else "sign_in_locked")
                state.sign_out()
                return redirect(url_for("assisted.sign_in", ended=1))
            audit_event("sign_in_failed")
            error = gettext("That PIN is not right. Check it and try again.")
    journey = _resident_journey(current)
    back = None
    if journey is not None and journey["status"] == "in_progress":
        form = _forms().get(journey["form_id"])
        back = _first_page_url(form, journey) if form else None
    return render_template("assisted/unlock.html", error=error, errors={"pin": error} if error else {},
                           back=back), 400 if error else 200


# --- the helper's home, and my residents today --------------------------------------------------


@bp.get("/")
@helper_required()
def index():
    """Signed in: help a resident, carry on with a saved form, my residents today."""
    current = helper_session()
    journey = _resident_journey(current)
    in_progress = None
    if journey is not None and journey["status"] == "in_progress":
        form = _forms().get(journey["form_id"])
        if form is not None:
            in_progress = {"form": form, "href": _carry_on_url(form, journey)}
    elif journey is not None and journey["status"] == "submitted":
        form = _forms().get(journey["form_id"])
        in_progress = {"form": form, "submitted": True, "reference": journey["submission_reference"]}
    cleared = session.pop("cleared", False)
    return render_template("assisted/index.html", in_progress=in_progress, cleared=cleared)


def _carry_on_url(form, journey) -> str:
    """Where the helper picks up the current resident session."""
    if (session.get("journeys") or {}).get(form.id) != journey["id"]:
        return url_for("assisted.index")
    if not journey.get("consent_at"):
        return url_for("assisted.who") if not session.get("resident_who") else url_for("assisted.consent")
    return _first_page_url(form, journey)


STATUS_LABELS = {
    "in_progress": _l("In progress"),
    "saved": _l("Saved for later"),
    "submitted": _l("Sent"),
    "cleared": _l("Stopped and cleared"),
    "abandoned": _l("Not finished"),
}


@bp.get("/today")
@helper_required()
def today():
    """The helper's own sessions at this venue today: form, time, status, reference. No answers."""
    current = helper_session()
    rows = []
    for journey in _store().helper_journeys(current["helper_id"], current["venue_id"], state.start_of_today()):
        form = _forms().get(journey["form_id"])
        status = journey["status"]
        if status == "in_progress" and _store().has_live_resume_code(journey["id"]):
            status = "saved"
        rows.append({
            "form": form.title if form else journey["form_id"],
            "started": state.local_time(journey["started_at"]),
            "status": STATUS_LABELS.get(status, status),
            "status_key": status,
            "reference": journey["submission_reference"] or "",
            "current": journey["id"] == current.get("journey_id"),
        })
    return render_template("assisted/today.html", rows=rows)


# --- a resident session ---------------------------------------------------------------------------


@bp.route("/help", methods=["GET", "POST"])
@helper_required()
def help_resident():
    """Help a resident: choose the form. Starting clears everything of any previous resident."""
    forms = list(_forms().values())
    error = None
    chosen = request.form.get("form") if request.method == "POST" else request.args.get("form")
    if request.method == "POST":
        form = _forms().get(chosen or "")
        if form is None:
            error = gettext("Select the form the resident needs")
        else:
            start_resident_session(form)
            return redirect(url_for("assisted.who"))
    return render_template("assisted/help.html", forms=forms, chosen=chosen, error=error,
                           errors={"form": error} if error else {}), 400 if error else 200


def start_resident_session(form) -> str:
    """End the previous resident session, rotate the Flask session, and start an assisted journey."""
    from .language import current_language

    current = helper_session()
    state.end_resident_session(current, event="clear")
    state.rotate_session(helper_session=current["id"])
    journey_id = _store().start_journey(form.id, form.version, current_language(), mode="assisted",
                                        venue_id=current["venue_id"], helper_id=current["helper_id"])
    _store().set_session_resident(current["id"], journey_id)
    session["journeys"] = {form.id: journey_id}
    audit_event("session_start", journey_id=journey_id, detail=form.id)
    return journey_id


@bp.route("/resident/who", methods=["GET", "POST"])
@helper_required()
def who():
    """Who is this form for? The helper's own name is not accepted without an explicit confirmation."""
    current, journey, response = _require_resident()
    if response:
        return response
    form = _forms()[journey["form_id"]]
    error = None
    if request.method == "POST":
        name = request.form.get("resident-name", "")
        if not name.strip():
            error = gettext("Enter the name of the resident you are helping")
        elif name_key(name) == name_key(current["helper"]["display_name"]):
            session["resident_who"] = "confirm"
            return redirect(url_for("assisted.who_confirm"))
        else:
            session["resident_who"] = "done"
            return redirect(url_for("assisted.bring"))
    return render_template("assisted/who.html", form=form, error=error,
                           errors={"resident-name": error} if error else {}), 400 if error else 200


@bp.route("/resident/who/your-own-name", methods=["GET", "POST"])
@helper_required()
def who_confirm():
    """The name given is the helper's own: are they applying for themselves?"""
    current, journey, response = _require_resident()
    if response:
        return response
    if session.get("resident_who") not in ("confirm", "done"):
        return redirect(url_for("assisted.who"))
    form = _forms()[journey["form_id"]]
    error = None
    if request.method == "POST":
        choice = request.form.get("for-self")
        if choice in ("myself", "same-name"):
            session["resident_who"] = "done"
            audit_event("self_application_confirmed", journey_id=journey["id"], detail=choice)
            return redirect(url_for("assisted.bring"))
        error = gettext("Select if you are applying for yourself")
    return render_template("assisted/who_confirm.html", form=form, error=error,
                           errors={"for-self": error} if error else {}), 400 if error else 200


@bp.get("/resident/what-to-bring")
@helper_required()
def bring():
    """What the resident needs to have with them for this form."""
    current, journey, response = _require_resident()
    if response:
        return response
    if session.get("resident_who") != "done":
        return redirect(url_for("assisted.who"))
    return render_template("assisted/bring.html", form=_forms()[journey["form_id"]])


@bp.route("/resident/consent", methods=["GET", "POST"])
@helper_required()
def consent():
    """The consent script, read by the helper in the resident's language; the resident taps "I agree"."""
    current, journey, response = _require_resident()
    if response:
        return response
    form = _forms()[journey["form_id"]]
    if journey.get("consent_at"):
        return redirect(_first_page_url(form, journey))
    if session.get("resident_who") != "done":
        return redirect(url_for("assisted.who"))
    if request.method == "POST":
        if request.form.get("answer") == "agree":
            _store().record_consent(journey["id"], CONSENT_VERSION)
            audit_event("consent", journey_id=journey["id"], detail=CONSENT_VERSION)
            return redirect(_first_page_url(form, journey))
        audit_event("consent_refused", journey_id=journey["id"], detail=CONSENT_VERSION)
        state.end_resident_session(current, event="clear")
        state.rotate_session(helper_session=current["id"], cleared=True)
        return redirect(url_for("assisted.index"))
    council = current_app.extensions["assist.config"].council
    paragraphs = consent_paragraphs(current["helper"]["display_name"], current["venue"]["name"], council.name)
    return render_template("assisted/consent.html", form=form, paragraphs=paragraphs, version=CONSENT_VERSION)


# --- handing the tablet over and back -----------------------------------------------------------


@bp.post("/resident/hand-over")
@helper_required(allow_private=True)
def hand_over():
    """Private mode: the resident holds the tablet; no helper prompts; a big "give the tablet back".
    Only the journey's own pages respond until the tablet is given back, and helper pages need the
    PIN after that. A new session id: a copy of the cookie from before opens nothing."""
    current = helper_session()
    if not current.get("journey_id"):
        return redirect(url_for("assisted.index"))
    _store().set_session_holder(current["id"], state.RESIDENT)
    browser_session.rotate()
    audit_event("hand_over", journey_id=current["journey_id"])
    return redirect(state.safe_next(request.form.get("next"), url_for("assisted.index")))


@bp.post("/resident/give-back")
@helper_required(allow_private=True)
def give_back():
    """The resident gives the tablet back: back to the same journey page (whatever ``next`` says),
    with the helper's prompts; any helper page asks for the PIN first."""
    current = helper_session()
    if current["private"]:
        _store().set_session_holder(current["id"], state.RETURNED)
        browser_session.rotate()
        audit_event("give_back", journey_id=current.get("journey_id"))
    return redirect(_journey_page_url(_resident_journey(current)), code=303)


def _journey_page_url(journey: dict | None) -> str:
    """Where the resident session is: the page last shown, the next one to answer, or its confirmation."""
    form = _forms().get(journey["form_id"]) if journey else None
    if form is None:
        return url_for("assisted.index")
    if journey["status"] == "submitted":
        return url_for("journey.confirmation", form_id=form.id)
    if journey["status"] != "in_progress":
        return url_for("assisted.index")
    last = journey.get("last_page")
    if last and last in {page.id for page in form.pages} and journey.get("consent_at"):
        return url_for("journey.page", form_id=form.id, page_id=last)
    return _first_page_url(form, journey)


@bp.post("/resident/finish")
@helper_required(allow_private=True)
def finish():
    """Finish and clear this tablet: nothing of this resident stays on it. Given back since a
    hand-over, it clears at once but the helper's pages still need the PIN (while the resident holds
    the tablet, the private-mode guard sends this to the PIN page before it runs)."""
    current = helper_session()
    state.end_resident_session(current, event="clear")
    state.rotate_session(helper_session=current["id"], cleared=True)
    return redirect(url_for("assisted.index"))


def init_app(app) -> None:
    """Hooks, template globals and the venues of ``config.toml``."""
    app.before_request(state.before_request)
    app.after_request(state.after_request)
    app.context_processor(state.template_globals)
    from . import fragments

    # A signed-in helper's pages show their name, prompts and controls: never from the shared page cache.
    fragments.veto_page_cache(app, lambda: state.helper_session() is not None)
    store = app.extensions["assist.store"]
    try:
        store.seed_venues(getattr(app.extensions["assist.config"], "venues", None) or ())
    except Exception:  # noqa: BLE001 - a bad venue in config must not stop the app; `assist venues list` shows it
        import logging

        logging.getLogger(__name__).exception("Could not add the venues from config.toml")
    from .assisted_resume import bp as resume_bp, resume_lookup

    app.register_blueprint(bp)
    app.register_blueprint(resume_bp)
    app.extensions["assist.resume_lookup"] = resume_lookup


__all__ = ["bp", "init_app", "CONSENT_VERSION", "abort"]
