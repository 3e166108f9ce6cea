"""The ``file`` question: evidence a resident gives as photos of documents or PDFs.

The engine keeps only what describes each file; the bytes are kept by storage, and the web
layer turns an upload into a description (``assist.uploads``). A stored answer is a list of::

    {"id": "<random id>", "name": "award-letter.jpg", "type": "image/jpeg" | "application/pdf",
     "size": <bytes kept>, "width": <px> | None, "height": <px> | None, "pages": <n> | None}

The raw input of the question (named after it) holds that list as the web layer knows it: the
files already kept for this journey plus any just uploaded.
"""

from __future__ import annotations

from .messages import N_
from .questions_base import Option, QuestionType

#: What a question may accept, in the words a form file uses.
FILE_KINDS = ("document_photo", "passport_photo", "pdf")
MEDIA_TYPES = ("image/jpeg", "application/pdf")
DESCRIPTION_KEYS = ("id", "name", "type", "size", "width", "height", "pages")


def is_file_description(item) -> bool:
    """Whether ``item`` is one file as a ``file`` answer holds it."""
    return (isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"]
            and isinstance(item.get("name"), str) and item.get("type") in MEDIA_TYPES
            and isinstance(item.get("size"), int))


def file_descriptions(value) -> list[dict]:
    """The files of a stored ``file`` answer (``[]`` for nothing, or for a value of another shape)."""
    if not isinstance(value, list):
        return []
    return [{key: item.get(key) for key in DESCRIPTION_KEYS} for item in value if is_file_description(item)]


class File(QuestionType):
    """One or more files (``max_files``) of the ``kinds`` the question allows; ``capture`` offers the
    camera first on a tablet; ``attach`` says, on the paper form, what to attach (else the label)."""

    type = "file"
    options = {
        "max_files": Option("int", 1),
        "kinds": Option("strings", ["document_photo", "pdf"]),
        "capture": Option("bool", False),
        "attach": Option("str"),
    }
    messages = {
        "required": N_("Select {name}"),
        "too_many": N_("You can only add up to {max_files} files"),
    }
    default_name = N_("a file")

    def check_options(self, options: dict) -> list[tuple[str, str]]:
        problems = []
        kinds = options.get("kinds")
        if isinstance(kinds, list):
            unknown = [kind for kind in kinds if kind not in FILE_KINDS]
            if unknown:
                problems.append(("kinds", f"unknown kind '{unknown[0]}'; use some of: " + ", ".join(FILE_KINDS)))
            elif "passport_photo" in kinds and len(kinds) > 1:
                problems.append(("kinds", "a passport-style photo is asked for on its own: "
                                          "kinds = [\"passport_photo\"]"))
            elif not kinds:
                problems.append(("kinds", "must name at least one kind"))
        maximum = options.get("max_files")
        if isinstance(maximum, int) and not 1 <= maximum <= 20:
            problems.append(("max_files", "must be from 1 to 20"))
        if options.get("kinds") == ["passport_photo"] and isinstance(maximum, int) and maximum > 1:
            problems.append(("max_files", "a passport-style photo question takes one photo"))
        return problems

    def parse(self, question, raw):
        files = file_descriptions(raw.value(question.id))
        if not files:
            return self.missing(question)
        if len(files) > question.options["max_files"]:
            return self.fail(question, "too_many", max_files=question.options["max_files"])
        return files, {}

    def to_raw(self, question, value):
        return {question.id: file_descriptions(value)}

    def display(self, question, value) -> str:
        return "\n".join(item["name"] for item in file_descriptions(value))
