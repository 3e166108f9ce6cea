"""Trust boundaries from a security review, one group of tests each:

1. Back and next addresses taken from a request are only ever paths on this site.
2. Nothing is deleted by a GET: "Exit this page" posts a form with the CSRF token.
3. Paper submissions, and the 409 page of a copy keyed in twice, name a submission only to helpers
   of its venue and to council admins.
4. A venue lead cannot reset the PIN of (or deactivate) a helper who also works at a venue they do
   not lead.
5. Paper copies' answer digests are HMACs under a key sealed with the data key, not plain SHA-256.
"""

from __future__ import annotations

import hashlib
import json
import re
from urllib.parse import urljoin, urlsplit

import html5lib
import pytest
from flask import url_for

from admin_support import ADMIN_ID, LEAD_ID, OTHER_VENUE, people, sign_in_at  # noqa: F401
from assisted_support import (HELPER, PIN, app, client, clock, location, post, sign_in,  # noqa: F401
                               start_resident, store)
from conftest import csrf_token
from kiosk_support import KIOSK, journey_ids, start_kiosk_form
from test_paper_keying import entry_data, forms, open_keying, paper_ref, send_paper, sent_reference

SITE = "assist.example"
#: Back and next values as the server reads them from a request (already decoded once).
HOSTILE_TARGETS = [
    "/\\evil.example", "/\\/evil.example", "/\\\\evil.example", "/%5cevil.example", "/%5Cevil.example",
    "/%255cevil.example", "/\t/evil.example", "/%09/evil.example", "/\n/evil.example", "/%0a/evil.example",
    "/\r/evil.example", "/\x00/evil.example", "/%2fevil.example", "/%2F/evil.example", "/%252f%252fevil.example",
    "//evil.example", "https://evil.example/",
]
SENSITIVE = "blue-badge"


def parse(response):
    return html5lib.parse(response.get_data(as_text=True), namespaceHTMLElements=False)


def addresses(response) -> list[str]:
    """Every link and form address in a page, as the browser reads the attribute."""
    document = parse(response)
    return ([a.get("href") for a in document.iter("a") if a.get("href")]
            + [f.get("action") for f in document.iter("form") if f.get("action")])


def on_site(address: str) -> bool:
    """Whether a browser on a page of this site goes to this site for ``address`` (it drops tabs and
    line breaks, and reads a backslash as a slash)."""
    cleaned = re.sub(r"[\t\n\r]", "", address).strip("\x00 ").replace("\\", "/")
    return urlsplit(urljoin(f"https://{SITE}/forms/x/", cleaned)).netloc == SITE


def start_online(client, form_id: str) -> str:
    page = client.get(f"/forms/{form_id}/")
    return location(client.post(f"/forms/{form_id}/start", data={"csrf_token": csrf_token(page)}))


# --- 1. back and next ------------------------------------------------------------------------------


@pytest.mark.parametrize("target", HOSTILE_TARGETS)
def test_a_crafted_back_address_renders_only_on_site_links(client, target):
    start_online(client, "missed-bin")
    page = client.get("/carry-on/save/missed-bin", query_string={"back": target})
    assert page.status_code == 200
    back = [a.get("href") for a in parse(page).iter("a") if "govuk-back-link" in (a.get("class") or "")]
    assert back == ["/forms/missed-bin/"]
    found = [a for a in addresses(page) if not a.startswith("mailto:")]
    assert all(on_site(a) and "evil.example" not in a.split("?")[0] for a in found), found  # (the language
    # links keep the query string: on this site, and encoded)


def test_an_on_site_back_address_is_kept(client):
    first = start_online(client, "missed-bin")
    page = client.get("/carry-on/save/missed-bin", query_string={"back": f"{first}?change=1"})
    assert f'href="{first}?change=1"' in page.get_data(as_text=True)


@pytest.mark.parametrize("target", HOSTILE_TARGETS)
def test_a_crafted_next_address_never_redirects_off_the_site(app, client, target):
    page = client.get("/helpers/sign-in")
    response = client.post("/helpers/sign-in", query_string={"next": target},
                           data={"csrf_token": csrf_token(page), "name": "Sam Helper", "pin": PIN})
    assert location(response) == "/helpers/"
    first = start_resident(client, "missed-bin")
    assert location(post(client, "/helpers/resident/hand-over", {"next": target}, token_from=first)) == "/helpers/"
    page = client.get("/helpers/unlock", query_string={"next": target})  # handed over: the PIN opens it
    response = client.post("/helpers/unlock", query_string={"next": target},
                           data={"csrf_token": csrf_token(page), "pin": PIN})
    assert location(response) == "/helpers/"
    kiosk = app.test_client()
    start_kiosk_form(kiosk, "missed-bin")
    response = kiosk.post("/kiosk/help", data={"csrf_token": csrf_token(kiosk.get(KIOSK)), "next": target})
    assert location(response) == KIOSK


