"""Destinations: email (SMTP), webhook (signed HTTPS POST) and folder (atomic files), each
carrying the submission document, the council copy and the evidence files.

Each destination's :meth:`deliver` either returns (the destination has the submission) or
raises :class:`DeliveryError` (try again later). Every attempt for one submission and one
destination carries the same idempotency key, so a destination that got it before can tell.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from ..config import webhook_url_problem
from ..files import write_atomically
from .folder_files import SEALED_SUFFIX, folder_key_ring, seal_file
from .multipart import Part, encode_multipart
from .payload import SCHEMA_VERSION, encode, summary_text

SIGNATURE_HEADER = "X-Assist-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"
SCHEMA_VERSION_HEADER = "X-Assist-Schema-Version"
USER_AGENT = "assist-delivery/1"
MB = 1024 * 1024
#: Attachments above this still go, with a warning in the log and the delivery's detail: many
#: mailboxes refuse messages of 20 to 35 MB (councils with small limits use the folder or webhook).
LARGE_EMAIL_BYTES = 20 * MB

log = logging.getLogger("assist.delivery")


class DeliveryError(Exception):
    """An attempt failed; the message says why (kept on the outbox row, shown to admins)."""


class Parcel:
    """One submission ready to go, made for each attempt. What costs something is made on first
    use, so an attempt that fails before anything is sent (the server cannot be reached, the
    folder is not there) costs nothing: the council copy PDF (``make_pdf``, a render) and the
    evidence files (``make_files``, read from the store and decrypted), and with them the
    document that lists the files and its JSON bytes.

    ``document`` is the submission document without ``files`` when ``make_files`` is given (they
    are added on first use), else the whole document; ``body`` its bytes when already made.
    """

    def __init__(self, reference: str, idempotency_key: str, document: dict, body: bytes | None = None,
                 make_pdf: Callable[[], bytes] | None = None,
                 make_files: Callable[[], list] | None = None):
        self.reference = reference
        self.idempotency_key = idempotency_key
        self._document = document if make_files is None else None
        self._without_files = document
        self._body = body
        self._make_pdf = make_pdf
        self._make_files = make_files
        self._pdf: bytes | None = None
        self._files: list | None = None

    def __repr__(self) -> str:
        return f"Parcel({self.reference!r}, {self.idempotency_key!r})"

    @property
    def pdf(self) -> bytes:
        if self._pdf is None:
            if self._make_pdf is None:
                raise DeliveryError(f"no council copy was made for {self.reference}")
            self._pdf = self._make_pdf()
        return self._pdf

    @property
    def files(self) -> list:
        """The evidence files (:class:`.evidence.DeliveredFile`), in the order of the document's ``files``."""
        if self._files is None:
            self._files = list(self._make_files()) if self._make_files is not None else []
        return self._files

    @property
    def document(self) -> dict:
        if self._document is None:
            self._document = {**self._without_files, "files": [f.entry for f in self.files]}
        return self._document

    @property
    def body(self) -> bytes:
        """The document's exact JSON bytes (:func:`.payload.encode`)."""
        if self._body is None:
            self._body = encode(self.document)
        return self._body


