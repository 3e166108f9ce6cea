"""Attempt limits that hold under attack: PINs and carry-on checks claimed before scrypt runs (so
guesses sent at once get no more checks than the limit), sign-in pages that name no helper, wrong
sign-ins that look the same for any name, and a growing wait that a venue lead or admin can end."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import requests

from admin_support import ADMIN_ID, LEAD_ID, OTHER_VENUE, people, sign_in_at  # noqa: F401 - fixtures
from assisted_support import HELPER, PIN, VENUE, app, client, clock, location, post, sign_in, store  # noqa: F401
from assist.config import ConfigError, config_from_mapping
from assist.engine import make_reference
from assist.storage import helpers as helper_storage
from assist.storage import resume as resume_storage

GUESSES = 40
LIMIT = 5
WAIT_TEXT = "You have entered the wrong PIN too many times"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
CODE = make_reference()
DATE_OF_BIRTH = "1948-11-03"


class ScryptCalls:
    """Counts the PIN (or second check) comparisons that really ran, from every thread."""

    def __init__(self, real):
        self.real, self.calls, self._lock = real, 0, threading.Lock()

    def __call__(self, *args):
        with self._lock:
            self.calls += 1
        return self.real(*args)


@pytest.fixture
def pin_checks(monkeypatch):
    counter = ScryptCalls(helper_storage.verify_secret)
    monkeypatch.setattr(helper_storage, "verify_secret", counter)
    return counter


@pytest.fixture
def resume_checks(monkeypatch):
    counter = ScryptCalls(resume_storage.verify_secret)
    monkeypatch.setattr(resume_storage, "verify_secret", counter)
    return counter


def at_once(function, count=GUESSES) -> list:
    """Call ``function(i)`` for ``i`` in ``range(count)``, all at the same time."""
    start = threading.Barrier(count)

    def run(i):
        start.wait()
        return function(i)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


# --- 1. claimed before scrypt: parallel guesses get at most the limit checked ----------------------


def test_parallel_wrong_pins_at_the_store_get_only_the_limit_checked(store, pin_checks):
    outcomes = at_once(lambda _: store.sign_in_helper(VENUE, "Sam Helper", "0000"))
    assert pin_checks.calls == LIMIT
    assert sorted(o.outcome for o in outcomes) == ["wait"] * (GUESSES - LIMIT + 1) + ["wrong"] * (LIMIT - 1)
    assert store.sign_in_helper(VENUE, "Sam Helper", PIN).outcome == "wait"
    assert pin_checks.calls == LIMIT  # waiting: not even checked


def _tablet(base: str) -> tuple[requests.Session, str]:
    """A browser on the tablet with the sign-in page open: its cookies and the page's CSRF token."""
    browser = requests.Session()
    page = browser.get(f"{base}/helpers/sign-in", timeout=30)
    assert page.status_code == 200
    return browser, CSRF.search(page.text).group(1)


def _sign_in_over_http(base: str, tablet, name: str, pin: str) -> requests.Response:
    browser, token = tablet
    return browser.post(f"{base}/helpers/sign-in", data={"csrf_token": token, "name": name, "pin": pin},
                        allow_redirects=False, timeout=60)


def test_forty_parallel_wrong_pins_over_http_get_only_the_limit_checked(live_server, store, clock, pin_checks):
    tablets = [_tablet(live_server) for _ in range(GUESSES)]
    responses = at_once(lambda i: _sign_in_over_http(live_server, tablets[i], "Sam Helper", f"{1000 + i}"))
    assert [r.status_code for r in responses] == [400] * GUESSES
    assert pin_checks.calls == LIMIT
    events = [row["event"] for row in store.audit_log()]
    assert sorted(events) == ["lockout"] + ["sign_in_failed"] * (LIMIT - 1) + ["sign_in_locked"] * (GUESSES - LIMIT)
    # The right PIN, sent once the limit is used up, does not sign in and is not even checked.
    right = _sign_in_over_http(live_server, _tablet(live_server), "Sam Helper", PIN)
    assert right.status_code == 400 and WAIT_TEXT in right.text
    assert pin_checks.calls == LIMIT
    clock.advance(minutes=1)
    assert _sign_in_over_http(live_server, _tablet(live_server), "Sam Helper", PIN).status_code == 302


def _saved_journey(store, clock) -> str:
    journey_id = store.start_journey("missed-bin", "1", "en")
    store.save_answers(journey_id, {"bin-type": "black"}, last_page="bin-type")
    store.save_for_later(journey_id, CODE, "date_of_birth", DATE_OF_BIRTH, clock.now + timedelta(days=28))
    return journey_id


