"""Evidence on a submission's page: for council admins, each file question's photos as thumbnails
linking to the full photo, and its PDFs to download; venue leads see only which questions have
files, and how many.

Every full photo or PDF opened is audited ("Viewed an evidence file", with the reference and the
file's random id, never its name or contents); thumbnails are part of the page, which only
council admins see with them. A file is found only through the submission whose answers name it
(404 for any other id), and nothing opens once the answers are deleted under the retention rules.
"""

from __future__ import annotations

from io import BytesIO

from flask import Response, abort, request, url_for

from ...delivery.evidence import named_files
from ...delivery.payload import answers_document
from ..core.app import forms, store
from ..core.helper import ADMIN, audit_event, helper_required
from . import bp
from .roles import is_admin

#: The longest side of a thumbnail made here (for a photo kept without one).
THUMBNAIL_PIXELS = 320


def asks_for_files(form) -> bool:
    return form is not None and any(question.type == "file" for question in form.questions())


def submission_files(record: dict, form) -> list[dict]:
    """The files the submission's answers name, in their order: each file's description (``id``,
    ``name``, ``type``, ``pages``...) with its ``question`` and the ``filename`` it is delivered under."""
    if form is None or not record["has_answers"]:
        return []
    submission = store().get_submission(record["reference"])
    if submission is None:
        return []
    answers = [answers_document(form, submission["answers"]),
               answers_document(form, submission.get("answers_outside_route") or {})]
    return [{**description, "question": question_id, "filename": filename}
            for question_id, description, filename in named_files(record["reference"], *answers)]


def evidence_section(record: dict, form) -> dict | None:
    """What the submission page shows under "Evidence": ``None`` when the form asks for no files
    (or none was given); else ``deleted_at`` (the answers' deletion time, files and all) or
    ``rows``, one per question: its ``label`` and ``files``, each with ``name``, ``photo``,
    ``pages`` and, for council admins only, the addresses that open it."""
    if not asks_for_files(form):
        return None
    if record["answers_deleted_at"]:
        return {"deleted_at": record["answers_deleted_at"], "rows": []}
    files = submission_files(record, form)
    if not files:
        return None
    admin, rows = is_admin(), {}
    for item in files:
        row = rows.get(item["question"])
        if row is None:
            try:
                label = form.question(item["question"]).label
            except KeyError:  # a question of an older version of the form
                label = item["question"]
            row = rows[item["question"]] = {"label": label, "files": []}
        shown = {"name": item["name"], "photo": item["type"] == "image/jpeg", "pages": item.get("pages")}
        if admin:
            shown["url"] = url_for("admin.evidence_file", reference=record["reference"], file_id=item["id"])
            if shown["photo"]:
                shown["thumbnail"] = url_for("admin.evidence_file", reference=record["reference"],
                                             file_id=item["id"], size="thumbnail")
        row["files"].append(shown)
    return {"deleted_at": None, "rows": list(rows.values())}


def make_thumbnail(photo: bytes) -> bytes:
    """A JPEG of at most 320 pixels a side, for a photo kept without a thumbnail."""
    from PIL import Image

    with Image.open(BytesIO(photo), formats=["JPEG"]) as image:
        image = image.convert("RGB")
        image.thumbnail((THUMBNAIL_PIXELS, THUMBNAIL_PIXELS))
        out = BytesIO()
        image.save(out, format="JPEG", quality=85)
    return out.getvalue()


@bp.get("/submissions/<reference>/evidence/<file_id>")
@helper_required(ADMIN)
def evidence_file(reference: str, file_id: str):
    """One evidence file of a submission: a photo shown in the browser (``?size=thumbnail`` for its
    thumbnail), a PDF downloaded under its delivered name. Full files are audited."""
    record = store().submission_record(reference)
    if record is None:
        abort(404)
    described = next((f for f in submission_files(record, forms().get(record["form_id"])) if f["id"] == file_id),
                     None)
    if described is None:
        abort(404)
    if request.args.get("size") == "thumbnail":
        if described["type"] != "image/jpeg":
            abort(404)
        kept = store().submission_evidence_file(reference, file_id, thumbnail=True)
        if kept is not None:
            return _photo(kept.data)
        full = store().submission_evidence_file(reference, file_id)
        if full is None:
            abort(404)
        return _photo(make_thumbnail(full.data))
    kept = store().submission_evidence_file(reference, file_id)
    if kept is None:
        abort(404)
    audit_event("evidence_viewed", journey_id=record["journey_id"], detail=f"{reference} {file_id}")
    if kept.media_type == "application/pdf":
        response = Response(kept.data, mimetype="application/pdf")
        response.headers["Content-Disposition"] = f'attachment; filename="{described["filename"]}"'
        return response
    return _photo(kept.data, described["filename"])


def _photo(data: bytes, filename: str | None = None) -> Response:
    response = Response(data, mimetype="image/jpeg")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"' if filename else "inline"
    return response
