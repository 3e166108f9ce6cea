"""Hostile input on every page of every form, through the web journey (property-based).

Random and hostile values (very long strings, control characters, right-to-left overrides, HTML
and script, SQL fragments, huge numbers, impossible dates, invalid UTF-8) go to every question of
every form in forms/, which between them use every question type. Whatever is sent: never a 500;
the page shows exactly the error messages the engine gives for that input (and moves on when there
are none); what the resident typed comes back in its field, escaped, with no markup of its own.
"""

from __future__ import annotations

import re
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


def check_response(response, page, data: dict):
    assert response.status_code != 500, response.get_data(as_text=True)[:500]
    expected = {}
    for question in page.questions:
        _, errors = parse_answer(question, data)
        expected.update(errors)
    html = response.get_data(as_text=True)
    if not expected:
        assert response.status_code in (302, 303), (data, re.findall(r'error-message[^>]*>(.*?)</', html, re.S)[:3])
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
            check_response(client.post(url, data={"csrf_token": token, **data}), page, data)

    # ...then random mixtures of them and random text.
    @HOSTILE_SETTINGS
    @given(page_input(pages))
    def post_hostile(case):
        url, page, data = case
        check_response(client.post(url, data={"csrf_token": token, **data}), page, data)

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
    check_response(response, page, {name: text for name in names})
