"""Evidence a resident uploads: a posted file checked, cleaned, scanned where the council scans,
and kept encrypted for the journey, or refused with a GOV.UK error message.

A file's type is decided from its bytes (``assist.uploads``); photos are re-encoded without
their metadata. Nothing of a file is logged, and the bytes never reach the disk unencrypted: the
request keeps uploads in memory (:mod:`.security`).
"""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext

from ...engine import file_descriptions
from ...uploads import Limits, PreparedFile, ScanResult, Scanner, UploadRefused, prepare_upload, safe_file_name
from .app import config, store

MEGABYTE = 1024 * 1024


def too_big_message() -> str:
    """The GOV.UK message for a file over the limit."""
    return gettext("The selected file must be smaller than %(size)sMB", size=config().uploads.max_file_mb)


def accept_upload(journey: dict, question, upload) -> tuple[dict | None, str | None]:
    """Keep ``upload`` (a werkzeug ``FileStorage``) as evidence for ``question`` of ``journey``.

    Returns ``(description, None)`` as the answer lists it, or ``(None, message)`` when refused;
    nothing is kept when refused."""
    settings = config().uploads
    limit = settings.max_file_mb * MEGABYTE
    data = upload.stream.read(limit + 1)
    if not data:
        return None, gettext("The selected file is empty")
    if len(data) > limit:
        return None, too_big_message()
    if settings.scanner:
        verdict = Scanner(settings.scanner).scan(data)
        if verdict is ScanResult.INFECTED:
            current_app.logger.warning("An upload was refused: the virus scanner found something in it")
            return None, gettext("The selected file contains a virus")
        if verdict is not ScanResult.CLEAN:
            return None, gettext("The selected file could not be checked for viruses. Try again later")
    try:
        prepared = prepare_upload(data, question.options["kinds"],
                                  Limits(max_file_bytes=limit, max_pixels=settings.photo_max_pixels))
    except UploadRefused as refused:
        return None, refusal_message(refused)
    if store().evidence_size(journey["id"]) + len(prepared.data) > settings.max_journey_mb * MEGABYTE:
        return None, gettext("The files you have added must be smaller than %(size)sMB in all. Remove a file "
                             "to add another", size=settings.max_journey_mb)
    file_id = store().add_evidence(journey["id"], question.id, prepared.media_type, prepared.data,
                                   prepared.thumbnail)
    return describe(file_id, upload.filename or "", prepared), None


def describe(file_id: str, name: str, prepared: PreparedFile) -> dict:
    """A kept file as a ``file`` answer lists it."""
    return {"id": file_id, "name": safe_file_name(name, prepared.extension), "type": prepared.media_type,
            "size": len(prepared.data), "width": prepared.width, "height": prepared.height,
            "pages": prepared.pages}


def refusal_message(refused: UploadRefused) -> str:
    """What to tell the resident about a file ``prepare_upload`` refused."""
    params = refused.params
    if refused.code == "too_big":
        return too_big_message()
    if refused.code == "empty":
        return gettext("The selected file is empty")
    if refused.code == "wrong_type":
        return gettext("The selected file must be a %(types)s", types=gettext(params.get("allowed", "")))
    if refused.code == "passport_not_portrait":
        return gettext("The photo must be upright (portrait), showing the head and shoulders")
    if refused.code == "passport_too_small":
        return gettext("The photo must be at least %(width)s pixels wide and %(height)s pixels high. Take it "
                       "again, closer", width=params.get("min_width"), height=params.get("min_height"))
    return gettext("The selected file could not be opened. Choose another file, or take the photo again")


def named_file_ids(form, answers: dict) -> list[str]:
    """The ids of the files ``answers`` name (repeating groups' items included)."""
    ids = []
    for page in form.pages:
        items = (answers.get(page.id) or []) if page.is_repeat else [answers]
        for item in items:
            for question in page.questions:
                if question.type == "file" and isinstance(item, dict):
                    ids += [found["id"] for found in file_descriptions(item.get(question.id))]
    return ids
