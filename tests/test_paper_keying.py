"""Keying in paper forms: paper reference and number, a section at a time, check and send, the same
pipeline, no duplicates."""

from __future__ import annotations

import json
import re

import pytest

from assisted_support import HELPER, VENUE, app, client, clock, location, sign_in, store  # noqa: F401
from conftest import csrf_token
from support import example_raw, exit_values


def forms(app):
    return app.extensions["assist.forms"]


def paper_ref(app, form_id="school-meals", language="en"):
    from assist.printouts.references import paper_reference

    return paper_reference(forms(app)[form_id], language)


def entry_data(form, children: int = 2) -> dict:
    """What a helper types from a filled-in paper form: every question on the route, a child per slot."""
    data = {}
    for page in form.pages:
        if page.is_repeat:
            for n in range(1, children + 1):
                for question in page.questions:
                    for name, value in example_raw(question).items():
                        data[f"{page.id}-{n}-{name}"] = value
            continue
        for question in page.questions:
            data.update(example_raw(question, exit_values(page)))
    data["paper-signed"] = "yes"
    data["action"] = "send"
    return data


def open_keying(client, reference: str, number: str):
    page = client.get("/helpers/paper/")
    assert page.status_code == 200
    response = client.post("/helpers/paper/", data={"csrf_token": csrf_token(page), "paper-reference": reference,
                                                    "paper-number": number})
    return response


def key_sections(client, url: str, data: dict) -> str:
    """Key ``data`` in from the copy's page ``url`` a section at a time, pressing Continue on each
    until the check page; returns the check page's address."""
    target = f"{url}/sections/1"
    for _ in range(40):
        page = client.get(target)
        assert page.status_code == 200, target
        response = client.post(target, data={"csrf_token": csrf_token(page), **data, "action": "continue"})
        assert response.status_code == 302, (target, response.get_data(as_text=True)[:3000])
        target = location(response)
        if target.endswith("/check"):
            return target
    raise AssertionError("never reached the check page")


def send_paper(client, url: str, data: dict, **choices):
    """Key ``data`` in section by section, then Send from the check page; the response to Send."""
    check = key_sections(client, url, data)
    page = client.get(check)
    signed = {"paper-signed": data["paper-signed"]} if "paper-signed" in data else {}
    return client.post(check, data={"csrf_token": csrf_token(page), **signed, **choices, "action": "send"})


def sent_reference(response) -> str:
    return re.search(r"/submissions/([A-Z0-9-]+)\?", location(response)).group(1)


