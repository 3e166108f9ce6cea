"""A page of questions as the resident sees it.

A page showing nothing but text a resident typed (or nothing at all) is the same for everyone
once the answers are stand-ins, so it is served from the page cache; a page with errors, a ticked
choice or a helper's view is rendered afresh.
"""

from __future__ import annotations

from flask import render_template, request

from ..core import page_cache
from ..core.csrf import csrf_token
from ..core.errors import not_saved
from ..core.language import current_language
from ..core.page_forms import build_page_form, page_form_class, shown_as_text, stored_raw


def show_question_page(form, page, stored: dict, back: str, item_number: int | None = None, route=None):
    """GET of ``page`` holding the ``stored`` answers: from the page cache when it may be shared,
    else rendered. ``route`` is the :class:`Journey` of the answers (for the helper's progress line)."""
    typed = stored_raw(page.questions, stored)
    key = _shared_page_key(back, typed) if shown_as_text(page.questions, typed) else None
    if key is None:
        page_form = build_page_form((form.id, form.version, page.id), page.questions, stored)
        return render_question_page(form, page, page_form, {}, back, item_number, route)

    def context(stand_ins: dict) -> dict:
        page_form = page_form_class((form.id, form.version, page.id), page.questions)(formdata=None, data=stand_ins)
        return _context(form, page, page_form, {}, back, item_number, route)

    return page_cache.shared_page(key, "journey/question.html", context, typed)


def render_question_page(form, page, page_form, errors: dict, back: str, item_number: int | None = None,
                         route=None):
    """Render ``page`` with ``page_form`` (what was just posted, or the stored answers) and the error
    summary when ``errors`` (status 400)."""
    context = _context(form, page, page_form, errors, back, item_number, route)
    return render_template("journey/question.html", **context, csrf_value=csrf_token()), 400 if errors else 200


def render_not_saved(form, page, page_form, back: str, item_number: int | None = None, route=None):
    """``page`` again holding ``page_form`` (exactly what was posted) and saying plainly that it was
    not saved, as a 503 with ``Retry-After``: the database could not be written."""
    context = _context(form, page, page_form, {}, back, item_number, route)
    return not_saved(render_template("journey/question.html", **context, csrf_value=csrf_token(), not_saved=True))


def _context(form, page, page_form, errors: dict, back: str, item_number: int | None, route) -> dict:
    return {"form": form, "page": page, "page_form": page_form, "errors": errors, "back_url": back,
            "item_number": item_number, "route": route}


def _shared_page_key(back: str, typed: dict) -> tuple | None:
    """The page cache key of this request's question page holding ``typed`` (raw inputs by field
    name, shown as text), or ``None`` when pages may not be shared here. The key says which inputs
    hold something, never what."""
    if request.method != "GET" or not page_cache.page_cache_allowed():
        return None
    filled = tuple(sorted(name for name, value in typed.items() if value))
    return ("question", request.full_path, current_language(), back, filled)
