"""Who can reach what in /admin: council admins everything, venue leads their own venues, helpers nothing."""

from __future__ import annotations

import pytest

from admin_support import ADMIN_ID, LEAD_ID, OTHER_VENUE, VENUE, people, session, sign_in_at  # noqa: F401
from assisted_support import HELPER, PIN, app, client, clock, location, post, store  # noqa: F401
from conftest import csrf_token

ADMIN_PAGES = ["/admin/", "/admin/submissions", "/admin/helpers", "/admin/helpers/new", "/admin/venues",
               "/admin/forms", "/admin/audit", "/admin/retention", "/admin/report", "/admin/dashboard.csv",
               "/admin/audit.csv", "/admin/report.pdf?month=2026-01"]
ADMIN_ONLY = ["/admin/venues", "/admin/forms", "/admin/audit", "/admin/retention", "/admin/audit.csv"]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_anonymous_visitors_go_to_sign_in(client, people, url):
    response = client.get(url)
    assert "/helpers/sign-in" in location(response)


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_a_helper_cannot_reach_admin_pages(client, people, url):
    sign_in_at(client, HELPER)
    assert client.get(url).status_code == 403


def test_a_helper_cannot_post_admin_actions(client, people):
    sign_in_at(client, HELPER)
    assert post(client, f"/admin/helpers/{LEAD_ID}/deactivate", token_from="/helpers/").status_code == 403
    assert post(client, f"/admin/venues/{VENUE}/close", token_from="/helpers/").status_code == 403
    assert people.get_helper(LEAD_ID)["active"] == 1


@pytest.mark.parametrize("url", ADMIN_ONLY)
def test_a_venue_lead_cannot_reach_council_wide_pages(client, people, url):
    sign_in_at(client, LEAD_ID, OTHER_VENUE)
    assert client.get(url).status_code == 403


def test_a_venue_lead_sees_only_their_venue(client, people, clock):
    ours = session(people, clock, "missed-bin", outcome="submitted", venue_id=OTHER_VENUE, helper_id="nia-north")
    theirs = session(people, clock, "missed-bin", outcome="submitted")
    session(people, clock, "blue-badge", outcome="cleared")
    ours_ref = people.get_journey(ours)["submission_reference"]
    theirs_ref = people.get_journey(theirs)["submission_reference"]
    sign_in_at(client, LEAD_ID, OTHER_VENUE)
    dashboard = client.get("/admin/").get_data(as_text=True)
    assert 'data-figure="started">1<' in dashboard
    assert "Central Library" not in dashboard.split('id="venue"')[1].split("</select>")[0]
    assert client.get(f"/admin/?venue={VENUE}").status_code == 403
    listing = client.get("/admin/submissions").get_data(as_text=True)
    assert ours_ref in listing and theirs_ref not in listing
    assert client.get(f"/admin/submissions/{theirs_ref}").status_code == 404
    assert client.get(f"/admin/submissions/{ours_ref}").status_code == 200
    assert client.get(f"/admin/submissions/{ours_ref}/council-copy.pdf").status_code == 403
    helpers = client.get("/admin/helpers").get_data(as_text=True)
    assert "Nia North" in helpers and "Sam Helper" not in helpers
    assert client.get(f"/admin/helpers/{HELPER}/reset-pin").status_code == 404
    assert client.get(f"/admin/report.pdf?month=2026-01&venue={VENUE}").status_code == 403
    csv = client.get("/admin/dashboard.csv").get_data(as_text=True)
    assert "Central Library" not in csv


def test_a_venue_lead_adds_helpers_only_at_their_venue(client, people):
    sign_in_at(client, LEAD_ID, OTHER_VENUE)
    page = client.get("/admin/helpers/new")
    assert 'value="council_admin"' not in page.get_data(as_text=True)
    response = client.post("/admin/helpers/new", data={"csrf_token": csrf_token(page), "name": "Bob Boss",
                                                       "role": "council_admin", "venues": [VENUE], "pin": "4321",
                                                       "pin-again": "4321"})
    assert response.status_code == 400
    response = client.post("/admin/helpers/new", data={"csrf_token": csrf_token(page), "name": "Kim New",
                                                       "role": "helper", "venues": [OTHER_VENUE], "pin": "4321",
                                                       "pin-again": "4321"})
    assert response.status_code == 303
    kim = [h for h in people.list_helpers() if h["display_name"] == "Kim New"][0]
    assert kim["venues"] == [OTHER_VENUE] and kim["role"] == "helper"


def test_admin_manages_venues_and_helpers(client, people):
    sign_in_at(client, ADMIN_ID)
    page = client.get("/admin/venues")
    response = client.post("/admin/venues", data={"csrf_token": csrf_token(page), "venue-id": "east-pub",
                                                  "venue-name": "The East Arms", "venue-address": "",
                                                  "venue-mode": "assisted"})
    assert response.status_code == 303 and people.get_venue("east-pub")["name"] == "The East Arms"
    bad = client.post("/admin/venues", data={"csrf_token": csrf_token(page), "venue-id": "East Pub!",
                                             "venue-name": "", "venue-mode": "assisted"})
    assert bad.status_code == 400 and "Enter the venue" in bad.get_data(as_text=True)
    client.post(f"/admin/venues/{OTHER_VENUE}/close", data={"csrf_token": csrf_token(page)})
    assert people.get_venue(OTHER_VENUE)["active"] == 0
    # Reset a PIN: the old one stops working, the new one works.
    page = client.get(f"/admin/helpers/{HELPER}/reset-pin")
    mismatch = client.post(f"/admin/helpers/{HELPER}/reset-pin",
                           data={"csrf_token": csrf_token(page), "pin": "5678", "pin-again": "5679"})
    assert mismatch.status_code == 400
    client.post(f"/admin/helpers/{HELPER}/reset-pin", data={"csrf_token": csrf_token(page), "pin": "5678",
                                                           "pin-again": "5678"})
    assert people.check_pin(HELPER, VENUE, PIN).outcome == "wrong"
    assert people.check_pin(HELPER, VENUE, "5678").ok
    client.post(f"/admin/helpers/{HELPER}/deactivate", data={"csrf_token": csrf_token(page)})
    assert people.get_helper(HELPER)["active"] == 0
    events = [e["event"] for e in people.audit_log()]
    assert {"venue_added", "venue_closed", "pin_reset", "helper_deactivated"} <= set(events)
    assert not any("5678" in (e["detail"] or "") for e in people.audit_log())


def test_admin_link_on_the_helper_home(client, people):
    sign_in_at(client, ADMIN_ID)
    assert "/admin/" in client.get("/helpers/").get_data(as_text=True)
    client2 = client.application.test_client()
    sign_in_at(client2, HELPER)
    assert 'href="/admin/"' not in client2.get("/helpers/").get_data(as_text=True)
