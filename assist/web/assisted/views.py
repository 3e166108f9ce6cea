"""Assisted mode: a helper signs in on a shared tablet and guides a resident through a form.

Sign in (:mod:`.sign_in`) → Help a resident → choose a form → who is this for → what to bring
→ consent (the resident taps "I agree") → the journey's own question pages, with helper prompts
→ hand the tablet over for private questions → check answers → submit → print → finish and clear.
"""

from __future__ import annotations

from flask import redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from ...storage.helpers import name_key
from ..core import helper
from ..core import session as browser_session
from ..core.app import config, forms, store
from ..core.clearing import confirm_clear_page, needs_confirming
from ..core.helper import audit_event, helper_required, helper_session
from ..core.language import current_language
from ..core.redirects import safe_next
from ..core.times import local_time, start_of_today
from . import bp
from .tablet import first_page_url, journey_page_url, require_resident, resident_journey

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


# --- the helper's home, and my residents today --------------------------------------------------


@bp.get("/")
@helper_required()
def index():
    """Signed in: help a resident, carry on with a saved form, my residents today."""
    current = helper_session()
    journey = resident_journey(current)
    in_progress = None
    if journey is not None and journey["status"] == "in_progress":
        form = forms().get(journey["form_id"])
        if form is not None:
            in_progress = {"form": form, "href": _carry_on_url(form, journey)}
    elif journey is not None and journey["status"] == "submitted":
        form = forms().get(journey["form_id"])
        in_progress = {"form": form, "submitted": True, "reference": journey["submission_reference"]}
    cleared = session.pop("cleared", False)
    return render_template("assisted/index.html", in_progress=in_progress, cleared=cleared)


def _carry_on_url(form, journey) -> str:
    """Where the helper picks up the current resident session."""
    if (session.get("journeys") or {}).get(form.id) != journey["id"]:
        return url_for("assisted.index")
    if not journey.get("consent_at"):
        return url_for("assisted.who") if not session.get("resident_who") else url_for("assisted.consent")
    return first_page_url(form, journey)


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
    sent = (session.get("confirmation") or {}).get("reference")
    rows = []
    for journey in store().helper_journeys(current["helper_id"], current["venue_id"], start_of_today()):
        form = forms().get(journey["form_id"])
        status = journey["status"]
        if status == "in_progress" and store().has_live_resume_code(journey["id"]):
            status = "saved"
        rows.append({
            "form": form.title if form else journey["form_id"],
            "started": local_time(journey["started_at"]),
            "status": STATUS_LABELS.get(status, status),
            "status_key": status,
            "reference": journey["submission_reference"] or "",
            "current": journey["id"] == current.get("journey_id"),
            # The copy can be printed again while this resident session is still on the tablet.
            "reprint": (url_for("printing.copy_page", reference=journey["submission_reference"])
                        if journey["submission_reference"] and journey["submission_reference"] == sent else None),
        })
    return render_template("assisted/today.html", rows=rows)


# --- a resident session ---------------------------------------------------------------------------


@bp.route("/help", methods=["GET", "POST"])
@helper_required()
def help_resident():
    """Help a resident: choose the form. While a resident session is under way (Back from its first
    question comes here) it offers to carry on with it; choosing a form starts the next resident's
    session (never the last one's answers), once the helper confirms deleting answers not yet sent."""
    choices = list(forms().values())
    error = None
    chosen = request.form.get("form") if request.method == "POST" else request.args.get("form")
    current = helper_session()
    journey = resident_journey(current)
    under_way = None
    if journey is not None and journey["status"] == "in_progress" and journey["form_id"] in forms():
        under_way = {"form": forms()[journey["form_id"]], "href": journey_page_url(journey)}
    if request.method == "POST":
        form = forms().get(chosen or "")
        if form is None:
            error = gettext("Select the form the resident needs")
        elif under_way and needs_confirming():
            return redirect(url_for("assisted.finish"), code=303)
        else:
            start_resident_session(form)
            return redirect(url_for("assisted.who"))
    return render_template("assisted/help.html", forms=choices, chosen=chosen, error=error, under_way=under_way,
                           errors={"form": error} if error else {}), 400 if error else 200


def start_resident_session(form) -> str:
    """End the previous resident session, rotate the Flask session, and start an assisted journey."""
    current = helper_session()
    helper.end_resident_session(current, event="clear")
    helper.rotate_session(helper_session=current["id"])
    journey_id = store().start_journey(form.id, form.version, current_language(), mode="assisted",
                                        venue_id=current["venue_id"], helper_id=current["helper_id"])
    store().set_session_resident(current["id"], journey_id)
    session["journeys"] = {form.id: journey_id}
    audit_event("session_start", journey_id=journey_id, detail=form.id)
    return journey_id


