"""Email delivery to a real SMTP server (aiosmtpd) on loopback: STARTTLS, login, headers, attachments, PDF."""

from __future__ import annotations

import email
import email.policy
import io
import json
import subprocess
import threading

import pytest

from delivery_support import answers_for, clock, delivery_config, free_port, make_app, store, submit, with_delivery  # noqa: F401

USER, PASSWORD = "assist", "correct horse battery staple"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A CA, and a certificate for 127.0.0.1 signed by it (the council's own CA, say)."""
    folder = tmp_path_factory.mktemp("tls")

    def run(*args):
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)

    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Test CA",
        "-keyout", "ca.key", "-out", "ca.pem", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign")
    run("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "server.key", "-out", "server.csr")
    (folder / "ext.cnf").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
        "-out", "server.pem", "-extfile", "ext.cnf")
    return folder


class Mailbox:
    def __init__(self):
        self.messages = []
        self.logins = []
        self.arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        with self.arrived:
            self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content,
                                  session.ssl is not None))
            self.arrived.notify_all()
        return "250 OK"


@pytest.fixture
def smtp_server(certificate):
    import ssl

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    mailbox = Mailbox()

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == USER.encode() and auth_data.password == PASSWORD.encode()
        mailbox.logins.append((auth_data.login, ok))
        return AuthResult(success=ok)

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate / "server.pem", certificate / "server.key")
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
                            authenticator=authenticator, auth_required=True)
    controller.start()
    yield mailbox, port
    controller.stop()


def test_email_goes_through_starttls_and_login_with_json_and_council_copy_pdf(config, store, smtp_server,
                                                                              certificate, monkeypatch):
    from pypdf import PdfReader

    from assist.delivery import Worker

    mailbox, port = smtp_server
    settings = with_delivery(config, destinations=("email",), email_to=("benefits@demo-borough.example.gov.uk",),
                             email_from="forms@demo-borough.example.gov.uk", smtp_host="127.0.0.1", smtp_port=port,
                             smtp_starttls=True, smtp_ca_file=str(certificate / "ca.pem"), smtp_username=USER,
                             smtp_password=PASSWORD)
    app = make_app(settings, store)
    form = app.extensions["assist.forms"]["missed-bin"]
    reference = submit(store, form, answers_for(app))
    worker = Worker(store, app.extensions["assist.forms"], settings)
    result = worker.run_once()
    assert result.delivered == 1, store.list_deliveries()
    row = store.list_deliveries(reference=reference)[0]
    assert row["status"] == "delivered" and row["detail"] == "emailed to benefits@demo-borough.example.gov.uk"

    assert mailbox.logins == [(USER.encode(), True)]
    [(sender, recipients, raw, encrypted)] = mailbox.messages
    assert encrypted, "the message was sent after STARTTLS"
    assert sender == "forms@demo-borough.example.gov.uk"
    assert recipients == ["benefits@demo-borough.example.gov.uk"]
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Subject"] == f"{form.title}: {reference}"
    assert message["Message-ID"] == f"<{reference}-email@assist.invalid>"
    assert message["X-Assist-Reference"] == reference
    assert message["X-Assist-Idempotency-Key"] == f"{reference}-email"
    assert message["X-Assist-Schema-Version"] == "2"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert f"Reference: {reference}" in body and "Answers" in body
    attachments = {part.get_filename(): part for part in message.iter_attachments()}
    assert set(attachments) == {f"{reference}.json", f"{reference}.pdf"}
    assert attachments[f"{reference}.json"].get_content_type() == "application/json"
    document = json.loads(attachments[f"{reference}.json"].get_payload(decode=True))
    assert document["reference"] == reference and document["form"]["id"] == "missed-bin"
    pdf = attachments[f"{reference}.pdf"].get_payload(decode=True)
    assert attachments[f"{reference}.pdf"].get_content_type() == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert reference in text.replace(" ", "") or reference in text
    # Every answer the JSON gives is on the attached copy, as the JSON shows it.
    shown = " ".join(text.split())
    answers = [value["display"] for value in document["answers"].values() if value["display"]]
    assert answers
    for display in answers:
        assert " ".join(display.split()) in shown, display


def test_an_untrusted_certificate_is_refused(config, store, smtp_server):
    from assist.delivery import Worker

    mailbox, port = smtp_server
    settings = with_delivery(config, destinations=("email",), email_to=("benefits@demo-borough.example.gov.uk",),
                             smtp_host="127.0.0.1", smtp_port=port, smtp_username=USER, smtp_password=PASSWORD, timeout_seconds=5)
    app = make_app(settings, store)
    reference = submit(store, app.extensions["assist.forms"]["missed-bin"], answers_for(app))
    assert Worker(store, app.extensions["assist.forms"], settings).run_once().retrying == 1
    assert "CERTIFICATE_VERIFY_FAILED" in store.list_deliveries(reference=reference)[0]["last_error"]
    assert mailbox.messages == [] and mailbox.logins == []
