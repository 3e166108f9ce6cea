"""Keying in a paper Blue Badge form: the clerk photographs the copies the resident attached, and
they travel with the submission; a copy that came without them can still be sent."""

from __future__ import annotations

import io

from assisted_support import app, client, clock, location, sign_in, store  # noqa: F401
from conftest import csrf_token
from support import example_photo
from test_paper_keying import entry_data, forms, key_sections, open_keying, paper_ref, sent_reference
from test_paper_sections import section_of


def _without_files(form) -> dict:
    data = entry_data(form)
    for question in form.questions():
        if question.type == "file":
            data.pop(question.id, None)
    return data


def test_the_clerk_photographs_the_attached_copies_and_they_are_sent_with_the_answers(app, client, store):
    form = forms(app)["blue-badge"]
    sign_in(client)
    url = location(open_keying(client, paper_ref(app, "blue-badge"), "E1"))
    step = section_of(form, "proof-of-address")
    section = client.get(f"{url}/sections/{step}")
    html = section.get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html and "Add proof of your address (optional)" in html
    response = client.post(f"{url}/sections/{step}", data={
        "csrf_token": csrf_token(section), "action": "upload",
        "proof-of-address": (io.BytesIO(example_photo(1200, 1600)), "council-tax.jpg")},
        content_type="multipart/form-data")
    assert response.status_code == 303
    again = client.get(f"{url}/sections/{step}")
    html = again.get_data(as_text=True)
    assert "council-tax.jpg" in html and "Add another file" in html
    thumbnail = next(part for part in html.split('src="')[1:] if "/evidence/" in part).split('"')[0]
    assert client.get(thumbnail.replace("&amp;", "&")).status_code == 200
    refused = client.post(f"{url}/sections/{step}", data={
        "csrf_token": csrf_token(again), "proof-of-address": (io.BytesIO(b"not a photo"), "x.jpg")},
        content_type="multipart/form-data")
    assert refused.status_code == 400 and "The selected file must be a JPG, PNG, HEIC or PDF" in \
        refused.get_data(as_text=True)
    check = key_sections(client, url, _without_files(form))
    page = client.get(check)
    assert "council-tax.jpg" in page.get_data(as_text=True)
    sent = client.post(check, data={"csrf_token": csrf_token(page), "paper-signed": "yes", "action": "send"})
    reference = sent_reference(sent)
    submission = store.get_submission(reference)
    [kept] = submission["answers"]["proof-of-address"]
    assert kept["name"] == "council-tax.jpg"
    assert [f.id for f in store.submission_evidence(reference)] == [kept["id"]]
    assert store.db.execute("select count(*) from journeys").fetchone()[0] == 1, "one journey: the photos' own"


def test_a_paper_copy_without_its_attachments_can_still_be_sent(app, client, store):
    form = forms(app)["blue-badge"]
    sign_in(client)
    url = location(open_keying(client, paper_ref(app, "blue-badge"), "E2"))
    check = key_sections(client, url, _without_files(form))
    page = client.get(check)
    sent = client.post(check, data={"csrf_token": csrf_token(page), "paper-signed": "yes", "action": "send"})
    reference = sent_reference(sent)
    assert store.get_submission(reference)["answers"].get("proof-of-address") is None
    assert store.submission_evidence(reference) == []