def test_helper_keys_in_a_paper_form_and_it_enters_the_same_pipeline(app, client, store):
    from assist.web.paper.steps import form_steps

    form = forms(app)["school-meals"]
    sign_in(client)
    assert "/helpers/paper/" in client.get("/helpers/").get_data(as_text=True)
    reference = paper_ref(app)
    # Typed as a helper might: lower case, spaces for hyphens.
    response = open_keying(client, reference.lower().replace("-", " "), "k7 mx-2")
    url = location(response)
    assert url.endswith(f"/helpers/paper/{reference}/K7MX2")
    page = client.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    steps = form_steps(form)
    for step in steps:  # the sections of the paper form, each a page of its own
        assert f'href="{url}/sections/{step.number}"' in html
        assert "Not yet started" in html
    sections = "".join(client.get(f"{url}/sections/{s.number}").get_data(as_text=True) for s in steps)
    for p in form.pages:  # every page of the paper form with something to type, fields from the same templates
        if any(q.type != "content" for q in p.questions):
            assert f'id="page-{p.id}"' in sections
    assert 'name="children-1-child-name"' in sections and 'name="children-3-child-name"' in sections
    data = entry_data(form)
    response = send_paper(client, url, data)
    done = location(response)
    submission_reference = sent_reference(response)
    page = client.get(done)
    text = page.get_data(as_text=True)
    assert submission_reference in text and "Paper form sent" in text
    assert "Sam Example" not in text and "sam@example.com" not in text, "the submission page never shows answers"

    submission = store.get_submission(submission_reference)
    assert submission["mode"] == "paper" and submission["language"] == "en"
    assert submission["helper_id"] == HELPER and submission["venue_id"] == VENUE
    assert len(submission["answers"]["children"]) == 2
    assert submission["answers"]["children"][0]["child-name"] == "Sam Example"
    assert submission["answers_outside_route"] == {}
    from assist.engine import Journey

    assert Journey(form, submission["answers"]).is_complete()
    copy = store.get_paper_copy(submission_reference)
    assert copy["paper_reference"] == reference and copy["paper_number"] == "K7MX2"
    # The same outbox as screen submissions, and the JSON keeps the paper reference and number.
    [row] = store.list_deliveries(reference=submission_reference)
    assert row["destination"] == "folder" and row["status"] == "pending"
    from assist.delivery import Worker

    document = Worker(store, forms(app), app.extensions["assist.config"]).document(submission_reference)
    assert document["mode"] == "paper" and "answers_outside_route" not in document
    assert document["paper"]["reference"] == reference and document["paper"]["number"] == "K7MX2"
    assert document["helper"] == {"id": HELPER, "name": "Sam Helper"}
    events = [r[0] for r in store.db.execute("select event from audit")]
    assert "paper_keyed" in events
    assert not any("Sam Example" in (r[0] or "") for r in store.db.execute("select detail from audit"))

    # The same paper reference and number again: refused, with a link to the submission.
    response = open_keying(client, reference, "K7MX-2")
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "This paper form has already been keyed in" in text
    assert f'href="/helpers/paper/submissions/{submission_reference}"' in text
    assert client.get(f"/helpers/paper/submissions/{submission_reference}").status_code == 200
    # ... also straight to the keying pages' addresses.
    for address in (url, f"{url}/sections/1", f"{url}/check"):
        assert client.get(address).status_code == 409, address
    # The same answers from a copy whose box was left empty (a new number): refused when sending.
    other = location(open_keying(client, reference, "ZZ99"))
    response = send_paper(client, other, data)
    assert response.status_code == 409
    assert submission_reference in response.get_data(as_text=True)
    assert store.count_submissions() == 1


