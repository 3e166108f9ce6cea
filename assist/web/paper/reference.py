"""The paper reference and number: the "Enter a paper form" page, opening a copy, and refusing a
copy keyed in before."""

from __future__ import annotations

import dataclasses

import re
import secrets

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext

from ...engine.references import ALPHABET, check_character
from ...printouts.references import paper_reference as paper_reference_of
from ...printouts.references import parse_paper_reference
from ...storage.paper import DuplicatePaper, normalise_paper_number
from ..core.app import forms, store
from ..core.helper import ADMIN, audit_event, helper_required, helper_session
from ..core.times import local_time
from . import bp
from .draft import draft_in_progress

MAX_NUMBER_LENGTH = 12


def new_paper_number() -> str:
    """A fresh number to write in an empty "Office use" box: 4 characters and a check character."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(4))
    return body + check_character(body)


def check_reference(text: str):
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


def check_number(text: str) -> tuple[str, str | None]:
    """``(number as stored, error)`` for a typed paper number."""
    number = normalise_paper_number(text)
    if not number:
        return "", gettext("Enter the paper number from the ‘Office use’ box on the first page")
    if len(number) > MAX_NUMBER_LENGTH:
        return number, gettext("The paper number must be %(count)s letters and numbers or fewer",
                               count=MAX_NUMBER_LENGTH)
    return number, None


def may_see(venue_id: str | None) -> bool:
    """Whether the signed-in helper may see what was keyed in at ``venue_id``: council admins see every
    venue's paper copies, everyone else those of the venues they work at."""
    helper = helper_session()["helper"]
    return helper["role"] == ADMIN or venue_id in (helper.get("venues") or [])


def duplicate_page(form, paper_ref: str, number: str, duplicate: DuplicatePaper | dict):
    """409: the copy was keyed in before; its submission is named only to those who may see it."""
    if isinstance(duplicate, dict):
        reference, keyed_at, venue_id = duplicate["submission_reference"], duplicate["keyed_at"], duplicate["venue_id"]
    else:
        reference, keyed_at, venue_id = duplicate.reference, duplicate.keyed_at, duplicate.venue_id
    audit_event("paper_duplicate_refused", detail=f"{paper_ref} {number}")
    return render_template("paper/duplicate.html", form=form, paper_reference=paper_ref, number=number,
                           reference=reference if may_see(venue_id) else None, keyed_at=local_time(keyed_at),
                           keyed_on=keyed_at[:10]), 409


class Copy:
    """The paper copy a keying page is about: its form, language, paper reference and number."""

    def __init__(self, form, language: str, paper_ref: str, number: str):
        self.form, self.language, self.paper_ref, self.number = form, language, paper_ref, number

    def url(self, endpoint: str, **values) -> str:
        """The address of one of this copy's keying pages."""
        return url_for(endpoint, paper_ref=self.paper_ref, number=self.number, **values)


def open_copy(paper_ref: str, number: str):
    """``(copy, None)`` for the copy named in a keying page's address, or ``(None, response)``: the
    409 page when it was keyed in before. A reference or number that is not one is a 404."""
    form, language, error = check_reference(paper_ref)
    number, number_error = check_number(number)
    if error or number_error:
        abort(404)
    paper_ref = paper_reference_of(form, language)
    earlier = store().find_paper_copy(paper_ref, number)
    if earlier is not None:
        return None, duplicate_page(form, paper_ref, number, earlier)
    return Copy(keying_form(form), language, paper_ref, number), None


_keying_forms: dict[int, tuple] = {}


def keying_form(form):
    """``form`` as a paper copy is keyed in: evidence is optional, since the clerk photographs the
    copies attached to the paper if they came (the council asks for any that did not), and there is
    no signature to key (the resident signed the paper; the check page asks whether they did). Made
    once per loaded form, so routing's caches see one form."""
    kept = _keying_forms.get(id(form))
    if kept is not None and kept[0] is form:
        return kept[1]
    if not any(q.type in ("file", "signature") for q in form.questions()):
        derived = form
    else:
        pages = [dataclasses.replace(page, questions=[
            dataclasses.replace(q, optional=True) if q.type == "file" else q
            for q in page.questions if q.type != "signature" or len(page.questions) == 1])
            for page in form.pages]
        derived = dataclasses.replace(form, pages=pages)
    _keying_forms[id(form)] = (form, derived)
    return derived


@bp.route("/", methods=["GET", "POST"])
@helper_required()
def enter():
    """Enter a paper form: its paper reference (typed, or scanned from the QR code) and paper number."""
    values = {"paper-reference": request.form.get("paper-reference", ""),
              "paper-number": request.form.get("paper-number", "")}
    errors: dict[str, str] = {}
    suggestion = request.form.get("suggestion") or new_paper_number()
    if request.method == "POST":
        form, language, error = check_reference(values["paper-reference"])
        if error:
            errors["paper-reference"] = error
        number, error = check_number(values["paper-number"])
        if error:
            errors["paper-number"] = error
        if not errors:
            paper_ref = paper_reference_of(form, language)
            earlier = store().find_paper_copy(paper_ref, number)
            if earlier is not None:
                return duplicate_page(form, paper_ref, number, earlier)
            return redirect(url_for("paper.keying", paper_ref=paper_ref, number=number))
    unfinished = draft_in_progress()
    if unfinished is not None:
        form, _language, error = check_reference(unfinished[0])
        unfinished = None if error else {"title": form.title, "paper_ref": unfinished[0], "number": unfinished[1]}
    return render_template("paper/enter.html", values=values, errors=errors, suggestion=suggestion,
                           unfinished=unfinished), 400 if errors else 200