@bp.route("/resident/who", methods=["GET", "POST"])
@helper_required()
def who():
    """Who is this form for? The helper's own name is not accepted without an explicit confirmation."""
    current, journey, response = require_resident()
    if response:
        return response
    form = forms()[journey["form_id"]]
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
    current, journey, response = require_resident()
    if response:
        return response
    if session.get("resident_who") not in ("confirm", "done"):
        return redirect(url_for("assisted.who"))
    form = forms()[journey["form_id"]]
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
    current, journey, response = require_resident()
    if response:
        return response
    if session.get("resident_who") != "done":
        return redirect(url_for("assisted.who"))
    return render_template("assisted/bring.html", form=forms()[journey["form_id"]])


@bp.route("/resident/consent", methods=["GET", "POST"])
@helper_required()
def consent():
    """The consent script, read by the helper in the resident's language; the resident taps "I agree"."""
    current, journey, response = require_resident()
    if response:
        return response
    form = forms()[journey["form_id"]]
    if journey.get("consent_at"):
        return redirect(first_page_url(form, journey))
    if session.get("resident_who") != "done":
        return redirect(url_for("assisted.who"))
    if request.method == "POST":
        if request.form.get("answer") == "agree":
            store().record_consent(journey["id"], CONSENT_VERSION)
            audit_event("consent", journey_id=journey["id"], detail=CONSENT_VERSION)
            return redirect(first_page_url(form, journey))
        return redirect(url_for("assisted.not_agreed"), code=303)
    council = config().council
    paragraphs = consent_paragraphs(current["helper"]["display_name"], current["venue"]["name"], council.name)
    return render_template("assisted/consent.html", form=form, paragraphs=paragraphs, version=CONSENT_VERSION)


@bp.route("/resident/not-agreed", methods=["GET", "POST"])
@helper_required()
def not_agreed():
    """The resident did not agree: what they can do instead (a paper form, the form by themselves, or
    their answers saved to carry on without a helper); the resident session ends only when the
    helper says so, and they can still go back to the consent script."""
    current, journey, response = require_resident()
    if response:
        return response
    form = forms()[journey["form_id"]]
    if journey.get("consent_at"):
        return redirect(first_page_url(form, journey))
    if request.method == "POST":
        audit_event("consent_refused", journey_id=journey["id"], detail=CONSENT_VERSION)
        helper.end_resident_session(current, event="clear")
        helper.rotate_session(helper_session=current["id"], cleared=True)
        return redirect(url_for("assisted.index"))
    return render_template(
        "assisted/not_agreed.html", form=form, has_answers=bool(journey["answers"]),
        paper_url=url_for("printing.paper_form", form_id=form.id, language=current_language()),
        online_url=url_for("journey.start", form_id=form.id, _external=True),
        save_url=url_for("carry_on.save", form_id=form.id, back=url_for("assisted.not_agreed")))


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
    store().set_session_holder(current["id"], helper.RESIDENT)
    browser_session.rotate()
    audit_event("hand_over", journey_id=current["journey_id"])
    return redirect(safe_next(request.form.get("next"), url_for("assisted.index")))


@bp.post("/resident/give-back")
@helper_required(allow_private=True)
def give_back():
    """The resident gives the tablet back: back to the same journey page (whatever ``next`` says),
    with the helper's prompts; any helper page asks for the PIN first."""
    current = helper_session()
    if current["private"]:
        store().set_session_holder(current["id"], helper.RETURNED)
        browser_session.rotate()
        audit_event("give_back", journey_id=current.get("journey_id"))
    return redirect(journey_page_url(resident_journey(current)), code=303)


@bp.route("/resident/finish", methods=["GET", "POST"])
@helper_required(allow_private=True)
def finish():
    """Finish and clear this tablet: nothing of this resident stays on it. Answers not yet sent are
    deleted only once the helper confirms it (the page offers "Save and carry on later" instead).
    Given back since a hand-over, it clears but the helper's pages still need the PIN (while the
    resident holds the tablet, the private-mode guard sends this to the PIN page before it runs)."""
    if request.method == "POST" and needs_confirming():
        return redirect(url_for("assisted.finish"), code=303)
    if request.method == "GET":
        return confirm_clear_page(
            heading=gettext("Finish and clear this tablet?"),
            warning=gettext("The resident's answers to this form have not been sent. Finishing deletes them."),
            nothing_lost=gettext("Finishing clears everything of this resident from the tablet."),
            save_advice=gettext("If the resident wants to carry on another time, save the answers first and give "
                                "them the carry-on slip."),
            confirm=gettext("Delete the answers and finish"), action=url_for("assisted.finish"))
    current = helper_session()
    helper.end_resident_session(current, event="clear")
    helper.rotate_session(helper_session=current["id"], cleared=True)
    return redirect(url_for("assisted.index"))
