"""Hostile input on every page of every form, through the web journey (property-based).

Random and hostile values (very long strings, control characters, right-to-left overrides, HTML
and script, SQL fragments, huge numbers, impossible dates, invalid UTF-8) go to every question of
every form in forms/, which between them use every question type. Whatever is sent: never a 500;
the page shows exactly the error messages the engine gives for that input (and moves on when there
are none); what the resident typed comes back in its field, escaped, with no markup of its own.

The engine decides what is refused, so its word alone cannot be the oracle: an engine that let
"1e309" through as a number would agree with itself. Whenever a page moves on, what was stored is
checked against rules written here, independently of the engine (:func:`stored_answer_problems`):
the shape a resident's answer of each type must have, with no control or invisible characters.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from urllib.parse import quote_from_bytes

import html5lib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from assist.engine import parse_answer
from assist.engine.questions import TYPES
from assist.engine.text import without_control
from assisted_support import answer_until, app, client, clock, forms, store  # noqa: F401
from conftest import csrf_token
from support import page_from_url

settings.register_profile(
    "assist-hostile", derandomize=True, deadline=None, max_examples=20, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HOSTILE_SETTINGS = settings.get_profile("assist-hostile")

HOSTILE = [
    "<script>alert('pwned')</script>",
    '"><img src=x onerror=alert(1)>',
    "</textarea><b id=x>bold</b>",
    "Robert'); DROP TABLE journeys;--",
    "' OR '1'='1",
    '=HYPERLINK("http://evil.example","click")',
    "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1",
    "\u202egnp.exe\u202c", "\u200f\u200e\u2066x\u2069", "\ufeff",
    "\x00", "\x07bell\x1b[31mred", "one\ntwo\r\nthree",
    "9" * 400, "1e309", "-1e309", "NaN", "inf", "0x1F", "1_000", "99999999999999999999999", "-0",
    "0", "-1", "31", "13", "29", "2", "1900", "0000", "10000",
    "", "   ", "Zoë Ağaoğlu 张伟 محمد", "\U0001d54f" * 12,
    "A" * 20000,
]
VALUE = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=80),
    st.from_regex(r"-?[0-9]{1,30}(\.[0-9]{1,6})?", fullmatch=True),
)
#: Values also sent to every field of a page at once (a date of 99999999999999999999999 in every part).
EVERY_FIELD = ["99999999999999999999999", "-1", "0", "1e309", "<script>alert('pwned')</script>", "\x00", "A" * 20000, ""]
FORMS = ["blue-badge", "council-tax-reduction", "missed-bin", "school-meals"]
MARKUP = ("<script>alert", "<img src=x", "<b id=x>")


def question_pages(client, form) -> list[tuple[str, object]]:
    """Walk ``form`` to check answers with valid answers; every (URL, page) of questions on the way."""
    page = client.get(f"/forms/{form.id}/")
    first = client.post(f"/forms/{form.id}/start", data={"csrf_token": csrf_token(page)}).headers["Location"]
    _, visited = answer_until(client, form, first, lambda url: url.endswith("/check-answers"))
    found = []
    for url in visited:
        page, number = page_from_url(form, url)
        # A file question takes files, not typed values (hostile files: tests/test_evidence_journey.py).
        if page is not None and page.questions and not (page.kind == "repeat" and number is None) \
                and not any(q.type == "file" for q in page.questions):
            found.append((url, page))
    return found


def field_values(html: str) -> dict[str, list[str]]:
    """The values shown back in the page's text inputs and text areas, by field name."""
    document = html5lib.HTMLParser(namespaceHTMLElements=False).parse(html)
    values: dict[str, list[str]] = {}
    for element in document.iter("input"):
        if element.get("type") not in ("radio", "checkbox", "hidden", "submit") and element.get("name"):
            values.setdefault(element.get("name"), []).append(_one_line(element.get("value") or ""))
    for element in document.iter("textarea"):
        values.setdefault(element.get("name"), []).append(element.text or "")
    return values


def _one_line(value: str) -> str:
    """A one-line input's value as a browser shows it: line breaks (and indentation after them) gone."""
    return re.sub(r"[\r\n]+[ ]*", "", value)


def _as_html_text(value: str) -> str:
    """``value`` as the page shows it back: control characters dropped, newlines as an HTML parser reads them."""
    return without_control(value).replace("\r\n", "\n").replace("\r", "\n")


