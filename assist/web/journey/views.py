"""The journey's own pages: start, a page of questions, check answers, submit, confirmation, exits."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, session, url_for

from ...engine import Journey, make_reference, stamp_signatures
from ...storage import StorageUnwritable
from ...storage.database import iso_utc
from ..core import resident
from ..core.answers import check_answer_sections, reference_prefix
from ..core.app import get_form, store
from ..core.errors import not_saved
from ..core.evidence import named_file_ids
from ..core.language import current_language
from ..core.page_forms import build_page_form, parse_page, posted_raw, rule_errors
from . import bp, evidence, repeats
from .navigation import active_journey, back_url, continue_url, guard_route, page_url
from .question_page import render_not_saved, render_question_page, show_question_page


@bp.get("/<form_id>/")
def start(form_id):
    """A form's start page: what it is for, what to bring, and Start."""
    form = get_form(form_id)
    journey = active_journey(form)
    timed_out = session.pop("timed_out", False)
    return render_template("journey/start.html", form=form, in_progress=journey is not None, timed_out=timed_out)


@bp.post("/<form_id>/start")
def begin(form_id):
    """Start a journey (or carry on with the one in progress) and go to its next page."""
    form = get_form(form_id)
    journey = active_journey(form)
    if journey is None:
        journey = resident.start_journey(form, current_language())
        return redirect(page_url(form, Journey(form, {}).first_page()))
    target = Journey(form, journey["answers"]).first_incomplete()
    if target is None:
        return redirect(url_for("journey.check_answers", form_id=form.id))
    return redirect(page_url(form, target))


@bp.route("/<form_id>/<page_id>", methods=["GET", "POST"])
def page(form_id, page_id):
    """One page of questions (or a repeating group's summary)."""
    form = get_form(form_id)
    journey = active_journey(form)
    page, route, response = guard_route(form, journey, page_id)
    if response:
        return response
    if page.kind == "repeat":
        return repeats.summary(form, journey, page)
    change = request.args.get("change") == "1"
    if request.method == "GET":
        resident.note_page(journey, page.id)
        back = back_url(form, journey["answers"], page.id, change, route)
        refused = evidence.refused_upload_errors(page) if evidence.takes_files(page) else None
        if refused:
            page_form = build_page_form((form.id, form.version, page.id), page.questions, journey["answers"])
            return render_question_page(form, page, page_form, refused, back, route=route)
        return show_question_page(form, page, journey["answers"], back, route=route)
    if evidence.takes_files(page):
        return evidence.post_file_page(form, journey, page, route, change)
    values, errors = parse_page(page.questions, posted_raw(page.questions, request.form))
    errors = rule_errors(form, page, values, route.answers_before(page.id), errors)
    if not errors:
        values = stamp_signatures(page.questions, values, journey["answers"], at=iso_utc(store().now()),
                                  by=resident.typist(journey))
        answers = {**journey["answers"], **values}
        # The answers and who typed them, in one durable write.
        try:
            store().save_answers(journey["id"], answers, last_page=page.id,
                                 typed_by=resident.typed_by(journey, page.questions))
        except StorageUnwritable:  # nothing saved: the page again, holding what was typed
            page_form = build_page_form((form.id, form.version, page.id), page.questions, None,
                                        formdata=request.form)
            back = back_url(form, journey["answers"], page.id, change, route)
            return render_not_saved(form, page, page_form, back, route=route)
        return redirect(continue_url(form, answers, page.id, change, before=route))
    # The page again with what was just typed and its errors.
    page_form = build_page_form((form.id, form.version, page.id), page.questions, None, formdata=request.form)
    back = back_url(form, journey["answers"], page.id, change, route)
    return render_question_page(form, page, page_form, errors, back, route=route)


@bp.get("/<form_id>/check-answers")
def check_answers(form_id):
    """Check your answers, with Change links, the declaration and Submit."""
    form = get_form(form_id)
    journey = active_journey(form)
    if journey is None:
        return redirect(url_for("journey.start", form_id=form.id))
    route = Journey(form, journey["answers"])
    missing = route.first_incomplete()
    if missing is not None:
        return redirect(page_url(form, missing))
    resident.note_page(journey, "check-answers")
    return render_template("journey/check_answers.html", form=form, sections=check_answer_sections(form, route))


@bp.post("/<form_id>/check-answers")
def submit(form_id):
    """Submit the answers: exactly once, however many times Submit is pressed."""
    form = get_form(form_id)
    journey = resident.current_journey(form)
    if journey is None:
        return redirect(url_for("journey.start", form_id=form.id))
    if journey["status"] == resident.ACTIVE:
        route = Journey(form, journey["answers"])
        missing = route.first_incomplete()
        if missing is not None:
            return redirect(page_url(form, missing))
        prefix = reference_prefix(form)
        answers = route.relevant_answers()
        # Files given on pages the answers now skip are not sent, so they are not kept either.
        try:
            store().keep_only_evidence(journey["id"], named_file_ids(form, answers))
            reference = store().submit(journey["id"], lambda: make_reference(prefix), answers)
        except StorageUnwritable:  # not sent: check your answers again, to send once it can be saved
            return not_saved(render_template("journey/check_answers.html", form=form,
                                             sections=check_answer_sections(form, route), not_saved=True))
        resident.submitted(journey, reference)
    else:
        reference = journey["submission_reference"]
    session["confirmation"] = {"form_id": form.id, "reference": reference}
    resident.finish_journey(form.id)
    return redirect(url_for("journey.confirmation", form_id=form.id))


@bp.get("/<form_id>/confirmation")
def confirmation(form_id):
    """The confirmation panel with the reference and what happens next."""
    form = get_form(form_id)
    done = session.get("confirmation")
    if not done or done.get("form_id") != form.id:
        return redirect(url_for("journey.start", form_id=form.id))
    return render_template("journey/confirmation.html", form=form, reference=done["reference"])


@bp.get("/<form_id>/cannot-continue/<exit_id>")
def cannot_continue(form_id, exit_id):
    """An exit page: why the resident cannot use this form, and what to do instead."""
    form = get_form(form_id)
    exit_page = form.exits.get(exit_id)
    if exit_page is None:
        abort(404)
    journey = active_journey(form)
    back = url_for("journey.start", form_id=form.id)
    if journey is not None:
        # Keep the draft so the resident can go back and change the answer that led here.
        if journey["last_page"] in {p.id for p in form.pages}:
            back = page_url(form, form.page(journey["last_page"]))
        store().mark_exited(journey["id"], exit_id)
    return render_template("journey/exit.html", form=form, exit=exit_page, back_url=back)