def test_a_carry_on_check_is_counted_before_scrypt_runs_outside_the_write_lock(store, clock, monkeypatch):
    _saved_journey(store, clock)
    in_transaction, real = [], resume_storage.verify_secret

    def spy(*args):
        in_transaction.append(store.db.conn.in_transaction)
        return real(*args)

    monkeypatch.setattr(resume_storage, "verify_secret", spy)
    assert store.try_resume(CODE, "1950-01-01").attempts_left == LIMIT - 1
    assert store.try_resume(CODE, DATE_OF_BIRTH).outcome == "ok"
    assert in_transaction == [False, False]  # other requests' writes never wait for a scrypt


def test_parallel_wrong_carry_on_checks_get_only_the_limit_checked(store, clock, resume_checks):
    journey_id = _saved_journey(store, clock)
    outcomes = at_once(lambda _: store.try_resume(CODE, "1950-01-01"))
    assert resume_checks.calls == LIMIT
    assert sum(o.just_locked for o in outcomes) == 1
    assert store.try_resume(CODE, DATE_OF_BIRTH).outcome == "locked"
    assert store.get_journey(journey_id)["status"] == "cleared"


def test_forty_parallel_wrong_carry_on_checks_over_http_get_only_the_limit_checked(live_server, store, clock,
                                                                                 resume_checks):
    journey_id = _saved_journey(store, clock)

    def browser_at_the_check(_):
        browser = requests.Session()
        token = CSRF.search(browser.get(f"{live_server}/carry-on/", timeout=30).text).group(1)
        browser.post(f"{live_server}/carry-on/", data={"csrf_token": token, "code": CODE}, timeout=30)
        page = browser.get(f"{live_server}/carry-on/check", timeout=30)
        return browser, CSRF.search(page.text).group(1)

    browsers = [browser_at_the_check(i) for i in range(GUESSES)]
    wrong = {"check-day": "1", "check-month": "1", "check-year": "1950"}
    responses = at_once(lambda i: browsers[i][0].post(f"{live_server}/carry-on/check", timeout=60, allow_redirects=False,
                                                      data={"csrf_token": browsers[i][1], **wrong}))
    assert resume_checks.calls == LIMIT
    # Wrong (400), refused as locked (403), or sent back to the code page once the code is locked (302).
    statuses = [r.status_code for r in responses]
    assert set(statuses) <= {302, 400, 403} and statuses.count(400) <= LIMIT - 1
    assert [row["event"] for row in store.audit_log(event="resume_locked")] == ["resume_locked"]
    assert store.get_journey(journey_id)["status"] == "cleared"


# --- 2. nobody can list the helpers, or tell a real name from a made-up one ------------------------


def _anonymous_pages(app, store) -> dict[str, str]:
    """Every page an anonymous visitor reaches from the public start pages, as a tablet at each venue."""
    pages = {}
    venues = [v["id"] for v in store.list_venues()]
    for venue in [None, *venues]:
        client = app.test_client()
        if venue:
            client.set_cookie("assist_venue", venue)
        for url in ("/", "/helpers/", "/helpers/sign-in", "/helpers/venue", "/carry-on/",
                    *(f"/kiosk/{v}" for v in venues)):
            response = client.get(url, follow_redirects=True)
            assert response.status_code == 200, url
            pages[f"{url} (tablet at {venue})"] = response.get_data(as_text=True)
    return pages


def test_no_page_an_anonymous_visitor_can_reach_names_a_helper(app, people):
    helpers = people.list_helpers(include_inactive=True)
    assert len(helpers) >= 4 and {h["role"] for h in helpers} == {"helper", "venue_lead", "council_admin"}
    for where, html in _anonymous_pages(app, people).items():
        text = html.casefold()
        for helper in helpers:
            assert helper["display_name"].casefold() not in text, (where, helper["display_name"])
            assert helper["id"] not in text, (where, helper["id"])
    picker = app.test_client().get("/helpers/venue").get_data(as_text=True)
    assert "Central Library" in picker and "North Library" in picker  # venues are public places


def _same_page(response) -> str:
    """The page with what differs between any two requests (CSRF token, CSP nonce) taken out."""
    html = CSRF.sub('name="csrf_token" value=""', response.get_data(as_text=True))
    return re.sub(r"nonce-[^']+'|nonce=\"[^\"]+\"", "nonce", html)


def _headers(response) -> dict:
    skip = {"content-security-policy", "set-cookie"}
    return {name: value for name, value in response.headers.items() if name.lower() not in skip}


