"""The printing pages: the resident's copy, blank paper forms, checklists, carry-on slips, print lists."""

from __future__ import annotations

from babel import Locale
from flask import Response, abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import force_locale, get_translations, gettext
from flask_babel import lazy_gettext as _l

from ...printouts.bilingual import BILINGUAL, PAIR, available, is_bilingual
from ..core.app import config, forms, get_form, store
from ..core.device import shared_device
from ..core.language import current_language
from ..core.pdf import pdf_response, printouts
from ..core.security import allow_framing_by_this_site
from . import bp


def _languages() -> list[str]:
    return list(config().languages.available)


def _language() -> str:
    """The language asked for with ``?language=`` (one of the configured ones), else the page's."""
    asked = request.args.get("language")
    if asked is not None:
        if asked not in _languages():
            abort(404)
        return asked
    return current_language()


def _bilingual_asked() -> bool:
    """Whether ``?language=cy+en`` (Welsh and English on one printout) was asked for: 404 unless both
    Welsh and English are configured."""
    if not is_bilingual(request.args.get("language")):
        return False
    if not available(_languages()):
        abort(404)
    return True


def _gettexts_pair() -> tuple:
    """Flask-Babel's translations for Welsh and for English (for a bilingual printout)."""
    pair = []
    for code in PAIR:
        with force_locale(code):
            pair.append(get_translations().gettext)
    return tuple(pair)


def _venues() -> list:
    return list(getattr(config(), "venues", None) or [])


def _in(language: str, make):
    """Run ``make(gettext)`` with Flask-Babel's translations for ``language``."""
    with force_locale(language):
        return make(gettext)


def _just_sent(reference: str) -> dict:
    """The submission this browser session has just sent as ``reference``, or 404 for any other."""
    done = session.get("confirmation") or {}
    if not reference or done.get("reference") != reference:
        abort(404)
    submission = store().get_submission(reference)
    if submission is None or submission.get("form_id") != done.get("form_id"):
        abort(404)
    return submission


@bp.get("/copy/<reference>")
def copy_page(reference: str):
    """The resident's copy inside a page of the app, with Print: the idle timer, "Finish and clear"
    and the rest of the page stay on screen, so the copy never outlives the visit on a shared device."""
    submission = _just_sent(reference)
    return render_template("printing/copy.html", form=get_form(submission["form_id"]), reference=reference,
                           pdf_url=url_for("printing.resident_copy", reference=reference))


@bp.get("/copy/<reference>.pdf")
def resident_copy(reference: str):
    """The resident's copy of what they just sent: only for the browser session that sent it. On a
    shared device it is only ever shown inside its print page: opened on its own, it goes there."""
    submission = _just_sent(reference)
    if shared_device() and request.headers.get("Sec-Fetch-Dest") == "document":
        return redirect(url_for("printing.copy_page", reference=reference), code=303)
    allow_framing_by_this_site()
    form = get_form(submission["form_id"])
    if _bilingual_asked():
        pdf = printouts().completed_copy_bilingual(form, submission, gettexts=_gettexts_pair())
        return pdf_response(pdf, f"{reference}-cy-en.pdf", private=True)
    language = submission.get("language") or _language()
    if language not in _languages():
        language = config().languages.default
    pdf = _in(language, lambda _: printouts().completed_copy(form, submission, language=language, gettext=_))
    return pdf_response(pdf, f"{reference}.pdf", private=True)


@bp.get("/forms/<form_id>/paper-form.pdf")
def paper_form(form_id: str):
    """The blank paper form of a form, in ``?language=`` (default: the page's language);
    ``?language=cy+en`` for Welsh and English together."""
    form = get_form(form_id)
    if _bilingual_asked():
        pdf = printouts().blank_form_bilingual(form, gettexts=_gettexts_pair())
        return pdf_response(pdf, f"{form.id}-{form.version}-cy-en.pdf", private=False)
    language = _language()
    pdf = _in(language, lambda _: printouts().blank_form(form, language=language, gettext=_))
    return pdf_response(pdf, f"{form.id}-{form.version}-{language}.pdf", private=False)


