"""Assisted mode: a resident session on a shared tablet — who it is for, consent, helper prompts,
handing the tablet over, who typed what, and the next resident seeing nothing of the last."""

from __future__ import annotations

import re

from assisted_support import (  # noqa: F401 - fixtures
    HELPER, PIN, SECRETS, VENUE, answer_page, answer_until, app, client, clock, forms, journey_id_of, location,
    post, sign_in, start_resident, store,
)
from conftest import csrf_token
from support import page_from_url

REFERENCE = re.compile(r'class="assist-reference" dir="ltr">([A-Z0-9-]+)<')


def test_choosing_a_form_asks_who_it_is_for_then_what_to_bring_then_consent(client, app):
    sign_in(client)
    form = forms(app)["blue-badge"]
    page = client.get("/helpers/help")
    assert "Which form does the resident need?" in page.get_data(as_text=True)
    response = client.post("/helpers/help", data={"csrf_token": csrf_token(page), "form": form.id})
    assert location(response).endswith("/helpers/resident/who")
    # Skipping ahead does not work.
    assert location(client.get("/helpers/resident/consent")).endswith("/helpers/resident/who")
    assert location(client.get("/helpers/resident/what-to-bring")).endswith("/helpers/resident/who")
    page = client.get("/helpers/resident/who")
    response = client.post("/helpers/resident/who", data={"csrf_token": csrf_token(page), "resident-name": ""})
    assert response.status_code == 400
    assert "Enter the name of the resident you are helping" in response.get_data(as_text=True)
    response = client.post("/helpers/resident/who", data={"csrf_token": csrf_token(page), "resident-name": "Rita"})
    html = client.get(location(response)).get_data(as_text=True)
    for item in form.what_to_bring:
        assert item in html
    html = client.get("/helpers/resident/consent").get_data(as_text=True)
    assert "My name is Sam Helper. I work at Central Library" in html
    assert "I agree" in html


