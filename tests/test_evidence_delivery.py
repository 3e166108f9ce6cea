"""Evidence travels with the submission: listed in the document (schema version 2) with sha256
values, attached to the email, sent as multipart/form-data to the webhook (signed as sent), and
written to the folder before the JSON; read from the store only when something is sent."""

from __future__ import annotations

import email
import email.policy
import hashlib
import io
import json
import re
import threading
from pathlib import Path

import pytest

from delivery_support import (SECRET, FakePrintouts, Receiver, answers_for, clock, delivery_config,  # noqa: F401
                              free_port, make_app, store, submit, with_delivery)
from evidence_support import evidence_submission, kept_bytes


def docs_snippet(name: str) -> dict:
    """The names a Python example of docs/delivery.md defines (the one defining ``name``), run."""
    docs = (Path(__file__).parent.parent / "docs" / "delivery.md").read_text(encoding="utf-8")
    [code] = [block for block in re.findall(r"```python\n(.*?)```", docs, flags=re.S) if f"def {name}(" in block]
    names: dict = {}
    exec(compile(code, "docs/delivery.md", "exec"), names)  # noqa: S102 - our own documentation
    return names


def worker_for(app, settings):
    from assist.delivery import Backoff, Worker

    return Worker(app.extensions["assist.store"], app.extensions["assist.forms"], settings,
                  printouts=FakePrintouts(), backoff=Backoff(30, 600, rng=lambda: 0.5))


def blue_badge(app):
    return app.extensions["assist.forms"]["blue-badge"]


def check_files(document: dict, store, reference: str) -> None:
    """The document's ``files`` list every file the answers name, in their order, with the bytes' sha256."""
    kept = kept_bytes(store, reference)
    named = [(qid, item["id"]) for qid in ("photo", "proof-of-benefit", "proof-of-address")
             for item in document["answers"][qid]["value"]]
    assert [(f["question"], f["id"]) for f in document["files"]] == named
    assert [f["filename"] for f in document["files"]] == [
        f"{reference}-photo-1.jpg", f"{reference}-proof-of-benefit-1.jpg", f"{reference}-proof-of-benefit-2.pdf",
        f"{reference}-proof-of-address-1.jpg"]
    for entry in document["files"]:
        assert entry["sha256"] == hashlib.sha256(kept[entry["id"]]).hexdigest()
        assert entry["size"] == len(kept[entry["id"]])
    assert [f["media_type"] for f in document["files"]] == ["image/jpeg", "image/jpeg", "application/pdf",
                                                             "image/jpeg"]
    assert [f["name"] for f in document["files"]] == ["IMG_2041.jpg", "award letter page 1.jpg", "PIP award.pdf",
                                                      "council tax bill.jpg"]


def test_the_document_lists_the_files_the_answers_name_and_no_other(delivery_config, store):
    from assist.delivery import Worker

    app = make_app(delivery_config, store)
    reference = evidence_submission(store, blue_badge(app), stale=True)
    assert len(store.submission_evidence(reference)) == 5  # the stale one is kept, but not sent
    document = Worker(store, app.extensions["assist.forms"], delivery_config).document(reference)
    assert document["schema_version"] == 2
    assert list(document)[-1] == "files" and len(document["files"]) == 4
    check_files(document, store, reference)
    assert set(document["files"][0]) == {"id", "question", "name", "media_type", "size", "sha256", "filename"}


class Mailbox:
    def __init__(self):
        self.messages = []
        self.arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        with self.arrived:
            self.messages.append(envelope.original_content)
            self.arrived.notify_all()
        return "250 OK"


@pytest.fixture
def mailbox():
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield mailbox, controller.port
    controller.stop()


