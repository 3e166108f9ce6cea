"""Photos of the copies a resident attached to a paper form, taken by the clerk while keying it in.

The first photo starts the copy's "paper" journey (so its files are sealed and bound like any
resident's); the keying draft keeps the journey's id and each file question's files, and Send
makes the submission on that journey. Every section of the copy that is opened or sent notes
activity on it, so the photos do not expire while the clerk is still keying.
"""

from __future__ import annotations

from flask import Response, abort, request

from ...engine import file_descriptions
from ..core.app import store
from ..core.evidence import accept_upload
from ..core.helper import helper_required, helper_session
from ..core.security import accepts_uploads
from . import bp
from .draft import load_draft
from .reference import open_copy

accepts_uploads("paper.section")


def keep_files(copy, draft: dict, questions) -> dict:
    """Take the photos posted for ``questions`` (one per question) and the file removed, if any,
    into ``draft``; returns upload errors by field name. The draft's raw inputs hold each file
    question's files (a list), as the engine reads them."""
    errors: dict = {}
    removing = request.form.get("remove")
    journey_id = draft.get("journey_id")
    if journey_id and not store().touch(journey_id):  # expired: its photos are gone
        journey_id = draft["journey_id"] = None
        for question in questions:
            if question.type == "file":
                draft["raw"].pop(question.id, None)
    for question in questions:
        if question.type != "file":
            continue
        files = file_descriptions(draft["raw"].get(question.id))
        if removing and journey_id and any(f["id"] == removing for f in files):
            store().remove_evidence(journey_id, removing)
            files = [f for f in files if f["id"] != removing]
        for upload in [f for f in request.files.getlist(question.id) if f and f.filename][:1]:
            if len(files) >= question.options["max_files"] > 1:
                continue
            if journey_id is None:
                journey_id = draft["journey_id"] = _start_journey(copy)
            described, problem = accept_upload({"id": journey_id}, question, upload)
            if problem:
                errors[question.id] = problem
                continue
            if question.options["max_files"] == 1:
                for old in files:
                    store().remove_evidence(journey_id, old["id"])
                files = []
            files.append(described)
        if files:
            draft["raw"][question.id] = files
        else:
            draft["raw"].pop(question.id, None)
    return errors


def kept_files(draft: dict, questions) -> dict:
    """The files the draft holds for ``questions``, by question id (to keep them across a POST)."""
    return {q.id: draft["raw"][q.id] for q in questions if q.type == "file" and draft["raw"].get(q.id)}


def sending_journey(draft: dict) -> str | None:
    """The journey holding this copy's photos, if it is still there (Send makes the submission on it)."""
    journey_id = draft.get("journey_id")
    return journey_id if journey_id and store().touch(journey_id) else None


def _start_journey(copy) -> str:
    current = helper_session()
    return store().start_journey(copy.form.id, copy.form.version, copy.language, mode="paper",
                                 venue_id=current["venue_id"], helper_id=current["helper_id"])


@bp.get("/<paper_ref>/<number>/evidence/<file_id>")
@helper_required()
def evidence_image(paper_ref: str, number: str, file_id: str):
    """A photo taken of this copy's attachments (``?size=thumbnail`` for the small one), for the
    clerk keying it in; never cached."""
    copy, refused = open_copy(paper_ref, number)
    if refused:
        return refused
    journey_id = load_draft(copy.paper_ref, copy.number).get("journey_id")
    kept = store().open_evidence(journey_id, file_id, thumbnail=request.args.get("size") == "thumbnail") \
        if journey_id else None
    if kept is None or kept.media_type != "image/jpeg":
        abort(404)
    return Response(kept.data, mimetype="image/jpeg", headers={"Content-Disposition": "inline"})
