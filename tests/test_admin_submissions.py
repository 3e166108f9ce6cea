"""Submissions for admins: search by reference, delivery status, failed ones highlighted, "Send again",
and the record of who viewed or printed each one."""

from __future__ import annotations

import io
import re

import pytest

from admin_support import ADMIN_ID, LEAD_ID, OTHER_VENUE, SECRET, people, session, sign_in_at  # noqa: F401
from assisted_support import HELPER, app, client, clock, location, store  # noqa: F401
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
    assert "1 submission could not be delivered" in page  # one, not "1 submissions"
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


def test_send_again_says_it_worked_and_a_second_click_says_nothing_changed(client, sent, people):
    sign_in_at(client, ADMIN_ID)
    page = client.get(f"/admin/submissions/{sent[0]}")
    row = people.list_deliveries(reference=sent[0])[0]
    url = f"/admin/submissions/{sent[0]}/send-again/{row['id']}"
    after = client.get(location(client.post(url, data={"csrf_token": csrf_token(page)}))).get_data(as_text=True)
    banner = after.split('govuk-notification-banner--success')[1].split("</div>\n</div>")[0]
    assert "Success" in banner and f"{sent[0]} will be sent to {row['destination']} again" in banner
    assert after.count("govuk-notification-banner__header") == 1
    assert "govuk-notification-banner__header" not in client.get(f"/admin/submissions/{sent[0]}").get_data(as_text=True)
    again = client.get(location(client.post(url, data={"csrf_token": csrf_token(page)}))).get_data(as_text=True)
    assert "Nothing changed" in again and "govuk-notification-banner--success" not in again
    assert "govuk-notification-banner__header" in again


def test_try_again_on_the_deliveries_page_says_it_worked(client, sent, people):
    sign_in_at(client, ADMIN_ID)
    page = client.get("/helpers/deliveries/")
    row = people.list_deliveries(reference=sent[0])[0]
    response = client.post(f"/helpers/deliveries/{row['id']}/retry", data={"csrf_token": csrf_token(page)})
    assert location(response).endswith("/helpers/deliveries/")  # nothing about the submission in the address
    after = client.get(location(response)).get_data(as_text=True)
    assert "govuk-notification-banner--success" in after and f"{sent[0]} will be sent to" in after


@pytest.mark.parametrize("mode, helper, words", [
    ("online", None, "No helper: the resident used their own device"),
    ("kiosk", None, "No helper: the resident used a kiosk"),
    ("assisted", HELPER, "Sam Helper"),
])
def test_the_helper_line_says_who_or_why_nobody(client, people, clock, mode, helper, words):
    journey = session(people, clock, "missed-bin", outcome="submitted", mode=mode, helper_id=helper,
                      venue_id=None if mode == "online" else "central-library")
    reference = people.get_journey(journey)["submission_reference"]
    sign_in_at(client, ADMIN_ID)
    page = client.get(f"/admin/submissions/{reference}").get_data(as_text=True)
    helper_row = page.split(">Helper</dt>")[1].split("</dd>")[0]
    assert words in helper_row and "None" not in helper_row


@pytest.fixture
def mixed(people, clock):
    """Submissions on three days (the 1st, 10th and 20th of the month before), of two forms, in
    four ways, at two venues; one whose delivery failed."""
    import datetime as dt

    month = (clock.now.replace(day=1) - dt.timedelta(days=1)).replace(hour=12, minute=0)
    made = {}
    for name, day, form, mode, venue, helper in (
            ("bin-kiosk", 1, "missed-bin", "kiosk", "north-library", None),
            ("bin-online", 10, "missed-bin", "online", None, None),
            ("tax-helper", 10, "council-tax-reduction", "assisted", "central-library", HELPER),
            ("tax-paper", 20, "council-tax-reduction", "paper", "central-library", HELPER)):
        journey = session(people, clock, form, outcome="submitted", mode=mode, venue_id=venue, helper_id=helper,
                          at=month.replace(day=day), pages=["p1"] if form == "council-tax-reduction" else ())
        made[name] = people.get_journey(journey)["submission_reference"]
    failed = people.list_deliveries(reference=made["tax-paper"])[0]
    people.mark_attempt_failed(failed["id"], "test", "connection refused", None)
    made["month"] = month.strftime("%Y-%m")
    return made


