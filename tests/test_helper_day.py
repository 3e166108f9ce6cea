"""A helper's day without traps: Back from the first question, private questions that announce
themselves first, where the resident has got to, the confirmation's next steps, reprinting a copy,
kiosk help requests that show on every helper page, and removing an item by its name."""

from __future__ import annotations

import re

from assisted_support import (  # noqa: F401 - fixtures
    HELPER, VENUE, answer_page, answer_until, app, client, clock, forms, journey_id_of, location, post, sign_in,
    start_resident, store,
)
from conftest import csrf_token
from support import page_from_url


def _private_page_url(client, form, first):
    def private(url):
        page = page_from_url(form, url)[0]
        return bool(page and page.questions and any(q.private for q in page.questions))

    return answer_until(client, form, first, private)[0]


def test_a_private_question_offers_the_hand_over_first_as_the_main_action(client, app):
    sign_in(client)
    form = forms(app)["council-tax-reduction"]
    url = _private_page_url(client, form, start_resident(client, form.id))
    html = client.get(url).get_data(as_text=True)
    hand_over = html.index('action="/helpers/resident/hand-over"')
    assert html.index("This question is private") < hand_over < html.index('id="question-form"')
    assert html.count('action="/helpers/resident/hand-over"') == 1
    main = re.search(r'<form method="post" action="/helpers/resident/hand-over".*?</form>', html, re.S).group(0)
    assert 'class="govuk-button"' in main  # the primary button
    continue_button = re.search(r'<form method="post" id="question-form".*?</form>', html, re.S).group(0)
    assert "govuk-button--secondary" in continue_button  # Continue is the second choice


def test_a_plain_question_keeps_the_hand_over_below_as_a_second_choice(client, app):
    sign_in(client)
    first = start_resident(client, "missed-bin")
    html = client.get(first).get_data(as_text=True)
    assert "This question is private" not in html
    assert html.index('id="question-form"') < html.index('action="/helpers/resident/hand-over"')


def test_only_the_helper_sees_how_far_the_resident_has_got(client, app):
    sign_in(client)
    form = forms(app)["missed-bin"]
    first = start_resident(client, form.id)
    assert re.search(r"Question 1 of about \d+", client.get(first).get_data(as_text=True))
    second = answer_page(client, form, first)
    assert re.search(r"Question 2 of about \d+", client.get(second).get_data(as_text=True))
    post(client, "/helpers/resident/hand-over", {"next": second}, token_from=second)
    assert "Question 2 of about" not in client.get(second).get_data(as_text=True)  # the resident holds it
    own = app.test_client()
    page = own.get(f"/forms/{form.id}/")
    url = location(own.post(f"/forms/{form.id}/start", data={"csrf_token": csrf_token(page)}))
    assert "of about" not in own.get(url).get_data(as_text=True)


def test_back_from_the_first_question_is_the_helpers_step_and_loses_nothing(client, app, store):
    sign_in(client)
    form = forms(app)["missed-bin"]
    first = start_resident(client, form.id)
    answer_page(client, form, first)
    journey_id = journey_id_of(store)
    html = client.get(first).get_data(as_text=True)
    back = re.search(r'<a href="([^"]+)" class="govuk-back-link"', html).group(1)
    page = client.get(location(client.get(back)))
    text = page.get_data(as_text=True)
    assert "You are helping a resident with Report a missed bin collection" in text
    assert "Carry on with this form" in text
    carry_on = re.search(r'<a href="([^"]+)" role="button"[^>]*>\s*Carry on with this form', text).group(1)
    assert carry_on.startswith(f"/forms/{form.id}/") and client.get(carry_on).status_code == 200
    assert store.get_journey(journey_id)["status"] == "in_progress" and store.get_journey(journey_id)["answers"]
    for chosen in (form.id, "school-meals"):  # a form chosen here is the next resident's, asked first
        response = client.post("/helpers/help", data={"csrf_token": csrf_token(page), "form": chosen})
        assert location(response).endswith("/helpers/resident/finish")
        assert store.get_journey(journey_id)["status"] == "in_progress"


