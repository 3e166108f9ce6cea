"""Keying in a paper form: the paper reference and number, the answers in a data-entry layout, Send."""

from __future__ import annotations

import dataclasses
import re
import secrets

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext

from ...engine import Journey, make_reference, parse_answer
from ...engine.model import CHECK_ANSWERS
from ...engine.references import ALPHABET, check_character
from ...printouts.context import REPEAT_SLOTS
from ...printouts.references import paper_reference as paper_reference_of
from ...printouts.references import parse_paper_reference
from ...storage.paper import DuplicatePaper, normalise_paper_number
from ..core.answers import reference_prefix
from ..core.app import forms, store
from ..core.csrf import csrf_token
from ..core.helper import ADMIN, audit_event, helper_required, helper_session
from ..core.page_forms import build_page_form
from ..core.times import local_time
from . import bp
MAX_NUMBER_LENGTH = 12
MAX_EXTRA_SLOTS = 20
SIGNED = "paper-signed"


def new_paper_number() -> str:
    """A fresh number to write in an empty "Office use" box: 4 characters and a check character."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(4))
    return body + check_character(body)


# --- the paper reference and number -----------------------------------------------------------------


def _check_reference(text: str):
    """``(form, language, error)`` for a typed or scanned paper reference."""
    found = parse_paper_reference(_extract(text), forms())
    if not (text or "").strip():
        return None, None, gettext("Enter the paper reference printed at the top of the paper form")
    if found is None:
        return None, None, gettext("Enter the paper reference exactly as it is printed at the top of the form, "
                                   "like PAPER-BB-2026.1-EN-K7MX")
    form, version, language = found
    if version != form.version:
        return None, None, gettext(
            "This paper form is version %(old)s of ‘%(title)s’; the current version is %(new)s. "
            "Its questions have changed: ask the resident to fill in a new paper form.",
            old=version, title=form.title, new=form.version)
    return form, language, None


def _extract(text: str) -> str:
    """The paper reference inside ``text`` (a scanned QR code may hold a web address around it)."""
    match = re.search(r"PAPER[\s\-–—]+[A-Z0-9][A-Z0-9\s.\-–—]+", (text or "").upper())
    return match.group(0).strip(" -") if match else (text or "")


def _check_number(text: str) -> tuple[str, str | None]:
    number = normalise_paper_number(text)
    if not number:
        return "", gettext("Enter the paper number from the ‘Office use’ box on the first page")
    if len(number) > MAX_NUMBER_LENGTH:
        return number, gettext("The paper number must be %(count)s letters and numbers or fewer",
                               count=MAX_NUMBER_LENGTH)
    return number, None


def _may_see(venue_id: str | None) -> bool:
    """Whether the signed-in helper may see what was keyed in at ``venue_id``: council admins see every
    venue's paper copies, everyone else those of the venues they work at."""
    helper = helper_session()["helper"]
    return helper["role"] == ADMIN or venue_id in (helper.get("venues") or [])


def _duplicate_page(form, paper_ref: str, number: str, duplicate: DuplicatePaper | dict):
    """409: the copy was keyed in before; its submission is named only to those who may see it."""
    if isinstance(duplicate, dict):
        reference, keyed_at, venue_id = duplicate["submission_reference"], duplicate["keyed_at"], duplicate["venue_id"]
    else:
        reference, keyed_at, venue_id = duplicate.reference, duplicate.keyed_at, duplicate.venue_id
    audit_event("paper_duplicate_refused", detail=f"{paper_ref} {number}")
    return render_template("paper/duplicate.html", form=form, paper_reference=paper_ref, number=number,
                           reference=reference if _may_see(venue_id) else None, keyed_at=local_time(keyed_at),
                           keyed_on=keyed_at[:10]), 409


@bp.route("/", methods=["GET", "POST"])
@helper_required()
def enter():
    """Enter a paper form: its paper reference (typed, or scanned from the QR code) and paper number."""
    values = {"paper-reference": request.form.get("paper-reference", ""),
              "paper-number": request.form.get("paper-number", "")}
    errors: dict[str, str] = {}
    suggestion = request.form.get("suggestion") or new_paper_number()
    if request.method == "POST":
        form, language, error = _check_reference(values["paper-reference"])
        if error:
            errors["paper-reference"] = error
        number, error = _check_number(values["paper-number"])
        if error:
            errors["paper-number"] = error
        if not errors:
            paper_ref = paper_reference_of(form, language)
            earlier = store().find_paper_copy(paper_ref, number)
            if earlier is not None:
                return _duplicate_page(form, paper_ref, number, earlier)
            return redirect(url_for("paper.keying", paper_ref=paper_ref, number=number))
    return render_template("paper/enter.html", values=values, errors=errors,
                           suggestion=suggestion), 400 if errors else 200


