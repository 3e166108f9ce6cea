"""The resident's journey through a form: start, one page at a time, check answers, submit."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for

from ..engine import Journey, make_reference
from . import fragments, resident
from .language import current_language
from .answers import check_answer_sections, reference_prefix
from .page_forms import build_page_form, parse_page, posted_raw, shown_as_text, stored_raw
from .session_cookie import csrf_token

bp = Blueprint("journey", __name__, url_prefix="/forms")
#: URL words that are not page ids.
RESERVED = {"start", "check-answers", "confirmation", "cannot-continue"}


def _store():
    from . import store

    return store()


def get_form(form_id: str):
    """The form ``form_id`` or 404."""
    form = current_app.extensions["assist.forms"].get(form_id)
    if form is None:
        abort(404)
    return form


def _active_journey(form):
    journey = resident.current_journey(form)
    if journey is None or journey["status"] != resident.ACTIVE:
        return None
    return journey


def form_url(endpoint: str, form_id: str, **values) -> str:
    """``url_for(endpoint, form_id=form_id, **values)``, worked out once per app and script root:
    these URLs are made of form and page ids, the same for everyone."""
    key = (request.script_root, endpoint, form_id, *sorted(values.items()))
    urls = current_app.extensions.setdefault("assist.form_urls", {})
    url = urls.get(key)
    if url is None:
        url = urls[key] = url_for(endpoint, form_id=form_id, **values)
    return url


def page_url(form, page, change: bool = False) -> str:
    """Where ``page`` of ``form`` is asked."""
    return form_url("journey.page", form.id, page_id=page.id, change=1 if change else None)


def url_for_step(form, step, change: bool = False) -> str:
    """The URL of a routing step from :meth:`Journey.next_after`."""
    kind, target = step
    if kind == "page":
        return page_url(form, target, change)
    if kind == "exit":
        return form_url("journey.cannot_continue", form.id, exit_id=target.id)
    return form_url("journey.check_answers", form.id)


def continue_url(form, journey_answers: dict, page_id: str, change: bool, before: Journey | None = None) -> str:
    """Where to go after answering ``page_id``: back to check answers after a change if nothing is missing.

    ``before``: the route for the answers as they were before ``page_id``'s changed; it still holds
    up to ``page_id``, so going on needs no new walk through the whole form (unless ``change``).
    """
    if before is not None and not change:
        return url_for_step(form, before.next_after(page_id, journey_answers))
    route = Journey(form, journey_answers)
    step = route.next_after(page_id)
    if change and step[0] != "exit" and route.is_complete():
        return form_url("journey.check_answers", form.id)
    return url_for_step(form, step, change)


def back_url(form, answers: dict, page_id: str, change: bool, route: Journey | None = None) -> str:
    """The back link: check answers when changing, else the previous page on the path taken
    (``route``, when given, is the :class:`Journey` already worked out for ``answers``)."""
    if change:
        return form_url("journey.check_answers", form.id)
    previous = (route or Journey(form, answers)).previous_before(page_id)
    if previous is None:
        return form_url("journey.start", form.id)
    return page_url(form, previous)


def guard_page(form, journey, page_id: str):
    """Return ``(page, None)``, or ``(None, redirect)`` when the page is not on the resident's path."""
    page, _route, response = guard_route(form, journey, page_id)
    return page, response


def guard_route(form, journey, page_id: str):
    """Like :func:`guard_page`, also returning the :class:`Journey` for the stored answers."""
    if journey is None:
        return None, None, redirect(url_for("journey.start", form_id=form.id))
    try:
        page = form.page(page_id)
    except KeyError:
        abort(404)
    route = Journey(form, journey["answers"])
    if page not in route.path():
        target = route.first_incomplete()
        if target is None:
            return None, None, redirect(url_for("journey.check_answers", form_id=form.id))
        return None, None, redirect(page_url(form, target))
    return page, route, None


@bp.get("/<form_id>/")
def start(form_id):
    """A form's start page: what it is for, what to bring, and Start."""
    form = get_form(form_id)
    journey = _active_journey(form)
    timed_out = session.pop("timed_out", False)
    return render_template("start.html", form=form, in_progress=journey is not None, timed_out=timed_out)


