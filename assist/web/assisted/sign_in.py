"""Signing in on a tablet: which venue it is at, the helper's name and PIN, signing out, and the
PIN that opens the helper's pages again after a hand-over."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext

from ...storage.helpers import valid_pin
from ..core import helper
from ..core.app import forms, store
from ..core.clearing import confirm_clear_page, needs_confirming
from ..core.device import VENUE_COOKIE
from ..core.helper import audit_event, helper_required, helper_session
from ..core.redirects import safe_next
from . import bp
from .tablet import first_page_url, resident_journey, tablet_venue, venues


@bp.route("/venue", methods=["GET", "POST"])
def choose_venue():
    """Which venue this tablet is at (remembered on the tablet; not personal)."""
    choices = venues()
    error = None
    if request.method == "POST":
        chosen = request.form.get("venue")
        if chosen in {v["id"] for v in choices}:
            response = redirect(url_for("assisted.sign_in"))
            response.set_cookie(VENUE_COOKIE, chosen, max_age=365 * 24 * 3600, httponly=True, samesite="Lax",
                                secure=request.is_secure)
            return response
        error = gettext("Select where this tablet is")
    return render_template("assisted/venue.html", venues=choices, error=error,
                           errors={"venue": error} if error else {}), 400 if error else 200


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    """Type your name and enter your PIN. The page never lists helpers, and a refused sign-in looks
    the same whether or not the name typed is a helper's."""
    if helper_session() is not None and request.method == "GET":
        return redirect(url_for("assisted.index"))
    venue = tablet_venue()
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
            outcome = store().sign_in_helper(venue["id"], name, pin, helper.pin_limits())
            if outcome.ok:
                if helper_session() is not None:
                    helper.sign_out()  # someone else was signed in here: end their session and resident first
                rotate_to_helper(outcome.helper_id, venue["id"])
                audit_event("sign_in")
                return redirect(safe_next(request.args.get("next"), url_for("assisted.index")))
            errors["name"] = _refusal(outcome, venue["id"])
            name = ""  # nothing typed comes back: the page is the same whichever name was tried
    notice = None
    if request.args.get("idle"):
        notice = gettext("You were signed out because the tablet was not used for %(minutes)s minutes. "
                         "Anything on screen has been cleared.", minutes=helper.idle_minutes())
    elif request.args.get("ended"):
        notice = gettext("You were signed out. Anything on screen has been cleared.")
    elif request.args.get("signed_out"):
        notice = gettext("You have signed out. Nothing of the last resident is on this tablet.")
    return render_template("assisted/sign_in.html", venue=venue, errors=errors, name=name, notice=notice,
                           many_venues=len(venues()) > 1), 400 if errors else 200


def _refusal(outcome, venue_id: str) -> str:
    """Audit a refused sign-in and say why, in words that are the same for any name."""
    if outcome.outcome == "wait":
        audit_event("lockout" if outcome.wait_started else "sign_in_locked", helper_id=outcome.helper_id,
                    venue_id=venue_id)
        return helper.wait_message(outcome.wait_until)
    audit_event("sign_in_failed", helper_id=outcome.helper_id, venue_id=venue_id)
    message = gettext("The name or PIN is not right. Check them and try again.")
    if outcome.attempts_left is not None and outcome.attempts_left <= 2:
        message += " " + gettext("After %(count)s more wrong PINs you will have to wait before you can sign in.",
                                 count=outcome.attempts_left)
    return message


def rotate_to_helper(helper_id: str, venue_id: str) -> None:
    """Sign in: a new server-side helper session and a brand-new Flask session pointing at it."""
    session_id = store().start_helper_session(helper_id, venue_id)
    helper.rotate_session(helper_session=session_id)


@bp.route("/sign-out", methods=["GET", "POST"])
def sign_out():
    """Sign out, and end any resident session on this tablet: one tap, unless a resident's answers
    not yet sent would be deleted (then the helper confirms, or saves them first)."""
    if request.method == "POST" and helper_session() is not None and needs_confirming():
        return redirect(url_for("assisted.sign_out"), code=303)
    if request.method == "GET" and helper_session() is not None:
        return confirm_clear_page(
            heading=gettext("Sign out?"),
            warning=gettext("You are helping a resident whose answers have not been sent. Signing out deletes them."),
            nothing_lost=gettext("Signing out clears everything of the last resident from the tablet."),
            save_advice=gettext("If the resident wants to carry on another time, save the answers first and give "
                                "them the carry-on slip."),
            confirm=gettext("Delete the answers and sign out"), action=url_for("assisted.sign_out"))
    if request.method == "GET":  # nobody signed in: nothing to sign out of
        return redirect(url_for("home.index"))
    helper.sign_out()
    return redirect(url_for("assisted.sign_in", signed_out=1))


@bp.route("/unlock", methods=["GET", "POST"])
@helper_required(allow_private=True)
def unlock():
    """The resident has the tablet: the helper's PIN opens anything other than their own session."""
    current = helper_session()
    target = safe_next(request.args.get("next"), url_for("assisted.index"))
    if not current["needs_pin"]:
        return redirect(target)
    error = None
    if request.method == "POST":
        pin = request.form.get("pin", "")
        if not pin:
            error = gettext("Enter your PIN")
        else:
            outcome = store().check_pin(current["helper_id"], current["venue_id"], pin, helper.pin_limits())
            if outcome.ok:
                store().set_session_holder(current["id"], helper.HELPER)
                audit_event("unlock", journey_id=current.get("journey_id"))
                return redirect(target)
            if outcome.outcome == "wait":
                audit_event("lockout" if outcome.wait_started else "sign_in_locked")
                helper.sign_out()
                return redirect(url_for("assisted.sign_in", ended=1))
            audit_event("sign_in_failed")
            error = gettext("That PIN is not right. Check it and try again.")
    journey = resident_journey(current)
    back = None
    if journey is not None and journey["status"] == "in_progress":
        form = forms().get(journey["form_id"])
        back = first_page_url(form, journey) if form else None
    return render_template("assisted/unlock.html", error=error, errors={"pin": error} if error else {},
                           back=back), 400 if error else 200
