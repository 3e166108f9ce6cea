"""Kiosk mode through the test client: the start screen, display choices, ask for help, the idle
limit enforced on the server without JavaScript, finish and clear, autofill on shared devices."""

from __future__ import annotations

import re
from datetime import timedelta

from assisted_support import sign_in, start_resident
from conftest import csrf_token
from kiosk_support import (HELPER, KIOSK, VENUE, app, autocomplete_values, client, clock, forms,  # noqa: F401
                           journey_ids, start_kiosk_form, store, token)


def test_kiosk_start_lists_languages_in_their_own_script_and_forms_without_helper_links(client, app):
    response = client.get(KIOSK)
    assert response.status_code == 200
    assert "assist_kiosk=central-library" in response.headers["Set-Cookie"]
    html = response.get_data(as_text=True)
    for code, name in (("cy", "Cymraeg"), ("pl", "Polski"), ("ar", "العربية"), ("ur", "اردو")):
        assert re.search(rf'<a class="govuk-button[^"]*assist-kiosk-language" href="[^"]*lang={code}" lang="{code}"', html), code
        assert name in html
    assert 'dir="rtl"' in html
    for form in forms(app).values():
        assert f'/forms/{form.id}/' in html
    hrefs = re.findall(r'href="([^"]+)"', html)
    assert not [h for h in hrefs if "/helpers" in h or "/admin" in h]
    assert 'class="govuk-template assist-kiosk"' in html


def test_unknown_kiosk_venue_is_not_found(client):
    assert client.get("/kiosk/nowhere").status_code == 404
    assert "assist_kiosk" not in (client.get("/").headers.get("Set-Cookie") or "")


def test_home_page_on_a_kiosk_goes_to_the_kiosk_start(client):
    client.get(KIOSK)
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith(KIOSK)


def test_text_size_and_contrast_last_for_this_visit_only(client, app):
    client.get(KIOSK)
    client.post(f"{KIOSK}/display", data={"csrf_token": token(client), "text": "largest"})
    client.post(f"{KIOSK}/display", data={"csrf_token": token(client), "contrast": "on"})
    html = client.get(KIOSK).get_data(as_text=True)
    assert 'class="govuk-template assist-kiosk assist-text-largest assist-contrast"' in html
    assert re.search(r'value="largest" class="[^"]*" aria-pressed="true"', html)
    # The choice follows the resident through the form ...
    url = start_kiosk_form(client, "missed-bin")
    assert "assist-text-largest assist-contrast" in client.get(url).get_data(as_text=True)
    # ... and is gone for the next resident.
    client.post("/device/finish", data={"csrf_token": token(client, url)})
    assert 'class="govuk-template assist-kiosk"' in client.get(KIOSK).get_data(as_text=True)
    other = app.test_client()
    other.get(KIOSK)
    assert "assist-contrast" not in other.get(KIOSK).get_data(as_text=True)


def test_kiosk_journeys_are_kiosk_mode_with_autofill_off_and_the_kiosk_bar(client, store):
    url = start_kiosk_form(client, "missed-bin")
    [journey_id] = journey_ids(client)
    journey = store.get_journey(journey_id)
    assert (journey["mode"], journey["venue_id"]) == ("kiosk", VENUE)
    html = client.get("/forms/missed-bin/street-address").get_data(as_text=True)
    html = client.get(url).get_data(as_text=True)
    assert 'id="question-form" novalidate autocomplete="off"' in html
    assert "Ask for help" in html and "Finish and clear this device" in html
    assert 'data-module="assist-timeout"' in html and 'role="dialog"' in html and 'aria-modal="true"' in html
    assert 'data-idle-seconds="180.0"' in html and 'data-warning-seconds="30.0"' in html
    assert 'data-module="assist-listen"' in html and "hidden>Listen</button>" in html


def _answer(client, url, data):
    page = client.get(url)
    return client.post(url, data={"csrf_token": csrf_token(page), **data})