def _submit_for_resident(client, app) -> str:
    form = forms(app)["missed-bin"]
    first = start_resident(client, form.id)
    answer_until(client, form, first, lambda url: url.endswith("/check-answers"))
    response = post(client, "/forms/missed-bin/check-answers", token_from="/forms/missed-bin/check-answers")
    assert location(response).endswith("/forms/missed-bin/confirmation")
    html = client.get("/forms/missed-bin/confirmation").get_data(as_text=True)
    return re.search(r'class="assist-reference" dir="ltr">([A-Z0-9-]+)<', html).group(1)


def test_the_helpers_confirmation_leads_with_print_and_the_next_resident(client, app):
    sign_in(client)
    reference = _submit_for_resident(client, app)
    html = client.get("/forms/missed-bin/confirmation").get_data(as_text=True)
    assert f'href="/print/copy/{reference}"' in html and "Print the resident's copy" in html
    assert "Finish and help the next resident" in html
    assert "Go back to the list of council forms" not in html
    done = post(client, "/helpers/resident/finish", token_from="/forms/missed-bin/confirmation")
    assert location(done).endswith("/helpers/")  # nothing unsent: one tap


def test_my_residents_today_reprints_the_copy_while_the_session_lasts(client, app):
    sign_in(client)
    reference = _submit_for_resident(client, app)
    today = client.get("/helpers/today").get_data(as_text=True)
    assert f'href="/print/copy/{reference}"' in today and "Print the copy again" in today
    assert client.get(f"/print/copy/{reference}").status_code == 200
    post(client, "/helpers/resident/finish", token_from="/helpers/")
    today = client.get("/helpers/today").get_data(as_text=True)
    assert reference in today and f'href="/print/copy/{reference}"' not in today
    assert client.get(f"/print/copy/{reference}").status_code == 404


def test_a_kiosk_help_request_shows_on_every_helper_page_at_the_venue(client, app, store):
    sign_in(client)
    assert "asking for help" not in client.get("/helpers/").get_data(as_text=True)
    store.request_help(VENUE, None, "en")
    for url in ("/helpers/", "/helpers/today", "/helpers/help"):
        text = client.get(url).get_data(as_text=True)
        assert "1 resident at a kiosk here is asking for help." in text and 'href="/helpers/kiosk-requests"' in text
    assert "at a kiosk here is asking" not in client.get("/helpers/kiosk-requests").get_data(as_text=True)


def test_removing_an_item_names_it_by_its_answer(client, app):
    sign_in(client)
    form = forms(app)["school-meals"]
    first = start_resident(client, form.id)
    repeat = next(page for page in form.pages if page.kind == "repeat")
    url, _ = answer_until(client, form, first, lambda u: u.endswith(f"/{repeat.id}")
                          and "govuk-summary-card" in client.get(u).get_data(as_text=True))
    summary = client.get(url).get_data(as_text=True)
    remove = re.search(rf'href="(/forms/{form.id}/{repeat.id}/1/remove)"', summary).group(1)
    page = client.get(remove).get_data(as_text=True)
    assert re.search(r"<h1[^>]*>\s*Are you sure you want to remove Zebedee Quillfeather\?", page)
    assert "<title>Are you sure you want to remove child 1?" in page  # the browser's history keeps no name


def test_after_a_change_check_answers_opens_at_the_row_that_changed(client, app):
    form = forms(app)["missed-bin"]
    page = client.get(f"/forms/{form.id}/")
    first = location(client.post(f"/forms/{form.id}/start", data={"csrf_token": csrf_token(page)}))
    answer_until(client, form, first, lambda url: url.endswith("/check-answers"))
    check = client.get(f"/forms/{form.id}/check-answers").get_data(as_text=True)
    changed = form.pages[1]
    change = f"/forms/{form.id}/{changed.id}?change=1"
    assert f'href="{change}"' in check and f'id="answer-{changed.id}"' in check
    done = answer_page(client, form, change)
    assert done == f"/forms/{form.id}/check-answers#answer-{changed.id}"