def test_the_email_attaches_each_file_after_the_json_and_the_pdf(delivery_config, store, mailbox):
    box, port = mailbox
    settings = with_delivery(delivery_config, destinations=("email",), email_to=("badges@demo.example.gov.uk",),
                             smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False)
    app = make_app(settings, store)
    reference = evidence_submission(store, blue_badge(app))
    assert worker_for(app, settings).run_once().delivered == 1
    [raw] = box.messages
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["X-Assist-Schema-Version"] == "2"
    attachments = list(message.iter_attachments())
    names = [part.get_filename() for part in attachments]
    assert names == [f"{reference}.json", f"{reference}.pdf", f"{reference}-photo-1.jpg",
                     f"{reference}-proof-of-benefit-1.jpg", f"{reference}-proof-of-benefit-2.pdf",
                     f"{reference}-proof-of-address-1.jpg"]
    assert [part.get_content_type() for part in attachments[2:]] == ["image/jpeg", "image/jpeg", "application/pdf",
                                                                      "image/jpeg"]
    document = json.loads(attachments[0].get_payload(decode=True))
    check_files(document, store, reference)
    kept = kept_bytes(store, reference)
    for entry, part in zip(document["files"], attachments[2:]):
        assert part.get_payload(decode=True) == kept[entry["id"]]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Evidence: 4 files attached:" in body
    assert f"{reference}-proof-of-benefit-2.pdf: " in body and "(PIP award.pdf, PDF, " in body
    assert "then the evidence files." in body


def test_a_large_email_is_sent_all_the_same_and_says_so(delivery_config, store, mailbox, monkeypatch):
    from assist.delivery import destinations

    box, port = mailbox
    monkeypatch.setattr(destinations, "LARGE_EMAIL_BYTES", 10_000)
    settings = with_delivery(delivery_config, destinations=("email",), email_to=("badges@demo.example.gov.uk",),
                             smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False)
    app = make_app(settings, store)
    reference = evidence_submission(store, blue_badge(app))
    assert worker_for(app, settings).run_once().delivered == 1 and len(box.messages) == 1
    detail = store.list_deliveries(reference=reference)[0]["detail"]
    assert detail.startswith("emailed to badges@demo.example.gov.uk (") and "MB of attachments" in detail


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.stop()


def webhook_settings(delivery_config, receiver):
    return with_delivery(delivery_config, destinations=("webhook",), webhook_url=receiver.url, timeout_seconds=5)


def test_the_webhook_posts_multipart_with_the_json_first_signed_over_the_whole_body(delivery_config, store,
                                                                                      receiver):
    from werkzeug.formparser import parse_form_data

    from assist.delivery import verify_signature

    settings = webhook_settings(delivery_config, receiver)
    app = make_app(settings, store)
    receiver.start()
    reference = evidence_submission(store, blue_badge(app))
    assert worker_for(app, settings).run_once().delivered == 1
    body, headers = receiver.stored[f"{reference}-webhook"], receiver.headers[f"{reference}-webhook"]
    assert receiver.bad_signatures == 0 and verify_signature(SECRET, body, headers["X-Assist-Signature"])
    assert not verify_signature(SECRET, body + b"\r\n", headers["X-Assist-Signature"])
    assert headers["X-Assist-Schema-Version"] == "2"
    content_type = headers["Content-Type"]
    assert content_type.startswith("multipart/form-data; boundary=assist-")

    # As the email package reads it (what docs/delivery.md shows a back office).
    parsed = email.message_from_bytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body,
                                      policy=email.policy.HTTP)
    parts = list(parsed.iter_parts())
    assert [p.get_param("name", header="content-disposition") for p in parts] == ["submission"] + ["file"] * 4
    assert parts[0].get_content_type() == "application/json"
    document = json.loads(parts[0].get_payload(decode=True))
    assert document["reference"] == reference
    check_files(document, store, reference)
    assert [p.get_filename() for p in parts[1:]] == [f["filename"] for f in document["files"]]
    for entry, part in zip(document["files"], parts[1:]):
        assert part.get_content_type() == entry["media_type"]
        assert hashlib.sha256(part.get_payload(decode=True)).hexdigest() == entry["sha256"]

    # And as the example in docs/delivery.md reads it, which refuses a body changed on the way.
    read_submission = docs_snippet("read_submission")["read_submission"]
    documented, files = read_submission(SECRET, headers, body)
    assert documented == document and list(files) == [f["filename"] for f in document["files"]]
    with pytest.raises(ValueError, match="bad signature"):
        read_submission(SECRET, headers, body.replace(b"PIP award", b"PIP awarD", 1))

    # And as werkzeug (Flask) reads it.
    environ = {"REQUEST_METHOD": "POST", "CONTENT_TYPE": content_type, "CONTENT_LENGTH": str(len(body)),
               "wsgi.input": io.BytesIO(body)}
    _stream, form, files = parse_form_data(environ)
    assert json.loads(form["submission"]) == document
    uploaded = files.getlist("file")
    assert [f.filename for f in uploaded] == [f["filename"] for f in document["files"]]
    assert [hashlib.sha256(f.read()).hexdigest() for f in uploaded] == [f["sha256"] for f in document["files"]]


