"""Signing the Blue Badge declaration in the web journey (Flask test client): a typed name and a drawing
go through the page, show on check answers with a Change link, are stamped with when and by whom,
and print in the completed copy; the paper form has a box to sign and date."""

from __future__ import annotations

import io
import json
import re

from assisted_support import app, clock, client, sign_in, start_resident, store  # noqa: F401 - fixtures
from conftest import csrf_token
from printouts_support import flat, pdf_text
from support import example_raw, exit_values, page_from_url, walk_to

PAGE = "sharing-information"
SIGNATURE = f"{PAGE}-signature"
STROKES, TYPED = f"{SIGNATURE}-strokes", f"{SIGNATURE}-typed"
DRAWING = {"width": 600, "height": 200, "strokes": [[[40, 120], [80.04, 60], [120, 140], [160.55, 70]],
                                                     [[200, 100], [260, 110]]]}
REFERENCE = re.compile(r'class="assist-reference" dir="ltr">([A-Z0-9-]+)<')


def blue_badge(app):
    return app.extensions["assist.forms"]["blue-badge"]


def answers_of(store) -> dict:
    journey_id = store.db.execute("select id from journeys order by started_at desc, rowid desc limit 1").fetchone()[0]
    return store.get_journey(journey_id)["answers"]


def post_page(client, url, **fields):
    token = csrf_token(client.get(url))
    return client.post(url, data={"csrf_token": token, PAGE: "confirmed", **fields})


def summary_row(html: str, key: str) -> str:
    """The summary list row whose key is ``key``, as HTML."""
    rows = re.findall(r'<div class="govuk-summary-list__row[^"]*"[^>]*>(.*?)</dl>|<div class="govuk-summary-list__row'
                      r'[^"]*"[^>]*>(.*?)(?=<div class="govuk-summary-list__row|</dl>)', html, re.S)
    for row in ("".join(parts) for parts in rows):
        if re.search(rf'<dt class="govuk-summary-list__key">\s*{re.escape(key)}\s*</dt>', row):
            return row
    raise AssertionError(f"no row {key!r} on the page")


def test_the_declaration_page_has_a_pad_hidden_without_scripts_and_a_typed_name(client, app):
    form = blue_badge(app)
    url = walk_to(client, form, form.page(PAGE))
    html = client.get(url).get_data(as_text=True)
    assert "<title>Checking your information – Apply for a Blue Badge" in html
    assert re.search(r'<h1 class="govuk-fieldset__heading">\s*Checking your information\s*</h1>', html)
    assert re.search(r"<legend[^>]*>\s*Your signature\s*</legend>", html)
    pad = re.search(r'<div class="assist-signature" data-module="assist-signature"[^>]*hidden>(.*?)</div>\s*'
                    rf'<input type="hidden" name="{STROKES}" value="">', html, re.S)
    assert pad, "the pad is hidden until its script runs"
    assert '<canvas class="assist-signature__pad"' in pad.group(1) and 'role="img"' in pad.group(1)
    assert 'aria-label="Signature drawing area"' in pad.group(1) and "Clear signature" in pad.group(1)
    assert 'class="assist-signature__box" dir="ltr"' in pad.group(1)
    assert re.search(rf'<label class="govuk-label" for="{TYPED}">\s*Or type your full name', html)
    assert re.search(rf'<input class="govuk-input" id="{TYPED}" name="{TYPED}" type="text" spellcheck="false" '
                     r'autocomplete="off">', html)
    assert 'src="/assets/signature.js"' in html
    assert client.get("/assets/signature.js").status_code == 200
    assert client.get("/assets/signature_pad.min.js").status_code == 200


def test_no_signature_is_an_error_that_links_to_the_typed_name(client, app):
    form = blue_badge(app)
    url = walk_to(client, form, form.page(PAGE))
    response = post_page(client, url, **{STROKES: "", TYPED: ""})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f'<a href="#{TYPED}">Sign in the box, or type your full name</a>' in html
    assert re.search(r'govuk-form-group--error">\s*<fieldset class="govuk-fieldset" aria-describedby="'
                     rf'{SIGNATURE}-error">', html)
    response = post_page(client, url, **{STROKES: '{"width": 600, "height": 200, "strokes": "</svg><script>"}'})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and f'<a href="#{STROKES}">Your signature could not be saved.' in html
    assert "</svg><script>" not in html


