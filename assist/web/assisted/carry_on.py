"""Save and carry on later, and carry on with a saved form — at any venue, with or without a helper.

Saving gives a short code (like a reference: no easily confused characters, a check character)
and a second check chosen by the resident (date of birth by default, or postcode; the date of birth
is not asked again when the form already has it). The code is shown once, with the web address to
carry on at home (and printed on the carry-on slip); the server keeps only hashes of both.
"""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import format_date, gettext

from ...engine import Journey, make_reference
from ...engine.references import normalise_reference
from ..core import helper, resident
from ..core import session as browser_session
from ..core.app import config, forms, store
from ..core.device import device_mode, kiosk_venue
from ..core.helper import audit_event, helper_session
from ..core.redirects import safe_next
from ..core.times import now
from . import carry_on_bp as bp
from . import second_check


def _progress(form, answers: dict) -> tuple[int, int, str | None]:
    """How many questions are answered, of how many, and the heading of the page to carry on from."""
    route = Journey(form, answers)
    relevant = route.relevant_answers()
    asked = [q for q in form.questions() if q.type not in ("content",)]
    answered = sum(1 for q in asked if relevant.get(q.id) not in (None, "", []))
    for page in form.pages:
        if page.kind == "repeat" and relevant.get(page.id):
            answered += sum(1 for item in relevant[page.id] for q in page.questions if item.get(q.id) not in (None, "", []))
            answered -= sum(1 for q in page.questions if relevant.get(q.id) not in (None, "", []))
    incomplete = route.first_incomplete()
    return min(answered, len(asked)), len(asked), incomplete.heading if incomplete else None


# --- saving ----------------------------------------------------------------------------------


@bp.route("/save/<form_id>", methods=["GET", "POST"])
def save(form_id):
    """Save and carry on later: choose the second check, then get a code."""
    form = forms().get(form_id)
    if form is None:
        abort(404)
    journey = resident.current_journey(form)
    if journey is None or journey["status"] != "in_progress":
        return redirect(url_for("journey.start", form_id=form.id))
    current = helper_session()
    if current is not None and current["private"]:
        return redirect(url_for("assisted.unlock", next=request.full_path))
    errors: dict[str, str] = {}
    kind = request.form.get("check", "date_of_birth")
    # The resident's own date of birth, if the form has it, is the check: they are not asked it again.
    known = second_check.own_date_of_birth(form, journey["answers"])
    if request.method == "POST":
        if kind not in second_check.KINDS:
            errors["check"] = gettext("Select how you will prove it is you")
        elif kind == "date_of_birth" and known:
            value = known
        else:
            value, error = second_check.read(kind)
            if error:
                errors[second_check.field_of(kind)] = error
        if not errors:
            code = make_reference()
            expires = now() + timedelta(days=helper.resume_days())
            store().save_for_later(journey["id"], code, kind, value, expires)
            answered, total, reached = _progress(form, journey["answers"])
            session["saved"] = {"code": code, "form_id": form.id, "expires": expires.date().isoformat(),
                                "answered": answered, "total": total, "reached": reached, "check": kind,
                                "check_from_form": kind == "date_of_birth" and bool(known)}
            resident.finish_journey(form.id)
            # The draft now opens only with its code and second check: a copy of this cookie opens nothing.
            browser_session.rotate()
            audit_event("save", journey_id=journey["id"], detail=form.id)
            return redirect(url_for("carry_on.saved"))
    back = request.args.get("back")
    return render_template("assisted/save.html", form=form, errors=errors, kind=kind, days=helper.resume_days(),
                           dob_known=bool(known),
                           back_url=safe_next(back, url_for("journey.start", form_id=form.id))), (
        400 if errors else 200)


@bp.get("/saved")
def saved():
    """The code, shown once, with the address to carry on at home, "Print a carry-on slip" and "Finish"."""
    details = session.get("saved")
    if not details:
        return redirect(url_for("home.index"))
    form = forms().get(details["form_id"])
    printable = "printing.carry_on_slip" in current_app.view_functions
    return render_template("assisted/saved.html", form=form, details=details, printable=printable,
                           check_name=gettext(_check_name(details)), home_address=_home_address()[1],
                           expires_text=format_date(date.fromisoformat(details["expires"]), "d MMMM yyyy"))


@bp.post("/saved/done")
def saved_done():
    """Forget the code on this device (the draft stays on the server for the code)."""
    current = helper_session()
    if current is not None:
        helper.end_resident_session(current, event="clear")
        helper.rotate_session(helper_session=current["id"], cleared=True)
        return redirect(url_for("assisted.index"))
    helper.rotate_session()
    return redirect(url_for("home.index"))


def resume_lookup(code: str) -> dict | None:
    """For the carry-on slip (``/print/carry-on/<code>.pdf``): the saved form's details, only for the
    browser that has just saved it — a code typed into the address bar finds nothing.

    ``check`` names the second check (an English msgid), ``carry_on_address`` is the web address to
    type at home, ``resume_url`` the same with the code, for the QR code.
    """
    details = session.get("saved")
    if not details or normalise_reference(code or "") != details["code"]:
        return None
    url, address = _home_address()
    return {**details, "expires": date.fromisoformat(details["expires"]), "check": _check_name(details),
            "carry_on_address": address, "resume_url": f"{url}?{urlencode({'code': details['code']})}"}