@bp.get("/forms/<form_id>/what-to-bring.pdf")
def what_to_bring(form_id: str):
    """The what-to-bring checklist of a form."""
    form = get_form(form_id)
    language = _language()
    pdf = _in(language, lambda _: printouts().checklist(form, language=language, gettext=_))
    return pdf_response(pdf, f"{form.id}-what-to-bring-{language}.pdf", private=False)


def slip_response(form, *, code: str, expires, answered: int, total: int, reached: str | None = None,
                  resume_url: str | None = None, check: str | None = None, carry_on_address: str | None = None,
                  language: str | None = None) -> Response:
    """A carry-on slip as a PDF response (for the save-and-carry-on feature to call).

    No answers are printed: the code, its QR, the web address to carry on at home, the expiry date,
    the form, how far they got, and what the second check is (``check``, an English msgid).
    """
    language = language or _language()
    pdf = _in(language, lambda _: printouts().carry_on_slip(
        form, code=code, expires=expires, answered=answered, total=total, reached=reached,
        resume_url=resume_url, carry_on_address=carry_on_address, check=check, language=language, gettext=_))
    return pdf_response(pdf, "carry-on-later.pdf", private=True)


@bp.get("/carry-on/<code>.pdf")
def carry_on_slip(code: str):
    """The carry-on slip for a saved form.

    Saved forms ("save and carry on later") come with the assisted-mode feature, which
    registers ``app.extensions["assist.resume_lookup"]``: ``code -> dict`` with form_id, code,
    expires, answered, total and reached, and optionally check, carry_on_address and resume_url
    (or ``None``). Until then, and for unknown codes, this says clearly that there is no saved form
    with that code.
    """
    lookup = current_app.extensions.get("assist.resume_lookup")
    saved = lookup(code) if lookup else None
    if not saved:
        return render_template(
            "error.html",
            title=_l("There is no saved form with this code"),
            body=_l("Check the code on the slip. Saved forms are deleted after a time; if it has expired, start the form again."),
        ), 404
    form = get_form(saved["form_id"])
    return slip_response(form, code=saved["code"], expires=saved["expires"], answered=saved["answered"],
                         total=saved["total"], reached=saved.get("reached"), resume_url=saved.get("resume_url"),
                         check=saved.get("check"), carry_on_address=saved.get("carry_on_address"))


def _language_name(code: str) -> str:
    try:
        return Locale.parse(code).get_display_name(code).capitalize()
    except (ValueError, TypeError):
        return code


@bp.app_template_global()
def bilingual_paper(form_id: str) -> dict | None:
    """The Welsh and English paper form's link (``code``, ``names``, ``href``), or ``None`` unless both
    languages are configured. Each language's name is in that language, so nothing needs translating."""
    if not available(_languages()):
        return None
    return {"code": BILINGUAL, "names": [(code, _language_name(code)) for code in PAIR],
            "href": url_for("printing.paper_form", form_id=form_id, language=BILINGUAL)}


def _print_rows() -> list[dict]:
    rows = []
    for form in forms().values():
        both = bilingual_paper(form.id)
        rows.append({
            "form": form,
            "papers": [
                {"code": code, "name": _language_name(code),
                 "href": url_for("printing.paper_form", form_id=form.id, language=code)}
                for code in _languages()
            ],
            "bilingual": both,
            "checklist": url_for("printing.what_to_bring", form_id=form.id),
        })
    return rows


@bp.get("/")
def print_index():
    """Every form's paper form and checklist, and a print list for each venue."""
    return render_template("printing/print_list.html", venue=None, venues=_venues(), rows=_print_rows())


@bp.get("/venues/<venue_id>")
def venue_print_list(venue_id: str):
    """The print list for one venue: each form's blank paper form (in each language) and checklist."""
    venue = next((v for v in _venues() if getattr(v, "id", None) == venue_id), None)
    if venue is None:
        abort(404)
    return render_template("printing/print_list.html", venue=venue, venues=_venues(), rows=_print_rows())
