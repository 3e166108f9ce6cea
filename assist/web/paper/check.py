"""Check the keyed answers, then Send: every answer on the paper's route with a Change link back to
its section, the answers to questions the paper told the resident to skip (dropped, or kept as
separate data), the signed declaration, and the submission into the same pipeline as screen forms."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext

from ...engine import Journey, make_reference
from ...storage import StorageUnwritable
from ...storage.paper import DuplicatePaper
from ..core.answers import LTR_TYPES, TYPED_TYPES, display, reference_prefix
from ..core.app import store
from ..core.csrf import csrf_token
from ..core.errors import not_saved
from ..core.helper import audit_event, helper_required, helper_session
from . import bp
from .draft import DROP, KEEP, drop_draft, load_draft, save_draft
from .evidence import sending_journey
from .reference import duplicate_page, open_copy
from .steps import (COMPLETED, NOT_NEEDED, PROBLEM, SKIPPED_BUT_ANSWERED, exit_message, form_steps, inputs_of,
                    outside_route, parse_keyed, relevant_answers, step_label, step_state)

SIGNED = "paper-signed"
OUTSIDE = "outside-route"


def _row(question, value, href: str) -> dict:
    label = gettext(question.label)
    empty = value in (None, "", [])
    return {"key": label, "value": display(question, value), "href": href, "hidden": label.rstrip("?").lower(),
            "dir": None if empty else "ltr" if question.type in LTR_TYPES else "auto" if question.type in TYPED_TYPES
            else None}


def _groups(copy, step, answers: dict, only_typed: bool) -> dict:
    """``step``'s answers as summary-list rows (and item cards for a repeating group), each linking
    back to the section (to come back here after Continue)."""
    href = copy.url("paper.section", step=step.number, check=1)
    group = {"title": gettext(step.title), "label": step_label(step), "rows": [], "items": [], "repeat": None}
    for page in step.pages:
        if page.is_repeat:
            group["repeat"] = page
            if page.id not in answers:
                continue
            name = gettext(page.item_name or "item")
            for n, item in enumerate(answers[page.id] or [], start=1):
                title = f"{name[:1].upper()}{name[1:]} {n}"
                group["items"].append({"title": title, "change_href": f"{href}#{page.id}-{n}",
                                       "rows": [_row(q, item.get(q.id), href) for q in inputs_of(page)]})
            continue
        for question in inputs_of(page):
            if question.id in answers and not (only_typed and answers[question.id] is None):
                group["rows"].append(_row(question, answers[question.id], f"{href}#{question.field_names[0]}"))
    return group


def _problems(copy, steps, states, keyed) -> list[dict]:
    """What stops these answers being sent, for the error summary: each section still to finish or
    correct, and an exit the answers lead to."""
    found = []
    if keyed.exit is not None:
        last = keyed.route[-1]
        step = next(s for s in steps if last in s.pages)
        found.append({"text": exit_message(copy.form, last.questions[0], keyed.exit),
                      "href": copy.url("paper.section", step=step.number, check=1)})
    for step, state in zip(steps, states):
        if state not in (COMPLETED, NOT_NEEDED, SKIPPED_BUT_ANSWERED):
            text = gettext("Finish keying in ‘%(section)s’ (%(questions)s)", section=gettext(step.title),
                           questions=step_label(step)) if state != PROBLEM else \
                gettext("Correct the answers in ‘%(section)s’ (%(questions)s)", section=gettext(step.title),
                        questions=step_label(step))
            found.append({"text": text, "href": copy.url("paper.section", step=step.number, check=1)})
    return found


@bp.route("/<paper_ref>/<number>/check", methods=["GET", "POST"])
@helper_required()
def check(paper_ref: str, number: str):
    """Check the answers before sending them; Send makes the submission."""
    copy, refused = open_copy(paper_ref, number)
    if refused:
        return refused
    form = copy.form
    draft = load_draft(copy.paper_ref, copy.number)
    keyed = parse_keyed(form, draft["raw"], draft["slots"])
    steps = form_steps(form)
    states = [step_state(form, step, keyed, set(draft["visited"])) for step in steps]
    answers, outside = relevant_answers(keyed), outside_route(form, keyed)
    problems = _problems(copy, steps, states, keyed)
    errors: dict[str, str] = {}
    summary: list[dict] = []
    not_sent = False
    if request.method == "POST":
        draft["signed"] = request.form.get(SIGNED) == "yes"
        draft["outside"] = KEEP if request.form.get(OUTSIDE) == KEEP else DROP
        save_draft(draft)
        if not draft["signed"]:
            errors[SIGNED] = gettext("Select if the resident signed and dated the declaration on the paper form")
        summary = problems + [{"text": message, "href": "#" + name} for name, message in errors.items()]
        if not summary and not Journey(form, answers).is_complete():
            summary.append({"text": gettext("Some answers are missing: check every question the paper form "
                                            "asks, in order"), "href": copy.url("paper.keying")})
        if not summary:
            try:
                return _send(copy, answers, outside if draft["outside"] == KEEP else None, bool(outside),
                             sending_journey(draft))
            except StorageUnwritable:  # not sent: this page again, to send once it can be saved
                not_sent = True
    on_route = [_groups(copy, step, answers, False) for step, state in zip(steps, states) if state == COMPLETED]
    skipped = [group for group in (_groups(copy, step, outside, True) for step in steps)
               if group["rows"] or group["items"]]
    page = render_template("paper/check.html", copy=copy, form=form, groups=on_route, skipped=skipped,
                           problems=problems, summary=summary, errors=errors, signed=draft["signed"],
                           outside=draft["outside"], csrf_value=csrf_token(), not_saved=not_sent)
    return not_saved(page) if not_sent else (page, 400 if summary else 200)


def _send(copy, answers: dict, kept: dict | None, any_outside: bool, journey_id: str | None):
    """Make the submission (and its outbox rows) in one transaction; the 409 page for a duplicate."""
    current = helper_session()
    try:
        reference = store().submit_paper(
            form_id=copy.form.id, form_version=copy.form.version, language=copy.language,
            paper_reference=copy.paper_ref, paper_number=copy.number, answers=answers, outside_route=kept,
            reference_factory=lambda: make_reference(reference_prefix(copy.form)),
            venue_id=current["venue_id"], helper_id=current["helper_id"], journey_id=journey_id)
    except DuplicatePaper as duplicate:
        return duplicate_page(copy.form, copy.paper_ref, copy.number, duplicate)
    drop_draft()
    audit_event("paper_keyed", detail=f"{copy.form.id} {copy.paper_ref} {copy.number} {reference}")
    outside = ("kept" if kept else "dropped") if any_outside else None
    return redirect(url_for("paper.submission", reference=reference, sent=1, outside=outside))
