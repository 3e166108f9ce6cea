"""The admin pages write stored codes for people: delivery errors in plain words with what to do
(the raw message kept for IT), audit events in words, and times in the council's time zone,
written in words in the page's language."""

from __future__ import annotations

import datetime as dt
import ssl
from types import SimpleNamespace

import pytest

from admin_support import ADMIN_ID, people, session, sign_in_at  # noqa: F401
from assisted_support import HELPER, VENUE, app, client, clock, store  # noqa: F401


def _sent(store, clock, at=None) -> str:
    """A submission sent at ``at + 10 minutes`` (a session takes ten)."""
    journey = session(store, clock, "missed-bin", outcome="submitted", at=at)
    return store.get_journey(journey)["submission_reference"]


# -- delivery errors ------------------------------------------------------------------------------

def test_a_folder_that_is_a_file_is_explained_in_plain_words(client, people, clock, tmp_path):
    """The message the folder destination really stores ("[Errno 17] File exists") is shown as what
    went wrong and what to do; the raw message is kept inside "Technical detail for IT"."""
    from assist.delivery import DeliveryError, FolderDestination, Parcel
    from assist.delivery.errors import error_kind

    blocked = tmp_path / "share"
    blocked.write_text("not a folder")
    destination = FolderDestination(SimpleNamespace(folder=blocked))
    with pytest.raises(DeliveryError) as caught:
        destination.deliver(Parcel("TS-1", "key", {}, b"{}", lambda: b"%PDF"), 5)
    message = str(caught.value)
    assert "[Errno 17] File exists" in message and error_kind(message) == "folder_not_a_folder"

    reference = _sent(people, clock)
    row = people.list_deliveries(reference=reference)[0]
    people.mark_attempt_failed(row["id"], "test", message, None)
    sign_in_at(client, ADMIN_ID)
    for url in (f"/admin/submissions/{reference}", "/helpers/deliveries/"):
        page = client.get(url).get_data(as_text=True)
        shown, technical = page.split("Technical detail for IT", 1)
        assert "a file has the name the folder should have" in shown
        assert "When it is fixed, send it again." in shown
        assert "[Errno 17]" not in shown, url  # only inside the details element
        assert "[Errno 17] File exists" in technical.split("</details>")[0]


@pytest.mark.parametrize("message, kind", [
    ("folder /srv/share: [Errno 13] Permission denied: '/srv/share/TS-1.pdf'", "folder_permission"),
    ("folder /srv/share: [Errno 28] No space left on device", "folder_full"),
    ("folder /mnt/share: [Errno 2] No such file or directory: '/mnt/share'", "folder_missing"),
    ("email to mail.example.org:587: (535, b'5.7.8 Authentication credentials invalid')", "email_login"),
    ("email to mail.example.org:25: [Errno 111] Connection refused", "email_unreachable"),
    ("email to mail.example.org:25: timed out", "email_timeout"),
    (f"email to mail.example.org:587: {ssl.SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED]')}",
     "email_certificate"),
    ("email refused for benefits@example.gov.uk", "email_refused"),
    ("webhook answered 401 Unauthorized: bad signature", "webhook_secret"),
    ("webhook answered 422 Unprocessable Entity: missing field", "webhook_rejected"),
    ("webhook answered 503 Service Unavailable: ", "webhook_server"),
    ("webhook backoffice.example.gov.uk: [Errno -2] Name or service not known", "webhook_unreachable"),
    ("webhook backoffice.example.gov.uk: timed out", "webhook_timeout"),
    ("the webhook destination is not configured (see [delivery])", "not_configured"),
    ("submission TS-1 is not in the database", "submission_missing"),
    ("form 'missed-bin' is not loaded", "form_not_loaded"),
    ("KeyError: 'missed-bin'", "internal"),
    ("connection refused", "unknown"),
])
def test_each_kind_of_stored_error_is_recognised(message, kind):
    from assist.delivery.errors import error_kind

    assert error_kind(message) == kind


def test_every_kind_of_delivery_error_has_plain_words(app):
    from assist.delivery.errors import KINDS
    from assist.web.admin.delivery_errors import PROBLEMS

    assert set(PROBLEMS) == set(KINDS)


# -- audit events ---------------------------------------------------------------------------------

