"""Keying a paper form in a section at a time, checking every answer before Send, and answers to
questions the paper told the resident to skip: listed apart, dropped by default or kept apart."""

from __future__ import annotations

import re

from assisted_support import app, client, clock, location, sign_in, store  # noqa: F401
from conftest import csrf_token
from test_paper_keying import entry_data, forms, key_sections, open_keying, paper_ref, send_paper, sent_reference


def form_steps(form):
    from assist.web.paper.steps import form_steps

    return form_steps(form)


def section_of(form, page_id: str) -> int:
    """The number of the keying section holding ``page_id``."""
    return next(step.number for step in form_steps(form) if form.page(page_id) in step.pages)


def skipped_diet(form) -> dict:
    """A school-meals paper copy where the resident said no special diet, then described one anyway."""
    data = entry_data(form)
    data["special-diet"] = "no"
    data["diet-details"] = "No nuts, a nut allergy"
    return data


def test_a_section_at_a_time_with_continue_and_a_back_link_that_keeps_what_was_typed(app, client, store):
    form = forms(app)["school-meals"]
    sign_in(client)
    url = location(open_keying(client, paper_ref(app), "S1"))
    first = client.get(f"{url}/sections/1")
    html = first.get_data(as_text=True)
    assert 'name="gets-benefits"' in html and 'name="parent-name"' not in html, "one section, not the whole form"
    assert "Section 1 of" in html
    response = client.post(f"{url}/sections/1", data={"csrf_token": csrf_token(first), "gets-benefits": "yes",
                                                      "benefits": "universal-credit", "action": "continue"})
    second = location(response)
    assert second.endswith(f"{url}/sections/2")
    html = client.get(second).get_data(as_text=True)
    assert 'name="parent-name"' in html and 'name="gets-benefits"' not in html
    assert f'href="{url}/sections/1" class="govuk-back-link"' in html or f'class="govuk-back-link" href="{url}/sections/1"' in html
    again = client.get(f"{url}/sections/1").get_data(as_text=True)
    assert re.search(r'value="yes"[^>]*checked', again), "Back shows what was typed"
    assert re.search(r'value="universal-credit"[^>]*checked', again)
    # The list of sections shows how far keying has got, and jumps to any of them.
    overview = client.get(url).get_data(as_text=True)
    assert "Completed" in overview and "Not yet started" in overview
    assert f'href="{url}/sections/{len(form_steps(form))}"' in overview
    assert store.count_submissions() == 0


def test_check_answers_lists_every_keyed_answer_with_change_links_that_come_back(app, client, store):
    form = forms(app)["school-meals"]
    sign_in(client)
    url = location(open_keying(client, paper_ref(app), "S2"))
    data = entry_data(form)
    check = key_sections(client, url, data)
    assert check == f"{url}/check"
    page = client.get(check)
    html = page.get_data(as_text=True)
    assert "Check the answers before sending them" in html
    assert "Sam Example" in html and "Universal Credit" in html
    step = section_of(form, "parent-name")
    change = f'{url}/sections/{step}?check=1#parent-name'
    assert f'href="{change}"' in html and 'Change<span class="govuk-visually-hidden"> what is your full name' in html
    assert "Answers to questions the paper told the resident to skip" not in html
    # Nothing typed travels in the page: the form holds only the choices made on it.
    names = set(re.findall(r'<input[^>]*name="([^"]+)"', html))
    assert names <= {"csrf_token", "paper-signed"}
    assert store.count_submissions() == 0 and store.db.execute("select count(*) from journeys").fetchone()[0] == 0
    sealed = " ".join(row[0] for row in store.db.execute("select data from browser_sessions"))
    assert "Sam Example" not in sealed, "what was typed is kept encrypted on the server"
    # Change: the section, then back to the check page.
    section = client.get(change.split("#")[0])
    assert f'href="{check}"' in section.get_data(as_text=True)
    response = client.post(change.split("#")[0], data={"csrf_token": csrf_token(section), **data,
                                                        "parent-name": "Alex Example", "action": "continue"})
    assert location(response) == check
    assert "Alex Example" in client.get(check).get_data(as_text=True)
    response = client.post(check, data={"csrf_token": csrf_token(page), "paper-signed": "yes"})
    submission = store.get_submission(sent_reference(response))
    assert submission["answers"]["parent-name"] == "Alex Example"
    assert "Alex Example" not in client.get(url.replace("S2", "S3") + "/check").get_data(as_text=True), \
        "what was typed goes once it is sent"


def test_an_answer_the_paper_said_to_skip_is_listed_and_dropped_by_default(app, client, store):
    form = forms(app)["school-meals"]
    sign_in(client)
    url = location(open_keying(client, paper_ref(app), "S4"))
    check = key_sections(client, url, skipped_diet(form))
    page = client.get(check)
    html = page.get_data(as_text=True)
    heading = html.index("Answers to questions the paper told the resident to skip")
    assert html.index("No nuts, a nut allergy") > heading, "listed under its own heading"
    assert f'href="{url}/sections/{section_of(form, "diet-details")}?check=1#diet-details"' in html
    assert re.search(r'value="drop"[^>]*checked', html), "dropped unless the helper chooses otherwise"
    response = client.post(check, data={"csrf_token": csrf_token(page), "paper-signed": "yes"})
    submission = store.get_submission(sent_reference(response))
    assert "diet-details" not in submission["answers"] and submission["answers_outside_route"] == {}
    text = client.get(location(response)).get_data(as_text=True)
    assert "Those answers were not sent." in text


