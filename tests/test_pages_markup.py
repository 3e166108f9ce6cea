"""Screens that used to print their own markup as text: the reference a clerk copies onto the paper,
the paper-number hint, and the banners after finish, sign-out, consent refused and timeouts.

Every page a test client fetches is also checked for markup shown as text (``conftest.check_page``);
these tests name the screens, and say what a reader sees on each.
"""

from __future__ import annotations

import re

import html5lib

from assisted_support import CODE, app, client, clock, location, post, sign_in, start_resident, store  # noqa: F401
from conftest import csrf_token, markup_shown_as_text, visible_text
from test_paper_keying import entry_data, forms, open_keying, paper_ref, send_paper, sent_reference


def seen(response) -> str:
    """The page's text as a reader sees it, one space between pieces."""
    document = html5lib.parse(response.get_data(as_text=True), namespaceHTMLElements=False)
    assert markup_shown_as_text(document) == []
    return " ".join(" ".join(visible_text(document)).split())


def test_the_paper_form_sent_panel_shows_the_reference_to_copy_as_a_code_not_as_markup(app, client):
    sign_in(client)
    form = forms(app)["school-meals"]
    url = location(open_keying(client, paper_ref(app), "K7MX2"))
    sent = send_paper(client, url, entry_data(form))
    response = client.get(location(sent))
    reference = sent_reference(sent)
    text = seen(response)
    assert f"Paper form sent Reference {reference}" in text
    assert CODE.search(response.get_data(as_text=True)).group(1) == reference  # drawn as the code it is
    assert f"Paper reference {paper_ref(app)}" in text and "Paper number K7MX2" in text


def test_the_paper_number_hint_shows_the_number_to_write_as_a_code(app, client):
    sign_in(client)
    response = client.get("/helpers/paper/")
    suggestion = CODE.search(response.get_data(as_text=True)).group(1)
    assert f"If the box is empty, write {suggestion} in it, then type it here." in seen(response)


def test_the_banner_after_finish_and_clear_is_plain_words(app, client):
    sign_in(client)
    start_resident(client, "missed-bin")
    location(post(client, "/helpers/resident/finish", token_from="/helpers/"))
    assert "Success The tablet is clear. Nothing of the last resident is on it." in seen(client.get("/helpers/"))


def test_the_banner_after_the_resident_does_not_agree_is_plain_words(app, client):
    sign_in(client)
    start_resident(client, "missed-bin", agree=False)
    page = client.get("/helpers/resident/consent")
    location(client.post("/helpers/resident/consent", data={"csrf_token": csrf_token(page), "answer": "disagree"}))
    location(post(client, "/helpers/resident/not-agreed", token_from="/helpers/resident/not-agreed"))
    assert "The tablet is clear. Nothing of the last resident is on it." in seen(client.get("/helpers/"))


def test_the_banners_on_the_sign_in_page_are_plain_words(app, client, clock):
    sign_in(client)
    location(post(client, "/helpers/sign-out", token_from="/helpers/"))
    assert "Important You have signed out. Nothing of the last resident is on this tablet." in seen(
        client.get("/helpers/sign-in?signed_out=1"))
    sign_in(client)
    clock.advance(minutes=app.extensions["assist.config"].sessions.assisted_idle_minutes + 1)
    response = client.get(location(client.get("/helpers/")))
    assert "You were signed out because the tablet was not used for" in seen(response)


def test_the_kiosk_banner_after_a_timeout_is_plain_words(app, client, clock):
    assert client.get("/kiosk/central-library").status_code == 200
    page = client.get("/forms/missed-bin/")
    first = location(client.post("/forms/missed-bin/start", data={"csrf_token": csrf_token(page)}))
    assert client.get(first).status_code == 200
    clock.advance(minutes=app.extensions["assist.config"].sessions.kiosk_idle_minutes + 1)
    start = location(client.get(first))
    assert start.endswith("/kiosk/central-library")
    assert "Important You were away for too long, so everything on this screen was cleared to keep it private." in seen(
        client.get(start))


def test_the_banner_after_an_online_timeout_is_plain_words(app, client, clock):
    page = client.get("/forms/missed-bin/")
    first = location(client.post("/forms/missed-bin/start", data={"csrf_token": csrf_token(page)}))
    assert client.get(first).status_code == 200
    clock.advance(minutes=app.extensions["assist.config"].sessions.online_idle_minutes + 1)
    start = location(client.get(first))
    assert "Important You were away for too long, so your answers were deleted to keep them safe." in seen(
        client.get(start))


def test_the_page_check_finds_markup_printed_as_text_but_not_what_a_resident_typed():
    shown = html5lib.parse("<p>Reference&lt;br&gt;<strong>AB-12</strong> &amp;amp; &lt;b&gt;</p>",
                           namespaceHTMLElements=False)
    assert len(markup_shown_as_text(shown)) == 3
    assert markup_shown_as_text(shown, typed={"x &amp; y", "<b>", "Reference<br>"}) == []
