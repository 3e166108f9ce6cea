"""Keying in a paper copy, a section at a time: the list of sections with their state, and one
section's page (Continue, Back, "Add another" for a repeating group's slots)."""

from __future__ import annotations

from flask import abort, redirect, render_template, request

from ..core.csrf import csrf_token
from ..core.helper import helper_required
from ..core.page_forms import page_form_class
from . import bp, evidence
from .draft import load_draft, save_draft
from .reference import open_copy
from .steps import (COMPLETED, NOT_NEEDED, form_steps, is_on_route, page_notes, parse_keyed, printed_slots,
                    slot_limit, slot_questions, step_errors, step_label, step_questions, step_state)


@bp.get("/<paper_ref>/<number>")
@helper_required()
def keying(paper_ref: str, number: str):
    """The sections of the paper form, in order, each with its state, and where to carry on."""
    copy, refused = open_copy(paper_ref, number)
    if refused:
        return refused
    draft = load_draft(copy.paper_ref, copy.number)
    keyed = parse_keyed(copy.form, draft["raw"], draft["slots"])
    steps = form_steps(copy.form)
    visited = set(draft["visited"])
    states = [step_state(copy.form, step, keyed, visited) for step in steps]
    carry_on = next((step for step, state in zip(steps, states) if state not in (COMPLETED, NOT_NEEDED)
                     and (is_on_route(step, keyed) or step.number in visited)), None)
    return render_template("paper/keying.html", copy=copy, form=copy.form, steps=steps, states=states,
                           labels=[step_label(step) for step in steps], started=bool(visited),
                           carry_on=carry_on)


def _next_url(copy, steps, keyed, step, check: bool) -> str:
    """After ``step``: the check page when changing from it, else the next section the paper's
    instructions lead to (the check page after the last)."""
    if not check:
        for later in steps[step.number:]:
            if is_on_route(later, keyed):
                return copy.url("paper.section", step=later.number)
    return copy.url("paper.check")


def _back_url(copy, steps, keyed, step, check: bool) -> str:
    if check:
        return copy.url("paper.check")
    for earlier in reversed(steps[:step.number - 1]):
        if is_on_route(earlier, keyed):
            return copy.url("paper.section", step=earlier.number)
    return copy.url("paper.keying")


@bp.route("/<paper_ref>/<number>/sections/<int:step>", methods=["GET", "POST"])
@helper_required()
def section(paper_ref: str, number: str, step: int):
    """One section of the paper form: its questions (a repeating group's slots) in the data-entry
    layout. Continue checks them and goes on; what was typed is kept, errors or not."""
    copy, refused = open_copy(paper_ref, number)
    if refused:
        return refused
    steps = form_steps(copy.form)
    if not 1 <= step <= len(steps):
        abort(404)
    current = steps[step - 1]
    check = request.args.get("check") == "1"
    draft = load_draft(copy.paper_ref, copy.number)
    questions = step_questions(current, draft["slots"])
    key = ("paper", copy.form.id, copy.form.version, step, len(questions))
    errors, summary = {}, []
    if request.method == "POST":
        upload_errors = evidence.keep_files(copy, draft, questions)
        files = evidence.kept_files(draft, questions)
        posted = page_form_class(key, questions)(formdata=request.form)
        for question in questions:
            for name in question.field_names:
                draft["raw"].pop(name, None)
        draft["raw"].update({name: value for name, value in posted.raw().items() if value and name not in files})
        draft["raw"].update(files)
        if step not in draft["visited"]:
            draft["visited"].append(step)
        action = request.form.get("action", "continue")
        if request.form.get("remove") or (action == "upload" and not upload_errors):
            save_draft(draft)
            return redirect(copy.url("paper.section", step=step, check=1 if check else None), code=303)
        page = current.repeat
        if page is not None and action == f"add:{page.id}":
            slots = draft["slots"].get(page.id, printed_slots(page))
            draft["slots"][page.id] = min(slots + 1, slot_limit(page))
            save_draft(draft)
            target = copy.url("paper.section", step=step, check=1 if check else None)
            return redirect(f"{target}#{page.id}-{draft['slots'][page.id]}")
        save_draft(draft)
        keyed = parse_keyed(copy.form, draft["raw"], draft["slots"])
        errors, summary = step_errors(copy.form, current, keyed)
        errors.update(upload_errors)
        summary += [{"text": message, "href": "#" + name} for name, message in upload_errors.items()]
        if not summary:
            return redirect(_next_url(copy, steps, keyed, current, check))
    else:
        keyed = parse_keyed(copy.form, draft["raw"], draft["slots"])
    page_form = page_form_class(key, questions)(
        formdata=None, data={name: draft["raw"].get(name, [] if q.type == "choose_many" else "")
              for q in questions for name in q.field_names})
    return render_template(
        "paper/section.html", copy=copy, form=copy.form, step=current, steps=steps, label=step_label(current),
        blocks=_blocks(copy.form, current, draft["slots"]), page_form=page_form, errors=errors, summary=summary,
        back_url=_back_url(copy, steps, keyed, current, check), csrf_value=csrf_token(),
        evidence_url=lambda file_id, small: copy.url("paper.evidence_image", file_id=file_id,
                                                      size="thumbnail" if small else None),
    ), 400 if summary else 200


def _blocks(form, step, slots: dict) -> list[dict]:
    """Each page of ``step`` as the section's page shows it: number, heading, the paper's
    instructions, and its questions (or the slots of a repeating group)."""
    blocks = []
    for page in step.pages:
        inputs = [q for q in page.questions if q.type != "content"]
        condition, routes = page_notes(form, page)
        block = {"page": page, "number": form.number_of(inputs[0].id), "condition": condition, "routes": routes,
                 "questions": [], "slots": [], "more": False}
        if page.is_repeat:
            block["slots"] = slot_questions(page, slots.get(page.id, printed_slots(page)))
            block["more"] = len(block["slots"]) < slot_limit(page)
        else:
            block["questions"] = inputs
        blocks.append(block)
    return blocks
