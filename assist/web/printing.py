"""Printing: the resident's copy, blank paper forms, what-to-bring checklists, carry-on slips, print lists.

PDFs are made in-process by :mod:`assist.printouts` with one renderer per app, and shown in the
browser's own PDF viewer (``Content-Disposition: inline``) so the helper can print them.
"""

from __future__ import annotations

import threading

from babel import Locale
from flask import Blueprint, Response, abort, current_app, render_template, request, session, url_for
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l

bp = Blueprint("printing", __name__, url_prefix="/print")
_lock = threading.Lock()


def printouts():
    """The app's :class:`assist.printouts.Printouts`, made on first use and kept for the app's life."""
    extensions = current_app.extensions
    if "assist.printouts" not in extensions:
        with _lock:
            if "assist.printouts" not in extensions:
                from ..printouts import Printouts

                extensions["assist.printouts"] = Printouts(extensions["assist.config"])
    return extensions["assist.printouts"]


def _forms() -> dict:
    return current_app.extensions["assist.forms"]


def _form(form_id: str):
    form = _forms().get(form_id)
    if form is None:
        abort(404)
    return form


def _languages() -> list[str]:
    return list(current_app.extensions["assist.config"].languages.available)


def _language() -> str:
    """The language asked for with ``?language=`` (one of the configured ones), else the page's."""
    from .language import current_language

    asked = request.args.get("language")
    if asked is not None:
        if asked not in _languages():
            abort(404)
        return asked
    return current_language()


def _bilingual_asked() -> bool:
    """Whether ``?language=cy+en`` (Welsh and English on one printout) was asked for: 404 unless both
    Welsh and English are configured."""
    from ..printouts.bilingual import available, is_bilingual

    if not is_bilingual(request.args.get("language")):
        return False
    if not available(_languages()):
        abort(404)
    return True


def _gettexts_pair() -> tuple:
    """Flask-Babel's translations for Welsh and for English (for a bilingual printout)."""
    from flask_babel import get_translations

    from ..printouts.bilingual import PAIR

    pair = []
    for code in PAIR:
        with force_locale(code):
            pair.append(get_translations().gettext)
    return tuple(pair)


def _venues() -> list:
    return list(getattr(current_app.extensions["assist.config"], "venues", None) or [])


def pdf_response(pdf: bytes, filename: str, *, private: bool) -> Response:
    """A PDF shown in the browser's viewer; never stored by browsers or proxies when ``private``."""
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store" if private else "public, max-age=3600"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _in(language: str, make):
    """Run ``make(gettext)`` with Flask-Babel's translations for ``language``."""
    with force_locale(language):
        return make(gettext)


@bp.get("/copy/<reference>.pdf")
def resident_copy(reference: str):
    """The resident's copy of what they just sent: only for the browser session that sent it."""
    done = session.get("confirmation") or {}
    if not reference or done.get("reference") != reference:
        abort(404)
    submission = current_app.extensions["assist.store"].get_submission(reference)
    if submission is None or submission.get("form_id") != done.get("form_id"):
        abort(404)
    form = _form(submission["form_id"])
    if _bilingual_asked():
        pdf = printouts().completed_copy_bilingual(form, submission, gettexts=_gettexts_pair())
        return pdf_response(pdf, f"{reference}-cy-en.pdf", private=True)
    language = submission.get("language") or _language()
    if language not in _languages():
        language = current_app.extensions["assist.config"].languages.default
    pdf = _in(language, lambda _: printouts().completed_copy(form, submission, language=language, gettext=_))
    return pdf_response(pdf, f"{reference}.pdf", private=True)


@bp.get("/forms/<form_id>/paper-form.pdf")
def paper_form(form_id: str):
    """The blank paper form of a form, in ``?language=`` (default: the page's language);
    ``?language=cy+en`` for Welsh and English together."""
    form = _form(form_id)
    if _bilingual_asked():
        pdf = printouts().blank_form_bilingual(form, gettexts=_gettexts_pair())
        return pdf_response(pdf, f"{form.id}-{form.version}-cy-en.pdf", private=False)
    language = _language()
    pdf = _in(language, lambda _: printouts().blank_form(form, language=language, gettext=_))
    return pdf_response(pdf, f"{form.id}-{form.version}-{language}.pdf", private=False)


@bp.get("/forms/<form_id>/what-to-bring.pdf")
def what_to_bring(form_id: str):
    """The what-to-bring checklist of a form."""
    form = _form(form_id)
    language = _language()
    pdf = _in(language, lambda _: printouts().checklist(form, language=language, gettext=_))
    return pdf_response(pdf, f"{form.id}-what-to-bring-{language}.pdf", private=False)


def slip_response(form, *, code: str, expires, answered: int, total: int, reached: str | None = None,
                  resume_url: str | None = None, language: str | None = None) -> Response:
    """A carry-on slip as a PDF response (for the save-and-carry-on feature to call).

    No answers are printed: the code, its QR, the expiry date, the form and how far they got.
    """
    language = language or _language()
    pdf = _in(language, lambda _: printouts().carry_on_slip(
        form, code=code, expires=expires, answered=answered, total=total, reached=reached,
        resume_url=resume_url, language=language, gettext=_))
    return pdf_response(pdf, "carry-on-later.pdf", private=True)


@bp.get("/carry-on/<code>.pdf")
def carry_on_slip(code: str):
    """The carry-on slip for a saved form.

    Saved forms ("save and carry on later") come with the assisted-mode feature, which
    registers ``app.extensions["assist.resume_lookup"]``: ``code -> dict`` with form_id, code,
    expires, answered, total and reached (or ``None``). Until then, and for unknown codes,
    this says clearly that there is no saved form with that code.
    """
    lookup = current_app.extensions.get("assist.resume_lookup")
    saved = lookup(code) if lookup else None
    if not saved:
        return render_template(
            "error.html",
            title=_l("There is no saved form with this code"),
            body=_l("Check the code on the slip. Saved forms are deleted after a time; if it has expired, start the form again."),
        ), 404
    form = _form(saved["form_id"])
    return slip_response(form, code=saved["code"], expires=saved["expires"], answered=saved["answered"],
                         total=saved["total"], reached=saved.get("reached"), resume_url=saved.get("resume_url"))


def _language_name(code: str) -> str:
    try:
        return Locale.parse(code).get_display_name(code).capitalize()
    except (ValueError, TypeError):
        return code


@bp.app_template_global()
def bilingual_paper(form_id: str) -> dict | None:
    """The Welsh and English paper form's link (``code``, ``names``, ``href``), or ``None`` unless both
    languages are configured. Each language's name is in that language, so nothing needs translating."""
    from ..printouts.bilingual import BILINGUAL, PAIR, available

    if not available(_languages()):
        return None
    return {"code": BILINGUAL, "names": [(code, _language_name(code)) for code in PAIR],
            "href": url_for("printing.paper_form", form_id=form_id, language=BILINGUAL)}


def _print_rows() -> list[dict]:
    rows = []
    for form in _forms().values():
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
    return render_template("print_list.html", venue=None, venues=_venues(), rows=_print_rows())


@bp.get("/venues/<venue_id>")
def venue_print_list(venue_id: str):
    """The print list for one venue: each form's blank paper form (in each language) and checklist."""
    venue = next((v for v in _venues() if getattr(v, "id", None) == venue_id), None)
    if venue is None:
        abort(404)
    return render_template("print_list.html", venue=venue, venues=_venues(), rows=_print_rows())
