"""Submissions with evidence files, made through the store as the journey makes them: each file
prepared by ``assist.uploads`` (a clean JPEG with its thumbnail, or a PDF kept as sent), kept for
the journey, and named by the answers."""

from __future__ import annotations

import io

from support import example_photo


def example_pdf(pages: int = 2) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


#: What the Blue Badge evidence questions are given: (question id, the name the device gave, the bytes, kinds).
BLUE_BADGE_FILES = (
    ("photo", "IMG_2041.HEIC", lambda: example_photo(900, 1200), ["passport_photo"]),
    ("proof-of-benefit", "award letter page 1.jpg", lambda: example_photo(1200, 900), ["document_photo", "pdf"]),
    ("proof-of-benefit", "PIP award.pdf", lambda: example_pdf(3), ["document_photo", "pdf"]),
    ("proof-of-address", "council tax bill.jpg", lambda: example_photo(800, 1000), ["document_photo", "pdf"]),
)


def keep_file(store, journey_id: str, question_id: str, name: str, data: bytes, kinds) -> dict:
    """Prepare ``data`` as an upload to ``question_id`` and keep it; returns the answer's description."""
    from assist.uploads import prepare_upload, safe_file_name

    prepared = prepare_upload(data, kinds)
    file_id = store.add_evidence(journey_id, question_id, prepared.media_type, prepared.data, prepared.thumbnail)
    return {"id": file_id, "name": safe_file_name(name, prepared.extension), "type": prepared.media_type,
            "size": len(prepared.data), "width": prepared.width, "height": prepared.height, "pages": prepared.pages}


def evidence_submission(store, form, files=BLUE_BADGE_FILES, *, answers: dict | None = None, stale: bool = False,
                        mode: str = "online", venue_id: str | None = None, helper_id: str | None = None) -> str:
    """A submission of ``form`` whose answers name ``files``; with ``stale``, the journey also keeps
    a file its answers no longer name (uploaded, then the question left the route)."""
    from assist.engine import make_reference

    journey_id = store.start_journey(form.id, form.version, "en", mode=mode, venue_id=venue_id, helper_id=helper_id)
    answers = dict(answers or {"mobility-benefit": "yes", "full-name": "Sam Example"})
    for question_id, name, data, kinds in files:
        answers.setdefault(question_id, []).append(keep_file(store, journey_id, question_id, name, data(), kinds))
    if stale:
        store.add_evidence(journey_id, "proof-of-benefit", "image/jpeg", example_photo(600, 400))
    return store.submit(journey_id, lambda: make_reference("BB"), answers)


def kept_bytes(store, reference: str) -> dict[str, bytes]:
    """The bytes the store keeps for each file of ``reference``, by file id."""
    return {found.id: found.data for found in store.submission_evidence(reference)}