def signature(secret: str, body: bytes) -> str:
    """The signature header's value: ``sha256=`` and the hex HMAC-SHA256 of ``body`` with ``secret``."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify_signature(secret: str, body: bytes, header: str | None) -> bool:
    """What a back office does with the header (constant-time comparison)."""
    return bool(header) and hmac.compare_digest(signature(secret, body), header)


class EmailDestination:
    """One email per submission: the summary in the body; the JSON, the council copy and each
    evidence file attached, in that order."""

    name = "email"

    def __init__(self, settings, council_name: str = "", sender: str = ""):
        self.settings = settings
        self.council_name = council_name
        self.sender = settings.email_from or sender

    def message(self, parcel: Parcel) -> EmailMessage:
        document = parcel.document
        message = EmailMessage()
        message["Subject"] = f"{document['form']['title']}: {parcel.reference}"
        message["From"] = self.sender
        message["To"] = ", ".join(self.settings.email_to)
        message["Date"] = formatdate(localtime=False, usegmt=True)
        # The same Message-ID on every attempt: a mailbox or back office can drop a repeat.
        message["Message-ID"] = f"<{parcel.idempotency_key}@assist.invalid>"
        message["X-Assist-Reference"] = parcel.reference
        message["X-Assist-Idempotency-Key"] = parcel.idempotency_key
        message["X-Assist-Schema-Version"] = str(document["schema_version"])
        message.set_content(summary_text(document, self.council_name))
        message.add_attachment(parcel.body, maintype="application", subtype="json",
                               filename=f"{parcel.reference}.json")
        message.add_attachment(parcel.pdf, maintype="application", subtype="pdf",
                               filename=f"{parcel.reference}.pdf")
        for file in parcel.files:
            maintype, subtype = file.media_type.split("/", 1)
            message.add_attachment(file.data, maintype=maintype, subtype=subtype, filename=file.filename)
        return message

    def deliver(self, parcel: Parcel, timeout: float) -> str:
        settings = self.settings
        where = f"email to {settings.smtp_host}:{settings.smtp_port}"
        try:
            smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout)
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryError(f"{where}: {error}") from error
        with smtp:
            try:
                smtp.ehlo()
                if settings.smtp_starttls:
                    context = ssl.create_default_context(cafile=settings.smtp_ca_file or None)
                    smtp.starttls(context=context)
                    smtp.ehlo()
                if settings.smtp_username:
                    smtp.login(settings.smtp_username, settings.smtp_password)
            except (smtplib.SMTPException, OSError, ssl.SSLError) as error:
                raise DeliveryError(f"{where}: {error}") from error
            # Made once the server has let assist in: the PDF and the files cost nothing before.
            message = self.message(parcel)
            try:
                refused = smtp.send_message(message)
            except (smtplib.SMTPException, OSError, ssl.SSLError) as error:
                raise DeliveryError(f"{where}: {error}") from error
        if refused:
            raise DeliveryError(f"email refused for {', '.join(refused)}")
        detail = f"emailed to {', '.join(settings.email_to)}"
        size = attachments_size(parcel)
        if size > LARGE_EMAIL_BYTES:
            # Sent all the same: what a mailbox takes differs (see docs/delivery.md).
            log.warning("delivery email of %s carries %.1f MB of attachments", parcel.reference, size / MB)
            detail += f" ({size / MB:.1f} MB of attachments: a mailbox with a small limit may refuse it)"
        return detail


def attachments_size(parcel: Parcel) -> int:
    """The bytes attached to the email of ``parcel`` (about a third more once encoded for email)."""
    return len(parcel.body) + len(parcel.pdf) + sum(len(file.data) for file in parcel.files)


class WebhookDestination:
    """POST the submission, 2xx means delivered; Idempotency-Key and an HMAC-SHA256 signature header.

    Without evidence the body is the JSON document itself. With evidence it is
    ``multipart/form-data``: a first part ``submission`` (the JSON document's exact bytes), then one
    part ``file`` per evidence file; the signature covers the whole body as sent."""

    name = "webhook"

    def __init__(self, settings):
        self.settings = settings
        problem = webhook_url_problem(settings.webhook_url) if settings.webhook_url else "no webhook_url"
        if problem:
            raise ValueError(f"delivery.webhook_url: {problem}")

    def request_body(self, parcel: Parcel) -> tuple[bytes, str]:
        """``(body, content type)``: the bytes sent and signed."""
        if not parcel.files:
            return parcel.body, "application/json; charset=utf-8"
        parts = [Part("submission", "application/json; charset=utf-8", parcel.body)]
        parts += [Part("file", file.media_type, file.data, filename=file.filename) for file in parcel.files]
        return encode_multipart(parts)

    def deliver(self, parcel: Parcel, timeout: float) -> str:
        url = urlsplit(self.settings.webhook_url)
        path = (url.path or "/") + (f"?{url.query}" if url.query else "")
        if url.scheme == "https":
            connection = http.client.HTTPSConnection(url.hostname, url.port or 443, timeout=timeout,
                                                     context=ssl.create_default_context())
        else:  # plain http to loopback only (checked in __init__), for tests
            connection = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=timeout)
        try:
            connection.connect()  # before the body is made: nothing is read or decrypted for a server that is down
            body, content_type = self.request_body(parcel)
            headers = {
                "Content-Type": content_type,
                "User-Agent": USER_AGENT,
                IDEMPOTENCY_HEADER: parcel.idempotency_key,
                SIGNATURE_HEADER: signature(self.settings.webhook_secret, body),
                SCHEMA_VERSION_HEADER: str(parcel.document.get("schema_version", SCHEMA_VERSION)),
                "X-Assist-Reference": parcel.reference,
            }
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            answer = response.read(2000)
        except (OSError, http.client.HTTPException) as error:
            raise DeliveryError(f"webhook {url.hostname}: {error or type(error).__name__}") from error
        finally:
            connection.close()
        if 200 <= response.status < 300:
            return f"webhook answered {response.status}"
        text = answer.decode("utf-8", "replace").strip().replace("\n", " ")[:200]
        raise DeliveryError(f"webhook answered {response.status} {response.reason}: {text}")


class FolderDestination:
    """The evidence files in ``<reference>-files/``, then ``<reference>.pdf``, then
    ``<reference>.json``: each written whole, and the JSON last, so when it is there all is."""

    name = "folder"

    def __init__(self, settings):
        self.folder = Path(settings.folder)
        self.ring = folder_key_ring(settings)  # sealed for the back office (.enc) when a delivery key is set

    def _write(self, path: Path, data: bytes) -> None:
        if self.ring is None:
            write_atomically(path, data)
        else:
            write_atomically(path.with_name(path.name + SEALED_SUFFIX), seal_file(self.ring, path.name, data))

    def deliver(self, parcel: Parcel, timeout: float) -> str:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if parcel.files:
                files = self.folder / files_folder(parcel.reference)
                files.mkdir(exist_ok=True)
                for file in parcel.files:
                    self._write(files / file.filename, file.data)
            self._write(self.folder / f"{parcel.reference}.pdf", parcel.pdf)
            self._write(self.folder / f"{parcel.reference}.json", parcel.body)
        except OSError as error:
            raise DeliveryError(f"folder {self.folder}: {error}") from error
        return f"written to {self.folder}" + (" (encrypted)" if self.ring is not None else "")


def files_folder(reference: str) -> str:
    """The folder destination's subfolder for a submission's evidence files."""
    return f"{reference}-files"