# --- the data-entry page ---------------------------------------------------------------------------------


@dataclasses.dataclass
class Block:
    """One page of the paper form on the data-entry page."""

    page: object
    number: int | None
    condition: str | None
    routes: list[str]
    questions: list = dataclasses.field(default_factory=list)  # proxies of the page's questions
    slots: list[list] = dataclasses.field(default_factory=list)  # repeat: proxies per item


def _item_question(page, n: int, question):
    """``question`` as asked in item ``n`` of a repeating group: its inputs renamed to be unique."""
    return dataclasses.replace(question, id=f"{page.id}-{n}-{question.id}")


def _slot_count(page) -> int:
    printed = max(page.min, 1, min(page.max or REPEAT_SLOTS, REPEAT_SLOTS))
    try:
        asked = int(request.form.get(f"slots-{page.id}", printed))
    except ValueError:
        asked = printed
    if request.form.get("action") == f"add:{page.id}":
        asked += 1
    return max(printed, min(asked, page.max or printed + MAX_EXTRA_SLOTS, printed + MAX_EXTRA_SLOTS))


def _blocks(form) -> list[Block]:
    blocks = []
    for page in form.pages:
        numbered = [q for q in page.questions if q.numbered]
        block = Block(
            page=page,
            number=form.number_of(numbered[0].id) if numbered else None,
            condition=page.show_if.describe(form, section=False).render(gettext) if page.show_if else None,
            routes=[route.describe(form, page).render(gettext) for route in page.routes],
        )
        if page.is_repeat:
            block.slots = [[_item_question(page, n, q) for q in page.questions if q.type != "content"]
                           for n in range(1, _slot_count(page) + 1)]
        else:
            block.questions = [q for q in page.questions if q.type != "content"]
        blocks.append(block)
    return blocks


def _route(form, answers: dict):
    """The pages the paper's instructions lead through for ``answers``, and the exit (if any)."""
    pages, known, index = [], {}, 0
    while index < len(form.pages):
        page = form.pages[index]
        if page.show_if is not None and not page.show_if.holds(known):
            index += 1
            continue
        pages.append(page)
        keys = [page.id] if page.is_repeat else [q.id for q in page.questions]
        known.update({k: answers[k] for k in keys if k in answers})
        following = index + 1
        if page.routes:
            value = known.get(page.questions[0].id)
            for route in page.routes:
                if route.if_value != value:
                    continue
                if route.exit:
                    return pages, form.exits[route.exit]
                if route.goto == CHECK_ANSWERS:
                    return pages, None
                following = form.pages.index(form.page(route.goto))
                break
        index = following
    return pages, None


def _parse(form, blocks: list[Block], raw: dict):
    """``(answers, errors by field name, errors summary)`` for what the helper typed."""
    answers: dict = {}
    field_errors: dict[str, dict[str, str]] = {}  # by page id
    for block in blocks:
        page, problems = block.page, {}
        if page.is_repeat:
            items = []
            for n, slot in enumerate(block.slots, start=1):
                if not any(raw.get(name) for q in slot for name in q.field_names):
                    continue  # an empty slot on the paper is not an item
                item = {q.id: None for q in page.questions if q.type == "content"}
                for proxy in slot:
                    value, errors = parse_answer(proxy, raw)
                    item[proxy.id[len(f"{page.id}-{n}-"):]] = value
                    problems.update({name: message.render(gettext) for name, message in errors.items()})
                items.append(item)
            answers[page.id] = items
            if len(items) < page.min:
                problems[f"slots-{page.id}"] = gettext("Enter at least %(count)s for ‘%(title)s’",
                                                       count=page.min, title=page.title or page.heading)
        else:
            for question in page.questions:  # unanswered optional questions and guidance are None, as on screen
                value, errors = parse_answer(question, raw)
                answers[question.id] = value
                problems.update({name: message.render(gettext) for name, message in errors.items()})
        field_errors[page.id] = problems
    return answers, field_errors


def _proxies(blocks: list[Block]) -> list:
    return [q for b in blocks for q in (b.questions or [p for slot in b.slots for p in slot])]