def test_a_submission_without_files_is_still_posted_as_plain_json(delivery_config, store, receiver):
    settings = webhook_settings(delivery_config, receiver)
    app = make_app(settings, store)
    receiver.start()
    reference = submit(store, app.extensions["assist.forms"]["missed-bin"], answers_for(app))
    assert worker_for(app, settings).run_once().delivered == 1
    body, headers = receiver.stored[f"{reference}-webhook"], receiver.headers[f"{reference}-webhook"]
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert headers["X-Assist-Schema-Version"] == "2"
    document = json.loads(body)
    assert document["reference"] == reference and document["files"] == []
    assert docs_snippet("read_submission")["read_submission"](SECRET, headers, body) == (document, {})


def test_an_attempt_that_cannot_reach_the_webhook_reads_no_file(delivery_config, store, receiver, monkeypatch):
    settings = webhook_settings(delivery_config, receiver)  # nothing listens yet
    app = make_app(settings, store)
    reference = evidence_submission(store, blue_badge(app))
    reads = []
    real = store.submission_evidence
    monkeypatch.setattr(store, "submission_evidence", lambda ref: reads.append(ref) or real(ref))
    worker = worker_for(app, settings)
    assert worker.run_once().retrying == 1
    assert reads == []
    receiver.start()
    worker.store._clock.advance(minutes=10)
    assert worker.run_once().delivered == 1 and reads == [reference]


def test_the_folder_gets_the_files_then_the_pdf_then_the_json(delivery_config, store, tmp_path, monkeypatch):
    from assist.delivery import destinations

    folder = tmp_path / "share"
    settings = with_delivery(delivery_config, destinations=("folder",), folder=folder)
    app = make_app(settings, store)
    reference = evidence_submission(store, blue_badge(app))
    written = []
    real = destinations.write_atomically

    def recording(path, data):
        assert not (folder / f"{reference}.json").exists(), f"{path.name} written after the JSON"
        written.append(path.relative_to(folder).as_posix())
        real(path, data)

    monkeypatch.setattr(destinations, "write_atomically", recording)
    worker = worker_for(app, settings)
    assert worker.run_once().delivered == 1
    files = f"{reference}-files"
    assert written == [f"{files}/{reference}-photo-1.jpg", f"{files}/{reference}-proof-of-benefit-1.jpg",
                       f"{files}/{reference}-proof-of-benefit-2.pdf", f"{files}/{reference}-proof-of-address-1.jpg",
                       f"{reference}.pdf", f"{reference}.json"]
    document = json.loads((folder / f"{reference}.json").read_bytes())
    assert document["schema_version"] == 2
    check_files(document, store, reference)
    for entry in document["files"]:
        data = (folder / files / entry["filename"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    assert docs_snippet("check_delivery")["check_delivery"](folder, reference) == document
    # Delivered again: the same names, replaced; nothing else appears.
    monkeypatch.setattr(destinations, "write_atomically", real)
    before = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))
    worker.destinations["folder"].deliver(worker.parcel(reference, f"{reference}-folder"), 5)
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) == before
    assert len(before) == 7  # the subfolder, four files, the PDF and the JSON


