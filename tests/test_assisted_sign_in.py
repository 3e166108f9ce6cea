"""Assisted mode: helpers type their name and PIN, must wait after wrong PINs, sign out in one tap,
are signed out when idle, and every helper route sends anonymous visitors to sign in."""

from __future__ import annotations

import pytest

from assisted_support import (  # noqa: F401 - fixtures
    HELPER, PIN, VENUE, app, client, clock, location, post, sign_in, start_resident, store,
)
from conftest import csrf_token


def test_helper_signs_in_and_sees_their_name_and_venue(client, store):
    response = sign_in(client)
    assert location(response).endswith("/helpers/")
    html = client.get("/helpers/").get_data(as_text=True)
    assert "Signed in as Sam Helper at Central Library" in html
    assert "Help a resident" in html
    events = [row["event"] for row in store.audit_log()]
    assert events == ["sign_in"]


def test_the_typed_name_is_matched_ignoring_case_and_spaces(client):
    page = client.get("/helpers/sign-in")
    response = client.post("/helpers/sign-in", data={"csrf_token": csrf_token(page), "name": "  sam   HELPER ",
                                                     "pin": PIN})
    assert location(response).endswith("/helpers/")


def test_wrong_pin_says_so_without_saying_which_part_was_wrong(client, store):
    response = sign_in(client, pin="9999")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "The name or PIN is not right" in html
    assert 'class="govuk-error-summary"' in html
    assert [row["event"] for row in store.audit_log()] == ["sign_in_failed"]
    assert client.get("/helpers/").status_code == 302


def test_after_five_wrong_pins_the_helper_waits_a_minute(client, store, clock):
    for attempt in range(4):
        assert sign_in(client, pin="0000").status_code == 400
    response = sign_in(client, pin="0000")
    html = response.get_data(as_text=True)
    assert "You have entered the wrong PIN too many times" in html
    # Waiting: even the right PIN does not work, and is not checked.
    response = sign_in(client, pin=PIN)
    assert response.status_code == 400
    assert "wrong PIN too many times" in response.get_data(as_text=True)
    clock.advance(seconds=59)
    assert sign_in(client, pin=PIN).status_code == 400
    clock.advance(seconds=2)
    assert location(sign_in(client, pin=PIN)).endswith("/helpers/")
    events = [row["event"] for row in store.audit_log()]
    assert events == ["sign_in_failed"] * 4 + ["lockout", "sign_in_locked", "sign_in_locked", "sign_in"]
    assert all(row["helper_id"] == HELPER and row["venue_id"] == VENUE for row in store.audit_log())


def test_each_wrong_pin_after_the_wait_doubles_it_and_a_right_one_starts_afresh(client, store, clock):
    for _ in range(5):
        sign_in(client, pin="0000")
    clock.advance(minutes=1)
    assert "wrong PIN too many times" in sign_in(client, pin="0000").get_data(as_text=True)
    clock.advance(minutes=1, seconds=59)
    assert "wrong PIN too many times" in sign_in(client, pin=PIN).get_data(as_text=True)
    clock.advance(seconds=1)
    assert location(sign_in(client, pin=PIN)).endswith("/helpers/")
    other = client.application.test_client()
    assert "wrong PIN too many times" not in sign_in(other, pin="0000").get_data(as_text=True)


def test_pins_are_never_stored_or_logged(client, store, caplog):
    sign_in(client, pin="0000")
    sign_in(client)
    row = store.db.execute("select pin_hash from helpers where id = ?", [HELPER]).fetchone()[0]
    assert row.startswith("scrypt$") and PIN not in row.split("$")[4:]
    assert "0000" not in caplog.text and f"pin={PIN}" not in caplog.text
    for audit in store.audit_log():
        assert PIN not in str(audit.values()) and "0000" not in str(audit.values())


def test_deactivated_helper_cannot_sign_in_and_is_signed_out(client, store):
    sign_in(client)
    store.deactivate_helper(HELPER)
    assert "/helpers/sign-in" in location(client.get("/helpers/"))
    assert sign_in(client).status_code == 400


def test_sign_out_is_one_tap_and_ends_the_resident_session(client, store, app):
    sign_in(client)
    first = start_resident(client, "missed-bin")
    journey_id = store.db.execute("select id from journeys").fetchone()[0]
    html = client.get(first).get_data(as_text=True)
    assert "Sign out" in html
    response = post(client, "/helpers/sign-out", token_from=first)
    assert "/helpers/sign-in" in location(response)
    assert store.get_journey(journey_id)["status"] == "cleared"
    assert client.get(first).status_code == 302
    assert "/helpers/sign-in" in location(client.get("/helpers/"))
    events = [row["event"] for row in store.audit_log()]
    assert events[-2:] == ["clear", "sign_out"]