def test_every_audit_event_has_words():
    from assist.reporting.events import EVENT_WORDS
    from assist.storage.audit import EVENTS

    assert set(EVENTS) <= set(EVENT_WORDS)


def test_the_audit_page_and_a_submissions_trail_say_what_happened_in_words(client, people, clock):
    reference = _sent(people, clock)
    journey_id = people.get_submission(reference)["journey_id"]
    people.audit("sign_in_failed", helper_id=HELPER, venue_id=VENUE)
    people.audit("hand_over", helper_id=HELPER, venue_id=VENUE, journey_id=journey_id)
    people.audit("print", helper_id=HELPER, venue_id=VENUE, journey_id=journey_id, detail="carry_on_slip")
    sign_in_at(client, ADMIN_ID)
    audit = client.get("/admin/audit", query_string={"show": "all"}).get_data(as_text=True)
    table = audit.split('id="audit-table"')[1]
    assert "Wrong name or PIN entered" in table and "Tablet handed to the resident" in table
    assert "sign_in_failed" not in table and "hand_over" not in table
    trail = client.get(f"/admin/submissions/{reference}").get_data(as_text=True).split('id="record-trail"')[1]
    assert "Printed (carry-on slip)" in trail and "carry_on_slip" not in trail
    csv = client.get("/admin/audit.csv").get_data(as_text=True).splitlines()
    assert csv[0].lstrip("\ufeff").startswith("time_utc,event,") and csv[0].endswith(",detail,what")
    assert any(",hand_over," in line and line.endswith(",Tablet handed to the resident") for line in csv)


# -- times ----------------------------------------------------------------------------------------

def test_times_are_shown_in_the_councils_time_zone_in_words(client, people, clock):
    """14:05 UTC on 1 July is 15:05 in London (summer time); 14:05 UTC on 3 December is 14:05."""
    summer = clock.now.replace(year=clock.now.year - 1, month=7, day=1, hour=14, minute=5)
    winter = summer.replace(month=12, day=3)
    year = summer.year
    references = [_sent(people, clock, at=summer - dt.timedelta(minutes=10)),
                  _sent(people, clock, at=winter - dt.timedelta(minutes=10))]
    sign_in_at(client, ADMIN_ID)
    summer_page = client.get(f"/admin/submissions/{references[0]}").get_data(as_text=True)
    sent_row = summer_page.split(">Sent</dt>")[1].split("</dd>")[0]
    assert f"1 July {year}, 15:05" in sent_row and "UTC" not in sent_row
    listing = client.get("/admin/submissions").get_data(as_text=True)
    assert f"3 December {year}, 14:05" in listing and f"1 July {year}, 15:05" in listing
    assert f"{year}-07-01" not in listing.split('id="submissions-table"')[1]
    with client.session_transaction() as browser:
        browser["lang"] = "ar"
    arabic = client.get(f"/admin/submissions/{references[1]}").get_data(as_text=True)
    assert f"3 ديسمبر {year}، 14:05" in arabic


def test_another_time_zone_can_be_configured(app, client, people, clock):
    import dataclasses

    config = app.extensions["assist.config"]
    app.extensions["assist.config"] = dataclasses.replace(
        config, council=dataclasses.replace(config.council, timezone="America/New_York"))
    winter = clock.now.replace(year=clock.now.year - 1, month=12, day=3, hour=14, minute=5)
    reference = _sent(people, clock, at=winter - dt.timedelta(minutes=10))
    sign_in_at(client, ADMIN_ID)
    page = client.get(f"/admin/submissions/{reference}").get_data(as_text=True)
    assert f"3 December {winter.year}, 09:05" in page.split(">Sent</dt>")[1].split("</dd>")[0]


def test_an_unknown_time_zone_stops_assist_starting(tmp_path):
    from assist.config import ConfigError, load_config

    path = tmp_path / "config.toml"
    path.write_text('[council]\ntimezone = "Europe/Londn"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={})
    assert any("council.timezone" in problem and "Europe/Londn" in problem for problem in caught.value.problems)
    path.write_text('[council]\ntimezone = "Europe/Dublin"\n', encoding="utf-8")
    assert load_config(path, environ={}).council.timezone == "Europe/Dublin"
