"""A delivery's last error in plain words, with what to do about it.

The stored message (``last_error``) is for IT; pages show these words first and keep the message
in a "Technical detail" element. :func:`assist.delivery.errors.error_kind` says which kind it is.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ...delivery.errors import error_kind

_SEND_AGAIN = _l("When it is fixed, send it again.")

PROBLEMS = {
    "not_configured": _l("This kind of delivery is not set up on this server. Ask your IT team to add its "
                         "settings under [delivery] in the configuration."),
    "submission_missing": _l("The submission could not be found in the database. Ask your IT team to check "
                             "the database was not restored from an older copy."),
    "evidence_missing": _l("A file the resident gave as evidence could not be found in the database. Ask your "
                           "IT team to check the database was not restored from an older copy."),
    "form_not_loaded": _l("The form this submission answered is no longer loaded. Ask your IT team to put the "
                          "form’s file back in the forms folder."),
    "internal": _l("assist could not prepare the submission to send. Ask your IT team to look at the technical "
                   "detail and the server’s log."),
    "email_login": _l("The mail server did not accept assist’s user name or password. Ask your IT team to "
                      "check the mail settings."),
    "email_certificate": _l("The mail server’s security certificate could not be checked. Ask your IT team to "
                            "check the mail server’s certificate settings."),
    "email_timeout": _l("The mail server did not answer in time. It may be busy or down."),
    "email_unreachable": _l("assist could not reach the mail server. Ask your IT team to check the mail "
                            "server’s address and that it is running."),
    "email_refused": _l("The mail server refused the back office’s email address. Ask your IT team to check "
                        "the addresses submissions are emailed to."),
    "email_other": _l("The mail server did not take the email. Ask your IT team to look at the technical detail."),
    "webhook_certificate": _l("The back office system’s security certificate could not be checked. Ask your "
                              "IT team to check it."),
    "webhook_timeout": _l("The back office system did not answer in time. It may be busy or down."),
    "webhook_unreachable": _l("assist could not reach the back office system. Ask your IT team to check its "
                              "address and that it is running."),
    "webhook_secret": _l("The back office system did not accept assist’s signature. Ask your IT team to check "
                         "both sides use the same shared secret."),
    "webhook_rejected": _l("The back office system refused the submission. Ask your IT team to look at the "
                           "technical detail with the back office’s supplier."),
    "webhook_server": _l("The back office system had a problem of its own. It may be down for a while."),
    "folder_not_a_folder": _l("The delivery folder could not be used: a file has the name the folder should "
                              "have. Ask your IT team to check the folder setting and remove or rename the file."),
    "folder_permission": _l("assist is not allowed to write in the delivery folder. Ask your IT team to give "
                            "assist permission to write there."),
    "folder_missing": _l("The delivery folder is not there, for example a network drive is not connected. Ask "
                         "your IT team to connect it."),
    "folder_full": _l("The disk of the delivery folder is full. Ask your IT team to make space."),
    "folder_other": _l("The submission could not be written to the delivery folder. Ask your IT team to look "
                       "at the technical detail."),
    "unknown": _l("The delivery failed. Ask your IT team to look at the technical detail."),
}


def delivery_problem(message: str | None) -> str:
    """What went wrong with a delivery, in words in the page's language, and what to do."""
    if not message:
        return ""
    return f"{PROBLEMS[error_kind(message)]} {_SEND_AGAIN}"
