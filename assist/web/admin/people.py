"""Venues and helpers in the admin area: add, close or deactivate, reset a PIN, end a wait after wrong PINs.

Council admins manage every venue and helper. Venue leads manage the helpers of their own
venues (role "helper" only): add, deactivate, reset a PIN, let them sign in now. A PIN is typed
twice by the person setting it, kept only as a hash, and never shown, logged or audited.
"""

from __future__ import annotations

import re

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext

from ...storage.helpers import ROLES, valid_pin
from ...storage.venues import VENUE_MODES
from ..core.app import store
from ..core.helper import ADMIN, STAFF, audit_event, helper_required
from ..core.times import local_time
from . import people_bp as bp
from .banners import DONE
from .roles import allowed_venues, is_admin, me, visible_venues


def _helper_in_scope(helper_id: str) -> dict:
    """The helper, if this person may manage them (404 otherwise: no hint that they exist)."""
    helper = store().get_helper(helper_id)
    if helper is None:
        abort(404)
    allowed = allowed_venues()
    if allowed is not None and (helper["role"] != "helper" or not set(helper["venues"]) & set(allowed)):
        abort(404)
    return helper


# --- venues --------------------------------------------------------------------------------------


@bp.route("/venues", methods=["GET", "POST"])
@helper_required(ADMIN)
def venues():
    errors, values = {}, {}
    if request.method == "POST":
        values = {k: (request.form.get(k) or "").strip() for k in ("venue-id", "venue-name", "venue-address",
                                                                    "venue-mode")}
        if not values["venue-name"]:
            errors["venue-name"] = gettext("Enter the venue’s name")
        if not re.match(r"^[a-z0-9][a-z0-9-]{0,62}$", values["venue-id"]):
            errors["venue-id"] = gettext("Enter a short id of lowercase letters, digits and hyphens, like "
                                         "central-library")
        if values["venue-mode"] not in VENUE_MODES:
            errors["venue-mode"] = gettext("Select how residents are helped at this venue")
        if not errors:
            if store().add_venue(values["venue-id"], values["venue-name"], values["venue-address"],
                                  values["venue-mode"]):
                audit_event("venue_added", venue_id=values["venue-id"])
                flash(gettext("%(venue)s added. Add its helpers under Helpers.", venue=values["venue-name"]), DONE)
                return redirect(url_for("admin_people.venues"), code=303)
            errors["venue-id"] = gettext("There is already a venue with this id")
    rows = store().list_venues(include_inactive=True)
    counts = {v["id"]: len(store().list_helpers(v["id"])) for v in rows}
    return render_template("admin/venues.html", rows=rows, counts=counts, errors=errors, values=values,
                           modes=VENUE_MODES), 400 if errors else 200


@bp.post("/venues/<venue_id>/<action>")
@helper_required(ADMIN)
def venue_action(venue_id: str, action: str):
    """Close a venue (its helpers are signed out, tablets there stop offering it) or reopen it."""
    venue = store().get_venue(venue_id)
    if action not in ("close", "reopen") or venue is None:
        abort(404)
    store().set_venue_active(venue_id, action == "reopen")
    audit_event("venue_closed" if action == "close" else "venue_reopened", venue_id=venue_id)
    if action == "close":
        flash(gettext("%(venue)s is closed. Helpers signed in there have been signed out.", venue=venue["name"]), DONE)
    else:
        flash(gettext("%(venue)s is open again. Its helpers can sign in there.", venue=venue["name"]), DONE)
    return redirect(url_for("admin_people.venues"), code=303)


# --- helpers ----------------------------------------------------------------------------------------


@bp.get("/helpers")
@helper_required(*STAFF)
def helpers():
    allowed = allowed_venues()
    rows = store().list_helpers(include_inactive=True)
    if allowed is not None:
        rows = [h for h in rows if set(h["venues"]) & set(allowed)]
    names = {v["id"]: v["name"] for v in store().list_venues(include_inactive=True)}
    waits = {helper_id: local_time(until) for helper_id, until in store().pin_waits(allowed).items()}
    return render_template("admin/helpers.html", rows=rows, venue_names=names, me=me(), is_admin=is_admin(),
                           waits=waits, done=request.args.get("done"), who=request.args.get("who"))


