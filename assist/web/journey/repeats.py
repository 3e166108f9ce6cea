"""Repeating groups ("add another"): a summary of the items added, one page per item, and removal."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext

from ...engine import Journey
from ...storage import StorageUnwritable
from ..core import resident
from ..core.answers import item_label, item_rows
from ..core.app import get_form, store
from ..core.page_forms import build_page_form, rule_errors
from . import bp
from .navigation import active_journey, back_url, changed_row_url, continue_url, guard_route
from .question_page import render_not_saved, render_question_page, show_question_page


def _items(journey, page) -> list[dict]:
    return list(journey["answers"].get(page.id) or [])


def item_url(form, page, number: int, change: bool = False) -> str:
    """Where item ``number`` (1-based) of a repeating group is asked."""
    return url_for("journey.repeat_item", form_id=form.id, page_id=page.id, number=number, change=1 if change else None)


def summary(form, journey, page):
    """The list of items added so far, and "Do you need to add another?"."""
    items = _items(journey, page)
    change = request.args.get("change") == "1"
    if not items and page.min >= 1:
        return redirect(item_url(form, page, 1, change))
    error = None
    if request.method == "POST":
        choice = request.form.get("add-another")
        if len(items) >= page.max:
            choice = "no"
        if choice == "yes":
            return redirect(item_url(form, page, len(items) + 1, change))
        if choice == "no":
            store().save_answers(journey["id"], {**journey["answers"], page.id: items}, last_page=page.id)
            return redirect(continue_url(form, {**journey["answers"], page.id: items}, page.id, change))
        error = gettext("Select yes if you need to add another %(item)s", item=gettext(page.item_name))
    rows = [item_rows(form, page, index, item) for index, item in enumerate(items)]
    return (
        render_template(
            "journey/repeat_summary.html",
            form=form,
            page=page,
            items=rows,
            can_add=len(items) < page.max,
            error=error,
            back_url=back_url(form, journey["answers"], page.id, change),
        ),
        400 if error else 200,
    )


@bp.route("/<form_id>/<page_id>/<int:number>", methods=["GET", "POST"])
def repeat_item(form_id, page_id, number):
    """Ask the questions of one item of a repeating group."""
    form = get_form(form_id)
    journey = active_journey(form)
    page, route, response = guard_route(form, journey, page_id)
    if response:
        return response
    items = _items(journey, page)
    if page.kind != "repeat" or number < 1 or number > min(len(items) + 1, page.max):
        abort(404)
    change = request.args.get("change") == "1"
    stored = items[number - 1] if number <= len(items) else {}
    back = url_for("journey.page", form_id=form.id, page_id=page.id) if items else back_url(
        form, journey["answers"], page.id, change
    )
    if request.method == "GET":
        return show_question_page(form, page, stored, back, item_number=number, route=route)
    page_form = build_page_form((form.id, form.version, page.id), page.questions, None, formdata=request.form)
    values, errors = page_form.answers()
    errors = rule_errors(form, page, values, route.answers_before(page.id), errors)
    if not errors:
        items = items[: number - 1] + [values] + items[number:]
        answers = {**journey["answers"], page.id: items}
        # The answers and who typed them, in one durable write.
        try:
            store().save_answers(journey["id"], answers, last_page=page.id,
                                 typed_by=resident.typed_by(journey, page.questions))
        except StorageUnwritable:  # nothing saved: the item again, holding what was typed
            return render_not_saved(form, page, page_form, back, item_number=number, route=route)
        if change and Journey(form, answers).is_complete():
            return redirect(changed_row_url(form, page.id))
        return redirect(url_for("journey.page", form_id=form.id, page_id=page.id, change=1 if change else None))
    return render_question_page(form, page, page_form, errors, back, item_number=number, route=route)


@bp.route("/<form_id>/<page_id>/<int:number>/remove", methods=["GET", "POST"])
def repeat_remove(form_id, page_id, number):
    """Confirm, then remove one item of a repeating group."""
    form = get_form(form_id)
    journey = active_journey(form)
    page, _route, response = guard_route(form, journey, page_id)
    if response:
        return response
    items = _items(journey, page)
    if page.kind != "repeat" or not 1 <= number <= len(items):
        abort(404)
    summary_url = url_for("journey.page", form_id=form.id, page_id=page.id)
    error = None
    if request.method == "POST":
        choice = request.form.get("remove")
        if choice in ("yes", "no"):
            if choice == "yes":
                items = items[: number - 1] + items[number:]
                store().save_answers(journey["id"], {**journey["answers"], page.id: items}, last_page=page.id)
            return redirect(summary_url)
        error = gettext("Select yes if you want to remove this %(item)s", item=gettext(page.item_name))
    return (
        render_template(
            "journey/repeat_remove.html",
            form=form,
            page=page,
            number=number,
            name=item_label(page, items[number - 1]),
            rows=item_rows(form, page, number - 1, items[number - 1])["rows"],
            error=error,
            back_url=summary_url,
        ),
        400 if error else 200,
    )
