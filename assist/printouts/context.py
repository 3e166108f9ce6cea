"""What each printout shows, built from the form engine's model (the same model the web journey uses).

Everything here is plain data for the templates in ``printouts/``. Interface strings and form text
are translated by the ``gettext`` callable the caller passes in (Flask-Babel's in the web app, a
Babel catalogue in the CLI), so this module never imports Flask.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Sequence

from ..moments import parse_moment as parse_iso_moment
from ..engine import Journey, Message, N_, display_answer, signature_svg
from ..engine.instructions import page_conditions, question_limits, route_messages, rule_instructions
from .evidence import attach_write_in, file_lines, things_to_bring, with_evidence
from .qr import qr_data_uri
from .references import paper_reference

if TYPE_CHECKING:
    from ..storage.evidence import EvidenceFile

Gettext = Callable[[str], str]
CHOICE_TYPES = {"choose_one", "choose_many", "yes_no"}
#: Question types shown in the declaration part of a completed copy, not with the answers.
NOT_ANSWERS = {"content", "declaration", "signature"}
#: Blank slots printed for a repeating group when its maximum does not say fewer.
REPEAT_SLOTS = 3
#: Lines printed for a long answer: one per this many characters allowed, within limits.
CHARACTERS_PER_LINE = 90
LONG_TEXT_LINES = (4, 14)
MODES = {
    "online": N_("Sent online by the applicant."),
    "assisted": N_("Sent by the applicant with help from a helper."),
    "kiosk": N_("Sent by the applicant at a self-service kiosk."),
    "paper": N_("Sent on a paper form and typed in by a helper."),
}


def optional_text(text: str | None, gettext) -> str:
    """``text`` translated, or "" when there is none (``gettext("")`` would return the catalogue header)."""
    return gettext(text) if text else ""


def _identity(text: str) -> str:
    return text


@dataclass
class Council:
    """The council's contact details as printouts show them."""

    name: str = ""
    phone: str = ""
    email: str = ""
    address: list[str] = field(default_factory=list)
    website: str = ""

    @classmethod
    def from_config(cls, config) -> "Council":
        council = getattr(config, "council", None)
        if council is None:
            return cls()
        address = getattr(council, "contact_address", "") or ""
        if isinstance(address, str):
            lines = [line.strip() for line in address.replace(",\n", "\n").split("\n") if line.strip()]
        else:
            lines = [str(line) for line in address]
        name = getattr(council, "name", "") or ""
        if lines and lines[0] == name:  # the address often starts with the council's name
            lines = lines[1:]
        return cls(
            name=name,
            phone=getattr(council, "contact_phone", "") or "",
            email=getattr(council, "contact_email", "") or "",
            address=lines,
            website=getattr(council, "website", "") or "",
        )


# --------------------------------------------------------------------------------------------
# Dates and answers in the printout's language
# --------------------------------------------------------------------------------------------

def _babel_locale(language: str) -> str:
    return "en_GB" if language in ("en", "en-GB") else language.replace("-", "_")


def long_date(day: dt.date, language: str) -> str:
    """``day`` written out ("5 March 2026") in ``language`` (English when Babel does not know it)."""
    try:
        from babel.dates import format_date

        return format_date(day, "d MMMM y", locale=_babel_locale(language))
    except Exception:  # an unknown locale: fall back to English
        return f"{day.day} {day.strftime('%B')} {day.year}"


def _in_uk(moment: dt.datetime) -> dt.datetime:
    """``moment`` in UK time (naive times are UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return moment.astimezone(ZoneInfo("Europe/London"))
    except ZoneInfoNotFoundError:  # no time zone data: keep UTC
        return moment


def date_and_time(moment: dt.datetime, language: str) -> str:
    """``moment`` in UK time, written out with the time ("5 March 2026, 14:05")."""
    moment = _in_uk(moment)
    try:
        from babel.dates import format_datetime

        return format_datetime(moment, "d MMMM y, HH:mm", locale=_babel_locale(language))
    except Exception:
        return f"{moment.day} {moment.strftime('%B')} {moment.year}, {moment:%H:%M}"


def parse_moment(value) -> dt.datetime:
    """A stored timestamp (ISO 8601 text, usually UTC) as a datetime; now if missing."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and value:
        try:
            return parse_iso_moment(value)
        except ValueError:
            pass
    return dt.datetime.now(dt.timezone.utc)