def _pin_errors(errors: dict) -> str | None:
    pin, again = request.form.get("pin", ""), request.form.get("pin-again", "")
    if not valid_pin(pin):
        errors["pin"] = gettext("Enter a PIN of 4 to 8 digits")
    elif pin != again:
        errors["pin-again"] = gettext("The two PINs are not the same: type the PIN again")
    return None if errors else pin


@bp.route("/helpers/new", methods=["GET", "POST"])
@helper_required(*STAFF)
def add_helper():
    venues = [v for v in visible_venues() if v["active"]]
    roles = ROLES if is_admin() else ("helper",)
    errors, values = {}, {"role": "helper", "venues": []}
    if request.method == "POST":
        values = {"name": " ".join((request.form.get("name") or "").split()),
                  "role": request.form.get("role") or "helper",
                  "venues": request.form.getlist("venues")}
        if not values["name"]:
            errors["name"] = gettext("Enter the helper’s name, as they will pick it when signing in")
        if values["role"] not in roles:
            errors["role"] = gettext("Select the helper’s role")
        if not values["venues"] or not set(values["venues"]) <= {v["id"] for v in venues}:
            errors["venues"] = gettext("Select at least one venue where they help")
        pin = _pin_errors(errors)
        if not errors:
            helper_id = store().add_helper(values["name"], pin, values["venues"], role=values["role"])
            audit_event("helper_added", detail=f"{helper_id} {values['role']}")
            return redirect(url_for("admin_people.helpers", done="added", who=helper_id), code=303)
    return render_template("admin/helper_new.html", venues=venues, roles=roles, errors=errors, values=values,
                           back_url=url_for("admin_people.helpers")), 400 if errors else 200


def _credentials_in_scope(helper_id: str) -> dict:
    """The helper, if this person may change how they sign in (reset their PIN, deactivate them): a
    venue lead only when the helper works at none but the lead's venues. Otherwise 403: the new PIN
    would sign in at a venue the lead does not lead."""
    helper = _helper_in_scope(helper_id)
    allowed = allowed_venues()
    if allowed is not None and not set(helper["venues"]) <= set(allowed):
        abort(make_response(render_template(
            "error.html", title=gettext("Only a council admin can do this"),
            body=gettext("%(name)s also helps at a venue you do not lead, so only a council admin can reset "
                         "their PIN or deactivate them.", name=helper["display_name"])), 403))
    return helper


@bp.route("/helpers/<helper_id>/reset-pin", methods=["GET", "POST"])
@helper_required(*STAFF)
def reset_pin(helper_id: str):
    helper = _credentials_in_scope(helper_id)
    errors: dict = {}
    if request.method == "POST":
        pin = _pin_errors(errors)
        if not errors:
            store().set_pin(helper_id, pin)
            audit_event("pin_reset", detail=helper_id)
            return redirect(url_for("admin_people.helpers", done="pin", who=helper_id), code=303)
    return render_template("admin/helper_pin.html", helper=helper, errors=errors,
                           back_url=url_for("admin_people.helpers")), 400 if errors else 200


@bp.post("/helpers/<helper_id>/sign-in-now")
@helper_required(*STAFF)
def end_wait(helper_id: str):
    """Let a helper who must wait after wrong PINs try their PIN again at once (a venue lead: at
    their own venues)."""
    _helper_in_scope(helper_id)
    store().clear_pin_wait(helper_id, allowed_venues())
    audit_event("pin_wait_cleared", detail=helper_id)
    return redirect(url_for("admin_people.helpers", done="wait", who=helper_id), code=303)


@bp.post("/helpers/<helper_id>/deactivate")
@helper_required(*STAFF)
def deactivate(helper_id: str):
    helper = _credentials_in_scope(helper_id)
    if helper["id"] == me()["id"]:
        abort(400)
    store().deactivate_helper(helper_id)
    audit_event("helper_deactivated", detail=helper_id)
    return redirect(url_for("admin_people.helpers", done="deactivated", who=helper_id), code=303)
