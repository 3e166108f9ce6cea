"""Evidence (photos of documents, PDFs) on printouts: what ``file`` questions print.

* The resident's copy and the council's copy list each file in the answer: "IMG_0042.jpg (photo)",
  "statement.pdf (PDF, 3 pages)".
* The council's copy, given the files' bytes (``evidence``), also prints an evidence block after
  each file question's row: every photo as an image with alt text naming the question and the file,
  each PDF by name and page count, and "The file is no longer kept" for a file whose bytes are gone.
  A passport-style photo is printed at passport size (35mm by 45mm) and larger.
* The blank paper form says what to attach, and gives a passport-style photo a box to stick it in.

Plain data for the templates (``printouts/_evidence.html``); no Flask here.
"""

from __future__ import annotations

import base64
from typing import Callable, Sequence

from ..engine import file_descriptions
from ..engine.questions_file import File

Gettext = Callable[[str], str]
PHOTO, PDF = "image/jpeg", "application/pdf"
#: Unicode "first strong isolate" and "pop directional isolate": a file name printed in a line of text
#: keeps its own direction and does not set the line's ("IMG_0042.jpg (صورة)" reads right to left).
FSI, PDI = "\u2068", "\u2069"
#: Media types embedded as images on the council's copy.
IMAGE_TYPES = {PHOTO}


def is_passport_photo(question) -> bool:
    return list(question.options.get("kinds") or []) == ["passport_photo"]


def _own_name(question) -> str:
    """The question's ``name`` when its form gives one (not the type's "a file")."""
    return question.name if question.name and question.name != File.default_name else ""


def _isolated(name: str) -> str:
    return f"{FSI}{name}{PDI}"


def _pages(item: dict, gettext: Gettext) -> str:
    pages = item.get("pages")
    if not isinstance(pages, int) or pages < 1:
        return ""
    return gettext("1 page") if pages == 1 else gettext("{count} pages").format(count=pages)


def file_line(item: dict, gettext: Gettext) -> str:
    """One file as an answer lists it: "IMG_0042.jpg (photo)", "statement.pdf (PDF, 3 pages)"."""
    name = _isolated(item["name"])
    if item["type"] != PDF:
        return gettext("{name} (photo)").format(name=name)
    pages = _pages(item, gettext)
    if pages:
        return gettext("{name} (PDF, {pages})").format(name=name, pages=pages)
    return gettext("{name} (PDF)").format(name=name)


def file_lines(value, gettext: Gettext) -> list[str]:
    """The lines of a ``file`` answer on a copy: one per file, named with its kind (never the file)."""
    return [file_line(item, gettext) for item in file_descriptions(value)]


def data_uri(media_type: str, data: bytes) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def evidence_block(form, question, value, files: dict, gettext: Gettext) -> dict | None:
    """What the council's copy prints after ``question``'s row: its files, in the order given.

    ``files`` maps a file id to its :class:`~assist.storage.evidence.EvidenceFile`; a file of the
    answer that is not there (deleted under retention) prints "The file is no longer kept".
    ``None`` when the answer has no files.
    """
    described = file_descriptions(value)
    if not described:
        return None
    label = gettext(question.label)
    number = form.number_of(question.id)
    passport = is_passport_photo(question)
    photos = [item for item in described if item["type"] != PDF]
    items = []
    for item in described:
        kept = files.get(item["id"])
        name = item["name"]
        if kept is None or (item["type"] != PDF and kept.media_type not in IMAGE_TYPES):
            items.append({"kind": "missing", "name": name, "text": gettext("The file is no longer kept")})
        elif item["type"] == PDF:
            pages = _pages(item, gettext)
            text = (gettext("{name} – PDF, {pages} – sent with this application").format(
                name=_isolated(name), pages=pages) if pages
                else gettext("{name} – PDF – sent with this application").format(name=_isolated(name)))
            items.append({"kind": "pdf", "name": name, "text": text})
        else:
            position = photos.index(item) + 1
            alt = gettext("{question}: photo {number} of {count}, {name}").format(
                question=label, number=position, count=len(photos), name=name)
            photo = {"kind": "passport" if passport else "photo", "name": name, "src": data_uri(PHOTO, kept.data),
                     "alt": alt,
                     "caption": gettext("Photo {number} of {count}: {name}").format(
                         number=position, count=len(photos), name=_isolated(name))}
            if passport:  # the same photo twice: at passport size, and larger
                photo["alt_passport"] = gettext("{question}: {name}, at passport size (35mm by 45mm)").format(
                    question=label, name=name)
                photo["alt"] = gettext("{question}: {name}, larger view").format(question=label, name=name)
                photo["passport_caption"] = gettext("At passport size (35mm by 45mm)")
                photo["larger_caption"] = gettext("Larger view")
            items.append(photo)
    return {
        "kind": "evidence",
        "title": (gettext("Evidence for question {number}").format(number=number) if number
                  else gettext("Evidence")),
        "label": label,
        "items": items,
    }


def with_evidence(sections: list[dict], form, answers: dict, evidence: Sequence | None,
                  gettext: Gettext) -> list[dict]:
    """``sections`` of a council's copy with an evidence block after each file question's row.

    A table of rows is split after such a row, so the photos come straight after the question they
    answer. With ``evidence`` ``None`` (not given) nothing is added: the rows still list the files.
    """
    if evidence is None:
        return sections
    files = {item.id: item for item in evidence}
    questions = {q.id: q for page in form.pages if not page.is_repeat for q in page.questions if q.type == "file"}
    for section in sections:
        blocks = []
        for block in section["blocks"]:
            if block["kind"] != "rows":
                blocks.append(block)
                continue
            rows = []
            for row in block["rows"]:
                rows.append(row)
                question = questions.get(row.get("question_id"))
                found = evidence_block(form, question, answers.get(question.id), files, gettext) \
                    if question is not None else None
                if found:
                    blocks += [{"kind": "rows", "rows": rows}, found]
                    rows = []
            if rows:
                blocks.append({"kind": "rows", "rows": rows})
        section["blocks"] = blocks
    return sections


# --------------------------------------------------------------------------------------------
# Blank paper form and checklist
# --------------------------------------------------------------------------------------------

def attach_write_in(question, gettext: Gettext) -> dict:
    """How a ``file`` question is answered on paper: what to attach, and where to stick a photo."""
    thing = question.options.get("attach") or _own_name(question)
    attach = (gettext("Attach {thing}").format(thing=gettext(thing)) if thing
              else gettext("Attach: {label}").format(label=gettext(question.label)))
    passport = is_passport_photo(question)
    return {
        "kind": "attach",
        "attach": attach,
        "originals": gettext("Do not send originals: we cannot return them."),
        "photo_box": gettext("Stick your photo here") if passport else "",
        "name_on_back": gettext("Write your name on the back of the photo.") if passport else "",
    }


def things_to_bring(form, gettext: Gettext) -> list[str]:
    """What the file questions ask for, as things to bring (translated), leaving out those the form's
    own ``what_to_bring`` already names: its items are searched for the question's name ("a", "an",
    "the" aside) in the form's own language, so the choice is the same in every translation."""
    listed = [item.casefold() for item in form.what_to_bring]
    found = []
    for question in form.questions():
        if question.type != "file":
            continue
        thing = _own_name(question) or question.label
        core = thing.casefold()
        for article in ("a ", "an ", "the "):
            if core.startswith(article):
                core = core[len(article):]
        if not any(core in item for item in listed) and gettext(thing) not in found:
            found.append(gettext(thing))
    return found