#: Characters no stored answer may hold: controls (tab and, in long text, line breaks aside), and the
#: invisible and direction-changing ones that disguise text.
_HIDDEN = set("\u200b\u2060\ufeff\u180e\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_UK_POSTCODE = re.compile(r"^(GIR 0AA|[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2})$")


def _clean_text_problems(value, limit: int, lines: bool = False) -> list[str]:
    if not isinstance(value, str) or not value:
        return [f"not text: {value!r}"]
    problems = []
    if len(value) > limit:
        problems.append(f"{len(value)} characters, more than {limit}")
    allowed = {"\n"} if lines else set()
    bad = sorted({f"U+{ord(ch):04X}" for ch in value
                  if ch not in allowed and (unicodedata.category(ch) in ("Cc", "Cs", "Cn") or ch in _HIDDEN)})
    if bad:
        problems.append(f"holds {', '.join(bad)}")
    if value != value.strip():
        problems.append("spaces at either end")
    return problems


def stored_answer_problems(question, value) -> list[str]:
    """What is wrong with ``value`` stored for ``question``, by rules of this test's own (no engine code)."""
    kind, options = question.type, question.options
    if value is None:
        return [] if question.optional or kind == "content" else ["a required answer stored as nothing"]
    if kind in ("text", "long_text"):
        return _clean_text_problems(value, options["max_length"], lines=kind == "long_text")
    if kind == "name":
        parts = [value.get("first"), value.get("last")] if isinstance(value, dict) else [value]
        return [problem for part in parts for problem in _clean_text_problems(part, 100)]
    if kind == "number":
        if options["whole"]:
            ok = isinstance(value, int) and not isinstance(value, bool)
        else:
            ok = isinstance(value, str) and re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", value) is not None
        if not ok:
            return [f"not a plain number: {value!r}"]
        number = float(value)
        if not math.isfinite(number) or len(str(value)) > 31:
            return [f"not a finite number of at most 30 digits: {value!r}"]
        if options["min"] is not None and number < options["min"] or options["max"] is not None and number > options["max"]:
            return [f"{value} outside {options['min']}..{options['max']}"]
        return []
    if kind == "money":
        if not isinstance(value, str) or not re.fullmatch(r"-?[0-9]{1,28}\.[0-9]{2}", value):
            return [f"not pounds and pence: {value!r}"]
        low = options["min"] if options["min"] is not None else 0
        if float(value) < low or options["max"] is not None and float(value) > options["max"]:
            return [f"{value} outside {low}..{options['max']}"]
        return []
    if kind == "date":
        if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            return [f"not YYYY-MM-DD: {value!r}"]
        day, today = dt.date.fromisoformat(value), dt.date.today()
        if (options["past_only"] or options["date_of_birth"]) and day >= today:
            return [f"{value} is not in the past"]
        if options["future_only"] and day < today:
            return [f"{value} is in the past"]
        if options["date_of_birth"] and not today.year - 131 <= day.year:
            return [f"born {value}"]
        return []
    if kind == "email":
        ok = isinstance(value, str) and len(value) <= 254 and re.fullmatch(r"[^@\s]+@[a-z0-9.-]+\.[a-z0-9-]{2,}", value)
        return [] if ok and not _clean_text_problems(value, 254) else [f"not an email address: {value!r}"]
    if kind == "phone":
        return [] if isinstance(value, str) and re.fullmatch(r"\+44[0-9]{9,10}", value) else [f"not a UK number: {value!r}"]
    if kind == "postcode":
        return [] if isinstance(value, str) and _UK_POSTCODE.fullmatch(value) else [f"not a postcode: {value!r}"]
    if kind == "ni_number":
        return [] if isinstance(value, str) and re.fullmatch(r"[A-Z]{2}[0-9]{6}[A-D]", value) else [f"not an NI number: {value!r}"]
    if kind in ("yes_no", "choose_one"):
        return [] if value in [choice.value for choice in question.choices] else [f"not an option: {value!r}"]
    if kind == "choose_many":
        known = [choice.value for choice in question.choices]
        ok = isinstance(value, list) and value and all(v in known for v in value) and len(set(value)) == len(value)
        return [] if ok else [f"not options: {value!r}"]
    if kind == "declaration":
        return [] if value is True else [f"not confirmed: {value!r}"]
    if kind == "address":
        if not isinstance(value, dict):
            return [f"not an address: {value!r}"]
        problems = [problem for part, text in value.items() if text
                    for problem in _clean_text_problems(text, 100)]
        if not options["international"] and not _UK_POSTCODE.fullmatch(value.get("postcode") or ""):
            problems.append(f"not a postcode: {value.get('postcode')!r}")
        return problems
    if kind == "signature":
        return [] if isinstance(value, dict) else [f"not a signature: {value!r}"]
    return []


def stored_answers(client, page) -> list[dict]:
    """The draft's answers to ``page`` as stored: one dict, or one per item of a repeating group."""
    store = client.application.extensions["assist.store"]
    with client.session_transaction() as session:
        journeys = list((session.get("journeys") or {}).values())
    answers = store.get_journey(journeys[-1])["answers"]
    if page.is_repeat:
        return [item for item in answers.get(page.id) or [] if isinstance(item, dict)]
    return [answers]


def check_response(response, page, data: dict, client=None):
    assert response.status_code != 500, response.get_data(as_text=True)[:500]
    expected = {}
    for question in page.questions:
        _, errors = parse_answer(question, data)
        expected.update(errors)
    html = response.get_data(as_text=True)
    if not expected:
        assert response.status_code in (302, 303), (data, re.findall(r'error-message[^>]*>(.*?)</', html, re.S)[:3])
        if client is not None:
            for answers in stored_answers(client, page):
                problems = {q.id: stored_answer_problems(q, answers.get(q.id)) for q in page.questions}
                assert not any(problems.values()), (data, problems)
        return
    assert response.status_code == 400, (response.status_code, {k: str(v) for k, v in expected.items()})
    assert "govuk-error-summary" in html
    for message in expected.values():
        assert str(escape(str(message))) in html, str(message)
    for marker in MARKUP:
        assert marker not in html
    # GOV.UK Frontend's line and assist.js (and signature.js on a signature page), nothing typed
    assert len(re.findall(r"<script", html)) == 2 + any(q.type == "signature" for q in page.questions)
    shown = field_values(html)
    for name, value in data.items():
        if name in shown and isinstance(value, str):
            typed = _as_html_text(value)
            assert {typed, typed.strip(), _one_line(typed)} & set(shown[name]), (name, typed, shown[name])


@st.composite
def page_input(draw, pages):
    url, page = draw(st.sampled_from(pages))
    data = {}
    for question in page.questions:
        for name in question.field_names:
            data[name] = draw(VALUE)
    return url, page, data


#: Deterministic rounds over every page reached: each field gets a different hostile value each round.
SWEEP_ROUNDS = 3


@pytest.mark.parametrize("form_id", FORMS)
def test_hostile_values_on_every_page_never_break_the_journey(client, app, form_id):
    form = forms(app)[form_id]
    pages = question_pages(client, form)
    token = csrf_token(client.get(pages[0][0]))
    # Every page, every field, a round of the fixed hostile values...
    for number, (url, page) in enumerate(pages):
        names = [name for question in page.questions for name in question.field_names]
        rounds = [{name: HOSTILE[(number + index + 11 * round_) % len(HOSTILE)] for index, name in enumerate(names)}
                  for round_ in range(SWEEP_ROUNDS)]
        rounds += [dict.fromkeys(names, value) for value in EVERY_FIELD]
        for data in rounds:
            check_response(client.post(url, data={"csrf_token": token, **data}), page, data, client)

    # ...then random mixtures of them and random text.
    @HOSTILE_SETTINGS
    @given(page_input(pages))
    def post_hostile(case):
        url, page, data = case
        check_response(client.post(url, data={"csrf_token": token, **data}), page, data, client)

    post_hostile()


def test_the_forms_between_them_use_every_question_type(app):
    used = {question.type for form_id in FORMS for page in forms(app)[form_id].pages for question in page.questions}
    assert used == set(TYPES), set(TYPES) - used


@HOSTILE_SETTINGS
@given(body=st.binary(min_size=1, max_size=200))
def test_invalid_utf8_in_a_form_body_gets_an_error_page_or_moves_on(client, app, body):
    form = forms(app)["missed-bin"]
    if not hasattr(client, "hostile_pages"):
        client.hostile_pages = question_pages(client, form)
    url, page = client.hostile_pages[0]
    token = csrf_token(client.get(url))
    names = [name for question in page.questions for name in question.field_names]
    encoded = "&".join(f"{name}={quote_from_bytes(body)}" for name in names)
    response = client.post(url, data=f"csrf_token={token}&{encoded}".encode(),
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code in (302, 303, 400)
    text = body.decode("utf-8", "replace")
    check_response(response, page, {name: text for name in names}, client)


def test_the_stored_answer_rules_refuse_what_an_engine_bug_would_let_through(app):
    """The oracle above, on answers a broken engine could store: each is refused by the test's own rules."""
    questions = {q.type: q for form_id in FORMS for page in forms(app)[form_id].pages for q in page.questions}
    bad = {
        "text": ["", " padded ", "x\u202egnp.exe", "bell\x07", "A" * 20000, "two\nlines"],
        "long_text": ["\x00", "\ufeffhidden"],
        "number": [float("inf"), "1e309", "NaN", "0x1F", True, "9" * 40],
        "money": ["12.5", "1e3", "-0.001", "£12.50"],
        "date": ["2026-02-30x", "99999-01-01", "20260101"],
        "email": ["name@", "a b@example.com", "x@example"],
        "phone": ["07700 900982", "+33123456789", "+44"],
        "postcode": ["sw1a1aa", "SW1A1AA", "<script>"],
        "ni_number": ["ab 12 34 56 c", "AB123456E"],
        "choose_one": ["<script>alert('pwned')</script>"],
        "choose_many": [[], ["nonsense"], "not a list"],
        "declaration": ["confirmed", False],
    }
    for kind, values in bad.items():
        question = questions[kind]
        for value in values:
            assert stored_answer_problems(question, value), (kind, value)
    assert stored_answer_problems(questions["text"], "Zoë Ağaoğlu 张伟 محمد") == []