def test_own_device_keeps_autocomplete_tokens_and_shared_devices_switch_them_off(app, store):
    own = app.test_client()
    page = own.get("/forms/missed-bin/")
    own.post("/forms/missed-bin/start", data={"csrf_token": csrf_token(page)})
    _answer(own, "/forms/missed-bin/bin-type", {"bin-type": forms(app)["missed-bin"].question("bin-type").choices[0].value})
    _answer(own, "/forms/missed-bin/postcode", {"postcode": "SW1A 1AA"})
    own_html = own.get("/forms/missed-bin/postcode").get_data(as_text=True)
    assert "postal-code" in autocomplete_values(own_html)
    assert "Ask for help" not in own_html and 'data-module="assist-timeout"' not in own_html

    kiosk = app.test_client()
    start_kiosk_form(kiosk, "missed-bin")
    _answer(kiosk, "/forms/missed-bin/bin-type", {"bin-type": forms(app)["missed-bin"].question("bin-type").choices[0].value})
    # The page cache must not hand the kiosk the own device's page (or the other way round).
    kiosk_html = kiosk.get("/forms/missed-bin/postcode").get_data(as_text=True)
    assert set(autocomplete_values(kiosk_html)) == {"off"}
    assert "postal-code" in autocomplete_values(own.get("/forms/missed-bin/postcode").get_data(as_text=True))

    # An assisted tablet (the venue set up on it) is a shared device too, signed in or not.
    tablet = app.test_client()
    sign_in(tablet)
    first = start_resident(tablet, "missed-bin")
    _answer(tablet, first, {"bin-type": forms(app)["missed-bin"].question("bin-type").choices[0].value})
    assert set(autocomplete_values(tablet.get("/forms/missed-bin/postcode").get_data(as_text=True))) == {"off"}


def test_the_server_clears_an_idle_kiosk_visit_without_javascript(client, store, clock, app):
    url = start_kiosk_form(client, "missed-bin")
    [journey_id] = journey_ids(client)
    choice = forms(app)["missed-bin"].question("bin-type").choices[0].value
    _answer(client, url, {"bin-type": choice})
    assert store.get_journey(journey_id)["answers"] == {"bin-type": choice}
    clock.advance(minutes=3, seconds=1)
    response = client.get("/forms/missed-bin/postcode")
    assert response.status_code == 302 and response.headers["Location"].endswith(KIOSK)
    journey = store.get_journey(journey_id)
    assert journey["status"] == "cleared" and journey["answers"] == {}
    assert store.db.execute("select count(*) from drafts where journey_id = ?", [journey_id]).fetchone()[0] == 0
    html = client.get(KIOSK).get_data(as_text=True)
    assert "You were away for too long" in html
    assert journey_ids(client) == []
    # Going back to the form shows nothing of it.
    assert client.get("/forms/missed-bin/bin-type").status_code == 302


def test_the_timeout_limit_is_the_kiosk_setting(client, store, clock):
    url = start_kiosk_form(client, "missed-bin")
    clock.advance(minutes=2, seconds=50)
    assert client.get(url).status_code == 200  # within kiosk_idle_minutes = 3


def test_continue_in_the_warning_extends_the_visit_on_the_server(client, store, clock, app):
    url = start_kiosk_form(client, "missed-bin")
    [journey_id] = journey_ids(client)
    clock.advance(minutes=2, seconds=40)
    response = client.post("/device/keep-alive", data={"csrf_token": token(client, url)})
    assert response.get_json() == {"expired": False, "idle_seconds": 180}  # kiosk_idle_minutes = 3
    clock.advance(minutes=2, seconds=40)
    assert client.get(url).status_code == 200
    assert store.get_journey(journey_id)["status"] == "in_progress"


def test_keep_alive_after_the_limit_says_expired(client, store, clock):
    url = start_kiosk_form(client, "missed-bin")
    csrf = token(client, url)
    [journey_id] = journey_ids(client)
    clock.advance(minutes=4)
    reply = client.post("/device/keep-alive", data={"csrf_token": csrf}).get_json()
    assert reply == {"expired": True, "next": KIOSK}
    assert store.get_journey(journey_id)["status"] == "cleared"