def answer_lines(question, value, gettext: Gettext = _identity, language: str = "en") -> list[str]:
    """An answer as lines of text: choice labels and units translated, dates in the language, "Not provided"."""
    if value is None or value == "" or value == []:
        return [gettext("Not provided")]
    if question.type in CHOICE_TYPES:
        values = value if isinstance(value, list) else [value]
        return [gettext(str(question.choice_label(v))) for v in values]
    if question.type == "date":
        try:
            return [long_date(dt.date.fromisoformat(value), language)]
        except (TypeError, ValueError):
            return [str(value)]
    if question.type == "declaration":
        return [gettext("Confirmed") if value else gettext("Not provided")]
    if question.type == "file":
        return file_lines(value, gettext) or [gettext("Not provided")]
    text = str(display_answer(question, value, locale=language, gettext=gettext))
    return text.split("\n") if text else [gettext("Not provided")]


# --------------------------------------------------------------------------------------------
# Completed copy
# --------------------------------------------------------------------------------------------

#: Who signed on screen, by the stamp's ``signed_by`` (and on the resident's own device, by mode).
SIGNED_BY = {
    "helper": N_("Signed on the tablet with a helper"),
    "resident": N_("Signed on the tablet by the resident"),
    "online": N_("Signed on screen by the resident"),
}


def signature_block(question, value, mode: str, gettext: Gettext = _identity, language: str = "en") -> dict:
    """A signature answer as the copy shows it: the drawing (an SVG image made from its numbers
    only) or the typed name, when it was signed (UK time) and who held the tablet."""
    value = value if isinstance(value, dict) else {}
    typed = value.get("typed") if isinstance(value.get("typed"), str) else ""
    svg = "" if typed else signature_svg(value)
    signed = ""
    if isinstance(value.get("signed_at"), str) and (typed or svg):
        moment = _in_uk(parse_moment(value["signed_at"]))
        signed = gettext("Signed on {date} at {time}").format(date=long_date(moment.date(), language),
                                                              time=f"{moment:%H:%M}")
    by = value.get("signed_by")
    by = "online" if by == "resident" and mode == "online" else by
    return {
        "label": gettext(question.label),
        "image": "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode() if svg else "",
        "alt": gettext("Signature of the applicant"),
        "typed": display_answer(question, value, locale=language, gettext=gettext) if typed else "",
        "missing": "" if typed or svg else gettext("Not provided"),
        "signed": signed,
        "by": gettext(SIGNED_BY[by]) if signed and by in SIGNED_BY else "",
    }


def _section(sections: list[dict], title: str | None, gettext: Gettext) -> dict:
    title = gettext(title) if title else ""
    if not sections or (title and sections[-1]["title"] != title):
        sections.append({"title": title, "blocks": []})
    return sections[-1]


#: Characters above which an answer may split across pages (short ones stay with their question).
LONG_ANSWER = 600


def _answer_row(form, question, value, gettext: Gettext, language: str) -> dict:
    lines = answer_lines(question, value, gettext, language)
    return {
        "question_id": question.id,
        "number": form.number_of(question.id),
        "label": gettext(question.label),
        "lines": lines,
        "provided": not (value is None or value == "" or value == []),
        # Long enough that keeping it on one page with its question costs a page of layout work.
        "long": sum(len(line) for line in lines) > LONG_ANSWER,
    }