def test_a_file_missing_from_the_store_fails_the_attempt_in_plain_words(delivery_config, store, tmp_path):
    from assist.delivery.errors import error_kind

    settings = with_delivery(delivery_config, destinations=("folder",), folder=tmp_path / "share")
    app = make_app(settings, store)
    reference = evidence_submission(store, blue_badge(app))
    victim = store.submission_evidence(reference)[1].id
    with store.transaction() as db:
        db.execute("delete from evidence where id = ?", [victim])
    assert worker_for(app, settings).run_once().retrying == 1
    error = store.list_deliveries(reference=reference)[0]["last_error"]
    assert error.startswith(f"evidence file {victim} of submission {reference}") and error_kind(error) == "evidence_missing"
    assert not (tmp_path / "share" / f"{reference}.json").exists()


def test_files_uploaded_through_the_journey_reach_the_folder(delivery_config, store, tmp_path):
    from support import complete_form

    folder = tmp_path / "share"
    settings = with_delivery(delivery_config, destinations=("folder",), folder=folder)
    app = make_app(settings, store)
    complete_form(app.test_client(), blue_badge(app))
    reference = store.db.execute("select reference from submissions").fetchone()[0]
    assert worker_for(app, settings).run_once().delivered == 1
    document = json.loads((folder / f"{reference}.json").read_bytes())
    answered = [item["id"] for qid in ("photo", "proof-of-benefit", "proof-of-address")
                if qid in document["answers"] for item in document["answers"][qid]["value"]]
    assert answered and [f["id"] for f in document["files"]] == answered
    kept = kept_bytes(store, reference)
    for entry in document["files"]:
        assert (folder / f"{reference}-files" / entry["filename"]).read_bytes() == kept[entry["id"]]


def test_files_are_named_in_the_answers_order_item_by_item_and_numbered_per_question():
    """Each item of a repeating group in turn, an older version's file answer too, then the answers
    kept outside a paper copy's route."""
    from assist.delivery import delivered_filename
    from assist.delivery.evidence import named_files

    def described(file_id, media_type="image/jpeg"):
        return {"id": file_id, "name": f"{file_id}.jpg", "type": media_type, "size": 10}

    answers = {
        "photo": {"type": "file", "value": [described("a")]},
        "name": {"type": "name", "value": "Sam Example"},
        "children": {"type": "repeat", "items": [
            {"child-proof": {"type": "file", "value": [described("b"), described("c", "application/pdf")]}},
            {"child-proof": {"type": "file", "value": [described("d")]}},
        ]},
        # A question of an older version of the form: kept with no type, still a file answer.
        "old-proof": {"type": None, "value": [described("e")]},
        "not-files": {"type": None, "value": ["a", "b"]},
    }
    # A paper copy's answers sent although the paper said to skip them come after the others.
    outside = {"late-proof": {"type": "file", "value": [described("f")]}}
    assert [(qid, d["id"], name) for qid, d, name in named_files("BB-7K4M-2QXT", answers, outside)] == [
        ("photo", "a", "BB-7K4M-2QXT-photo-1.jpg"),
        ("child-proof", "b", "BB-7K4M-2QXT-child-proof-1.jpg"),
        ("child-proof", "c", "BB-7K4M-2QXT-child-proof-2.pdf"),
        ("child-proof", "d", "BB-7K4M-2QXT-child-proof-3.jpg"),
        ("old-proof", "e", "BB-7K4M-2QXT-old-proof-1.jpg"),
        ("late-proof", "f", "BB-7K4M-2QXT-late-proof-1.jpg"),
    ]
    assert delivered_filename("BB/../x", "q id", 1, "application/pdf") == "BB-x-q-id-1.pdf"
