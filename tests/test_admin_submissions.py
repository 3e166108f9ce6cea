"""Submissions for admins: search by reference, delivery status, failed ones highlighted, "Send again",
and the record of who viewed or printed each one."""

from __future__ import annotations

import pytest

from admin_support import ADMIN_ID, SECRET, people, session, sign_in_at  # noqa: F401
from assisted_support import HELPER, app, client, clock, store  # noqa: F401
from conftest import csrf_token


@pytest.fixture
def sent(people, clock):
    refs = []
    for _ in range(3):
        journey = session(people, clock, "council-tax-reduction", outcome="submitted", pages=["p1"])
        refs.append(people.get_journey(journey)["submission_reference"])
    failed = people.list_deliveries(reference=refs[0])[0]
    people.mark_attempt_failed(failed["id"], "test", "SMTP 550 mailbox unavailable", None)
    people.mark_delivered(people.list_deliveries(reference=refs[1])[0]["id"], "test")
    return refs


def test_list_shows_delivery_status_and_highlights_failures(client, sent):
    sign_in_at(client, ADMIN_ID)
    page = client.get("/admin/submissions").get_data(as_text=True)
    assert "1 submissions could not be delivered" in page
    failed_row = page.split(f'data-reference="{sent[0]}"')[0].rsplit("<tr", 1)[1]
    assert "assist-row--failed" in failed_row
    assert "govuk-tag--red" in page.split(f'data-reference="{sent[0]}"')[1].split("</tr>")[0]
    assert "Delivered" in page.split(f'data-reference="{sent[1]}"')[1].split("</tr>")[0]
    assert "Waiting" in page.split(f'data-reference="{sent[2]}"')[1].split("</tr>")[0]
    only_failed = client.get("/admin/submissions?failed=1").get_data(as_text=True)
    assert sent[0] in only_failed and sent[1] not in only_failed
    assert SECRET not in page


@pytest.mark.parametrize("typed", ["exact", "lower", "no-hyphens", "prefix"])
def test_search_by_reference(client, sent, typed):
    reference = sent[1]
    query = {"exact": reference, "lower": reference.lower(), "no-hyphens": reference.replace("-", " "),
             "prefix": reference[:7]}[typed]
    sign_in_at(client, ADMIN_ID)
    page = client.get("/admin/submissions", query_string={"reference": query}).get_data(as_text=True)
    assert reference in page
    if typed != "prefix":
        assert sent[0] not in page and sent[2] not in page


def test_send_again_requeues_a_failed_delivery_and_is_audited(client, sent, people):
    sign_in_at(client, ADMIN_ID)
    page = client.get(f"/admin/submissions/{sent[0]}")
    text = page.get_data(as_text=True)
    assert "SMTP 550 mailbox unavailable" in text and "Send again" in text
    assert "Exit this page" not in text  # an admin page, not a resident's sensitive form
    row = people.list_deliveries(reference=sent[0])[0]
    response = client.post(f"/admin/submissions/{sent[0]}/send-again/{row['id']}",
                           data={"csrf_token": csrf_token(page)})
    assert response.status_code == 303
    assert people.get_delivery(row["id"])["status"] == "pending"
    trail = client.get(f"/admin/submissions/{sent[0]}").get_data(as_text=True)
    assert "Sent again" in trail.split('id="record-trail"')[1]
    # Another submission's outbox row cannot be requeued through this one.
    other = people.list_deliveries(reference=sent[1])[0]
    assert client.post(f"/admin/submissions/{sent[0]}/send-again/{other['id']}",
                       data={"csrf_token": csrf_token(page)}).status_code == 404


def test_who_viewed_or_printed_a_submission(client, sent, people):
    journey_id = people.get_submission(sent[2])["journey_id"]
    people.audit("print", helper_id=HELPER, venue_id="central-library", journey_id=journey_id, detail="copy")
    sign_in_at(client, ADMIN_ID)
    pdf = client.get(f"/admin/submissions/{sent[2]}/council-copy.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.headers["Cache-Control"] == "no-store"
    page = client.get(f"/admin/submissions/{sent[2]}").get_data(as_text=True)
    trail = page.split('id="record-trail"')[1]
    assert "Printed" in trail and "resident’s copy" in trail and "Sam Helper" in trail
    assert "Viewed the council’s copy" in trail and "Ada Admin" in trail
    audit = client.get("/admin/audit").get_data(as_text=True)
    assert sent[2] in audit and "Viewed the council’s copy" in audit


def test_forms_in_use_lists_versions(client, people, clock):
    session(people, clock, "missed-bin", outcome="submitted", version="2025.3")
    session(people, clock, "missed-bin", outcome="cleared", version="2026.1")
    sign_in_at(client, ADMIN_ID)
    page = client.get("/admin/forms").get_data(as_text=True)
    used = page.split('id="forms-used"')[1]
    assert "2025.3" in used and "2026.1" in used
