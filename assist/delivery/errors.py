"""What kind of failure a delivery's stored error is, so admin pages can say it in plain words.

The worker stores each failed attempt's message on its outbox row (``last_error``), written by
:mod:`.destinations` and :mod:`.worker` in a few fixed shapes ("folder <path>: [Errno 17] File
exists", "webhook answered 401 Unauthorized: ...", "email to host:25: ..."). :func:`error_kind`
reads those shapes back; it works on rows stored before it existed too. Delivery itself does
not depend on it.
"""

from __future__ import annotations

import re

#: Every kind :func:`error_kind` returns.
KINDS = (
    "not_configured", "submission_missing", "evidence_missing", "form_not_loaded", "internal",
    "email_login", "email_certificate", "email_timeout", "email_unreachable", "email_refused", "email_other",
    "webhook_certificate", "webhook_timeout", "webhook_unreachable", "webhook_secret", "webhook_rejected",
    "webhook_server", "folder_not_a_folder", "folder_permission", "folder_missing", "folder_full", "folder_other",
    "unknown",
)

_ERRNO = re.compile(r"\[Errno (-?\d+)\]")
#: errno values by what they mean for a folder (Linux numbers; Windows uses the same for these).
_FOLDER_ERRNOS = {17: "folder_not_a_folder", 20: "folder_not_a_folder", 21: "folder_not_a_folder",
                  13: "folder_permission", 1: "folder_permission", 30: "folder_permission",
                  2: "folder_missing", 19: "folder_missing", 28: "folder_full", 122: "folder_full"}
_UNREACHABLE = ("refused", "name or service not known", "nodename nor servname", "no route", "unreachable",
                "temporary failure in name resolution", "[errno -2]", "[errno -3]", "[errno 111]", "[errno 113]")


def _network_kind(prefix: str, text: str) -> str | None:
    lowered = text.lower()
    if "certificate" in lowered or "ssl" in lowered:
        return f"{prefix}_certificate"
    if "timed out" in lowered or "timeout" in lowered:
        return f"{prefix}_timeout"
    if any(marker in lowered for marker in _UNREACHABLE):
        return f"{prefix}_unreachable"
    return None


def error_kind(message: str | None) -> str:
    """The kind of failure (one of :data:`KINDS`) a stored ``last_error`` message records."""
    text = (message or "").strip()
    if not text:
        return "unknown"
    if re.match(r"^the \w+ destination is not configured", text):
        return "not_configured"
    if re.match(r"^submission \S+ is not in the database", text):
        return "submission_missing"
    if re.match(r"^evidence file \S+ of submission \S+ .*is not in the database", text):
        return "evidence_missing"
    if re.match(r"^form .+ is not loaded", text):
        return "form_not_loaded"
    if text.startswith("email refused for "):
        return "email_refused"
    if text.startswith("email to "):
        if re.search(r"\(53[45],|authentication|login", text, flags=re.I):
            return "email_login"
        return _network_kind("email", text) or "email_other"
    answered = re.match(r"^webhook answered (\d{3})", text)
    if answered:
        status = int(answered.group(1))
        if status in (401, 403):
            return "webhook_secret"
        return "webhook_server" if status >= 500 else "webhook_rejected"
    if text.startswith("webhook "):
        return _network_kind("webhook", text) or "webhook_unreachable"
    if text.startswith("folder "):
        number = _ERRNO.search(text)
        return _FOLDER_ERRNOS.get(int(number.group(1)), "folder_other") if number else "folder_other"
    if re.match(r"^[A-Z]\w*(Error|Exception): ", text):
        return "internal"
    return "unknown"