# --- 2. nothing deleted by a GET ---------------------------------------------------------------------


def test_exit_this_page_is_a_form_posting_the_csrf_token_never_a_link(client):
    url = start_kiosk_form(client, SENSITIVE)
    page = client.get(url)
    document = parse(page)
    [form] = [f for f in document.iter("form") if f.get("action") == "/device/leave"]
    assert form.get("method") == "post"
    assert form.find(".//input[@name='csrf_token']").get("value") == csrf_token(page)
    assert "govuk-exit-this-page__button" in form.find(".//button").get("class")
    assert not [a for a in document.iter("a") if "/device/leave" in (a.get("href") or "")]


def test_templates_and_scripts_reach_the_clearing_routes_only_through_forms():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "assist"
    for path in [*(root / "templates").rglob("*.html"), *(root / "static" / "src").rglob("*.js")]:
        text = path.read_text(encoding="utf-8")
        for line in text.splitlines():
            for endpoint in ("kiosk.leave", "kiosk.finish", "assisted.finish", "assisted.sign_out"):
                assert endpoint not in line or re.search(r'<form method="post" action="[^"]*' + endpoint, line), (
                    f"{path.name}: {endpoint} outside a form's action: {line.strip()}")
        assert "/device/leave" not in text and "/device/finish" not in text, path.name


def test_a_get_of_device_leave_deletes_nothing_and_only_a_same_site_post_with_the_token_does(client, store):
    url = start_kiosk_form(client, SENSITIVE)
    [journey_id] = journey_ids(client)
    token = csrf_token(client.get(url))

    def still_there():
        return store.get_journey(journey_id)["status"] == "in_progress" and journey_ids(client) == [journey_id]

    assert client.get("/device/leave").status_code == 405
    assert still_there()
    assert client.post("/device/leave").status_code == 400
    assert client.post("/device/leave", data={"csrf_token": "made-up"}).status_code == 400
    assert client.post("/device/leave", data={"csrf_token": token},
                       headers={"Sec-Fetch-Site": "cross-site"}).status_code == 400
    assert still_there()
    assert client.get(url).status_code == 200
    response = client.post("/device/leave", data={"csrf_token": token})
    assert location(response).endswith(KIOSK)
    assert store.get_journey(journey_id)["status"] == "cleared"


def test_on_a_residents_own_device_exit_this_page_still_goes_to_a_neutral_page(client, store):
    url = start_online(client, SENSITIVE)
    [journey_id] = journey_ids(client)
    response = client.post("/device/leave", data={"csrf_token": csrf_token(client.get(url))})
    # A page that moves on by itself: browsers refuse a form's redirect to another site (form-action 'self').
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="0; url=https://www.bbc.co.uk/weather">' in html
    assert store.get_journey(journey_id)["status"] == "cleared"


def latest_journey_status(store) -> str:
    return store.db.execute("select status from journeys order by rowid desc limit 1").fetchone()[0]


def test_exit_this_page_in_a_browser_by_its_button_and_by_shift_three_times(browser, live_server, store):
    page = browser.new_context().new_page()
    page.route("https://www.bbc.co.uk/**", lambda route: route.fulfill(body="<title>Weather</title>",
                                                                        content_type="text/html"))
    page.goto(f"{live_server}/forms/{SENSITIVE}/")  # a resident's own device: the button
    page.locator(f'form[action="/forms/{SENSITIVE}/start"] button').click()
    page.wait_for_load_state()
    assert latest_journey_status(store) == "in_progress"
    page.get_by_role("button", name="Exit this page").click()
    page.wait_for_url("https://www.bbc.co.uk/**")
    assert latest_journey_status(store) == "cleared"
    page.goto(f"{live_server}{KIOSK}")  # a kiosk: Shift pressed three times
    page.locator(f'a[href="/forms/{SENSITIVE}/"]').click()
    page.locator(f'form[action="/forms/{SENSITIVE}/start"] button').click()
    page.wait_for_load_state()
    assert latest_journey_status(store) == "in_progress"
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(f"{live_server}{KIOSK}")
    assert latest_journey_status(store) == "cleared"
    page.context.close()


SAMPLES = {"form_id": "missed-bin", "page_id": "bin-type", "exit_id": "bin-not-out", "number": 1,
           "venue_id": "central-library", "helper_id": HELPER, "action": "close", "outbox_id": 1, "request_id": 1,
           "paper_ref": "MB-2026.1-EN", "code": "ABCD-2345", "filename": "assist.css", "reference": "DB-0000-0000",
           "step": 1}


