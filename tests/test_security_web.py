"""Web hardening: security headers and the CSP on every kind of page, CSRF on every state-changing
request, the session cookie's flags, a new session at sign-in and at each resident session, and
attempt limits counted per helper and per code, never per address (a venue shares one)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from admin_support import ADMIN_ID, people, sign_in_at  # noqa: F401
from assisted_support import HELPER, PIN, VENUE, app, client, clock, post, sign_in, start_resident, store  # noqa: F401
from conftest import csrf_token
from test_security_authorisation import route_requests

CSRF_TITLE = "Your page was open too long or came from somewhere else"
GOVUK_JS_ENABLED = "document.body.className += ' js-enabled'"


def _pages(client, app, people):
    """A page of every kind: public, journey, error, kiosk, helper, admin."""
    yield client.get("/")
    yield client.get("/forms/missed-bin/")
    yield client.get("/no-such-page")
    yield client.get("/carry-on/")
    yield client.get("/helpers/sign-in")
    yield client.get(f"/kiosk/{VENUE}")
    sign_in_at(client, ADMIN_ID)
    yield client.get("/helpers/")
    yield client.get("/admin/")
    yield client.get("/admin/dashboard.csv")
    yield client.get("/assets/assist.css")


def test_every_kind_of_page_sends_the_security_headers(client, app, people):
    nonces = []
    for response in _pages(client, app, people):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["X-Frame-Options"] == "DENY"
        policy = dict(part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";"))
        assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
        assert policy["default-src"] == "'self'" and policy["style-src"] == "'self'"
        assert "unsafe" not in response.headers["Content-Security-Policy"]
        nonce = re.fullmatch(r"'self' 'nonce-([A-Za-z0-9_-]{16,})'", policy["script-src"]).group(1)
        nonces.append(nonce)
    assert len(set(nonces)) == len(nonces), "the CSP nonce must be new for every request"


def test_pages_have_no_inline_styles_or_handlers_and_the_one_inline_script_carries_the_nonce(client, app, people):
    for response in _pages(client, app, people):
        if response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
        assert "<style" not in html and not re.search(r"\sstyle=", html), response.request.path
        assert not re.search(r"\son[a-z]+=", html) and "javascript:" not in html, response.request.path
        for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
            if "src=" in attributes:
                continue
            # Only GOV.UK Frontend's fixed "JavaScript is on" line runs inline, and only with the nonce.
            assert f'nonce="{nonce}"' in attributes and body.startswith(GOVUK_JS_ENABLED), (attributes, body[:80])


@pytest.mark.parametrize("token", [None, "not-a-token", "from-another-browser"])
def test_every_state_changing_request_needs_this_browsers_csrf_token(app, people, clock, token):
    other = app.test_client()
    foreign = csrf_token(other.get("/forms/missed-bin/"))
    posts = [(endpoint, url) for endpoint, method, url in route_requests(app, "DB-0000-0000") if method == "POST"]
    assert len(posts) > 20
    for endpoint, url in posts:
        client = app.test_client()
        client.get("/")  # this browser has a session (and a token of its own)
        data = {} if token is None else {"csrf_token": foreign if token == "from-another-browser" else token}
        response = client.post(url, data=data)
        assert response.status_code == 400, (endpoint, response.status_code)
        assert CSRF_TITLE in response.get_data(as_text=True), endpoint


def test_a_wrong_token_on_a_journey_page_keeps_what_was_saved(client, app):
    page = client.get("/forms/missed-bin/")
    start = client.post("/forms/missed-bin/start", data={"csrf_token": csrf_token(page)})
    first = start.headers["Location"]
    response = client.post(first, data={"csrf_token": "stale", "bin-type": "general"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert CSRF_TITLE in html and "Nothing you had already saved has been lost" in html
    assert client.get(first).status_code == 200  # the journey is still there


def _session_cookie(response) -> str:
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("assist_session="))


def test_the_session_cookie_is_httponly_lax_and_secure_only_over_https(app):
    plain = _session_cookie(app.test_client().get("/forms/missed-bin/"))
    assert "HttpOnly" in plain and "SameSite=Lax" in plain and "Secure" not in plain
    secure_client = app.test_client()
    response = secure_client.get("/helpers/venue", base_url="https://tablet.example")
    assert "Secure" in _session_cookie(response)
    response = secure_client.post("/helpers/venue", data={"csrf_token": csrf_token(response), "venue": VENUE},
                                  base_url="https://tablet.example")
    venue_cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("assist_venue="))
    assert "Secure" in venue_cookie and "HttpOnly" in venue_cookie


def test_signing_in_starts_a_new_session_and_a_token_from_before_stops_working(client, app, store):
    before = csrf_token(client.get("/forms/missed-bin/"))
    sign_in(client)
    with client.session_transaction() as cookie:
        first_session = cookie["helper_session"]
    response = client.post("/helpers/help", data={"csrf_token": before, "form": "missed-bin"})
    assert response.status_code == 400 and CSRF_TITLE in response.get_data(as_text=True)
    # Signing in again (the next helper) makes another server-side session.
    post(client, "/helpers/sign-out", token_from="/helpers/")
    sign_in(client)
    with client.session_transaction() as cookie:
        assert cookie["helper_session"] != first_session
    assert store.get_helper_session(first_session) is None


def test_each_resident_session_gets_a_new_token(client, app):
    sign_in(client)
    before = csrf_token(client.get("/helpers/help"))
    start_resident(client, "missed-bin")
    response = client.post("/helpers/help", data={"csrf_token": before, "form": "missed-bin"})
    assert response.status_code == 400


def test_a_resident_starting_a_form_online_or_at_a_kiosk_gets_a_new_token(client, app):
    page = client.get("/forms/missed-bin/")
    before = csrf_token(page)
    client.post("/forms/missed-bin/start", data={"csrf_token": before})
    response = client.post("/forms/blue-badge/start", data={"csrf_token": before})
    assert response.status_code == 400


def _try_pin(app, address: str, helper: str, pin: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return sign_in(client, helper=helper, pin=pin)


def test_pin_attempts_are_limited_per_helper_not_per_address(app, store):
    store.add_helper("Rae Other", PIN, [VENUE], helper_id="rae-other")
    venue_address = "192.0.2.10"
    for _ in range(5):
        assert _try_pin(app, venue_address, HELPER, "0000").status_code == 400
    # Locked: even the right PIN from another address is refused...
    locked = _try_pin(app, "198.51.100.7", HELPER, PIN)
    assert locked.status_code == 400
    # ...while another helper at the same venue (the same address) signs in.
    assert _try_pin(app, venue_address, "rae-other", PIN).status_code == 302


def test_a_form_posted_from_another_site_is_refused_even_with_a_token(client, app):
    token = csrf_token(client.get("/forms/missed-bin/"))
    response = client.post("/forms/missed-bin/start", data={"csrf_token": token},
                           headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert CSRF_TITLE in html
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    assert f'<script nonce="{nonce}">' in html  # the refusal page is a whole page, under the same CSP
    response = client.post("/forms/missed-bin/start", data={"csrf_token": token},
                           headers={"Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 302


def _start_missed_bin(client) -> str:
    token = csrf_token(client.get("/forms/missed-bin/"))
    return client.post("/forms/missed-bin/start", data={"csrf_token": token}).headers["Location"]


def test_a_session_unused_past_the_longest_idle_limit_is_deleted_on_the_server(client, app, clock, store):
    first_page = _start_missed_bin(client)
    assert client.get(first_page).status_code == 200
    session_id = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    clock.advance(minutes=app.extensions["assist.config"].sessions.online_idle_minutes, seconds=1)
    response = client.get(first_page)
    assert response.status_code == 302 and response.headers["Location"].endswith("/forms/missed-bin/")
    assert store.load_browser_session(session_id, timedelta(days=365)) == (None, None, False)  # gone
    assert "You were away for too long" in client.get("/forms/missed-bin/").get_data(as_text=True)


def test_a_changed_session_id_opens_nothing(client, app):
    first_page = _start_missed_bin(client)
    assert client.get(first_page).status_code == 200
    name = app.config["SESSION_COOKIE_NAME"]
    real = client.get_cookie(name).value
    client.set_cookie(name, ("A" if real[0] != "A" else "B") + real[1:])
    assert client.get(first_page).status_code == 302  # no journey: the changed id names no session
    client.set_cookie(name, real)
    assert client.get(first_page).status_code == 200


def test_the_session_cookie_carries_only_a_random_id(client, app):
    first_page = _start_missed_bin(client)
    client.get(first_page + "?lang=cy")
    value = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", value)
    # Every copy of the cookie (another tab) sees the same session, kept on the server.
    other = app.test_client()
    other.set_cookie(app.config["SESSION_COOKIE_NAME"], value)
    assert 'lang="cy"' in other.get(first_page).get_data(as_text=True)


def test_a_token_from_an_earlier_page_of_the_same_session_is_accepted(client, app):
    first_page = _start_missed_bin(client)
    token = csrf_token(client.get(first_page))
    client.get(first_page)
    response = client.post(first_page, data={"csrf_token": token})
    assert response.status_code == 400 and "There is a problem" in response.get_data(as_text=True)


def test_the_error_page_after_a_failure_never_claims_the_answers_were_saved(config):
    from assist import create_app

    app = create_app(config, testing=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("the disk is full")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "What you typed on this page may not have been saved." in text
    assert "Your answers have been saved" not in text
