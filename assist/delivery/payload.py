"""The submission document: what every destination receives, as JSON (schema in docs/delivery.md).

Keep it stable. Adding a key is a minor change (``schema_version`` stays); renaming or removing
one, or changing what a value means, needs a new ``schema_version`` and a note in the docs.
Version 2 added ``files`` and, with them, a new way for the webhook to carry a submission
(``multipart/form-data`` when it has files); nothing of version 1 changed.
"""

from __future__ import annotations

import json

from ..engine import display_answer

SCHEMA = "https://assist.example/schemas/submission"
SCHEMA_VERSION = 2


def _answer(question, value, number) -> dict:
    return {
        "question": question.label,
        "number": number,
        "type": question.type,
        "value": value,
        "display": display_answer(question, value, "en"),
    }


def answers_document(form, answers: dict) -> dict:
    """Answers by question id (in the form's order): ``{"value": stored, "display": text, ...}``.

    A repeating group is keyed by its page id: ``{"type": "repeat", "items": [{qid: answer}, ...]}``.
    Answers the current definition does not know (an older form version) are kept with their
    stored value as the display text.
    """
    document: dict = {}
    seen = set()
    for page in form.pages:
        if page.is_repeat:
            if page.id in answers:
                items = answers.get(page.id) or []
                document[page.id] = {
                    "type": "repeat",
                    "title": page.title,
                    "items": [
                        {q.id: _answer(q, (item or {}).get(q.id), form.number_of(q.id))
                         for q in page.questions if q.type != "content"}
                        for item in items
                    ],
                }
                seen.add(page.id)
            continue
        for question in page.questions:
            if question.type == "content" or question.id not in answers:
                continue
            document[question.id] = _answer(question, answers[question.id], form.number_of(question.id))
            seen.add(question.id)
    for key, value in answers.items():
        if key not in seen:
            document[key] = {"question": None, "number": None, "type": None, "value": value,
                             "display": value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)}
    return document


def submission_document(form, submission: dict, *, journey: dict | None = None, venue: dict | None = None,
                        helper: dict | None = None, paper: dict | None = None,
                        files: list[dict] | None = None) -> dict:
    """The JSON document (as a dict) for ``submission`` of ``form``; see docs/delivery.md.

    ``files`` is the evidence list (:func:`.evidence.delivered_files` makes its entries); without
    it the document has no ``files`` key yet (a :class:`.destinations.Parcel` adds it on first use)."""
    journey = journey or {}
    document = {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "reference": submission["reference"],
        "form": {"id": submission["form_id"], "version": submission["form_version"], "title": form.title},
        "language": submission["language"],
        "mode": submission["mode"],
        "venue": {"id": venue["id"], "name": venue.get("name")} if venue else
                 ({"id": submission["venue_id"], "name": None} if submission.get("venue_id") else None),
        "helper": {"id": helper["id"], "name": helper.get("display_name")} if helper else
                  ({"id": submission["helper_id"], "name": None} if submission.get("helper_id") else None),
        "paper": {"reference": paper["paper_reference"], "number": paper["paper_number"],
                  "keyed_at": paper["keyed_at"]} if paper else None,
        "started_at": journey.get("started_at"),
        "submitted_at": submission["submitted_at"],
        "answers": answers_document(form, submission["answers"]),
    }
    if submission.get("answers_outside_route"):
        # Keyed in from paper although the paper told the resident to skip these questions.
        document["answers_outside_route"] = answers_document(form, submission["answers_outside_route"])
    if files is not None:
        document["files"] = list(files)
    return document


def encode(document: dict) -> bytes:
    """The exact bytes sent, signed and written: UTF-8 JSON, keys in a stable order."""
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


def _answer_lines(answers: dict) -> list[str]:
    lines = []
    for key, answer in answers.items():
        if answer.get("type") == "repeat":
            lines.append(f"{answer.get('title') or key}: {len(answer['items'])}")
            for n, item in enumerate(answer["items"], start=1):
                for sub in item.values():
                    lines.append(f"  {n}. {sub['question']}: {sub['display']}")
            continue
        label = answer.get("question") or key
        number = f"{answer['number']}. " if answer.get("number") else ""
        lines.append(f"{number}{label}: {answer['display']}")
    return lines


def _file_lines(document: dict) -> list[str]:
    """``  BB-7K4M-2QXT-photo-1.jpg: 12. Add a photo of your face (photo.jpg, JPEG photo, 182 KB)``."""
    lines = []
    for entry in document["files"]:
        answer = (document["answers"].get(entry["question"])
                  or (document.get("answers_outside_route") or {}).get(entry["question"]) or {})
        number = f"{answer['number']}. " if answer.get("number") else ""
        label = answer.get("question") or entry["question"]
        kind = "PDF" if entry["media_type"] == "application/pdf" else "JPEG photo"
        lines.append(f"  {entry['filename']}: {number}{label} ({entry['name']}, {kind}, {_size(entry['size'])})")
    return lines


def _size(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{max(1, round(size / 1024))} KB"


def summary_text(document: dict, council_name: str = "") -> str:
    """The plain-text email body: reference, form, mode, the answers' display text and the files."""
    lines = [
        f"{document['form']['title']}: new submission {document['reference']}",
        "",
        f"Reference: {document['reference']}",
        f"Form: {document['form']['id']} (version {document['form']['version']})",
        f"Submitted: {document['submitted_at']}",
        f"Language: {document['language']}",
        f"How: {document['mode']}" + (f" at {document['venue']['name'] or document['venue']['id']}"
                                      if document.get("venue") else ""),
    ]
    if document.get("paper"):
        lines.append(f"Paper form: {document['paper']['reference']}, paper number {document['paper']['number']}")
    lines += ["", "Answers", "-------", *_answer_lines(document["answers"])]
    if document.get("answers_outside_route"):
        lines += ["", "Answered on paper although the form said to skip",
                  "-------------------------------------------------",
                  *_answer_lines(document["answers_outside_route"])]
    files = document.get("files") or []
    if files:
        lines += ["", f"Evidence: {len(files)} {'file' if len(files) == 1 else 'files'} attached:",
                  *_file_lines(document)]
    lines += ["", "The answers are attached as JSON, and the council's copy as a PDF"
              + (", then the evidence files." if files else ".")]
    if council_name:
        lines += ["", f"Sent by assist for {council_name}."]
    return "\n".join(lines) + "\n"