def asked_pages(form, answers: dict) -> list:
    """The pages the resident was asked, in order, as the engine routes ``answers``
    (:meth:`Journey.followed`: an answer that no longer validates does not stop it, so a copy of
    what was sent shows everything that was sent)."""
    return Journey(form, answers).followed()[0]


def copy_context(form, submission: dict, council: Council, *, gettext: Gettext = _identity,
                 language: str = "en", for_council: bool = False, venues: dict | None = None,
                 evidence: Sequence[EvidenceFile] | None = None) -> dict:
    """What a completed copy shows: every question on the resident's route with its answer, in order.

    ``submission`` is a stored submission (:meth:`Store.get_submission`): reference, form
    version, submitted_at, mode, venue_id, helper_id, answers. Questions the route skipped are
    left out (they were never asked); questions asked and left empty say "Not provided".
    Repeating groups become numbered sub-sections ("Person 1", "Person 2").
    ``evidence`` (the council's copy only): the submission's files, printed after the questions
    they answer (:func:`assist.printouts.evidence.with_evidence`).
    """
    answers = submission.get("answers") or {}
    sections: list[dict] = []
    confirmations, signatures = [], []
    mode = submission.get("mode") or "online"
    for page in asked_pages(form, answers):
        section = _section(sections, page.section, gettext)
        if page.is_repeat:
            items = answers.get(page.id)
            items = [item if isinstance(item, dict) else {} for item in items] if isinstance(items, list) else []
            item_name = gettext(page.item_name or N_("item"))
            section["blocks"].append({
                "kind": "repeat",
                "title": gettext(page.title or page.heading),
                "empty": gettext("None given") if not items else "",
                "items": [
                    {
                        "title": f"{item_name[:1].upper()}{item_name[1:]} {index}",
                        "rows": [_answer_row(form, q, item.get(q.id), gettext, language)
                                 for q in page.questions if q.type not in NOT_ANSWERS],
                    }
                    for index, item in enumerate(items, start=1)
                ],
            })
            continue
        rows = []
        for question in page.questions:
            if question.type == "declaration":
                confirmations.append({
                    "label": gettext(question.label),
                    "text": optional_text(question.options.get("text"), gettext),
                    "checkbox": optional_text(question.options.get("checkbox_label"), gettext),
                    "lines": answer_lines(question, answers.get(question.id), gettext, language),
                })
            elif question.type == "signature":
                signatures.append(signature_block(question, answers.get(question.id), mode, gettext, language))
            elif question.type not in NOT_ANSWERS:
                rows.append(_answer_row(form, question, answers.get(question.id), gettext, language))
        if rows and section["blocks"] and section["blocks"][-1]["kind"] == "rows":
            section["blocks"][-1]["rows"].extend(rows)
        elif rows:
            section["blocks"].append({"kind": "rows", "rows": rows})
    sections = [s for s in sections if s["blocks"]]
    if for_council:
        sections = with_evidence(sections, form, answers, evidence, gettext)

    reference = submission["reference"]
    submitted = date_and_time(parse_moment(submission.get("submitted_at")), language)
    venue = (venues or {}).get(submission.get("venue_id") or "")
    who = gettext(MODES.get(mode, MODES["online"]))
    if venue:
        who += " " + gettext("At {venue}.").format(venue=gettext(venue))
    title = gettext(form.title)
    kind = gettext("Council copy") if for_council else gettext("Your copy")
    version = submission.get("form_version") or form.version
    return {
        "document_title": f"{title} – {kind} – {reference}",
        "kind": kind,
        "for_council": for_council,
        "council": council,
        "form_title": title,
        "form_id": form.id,
        "form_version": version,
        "version_differs": version != form.version,
        "reference": reference,
        "submitted": submitted,
        "sections": sections,
        "declaration": gettext(form.declaration) if form.declaration else "",
        "confirmations": confirmations,
        "signatures": signatures,
        "declared_by": who,
        "what_happens_next": gettext(form.what_happens_next) if form.what_happens_next else "",
        "qr": qr_data_uri(reference),
        "qr_alt": gettext("QR code of your reference number, {reference}").format(reference=reference),
        "footer_left": gettext("Reference {reference}").format(reference=reference),
        "details": _council_details(submission, venue, gettext) if for_council else [],
        "outside_route": _outside_rows(form, submission.get("answers_outside_route") or {}, gettext, language)
        if for_council else [],
    }