def test_an_answer_the_paper_said_to_skip_can_be_kept_and_travels_apart(app, client, store):
    from assist.delivery import Worker
    from assist.delivery.payload import summary_text
    from assist.printouts import Printouts

    form = forms(app)["school-meals"]
    sign_in(client)
    url = location(open_keying(client, paper_ref(app), "S5"))
    response = send_paper(client, url, skipped_diet(form), **{"outside-route": "keep"})
    reference = sent_reference(response)
    assert "sent apart from the others" in client.get(location(response)).get_data(as_text=True)
    submission = store.get_submission(reference)
    assert "diet-details" not in submission["answers"]
    assert submission["answers_outside_route"] == {"diet-details": "No nuts, a nut allergy"}
    config = app.extensions["assist.config"]
    document = Worker(store, forms(app), config).document(reference)
    assert "diet-details" not in document["answers"]
    assert document["answers_outside_route"]["diet-details"]["display"] == "No nuts, a nut allergy"
    assert "Answered on paper although the form said to skip" in summary_text(document)
    copy = Printouts(config).completed_copy_html(form, submission, for_council=True)
    assert copy.index("Answered on paper although the form said to skip") < copy.index("No nuts, a nut allergy")
    # The same copy again with the skipped answer dropped: the same answers, refused.
    again = send_paper(client, location(open_keying(client, paper_ref(app), "S6")), skipped_diet(form))
    assert again.status_code == 409 and store.count_submissions() == 1


def test_a_section_the_paper_said_to_skip_is_not_needed_and_continue_passes_it(app, client):
    form = forms(app)["council-tax-reduction"]
    sign_in(client)
    url = location(open_keying(client, paper_ref(app, "council-tax-reduction"), "S7"))
    data = entry_data(form)
    data["lives-with-others"] = "no"
    household = section_of(form, "household")
    before = section_of(form, "lives-with-others")
    page = client.get(f"{url}/sections/{before}")
    response = client.post(f"{url}/sections/{before}", data={"csrf_token": csrf_token(page), **data})
    assert location(response).endswith(f"/sections/{household + 1}")
    overview = client.get(url).get_data(as_text=True)
    row = re.search(rf'href="{url}/sections/{household}".*?</li>', overview, re.S).group(0)
    assert "Not needed" in row


def test_what_was_typed_is_offered_back_on_the_enter_page_and_goes_at_sign_out(app, client):
    sign_in(client)
    url = location(open_keying(client, paper_ref(app), "S8"))
    page = client.get(f"{url}/sections/2")
    client.post(f"{url}/sections/2", data={"csrf_token": csrf_token(page), "parent-name": "Sam Example",
                                           "action": "continue"})
    enter = client.get("/helpers/paper/").get_data(as_text=True)
    assert "You have not sent the paper form you were keying in" in enter and f'href="{url}"' in enter
    client.post("/helpers/sign-out", data={"csrf_token": csrf_token(client.get("/helpers/"))})
    sign_in(client)
    assert "Sam Example" not in client.get(f"{url}/sections/2").get_data(as_text=True)
    assert "You have not sent" not in client.get("/helpers/paper/").get_data(as_text=True)


def test_each_section_keys_the_pages_under_its_heading_on_paper(app):
    from assist.printouts.context import blank_context

    for form in forms(app).values():
        printed = {block["id"]: section["title"] for section in blank_context(form, None)["sections"]
                   for block in section["blocks"]}
        for step in form_steps(form):
            assert {printed[page.id] for page in step.pages} == {step.section}, (form.id, step.title)
    badge = forms(app)["blue-badge"]
    assert next(s for s in form_steps(badge) if badge.page("walking-difficulty") in s.pages).title == \
        "Walking and journeys"


def test_kept_answers_outside_the_route_are_encrypted_and_deleted_with_the_answers(store):
    from assist.engine import make_reference

    reference = store.submit_paper(
        form_id="school-meals", form_version="2026.1", language="en", paper_reference="PAPER-SM-2026.1-EN-K7MX",
        paper_number="R1", answers={"special-diet": "no"}, outside_route={"diet-details": "Nut allergy"},
        reference_factory=lambda: make_reference("SM"))
    [sealed] = store.db.execute("select answers from submissions where reference = ?", [reference]).fetchone()
    assert "Nut allergy" not in sealed
    kept = store.get_submission(reference)
    assert kept["answers"] == {"special-diet": "no"} and kept["answers_outside_route"] == {"diet-details": "Nut allergy"}
    assert store.delete_submission_answers([reference]) == 1  # (no destinations here: nothing to wait for)
    assert store.get_submission(reference)["answers_outside_route"] == {}
