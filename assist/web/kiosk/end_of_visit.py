"""The end of a visit on any device: "Continue" in the timeout warning, the warning running out,
"Finish and clear this device", and "Exit this page"."""

from __future__ import annotations

from flask import jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext

from ..core import helper, resident
from ..core.clearing import confirm_clear_page, needs_confirming
from ..core.device import device_mode, idle_seconds, kiosk_venue
from . import bp
from .visit import clear_visit, finish_and_clear, start_url

#: Where "Exit this page" goes on a resident's own device (GOV.UK's suggestion: a neutral page).
NEUTRAL_EXIT_URL = "https://www.bbc.co.uk/weather"


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
        helper.sign_out("idle")
        return jsonify(expired=True, next=url_for("assisted.sign_in", idle=1))
    venue = kiosk_venue()
    clear_visit()
    if venue is not None:
        session["kiosk_notice"] = "timed_out"
        return jsonify(expired=True, next=start_url(venue))
    return jsonify(expired=True, next=url_for("kiosk.cleared"))


@bp.route("/device/finish", methods=["GET", "POST"])
def finish():
    """"Finish and clear this device", on every page of a resident's session on a shared device and
    after printing: answers not yet sent are deleted once the resident confirms it (the page offers
    "Save and carry on later" instead)."""
    if request.method == "POST" and needs_confirming():
        return redirect(url_for("kiosk.finish"), code=303)
    if request.method == "GET":
        return confirm_clear_page(
            heading=gettext("Finish and clear this device?"),
            warning=gettext("Your answers to this form have not been sent. Finishing deletes them."),
            nothing_lost=gettext("Finishing clears everything of your visit from this device."),
            save_advice=gettext("To carry on another time, save your answers first. You will get a code to carry "
                                "on with."),
            confirm=gettext("Delete my answers and finish"), action=url_for("kiosk.finish"))
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