def _outside_rows(form, outside: dict, gettext: Gettext, language: str) -> list[dict]:
    """Rows of the answers keyed in from paper although the paper said to skip their questions
    (a repeating group's items one after another, each label naming its item)."""
    rows = []
    for page in form.pages:
        if page.is_repeat:
            item_name = gettext(page.item_name or N_("item"))
            for index, item in enumerate(outside.get(page.id) or [], start=1):
                for question in page.questions:
                    if question.type not in NOT_ANSWERS:
                        row = _answer_row(form, question, (item or {}).get(question.id), gettext, language)
                        row["label"] = f"{item_name[:1].upper()}{item_name[1:]} {index}: {row['label']}"
                        rows.append(row)
            continue
        rows.extend(_answer_row(form, q, outside[q.id], gettext, language) for q in page.questions
                    if q.id in outside and q.type not in NOT_ANSWERS)
    return rows


def _council_details(submission: dict, venue, gettext: Gettext) -> list[tuple[str, str]]:
    """Facts for the council's copy only: how and where the form was filled in."""
    rows = [
        (gettext("Form version"), submission.get("form_version") or ""),
        (gettext("Language used"), submission.get("language") or ""),
        (gettext("How it was sent"), submission.get("mode") or ""),
    ]
    if venue:
        rows.append((gettext("Venue"), venue))
    if submission.get("helper_id"):
        rows.append((gettext("Helper"), submission["helper_id"]))
    return rows


# --------------------------------------------------------------------------------------------
# Blank paper form
# --------------------------------------------------------------------------------------------

