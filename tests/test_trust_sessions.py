"""A shared tablet's sessions end on the server: a copied cookie is dead after Finish and clear,
saving for later, sign-out and every hand-over; a resident holding the tablet reaches only their own
journey. Cookies are replayed over real HTTP against the live server, as an attacker would."""

from __future__ import annotations

import base64
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from assisted_support import (PIN, VENUE, answer_until, app, client, clock, location, post,  # noqa: F401
                              sign_in, start_resident, store)
from assisted_support import forms as forms_of
from conftest import csrf_token
from support import complete_form

COOKIE = "assist_session"


@pytest.fixture
def forms(app):
    return forms_of(app)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Replay:
    """A real HTTP client holding one copied cookie, sending it exactly as it was copied."""

    def __init__(self, base: str, cookies: dict[str, str]):
        self.base, self.cookies = base, dict(cookies)
        self.opener = urllib.request.build_opener(_NoRedirects)

    def open(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        """``(status, Location, body)`` of a GET (or a POST of ``data``)."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers={
            "Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, "", response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", ""), error.read().decode(errors="replace")


def _cookies(client) -> dict[str, str]:
    names = (COOKIE, "assist_venue", "assist_kiosk")
    return {name: client.get_cookie(name).value for name in names if client.get_cookie(name) is not None}


def _submit_online(client, form) -> str:
    """Fill in and send ``form`` as a resident on their own device; returns the reference."""
    token = csrf_token(client.get(f"/forms/{form.id}/"))
    client.post(f"/forms/{form.id}/start", data={"csrf_token": token})
    complete_form(client, form)
    confirmation = client.get(f"/forms/{form.id}/confirmation").get_data(as_text=True)
    return re.search(r'/print/copy/([A-Z0-9-]+)"', confirmation).group(1)


def test_a_cookie_copied_after_submitting_cannot_fetch_the_copy_after_finish_and_clear(client, forms, live_server):
    form = forms["missed-bin"]
    reference = _submit_online(client, form)
    copied = Replay(live_server, _cookies(client))
    status, _, _ = copied.open(f"/print/copy/{reference}.pdf")
    assert status == 200  # the copy is this session's, while it lasts
    post(client, "/device/finish", token_from=f"/forms/{form.id}/")
    status, _, body = copied.open(f"/print/copy/{reference}.pdf")
    assert status == 404 and "%PDF" not in body


def test_in_assisted_mode_a_copied_cookie_is_dead_after_finish_and_clear_while_the_helper_stays(
        client, forms, store, live_server):
    sign_in(client)
    first = start_resident(client, "missed-bin")
    answer_until(client, forms["missed-bin"], first, lambda url: url.endswith("/check-answers"))
    response = post(client, "/forms/missed-bin/check-answers", token_from="/forms/missed-bin/check-answers")
    assert location(response).endswith("/forms/missed-bin/confirmation")
    confirmation = client.get("/forms/missed-bin/confirmation").get_data(as_text=True)
    reference = re.search(r'/print/copy/([A-Z0-9-]+)"', confirmation).group(1)
    copied = Replay(live_server, _cookies(client))
    assert copied.open(f"/print/copy/{reference}.pdf")[0] == 200
    post(client, "/helpers/resident/finish", token_from="/helpers/")
    assert client.get("/helpers/").status_code == 200  # the helper is still signed in on the tablet
    status, _, _ = copied.open(f"/print/copy/{reference}.pdf")
    assert status == 404
    status, where, _ = copied.open("/helpers/")
    assert status == 302 and "/helpers/sign-in" in where  # nor the helper's pages


def test_a_cookie_copied_before_saving_for_later_opens_nothing_afterwards(client, forms, live_server):
    form = forms["missed-bin"]
    token = csrf_token(client.get(f"/forms/{form.id}/"))
    first = location(client.post(f"/forms/{form.id}/start", data={"csrf_token": token}))
    copied = Replay(live_server, _cookies(client))
    assert copied.open(urllib.parse.urlsplit(first).path)[0] == 200
    page = client.get(f"/carry-on/save/{form.id}")
    response = client.post(f"/carry-on/save/{form.id}", data={
        "csrf_token": csrf_token(page), "check": "date_of_birth",
        "check-day": "1", "check-month": "2", "check-year": "1950"})
    assert location(response).endswith("/carry-on/saved")
    saved = client.get("/carry-on/saved").get_data(as_text=True)
    code = re.search(r"\b([0-9A-Z]{4}-[0-9A-Z]{4})\b", saved).group(1)
    status, where, _ = copied.open(urllib.parse.urlsplit(first).path)
    assert status == 302 and where.endswith(f"/forms/{form.id}/")  # the draft is not this cookie's any more
    status, _, body = copied.open("/carry-on/saved")
    assert code not in body
    # Nor does the new cookie carry the code, readable or otherwise.
    value = client.get_cookie(COOKIE).value
    assert code not in value and code.replace("-", "") not in base64.urlsafe_b64decode(value + "==").decode("latin-1")


def test_every_privilege_change_gives_the_tablet_a_new_session_id(client, forms):
    ids = []

    def current():
        ids.append(client.get_cookie(COOKIE).value)

    client.get("/helpers/sign-in")
    current()
    sign_in(client)
    current()
    first = start_resident(client, "missed-bin")
    current()
    post(client, "/helpers/resident/hand-over", {"next": first}, token_from=first)
    current()
    post(client, "/helpers/resident/give-back", token_from=first)
    current()
    assert len(set(ids)) == len(ids), "sign-in, a new resident, hand-over and give-back each rotate the id"


def _hand_over(client) -> tuple[str, dict]:
    sign_in(client)
    first = start_resident(client, "missed-bin")
    assert client.get(first).status_code == 200
    before = _cookies(client)
    response = post(client, "/helpers/resident/hand-over", {"next": first}, token_from=first)
    assert location(response).endswith(urllib.parse.urlsplit(first).path)
    return first, before


def test_give_back_goes_back_to_the_journey_whatever_next_says(client, forms):
    first, _ = _hand_over(client)
    for crafted in ("/admin/submissions", "/helpers/", "//evil.example/", "/\\evil.example"):
        response = post(client, "/helpers/resident/give-back", {"next": crafted}, token_from=first)
        assert urllib.parse.urlsplit(location(response)).path == urllib.parse.urlsplit(first).path
        post(client, "/helpers/resident/hand-over", {"next": first}, token_from=first)


def test_after_a_hand_over_every_helper_and_admin_page_asks_for_the_pin(client, forms):
    first, _ = _hand_over(client)
    post(client, "/helpers/resident/give-back", token_from=first)
    assert client.get(first).status_code == 200  # the journey, with the helper again
    for url in ("/helpers/", "/helpers/help", "/helpers/today", "/admin/", "/admin/submissions", "/helpers/paper/"):
        response = client.get(url)
        assert response.status_code == 302 and "/helpers/unlock" in response.headers["Location"], url
    page = client.get("/helpers/unlock")
    response = client.post("/helpers/unlock", data={"csrf_token": csrf_token(page), "pin": PIN})
    assert response.status_code == 302
    assert client.get("/helpers/").status_code == 200


def test_while_handed_over_only_the_journey_and_give_back_respond(client, forms, store):
    first, _ = _hand_over(client)
    for url in ("/", "/helpers/", "/admin/submissions", "/forms/blue-badge/", "/carry-on/", "/print/",
                f"/kiosk/{VENUE}", "/helpers/paper/"):
        response = client.get(url)
        assert response.status_code == 302 and "/helpers/unlock" in response.headers["Location"], url
    assert client.get(first).status_code == 200
    response = post(client, "/helpers/sign-out", token_from=first)
    assert "/helpers/unlock" in location(response)  # a resident cannot end the helper's session either
    assert client.get(first).status_code == 200


def test_a_cookie_copied_before_a_hand_over_is_dead(client, forms, live_server):
    first, before = _hand_over(client)
    copied = Replay(live_server, before)
    status, where, _ = copied.open("/helpers/")
    assert status == 302 and "/helpers/sign-in" in where
    status, where, _ = copied.open(urllib.parse.urlsplit(first).path)
    assert status == 302


def test_sign_out_ends_the_session_on_the_server(client, store, live_server):
    sign_in(client)
    copied = Replay(live_server, _cookies(client))
    assert copied.open("/helpers/")[0] == 200
    post(client, "/helpers/sign-out", token_from="/helpers/")
    status, where, _ = copied.open("/helpers/")
    assert status == 302 and "/helpers/sign-in" in where


def test_exit_this_page_while_handed_over_clears_and_never_opens_the_helpers_pages(client, forms, store):
    first, _ = _hand_over(client)
    journey_id = store.db.execute("select journey_id from helper_sessions where ended_at is null").fetchone()[0]
    response = post(client, "/device/leave", token_from=first)
    assert store.get_journey(journey_id)["status"] == "cleared"
    assert "/helpers/unlock" in location(client.get(location(response)))
    assert "/helpers/unlock" in location(client.get("/helpers/today"))


def test_a_request_still_carrying_the_id_before_a_rotation_leaves_the_newer_cookie_alone(client, app):
    # A page's own request (an asset, the idle timer's keep-alive) can reach the server with the old
    # id just after another request rotated it: its response must not delete the browser's cookie.
    form = app.extensions["assist.forms"]["missed-bin"]
    page = client.get(f"/forms/{form.id}/")
    old = client.get_cookie("assist_session").value
    first = client.post(f"/forms/{form.id}/start", data={"csrf_token": csrf_token(page)}).headers["Location"]
    new = client.get_cookie("assist_session").value
    assert new != old
    late = app.test_client()
    late.set_cookie("assist_session", old)
    for url in ("/assets/assist.css", "/healthz"):
        response = late.get(url)
        assert response.status_code == 200
        assert not [h for h in response.headers.getlist("Set-Cookie") if h.startswith("assist_session=")], url
    assert client.get(first).status_code == 200  # the resident's journey carries on under the new id
