"""Where each step of a journey goes: page URLs, the next page after an answer, the back link,
and the guard that keeps a resident on the path their answers take."""

from __future__ import annotations

from flask import abort, current_app, redirect, request, url_for

from ...engine import Journey
from ..core import resident
from ..core.answers import answer_anchor


def active_journey(form) -> dict | None:
    """This browser's journey on ``form`` while it is in progress, else ``None``."""
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
        return changed_row_url(form, page_id)
    return url_for_step(form, step, change)


def changed_row_url(form, page_id: str) -> str:
    """Check answers, opened at the row of the page just changed."""
    return form_url("journey.check_answers", form.id) + "#" + answer_anchor(page_id)


def back_url(form, answers: dict, page_id: str, change: bool, route: Journey | None = None) -> str:
    """The back link: check answers when changing, else the previous page on the path taken
    (``route``, when given, is the :class:`Journey` already worked out for ``answers``)."""
    if change:
        return form_url("journey.check_answers", form.id)
    previous = (route or Journey(form, answers)).previous_before(page_id)
    if previous is None:
        return form_url("journey.start", form.id)
    return page_url(form, previous)


def guard_route(form, journey, page_id: str):
    """``(page, route, None)``, with the :class:`Journey` for the stored answers; or
    ``(None, None, redirect)`` when the page is not on the resident's path (404 if no such page)."""
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