def test_time_out_clears_at_once_and_says_where_to_go(client, store):
    url = start_kiosk_form(client, "missed-bin")
    [journey_id] = journey_ids(client)
    reply = client.post("/device/time-out", data={"csrf_token": token(client, url)}).get_json()
    assert reply == {"expired": True, "next": KIOSK}
    assert store.get_journey(journey_id)["status"] == "cleared"
    assert "You were away for too long" in client.get(KIOSK).get_data(as_text=True)


def test_a_draft_nobody_came_back_to_is_swept_when_the_kiosk_start_screen_shows(app, store, clock):
    first = app.test_client()
    start_kiosk_form(first, "missed-bin")
    [journey_id] = journey_ids(first)
    clock.advance(minutes=5)
    app.test_client().get(KIOSK)  # the kiosk browser restarted: a new visit
    assert store.get_journey(journey_id)["status"] == "cleared"


def test_ask_for_help_reaches_helpers_at_the_venue_who_acknowledge_it(app, store, clock):
    kiosk = app.test_client()
    url = start_kiosk_form(kiosk, "missed-bin")
    response = kiosk.post("/kiosk/help", data={"csrf_token": token(kiosk, url), "next": url, "form_id": "missed-bin"})
    assert response.status_code == 303 and response.headers["Location"] == url
    html = kiosk.get(url).get_data(as_text=True)
    assert "We have asked a member of staff" in html and ">Ask for help<" not in html
    # Asking twice raises one request.
    kiosk.post("/kiosk/help", data={"csrf_token": token(kiosk, url), "next": url})
    assert len(store.help_requests(VENUE)) == 1

    helper = app.test_client()
    sign_in(helper)
    home = helper.get("/helpers/").get_data(as_text=True)
    assert "/helpers/kiosk-requests" in home
    page = helper.get("/helpers/kiosk-requests")
    html = page.get_data(as_text=True)
    assert "Report a missed bin collection" in html and "English" in html
    assert 'data-module="assist-poll"' in html
    session_id = store.db.execute("select id from helper_sessions where helper_id = ?", [HELPER]).fetchone()[0]
    before = store.get_helper_session(session_id)["last_activity_at"]
    clock.advance(minutes=1)
    listed = helper.get("/helpers/kiosk-requests/list")
    assert listed.get_json()["count"] == 1 and "Report a missed bin collection" in listed.get_json()["html"]
    assert store.get_helper_session(session_id)["last_activity_at"] == before  # refreshing is not activity
    [row] = store.help_requests(VENUE)
    response = helper.post(f"/helpers/kiosk-requests/{row['id']}/acknowledge", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 303
    assert "Nobody is waiting for help" in helper.get("/helpers/kiosk-requests").get_data(as_text=True)
    assert "A member of staff has seen your request" in kiosk.get(url).get_data(as_text=True)


def test_helpers_must_sign_in_to_see_help_requests(client):
    response = client.get("/helpers/kiosk-requests")
    assert response.status_code == 302 and "/helpers/sign-in" in response.headers["Location"]


def test_a_helper_elsewhere_cannot_acknowledge(app, store):
    store.add_venue("town-hall", "Town Hall", mode="kiosk")
    request_id = store.request_help("town-hall")
    helper = app.test_client()
    sign_in(helper)
    page = helper.get("/helpers/kiosk-requests")
    assert helper.post(f"/helpers/kiosk-requests/{request_id}/acknowledge",
                       data={"csrf_token": csrf_token(page)}).status_code == 404


def test_finishing_calls_off_the_help_request(client, store):
    url = start_kiosk_form(client, "missed-bin")
    client.post("/kiosk/help", data={"csrf_token": token(client, url), "next": url})
    client.post("/device/finish", data={"csrf_token": token(client, url)})
    assert store.help_requests(VENUE) == []


def test_a_residents_own_device_shows_no_shared_device_controls(app, store):
    own = app.test_client()
    page = own.get("/forms/missed-bin/")
    response = own.post("/forms/missed-bin/start", data={"csrf_token": csrf_token(page)})
    url = response.headers["Location"]
    html = own.get(url).get_data(as_text=True)
    assert "Finish and clear this device" not in html and "Ask for help" not in html
    # A tablet set up at a venue (its venue cookie) is shared even with nobody signed in: it has them.
    tablet = app.test_client()
    tablet.set_cookie("assist_venue", VENUE)
    page = tablet.get("/forms/missed-bin/")
    shared = tablet.get(tablet.post("/forms/missed-bin/start", data={"csrf_token": csrf_token(page)}).headers["Location"])
    assert "Finish and clear this device" in shared.get_data(as_text=True)


def test_finish_and_clear_on_a_residents_own_device(app, store):
    own = app.test_client()
    page = own.get("/forms/missed-bin/")
    response = own.post("/forms/missed-bin/start", data={"csrf_token": csrf_token(page)})
    url = response.headers["Location"]
    [journey_id] = journey_ids(own)
    response = own.post("/device/finish", data={"csrf_token": csrf_token(own.get(url))})
    assert response.status_code == 303 and response.headers["Location"].endswith("/device/cleared")
    assert store.get_journey(journey_id)["status"] == "cleared"
    assert "Everything has been cleared" in own.get("/device/cleared").get_data(as_text=True)
    assert own.get(url).status_code == 302


def test_finish_and_clear_ends_a_helpers_resident_session(app, store):
    tablet = app.test_client()
    sign_in(tablet)
    first = start_resident(tablet, "missed-bin")
    [journey_id] = journey_ids(tablet)
    response = tablet.post("/device/finish", data={"csrf_token": csrf_token(tablet.get(first))})
    assert response.headers["Location"].endswith("/helpers/")
    assert store.get_journey(journey_id)["status"] == "cleared"
    session_row = store.db.execute("select journey_id, ended_at from helper_sessions where helper_id = ?",
                                   [HELPER]).fetchone()
    assert session_row == (None, None)  # the helper is still signed in, with no resident session
    assert tablet.get("/helpers/").status_code == 200


def test_pages_with_answers_are_never_stored(client, app):
    url = start_kiosk_form(client, "missed-bin")
    for path in (KIOSK, url, "/forms/missed-bin/"):
        assert client.get(path).headers["Cache-Control"].startswith("no-store")


def test_exit_this_page_only_on_sensitive_forms_and_it_clears_the_visit(client, app, store):
    sensitive = [f for f in forms(app).values() if f.sensitive]
    plain = [f for f in forms(app).values() if not f.sensitive]
    assert sensitive and plain
    client.get(KIOSK)
    assert "govuk-exit-this-page" in client.get(f"/forms/{sensitive[0].id}/").get_data(as_text=True)
    assert "govuk-exit-this-page" not in client.get(f"/forms/{plain[0].id}/").get_data(as_text=True)
    url = start_kiosk_form(client, sensitive[0].id)
    page = client.get(url)
    assert '<form method="post" action="/device/leave"' in page.get_data(as_text=True)
    [journey_id] = journey_ids(client)
    response = client.post("/device/leave", data={"csrf_token": csrf_token(page)})
    assert response.headers["Location"].endswith(KIOSK)
    assert store.get_journey(journey_id)["status"] == "cleared"


def test_exit_this_page_on_an_own_device_goes_to_a_neutral_page(app):
    own = app.test_client()
    response = own.post("/device/leave", data={"csrf_token": csrf_token(own.get("/forms/blue-badge/"))})
    assert 'content="0; url=https://www.bbc.co.uk/weather"' in response.get_data(as_text=True)


def test_help_requests_hold_nothing_personal(store):
    columns = {row[1] for row in store.db.execute("pragma table_info(help_requests)")}
    assert columns == {"id", "venue_id", "form_id", "language", "status", "created_at", "acknowledged_at",
                       "acknowledged_by"}
    request_id = store.request_help(VENUE, "missed-bin", "cy")
    assert store.acknowledge_help(request_id, HELPER) is True
    assert store.acknowledge_help(request_id, HELPER) is False
    assert store.cancel_help(request_id) is False