def test_a_typed_name_then_a_drawing_show_on_check_answers_and_are_stamped(client, app, store, clock):
    form = blue_badge(app)
    url = walk_to(client, form, form.page(PAGE))
    response = post_page(client, url, **{STROKES: "", TYPED: "Jane Smith"})
    assert response.headers["Location"].endswith("/check-answers")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    row = summary_row(html, "Your signature")
    assert "Typed name: Jane Smith" in row
    assert f'href="/forms/blue-badge/{PAGE}?change=1"' in row
    signed = answers_of(store)[SIGNATURE]
    assert signed == {"typed": "Jane Smith", "signed_at": clock.now.strftime("%Y-%m-%dT%H:%M:%SZ"),
                      "signed_by": "resident"}

    # Change it to a drawing: check answers says so, and the page shows the drawing again.
    clock.advance(minutes=3)
    change = f"/forms/blue-badge/{PAGE}?change=1"
    response = post_page(client, change, **{STROKES: json.dumps(DRAWING), TYPED: ""})
    assert response.status_code == 302
    row = summary_row(client.get("/forms/blue-badge/check-answers").get_data(as_text=True), "Your signature")
    assert "Signed on screen" in row and "Jane Smith" not in row
    drawn = answers_of(store)[SIGNATURE]
    assert drawn["strokes"][0][1] == [80.0, 60.0] and drawn["strokes"][0][3] == [160.6, 70.0]
    assert drawn["signed_at"] == clock.now.strftime("%Y-%m-%dT%H:%M:%SZ")
    html = client.get(change).get_data(as_text=True)
    shown = re.search(rf'<input type="hidden" name="{STROKES}" value="([^"]*)">', html).group(1)
    assert json.loads(shown.replace("&#34;", '"').replace("&quot;", '"'))["strokes"] == drawn["strokes"]

    # Continuing without changing it keeps the time it was signed.
    clock.advance(minutes=10)
    post_page(client, change, **{STROKES: shown.replace("&#34;", '"').replace("&quot;", '"'), TYPED: ""})
    assert answers_of(store)[SIGNATURE]["signed_at"] == drawn["signed_at"]


def test_someone_elses_drawing_is_never_shown_from_the_page_cache(client, app):
    form = blue_badge(app)
    url = walk_to(client, form, form.page(PAGE))
    post_page(client, url, **{STROKES: json.dumps(DRAWING)})
    assert "160.6" in client.get(f"{url}?change=1").get_data(as_text=True)
    assert "160.6" in client.get(url).get_data(as_text=True)
    other = app.test_client()
    url = walk_to(other, form, form.page(PAGE))
    html = other.get(url).get_data(as_text=True)
    assert f'<input type="hidden" name="{STROKES}" value="">' in html and "160.6" not in html


def test_a_helper_holding_the_tablet_is_who_signed_with(client, app, store):
    form = blue_badge(app)
    sign_in(client)
    url = start_resident(client, form.id)
    for _ in range(80):
        page, number = page_from_url(form, url)
        if page is form.page(PAGE):
            break
        response = client.get(url)
        data = {"csrf_token": csrf_token(response)}
        if page.kind == "repeat" and number is None:
            data["add-another"] = "no" if "govuk-summary-card__title" in response.get_data(as_text=True) else "yes"
        else:
            for question in page.questions:
                data.update(example_raw(question, exit_values(page)))
        url = client.post(url, data=data).headers["Location"]
    post_page(client, url, **{STROKES: json.dumps(DRAWING)})
    assert answers_of(store)[SIGNATURE]["signed_by"] == "helper"


def structure_alt_texts(pdf: bytes) -> list[str]:
    """The /Alt texts of the figures in a tagged PDF's structure tree."""
    from pypdf import PdfReader

    found = []

    def walk(node):
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for kid in node:
                walk(kid)
        elif hasattr(node, "get"):
            if node.get("/S") == "/Figure" and "/Alt" in node:
                found.append(str(node["/Alt"]))
            if "/K" in node:
                walk(node["/K"])

    walk(PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/StructTreeRoot"])
    return found


def finish(client, form) -> str:
    """From check answers: send, and the reference on the confirmation page."""
    page = client.get(f"/forms/{form.id}/check-answers")
    response = client.post(f"/forms/{form.id}/check-answers", data={"csrf_token": csrf_token(page)})
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    return REFERENCE.search(html).group(1)


def test_the_copy_shows_the_drawing_with_when_and_by_whom(client, app, clock):
    form = blue_badge(app)
    clock.now = clock.now.replace(year=2026, month=12, day=3, hour=14, minute=5, second=0)
    url = walk_to(client, form, form.page(PAGE))
    post_page(client, url, **{STROKES: json.dumps(DRAWING)})
    clock.advance(minutes=2)
    reference = finish(client, form)
    pdf = client.get(f"/print/copy/{reference}.pdf").data
    text = flat(pdf_text(pdf))
    assert "Your signature Signed on 3 December 2026 at 14:05 Signed on screen by the resident" in text
    assert "Signature of the applicant" in structure_alt_texts(pdf)


def test_the_copy_shows_a_typed_name(client, app, clock):
    form = blue_badge(app)
    clock.now = clock.now.replace(year=2026, month=7, day=1, hour=9, minute=30, second=0)  # summer time
    url = walk_to(client, form, form.page(PAGE))
    post_page(client, url, **{TYPED: "Jane Smith"})
    text = flat(pdf_text(client.get(f"/print/copy/{finish(client, form)}.pdf").data))
    assert "Your signature Typed name: Jane Smith Signed on 1 July 2026 at 10:30" in text
    assert "Signature of the applicant" not in text


def test_the_paper_form_has_a_box_to_sign_and_date(client, app):
    response = client.get("/print/forms/blue-badge/paper-form.pdf")
    text = flat(pdf_text(response.data))
    number = blue_badge(app).number_of(SIGNATURE)
    assert f"{number} Your signature Date Day Month Year" in text


def test_the_signature_stamp_is_the_stores_utc_time(client, app, store, clock):
    form = blue_badge(app)
    clock.now = clock.now.replace(year=2026, month=12, day=3, hour=14, minute=5, second=7)
    url = walk_to(client, form, form.page(PAGE))
    post_page(client, url, **{TYPED: "Jane Smith"})
    assert answers_of(store)[SIGNATURE]["signed_at"] == "2026-12-03T14:05:07Z"