def test_helper_cannot_apply_for_themselves_without_saying_so(client, store):
    sign_in(client)
    page = client.get("/helpers/help")
    client.post("/helpers/help", data={"csrf_token": csrf_token(page), "form": "missed-bin"})
    page = client.get("/helpers/resident/who")
    response = client.post("/helpers/resident/who", data={"csrf_token": csrf_token(page),
                                                          "resident-name": " sam  helper "})
    assert location(response).endswith("/helpers/resident/who/your-own-name")
    # Not confirmed: no way on to what to bring or consent.
    assert location(client.get("/helpers/resident/consent")).endswith("/helpers/resident/who")
    page = client.get("/helpers/resident/who/your-own-name")
    html = page.get_data(as_text=True)
    assert "You entered your own name" in html and "I am applying for myself" in html
    response = client.post("/helpers/resident/who/your-own-name", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 400
    assert "Select if you are applying for yourself" in response.get_data(as_text=True)
    response = client.post("/helpers/resident/who/your-own-name",
                           data={"csrf_token": csrf_token(page), "for-self": "myself"})
    assert location(response).endswith("/helpers/resident/what-to-bring")
    assert store.audit_log(event="self_application_confirmed")[0]["detail"] == "myself"


def test_no_question_page_is_reachable_before_the_resident_agrees(client, app, store):
    sign_in(client)
    form = forms(app)["missed-bin"]
    start_resident(client, form.id, agree=False)
    first = form.pages[0]
    for url in (f"/forms/{form.id}/{first.id}", f"/forms/{form.id}/check-answers", f"/forms/{form.id}/{form.pages[3].id}"):
        assert location(client.get(url)).endswith("/helpers/resident/consent"), url
    page = client.get("/helpers/resident/consent")
    response = post(client, f"/forms/{form.id}/{first.id}", {first.questions[0].id: "black"}, token_from="/helpers/resident/consent")
    assert location(response).endswith("/helpers/resident/consent")
    journey = store.get_journey(journey_id_of(store))
    assert journey["answers"] == {} and journey["consent_at"] is None
    response = client.post("/helpers/resident/consent", data={"csrf_token": csrf_token(page), "answer": "agree"})
    assert location(response).endswith(f"/forms/{form.id}/{first.id}")
    journey = store.get_journey(journey_id_of(store))
    assert journey["consent_version"] and journey["consent_at"]
    assert client.get(f"/forms/{form.id}/{first.id}").status_code == 200


def test_resident_who_does_not_agree_ends_the_session(client, store):
    sign_in(client)
    start_resident(client, "missed-bin", agree=False)
    page = client.get("/helpers/resident/consent")
    response = client.post("/helpers/resident/consent", data={"csrf_token": csrf_token(page), "answer": "refuse"})
    assert location(response).endswith("/helpers/resident/not-agreed")
    assert store.get_journey(journey_id_of(store))["status"] == "in_progress"  # nothing ends until the helper says
    response = post(client, "/helpers/resident/not-agreed", token_from="/helpers/resident/not-agreed")
    assert location(response).endswith("/helpers/")
    assert store.get_journey(journey_id_of(store))["status"] == "cleared"
    assert [e["event"] for e in store.audit_log()][-2:] == ["consent_refused", "clear"]


def test_consent_is_shown_in_the_residents_language(client, store):
    sign_in(client)
    start_resident(client, "missed-bin", agree=False)
    html = client.get("/helpers/resident/consent?lang=cy", follow_redirects=True).get_data(as_text=True)
    assert 'lang="cy"' in html
    assert store.get_journey(journey_id_of(store))["language"] == "cy"


def test_helper_prompts_show_to_the_helper_and_hide_in_private_mode(client, app):
    sign_in(client)
    form = forms(app)["blue-badge"]
    first = start_resident(client, form.id)
    prompt = form.pages[0].questions[0].helper_prompt
    html = client.get(first).get_data(as_text=True)
    assert "For the helper" in html and prompt in html
    assert "Hand the tablet to the resident" in html
    response = post(client, "/helpers/resident/hand-over", {"next": first}, token_from=first)
    assert location(response) == first
    html = client.get(first).get_data(as_text=True)
    assert prompt not in html and "For the helper" not in html
    assert "Give the tablet back to Sam" in html
    assert "assist-helper-bar" not in html and "Sign out" not in html  # no helper controls for the resident
    post(client, "/helpers/resident/give-back", {"next": first}, token_from=first)
    html = client.get(first).get_data(as_text=True)
    assert prompt in html and "Give the tablet back" not in html


def test_private_questions_offer_to_hand_the_tablet_over(client, app):
    sign_in(client)
    form = forms(app)["council-tax-reduction"]
    url = start_resident(client, form.id)
    url, _ = answer_until(client, form, url, lambda u: (page_from_url(form, u)[0] or form.pages[0]).questions[0].private
                          if page_from_url(form, u)[0] and page_from_url(form, u)[0].questions else False)
    html = client.get(url).get_data(as_text=True)
    assert "This question is private" in html
    assert "Hand the tablet to the resident" in html


def test_plain_journey_shows_no_helper_prompts(app):
    client = app.test_client()
    form = forms(app)["blue-badge"]
    page = client.get(f"/forms/{form.id}/")
    url = location(client.post(f"/forms/{form.id}/start", data={"csrf_token": csrf_token(page)}))
    html = client.get(url).get_data(as_text=True)
    assert form.pages[0].questions[0].helper_prompt not in html
    assert "Hand the tablet" not in html and "Sign out" not in html


def test_who_typed_each_answer_is_recorded_and_carried_into_the_submission(client, app, store):
    sign_in(client)
    form = forms(app)["missed-bin"]
    url = start_resident(client, form.id)
    journey_id = journey_id_of(store)
    first_question = form.pages[0].questions[0].id
    url = answer_page(client, form, url)  # the helper types
    post(client, "/helpers/resident/hand-over", {"next": url}, token_from=url)
    second_page = page_from_url(form, url)[0]
    url = answer_page(client, form, url)  # the resident types
    assert store.typed_by(journey_id) == {first_question: "helper", second_page.questions[0].id: "resident"}
    post(client, "/helpers/resident/give-back", {"next": url}, token_from=url)
    url, _ = answer_until(client, form, url, lambda u: u.endswith("/check-answers"))
    html = client.get(url).get_data(as_text=True)
    response = client.post(url, data={"csrf_token": csrf_token(client.get(url))})
    html = client.get(location(response)).get_data(as_text=True)
    reference = REFERENCE.search(html).group(1)
    submission = store.get_submission(reference)
    assert submission["mode"] == "assisted"
    assert submission["venue_id"] == VENUE and submission["helper_id"] == HELPER
    typed = submission["typed_by"]
    assert typed[first_question] == "helper"
    assert typed[second_page.questions[0].id] == "resident"
    assert set(typed) <= set(submission["answers"])
    assert set(typed.values()) == {"helper", "resident"}
    assert [e["event"] for e in store.audit_log(journey_id=journey_id)] == [
        "session_start", "consent", "hand_over", "give_back", "submit"]


def _resident_a(client, app, store):
    """Resident A gets to check answers on the Blue Badge form with distinctive answers."""
    form = forms(app)["missed-bin"]
    url = start_resident(client, form.id, name="Zebedee Quillfeather")
    end, visited = answer_until(client, form, url, lambda u: u.endswith("/check-answers"))
    html = client.get(end).get_data(as_text=True)
    assert any(secret in html for secret in SECRETS), "resident A's answers should be on check answers"
    return form, visited + [end], journey_id_of(store)


def _assert_nothing_of_a(client, urls):
    for url in urls + ["/helpers/", "/helpers/today", "/", "/carry-on/"]:
        response = client.get(url, follow_redirects=True)
        html = response.get_data(as_text=True)
        for secret in SECRETS:
            assert secret not in html, (url, secret)


def test_next_resident_sees_nothing_of_the_last_after_finish_and_clear(client, app, store):
    sign_in(client)
    form, urls, journey_a = _resident_a(client, app, store)
    response = post(client, "/helpers/resident/finish", {"confirmed": "yes"}, token_from=urls[-1])
    assert location(response).endswith("/helpers/")
    assert "The tablet is clear" in client.get("/helpers/").get_data(as_text=True)
    assert store.get_journey(journey_a)["status"] == "cleared"
    # Old URLs (back button, history) go to a start page and show nothing.
    for url in urls:
        assert client.get(url).status_code == 302, url
    _assert_nothing_of_a(client, urls)
    # The next resident on the same form starts empty, even on the old URLs.
    first = start_resident(client, form.id, name="Bob Other")
    assert journey_id_of(store) != journey_a
    _assert_nothing_of_a(client, urls + [first])
    assert client.get(first).status_code == 200


def test_next_resident_sees_nothing_even_without_finish_and_clear(client, app, store):
    sign_in(client)
    form, urls, journey_a = _resident_a(client, app, store)
    # Straight to the next resident: A's answers not yet sent go only once the helper confirms.
    page = client.get(f"/helpers/help?form={form.id}")
    asked = client.post("/helpers/help", data={"csrf_token": csrf_token(page), "form": form.id})
    assert location(asked).endswith("/helpers/resident/finish")
    assert store.get_journey(journey_a)["status"] == "in_progress"
    post(client, "/helpers/resident/finish", {"confirmed": "yes"}, token_from="/helpers/resident/finish")
    start_resident(client, form.id, name="Bob Other")
    assert store.get_journey(journey_a)["status"] == "cleared"
    _assert_nothing_of_a(client, urls)


def test_same_helper_signing_in_again_sees_nothing_of_the_last_resident(client, app, store):
    sign_in(client)
    form, urls, journey_a = _resident_a(client, app, store)
    post(client, "/helpers/sign-out", {"confirmed": "yes"}, token_from=urls[-1])
    sign_in(client)
    _assert_nothing_of_a(client, urls)
    start_resident(client, form.id, name="Bob Other")
    _assert_nothing_of_a(client, urls)


def test_an_old_cookie_cannot_reopen_a_cleared_resident_session(client, app, store):
    sign_in(client)
    form, urls, journey_a = _resident_a(client, app, store)
    with client.session_transaction() as session:
        old = dict(session)
    post(client, "/helpers/resident/finish", {"confirmed": "yes"}, token_from=urls[-1])
    with client.session_transaction() as session:
        session.clear()
        session.update(old)  # someone replays the old cookie
    _assert_nothing_of_a(client, urls)


def test_audit_entries_never_contain_answer_values(client, app, store):
    sign_in(client)
    form, urls, journey_a = _resident_a(client, app, store)
    post(client, "/helpers/resident/hand-over", {"next": urls[-1]}, token_from=urls[-1])
    post(client, "/helpers/resident/give-back", {"next": urls[-1]}, token_from=urls[-1])
    response = client.post(urls[-1], data={"csrf_token": csrf_token(client.get(urls[-1]))})
    client.get(location(response))
    post(client, "/helpers/resident/finish", token_from="/helpers/")
    post(client, "/helpers/sign-out", token_from="/helpers/")
    rows = store.audit_log()
    events = {row["event"] for row in rows}
    assert {"sign_in", "session_start", "consent", "hand_over", "give_back", "submit", "clear", "sign_out"} <= events
    dump = repr(rows) + repr(list(store.db.execute("select * from audit")))
    for secret in SECRETS + ("Zebedee", "Quillfeather", "SW1A", "High Street"):
        assert secret not in dump
    assert all(row["at"] and row["event"] for row in rows)
    assert all(row["helper_id"] == HELPER and row["venue_id"] == VENUE for row in rows)


def test_my_residents_today_lists_only_my_sessions_with_no_answers(client, app, store):
    store.add_helper("Ali Other", "5678", [VENUE], helper_id="ali-other")
    sign_in(client)
    form, urls, journey_a = _resident_a(client, app, store)
    response = client.post(urls[-1], data={"csrf_token": csrf_token(client.get(urls[-1]))})
    reference = REFERENCE.search(client.get(location(response)).get_data(as_text=True)).group(1)
    post(client, "/helpers/resident/finish", token_from="/helpers/")
    start_resident(client, "blue-badge")
    other = app.test_client()
    sign_in(other, helper="ali-other", pin="5678")
    start_resident(other, "school-meals")
    html = client.get("/helpers/today").get_data(as_text=True)
    assert reference in html
    assert "Sent" in html and "In progress" in html
    assert forms(app)["missed-bin"].title in html and forms(app)["blue-badge"].title in html
    assert forms(app)["school-meals"].title not in html
    for secret in SECRETS:
        assert secret not in html


def test_a_helper_starting_a_plain_journey_is_sent_to_help_a_resident(client, app):
    sign_in(client)
    page = client.get("/forms/missed-bin/")
    response = client.post("/forms/missed-bin/start", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 303
    assert location(response).endswith("/helpers/help?form=missed-bin")


def test_printing_the_residents_copy_is_audited(client, app, store):
    sign_in(client)
    form, urls, journey_a = _resident_a(client, app, store)
    response = client.post(urls[-1], data={"csrf_token": csrf_token(client.get(urls[-1]))})
    reference = REFERENCE.search(client.get(location(response)).get_data(as_text=True)).group(1)
    response = client.get(f"/print/copy/{reference}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    printed = store.audit_log(event="print")
    assert [(row["journey_id"], row["detail"]) for row in printed] == [(journey_a, "copy")]


def test_another_helper_signing_in_ends_the_first_helpers_resident_session(client, app, store):
    store.add_helper("Ali Other", "5678", [VENUE], helper_id="ali-other")
    sign_in(client)
    form, urls, journey_a = _resident_a(client, app, store)
    # The sign-in page sends a signed-in tablet home, but a sign-in form still open on screen works.
    post(client, "/helpers/sign-in", {"name": "Ali Other", "pin": "5678"}, token_from="/helpers/")
    assert store.get_journey(journey_a)["status"] == "cleared"
    assert "Signed in as Ali Other" in client.get("/helpers/").get_data(as_text=True)
    _assert_nothing_of_a(client, urls)


def test_helper_pages_never_come_from_the_shared_page_cache(client, app):
    form = forms(app)["blue-badge"]
    prompt = form.pages[0].questions[0].helper_prompt
    # A resident on their own device sees the first page (and it may be cached for everyone).
    resident = app.test_client()
    page = resident.get(f"/forms/{form.id}/")
    first = location(resident.post(f"/forms/{form.id}/start", data={"csrf_token": csrf_token(page)}))
    assert prompt not in resident.get(first).get_data(as_text=True)
    # The helper's view of the same page has the prompts, the bar and working forms.
    sign_in(client)
    assert start_resident(client, form.id) == first
    html = client.get(first).get_data(as_text=True)
    assert prompt in html and "Signed in as Sam Helper" in html
    response = post(client, "/helpers/resident/hand-over", {"next": first}, token_from=first)
    assert location(response) == first
    # ...and the resident's cached page never shows the helper's.
    html = resident.get(first).get_data(as_text=True)
    assert prompt not in html and "Sam Helper" not in html


def test_every_form_on_a_helper_page_has_a_working_csrf_token(client, app):
    sign_in(client)
    form = forms(app)["missed-bin"]
    first = start_resident(client, form.id)
    html = client.get(first).get_data(as_text=True)
    tokens = set(re.findall(r'name="csrf_token" value="([^"]+)"', html))
    assert len(tokens) == 1
    token = tokens.pop()
    response = client.post("/helpers/resident/hand-over", data={"csrf_token": token, "next": first})
    assert location(response) == first