def get_every_page(app, client) -> None:
    """GET every route of the app that answers GET (PDFs aside: they only print)."""
    with app.test_request_context():
        urls = [url_for(rule.endpoint, **{name: SAMPLES.get(name, "x") for name in rule.arguments})
                for rule in app.url_map.iter_rules() if "GET" in rule.methods]
    for url in urls:
        if not url.endswith(".pdf"):
            assert client.get(url).status_code != 500, url


def test_no_get_anywhere_deletes_a_kiosk_visit_or_a_helpers_resident_session(app, client, store):
    start_kiosk_form(client, "missed-bin")
    [kiosk_journey] = journey_ids(client)
    get_every_page(app, client)
    assert store.get_journey(kiosk_journey)["status"] == "in_progress" and journey_ids(client) == [kiosk_journey]

    tablet = app.test_client()
    sign_in(tablet)
    start_resident(tablet, "missed-bin")
    [assisted_journey] = journey_ids(tablet)
    get_every_page(app, tablet)
    assert store.get_journey(assisted_journey)["status"] == "in_progress"
    assert tablet.get("/helpers/").status_code == 200 and journey_ids(tablet) == [assisted_journey]


# --- 3. paper copies and their duplicates, by venue ----------------------------------------------------


def key_in(app, client, number: str) -> str:
    url = location(open_keying(client, paper_ref(app), number))
    return sent_reference(send_paper(client, url, entry_data(forms(app)["school-meals"])))


def signed_in(app, helper_id: str, venue_id: str = "central-library"):
    device = app.test_client()
    sign_in_at(device, helper_id, venue_id)
    return device


def test_a_paper_submission_page_is_for_its_venues_helpers_and_council_admins(app, people):
    keyer = signed_in(app, HELPER)
    reference = key_in(app, keyer, "K7MX2")
    assert keyer.get(f"/helpers/paper/submissions/{reference}").status_code == 200
    assert signed_in(app, ADMIN_ID).get(f"/helpers/paper/submissions/{reference}").status_code == 200
    for helper_id in ("nia-north", LEAD_ID):
        response = signed_in(app, helper_id, OTHER_VENUE).get(f"/helpers/paper/submissions/{reference}")
        assert response.status_code == 404 and "Paper reference" not in response.get_data(as_text=True)


def test_a_copy_keyed_in_at_another_venue_is_refused_without_naming_its_submission(app, people, store):
    keyer = signed_in(app, HELPER)
    reference = key_in(app, keyer, "K7MX2")
    other = signed_in(app, "nia-north", OTHER_VENUE)
    form = forms(app)["school-meals"]
    url = f"/helpers/paper/{paper_ref(app)}/K7MX2"
    fresh = location(open_keying(other, paper_ref(app), "ZZ99"))
    refusals = [open_keying(other, paper_ref(app), "K7MX-2"), other.get(url), other.get(f"{url}/check"),  # number
                send_paper(other, fresh, entry_data(form))]  # the same answers
    for response in refusals:
        text = response.get_data(as_text=True)
        assert response.status_code == 409 and "This paper form has already been keyed in" in text
        assert reference not in text and "/helpers/paper/submissions/" not in text
        assert "keyed in at another venue, so only a council admin can see that submission" in text
    for device in (keyer, signed_in(app, ADMIN_ID)):
        response = open_keying(device, paper_ref(app), "K7MX2")
        assert response.status_code == 409
        assert f'href="/helpers/paper/submissions/{reference}"' in response.get_data(as_text=True)
    assert store.count_submissions() == 1


# --- 4. credentials of a helper shared with another venue ----------------------------------------------

SHARED = "sol-shared"


def pin_hash(store, helper_id: str) -> str:
    return store.db.execute("select pin_hash from helpers where id = ?", [helper_id]).fetchone()[0]


def test_a_venue_lead_cannot_change_the_pin_of_a_helper_who_also_works_elsewhere(app, people):
    people.add_helper("Sol Shared", PIN, ["central-library", OTHER_VENUE], helper_id=SHARED)
    lead = signed_in(app, LEAD_ID, OTHER_VENUE)
    before = pin_hash(people, SHARED)
    listing = lead.get("/admin/helpers")
    row = re.search(rf'data-helper="{SHARED}">(.*?)</tr>', listing.get_data(as_text=True), re.S).group(1)
    assert f"/{SHARED}/reset-pin" not in row and f"/{SHARED}/deactivate" not in row and "ask a council admin" in row
    token = csrf_token(listing)
    new_pin = {"csrf_token": token, "pin": "8642", "pin-again": "8642"}
    for response in (lead.get(f"/admin/helpers/{SHARED}/reset-pin"),
                     lead.post(f"/admin/helpers/{SHARED}/reset-pin", data=new_pin),
                     lead.post(f"/admin/helpers/{SHARED}/deactivate", data={"csrf_token": token})):
        text = response.get_data(as_text=True)
        assert response.status_code == 403
        assert "Only a council admin can do this" in text and "Sol Shared also helps at a venue you do not lead" in text
    assert pin_hash(people, SHARED) == before and people.get_helper(SHARED)["active"]
    # Their own venue's helper is still the lead's to manage; the shared one is a council admin's.
    assert location(lead.post("/admin/helpers/nia-north/reset-pin", data=new_pin)).startswith("/admin/helpers")
    admin = signed_in(app, ADMIN_ID)
    page = admin.get(f"/admin/helpers/{SHARED}/reset-pin")
    response = admin.post(f"/admin/helpers/{SHARED}/reset-pin", data={**new_pin, "csrf_token": csrf_token(page)})
    assert location(response).startswith("/admin/helpers") and pin_hash(people, SHARED) != before


