"""Audit events in words, for the audit page, a submission's trail and the audit CSV.

Every event the audit log can hold (:data:`assist.storage.audit.EVENTS`) has words here; the
tests check none is missing. The texts are marked for translation with :func:`N_` and
translated when shown, with the ``gettext`` of the page.
"""

from __future__ import annotations

from typing import Callable

Gettext = Callable[[str], str]


def N_(text: str) -> str:
    """Mark ``text`` for translation (Babel's extractor finds it); it is translated when shown."""
    return text


def _identity(text: str) -> str:
    return text


EVENT_WORDS = {
    "sign_in": N_("Signed in"),
    "sign_in_failed": N_("Wrong name or PIN entered"),
    "sign_in_locked": N_("Sign-in refused: waiting after wrong PINs"),
    "lockout": N_("Too many wrong PINs: must wait before trying again"),
    "sign_out": N_("Signed out"),
    "sign_out_idle": N_("Signed out after no activity"),
    "pin_reset": N_("Reset a PIN"),
    "pin_wait_cleared": N_("Let a helper sign in now"),
    "helper_added": N_("Added a helper"),
    "helper_deactivated": N_("Deactivated a helper"),
    "session_start": N_("Started helping a resident with a form"),
    "self_application_confirmed": N_("Helper confirmed the form is for themselves or someone with their name"),
    "consent": N_("Resident agreed to be helped"),
    "consent_refused": N_("Resident did not agree to be helped"),
    "hand_over": N_("Tablet handed to the resident"),
    "give_back": N_("Tablet given back to the helper"),
    "unlock": N_("Helper unlocked the tablet with their PIN"),
    "save": N_("Saved to carry on later"),
    "resume": N_("Carried on with a saved form"),
    "resume_failed": N_("Wrong check when carrying on with a saved form"),
    "resume_locked": N_("Saved form deleted after too many wrong checks"),
    "submit": N_("Sent"),
    "print": N_("Printed"),
    "clear": N_("Tablet cleared"),
    "paper_keyed": N_("Keyed in from paper"),
    "paper_duplicate_refused": N_("Paper copy refused: already keyed in"),
    "delivery_retry": N_("Sent again"),
    "submission_viewed": N_("Viewed the council’s copy"),
    "evidence_viewed": N_("Viewed an evidence file"),
    "venue_added": N_("Added a venue"),
    "venue_closed": N_("Closed a venue"),
    "venue_reopened": N_("Reopened a venue"),
    "export": N_("Exported"),
    "purge": N_("Deleted answers due (retention)"),
}

#: What was printed (the ``print`` event's detail).
PRINTED_WORDS = {"copy": N_("resident’s copy"), "carry_on_slip": N_("carry-on slip")}


def event_words(event: str, detail: str | None = None, gettext: Gettext = _identity) -> str:
    """What happened, in words in ``gettext``'s language: "Tablet handed to the resident",
    "Printed (resident’s copy)". An event unknown to this version keeps its code."""
    words = gettext(EVENT_WORDS[event]) if event in EVENT_WORDS else event
    if event == "print" and detail:
        printed = gettext(PRINTED_WORDS[detail]) if detail in PRINTED_WORDS else detail
        return f"{words} ({printed})"
    return words