def test_mistakes_are_shown_in_their_section_with_the_engines_messages_and_nothing_is_stored(app, client, store):
    from assist.web.paper.steps import form_steps

    form = forms(app)["school-meals"]
    sign_in(client)
    url = location(open_keying(client, paper_ref(app), "A1"))
    data = entry_data(form, children=1)
    ni = next(q for q in form.questions() if q.type == "ni_number")
    data[ni.id] = "not an NI number"
    step = next(s for s in form_steps(form) if form.page_of(ni.id) in s.pages)
    section = f"{url}/sections/{step.number}"
    page = client.get(section)
    response = client.post(section, data={"csrf_token": csrf_token(page), **data, "action": "continue"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "<title>Error: " in html and "There is a problem" in html
    assert "Enter your National Insurance number in the correct format" in html
    assert f'href="#{ni.id}"' in html
    assert 'value="not an NI number"' in html, "never clear what was typed"
    assert store.count_submissions() == 0
    # Leaving the section and coming back: what was typed is still there.
    client.get(url)
    assert 'value="not an NI number"' in client.get(section).get_data(as_text=True)
    assert "There is a problem" in client.get(url).get_data(as_text=True)
    # "Add another child" gives a fourth slot, keeping what was typed.
    children = next(s for s in form_steps(form) if s.repeat is not None)
    target = f"{url}/sections/{children.number}"
    page = client.get(target)
    assert 'name="children-4-child-name"' not in page.get_data(as_text=True)
    response = client.post(target, data={"csrf_token": csrf_token(page), **data, "action": "add:children"})
    html = client.get(location(response)).get_data(as_text=True)
    assert 'name="children-4-child-name"' in html and 'value="Sam Example"' in html
    # Sending without the declaration ticked: refused on the check page, nothing stored.
    data.update(example_raw(ni))
    data.pop("paper-signed")
    response = send_paper(client, url, data)
    assert response.status_code == 400
    assert "Select if the resident signed and dated the declaration" in response.get_data(as_text=True)
    assert store.count_submissions() == 0


def test_answers_leading_to_an_exit_cannot_be_sent(app, client, store):
    form = forms(app)["blue-badge"]
    sign_in(client)
    url = location(open_keying(client, paper_ref(app, "blue-badge"), "B2"))
    data = entry_data(form)
    first = form.pages[0]
    exit_value = next(route.if_value for route in first.routes if route.exit)
    data[first.questions[0].id] = exit_value
    page = client.get(f"{url}/sections/1")
    response = client.post(f"{url}/sections/1", data={"csrf_token": csrf_token(page), **data})
    assert response.status_code == 400
    assert "means the resident cannot use this form" in response.get_data(as_text=True)
    page = client.get(f"{url}/check")
    assert "means the resident cannot use this form" in page.get_data(as_text=True)
    response = client.post(f"{url}/check", data={"csrf_token": csrf_token(page), "paper-signed": "yes"})
    assert response.status_code == 400
    assert "means the resident cannot use this form" in response.get_data(as_text=True)
    assert store.count_submissions() == 0


@pytest.mark.parametrize("typed, message", [
    ("", "Enter the paper reference printed at the top of the paper form"),
    ("PAPER-SM-2026.1-EN-AAAA", "Enter the paper reference exactly as it is printed"),
    ("hello", "Enter the paper reference exactly as it is printed"),
])
def test_paper_reference_must_be_a_real_one(app, client, typed, message):
    sign_in(client)
    response = open_keying(client, typed, "1")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_a_paper_form_of_an_older_version_is_refused_with_the_reason(app, client):
    from assist.printouts.references import PAPER, _digest, form_prefix

    form = forms(app)["school-meals"]
    old = "-".join([PAPER, form_prefix(form), "2025.1", "EN", _digest(form.id, "2025.1", "en")])
    sign_in(client)
    response = open_keying(client, old, "1")
    assert response.status_code == 400
    assert "version 2025.1" in response.get_data(as_text=True)


def test_a_scanned_qr_value_and_a_missing_number(app, client):
    sign_in(client)
    response = open_keying(client, f"https://example.gov.uk/p/{paper_ref(app)}", "")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Enter the paper number from the ‘Office use’ box" in html
    assert "paper reference exactly" not in html
    assert 'src="/assets/paper.js"' in html and "data-scan hidden" in html


def test_only_signed_in_helpers_key_in_paper_forms(app, client):
    response = client.get("/helpers/paper/")
    assert "/helpers/sign-in" in location(response)
    response = client.get(f"/helpers/paper/{paper_ref(app)}/A1")
    assert "/helpers/sign-in" in location(response)


def test_blank_paper_form_has_an_office_use_paper_number_box(app):
    from assist.printouts import Printouts

    html = Printouts(app.extensions["assist.config"]).blank_form_html(forms(app)["school-meals"])
    assert "Office use: paper number" in html and 'class="answer-box paper-number"' in html


def test_council_admins_see_failed_deliveries_and_can_try_again(app, client, store):
    from assisted_support import PIN

    store.add_helper("Ada Admin", PIN, [VENUE], role="council_admin", helper_id="ada")
    sign_in(client)
    assert client.get("/helpers/deliveries/").status_code == 403
    client.post("/helpers/sign-out", data={"csrf_token": csrf_token(client.get("/helpers/"))})
    sign_in(client, helper="ada")
    form = forms(app)["school-meals"]
    url = location(open_keying(client, paper_ref(app), "C3"))
    reference = sent_reference(send_paper(client, url, entry_data(form, 1)))
    [row] = store.list_deliveries(reference=reference)
    store.mark_attempt_failed(row["id"], "w", "connection refused", None)
    page = client.get("/helpers/deliveries/")
    html = page.get_data(as_text=True)
    assert reference in html and "connection refused" in html
    response = client.post(f"/helpers/deliveries/{row['id']}/retry", data={"csrf_token": csrf_token(page)})
    assert location(response).endswith("/helpers/deliveries/")
    assert store.get_delivery(row["id"])["status"] == "pending"
    assert json.dumps(store.delivery_counts()) == json.dumps({"pending": 1, "delivered": 0, "failed": 0})