def _lines_for(question) -> int:
    limit = question.options.get("max_length") or 1200
    low, high = LONG_TEXT_LINES
    return max(low, min(high, -(-int(limit) // CHARACTERS_PER_LINE) // 2 + 2))


def tick_columns(choices) -> int:
    """How many columns a long list of short options is printed in (1, 2 or 3), so a list of twenty
    schools takes a third of the page and a repeating group's slot still fits on one page."""
    if len(choices) <= 8 or any(c.hint for c in choices) or max(len(c.label) for c in choices) > 40:
        return 1
    longest = max(len(c.label) for c in choices)
    return 3 if longest <= 16 or (len(choices) > 16 and longest <= 24) else 2


def write_in(question, gettext: Gettext) -> dict:
    """How a question is answered on paper: which boxes, lines or tick boxes, and how many."""
    kind = question.type
    options = question.options
    if kind in CHOICE_TYPES:
        choices = question.choices
        none = options.get("none_option")
        regular = [c for c in choices if not (none and c.value == none["value"])]
        return {
            "kind": "ticks",
            "instruction": gettext("Tick all that apply") if kind == "choose_many" else gettext("Tick one"),
            "choices": [{"label": gettext(c.label), "hint": gettext(c.hint) if c.hint else ""} for c in regular],
            "columns": tick_columns(regular),
            "none": ({"label": gettext(none["label"]), "hint": optional_text(none.get("hint"), gettext)}
                     if none else None),
            "or": gettext("or"),
        }
    if kind == "date":
        return {"kind": "date", "parts": [(gettext("Day"), 2, "DD"), (gettext("Month"), 2, "MM"),
                                          (gettext("Year"), 4, "YYYY")]}
    if kind == "file":
        return attach_write_in(question, gettext)
    if kind == "ni_number":
        return {"kind": "chars", "groups": [2, 2, 2, 2, 1], "example": "QQ 12 34 56 C"}
    if kind == "postcode":
        return {"kind": "chars", "groups": [4, 3], "example": ""}
    if kind == "long_text":
        return {"kind": "lines", "count": _lines_for(question), "tall": False}
    if kind == "name" and options.get("parts") == "first_last":
        return {"kind": "fields", "fields": [(gettext("First name"), "line"), (gettext("Last name"), "line")]}
    if kind == "address":
        fields = [(gettext("Address line 1"), "line"), (gettext("Address line 2 (optional)"), "line"),
                  (gettext("Town or city"), "line"), (gettext("County (optional)"), "line")]
        if options.get("international"):
            fields += [(gettext("Postcode or zip code (optional)"), "line"), (gettext("Country"), "line")]
        else:
            fields.append((gettext("Postcode"), "postcode"))
        return {"kind": "fields", "fields": fields}
    if kind == "money":
        return {"kind": "box", "before": "£", "after": "", "width": "short"}
    if kind == "number":
        unit = options.get("unit")
        return {"kind": "box", "before": "", "after": gettext(unit) if unit else "", "width": "short"}
    if kind == "declaration":
        return {"kind": "declaration", "text": optional_text(options.get("text"), gettext),
                "checkbox": gettext(options.get("checkbox_label") or "I confirm")}
    if kind == "content":
        return {"kind": "content", "body": optional_text(options.get("body"), gettext)}
    if kind == "signature":
        return {"kind": "signature"}
    # text, name (full), email, phone: one or two lines depending on the length allowed
    limit = options.get("max_length") or 100
    return {"kind": "lines", "count": 2 if int(limit) > 60 and kind == "text" else 1, "tall": False}


def _question_block(form, question, gettext: Gettext) -> dict:
    label = gettext(question.label)
    return {
        "id": question.id,
        "number": form.number_of(question.id),
        "label": label,
        "optional": question.marked_optional,
        "hint": gettext(question.hint) if question.hint else "",
        "write_in": write_in(question, gettext),
        "required_if": Message(N_("You must answer this if {condition}"),
                               {"condition": question.required_if.words(form)}).render(gettext)
        if question.required_if is not None else "",
        "limits": [message.render(gettext) for message in question_limits(question)],
    }


def _exit_block(exit_page, gettext: Gettext) -> dict:
    return {
        "title": gettext(exit_page.title),
        "body": gettext(exit_page.body) if exit_page.body else "",
        "next_steps": gettext(exit_page.next_steps) if exit_page.next_steps else "",
    }


def blank_context(form, council: Council, *, gettext: Gettext = _identity, language: str = "en") -> dict:
    """What a blank paper form shows: every page of the definition, in order, with its routing in words."""
    sections: list[dict] = []
    routing_count = 0
    conditions = page_conditions(form)
    for page in form.pages:
        section = _section(sections, page.section, gettext)
        conditional = conditions.get(page.id)
        routes = [
            {"text": message.render(gettext),
             "exit": _exit_block(form.exits[route.exit], gettext) if route.exit else None}
            for route, message in route_messages(form, page)
        ]
        routing_count += len(routes) + (1 if conditional else 0)
        block = {
            "id": page.id,
            "title": gettext(page.title) if page.title and (page.is_repeat or len(page.questions) > 1) else "",
            "condition": conditional.render(gettext) if conditional else "",
            "continues_condition": page.id in conditions and conditional is None,
            "rules": [message.render(gettext) for message in rule_instructions(form, page)],
            "routes": routes,
            "repeat": page.is_repeat,
        }
        questions = [_question_block(form, q, gettext) for q in page.questions]
        if page.is_repeat:
            slots = max(page.min, 1, min(page.max or REPEAT_SLOTS, REPEAT_SLOTS))
            item_name = gettext(page.item_name or N_("item"))
            item_name = item_name[:1].upper() + item_name[1:]
            block["slots"] = [{"title": f"{item_name} {n}", "questions": questions}
                              for n in range(1, slots + 1)]
            block["more"] = (gettext("If you need to tell us about more than {count}, use a separate sheet of "
                                     "paper. Write the question numbers and the form’s paper reference on it.")
                             .format(count=slots)) if page.max is None or page.max > slots else ""
            block["none"] = gettext("Leave this section blank if it does not apply to you.") if page.min == 0 else ""
        else:
            block["questions"] = questions
        section["blocks"].append(block)
    reference = paper_reference(form, language)
    title = gettext(form.title)
    return {
        "document_title": f"{title} – {gettext('Paper form')}",
        "council": council,
        "form_title": title,
        "form_id": form.id,
        "form_version": form.version,
        "summary": gettext(form.summary) if form.summary else "",
        "owner": gettext(form.owner) if form.owner else "",
        "sections": [s for s in sections if s["blocks"]],
        "what_to_bring": [gettext(item) for item in form.what_to_bring],
        "declaration": gettext(form.declaration) if form.declaration else "",
        "what_happens_next": gettext(form.what_happens_next) if form.what_happens_next else "",
        "paper_reference": reference,
        "qr": qr_data_uri(reference, scale=3),
        "margin_qr": qr_data_uri(reference, scale=1.6),
        "qr_alt": gettext("QR code of this form’s paper reference, {reference}").format(reference=reference),
        "footer_left": gettext("Form {form_id}, version {version}").format(form_id=form.id, version=form.version),
        "routing_count": routing_count,
    }


# --------------------------------------------------------------------------------------------
# Carry-on slip and what-to-bring checklist
# --------------------------------------------------------------------------------------------

def slip_context(form, council: Council, *, code: str, expires, answered: int, total: int,
                 reached: str | None = None, check: str | None = None, resume_url: str | None = None,
                 carry_on_address: str | None = None, gettext: Gettext = _identity, language: str = "en") -> dict:
    """A carry-on slip: the resume code, its QR, when it expires, which form and how far — no answers.

    ``expires`` is a date or datetime; ``answered``/``total`` count the questions answered so far
    and on the route; ``reached`` is the heading of the page to carry on from; ``check`` (an English
    msgid, default "your date of birth") names the second check asked with the code, so a lost slip
    exposes nothing; ``resume_url`` (optional) is put in the QR code instead of the bare code;
    ``carry_on_address`` (optional) is the web address to type at home, printed large beside it.
    """
    expiry = expires.date() if isinstance(expires, dt.datetime) else expires
    title = gettext(form.title)
    return {
        "document_title": f"{title} – {gettext('Carry on later')}",
        "council": council,
        "form_title": title,
        "form_id": form.id,
        "form_version": form.version,
        "code": code,
        "carry_on_address": carry_on_address or "",
        "expires": long_date(expiry, language),
        "answered": answered,
        "total": total,
        "reached": gettext(reached) if reached else "",
        "check": gettext(check or N_("your date of birth")),
        "qr": qr_data_uri(resume_url or code),
        "qr_alt": gettext("QR code of your code to carry on, {code}").format(code=code),
        "footer_left": gettext("Form {form_id}, version {version}").format(form_id=form.id, version=form.version),
    }


def checklist_context(form, council: Council, *, gettext: Gettext = _identity, language: str = "en") -> dict:
    """What to bring: the form's list with tick boxes, and what the form asks about."""
    title = gettext(form.title)
    topics = []
    for page in form.pages:
        if page.section and gettext(page.section) not in topics:
            topics.append(gettext(page.section))
    numbered = [q for q in form.questions() if q.numbered]
    return {
        "document_title": f"{title} – {gettext('What to bring')}",
        "council": council,
        "form_title": title,
        "form_id": form.id,
        "form_version": form.version,
        "summary": gettext(form.summary) if form.summary else "",
        "what_to_bring": [gettext(item) for item in form.what_to_bring] + things_to_bring(form, gettext),
        "topics": topics,
        "question_count": len(numbered),
        "footer_left": gettext("Form {form_id}, version {version}").format(form_id=form.id, version=form.version),
    }
