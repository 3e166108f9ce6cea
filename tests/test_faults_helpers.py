"""Honest faults with a helper signed in: a question page of an assisted journey, and Send when keying
in a paper form, on a database that cannot be written say nothing was saved and keep what was typed."""

from __future__ import annotations

from assisted_support import app, client, clock, location, sign_in, start_resident, store  # noqa: F401
from conftest import csrf_token
from test_faults import fail_writes
from test_paper_keying import entry_data, forms, key_sections, open_keying, paper_ref, sent_reference


def test_paper_answers_that_cannot_be_sent_stay_on_the_check_page(app, client, store, monkeypatch):
    form = forms(app)["school-meals"]
    sign_in(client)
    url = location(open_keying(client, paper_ref(app), "K7MX2"))
    check = key_sections(client, url, entry_data(form))
    page = client.get(check)
    with monkeypatch.context() as patch:
        fail_writes(patch)
        response = client.post(check, data={"csrf_token": csrf_token(page), "paper-signed": "yes", "action": "send"})
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    assert "These answers were not sent" in html
    assert store.db.execute("select count(*) from submissions").fetchone()[0] == 0
    again = client.post(check, data={"csrf_token": csrf_token(response), "paper-signed": "yes", "action": "send"})
    assert again.status_code == 302
    assert store.get_submission(sent_reference(again))["form_id"] == form.id


def test_an_assisted_question_page_that_cannot_be_saved_keeps_what_the_helper_typed(app, client, store, monkeypatch):
    sign_in(client)
    url = start_resident(client, "missed-bin")
    assert url.endswith("/forms/missed-bin/bin-type")
    page = client.get(url)
    with monkeypatch.context() as patch:
        fail_writes(patch)
        response = client.post(url, data={"csrf_token": csrf_token(page), "bin-type": "food-waste"})
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Your answers were not saved" in html
    assert 'value="food-waste" checked' in html
    assert location(client.post(url, data={"csrf_token": csrf_token(response), "bin-type": "food-waste"})).endswith(
        "/forms/missed-bin/postcode")
