"""Destinations: email (SMTP), webhook (signed HTTPS POST) and folder (atomic files).

Each destination's :meth:`deliver` either returns (the destination has the submission) or
raises :class:`DeliveryError` (try again later). Every attempt for one submission and one
destination carries the same idempotency key, so a destination that got it before can tell.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from ..config import webhook_url_problem
from ..files import write_atomically
from .payload import summary_text

SIGNATURE_HEADER = "X-Assist-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"
USER_AGENT = "assist-delivery/1"


class DeliveryError(Exception):
    """An attempt failed; the message says why (kept on the outbox row, shown to admins)."""


@dataclass
class Parcel:
    """One submission ready to go: its JSON bytes, the council copy PDF (made on first use)."""

    reference: str
    idempotency_key: str
    document: dict
    body: bytes
    make_pdf: Callable[[], bytes]
    _pdf: bytes | None = field(default=None, repr=False)

    @property
    def pdf(self) -> bytes:
        if self._pdf is None:
            self._pdf = self.make_pdf()
        return self._pdf


def signature(secret: str, body: bytes) -> str:
    """The signature header's value: ``sha256=`` and the hex HMAC-SHA256 of ``body`` with ``secret``."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify_signature(secret: str, body: bytes, header: str | None) -> bool:
    """What a back office does with the header (constant-time comparison)."""
    return bool(header) and hmac.compare_digest(signature(secret, body), header)


class EmailDestination:
    """One email per submission: the summary in the body, the JSON and the council copy attached."""

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
        return message

    def deliver(self, parcel: Parcel, timeout: float) -> str:
        settings = self.settings
        message = self.message(parcel)
        try:
            with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout) as smtp:
                smtp.ehlo()
                if settings.smtp_starttls:
                    context = ssl.create_default_context(cafile=settings.smtp_ca_file or None)
                    smtp.starttls(context=context)
                    smtp.ehlo()
                if settings.smtp_username:
                    smtp.login(settings.smtp_username, settings.smtp_password)
                refused = smtp.send_message(message)
        except (smtplib.SMTPException, OSError, ssl.SSLError) as error:
            raise DeliveryError(f"email to {settings.smtp_host}:{settings.smtp_port}: {error}") from error
        if refused:
            raise DeliveryError(f"email refused for {', '.join(refused)}")
        return f"emailed to {', '.join(settings.email_to)}"


class WebhookDestination:
    """POST the JSON; 2xx means delivered. Idempotency-Key and an HMAC-SHA256 signature header."""

    name = "webhook"

    def __init__(self, settings):
        self.settings = settings
        problem = webhook_url_problem(settings.webhook_url) if settings.webhook_url else "no webhook_url"
        if problem:
            raise ValueError(f"delivery.webhook_url: {problem}")

    def deliver(self, parcel: Parcel, timeout: float) -> str:
        url = urlsplit(self.settings.webhook_url)
        path = (url.path or "/") + (f"?{url.query}" if url.query else "")
        if url.scheme == "https":
            connection = http.client.HTTPSConnection(url.hostname, url.port or 443, timeout=timeout,
                                                     context=ssl.create_default_context())
        else:  # plain http to loopback only (checked in __init__), for tests
            connection = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=timeout)
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            IDEMPOTENCY_HEADER: parcel.idempotency_key,
            SIGNATURE_HEADER: signature(self.settings.webhook_secret, parcel.body),
            "X-Assist-Reference": parcel.reference,
        }
        try:
            connection.request("POST", path, body=parcel.body, headers=headers)
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
    """``<reference>.pdf`` then ``<reference>.json`` in the folder: the JSON appears last, whole."""

    name = "folder"

    def __init__(self, settings):
        self.folder = Path(settings.folder)

    def deliver(self, parcel: Parcel, timeout: float) -> str:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomically(self.folder / f"{parcel.reference}.pdf", parcel.pdf)
            write_atomically(self.folder / f"{parcel.reference}.json", parcel.body)
        except OSError as error:
            raise DeliveryError(f"folder {self.folder}: {error}") from error
        return f"written to {self.folder}"