def _listed(client, **query) -> set[str]:
    page = client.get("/admin/submissions", query_string=query)
    assert page.status_code == 200, page.get_data(as_text=True)[:500]
    return set(re.findall(r'data-reference="([A-Z0-9-]+)"', page.get_data(as_text=True)))


def test_submissions_can_be_narrowed_by_dates_form_venue_status_and_mode(client, mixed):
    sign_in_at(client, ADMIN_ID)
    month = mixed["month"]
    names = {reference: name for name, reference in mixed.items()}

    def found(**query):
        return {names[r] for r in _listed(client, **query) if r in names}

    assert found(**{"from": f"{month}-05", "to": f"{month}-10"}) == {"bin-online", "tax-helper"}
    assert found(**{"from": f"{month}-11"}) == {"tax-paper"}
    assert found(to=f"{month}-01") == {"bin-kiosk"}
    assert found(form="missed-bin") == {"bin-kiosk", "bin-online"}
    assert found(venue="north-library") == {"bin-kiosk"}
    assert found(status="failed") == {"tax-paper"}
    assert found(status="pending") == {"bin-kiosk", "bin-online", "tax-helper"}
    for mode, name in (("kiosk", "bin-kiosk"), ("online", "bin-online"), ("assisted", "tax-helper"),
                       ("paper", "tax-paper")):
        assert found(mode=mode) == {name}
    assert found(form="council-tax-reduction", mode="assisted", **{"from": f"{month}-10"}) == {"tax-helper"}