def _check_name(details: dict) -> str:
    return second_check.name_of(details.get("check"), details.get("check_from_form", False))


def _home_address() -> tuple[str, str]:
    """The carry-on page's web address for a resident at home, and the same as they would type it.

    From ``council.forms_url`` if set (the tablet's own address may work only inside the venue),
    else the address this page was opened at. Typed without ``https://`` or the last ``/``: the
    browser adds the one, and the page answers without the other.
    """
    root = (config().council.forms_url or request.url_root).rstrip("/")
    url = root + url_for("carry_on.enter_code")[len(request.script_root):]
    typed = url[len("https://"):] if url.startswith("https://") else url
    return url, typed.rstrip("/")


# --- carrying on --------------------------------------------------------------------------------


@bp.route("/", methods=["GET", "POST"])
def enter_code():
    """Carry on with a saved form: enter the code from the slip."""
    current = helper_session()
    if current is not None and current["private"]:
        return redirect(url_for("assisted.unlock", next=request.full_path))
    error = None
    # A scanned carry-on slip opens this page with the code filled in (the code alone opens nothing).
    code = request.form.get("code", "") if request.method == "POST" else (request.args.get("code") or "")[:20]
    if request.method == "POST":
        normal = normalise_reference(code)
        if not code.strip():
            error = gettext("Enter the code from your carry-on slip")
        elif normal is None or len(normal) != 9:
            error = gettext("Check the code. It has 8 letters and numbers, like 7K4M-2QXT")
        else:
            info = store().resume_code_info(normal)
            if info is not None and info["locked"]:
                error = gettext("This code has been locked because the check was wrong too many times. "
                                "The saved answers have been deleted, so you need to start again.")
            elif info is None or info["expired"]:
                if info is not None:
                    store().expire_resume_codes()
                error = gettext("There is no saved form with this code, or it has expired. "
                                "Saved forms are deleted after %(days)s days.", days=helper.resume_days())
            else:
                session["resume"] = {"code": normal}
                return redirect(url_for("carry_on.check"))
    return render_template("assisted/enter_code.html", error=error, code=code,
                           errors={"code": error} if error else {}), 400 if error else 200


@bp.route("/check", methods=["GET", "POST"])
def check():
    """The second check: the date of birth (or postcode) given when the form was saved."""
    pending = session.get("resume")
    if not pending:
        return redirect(url_for("carry_on.enter_code"))
    info = store().resume_code_info(pending["code"])
    if info is None or info["expired"] or info["locked"]:
        session.pop("resume", None)
        return redirect(url_for("carry_on.enter_code"))
    kind, limit = info["check_kind"], helper.resume_attempts()
    left = max(limit - info["failed_attempts"], 1)  # a code with no tries left is locked, above
    errors: dict[str, str] = {}
    if request.method == "POST":
        value, error = second_check.read(kind)
        if error:
            errors[second_check.field_of(kind)] = error
        else:
            attempt = store().try_resume(pending["code"], value, limit)
            if attempt.outcome == "ok":
                return _carry_on(attempt.journey_id)
            if attempt.outcome == "wrong":
                audit_event("resume_failed", journey_id=info["journey_id"])
                errors[second_check.field_of(kind)] = " ".join((
                    gettext("That does not match what was given when the form was saved."),
                    second_check.tries_text(attempt.attempts_left, limit)))
                left = None  # the error says how many tries are left
            else:
                if attempt.just_locked:
                    audit_event("resume_locked", journey_id=info["journey_id"])
                elif attempt.outcome == "locked":  # refused unchecked: the code is (being) locked
                    audit_event("resume_failed", journey_id=info["journey_id"], detail="locked")
                session.pop("resume", None)
                return render_template("assisted/resume_locked.html"), 403
    return render_template("assisted/check.html", kind=kind, errors=errors,
                           tries=second_check.tries_text(left, limit) if left else None), 400 if errors else 200


def _carry_on(journey_id: str):
    """Attach the saved journey to this device (a fresh session) and go to where it stopped."""
    journey = store().get_journey(journey_id)
    form = forms().get(journey["form_id"])
    if form is None:
        abort(404)
    current = helper_session()
    if current is not None:
        helper.end_resident_session(current, event="clear")
        helper.rotate_session(helper_session=current["id"])
        store().assign_journey(journey_id, "assisted", current["venue_id"], current["helper_id"], reset_consent=True)
        store().set_session_resident(current["id"], journey_id)
    else:
        venue = kiosk_venue() if device_mode() == "kiosk" else None
        helper.rotate_session()
        store().assign_journey(journey_id, "kiosk" if venue else "online", venue["id"] if venue else None, None)
    session["journeys"] = {form.id: journey_id}
    audit_event("resume", journey_id=journey_id, detail=form.id)
    if current is not None:
        # A new helper session with this resident: who it is for, and consent, again.
        return redirect(url_for("assisted.who"))
    journey = store().get_journey(journey_id)
    target = Journey(form, journey["answers"]).first_incomplete()
    if target is None:
        return redirect(url_for("journey.check_answers", form_id=form.id))
    return redirect(url_for("journey.page", form_id=form.id, page_id=target.id))
