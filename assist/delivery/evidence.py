"""Evidence files delivered with a submission: which files, in what order, under which names.

The answers name each file (a ``file`` answer's value is a list of descriptions, see
:mod:`assist.engine.questions_file`); the store keeps the bytes. A submission's files are the
ones its answers name, in the order the answers list them (the form's order, then each item of a
repeating group; a paper copy's answers kept outside its route after them). A file the journey kept but the answers no longer name (the resident changed
an answer and the question left their route) is not part of the submission and is not sent.

Each file is delivered as ``<reference>-<question id>-<n>.<jpg|pdf>``, ``n`` counting from 1
within the question: names made only of the reference and the form's own ids, never the name the
resident's device gave the file, so they are safe on any file system and in any header.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ..engine import file_descriptions
from .destinations import DeliveryError

#: The extension a delivered file gets, by its media type (the only two kinds kept).
EXTENSIONS = {"image/jpeg": "jpg", "application/pdf": "pdf"}
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
_FILE_TYPES = ("file", None)


class MissingEvidence(DeliveryError):
    """The answers name a file that is not in the store: the attempt fails, and says so."""


@dataclass(frozen=True)
class DeliveredFile:
    """One evidence file as every destination sends it: its entry in the document's ``files``
    list, and its bytes."""

    entry: dict
    data: bytes = field(repr=False)

    @property
    def filename(self) -> str:
        return self.entry["filename"]

    @property
    def media_type(self) -> str:
        return self.entry["media_type"]


def answer_files(answers: dict) -> Iterator[tuple[str, dict]]:
    """``(question id, description)`` of every file an answers document (``document["answers"]``)
    names, in its order; a repeating group's files item by item. An answer the form no longer
    knows (``type`` None: a question of an older version) counts when its value lists files."""
    for key, answer in answers.items():
        if answer.get("type") == "repeat":
            for item in answer.get("items") or []:
                for question_id, sub in item.items():
                    if sub.get("type") in _FILE_TYPES:
                        yield from ((question_id, d) for d in file_descriptions(sub.get("value")))
        elif answer.get("type") in _FILE_TYPES:
            yield from ((key, d) for d in file_descriptions(answer.get("value")))


def delivered_filename(reference: str, question_id: str, number: int, media_type: str) -> str:
    """``BB-7K4M-2QXT-proof-of-address-2.pdf``: the name a file is delivered under."""
    safe = [_UNSAFE.sub("-", part).strip("-") or "file" for part in (reference, question_id)]
    return f"{safe[0]}-{safe[1]}-{number}.{EXTENSIONS.get(media_type, 'bin')}"


def file_entry(question_id: str, description: dict, media_type: str, data: bytes, filename: str) -> dict:
    """The document's entry for one file (see docs/delivery.md, "files")."""
    return {
        "id": description["id"],
        "question": question_id,
        "name": description["name"],
        "media_type": media_type,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "filename": filename,
    }


def document_answers(document: dict) -> list[dict]:
    """The answers documents of a submission document that can name files: ``answers``, then
    ``answers_outside_route`` (a paper copy's answers sent although the paper said to skip them)."""
    return [document["answers"], document.get("answers_outside_route") or {}]


def named_files(reference: str, *answers: dict) -> list[tuple[str, dict, str]]:
    """``(question id, description, delivered filename)`` of each file the answers documents
    ``answers`` name, in their order: the names every destination and the admin pages use."""
    named, counts = [], {}
    for question_id, description in (found for each in answers for found in answer_files(each)):
        counts[question_id] = number = counts.get(question_id, 0) + 1
        named.append((question_id, description,
                      delivered_filename(reference, question_id, number, description["type"])))
    return named


def delivered_files(reference: str, document: dict, kept: Iterable) -> list[DeliveredFile]:
    """The files to deliver with submission ``document`` (of ``reference``): those of ``kept`` (the
    store's :class:`~assist.storage.evidence.EvidenceFile` objects) that its answers name, in their
    order. Raises :class:`MissingEvidence` when the answers name a file the store does not have."""
    by_id = {found.id: found for found in kept}
    files = []
    for question_id, description, filename in named_files(reference, *document_answers(document)):
        found = by_id.get(description["id"])
        if found is None:
            raise MissingEvidence(f"evidence file {description['id']} of submission {reference} "
                                  f"(question {question_id}) is not in the database")
        if found.media_type != description["type"]:  # what the store kept decides the extension
            filename = f"{filename.rsplit('.', 1)[0]}.{EXTENSIONS.get(found.media_type, 'bin')}"
        files.append(DeliveredFile(file_entry(question_id, description, found.media_type, found.data, filename),
                                   found.data))
    return files