def test_an_unknown_name_and_a_wrong_pin_get_the_same_answer_and_the_same_scrypt(app, store, pin_checks):
    for attempt in range(LIMIT + 1):
        real = sign_in(app.test_client(), helper=HELPER, pin="0000")
        made_up = sign_in(app.test_client(), helper="Zed Nobody", pin="0000")
        assert real.status_code == made_up.status_code == 400
        assert _same_page(real) == _same_page(made_up), attempt
        assert _headers(real) == _headers(made_up)
        assert ("Zed Nobody" in made_up.get_data(as_text=True)) is False
        expected = WAIT_TEXT if attempt >= LIMIT - 1 else "The name or PIN is not right"
        assert expected in real.get_data(as_text=True)
    assert pin_checks.calls == 2 * LIMIT  # a made-up name's PIN is checked (against nothing) just as slowly


def test_a_made_up_name_waits_like_a_real_one_and_slows_nobody_else(app, store):
    tablet = app.test_client()
    for _ in range(LIMIT):
        sign_in(tablet, helper="Zed Nobody", pin="0000")
    assert WAIT_TEXT in sign_in(tablet, helper="Zed Nobody", pin="0000").get_data(as_text=True)
    assert location(sign_in(app.test_client())).endswith("/helpers/")


# --- the growing wait, and ending it ---------------------------------------------------------------


def test_after_an_attack_stops_the_helper_signs_in_once_the_wait_is_over(app, store, clock):
    attacker = app.test_client()
    waits, until = [], None
    for _ in range(10):
        clock.now = until or clock.now  # the attacker tries again as soon as a try is allowed
        assert sign_in(attacker, pin="0000").status_code == 400
        until = store.pin_waits().get(HELPER)
        waits.append(until and (until - clock.now))
    assert waits == [None] * (LIMIT - 1) + [timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32)]
    clock.advance(minutes=31, seconds=59)
    refused = sign_in(app.test_client())
    assert refused.status_code == 400 and WAIT_TEXT in refused.get_data(as_text=True)
    clock.advance(seconds=1)
    assert location(sign_in(app.test_client())).endswith("/helpers/")


def test_the_resident_guessing_at_unlock_counts_towards_the_same_wait(client, store):
    from assisted_support import start_resident
    from conftest import csrf_token

    sign_in(client)
    first = start_resident(client, "missed-bin")
    post(client, "/helpers/resident/hand-over", {"next": first}, token_from=first)
    for _ in range(LIMIT):
        page = client.get("/helpers/unlock")
        response = client.post("/helpers/unlock", data={"csrf_token": csrf_token(page), "pin": "0000"})
    assert "/helpers/sign-in?ended=1" in location(response)
    assert WAIT_TEXT in sign_in(client).get_data(as_text=True)


def test_an_admin_or_venue_lead_lets_a_waiting_helper_sign_in_at_once_and_it_is_audited(app, people):
    attacker = app.test_client()
    attacker.set_cookie("assist_venue", VENUE)
    for _ in range(LIMIT + 2):
        sign_in(attacker, pin="0000")
    lead = app.test_client()
    sign_in_at(lead, LEAD_ID, OTHER_VENUE)
    assert post(lead, f"/admin/helpers/{HELPER}/sign-in-now", token_from="/admin/helpers").status_code == 404
    admin = app.test_client()
    sign_in_at(admin, ADMIN_ID)
    listing = admin.get("/admin/helpers").get_data(as_text=True)
    assert "Waiting after wrong PINs until" in listing and f"/admin/helpers/{HELPER}/sign-in-now" in listing
    response = post(admin, f"/admin/helpers/{HELPER}/sign-in-now", token_from="/admin/helpers")
    assert response.status_code == 303
    assert "The helper can sign in now." in admin.get(location(response)).get_data(as_text=True)
    [cleared] = people.audit_log(event="pin_wait_cleared")
    assert (cleared["helper_id"], cleared["detail"]) == (ADMIN_ID, HELPER)
    helper = app.test_client()
    helper.set_cookie("assist_venue", VENUE)
    assert location(sign_in(helper)).endswith("/helpers/")
    # A venue lead, for a helper at their venue.
    attacker.set_cookie("assist_venue", OTHER_VENUE)
    for _ in range(LIMIT):
        sign_in(attacker, "nia-north", "0000")
    assert list(people.pin_waits()) == ["nia-north"]
    assert post(lead, "/admin/helpers/nia-north/sign-in-now", token_from="/admin/helpers").status_code == 303
    assert people.pin_waits() == {}


def test_the_longest_wait_cannot_be_shorter_than_the_first():
    with pytest.raises(ConfigError, match="pin_delay_max_minutes: the longest wait .* must be at least"):
        config_from_mapping({"security": {"pin_delay_minutes": 30, "pin_delay_max_minutes": 10}})