def test_bad_dates_are_explained_and_what_was_typed_is_kept(client, mixed):
    sign_in_at(client, ADMIN_ID)
    response = client.get("/admin/submissions", query_string={"from": "31/02/2026", "to": "2026-01-01",
                                                               "form": "missed-bin"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "<title>Error:" in page and "govuk-error-summary" in page
    assert '<a href="#from">Enter the first day as a date, like 2026-10-01</a>' in page
    assert 'value="31/02/2026"' in page and '<option value="missed-bin" selected>' in page
    backwards = client.get("/admin/submissions", query_string={"from": "2026-02-01", "to": "2026-01-01"})
    assert backwards.status_code == 400
    assert "The last day must be the same as or after the first day" in backwards.get_data(as_text=True)


def test_a_venue_lead_can_narrow_only_to_their_own_venues(client, mixed):
    sign_in_at(client, LEAD_ID, OTHER_VENUE)
    page = client.get("/admin/submissions").get_data(as_text=True)
    venues = page.split('id="venue"')[1].split("</select>")[0]
    assert "North Library" in venues and "Central Library" not in venues
    assert _listed(client) == {mixed["bin-kiosk"]}
    other = client.get("/admin/submissions", query_string={"venue": "central-library"})
    assert other.status_code == 400 and "Select a venue from the list" in other.get_data(as_text=True)
    assert mixed["tax-helper"] not in other.get_data(as_text=True)


def test_pages_of_submissions_keep_the_search(client, people, clock):
    for _ in range(51):
        session(people, clock, "missed-bin", outcome="submitted", mode="kiosk", helper_id=None)
    session(people, clock, "council-tax-reduction", outcome="submitted", pages=["p1"])
    sign_in_at(client, ADMIN_ID)
    first = client.get("/admin/submissions", query_string={"form": "missed-bin", "mode": "kiosk"})
    older = re.search(r'href="([^"]+)" rel="next"', first.get_data(as_text=True)).group(1).replace("&amp;", "&")
    assert "form=missed-bin" in older and "mode=kiosk" in older and "page=2" in older
    assert len(_listed(client, form="missed-bin", mode="kiosk")) == 50
    second = client.get(older).get_data(as_text=True)
    assert len(re.findall(r'data-reference="', second)) == 1
    assert 'rel="prev"' in second and "form=missed-bin" in second.split('rel="prev"')[0].rsplit("href=", 1)[1]


def test_a_submission_without_answers_does_not_claim_they_were_deleted(client, people, clock):
    journey = session(people, clock, "missed-bin", outcome="submitted", mode="kiosk", helper_id=None)
    reference = people.get_journey(journey)["submission_reference"]
    sign_in_at(client, ADMIN_ID)
    answers = client.get(f"/admin/submissions/{reference}").get_data(as_text=True).split(">Answers</dt>")[1]
    answers = answers.split("</dd>")[0]
    assert "This submission has no answers." in answers and "Deleted on" not in answers


# --- evidence ----------------------------------------------------------------------------------

@pytest.fixture
def with_evidence(app, people):
    """A Blue Badge submission at the admin's venue, with four files (three photos and a PDF), and
    one at the lead's venue."""
    from evidence_support import evidence_submission

    form = app.extensions["assist.forms"]["blue-badge"]
    here = evidence_submission(people, form, mode="assisted", venue_id="central-library", helper_id=HELPER,
                               stale=True)
    there = evidence_submission(people, form, mode="kiosk", venue_id=OTHER_VENUE)
    return here, there


def _files(store, reference: str) -> list[dict]:
    """The answers' file descriptions, with their question, in the order of the page."""
    answers = store.get_submission(reference)["answers"]
    return [{**item, "question": qid} for qid in ("photo", "proof-of-benefit", "proof-of-address")
            for item in answers[qid]]


def test_a_council_admin_sees_thumbnails_and_each_photo_or_pdf_opened_is_audited(client, people, with_evidence):
    reference = with_evidence[0]
    files = _files(people, reference)
    sign_in_at(client, ADMIN_ID)
    page = client.get(f"/admin/submissions/{reference}").get_data(as_text=True)
    evidence = page.split('id="evidence-files"')[1].split("</dl>")[0]
    assert "Add a photo of your face for the badge" in evidence and "Add proof of your address" in evidence
    base = f"/admin/submissions/{reference}/evidence"
    photos, pdf = [f for f in files if f["type"] == "image/jpeg"], files[2]
    assert pdf["type"] == "application/pdf" and pdf["name"] in evidence and "PDF, 3 pages" in evidence
    assert re.findall(r'<img class="assist-files__thumbnail" src="([^"]+)"', evidence) == [
        f"{base}/{f['id']}?size=thumbnail" for f in photos]
    assert f'href="{base}/{pdf["id"]}" download' in evidence
    assert "Only council admins can see evidence" not in page

    thumbnail = client.get(f"{base}/{photos[0]['id']}?size=thumbnail")
    assert thumbnail.status_code == 200 and thumbnail.mimetype == "image/jpeg"
    assert thumbnail.data == people.submission_evidence_file(reference, photos[0]["id"], thumbnail=True).data
    assert people.audit_log(event="evidence_viewed") == []  # thumbnails are part of the page

    photo = client.get(f"{base}/{photos[0]['id']}")
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
    assert photo.data == people.submission_evidence_file(reference, photos[0]["id"]).data
    assert photo.headers["Content-Disposition"] == f'inline; filename="{reference}-photo-1.jpg"'
    download = client.get(f"{base}/{pdf['id']}")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert download.data.startswith(b"%PDF-")
    assert download.headers["Content-Disposition"] == f'attachment; filename="{reference}-proof-of-benefit-2.pdf"'
    assert download.headers["Cache-Control"] == "no-store" and download.headers["X-Content-Type-Options"] == "nosniff"

    journey_id = people.get_submission(reference)["journey_id"]
    viewed = people.audit_log(event="evidence_viewed")
    assert [(e["helper_id"], e["journey_id"], e["detail"]) for e in viewed] == [
        (ADMIN_ID, journey_id, f"{reference} {photos[0]['id']}"), (ADMIN_ID, journey_id, f"{reference} {pdf['id']}")]
    assert not any(f["name"] in e["detail"] for e in viewed for f in files)
    trail = client.get(f"/admin/submissions/{reference}").get_data(as_text=True).split('id="record-trail"')[1]
    assert trail.count("Viewed an evidence file") == 2
    assert "Viewed an evidence file" in client.get("/admin/audit").get_data(as_text=True)


def test_a_venue_lead_sees_which_questions_have_files_but_no_file(client, people, with_evidence):
    reference = with_evidence[1]
    files = _files(people, reference)
    sign_in_at(client, LEAD_ID, OTHER_VENUE)
    page = client.get(f"/admin/submissions/{reference}").get_data(as_text=True)
    evidence = page.split('id="evidence"')[1].split("</dl>")[0]
    assert "Only council admins can see evidence." in evidence
    assert "Add your benefit award letter" in evidence and "2 files" in evidence and "1 file<" not in evidence
    assert "<img" not in evidence and "/evidence/" not in page
    assert not any(f["name"] in page for f in files)
    for file in files:
        assert client.get(f"/admin/submissions/{reference}/evidence/{file['id']}").status_code == 403
        assert client.get(f"/admin/submissions/{reference}/evidence/{file['id']}?size=thumbnail").status_code == 403
    assert people.audit_log(event="evidence_viewed") == []


def test_a_file_that_is_not_one_of_the_submissions_files_is_not_found(client, people, with_evidence):
    here, there = with_evidence
    other = _files(people, there)[0]["id"]
    stale = [f.id for f in people.submission_evidence(here) if f.id not in {d["id"] for d in _files(people, here)}]
    assert len(stale) == 1  # kept for the journey, but its answers no longer name it
    sign_in_at(client, ADMIN_ID)
    for file_id in (other, stale[0], "no-such-file"):
        assert client.get(f"/admin/submissions/{here}/evidence/{file_id}").status_code == 404
        assert client.get(f"/admin/submissions/{here}/evidence/{file_id}?size=thumbnail").status_code == 404
    assert client.get(f"/admin/submissions/BB-NONE-XXXX/evidence/{other}").status_code == 404
    pdf = _files(people, here)[2]["id"]
    assert client.get(f"/admin/submissions/{here}/evidence/{pdf}?size=thumbnail").status_code == 404
    assert people.audit_log(event="evidence_viewed") == []


def test_a_photo_kept_without_a_thumbnail_gets_one_made_on_the_fly(client, people, with_evidence):
    from PIL import Image

    reference = with_evidence[0]
    photo = _files(people, reference)[0]["id"]
    with people.transaction() as db:
        db.execute("update evidence set thumbnail = null where id = ?", [photo])
    sign_in_at(client, ADMIN_ID)
    response = client.get(f"/admin/submissions/{reference}/evidence/{photo}?size=thumbnail")
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    with Image.open(io.BytesIO(response.data)) as image:
        assert max(image.size) == 320


def test_after_the_answers_are_deleted_under_retention_no_file_opens(client, people, with_evidence):
    reference = with_evidence[0]
    files = _files(people, reference)
    for row in people.list_deliveries(reference=reference):
        people.mark_delivered(row["id"], "test")
    assert people.delete_submission_answers([reference]) == 1
    assert people.submission_evidence(reference) == []
    sign_in_at(client, ADMIN_ID)
    page = client.get(f"/admin/submissions/{reference}").get_data(as_text=True)
    evidence = page.split('id="evidence"')[1].split("<h2")[0]
    assert "The files were deleted on" in evidence and "under the retention rules" in evidence
    assert "<img" not in evidence and "/evidence/" not in page
    for file in files:
        assert client.get(f"/admin/submissions/{reference}/evidence/{file['id']}").status_code == 404
        assert client.get(f"/admin/submissions/{reference}/evidence/{file['id']}?size=thumbnail").status_code == 404
        assert people.submission_evidence_file(reference, file["id"]) is None