@bp.post("/<form_id>/start")
def begin(form_id):
    """Start a journey (or carry on with the one in progress) and go to its next page."""
    form = get_form(form_id)
    journey = _active_journey(form)
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
    journey = _active_journey(form)
    page, route, response = guard_route(form, journey, page_id)
    if response:
        return response
    if page.kind == "repeat":
        from .repeats import summary

        return summary(form, journey, page)
    change = request.args.get("change") == "1"
    answers = journey["answers"]
    back = None
    if request.method == "GET":
        resident.note_page(journey, page.id)
        back = back_url(form, answers, page.id, change, route)
        typed = stored_raw(page.questions, answers)
        key = shared_page_key(back, typed) if shown_as_text(page.questions, typed) else None
        shared = key and fragments.cached_page_only(key, csrf_token, typed)
        if shared:  # already rendered with stand-ins for what is typed: no form to build
            return shared
    errors = {}
    if request.method == "POST":
        values, errors = parse_page(page.questions, posted_raw(page.questions, request.form))
        if not errors:
            answers = {**answers, **values}
            # The answers and who typed them, in one durable write.
            _store().save_answers(journey["id"], answers, last_page=page.id,
                                  typed_by=resident.typed_by(journey, page.questions))
            return redirect(continue_url(form, answers, page.id, change, before=route))
    # The form shows what was just typed (with its errors), else the stored answers.
    page_form = build_page_form(
        (form.id, form.version, page.id),
        page.questions,
        answers,
        formdata=request.form if request.method == "POST" else None,
    )
    back = back or back_url(form, answers, page.id, change, route)
    return render_question_page(form, page, page_form, errors, back)


def render_question_page(form, page, page_form, errors: dict, back: str, item_number: int | None = None):
    """Render a page of questions, with the error summary when ``errors``.

    A page nobody has typed into is the same for every resident, so it comes from the page cache.
    """
    context = {"form": form, "page": page, "page_form": page_form, "errors": errors,
               "back_url": back, "item_number": item_number}
    token = csrf_token()
    typed = page_form.raw()
    key = None if errors or not shown_as_text(page.questions, typed) else shared_page_key(back, typed)
    if key:
        context["page_form"] = page_form.with_data(fragments.answer_stand_ins(typed))
        return fragments.cached_page(key, "question.html", context, csrf=token, typed=typed)
    return render_template("question.html", **context, csrf_value=token), 400 if errors else 200


def shared_page_key(back: str, typed: dict) -> tuple | None:
    """The page cache key of this request's question page holding ``typed`` (raw inputs by field
    name, shown as text), or ``None`` when it must be rendered afresh (not a GET, or pages may not be
    shared here). The key says which inputs hold something, never what."""
    if request.method != "GET" or not fragments.page_cache_allowed():
        return None
    filled = tuple(sorted(name for name, value in typed.items() if value))
    return ("question", request.full_path, current_language(), back, filled)


@bp.get("/<form_id>/check-answers")
def check_answers(form_id):
    """Check your answers, with Change links, the declaration and Submit."""
    form = get_form(form_id)
    journey = _active_journey(form)
    if journey is None:
        return redirect(url_for("journey.start", form_id=form.id))
    route = Journey(form, journey["answers"])
    missing = route.first_incomplete()
    if missing is not None:
        return redirect(page_url(form, missing))
    resident.note_page(journey, "check-answers")
    return render_template("check_answers.html", form=form, sections=check_answer_sections(form, route))


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
        reference = _store().submit(journey["id"], lambda: make_reference(prefix), route.relevant_answers())
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
    return render_template("confirmation.html", form=form, reference=done["reference"])


@bp.get("/<form_id>/cannot-continue/<exit_id>")
def cannot_continue(form_id, exit_id):
    """An exit page: why the resident cannot use this form, and what to do instead."""
    form = get_form(form_id)
    exit_page = form.exits.get(exit_id)
    if exit_page is None:
        abort(404)
    journey = _active_journey(form)
    back = url_for("journey.start", form_id=form.id)
    if journey is not None:
        # Keep the draft so the resident can go back and change the answer that led here.
        if journey["last_page"] in {p.id for p in form.pages}:
            back = page_url(form, form.page(journey["last_page"]))
        _store().mark_exited(journey["id"], exit_id)
    return render_template("exit.html", form=form, exit=exit_page, back_url=back)