def test_idle_helper_is_signed_out_by_the_server(client, store, clock):
    sign_in(client)
    first = start_resident(client, "missed-bin")
    journey_id = store.db.execute("select id from journeys").fetchone()[0]
    clock.advance(minutes=14)
    assert client.get(first).status_code == 200  # still in time: activity resets the clock
    clock.advance(minutes=15, seconds=1)
    response = client.get(first)
    assert "/helpers/sign-in?idle=1" in location(response)
    assert store.get_journey(journey_id)["status"] == "cleared"
    html = client.get("/helpers/sign-in?idle=1").get_data(as_text=True)
    assert "You were signed out because the tablet was not used" in html
    assert store.audit_log()[-1]["event"] == "sign_out_idle"


def _helper_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("assisted.") and rule.endpoint not in (
            "assisted.sign_in", "assisted.sign_out", "assisted.choose_venue"
        ):
            yield rule


def test_every_helper_route_sends_anonymous_visitors_to_sign_in(client, app):
    rules = list(_helper_rules(app))
    assert len(rules) >= 11
    for rule in rules:
        url = rule.rule
        if "GET" in rule.methods:
            response = client.get(url)
            assert response.status_code == 302, url
            assert "/helpers/sign-in" in response.headers["Location"], url
        if "POST" in rule.methods:
            response = post(client, url)
            assert response.status_code == 302, url
            assert "/helpers/sign-in" in response.headers["Location"], url


def test_in_private_mode_helper_pages_need_the_pin_and_still_do_after_giving_back(client, store):
    sign_in(client)
    first = start_resident(client, "missed-bin")
    post(client, "/helpers/resident/hand-over", {"next": first}, token_from=first)
    for url in ("/helpers/", "/helpers/today", "/helpers/help", "/carry-on/"):
        assert "/helpers/unlock" in location(client.get(url)), url
    response = post(client, "/helpers/resident/finish", token_from=first)
    assert "/helpers/unlock" in location(response)
    # A wrong PIN does not unlock.
    page = client.get("/helpers/unlock?next=/helpers/today")
    assert client.post("/helpers/unlock?next=/helpers/today",
                       data={"csrf_token": csrf_token(page), "pin": "0000"}).status_code == 400
    # Giving the tablet back needs no PIN and returns to the resident's page...
    assert location(post(client, "/helpers/resident/give-back", {"next": "/helpers/today"}, token_from=first)) == first
    # ...but the helper's pages still ask for it, until it is entered.
    assert "/helpers/unlock" in location(client.get("/helpers/today"))
    page = client.get("/helpers/unlock?next=/helpers/today")
    client.post("/helpers/unlock?next=/helpers/today", data={"csrf_token": csrf_token(page), "pin": PIN})
    assert client.get("/helpers/today").status_code == 200


def test_finish_and_clear_after_giving_back_clears_but_keeps_helper_pages_behind_the_pin(client, store):
    sign_in(client)
    first = start_resident(client, "missed-bin")
    post(client, "/helpers/resident/hand-over", {"next": first}, token_from=first)
    post(client, "/helpers/resident/give-back", token_from=first)
    journey_id = store.db.execute("select journey_id from helper_sessions where ended_at is null").fetchone()[0]
    response = post(client, "/helpers/resident/finish", token_from=first)
    assert store.get_journey(journey_id)["status"] == "cleared"
    assert "/helpers/unlock" in location(client.get(location(response)))


def test_unlock_with_the_pin_opens_other_pages(client):
    sign_in(client)
    first = start_resident(client, "missed-bin")
    post(client, "/helpers/resident/hand-over", {"next": first}, token_from=first)
    page = client.get("/helpers/unlock?next=/helpers/today")
    response = client.post("/helpers/unlock?next=/helpers/today", data={"csrf_token": csrf_token(page), "pin": PIN})
    assert location(response) == "/helpers/today"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x"])
def test_next_never_leaves_the_site(client, target):
    page = client.get("/helpers/sign-in")
    response = client.post(f"/helpers/sign-in?next={target}", data={"csrf_token": csrf_token(page),
                                                                    "name": "Sam Helper", "pin": PIN})
    assert location(response) == "/helpers/"


def test_sign_in_rotates_the_session(client):
    client.get("/helpers/sign-in")
    with client.session_transaction() as session:
        session["journeys"] = {"missed-bin": "planted-by-someone-else"}
    sign_in(client)
    with client.session_transaction() as session:
        assert "journeys" not in session
        assert set(session) <= {"helper_session", "lang", "csrf_token", "_fresh"}
