"""Answers as the resident sees them: check-answers rows and display text in the page's language."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext

from ...engine import display_answer, file_descriptions

CHOICE_TYPES = {"choose_one", "choose_many", "yes_no"}
#: Answers written left to right in every language (phone numbers, postcodes, NI numbers, amounts).
LTR_TYPES = {"phone", "postcode", "ni_number", "email", "money", "number"}
#: Answers typed by the resident, in whatever script they used.
TYPED_TYPES = {"text", "long_text", "name", "address"}
#: Question types that have nothing to show on check answers.
NOT_SHOWN = {"content", "declaration"}


def display(question, value) -> str:
    """The answer as text for the resident in the page's language: choice labels and units translated,
    dates, numbers and money written the language's way, "Not provided" when skipped."""
    from .language import current_language

    return display_answer(question, value, locale=current_language(), gettext=gettext)


def _row(form, question, value, href: str) -> dict:
    return {
        "files": _files(form, question, value),
        "key": gettext(question.label),
        "value": display(question, value),
        "href": href,
        "hidden": gettext(question.label).rstrip("?").lower(),
        # Numbers, codes and typed text keep their own direction on right-to-left pages.
        "dir": "ltr" if question.type in LTR_TYPES and value not in (None, "", []) else
               "auto" if question.type in TYPED_TYPES and value not in (None, "", []) else None,
    }


def _files(form, question, value) -> list[dict] | None:
    """A ``file`` answer's files as check answers shows them: name, and the photo to look at (large
    for a passport-style photo, so the helper and resident can judge it)."""
    if question.type != "file":
        return None
    large = question.options.get("kinds") == ["passport_photo"]
    return [{
        "name": item["name"],
        "large": large,
        "src": url_for("journey.evidence_image", form_id=form.id, file_id=item["id"],
                       size=None if large else "thumbnail") if item["type"] == "image/jpeg" else None,
        "pages": item.get("pages"),
    } for item in file_descriptions(value)]


#: Question types whose answer names an item of a repeating group ("Sam Example", not "child 2").
NAMING_TYPES = ("name", "text")


def item_label(page, item: dict) -> str | None:
    """What names ``item`` of repeating group ``page`` to the resident: its first name or short-text
    answer, else ``None``."""
    for kind in NAMING_TYPES:
        for question in page.questions:
            if question.type == kind and item.get(question.id):
                return display(question, item[question.id])
    return None


def item_rows(form, page, index: int, item: dict) -> dict:
    """Rows for item ``index`` (0-based) of repeating group ``page``."""
    href = url_for("journey.repeat_item", form_id=form.id, page_id=page.id, number=index + 1, change=1)
    return {
        "title": f"{gettext(page.item_name).capitalize()} {index + 1}",
        "number": index + 1,
        "change_href": href,
        "rows": [_row(form, q, item.get(q.id), href) for q in page.questions if q.type not in NOT_SHOWN],
        "remove_href": url_for("journey.repeat_remove", form_id=form.id, page_id=page.id, number=index + 1),
    }


def check_answer_sections(form, route) -> list[dict]:
    """The pages on the resident's path, grouped by section, as summary-list rows and item cards."""
    answers = route.relevant_answers()
    sections: list[dict] = []
    for page in route.path():
        title = page.section or (sections[-1]["title"] if sections else "")  # no section: carries on the last
        if not sections or sections[-1]["title"] != title:
            sections.append({"title": title, "rows": [], "groups": []})
        section = sections[-1]
        if page.kind == "repeat":
            items = answers.get(page.id) or []
            section["groups"].append(
                {
                    "title": gettext(page.title),
                    "id": answer_anchor(page.id),
                    "href": url_for("journey.page", form_id=form.id, page_id=page.id, change=1),
                    "items": [item_rows(form, page, i, item) for i, item in enumerate(items)],
                }
            )
            continue
        href = url_for("journey.page", form_id=form.id, page_id=page.id, change=1)
        first = True
        for question in page.questions:
            if question.type not in NOT_SHOWN:
                row = _row(form, question, answers.get(question.id), href)
                if first:  # after a Change, check answers opens at the page's first row
                    row["id"], first = answer_anchor(page.id), False
                section["rows"].append(row)
    return [section for section in sections if section["rows"] or section["groups"]]


def answer_anchor(page_id: str) -> str:
    """The id of page ``page_id``'s first row (or group) on check answers."""
    return f"answer-{page_id}"


def reference_prefix(form) -> str:
    """Two letters for the form's references, from the initials of its id ("blue-badge" → "BB")."""
    words = [w for w in form.id.split("-") if w]
    letters = "".join(w[0] for w in words)[:2] if len(words) > 1 else form.id[:2]
    return letters.upper()