@bp.route("/<paper_ref>/<number>", methods=["GET", "POST"])
@helper_required()
def keying(paper_ref: str, number: str):
    """The data-entry page: every page of the paper form, in order, a section each."""
    form, language, error = _check_reference(paper_ref)
    number, number_error = _check_number(number)
    if error or number_error:
        abort(404)
    paper_ref = paper_reference_of(form, language)
    earlier = store().find_paper_copy(paper_ref, number)
    if earlier is not None:
        return _duplicate_page(form, paper_ref, number, earlier)
    blocks = _blocks(form)
    posted = request.method == "POST"
    page_form = build_page_form(("paper", form.id, form.version, tuple(len(b.slots) for b in blocks)),
                                _proxies(blocks), None, formdata=request.form if posted else None)
    errors: dict[str, str] = {}
    summary: list[dict] = []
    skipped = False
    if posted and request.form.get("action") == "send":
        raw = {name: field.data for name, field in page_form._fields.items()}
        answers, by_page = _parse(form, blocks, raw)
        route, exit_page = _route(form, answers)
        on_route = {page.id for page in route}
        for block in blocks:
            if block.page.id in on_route:
                errors.update(by_page[block.page.id])
            elif block.page.is_repeat:
                skipped = skipped or bool(answers.get(block.page.id))
            else:
                skipped = skipped or any(answers.get(q.id) is not None for q in block.page.questions)
        if exit_page is not None:
            last = route[-1]
            summary.append({"text": gettext(
                "The answer to question %(number)s means the resident cannot use this form: ‘%(exit)s’. "
                "Check the paper form; if the answer is right, this form cannot be keyed in.",
                number=form.number_of(last.questions[0].id), exit=exit_page.title),
                "href": "#" + last.questions[0].field_names[0]})
        if request.form.get(SIGNED) != "yes":
            errors[SIGNED] = gettext("Select if the resident signed and dated the declaration on the paper form")
        for name, message in errors.items():
            summary.append({"text": message, "href": "#" + name})
        if not summary:
            relevant = {k: v for k, v in answers.items()
                        if any(k == p.id or k in {q.id for q in p.questions} for p in route)}
            if not Journey(form, relevant).is_complete():
                summary.append({"text": gettext("Some answers are missing: check every question the paper form "
                                                "asks, in order"), "href": "#paper-sections"})
            else:
                current = helper_session()
                try:
                    reference = store().submit_paper(
                        form_id=form.id, form_version=form.version, language=language, paper_reference=paper_ref,
                        paper_number=number, answers=relevant,
                        reference_factory=lambda: make_reference(reference_prefix(form)),
                        venue_id=current["venue_id"], helper_id=current["helper_id"])
                except DuplicatePaper as duplicate:
                    return _duplicate_page(form, paper_ref, number, duplicate)
                audit_event("paper_keyed", detail=f"{form.id} {paper_ref} {number} {reference}")
                return redirect(url_for("paper.submission", reference=reference, sent=1,
                                        skipped=1 if skipped else None))
    return render_template(
        "paper/keying.html", form=form, blocks=blocks, page_form=page_form, errors=errors, summary=summary,
        paper_reference=paper_ref, number=number, language=language, skipped=skipped,
        signed=request.form.get(SIGNED) == "yes", csrf_value=csrf_token(),
    ), 400 if summary else 200


# --- a paper submission: just made, or the one a duplicate points to ---------------------------------


@bp.get("/submissions/<reference>")
@helper_required()
def submission(reference: str):
    """What was keyed in from a paper copy (never the answers): reference, paper, who, when, delivery.
    Only for helpers of the venue where it was keyed in, and council admins (404 for anyone else)."""
    copy = store().get_paper_copy(reference)
    if copy is None or not _may_see(copy["venue_id"]):
        abort(404)
    form = forms().get(copy["form_id"])
    helper = store().get_helper(copy["helper_id"]) if copy.get("helper_id") else None
    venue = store().get_venue(copy["venue_id"]) if copy.get("venue_id") else None
    deliveries = store().list_deliveries(reference=reference)
    return render_template("paper/submission.html", copy=copy, form=form, helper=helper, venue=venue,
                           deliveries=deliveries, sent=request.args.get("sent") == "1",
                           skipped=request.args.get("skipped") == "1",
                           keyed_at=local_time(copy["keyed_at"]), keyed_on=copy["keyed_at"][:10])
