"""Pages that take evidence files: upload, "Add another file", "Remove", and the thumbnails.

GOV.UK's file-upload pattern. A file is kept as soon as it is accepted (so an error elsewhere on
the page never loses it); a question taking several files comes back to its page after each one
("Upload file"), and Continue with no new file goes on. A refused file is never kept, and the
page shows why with everything already given still there.
"""

from __future__ import annotations

from flask import Response, abort, redirect, request, session
from flask_babel import gettext

from ...engine import file_descriptions
from ..core import resident
from ..core.app import get_form, store
from ..core.evidence import accept_upload, too_big_message
from ..core.page_forms import build_page_form, parse_page, posted_raw, rule_errors
from ..core.security import accepts_uploads
from . import bp
from .navigation import active_journey, back_url, continue_url, page_url
from .question_page import render_question_page

accepts_uploads("journey.page")

#: Where the page says why the last upload was refused after a request too large to read.
REFUSED_KEY = "upload_refused"


def takes_files(page) -> bool:
    """Whether ``page`` has a question answered with files."""
    return any(q.type == "file" for q in page.questions)


def file_questions(page) -> list:
    return [q for q in page.questions if q.type == "file"]


def post_file_page(form, journey: dict, page, route, change: bool):
    """POST of a page with file questions: remove a file, keep uploads, then go on or come back."""
    answers = dict(journey["answers"])
    removing = request.form.get("remove")
    if removing:
        _remove(journey, page, answers, removing)
        return redirect(page_url(form, page, change), code=303)
    raw = posted_raw(page.questions, request.form)
    upload_errors, added = {}, False
    for question in file_questions(page):
        files = file_descriptions(answers.get(question.id))
        chosen = [f for f in request.files.getlist(question.id) if f and f.filename]
        for upload in chosen[:1]:  # one file per request: the request limit is one file's
            maximum = question.options["max_files"]
            if maximum > 1 and len(files) >= maximum:
                upload_errors[question.id] = gettext("You can only add up to %(count)s files. Remove one to "
                                                     "add another", count=maximum)
                continue
            described, problem = accept_upload(journey, question, upload)
            if problem:
                upload_errors[question.id] = problem
                continue
            if question.options["max_files"] == 1:
                for old in files:
                    store().remove_evidence(journey["id"], old["id"])
                files = []
            files.append(described)
            added = True
        raw[question.id] = files
        if files != file_descriptions(answers.get(question.id)):
            answers[question.id] = files or None
    if added:  # kept at once: what was uploaded is never lost to an error elsewhere on the page
        store().save_answers(journey["id"], answers, last_page=page.id,
                             typed_by=resident.typed_by(journey, file_questions(page)))
    values, errors = parse_page(page.questions, raw)
    errors = rule_errors(form, page, values, route.answers_before(page.id), {**errors, **upload_errors})
    if not errors and added and request.form.get("action") == "upload":
        return redirect(page_url(form, page, change), code=303)
    if errors:
        return _page_again(form, journey, page, route, change, answers, errors)
    answers.update(values)
    store().save_answers(journey["id"], answers, last_page=page.id,
                         typed_by=resident.typed_by(journey, page.questions))
    return redirect(continue_url(form, answers, page.id, change, before=route))


def refused_upload_errors(page) -> dict:
    """The error of an upload refused before it could be read (too large), for the page's GET."""
    if not session.get(REFUSED_KEY) == page.id:
        return {}
    session.pop(REFUSED_KEY, None)
    return {q.id: too_big_message() for q in file_questions(page)[:1]}


def refuse_too_large() -> Response | None:
    """For a request to an upload page that was too large to read: back to its page, which says
    the file was too big (nothing else was sent, so nothing is lost); else ``None``."""
    if request.endpoint != "journey.page" or request.method != "POST":
        return None
    session[REFUSED_KEY] = (request.view_args or {}).get("page_id")
    return redirect(request.full_path.rstrip("?"), code=303)


def _remove(journey: dict, page, answers: dict, file_id: str) -> None:
    for question in file_questions(page):
        files = file_descriptions(answers.get(question.id))
        kept = [f for f in files if f["id"] != file_id]
        if len(kept) != len(files):
            store().remove_evidence(journey["id"], file_id)
            answers[question.id] = kept or None
            store().save_answers(journey["id"], answers, last_page=page.id)
            return


def _page_again(form, journey, page, route, change, answers, errors):
    page_form = build_page_form((form.id, form.version, page.id), page.questions, None, formdata=request.form)
    for question in file_questions(page):
        page_form[question.id].data = file_descriptions(answers.get(question.id))
    back = back_url(form, journey["answers"], page.id, change, route)
    return render_question_page(form, page, page_form, errors, back, route=route)


@bp.get("/<form_id>/evidence/<file_id>")
def evidence_image(form_id, file_id):
    """A photo the resident uploaded to this journey (``?size=thumbnail`` for the small one), for
    their own pages only; never cached, never a PDF (those are listed by name)."""
    form = get_form(form_id)
    journey = active_journey(form)
    if journey is None:
        abort(404)
    kept = store().open_evidence(journey["id"], file_id, thumbnail=request.args.get("size") == "thumbnail")
    if kept is None or kept.media_type != "image/jpeg":
        abort(404)
    response = Response(kept.data, mimetype="image/jpeg")
    response.headers["Content-Disposition"] = "inline"
    return response