# --- 5. keyed answer digests ------------------------------------------------------------------------------

PAPER = "PAPER-SM-2026.1-EN-K7MX"
ANSWERS = {"child-name": "Zebedee Quillfeather", "school": "Hill Primary", "children": [{"age": 7}]}
OTHER_ANSWERS = {**ANSWERS, "child-name": "Quentin Zebedee"}


def unkeyed(answers: dict) -> str:
    """The digest as it was kept before: plain SHA-256 of the paper reference and the answers."""
    text = json.dumps(answers, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{PAPER}\n{text}".encode()).hexdigest()


def paper_store(directory):
    from assist.storage import Store

    store = Store(directory / "assist.sqlite3")
    store.migrate()
    return store


def key_copy(store, number: str, answers: dict) -> str:
    from assist.engine import make_reference

    return store.submit_paper(form_id="school-meals", form_version="2026.1", language="en", paper_reference=PAPER,
                              paper_number=number, answers=answers, reference_factory=lambda: make_reference("TS"))


def test_the_answers_digest_is_keyed_per_database_and_still_refuses_the_same_answers(tmp_path):
    from assist.storage.paper import DuplicatePaper

    stores = [paper_store(tmp_path / "a"), paper_store(tmp_path / "b")]
    references = [key_copy(store, "A1", ANSWERS) for store in stores]
    digests = [store.get_paper_copy(ref)["answers_digest"] for store, ref in zip(stores, references)]
    assert unkeyed(ANSWERS) not in digests and digests[0] != digests[1]
    assert all(re.fullmatch(r"[0-9a-f]{64}", digest) for digest in digests)
    [(sealed,)] = stores[0].db.execute("select key from digest_keys").fetchall()
    assert sealed.startswith("enc1:"), "the digest key is kept sealed with the data key"
    with pytest.raises(DuplicatePaper) as refused:
        key_copy(stores[0], "B2", ANSWERS)  # the same answers from a copy whose box was left empty
    assert refused.value.reference == references[0]
    assert key_copy(stores[0], "C3", OTHER_ANSWERS)
    for store in stores:
        store.close()


def test_rotating_the_data_key_keeps_the_digests_matching(tmp_path):
    from assist.storage.paper import DuplicatePaper

    store = paper_store(tmp_path)
    reference = key_copy(store, "A1", ANSWERS)
    rotation = store.rotate_data_key()
    assert set(store.stored_key_ids()) == {rotation.new_id}
    store.close()
    again = paper_store(tmp_path)  # a new process, with only the new key
    with pytest.raises(DuplicatePaper) as refused:
        key_copy(again, "B2", ANSWERS)
    assert refused.value.reference == reference
    again.close()


def test_unkeyed_digests_are_keyed_again_where_the_answers_are_kept_and_dropped_where_not(tmp_path):
    from assist.storage.paper import DuplicatePaper

    store = paper_store(tmp_path)
    kept, purged = key_copy(store, "A1", ANSWERS), key_copy(store, "B2", OTHER_ANSWERS)
    with store.transaction() as db:  # as a database was before the migration
        for reference, answers in ((kept, ANSWERS), (purged, OTHER_ANSWERS)):
            db.execute("update paper_copies set answers_digest = ? where submission_reference = ?",
                       [unkeyed(answers), reference])
        db.execute("drop table digest_keys")
        db.execute("delete from _migrations where name = 'key_paper_digests'")
        db.execute("update submissions set answers = '{}', answers_deleted_at = submitted_at where reference = ?",
                   [purged])
    store.close()
    again = paper_store(tmp_path)
    digests = {ref: again.get_paper_copy(ref)["answers_digest"] for ref in (kept, purged)}
    assert digests[purged] is None
    assert digests[kept] not in (None, unkeyed(ANSWERS))
    with pytest.raises(DuplicatePaper) as refused:
        key_copy(again, "C3", ANSWERS)
    assert refused.value.reference == kept
    with pytest.raises(DuplicatePaper):
        key_copy(again, "B2", {"anything": "else"})  # its paper number still refuses the purged copy
    again.close()
