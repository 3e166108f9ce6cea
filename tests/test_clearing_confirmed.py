"""Nothing a resident typed is lost by one tap: Finish and clear, Sign out and "I do not agree" go
through a page that says what will be deleted and offers "Save and carry on later" instead."""

from __future__ import annotations

from assisted_support import (  # noqa: F401 - fixtures
    HELPER, VENUE, answer_page, app, client, clock, forms, journey_id_of, location, post, sign_in, start_resident,
    store,
)
from conftest import csrf_token


def _one_answer(client, app) -> tuple[str, str]:
    """A helper's resident with the first page answered; returns (the next page, the first page)."""
    first = start_resident(client, "missed-bin")
    return answer_page(client, forms(app)["missed-bin"], first), first


def test_finish_and_clear_with_answers_not_sent_asks_first_and_offers_to_save(client, app, store):
    sign_in(client)
    here, _first = _one_answer(client, app)
    journey_id = journey_id_of(store)
    response = client.get(location(post(client, "/helpers/resident/finish", token_from=here)))
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Finish and clear this tablet?" in text and "have not been sent. Finishing deletes them." in text
    assert "Report a missed bin collection" in text
    assert 'href="/carry-on/save/missed-bin?back=' in text and "Save and carry on later" in text
    assert store.get_journey(journey_id)["status"] == "in_progress" and store.get_journey(journey_id)["answers"]
    confirmed = client.post("/helpers/resident/finish", data={"csrf_token": csrf_token(response), "confirmed": "yes"})
    assert location(confirmed).endswith("/helpers/")
    assert store.get_journey(journey_id)["status"] == "cleared"


def test_finish_and_clear_with_nothing_to_lose_is_one_tap(client, app, store):
    sign_in(client)
    start_resident(client, "missed-bin")  # agreed, nothing answered yet
    journey_id = journey_id_of(store)
    response = post(client, "/helpers/resident/finish", token_from="/helpers/")
    assert location(response).endswith("/helpers/")
    assert store.get_journey(journey_id)["status"] == "cleared"


def test_sign_out_with_answers_not_sent_asks_first(client, app, store):
    sign_in(client)
    here, _first = _one_answer(client, app)
    journey_id = journey_id_of(store)
    response = client.get(location(post(client, "/helpers/sign-out", token_from=here)))
    assert response.status_code == 200 and "Sign out?" in response.get_data(as_text=True)
    assert client.get("/helpers/").status_code == 200  # still signed in
    assert store.get_journey(journey_id)["status"] == "in_progress"
    done = client.post("/helpers/sign-out", data={"csrf_token": csrf_token(response), "confirmed": "yes"})
    assert "signed_out=1" in location(done)
    assert store.get_journey(journey_id)["status"] == "cleared"


def test_saving_from_the_confirmation_keeps_the_answers_for_their_code(client, app, store):
    sign_in(client)
    here, _first = _one_answer(client, app)
    journey_id = journey_id_of(store)
    page = client.get(location(post(client, "/helpers/resident/finish", token_from=here)))
    save = client.get(page.get_data(as_text=True).split('href="/carry-on/save/')[1].split('"')[0].join(
        ["/carry-on/save/", ""]).replace("&amp;", "&"))
    assert save.status_code == 200
    response = client.post("/carry-on/save/missed-bin", data={
        "csrf_token": csrf_token(save), "check": "postcode", "check-postcode": "AB1 2CD"})
    assert location(response).endswith("/carry-on/saved")
    assert store.has_live_resume_code(journey_id)


def test_i_do_not_agree_offers_other_ways_and_ends_only_when_the_helper_says(client, app, store):
    sign_in(client)
    start_resident(client, "missed-bin", agree=False)
    journey_id = journey_id_of(store)
    page = client.get("/helpers/resident/consent")
    response = client.post("/helpers/resident/consent", data={"csrf_token": csrf_token(page), "answer": "refuse"})
    page = client.get(location(response))
    text = page.get_data(as_text=True)
    assert "The resident does not agree" in text
    assert "/print/forms/missed-bin/paper-form.pdf" in text and "/forms/missed-bin/" in text
    assert "Go back to the consent script" in text
    assert store.get_journey(journey_id)["status"] == "in_progress"
    assert "consent_refused" not in [e["event"] for e in store.audit_log()]
    ended = client.post("/helpers/resident/not-agreed", data={"csrf_token": csrf_token(page)})
    assert location(ended).endswith("/helpers/")
    assert store.get_journey(journey_id)["status"] == "cleared"
    assert [e["event"] for e in store.audit_log()][-2:] == ["consent_refused", "clear"]


def test_finish_and_clear_on_a_kiosk_asks_first_when_answers_would_be_lost(client, app, store):
    from kiosk_support import KIOSK

    assert client.get(KIOSK).status_code == 200
    page = client.get("/forms/missed-bin/")
    first = location(client.post("/forms/missed-bin/start", data={"csrf_token": csrf_token(page)}))
    here = answer_page(client, forms(app)["missed-bin"], first)
    [journey_id] = [row["id"] for row in store.db.query("select id from journeys where mode = 'kiosk'")]
    response = client.get(location(client.post("/device/finish", data={"csrf_token": csrf_token(client.get(here))})))
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "Finish and clear this device?" in text and "Save and carry on later" in text
    assert store.get_journey(journey_id)["status"] == "in_progress"
    done = client.post("/device/finish", data={"csrf_token": csrf_token(response), "confirmed": "yes"})
    assert location(done).endswith(KIOSK)
    assert store.get_journey(journey_id)["status"] == "cleared"
